#include "core/demographics.h"

#include <algorithm>

namespace mentoring::core {

const std::vector<DemographicQuestion>& demographic_questions() {
  static const std::vector<DemographicQuestion> kQuestions = {
      {"age_band",
       {"under_25", "25_to_29", "30_to_34", "35_to_39", "40_to_44", "45_to_49", "50_to_54", "55_to_59", "60_or_over",
        kPreferNotToSay}},
      {"sex", {"female", "male", kPreferNotToSay}},
      {"gender_same_as_birth", {"yes", "no", kPreferNotToSay}},
      {"ethnicity", {"asian", "black", "mixed", "white", "other", kPreferNotToSay}},
      {"disability", {"yes", "no", kPreferNotToSay}},
      {"sexual_orientation", {"heterosexual", "gay_or_lesbian", "bisexual", "other", kPreferNotToSay}},
      {"religion",
       {"no_religion", "buddhist", "christian", "hindu", "jewish", "muslim", "sikh", "other", kPreferNotToSay}},
      {"caring_responsibilities", {"none", "children", "adult", "children_and_adult", kPreferNotToSay}},
      {"socio_economic_background",
       {"professional", "intermediate", "routine_or_manual", "never_worked_or_other", kPreferNotToSay}},
  };
  return kQuestions;
}

const DemographicQuestion* find_demographic_question(std::string_view name) {
  for (const auto& q : demographic_questions())
    if (name == q.name) return &q;
  return nullptr;
}

namespace {

bool allows(const DemographicQuestion& q, std::string_view answer) {
  return std::any_of(q.answers.begin(), q.answers.end(), [&](const char* a) { return answer == a; });
}

std::string answer_list(const DemographicQuestion& q) {
  std::string out;
  for (std::size_t i = 0; i < q.answers.size(); ++i) {
    if (i > 0) out += i + 1 == q.answers.size() ? " or " : ", ";
    out += q.answers[i];
  }
  return out;
}

Status unknown_question(const std::string& name) {
  return Status::invalid("demographics_question_unknown",
                         "There is no monitoring question called '" + name.substr(0, 60) + "'.", name.substr(0, 60));
}

Status corrupt() {
  return Status::internal("demographics_record_corrupt", "A stored demographic record could not be read.");
}

}  // namespace

Status validate(const DemographicAnswers& answers) {
  for (const auto& [name, answer] : answers) {
    const DemographicQuestion* q = find_demographic_question(name);
    if (!q) return unknown_question(name);
    if (!allows(*q, answer))
      return Status::invalid("demographics_answer_invalid",
                             "The answer to '" + name + "' must be " + answer_list(*q) + ".", name);
  }
  return Status::ok();
}

std::string serialise_demographics(const DemographicAnswers& answers) {
  std::string out;
  for (const auto& [name, answer] : answers) out += name + "=" + answer + "\n";
  return out;
}

Result<DemographicAnswers> parse_demographics(std::string_view text) {
  DemographicAnswers out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) return corrupt();
    const std::string_view line = text.substr(pos, end - pos);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return corrupt();
    std::string name(line.substr(0, eq));
    std::string answer(line.substr(eq + 1));
    if (!out.empty() && name <= out.rbegin()->first) return corrupt();  // sorted, no repeats
    out.emplace(std::move(name), std::move(answer));
    pos = end + 1;
  }
  if (!validate(out).is_ok()) return corrupt();
  return out;
}

std::string demographics_aad(std::int64_t accountid, int key_version) {
  return "mentoring.demographics.v1:account=" + std::to_string(accountid) + ":key=" + std::to_string(key_version);
}

Result<evaluation::PublishedCounts> count_by_group(const std::vector<DemographicAnswers>& records,
                                                   std::string_view question,
                                                   const evaluation::SuppressionOptions& options) {
  const DemographicQuestion* q = find_demographic_question(question);
  if (!q) return unknown_question(std::string(question));
  std::vector<std::string> labels;
  for (const char* a : q->answers) labels.emplace_back(a);
  labels.emplace_back(kNotAnswered);
  std::vector<std::int64_t> counts(labels.size(), 0);
  for (const auto& r : records) {
    auto it = r.find(q->name);
    const std::string& label = it == r.end() ? labels.back() : it->second;
    const auto at = std::find(labels.begin(), labels.end(), label);
    if (at == labels.end()) return corrupt();
    ++counts[static_cast<std::size_t>(at - labels.begin())];
  }
  return evaluation::suppress_counts(labels, counts, options);
}

}  // namespace mentoring::core
