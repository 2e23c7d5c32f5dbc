#include "adapters/lti/roles.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mentoring::lti {
namespace {

const std::string kMembership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
const std::string kInstitution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";
const std::string kSystem = "http://purl.imsglobal.org/vocab/lis/v2/system/person#";

TEST(RolesTest, FullContextRoleUrisAreRecognised) {
  RoleSet roles = parse_roles({kMembership + "Learner", kMembership + "Mentor", kMembership + "Instructor",
                               kMembership + "Administrator", kMembership + "ContentDeveloper"});
  EXPECT_TRUE(roles.has(ContextRole::kLearner));
  EXPECT_TRUE(roles.has(ContextRole::kMentor));
  EXPECT_TRUE(roles.has(ContextRole::kInstructor));
  EXPECT_TRUE(roles.has(ContextRole::kAdministrator));
  EXPECT_TRUE(roles.has(ContextRole::kContentDeveloper));
  EXPECT_FALSE(roles.has(ContextRole::kManager));
  EXPECT_TRUE(roles.unrecognised().empty());
}

TEST(RolesTest, SubRoleIsKeptWithoutGrantingItsPrincipalRole) {
  RoleSet roles = parse_roles({"http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"});
  EXPECT_TRUE(roles.has_sub_role(ContextRole::kInstructor, "TeachingAssistant"));
  EXPECT_FALSE(roles.has_sub_role(ContextRole::kInstructor, "Grader"));
  EXPECT_FALSE(roles.has_sub_role(ContextRole::kLearner, "TeachingAssistant"));
  EXPECT_FALSE(roles.has(ContextRole::kInstructor));
  EXPECT_TRUE(roles.has_any(ContextRole::kInstructor));
  EXPECT_FALSE(roles.has_any(ContextRole::kLearner));
  EXPECT_TRUE(roles.unrecognised().empty());
}

TEST(RolesTest, InstitutionAndSystemRolesAreSeparateFromContextRoles) {
  RoleSet roles = parse_roles({kInstitution + "Administrator", kInstitution + "Faculty", kSystem + "SysAdmin",
                               "http://purl.imsglobal.org/vocab/lti/system/person#TestUser"});
  EXPECT_TRUE(roles.has(InstitutionRole::kAdministrator));
  EXPECT_TRUE(roles.has(InstitutionRole::kFaculty));
  EXPECT_TRUE(roles.has(SystemRole::kSysAdmin));
  EXPECT_TRUE(roles.has(SystemRole::kTestUser));
  // An institution administrator is not an administrator of this course.
  EXPECT_FALSE(roles.has(ContextRole::kAdministrator));
  EXPECT_FALSE(roles.has(SystemRole::kAdministrator));
  EXPECT_TRUE(roles.context_roles().empty());
}

TEST(RolesTest, DeprecatedSimpleNamesAreContextRoles) {
  RoleSet roles = parse_roles({"Learner", "Instructor", "Mentor"});
  EXPECT_TRUE(roles.has(ContextRole::kLearner));
  EXPECT_TRUE(roles.has(ContextRole::kInstructor));
  EXPECT_TRUE(roles.has(ContextRole::kMentor));
  EXPECT_TRUE(roles.institution_roles().empty());
  EXPECT_TRUE(roles.unrecognised().empty());
}

TEST(RolesTest, Lti11UrnsAreRecognised) {
  RoleSet roles = parse_roles({"urn:lti:role:ims/lis/Learner", "urn:lti:role:ims/lis/Instructor/TeachingAssistant",
                               "urn:lti:instrole:ims/lis/Staff", "urn:lti:sysrole:ims/lis/Administrator"});
  EXPECT_TRUE(roles.has(ContextRole::kLearner));
  EXPECT_TRUE(roles.has_sub_role(ContextRole::kInstructor, "TeachingAssistant"));
  EXPECT_TRUE(roles.has(InstitutionRole::kStaff));
  EXPECT_TRUE(roles.has(SystemRole::kAdministrator));
  EXPECT_TRUE(roles.unrecognised().empty());
}

TEST(RolesTest, UnknownRolesAreKeptAsSentAndIgnored) {
  std::vector<std::string> sent = {
      "http://example.com/roles#Registrar",
      kMembership + "learner",                       // names are case-sensitive
      kMembership + "Learner/Extra",                 // not the sub-role syntax
      "http://purl.imsglobal.org/vocab/lis/v2/membership/Wizard#Apprentice",
      kInstitution + "Wizard",
      "Student",                                     // an institution name, not a context one
      "",
  };
  RoleSet roles = parse_roles(sent);
  EXPECT_TRUE(roles.empty());
  EXPECT_EQ(roles.unrecognised(), sent);
}

TEST(RolesTest, RoleUrisRoundTrip) {
  for (ContextRole r : {ContextRole::kAdministrator, ContextRole::kContentDeveloper, ContextRole::kInstructor,
                        ContextRole::kLearner, ContextRole::kManager, ContextRole::kMember, ContextRole::kMentor,
                        ContextRole::kOfficer}) {
    RoleSet roles = parse_roles({role_uri(r)});
    EXPECT_TRUE(roles.has(r)) << role_uri(r);
    EXPECT_EQ(roles.context_roles().size(), 1u);
  }
  EXPECT_EQ(role_uri(ContextRole::kMentor), kMembership + "Mentor");
  EXPECT_EQ(role_uri(InstitutionRole::kAdministrator), kInstitution + "Administrator");
  EXPECT_TRUE(parse_roles({role_uri(SystemRole::kTestUser)}).has(SystemRole::kTestUser));
  EXPECT_TRUE(parse_roles({role_uri(InstitutionRole::kProspectiveStudent)}).has(InstitutionRole::kProspectiveStudent));
}

}  // namespace
}  // namespace mentoring::lti
