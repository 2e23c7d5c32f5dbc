#include "synthetic_deanery.h"

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace mentoring::bench {

namespace {

using core::matching::LocationPreference;
using core::matching::MatchingInput;
using core::matching::MenteeInput;
using core::matching::MentorInput;

const std::vector<std::string> kTopics = {
    "teaching", "medical education", "leadership", "management", "research", "academic career",
    "quality improvement", "patient safety", "wellbeing", "burnout", "resilience", "work life balance",
    "less than full time training", "returning to training", "parental leave", "exam preparation",
    "MRCP exams", "MRCS exams", "MRCGP exams", "FRCA exams", "portfolio", "ARCP preparation",
    "career planning", "specialty application", "interview skills", "CV writing", "surgical skills",
    "procedural skills", "simulation", "communication skills", "difficult conversations", "feedback",
    "clinical reasoning", "global health", "out of programme experience", "international medical graduates",
    "differential attainment", "equality diversity and inclusion", "public health", "digital health",
    "artificial intelligence in medicine", "medical law and ethics", "health policy", "management consulting",
    "private practice", "consultant interview", "job planning", "rota management", "time management",
    "presentation skills", "publishing papers", "statistics", "grant applications", "PhD applications",
    "clinical audit", "guideline writing", "team working", "conflict resolution", "imposter syndrome",
    "neurodiversity", "disability support", "trainee representation", "rural practice", "remote and rural",
    "acute medicine", "intensive care", "emergency medicine", "paediatrics", "obstetrics", "psychiatry",
    "general practice", "radiology", "pathology", "dermatology", "ophthalmology", "oncology",
    "cardiology", "respiratory medicine", "gastroenterology", "geriatrics"};

const std::vector<std::string> kFiller = {
    "confidence", "support", "guidance", "advice", "experience", "develop", "improve", "learning",
    "progression", "training", "colleagues", "rotation", "hospital", "department", "patients", "skills",
    "future", "options", "plans", "goals", "challenges", "transition", "juggling", "commitments",
    "family", "sessions", "regular", "monthly", "honest", "perspective", "reflect", "growth",
    "opportunities", "networking", "mentorship", "role", "model", "aspire", "curious", "balance"};

const std::vector<std::string> kSpecialties = {
    "acute medicine", "anaesthetics", "cardiology", "clinical oncology", "dermatology", "emergency medicine",
    "gastroenterology", "general practice", "general surgery", "geriatric medicine", "haematology",
    "histopathology", "intensive care medicine", "neurology", "obstetrics and gynaecology", "ophthalmology",
    "paediatrics", "psychiatry", "public health", "radiology", "renal medicine", "respiratory medicine",
    "rheumatology", "trauma and orthopaedics", "urology", "vascular surgery", "plastic surgery",
    "ENT surgery", "neurosurgery", "palliative medicine"};

const std::vector<std::string> kRegions = {
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands", "East of England",
    "London", "Kent Surrey and Sussex", "Thames Valley", "Wessex", "South West", "Scotland", "Wales", "Northern Ireland"};

const std::vector<std::string> kLanguages = {"welsh", "urdu", "punjabi", "polish", "arabic", "hindi", "bengali", "gaelic"};

const std::vector<std::string> kPreferences = {"less than full time", "returned from parental leave", "carer",
                                               "international medical graduate", "changed specialty",
                                               "academic track"};

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {
    // Zipf-like popularity: a few topics are common, most are niche.
    std::vector<double> w;
    for (std::size_t i = 0; i < kTopics.size(); ++i) w.push_back(1.0 / std::pow(static_cast<double>(i) + 1.0, 0.8));
    topic_ = std::discrete_distribution<int>(w.begin(), w.end());
  }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  const std::string& topic() { return kTopics[topic_(rng_)]; }
  template <typename T>
  const T& any(const std::vector<T>& v) { return v[static_cast<std::size_t>(pick(0, static_cast<int>(v.size()) - 1))]; }

  std::string sentence(int topics, int filler) {
    std::string s;
    for (int i = 0; i < topics + filler; ++i) {
      if (!s.empty()) s += i % 4 == 0 ? ". I would like " : " and ";
      s += (i < topics) ? topic() : any(kFiller);
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
  std::discrete_distribution<int> topic_;
};

}  // namespace

MatchingInput synthetic_deanery(int mentees, int mentors, std::uint64_t seed) {
  Gen g(seed);
  MatchingInput in;
  in.mentors.reserve(static_cast<std::size_t>(mentors));
  in.mentees.reserve(static_cast<std::size_t>(mentees));
  for (int i = 0; i < mentors; ++i) {
    MentorInput m;
    m.id = 1000000 + i;
    for (int t = g.pick(3, 6); t > 0; --t) m.topics.push_back(g.topic());
    m.offer = "Happy to help with " + g.sentence(2, 4);
    m.specialty = g.any(kSpecialties);
    m.career_stage = g.pick(3, 14);
    const int region = g.pick(0, static_cast<int>(kRegions.size()) - 1);
    m.region = kRegions[region];
    m.site = kRegions[region] + " site " + std::to_string(g.pick(1, 12));
    m.meeting_modes = static_cast<unsigned>(g.chance(0.6) ? 3 : g.pick(1, 2));
    if (g.chance(0.2)) m.languages.push_back(g.any(kLanguages));
    if (g.chance(0.3)) m.attributes.push_back(g.any(kPreferences));
    m.capacity = g.pick(1, 4);
    m.current_mentees = g.chance(0.1) ? 1 : 0;
    m.training_in_date = g.chance(0.95);
    m.away = g.chance(0.03);
    m.eligible = g.chance(0.99);
    m.department = m.specialty + " / " + m.site;
    in.mentors.push_back(std::move(m));
  }
  for (int i = 0; i < mentees; ++i) {
    MenteeInput e;
    e.id = 1 + i;
    for (int t = g.pick(2, 5); t > 0; --t) e.topics.push_back(g.topic());
    e.goals = "I would like " + g.sentence(2, 6);
    e.specialty = g.chance(0.8) ? g.any(kSpecialties) : "";
    e.career_stage = g.pick(1, 8);
    const int region = g.pick(0, static_cast<int>(kRegions.size()) - 1);
    e.region = kRegions[region];
    e.site = kRegions[region] + " site " + std::to_string(g.pick(1, 12));
    const int loc = g.pick(0, 99);
    e.location_preference = loc < 50 ? LocationPreference::kNoPreference
                                     : (loc < 85 ? LocationPreference::kLocal : LocationPreference::kRemote);
    e.meeting_modes = static_cast<unsigned>(g.chance(0.7) ? 3 : g.pick(1, 2));
    if (g.chance(0.1)) e.languages.push_back(g.any(kLanguages));
    if (g.chance(0.15)) e.stated_preferences.push_back(g.any(kPreferences));
    e.eligible = g.chance(0.99);
    e.department = e.specialty + " / " + e.site;
    for (int s = 0; s < 2; ++s) e.supervisor_ids.push_back(1000000 + g.pick(0, mentors - 1));
    if (g.chance(0.01)) e.excluded_mentor_ids.push_back(1000000 + g.pick(0, mentors - 1));
    if (g.chance(0.01)) e.not_a_good_fit_mentor_ids.push_back(1000000 + g.pick(0, mentors - 1));
    in.mentees.push_back(std::move(e));
  }
  for (int i = 0; i < mentors / 100; ++i) {
    in.mentors[static_cast<std::size_t>(g.pick(0, mentors - 1))].excluded_mentee_ids.push_back(1 + g.pick(0, mentees - 1));
  }
  for (int i = 0; i < mentees / 1000; ++i) in.bans.push_back({1 + g.pick(0, mentees - 1), 1000000 + g.pick(0, mentors - 1)});
  return in;
}

}  // namespace mentoring::bench
