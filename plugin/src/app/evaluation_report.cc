#include "app/evaluation_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "app/business_as_usual.h"
#include "app/setup_unit_of_work.h"
#include "app/unit_of_work.h"
#include "core/enrolment.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;
namespace ev = core::evaluation;

namespace {

// The floor for the suppression threshold: the rule many NHS publications follow.
constexpr std::int64_t kMinThreshold = 10;
constexpr std::int64_t kMaxAudienceSize = 10000000;

// One count on its own: withheld when it is from 1 to threshold - 1. A lone
// count has no total to difference against, so primary suppression is all
// it needs.
ev::PublishedCount publish_single(std::int64_t n, std::int64_t threshold) {
  ev::PublishedCount c;
  if (n > 0 && n < threshold) {
    c.suppression = ev::Suppression::kPrimary;
  } else {
    c.value = n;
  }
  return c;
}

void note(EvaluationReport& r, std::string section, std::string reason, std::string message) {
  r.notes.push_back(ReportNote{std::move(section), std::move(reason), std::move(message)});
}

// Rounds of one cohort, by opening date.
std::vector<core::SurveyRound> rounds_of(const std::vector<core::SurveyRound>& all, std::int64_t cohortid) {
  std::vector<core::SurveyRound> out;
  for (const auto& r : all)
    if (r.cohortid == cohortid) out.push_back(r);
  return out;
}

// The latest round of the cohort, preferring end over midpoint over baseline.
const core::SurveyRound* latest_round(const std::vector<core::SurveyRound>& rounds,
                                      std::optional<core::RoundPhase> phase = std::nullopt) {
  const core::SurveyRound* best = nullptr;
  for (const auto& r : rounds) {
    if (phase && r.phase != *phase) continue;
    if (!best || static_cast<int>(r.phase) > static_cast<int>(best->phase) ||
        (r.phase == best->phase && r.opens_on >= best->opens_on))
      best = &r;
  }
  return best;
}

std::optional<double> number_answer(const core::SurveyResponse& r, const std::string& key) {
  for (const auto& a : r.answers)
    if (a.key == key) return a.number;
  return std::nullopt;
}

// The outcome tables of one cohort, computed the same way in every report.
Result<OutcomeSection> outcome_section(core::Stores& s, std::int64_t schemeid, const core::Cohort& cohort,
                                       std::int64_t threshold) {
  auto records = s.outcomes.list_for_cohort(schemeid, cohort.id);
  if (!records) return records.status();
  OutcomeSection out;
  out.cohortid = cohort.id;
  out.cohort_name = cohort.name;
  const ev::SuppressionOptions opts{threshold};

  // People, not panels: each person's latest ARCP outcome and rating, and
  // per exam whether they have passed it.
  std::map<std::int64_t, const core::OutcomeRecord*> latest_arcp, latest_rating;
  std::map<std::string, std::map<std::int64_t, bool>> exams;  // exam -> person -> passed
  for (const auto& r : *records) {
    switch (r.kind) {
      case core::OutcomeKind::kArcp: {
        auto& slot = latest_arcp[r.accountid];
        if (!slot || slot->recorded_on <= r.recorded_on) slot = &r;
        break;
      }
      case core::OutcomeKind::kFy1Preparedness: {
        auto& slot = latest_rating[r.accountid];
        if (!slot || slot->recorded_on <= r.recorded_on) slot = &r;
        break;
      }
      case core::OutcomeKind::kExam: {
        bool& passed = exams[r.exam_name][r.accountid];
        passed = passed || r.exam_passed.value_or(false);
        break;
      }
    }
  }

  std::vector<std::string> codes;
  std::vector<std::int64_t> arcp_counts;
  for (auto code : core::kAllArcpOutcomes) {
    codes.push_back(core::to_string(code));
    std::int64_t n = 0;
    for (const auto& [id, r] : latest_arcp)
      if (r->arcp == code) ++n;
    arcp_counts.push_back(n);
  }
  auto arcp = ev::suppress_counts(codes, arcp_counts, opts);
  if (!arcp) return arcp.status();
  out.arcp = std::move(arcp).value();

  std::vector<ev::GroupCounts> exam_groups;
  for (const auto& [name, people] : exams) {
    ev::GroupCounts g;
    g.group = name;
    g.denominator = static_cast<std::int64_t>(people.size());
    for (const auto& [id, passed] : people)
      if (passed) ++g.numerator;
    exam_groups.push_back(g);
  }
  if (exam_groups.empty()) {
    out.exams.overall.group = "all";
  } else {
    auto exams_published = ev::suppress_rates(exam_groups, opts);
    if (!exams_published) return exams_published.status();
    out.exams = std::move(exams_published).value();
  }

  std::vector<std::string> ratings;
  std::vector<std::int64_t> rating_counts;
  std::vector<double> scores;
  for (int v = core::kMinPreparednessRating; v <= core::kMaxPreparednessRating; ++v) {
    ratings.push_back(std::to_string(v));
    std::int64_t n = 0;
    for (const auto& [id, r] : latest_rating)
      if (r->rating == v) ++n;
    rating_counts.push_back(n);
  }
  for (const auto& [id, r] : latest_rating)
    if (r->rating) scores.push_back(*r->rating);
  auto prep = ev::suppress_counts(ratings, rating_counts, opts);
  if (!prep) return prep.status();
  out.preparedness = std::move(prep).value();
  if (static_cast<std::int64_t>(scores.size()) >= threshold) {
    auto d = ev::describe(scores);
    if (d) out.preparedness_summary = *d;
  }
  return out;
}

}  // namespace

Status EvaluationReportService::set_audience_size(std::int64_t cohortid, std::int64_t size) {
  if (size < 0 || size > kMaxAudienceSize)
    return Status::invalid("audience_size_invalid",
                           "The target audience size must be a whole number from 0 to 10,000,000.", "size");
  return db_.transact([&](core::Stores& s) { return s.evaluation.save_audience_size(cohortid, size, clock_.now()); });
}

Result<EvaluationReport> EvaluationReportService::report(std::int64_t schemeid, std::int64_t cohortid,
                                                         std::optional<std::int64_t> comparator_id) {
  const std::int64_t threshold = std::max(options_.suppression_threshold, kMinThreshold);
  const ev::SuppressionOptions opts{threshold};
  const core::UnixSeconds now = clock_.now();
  const core::Date today = core::Date::from_unix(now);
  if (comparator_id && *comparator_id == cohortid)
    return Status::invalid("report_compare_same_cohort", "Compare the cohort with another cohort, not itself.",
                           "compare");

  auto built = in_transaction<EvaluationReport>(db_, [&](core::Stores& s) -> Result<EvaluationReport> {
    EvaluationReport r;
    r.generated_on = today;
    r.suppression_threshold = threshold;
    auto scheme = require_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    r.scheme = *scheme;
    auto find_cohort = [&](std::int64_t id, const char* field) -> Result<core::Cohort> {
      auto c = s.schemes.find_cohort(id);
      if (!c) return c.status();
      if (!c->has_value()) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
      if ((*c)->schemeid != schemeid)
        return Status::invalid("report_cohort_other_scheme", "The cohort belongs to another scheme.", field);
      return **c;
    };
    auto cohort = find_cohort(cohortid, "cohort");
    if (!cohort) return cohort.status();
    r.cohort = *cohort;
    if (comparator_id) {
      auto comp = find_cohort(*comparator_id, "compare");
      if (!comp) return comp.status();
      r.comparator = *comp;
    }

    // Uptake.
    auto mentees = s.enrolments.count_by_cohort(cohortid, core::Role::kMentee);
    if (!mentees) return mentees.status();
    auto mentors = s.enrolments.count_by_cohort(cohortid, core::Role::kMentor);
    if (!mentors) return mentors.status();
    r.uptake.mentees_enrolled = publish_single(*mentees, threshold);
    r.uptake.mentors_enrolled = publish_single(*mentors, threshold);
    auto audience = s.evaluation.find_audience_size(cohortid);
    if (!audience) return audience.status();
    r.uptake.audience_size = *audience;
    if (!*audience) {
      note(r, "uptake", "no_data", "The size of the cohort's target audience has not been recorded.");
    } else {
      auto rates = ev::suppress_rates({ev::GroupCounts{"cohort", *mentees, **audience}}, opts);
      if (!rates) {
        note(r, "uptake", rates.status().reason(), rates.status().message());
      } else if (rates->overall.rate) {
        r.uptake.uptake = *rates->overall.rate;
      } else {
        note(r, "uptake", "too_few_people", "The uptake rate is withheld because it rests on a small number.");
      }
    }

    // Surveys.
    auto all_rounds = s.surveys.list_rounds(schemeid);
    if (!all_rounds) return all_rounds.status();
    const auto rounds = rounds_of(*all_rounds, cohortid);
    std::map<std::int64_t, std::vector<core::SurveyResponse>> responses;
    std::map<std::int64_t, core::Questionnaire> questionnaires;
    auto load = [&](const core::SurveyRound& round) -> Status {
      if (!responses.count(round.id)) {
        auto rs = s.surveys.list_responses(round.id);
        if (!rs) return rs.status();
        responses[round.id] = std::move(rs).value();
      }
      if (!questionnaires.count(round.questionnaireid)) {
        auto qn = s.surveys.find_questionnaire(round.questionnaireid);
        if (!qn) return qn.status();
        if (qn->has_value()) questionnaires[round.questionnaireid] = **qn;
      }
      return Status::ok();
    };
    for (const auto& round : rounds) {
      MENTORING_RETURN_IF_ERROR(load(round));
      RoundResponses rr;
      rr.roundid = round.id;
      rr.phase = round.phase;
      rr.opens_on = round.opens_on;
      rr.closes_on = round.closes_on;
      std::vector<std::int64_t> counts;
      for (const auto& a : round.audiences) {
        std::int64_t n = 0;
        for (const auto& resp : responses[round.id])
          if (resp.audience == a) ++n;
        counts.push_back(n);
      }
      auto published = ev::suppress_counts(round.audiences, counts, opts);
      if (!published) return published.status();
      rr.respondents = std::move(published).value();
      r.responses.push_back(std::move(rr));
    }
    if (rounds.empty()) note(r, "surveys", "no_data", "No survey round has been sent to this cohort.");

    // Before/after: the first baseline round and the latest later round of
    // the same questionnaire.
    const core::SurveyRound* before = nullptr;
    for (const auto& round : rounds)
      if (round.phase == core::RoundPhase::kBaseline && (!before || round.opens_on < before->opens_on)) before = &round;
    const core::SurveyRound* after = nullptr;
    if (before) {
      for (const auto& round : rounds) {
        if (round.questionnaireid != before->questionnaireid || round.phase == core::RoundPhase::kBaseline) continue;
        if (!after || static_cast<int>(round.phase) > static_cast<int>(after->phase) ||
            (round.phase == after->phase && round.opens_on >= after->opens_on))
          after = &round;
      }
    }
    if (!before || !after || !questionnaires.count(before->questionnaireid)) {
      note(r, "survey_change", "no_data",
           "The cohort has no baseline round followed by a later round of the same questionnaire.");
    } else {
      const core::Questionnaire& qn = questionnaires[before->questionnaireid];
      std::map<std::int64_t, const core::SurveyResponse*> before_by_person;
      for (const auto& resp : responses[before->id]) before_by_person[resp.accountid] = &resp;
      for (const auto& audience : after->audiences) {
        if (std::find(before->audiences.begin(), before->audiences.end(), audience) == before->audiences.end())
          continue;
        for (const auto& q : qn.questions) {
          if (!core::is_numeric(q.kind)) continue;
          std::vector<double> xs, ys;
          for (const auto& resp : responses[after->id]) {
            if (resp.audience != audience) continue;
            auto it = before_by_person.find(resp.accountid);
            if (it == before_by_person.end() || it->second->audience != audience) continue;
            auto x = number_answer(*it->second, q.key), y = number_answer(resp, q.key);
            if (x && y) {
              xs.push_back(*x);
              ys.push_back(*y);
            }
          }
          QuestionChange c;
          c.audience = audience;
          c.key = q.key;
          c.text = q.text;
          c.after_phase = after->phase;
          c.pairs = publish_single(static_cast<std::int64_t>(xs.size()), threshold);
          if (static_cast<std::int64_t>(xs.size()) < threshold) {
            c.withheld_reason = "too_few_people";
          } else {
            auto a = ev::analyse_paired(xs, ys);
            if (a)
              c.analysis = *a;
            else
              c.withheld_reason = a.status().reason();
          }
          r.survey_change.push_back(std::move(c));
        }
      }
    }

    // Comparison with the comparator cohort at the same phase.
    if (r.comparator) {
      const core::SurveyRound* current = latest_round(rounds);
      const auto comp_rounds = rounds_of(*all_rounds, r.comparator->id);
      const core::SurveyRound* previous = current ? latest_round(comp_rounds, current->phase) : nullptr;
      if (!current || !previous) {
        note(r, "comparison", "no_data", "The two cohorts have no survey rounds of the same phase to compare.");
      } else {
        MENTORING_RETURN_IF_ERROR(load(*previous));
        if (questionnaires.count(current->questionnaireid) && questionnaires.count(previous->questionnaireid)) {
          const core::Questionnaire& qa = questionnaires[current->questionnaireid];
          const core::Questionnaire& qb = questionnaires[previous->questionnaireid];
          for (const auto& audience : current->audiences) {
            if (std::find(previous->audiences.begin(), previous->audiences.end(), audience) ==
                previous->audiences.end())
              continue;
            for (const auto& q : qa.questions) {
              const core::Question* other = qb.find(q.key);
              if (!core::is_numeric(q.kind) || !other || other->kind != q.kind) continue;
              auto scores = [&](const core::SurveyRound& round) {
                std::vector<double> v;
                for (const auto& resp : responses[round.id])
                  if (resp.audience == audience)
                    if (auto x = number_answer(resp, q.key)) v.push_back(*x);
                return v;
              };
              const auto xs = scores(*current), ys = scores(*previous);
              QuestionComparison c;
              c.audience = audience;
              c.key = q.key;
              c.text = q.text;
              c.phase = current->phase;
              c.current_n = publish_single(static_cast<std::int64_t>(xs.size()), threshold);
              c.comparator_n = publish_single(static_cast<std::int64_t>(ys.size()), threshold);
              if (static_cast<std::int64_t>(xs.size()) < threshold ||
                  static_cast<std::int64_t>(ys.size()) < threshold) {
                c.withheld_reason = "too_few_people";
              } else {
                auto cmp = ev::compare_cohorts(xs, ys);
                if (cmp)
                  c.comparison = *cmp;
                else
                  c.withheld_reason = cmp.status().reason();
              }
              r.comparison.push_back(std::move(c));
            }
          }
        }
      }
    }

    // Outcomes.
    auto outcomes = outcome_section(s, schemeid, r.cohort, threshold);
    if (!outcomes) return outcomes.status();
    r.outcomes = std::move(outcomes).value();
    if (r.comparator) {
      auto comp = outcome_section(s, schemeid, *r.comparator, threshold);
      if (!comp) return comp.status();
      r.comparator_outcomes = std::move(comp).value();
    }

    // SMART objectives, by their deadlines.
    auto objectives = s.objectives.list_by_scheme(schemeid);
    if (!objectives) return objectives.status();
    for (const auto& o : *objectives) {
      auto latest = s.objectives.latest_measurement(o.id);
      if (!latest) return latest.status();
      ObjectiveLine line;
      line.objective = o;
      line.latest = *latest;
      line.progress = core::progress(o, *latest ? std::optional<double>((*latest)->value) : std::nullopt, today);
      line.deadline_passed = today > o.deadline;
      r.objectives.push_back(std::move(line));
    }
    if (objectives->empty()) note(r, "objectives", "no_data", "The scheme has no SMART objectives.");

    // Business-as-usual readiness from the records kept here.
    auto governance = s.governance.list(schemeid);
    if (!governance) return governance.status();
    auto modules = s.training.list_modules(schemeid);
    if (!modules) return modules.status();
    const core::GovernanceGaps gaps = core::governance_gaps(*governance, today);
    r.readiness.phase = r.scheme.phase;
    r.readiness.unassigned = gaps.unassigned;
    r.readiness.overdue = gaps.overdue;
    r.readiness.smart_objectives = objectives->size();
    r.readiness.training_modules = modules->size();
    auto bau = readiness_in(s, r.scheme, today);
    if (!bau) return bau.status();
    r.readiness.unmet = std::move(bau->unmet);
    r.readiness.per_pair = bau->per_pair;
    r.readiness.funding_ends_on = bau->plan.funding_ends_on;
    return r;
  });
  if (!built) return built.status();
  EvaluationReport r = std::move(built).value();

  // Aggregates kept elsewhere: only counts cross these ports.
  auto engagement = engagement_.counts(schemeid, cohortid);
  if (!engagement) return engagement.status();
  if (!*engagement) {
    note(r, "engagement", "not_yet_available", "Matching and meeting figures are not yet available.");
  } else {
    const core::EngagementCounts& c = **engagement;
    auto matched = ev::suppress_rates({ev::GroupCounts{"all", c.mentees_matched, c.mentees_enrolled}}, opts);
    if (!matched) return matched.status();
    EngagementSection e;
    e.matched = std::move(matched).value();
    e.pairings_completed = publish_single(c.pairings_completed, threshold);
    e.meetings_held = publish_single(c.meetings_held, threshold);
    r.engagement = std::move(e);
  }
  auto breakdowns = demographics_.breakdowns(schemeid, cohortid);
  if (!breakdowns) return breakdowns.status();
  if (!*breakdowns) {
    note(r, "equity", "not_yet_available", "Figures by demographic group are not yet available.");
  } else {
    for (const auto& b : **breakdowns) {
      auto rates = ev::suppress_rates(b.groups, opts);
      if (!rates) return rates.status();
      r.equity.push_back(EquityBreakdown{b.dimension, b.measure, std::move(rates).value()});
    }
  }
  return r;
}

}  // namespace mentoring::app
