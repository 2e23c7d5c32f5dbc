#include "core/profile.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace mentoring::core {
namespace {

constexpr std::array<CareerStage, 18> kAllStages = {
    CareerStage::kMedicalStudent, CareerStage::kFy1, CareerStage::kFy2, CareerStage::kCt1,
    CareerStage::kCt2, CareerStage::kCt3, CareerStage::kSt1, CareerStage::kSt2,
    CareerStage::kSt3, CareerStage::kSt4, CareerStage::kSt5, CareerStage::kSt6,
    CareerStage::kSt7, CareerStage::kSt8, CareerStage::kSas, CareerStage::kConsultant,
    CareerStage::kGp, CareerStage::kOther};

constexpr std::array<TransitionPoint, 10> kAllTransitionPoints = {
    TransitionPoint::kFirstClinicalPlacement, TransitionPoint::kFirstPost,
    TransitionPoint::kChoosingSpecialty, TransitionPoint::kRecruitmentAndCv,
    TransitionPoint::kExaminations, TransitionPoint::kTimeOutOfTraining,
    TransitionPoint::kReturningToTraining, TransitionPoint::kIncreasedResponsibility,
    TransitionPoint::kPreparingForCct, TransitionPoint::kNewToUkPractice};

// ISO 639-1, as listed by Debian's iso-codes (iso_639-2.json alpha_2), sorted.
constexpr std::array<std::string_view, 184> kIso639_1 = {
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm",
    "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee",
    "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu",
    "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is",
    "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw",
    "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms",
    "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os",
    "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl",
    "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
    "yo", "za", "zh", "zu"};

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Trims and collapses runs of ASCII white space inside to one space.
std::string squash(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// A trimmed one-line optional field of at most `max` bytes.
Status check_line(std::string& value, std::size_t max, const char* field, const char* reason, const char* message) {
  value = trim(value);
  if (value.size() > max || !is_valid_utf8_text(value)) return Status::invalid(reason, message, field);
  return Status::ok();
}

Status check_text(std::string& value, std::size_t max, const char* field, const char* reason, const char* message) {
  value = trim(value);
  if (value.size() > max || !is_valid_utf8_text(value, /*multiline=*/true))
    return Status::invalid(reason, message, field);
  return Status::ok();
}

Status check_place(std::string& specialty, std::string& site, std::string& region) {
  MENTORING_RETURN_IF_ERROR(check_line(specialty, kMaxSpecialtyLength, "specialty", "specialty_invalid",
                                       "The specialty must be one line of at most 100 characters."));
  MENTORING_RETURN_IF_ERROR(check_line(site, kMaxSiteLength, "site", "site_invalid",
                                       "The site must be one line of at most 200 characters."));
  MENTORING_RETURN_IF_ERROR(check_line(region, kMaxRegionLength, "region", "region_invalid",
                                       "The region or trust must be one line of at most 200 characters."));
  return Status::ok();
}

}  // namespace

const char* to_string(CareerStage v) {
  switch (v) {
    case CareerStage::kMedicalStudent: return "medical_student";
    case CareerStage::kFy1: return "fy1";
    case CareerStage::kFy2: return "fy2";
    case CareerStage::kCt1: return "ct1";
    case CareerStage::kCt2: return "ct2";
    case CareerStage::kCt3: return "ct3";
    case CareerStage::kSt1: return "st1";
    case CareerStage::kSt2: return "st2";
    case CareerStage::kSt3: return "st3";
    case CareerStage::kSt4: return "st4";
    case CareerStage::kSt5: return "st5";
    case CareerStage::kSt6: return "st6";
    case CareerStage::kSt7: return "st7";
    case CareerStage::kSt8: return "st8";
    case CareerStage::kSas: return "sas";
    case CareerStage::kConsultant: return "consultant";
    case CareerStage::kGp: return "gp";
    case CareerStage::kOther: return "other";
  }
  return "other";
}

std::optional<CareerStage> parse_career_stage(std::string_view s) {
  for (auto v : kAllStages)
    if (s == to_string(v)) return v;
  return std::nullopt;
}

const char* career_stage_label(CareerStage v) {
  switch (v) {
    case CareerStage::kMedicalStudent: return "medical student";
    case CareerStage::kFy1: return "FY1";
    case CareerStage::kFy2: return "FY2";
    case CareerStage::kCt1: return "CT1";
    case CareerStage::kCt2: return "CT2";
    case CareerStage::kCt3: return "CT3";
    case CareerStage::kSt1: return "ST1";
    case CareerStage::kSt2: return "ST2";
    case CareerStage::kSt3: return "ST3";
    case CareerStage::kSt4: return "ST4";
    case CareerStage::kSt5: return "ST5";
    case CareerStage::kSt6: return "ST6";
    case CareerStage::kSt7: return "ST7";
    case CareerStage::kSt8: return "ST8";
    case CareerStage::kSas: return "SAS doctor";
    case CareerStage::kConsultant: return "consultant";
    case CareerStage::kGp: return "GP";
    case CareerStage::kOther: return "other role";
  }
  return "other role";
}

const char* career_stage_group(CareerStage v) {
  switch (v) {
    case CareerStage::kMedicalStudent: return "medical students";
    case CareerStage::kFy1: return "FY1 doctors";
    case CareerStage::kFy2: return "FY2 doctors";
    case CareerStage::kCt1: return "CT1 doctors";
    case CareerStage::kCt2: return "CT2 doctors";
    case CareerStage::kCt3: return "CT3 doctors";
    case CareerStage::kSt1: return "ST1 doctors";
    case CareerStage::kSt2: return "ST2 doctors";
    case CareerStage::kSt3: return "ST3 doctors";
    case CareerStage::kSt4: return "ST4 doctors";
    case CareerStage::kSt5: return "ST5 doctors";
    case CareerStage::kSt6: return "ST6 doctors";
    case CareerStage::kSt7: return "ST7 doctors";
    case CareerStage::kSt8: return "ST8 doctors";
    case CareerStage::kSas: return "SAS doctors";
    case CareerStage::kConsultant: return "consultants";
    case CareerStage::kGp: return "GPs";
    case CareerStage::kOther: return "other roles";
  }
  return "other roles";
}

std::optional<int> career_stage_rank(CareerStage v) {
  switch (v) {
    case CareerStage::kMedicalStudent: return 0;
    case CareerStage::kFy1: return 1;
    case CareerStage::kFy2: return 2;
    case CareerStage::kCt1: case CareerStage::kSt1: return 3;
    case CareerStage::kCt2: case CareerStage::kSt2: return 4;
    case CareerStage::kCt3: case CareerStage::kSt3: return 5;
    case CareerStage::kSt4: case CareerStage::kSas: return 6;
    case CareerStage::kSt5: return 7;
    case CareerStage::kSt6: return 8;
    case CareerStage::kSt7: return 9;
    case CareerStage::kSt8: return 10;
    case CareerStage::kConsultant: case CareerStage::kGp: return 11;
    case CareerStage::kOther: return std::nullopt;
  }
  return std::nullopt;
}

const char* to_string(TransitionPoint v) {
  switch (v) {
    case TransitionPoint::kFirstClinicalPlacement: return "first_clinical_placement";
    case TransitionPoint::kFirstPost: return "first_post";
    case TransitionPoint::kChoosingSpecialty: return "choosing_specialty";
    case TransitionPoint::kRecruitmentAndCv: return "recruitment_and_cv";
    case TransitionPoint::kExaminations: return "examinations";
    case TransitionPoint::kTimeOutOfTraining: return "time_out_of_training";
    case TransitionPoint::kReturningToTraining: return "returning_to_training";
    case TransitionPoint::kIncreasedResponsibility: return "increased_responsibility";
    case TransitionPoint::kPreparingForCct: return "preparing_for_cct";
    case TransitionPoint::kNewToUkPractice: return "new_to_uk_practice";
  }
  return "first_post";
}

std::optional<TransitionPoint> parse_transition_point(std::string_view s) {
  for (auto v : kAllTransitionPoints)
    if (s == to_string(v)) return v;
  return std::nullopt;
}

const char* to_string(LocationPreference v) {
  switch (v) {
    case LocationPreference::kNoPreference: return "no_preference";
    case LocationPreference::kLocal: return "local";
    case LocationPreference::kRemote: return "remote";
  }
  return "no_preference";
}

std::optional<LocationPreference> parse_location_preference(std::string_view s) {
  for (auto v : {LocationPreference::kNoPreference, LocationPreference::kLocal, LocationPreference::kRemote})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

const char* to_string(MeetingMode v) {
  switch (v) {
    case MeetingMode::kNoPreference: return "no_preference";
    case MeetingMode::kInPerson: return "in_person";
    case MeetingMode::kVirtual: return "virtual";
  }
  return "no_preference";
}

std::optional<MeetingMode> parse_meeting_mode(std::string_view s) {
  for (auto v : {MeetingMode::kNoPreference, MeetingMode::kInPerson, MeetingMode::kVirtual})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

Result<std::vector<std::string>> normalise_keywords(const std::vector<std::string>& keywords, std::size_t max_count,
                                                    std::string_view field) {
  const std::string f(field);
  std::vector<std::string> out;
  std::size_t position = 0;
  for (const auto& raw : keywords) {
    ++position;
    if (!is_valid_utf8_text(raw, /*multiline=*/false))
      return Status::invalid(f + "_invalid", "Each keyword must be a short piece of text on one line.", f);
    std::string k = lower_ascii(squash(raw));
    if (k.empty()) continue;
    if (k.size() > kMaxKeywordLength)
      return Status::invalid(f + "_invalid",
                             "Keyword " + std::to_string(position) + " is longer than 40 characters.", f);
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(std::move(k));
  }
  if (out.size() > max_count)
    return Status::invalid(f + "_too_many", "Give at most " + std::to_string(max_count) + " keywords.", f);
  return out;
}

bool is_iso639_1(std::string_view code) {
  return std::binary_search(kIso639_1.begin(), kIso639_1.end(), code);
}

Result<std::vector<std::string>> normalise_languages(const std::vector<std::string>& codes) {
  std::vector<std::string> out;
  for (const auto& raw : codes) {
    const std::string c = lower_ascii(trim(raw));
    if (c.empty()) continue;
    if (!is_iso639_1(c)) {
      const std::string shown = is_printable_ascii(c) && c.size() <= 10 ? "'" + c + "'" : "a value";
      return Status::invalid("languages_invalid",
                             "Choose languages from the list; " + shown + " is not a two-letter ISO 639-1 code.",
                             "languages");
    }
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  if (out.size() > kMaxLanguages)
    return Status::invalid("languages_too_many", "Give at most 10 languages.", "languages");
  return out;
}

Result<MenteeProfile> validate_mentee_profile(MenteeProfile p) {
  if (p.accountid <= 0)
    return Status::invalid("profile_account_required", "Say whose profile this is.", "accountid");
  MENTORING_RETURN_IF_ERROR(check_place(p.specialty, p.site, p.region));
  p.goals = trim(p.goals);
  if (p.goals.empty())
    return Status::invalid("goals_required", "Say what you would like to work on with a mentor.", "goals");
  MENTORING_RETURN_IF_ERROR(check_text(p.goals, kMaxGoalsLength, "goals", "goals_invalid",
                                       "Your goals must be text of at most 2,000 characters."));
  if (p.goals.size() < kMinGoalsLength)
    return Status::invalid("goals_too_short",
                           "Say a little more about your goals (at least 20 characters) so a mentor can be found.",
                           "goals");
  MENTORING_RETURN_IF_ERROR(check_text(p.hopes, kMaxHopesLength, "hopes", "hopes_invalid",
                                       "What you hope for must be text of at most 2,000 characters."));
  {
    std::vector<TransitionPoint> unique;
    for (auto t : p.transition_points)
      if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
    p.transition_points = std::move(unique);
  }
  auto topics = normalise_keywords(p.topics, kMaxTopics, "topics");
  if (!topics) return topics.status();
  p.topics = std::move(*topics);
  auto languages = normalise_languages(p.languages);
  if (!languages) return languages.status();
  p.languages = std::move(*languages);
  MENTORING_RETURN_IF_ERROR(check_text(p.availability, kMaxAvailabilityLength, "availability", "availability_invalid",
                                       "Your availability must be text of at most 500 characters."));
  return p;
}

Result<MentorProfile> validate_mentor_profile(MentorProfile p, Date today) {
  if (p.accountid <= 0)
    return Status::invalid("profile_account_required", "Say whose profile this is.", "accountid");
  MENTORING_RETURN_IF_ERROR(check_place(p.specialty, p.site, p.region));
  auto areas = normalise_keywords(p.expertise_areas, kMaxExpertiseAreas, "expertise_areas");
  if (!areas) return areas.status();
  p.expertise_areas = std::move(*areas);
  if (p.capacity < kMinMentorCapacity || p.capacity > kMaxMentorCapacity)
    return Status::invalid("capacity_invalid", "You can mentor between 1 and 10 mentees at a time.", "capacity");
  if (p.away_until && *p.away_until < today) p.away_until.reset();
  if (p.away_until && p.away_until->days_since_epoch() - today.days_since_epoch() > kMaxAwayDays)
    return Status::invalid("away_until_too_far",
                           "You can mark yourself away for up to a year; withdraw from the scheme for longer.",
                           "away_until");
  auto languages = normalise_languages(p.languages);
  if (!languages) return languages.status();
  p.languages = std::move(*languages);
  p.bio = trim(p.bio);
  if (p.bio.empty())
    return Status::invalid("bio_required", "Write a short introduction so mentees know who you are.", "bio");
  MENTORING_RETURN_IF_ERROR(check_text(p.bio, kMaxBioLength, "bio", "bio_invalid",
                                       "Your introduction must be text of at most 2,000 characters."));
  return p;
}

bool is_available(const MentorProfile& mentor, Date today) {
  return !mentor.away_until || *mentor.away_until < today;
}

}  // namespace mentoring::core
