#include "adapters/lti/role_mapping.h"

#include <gtest/gtest.h>

#include "core/lti_capabilities.h"

namespace mentoring::lti {
namespace {

const std::string kMembership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
const std::string kInstitution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";

using Caps = std::vector<std::string>;
const Caps kStaff = {"mentoring/evaluation:view", "mentoring/pairing:assign", "mentoring/scheme:manage"};

TEST(RoleMappingTest, LearnerGetsMenteeCapabilitiesOnly) {
  EXPECT_EQ(capabilities_for_roles({kMembership + "Learner"}, {}), Caps{"mentoring/mentee:participate"});
  EXPECT_EQ(capabilities_for_roles({"Learner"}, {}), Caps{"mentoring/mentee:participate"});
  EXPECT_EQ(capabilities_for_roles({kInstitution + "Student"}, {}), Caps{"mentoring/mentee:participate"});
}

TEST(RoleMappingTest, MentorGetsMentorCapabilitiesOnly) {
  EXPECT_EQ(capabilities_for_roles({kMembership + "Mentor"}, {}), Caps{"mentoring/mentor:participate"});
}

TEST(RoleMappingTest, StaffRolesGetStaffCapabilitiesButNeverConfidentialView) {
  for (const std::string& role : {kMembership + "Instructor", kMembership + "Administrator",
                                  kMembership + "ContentDeveloper", kInstitution + "Administrator"}) {
    const Caps caps = capabilities_for_roles({role}, {});
    EXPECT_EQ(caps, kStaff) << role;
  }
}

TEST(RoleMappingTest, TeachingAssistantSubRoleAloneGivesNothing) {
  EXPECT_TRUE(capabilities_for_roles({kMembership + "Instructor#TeachingAssistant"}, {}).empty());
}

TEST(RoleMappingTest, UnknownOrNoRolesGiveNoCapabilities) {
  EXPECT_TRUE(capabilities_for_roles({}, {}).empty());
  EXPECT_TRUE(capabilities_for_roles({"http://example.org/roles#Wizard"}, {}).empty());
}

TEST(RoleMappingTest, ExplicitMappingAddsCapabilityOnlyForTheRoleSent) {
  std::vector<core::RoleMapping> mappings = {
      {1, 7, kInstitution + "Administrator", std::string(core::capability::kConfidentialView)}};
  Caps with = capabilities_for_roles({kInstitution + "Administrator"}, mappings);
  EXPECT_NE(std::find(with.begin(), with.end(), core::capability::kConfidentialView), with.end());
  Caps without = capabilities_for_roles({kMembership + "Instructor"}, mappings);
  EXPECT_EQ(without, kStaff);
}

TEST(RoleMappingTest, CombinedRolesAreMergedWithoutDuplicates) {
  Caps caps = capabilities_for_roles({kMembership + "Mentor", kMembership + "Learner", kMembership + "Mentor"}, {});
  EXPECT_EQ(caps, (Caps{"mentoring/mentee:participate", "mentoring/mentor:participate"}));
  EXPECT_EQ(primary_role_name(caps), "mentor");
  EXPECT_EQ(primary_role_name(kStaff), "staff");
  EXPECT_EQ(primary_role_name({}), "guest");
}

TEST(RoleMappingTest, CapabilityNamesAreChecked) {
  EXPECT_TRUE(core::capability::is_valid_capability("mentoring/confidential:view"));
  EXPECT_FALSE(core::capability::is_valid_capability("moodle/site:config"));
  EXPECT_FALSE(core::capability::is_valid_capability("mentoring/scheme"));
  EXPECT_FALSE(core::capability::is_valid_capability("mentoring/Scheme:manage"));
}

}  // namespace
}  // namespace mentoring::lti
