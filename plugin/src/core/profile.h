// Mentee and mentor profiles: what each side says about themselves so they
// can be matched "on shared interest" (toolkit, "Matching") and so eligibility
// can be checked (toolkit, "Mentees": "Who is the target audience").
//
// The `validate_*` functions normalise as they check (trim text, lower-case
// and de-duplicate topics and language codes) and return the profile to store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::core {

enum class CareerStage {
  kMedicalStudent, kFy1, kFy2,
  kCt1, kCt2, kCt3,
  kSt1, kSt2, kSt3, kSt4, kSt5, kSt6, kSt7, kSt8,
  kSas, kConsultant, kGp, kOther,
};
// "medical_student", "fy1", "fy2", "ct1".."ct3", "st1".."st8", "sas",
// "consultant", "gp", "other".
const char* to_string(CareerStage v);
std::optional<CareerStage> parse_career_stage(std::string_view s);
// As written in a sentence: "medical student", "FY1", "ST3", "SAS doctor",
// "consultant", "GP", "other role".
const char* career_stage_label(CareerStage v);
// Plural for audiences: "medical students", "FY1 doctors", "consultants".
const char* career_stage_group(CareerStage v);

// Seniority for comparing stages, approximately by years since graduation:
// medical student 0, FY1 1, FY2 2, CT1/ST1 3, CT2/ST2 4, CT3/ST3 5, ST4 and
// SAS 6, ST5 7, ST6 8, ST7 9, ST8 10, consultant and GP 11. Core and
// run-through training of the same year are level. `other` (including other
// professions) has no rank.
std::optional<int> career_stage_rank(CareerStage v);

// Career transition points the toolkit names (plus returning to training and
// new to UK practice, which it singles out under workloads and audiences).
enum class TransitionPoint {
  kFirstClinicalPlacement,
  kFirstPost,
  kChoosingSpecialty,
  kRecruitmentAndCv,
  kExaminations,
  kTimeOutOfTraining,
  kReturningToTraining,
  kIncreasedResponsibility,
  kPreparingForCct,
  kNewToUkPractice,
};
// "first_clinical_placement", "first_post", "choosing_specialty",
// "recruitment_and_cv", "examinations", "time_out_of_training",
// "returning_to_training", "increased_responsibility", "preparing_for_cct",
// "new_to_uk_practice".
const char* to_string(TransitionPoint v);
std::optional<TransitionPoint> parse_transition_point(std::string_view s);

// Geography (toolkit, Mentors: "Geography"): a mentor from the same
// organisation or area, or from anywhere.
enum class LocationPreference { kNoPreference, kLocal, kRemote };
const char* to_string(LocationPreference v);  // "no_preference", "local", "remote"
std::optional<LocationPreference> parse_location_preference(std::string_view s);

enum class MeetingMode { kNoPreference, kInPerson, kVirtual };
const char* to_string(MeetingMode v);  // "no_preference", "in_person", "virtual"
std::optional<MeetingMode> parse_meeting_mode(std::string_view s);

inline constexpr std::size_t kMaxSpecialtyLength = 100;
inline constexpr std::size_t kMaxSiteLength = 200;
inline constexpr std::size_t kMaxRegionLength = 200;
inline constexpr std::size_t kMaxGoalsLength = 2000;
inline constexpr std::size_t kMinGoalsLength = 20;
inline constexpr std::size_t kMaxHopesLength = 2000;
inline constexpr std::size_t kMaxAvailabilityLength = 500;
inline constexpr std::size_t kMaxBioLength = 2000;
inline constexpr std::size_t kMaxTopics = 10;
inline constexpr std::size_t kMaxExpertiseAreas = 15;
inline constexpr std::size_t kMaxKeywordLength = 40;
inline constexpr std::size_t kMaxLanguages = 10;
inline constexpr int kMinMentorCapacity = 1;
inline constexpr int kMaxMentorCapacity = 10;
inline constexpr int kMaxAwayDays = 366;

struct MenteeProfile {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  CareerStage career_stage = CareerStage::kFy1;
  std::string specialty;  // may be empty (medical students, foundation doctors)
  std::string site;       // hospital or practice, optional
  std::string region;     // region, deanery, trust or health board
  std::string goals;      // required: what the mentee wants to work on
  std::string hopes;      // optional: what they hope to get out of mentoring
  std::vector<TransitionPoint> transition_points;
  std::vector<std::string> topics;     // keywords for matching: lower-case, unique
  LocationPreference location_preference = LocationPreference::kNoPreference;
  MeetingMode meeting_mode = MeetingMode::kNoPreference;
  std::vector<std::string> languages;  // ISO 639-1 codes, lower-case, unique
  std::string availability;            // "Weekday evenings after 6pm"
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct MentorProfile {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  CareerStage career_stage = CareerStage::kConsultant;
  std::string specialty;
  std::string site;
  std::string region;
  std::vector<std::string> expertise_areas;  // keywords: lower-case, unique
  int capacity = 1;                          // how many mentees at once, 1..10
  std::optional<Date> away_until;            // not available up to and including this day
  std::vector<std::string> languages;
  std::string bio;                           // shown to mentees under mentee choice
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// Keywords as stored: each trimmed, inner white space collapsed to one space,
// ASCII lower-cased, empty ones dropped, duplicates removed (first kept).
// Refuses (reason `<field>_too_many`, `<field>_invalid`) more than `max_count`
// or any longer than kMaxKeywordLength bytes or not one line of text.
Result<std::vector<std::string>> normalise_keywords(const std::vector<std::string>& keywords, std::size_t max_count,
                                                    std::string_view field);

// Whether `code` is an ISO 639-1 two-letter language code (lower-case).
bool is_iso639_1(std::string_view code);
// Lower-cases, trims and de-duplicates; refuses unknown codes
// (languages_invalid, naming the code) and more than kMaxLanguages
// (languages_too_many).
Result<std::vector<std::string>> normalise_languages(const std::vector<std::string>& codes);

// Reasons: profile_account_required, specialty_invalid, site_invalid,
// region_invalid, goals_required, goals_too_short, goals_invalid,
// hopes_invalid, topics_too_many, topics_invalid (repeated transition
// points are dropped), languages_too_many, languages_invalid, availability_invalid.
Result<MenteeProfile> validate_mentee_profile(MenteeProfile profile);

// Reasons: profile_account_required, specialty_invalid, site_invalid,
// region_invalid, expertise_areas_too_many, expertise_areas_invalid,
// capacity_invalid, away_until_too_far, languages_*, bio_required,
// bio_invalid. An away_until already past is dropped.
Result<MentorProfile> validate_mentor_profile(MentorProfile profile, Date today);

// Whether the mentor can take mentees on `today` (not away).
bool is_available(const MentorProfile& mentor, Date today);

}  // namespace mentoring::core
