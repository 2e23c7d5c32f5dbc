#include "core/eligibility.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

MenteeFacts fy(CareerStage stage) {
  MenteeFacts f;
  f.career_stage = stage;
  f.specialty = "";
  f.region = "Mersey";
  return f;
}

TEST(MenteeEligibilityTest, AnEmptyAudienceTakesEveryone) {
  EXPECT_TRUE(check_mentee_eligibility(TargetAudience{}, fy(CareerStage::kSt6)).is_ok());
  EXPECT_TRUE(check_mentee_eligibility(TargetAudience{}, fy(CareerStage::kOther)).is_ok());
}

TEST(MenteeEligibilityTest, CareerStageRefusalNamesTheRuleAndTheirStage) {
  TargetAudience a;
  a.career_stages = {CareerStage::kFy1};
  EXPECT_TRUE(check_mentee_eligibility(a, fy(CareerStage::kFy1)).is_ok());
  Status st = check_mentee_eligibility(a, fy(CareerStage::kFy2));
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_EQ(st.reason(), "not_eligible_career_stage");
  EXPECT_EQ(st.field(), "career_stage");
  EXPECT_EQ(st.message(), "This scheme is for FY1 doctors; your career stage is FY2.");

  a.career_stages = {CareerStage::kMedicalStudent, CareerStage::kFy1, CareerStage::kFy2};
  EXPECT_EQ(check_mentee_eligibility(a, fy(CareerStage::kCt1)).message(),
            "This scheme is for medical students, FY1 doctors and FY2 doctors; your career stage is CT1.");
}

TEST(MenteeEligibilityTest, SpecialtyIsMatchedIgnoringCaseAndSpaces) {
  TargetAudience a;
  a.specialties = {"General surgery", "Trauma and orthopaedics"};
  auto m = fy(CareerStage::kCt2);
  m.specialty = "  general SURGERY ";
  EXPECT_TRUE(check_mentee_eligibility(a, m).is_ok());
  m.specialty = "Cardiology";
  Status st = check_mentee_eligibility(a, m);
  EXPECT_EQ(st.reason(), "not_eligible_specialty");
  EXPECT_EQ(st.message(),
            "This scheme is for doctors in General surgery or Trauma and orthopaedics; your specialty is Cardiology.");
  m.specialty = "";
  EXPECT_EQ(check_mentee_eligibility(a, m).reason(), "specialty_required_for_eligibility");
}

TEST(MenteeEligibilityTest, RegionOrTrustMustBeOneOfTheListed) {
  TargetAudience a;
  a.regions = {"Mersey", "Cheshire"};
  EXPECT_TRUE(check_mentee_eligibility(a, fy(CareerStage::kFy1)).is_ok());
  auto m = fy(CareerStage::kFy1);
  m.region = "London";
  Status st = check_mentee_eligibility(a, m);
  EXPECT_EQ(st.reason(), "not_eligible_region");
  EXPECT_EQ(st.field(), "region");
  EXPECT_EQ(st.message(), "This scheme is for doctors in Mersey or Cheshire; your region is London.");
  m.region = " ";
  EXPECT_EQ(check_mentee_eligibility(a, m).reason(), "region_required_for_eligibility");
}

TEST(MenteeEligibilityTest, FlagsRestrictToTheToolkitsExampleGroups) {
  TargetAudience a;
  a.img_new_to_uk_only = true;
  auto m = fy(CareerStage::kFy1);
  EXPECT_EQ(check_mentee_eligibility(a, m).reason(), "not_eligible_new_to_uk");
  m.new_to_uk_practice = true;
  EXPECT_TRUE(check_mentee_eligibility(a, m).is_ok());

  a = {};
  a.returning_from_time_out_only = true;
  EXPECT_EQ(check_mentee_eligibility(a, m).reason(), "not_eligible_returning");
  m.returning_from_time_out = true;
  EXPECT_TRUE(check_mentee_eligibility(a, m).is_ok());

  a = {};
  a.widening_participation_only = true;
  EXPECT_EQ(check_mentee_eligibility(a, m).reason(), "not_eligible_widening_participation");
  m.widening_participation = true;
  EXPECT_TRUE(check_mentee_eligibility(a, m).is_ok());
}

TEST(MenteeEligibilityTest, RulesAreCheckedInDocumentedOrder) {
  TargetAudience a;
  a.career_stages = {CareerStage::kFy1};
  a.regions = {"Wessex"};
  a.img_new_to_uk_only = true;
  EXPECT_EQ(check_mentee_eligibility(a, fy(CareerStage::kFy2)).reason(), "not_eligible_career_stage");
  EXPECT_EQ(check_mentee_eligibility(a, fy(CareerStage::kFy1)).reason(), "not_eligible_region");
}

TEST(MenteeEligibilityTest, FactsComeFromTheProfilesTransitionPoints) {
  MenteeProfile p;
  p.career_stage = CareerStage::kSt3;
  p.specialty = "Paediatrics";
  p.region = "Wessex";
  p.transition_points = {TransitionPoint::kNewToUkPractice, TransitionPoint::kReturningToTraining};
  MenteeFacts f = mentee_facts(p, true);
  EXPECT_EQ(f.career_stage, CareerStage::kSt3);
  EXPECT_EQ(f.specialty, "Paediatrics");
  EXPECT_EQ(f.region, "Wessex");
  EXPECT_TRUE(f.new_to_uk_practice);
  EXPECT_TRUE(f.returning_from_time_out);
  EXPECT_TRUE(f.widening_participation);
  p.transition_points = {TransitionPoint::kTimeOutOfTraining};
  f = mentee_facts(p, false);
  EXPECT_FALSE(f.new_to_uk_practice);
  EXPECT_FALSE(f.returning_from_time_out) << "still out of training, not yet returning";
  EXPECT_FALSE(f.widening_participation);
}

TEST(MenteeEligibilityTest, ValidatesTheAudience) {
  TargetAudience a;
  a.career_stages = {CareerStage::kFy1, CareerStage::kFy1};
  EXPECT_EQ(validate(a).reason(), "audience_stage_duplicate");
  a = {};
  a.specialties = {"Surgery", " "};
  EXPECT_EQ(validate(a).reason(), "audience_specialty_invalid");
  a = {};
  a.regions.assign(101, "Region");
  EXPECT_EQ(validate(a).reason(), "audience_too_many_entries");
  a = {};
  a.regions = {"Mersey", "Cheshire"};
  EXPECT_TRUE(validate(a).is_ok());
}

TEST(MentorEligibilityTest, MinimumStageAndRegion) {
  MentorEligibility r;
  r.minimum_stage = CareerStage::kSt3;
  r.regions = {"Mersey"};
  MentorFacts m{CareerStage::kCt3, "", "Mersey"};
  EXPECT_TRUE(check_mentor_eligibility(r, m).is_ok()) << "CT3 is level with ST3";
  m.career_stage = CareerStage::kFy2;
  Status st = check_mentor_eligibility(r, m);
  EXPECT_EQ(st.reason(), "mentor_not_eligible_career_stage");
  EXPECT_EQ(st.message(), "This scheme's mentors must be ST3 or more senior; your career stage is FY2.");
  m.career_stage = CareerStage::kConsultant;
  m.region = "Wessex";
  st = check_mentor_eligibility(r, m);
  EXPECT_EQ(st.reason(), "mentor_not_eligible_region");
  EXPECT_EQ(st.message(), "This scheme is for mentors in Mersey; your region is Wessex.");
}

TEST(MentorEligibilityTest, OtherProfessionsOnlyWhenAllowed) {
  MentorEligibility r;
  r.minimum_stage = CareerStage::kSt3;
  MentorFacts m{CareerStage::kOther, "", ""};
  EXPECT_TRUE(check_mentor_eligibility(r, m).is_ok());
  r.other_professions_allowed = false;
  EXPECT_EQ(check_mentor_eligibility(r, m).reason(), "mentor_not_eligible_other_profession");
}

TEST(MentorEligibilityTest, NearPeerGapIsOneToThreeStages) {
  const MentorEligibility r = default_mentor_eligibility(SchemeType::kNearPeer);
  EXPECT_TRUE(check_mentor_for_mentee(r, CareerStage::kFy2, CareerStage::kFy1).is_ok());
  EXPECT_TRUE(check_mentor_for_mentee(r, CareerStage::kSt2, CareerStage::kFy1).is_ok());
  Status st = check_mentor_for_mentee(r, CareerStage::kFy1, CareerStage::kFy1);
  EXPECT_EQ(st.reason(), "mentor_not_senior_enough");
  EXPECT_EQ(st.message(), "Mentors in this scheme must be at least 1 stage above their mentee; an FY1 cannot mentor an FY1.");
  st = check_mentor_for_mentee(r, CareerStage::kConsultant, CareerStage::kFy1);
  EXPECT_EQ(st.reason(), "mentor_too_senior");
  EXPECT_EQ(st.message(), "Mentors in this scheme are at most 3 stages above their mentee; a consultant cannot mentor an FY1.");
  EXPECT_EQ(check_mentor_for_mentee(r, CareerStage::kCt1, CareerStage::kSt1).reason(), "mentor_not_senior_enough")
      << "CT1 and ST1 are the same level";
}

TEST(MentorEligibilityTest, DefaultsFollowTheSchemeType) {
  auto t = default_mentor_eligibility(SchemeType::kTraditional);
  EXPECT_EQ(t.min_stages_above_mentee, 2);
  EXPECT_FALSE(t.max_stages_above_mentee.has_value());
  EXPECT_TRUE(check_mentor_for_mentee(t, CareerStage::kConsultant, CareerStage::kFy1).is_ok());
  EXPECT_EQ(check_mentor_for_mentee(t, CareerStage::kFy2, CareerStage::kFy1).reason(), "mentor_not_senior_enough");
  auto rev = default_mentor_eligibility(SchemeType::kReverse);
  EXPECT_TRUE(check_mentor_for_mentee(rev, CareerStage::kFy1, CareerStage::kConsultant).is_ok());
  EXPECT_TRUE(validate(t).is_ok());
  EXPECT_TRUE(validate(default_mentor_eligibility(SchemeType::kNearPeer)).is_ok());
}

TEST(MentorEligibilityTest, UnrankedStagesUnderAGapRule) {
  auto r = default_mentor_eligibility(SchemeType::kTraditional);
  EXPECT_TRUE(check_mentor_for_mentee(r, CareerStage::kOther, CareerStage::kFy1).is_ok());
  EXPECT_EQ(check_mentor_for_mentee(r, CareerStage::kConsultant, CareerStage::kOther).reason(),
            "mentor_stage_not_comparable");
  r.other_professions_allowed = false;
  EXPECT_EQ(check_mentor_for_mentee(r, CareerStage::kOther, CareerStage::kFy1).reason(),
            "mentor_stage_not_comparable");
}

TEST(MentorEligibilityTest, ValidatesTheRules) {
  MentorEligibility r;
  r.min_stages_above_mentee = -1;
  EXPECT_EQ(validate(r).reason(), "mentor_rule_gap_invalid");
  r.min_stages_above_mentee = 3;
  r.max_stages_above_mentee = 2;
  EXPECT_EQ(validate(r).reason(), "mentor_rule_gap_invalid");
  EXPECT_EQ(validate(r).field(), "max_stages_above_mentee");
  r = {};
  r.minimum_stage = CareerStage::kOther;
  EXPECT_EQ(validate(r).reason(), "mentor_rule_minimum_is_other");
}

}  // namespace
}  // namespace mentoring::core
