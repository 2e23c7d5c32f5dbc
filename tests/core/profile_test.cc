#include "core/profile.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace mentoring::core {
namespace {

Date d(const char* s) { return *Date::parse(s); }
const Date kToday = d("2026-05-01");

MenteeProfile mentee() {
  MenteeProfile p;
  p.accountid = 4;
  p.career_stage = CareerStage::kFy1;
  p.specialty = "";
  p.site = "Royal Liverpool University Hospital";
  p.region = "Mersey";
  p.goals = "Decide between anaesthetics and emergency medicine, and build a portfolio for CT1 applications.";
  p.transition_points = {TransitionPoint::kChoosingSpecialty, TransitionPoint::kRecruitmentAndCv};
  p.topics = {"Anaesthetics", "portfolio"};
  p.languages = {"en"};
  return p;
}

MentorProfile mentor() {
  MentorProfile p;
  p.accountid = 9;
  p.career_stage = CareerStage::kSt4;
  p.specialty = "Anaesthetics";
  p.region = "Mersey";
  p.expertise_areas = {"Exams", "Anaesthetics"};
  p.capacity = 2;
  p.languages = {"en", "ur"};
  p.bio = "ST4 in anaesthetics; I took time out for research and came back.";
  return p;
}

TEST(CareerStageTest, NamesRoundTripAndLabelsReadInSentences) {
  const std::vector<CareerStage> all = {
      CareerStage::kMedicalStudent, CareerStage::kFy1, CareerStage::kFy2, CareerStage::kCt1, CareerStage::kCt2,
      CareerStage::kCt3, CareerStage::kSt1, CareerStage::kSt2, CareerStage::kSt3, CareerStage::kSt4,
      CareerStage::kSt5, CareerStage::kSt6, CareerStage::kSt7, CareerStage::kSt8, CareerStage::kSas,
      CareerStage::kConsultant, CareerStage::kGp, CareerStage::kOther};
  std::set<std::string> names;
  for (auto s : all) {
    EXPECT_EQ(parse_career_stage(to_string(s)), s);
    names.insert(to_string(s));
  }
  EXPECT_EQ(names.size(), all.size());
  EXPECT_STREQ(to_string(CareerStage::kMedicalStudent), "medical_student");
  EXPECT_STREQ(career_stage_label(CareerStage::kFy2), "FY2");
  EXPECT_STREQ(career_stage_group(CareerStage::kFy1), "FY1 doctors");
  EXPECT_STREQ(career_stage_group(CareerStage::kConsultant), "consultants");
  EXPECT_FALSE(parse_career_stage("FY1").has_value()) << "stored names are lower-case";
}

TEST(CareerStageTest, RanksFollowTrainingWithCoreAndRunThroughLevel) {
  auto rank = [](CareerStage s) { return *career_stage_rank(s); };
  EXPECT_LT(rank(CareerStage::kMedicalStudent), rank(CareerStage::kFy1));
  EXPECT_LT(rank(CareerStage::kFy1), rank(CareerStage::kFy2));
  EXPECT_LT(rank(CareerStage::kFy2), rank(CareerStage::kCt1));
  EXPECT_EQ(rank(CareerStage::kCt1), rank(CareerStage::kSt1));
  EXPECT_EQ(rank(CareerStage::kCt3), rank(CareerStage::kSt3));
  EXPECT_LT(rank(CareerStage::kSt3), rank(CareerStage::kSt4));
  EXPECT_LT(rank(CareerStage::kSt8), rank(CareerStage::kConsultant));
  EXPECT_EQ(rank(CareerStage::kConsultant), rank(CareerStage::kGp));
  EXPECT_FALSE(career_stage_rank(CareerStage::kOther).has_value());
}

TEST(TransitionPointTest, AllTenRoundTrip) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(TransitionPoint::kNewToUkPractice); ++i) {
    auto t = static_cast<TransitionPoint>(i);
    EXPECT_EQ(parse_transition_point(to_string(t)), t);
    names.insert(to_string(t));
  }
  EXPECT_EQ(names.size(), 10u);
  EXPECT_EQ(parse_transition_point("preparing_for_cct"), TransitionPoint::kPreparingForCct);
  EXPECT_EQ(parse_location_preference("remote"), LocationPreference::kRemote);
  EXPECT_EQ(parse_meeting_mode("in_person"), MeetingMode::kInPerson);
  EXPECT_FALSE(parse_meeting_mode("zoom").has_value());
}

TEST(KeywordTest, NormalisesCaseSpacesAndDuplicates) {
  auto k = normalise_keywords({"  Work-Life   Balance ", "work-life balance", "", "  ", "EXAMS", "Exams"}, 10, "topics");
  ASSERT_TRUE(k.is_ok());
  EXPECT_EQ(*k, (std::vector<std::string>{"work-life balance", "exams"}));
}

TEST(KeywordTest, RefusesTooManyOrTooLongKeywordsNamingTheField) {
  std::vector<std::string> many;
  for (int i = 0; i < 11; ++i) many.push_back("topic " + std::to_string(i));
  auto k = normalise_keywords(many, 10, "topics");
  EXPECT_EQ(k.status().reason(), "topics_too_many");
  EXPECT_EQ(k.status().field(), "topics");
  many.pop_back();
  EXPECT_TRUE(normalise_keywords(many, 10, "topics").is_ok());
  k = normalise_keywords({"ok", std::string(41, 'x')}, 10, "expertise_areas");
  EXPECT_EQ(k.status().reason(), "expertise_areas_invalid");
  EXPECT_EQ(k.status().message(), "Keyword 2 is longer than 40 characters.");
  EXPECT_EQ(normalise_keywords({"two\nlines"}, 10, "topics").status().reason(), "topics_invalid");
}

// Debian's iso-codes package is an independent list of the ISO 639-1 codes.
TEST(LanguageTest, AcceptsExactlyTheIso639_1CodesDebianLists) {
  std::ifstream in("/usr/share/iso-codes/json/iso_639-2.json");
  if (!in) GTEST_SKIP() << "iso-codes is not installed";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string json = ss.str();
  std::set<std::string> codes;
  const std::regex re("\"alpha_2\"\\s*:\\s*\"([a-z]{2})\"");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), re); it != std::sregex_iterator(); ++it)
    codes.insert((*it)[1]);
  ASSERT_GT(codes.size(), 180u);
  for (char a = 'a'; a <= 'z'; ++a)
    for (char b = 'a'; b <= 'z'; ++b) {
      const std::string c{a, b};
      EXPECT_EQ(is_iso639_1(c), codes.contains(c)) << c;
    }
  EXPECT_FALSE(is_iso639_1("EN"));
  EXPECT_FALSE(is_iso639_1("eng"));
  EXPECT_FALSE(is_iso639_1(""));
}

TEST(LanguageTest, NormalisesAndRefusesUnknownCodes) {
  auto l = normalise_languages({" EN", "cy", "en", ""});
  ASSERT_TRUE(l.is_ok());
  EXPECT_EQ(*l, (std::vector<std::string>{"en", "cy"}));
  l = normalise_languages({"en", "xx"});
  EXPECT_EQ(l.status().reason(), "languages_invalid");
  EXPECT_EQ(l.status().message(), "Choose languages from the list; 'xx' is not a two-letter ISO 639-1 code.");
  EXPECT_EQ(normalise_languages({"english"}).status().reason(), "languages_invalid");
  EXPECT_EQ(normalise_languages({"en", "cy", "ur", "pa", "hi", "bn", "ar", "pl", "ro", "fr", "de"}).status().reason(),
            "languages_too_many");
}

TEST(MenteeProfileTest, AcceptsAndNormalisesAProfile) {
  auto p = mentee();
  p.goals = "  " + p.goals + "\n";
  p.transition_points.push_back(TransitionPoint::kChoosingSpecialty);
  p.languages = {"EN", "en"};
  auto r = validate_mentee_profile(p);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->topics, (std::vector<std::string>{"anaesthetics", "portfolio"}));
  EXPECT_EQ(r->languages, std::vector<std::string>{"en"});
  EXPECT_EQ(r->transition_points.size(), 2u);
  EXPECT_EQ(r->goals.front(), 'D');
  EXPECT_EQ(r->goals.back(), '.');
}

TEST(MenteeProfileTest, RefusesEachBadFieldByName) {
  struct Case { void (*mutate)(MenteeProfile&); const char* reason; const char* field; };
  const Case cases[] = {
      {[](MenteeProfile& p) { p.accountid = 0; }, "profile_account_required", "accountid"},
      {[](MenteeProfile& p) { p.specialty = std::string(101, 'a'); }, "specialty_invalid", "specialty"},
      {[](MenteeProfile& p) { p.site = "a\x01b"; }, "site_invalid", "site"},
      {[](MenteeProfile& p) { p.region = "North\nWest"; }, "region_invalid", "region"},
      {[](MenteeProfile& p) { p.goals = " "; }, "goals_required", "goals"},
      {[](MenteeProfile& p) { p.goals = "Exams"; }, "goals_too_short", "goals"},
      {[](MenteeProfile& p) { p.goals = std::string(2001, 'g'); }, "goals_invalid", "goals"},
      {[](MenteeProfile& p) { p.hopes = std::string("bad \xC0\x80 utf8"); }, "hopes_invalid", "hopes"},
      {[](MenteeProfile& p) { p.topics.assign(11, ""); for (int i = 0; i < 11; ++i) p.topics[i] = std::to_string(i); },
       "topics_too_many", "topics"},
      {[](MenteeProfile& p) { p.languages = {"zz"}; }, "languages_invalid", "languages"},
      {[](MenteeProfile& p) { p.availability = std::string(501, 'a'); }, "availability_invalid", "availability"},
  };
  for (const auto& c : cases) {
    auto p = mentee();
    c.mutate(p);
    auto r = validate_mentee_profile(p);
    EXPECT_EQ(r.status().reason(), c.reason);
    EXPECT_EQ(r.status().field(), c.field) << c.reason;
    EXPECT_FALSE(r.status().message().empty());
  }
  auto p = mentee();
  p.hopes = "Someone to talk to.\nAnd honest feedback.";
  EXPECT_TRUE(validate_mentee_profile(p).is_ok()) << "hopes may span lines";
}

TEST(MentorProfileTest, AcceptsAndNormalisesAProfile) {
  auto r = validate_mentor_profile(mentor(), kToday);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->expertise_areas, (std::vector<std::string>{"exams", "anaesthetics"}));
}

TEST(MentorProfileTest, CapacityIsOneToTen) {
  auto p = mentor();
  for (int c : {0, -1, 11}) {
    p.capacity = c;
    EXPECT_EQ(validate_mentor_profile(p, kToday).status().reason(), "capacity_invalid") << c;
  }
  for (int c : {1, 10}) {
    p.capacity = c;
    EXPECT_TRUE(validate_mentor_profile(p, kToday).is_ok()) << c;
  }
}

TEST(MentorProfileTest, AwayUntilIsDroppedWhenPastAndLimitedToAYear) {
  auto p = mentor();
  p.away_until = d("2026-04-30");
  auto r = validate_mentor_profile(p, kToday);
  ASSERT_TRUE(r.is_ok());
  EXPECT_FALSE(r->away_until.has_value());
  p.away_until = kToday.plus_days(366);
  EXPECT_TRUE(validate_mentor_profile(p, kToday).is_ok());
  p.away_until = kToday.plus_days(367);
  EXPECT_EQ(validate_mentor_profile(p, kToday).status().reason(), "away_until_too_far");
}

TEST(MentorProfileTest, NeedsABioAndValidFields) {
  auto p = mentor();
  p.bio = "  ";
  EXPECT_EQ(validate_mentor_profile(p, kToday).status().reason(), "bio_required");
  p.bio = std::string(2001, 'b');
  EXPECT_EQ(validate_mentor_profile(p, kToday).status().reason(), "bio_invalid");
  p = mentor();
  p.expertise_areas.assign(16, "");
  for (int i = 0; i < 16; ++i) p.expertise_areas[i] = "area " + std::to_string(i);
  EXPECT_EQ(validate_mentor_profile(p, kToday).status().reason(), "expertise_areas_too_many");
  p = mentor();
  p.accountid = 0;
  EXPECT_EQ(validate_mentor_profile(p, kToday).status().reason(), "profile_account_required");
}

TEST(MentorProfileTest, AvailableAfterTheAwayDate) {
  auto p = mentor();
  EXPECT_TRUE(is_available(p, kToday));
  p.away_until = kToday;
  EXPECT_FALSE(is_available(p, kToday)) << "away up to and including the date";
  EXPECT_TRUE(is_available(p, kToday.plus_days(1)));
}

}  // namespace
}  // namespace mentoring::core
