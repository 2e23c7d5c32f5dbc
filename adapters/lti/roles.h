// LIS roles as sent in the LTI 1.3 roles claim
// (https://purl.imsglobal.org/spec/lti/claim/roles), normalised.
//
// Three vocabularies (LTI Core 1.3, appendix A.2):
//   context roles      http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor
//   context sub-roles  http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant
//   institution roles  http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator
//   system roles       http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin
//                      http://purl.imsglobal.org/vocab/lti/system/person#TestUser
// Also accepted, because platforms still send them:
//   - the simple names "Learner", "Instructor", ... which LTI 1.3 deprecates
//     but allows for context roles only;
//   - the LTI 1.1 URNs urn:lti:role:ims/lis/Instructor (context),
//     urn:lti:instrole:ims/lis/Faculty (institution),
//     urn:lti:sysrole:ims/lis/SysAdmin (system), and the context sub-role
//     form urn:lti:role:ims/lis/Instructor/TeachingAssistant.
// Anything else is not an error: it is kept verbatim in unrecognised().
//
// Role names are matched case-sensitively, as the vocabularies define them.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mentoring::lti {

enum class ContextRole {
  kAdministrator,
  kContentDeveloper,
  kInstructor,
  kLearner,
  kManager,
  kMember,
  kMentor,
  kOfficer,
};

enum class InstitutionRole {
  kAdministrator,
  kAlumni,
  kFaculty,
  kGuest,
  kInstructor,
  kLearner,
  kMember,
  kMentor,
  kNone,
  kObserver,
  kOther,
  kProspectiveStudent,
  kStaff,
  kStudent,
};

enum class SystemRole {
  kAccountAdmin,
  kAdministrator,
  kCreator,
  kNone,
  kSysAdmin,
  kSysSupport,
  kTestUser,
  kUser,
};

// A context sub-role such as Instructor#TeachingAssistant: the principal
// role and the sub-role's name ("TeachingAssistant"), which is kept as a
// string because the sub-role vocabulary is long and grows.
struct ContextSubRole {
  ContextRole principal;
  std::string name;
  auto operator<=>(const ContextSubRole&) const = default;
};

class RoleSet {
 public:
  // True when the principal role itself was sent (full URI, simple name or
  // LTI 1.1 URN). A sub-role alone does NOT count: a TeachingAssistant is
  // not made an Instructor by this class. Use has_any() for "the principal
  // role or any of its sub-roles".
  bool has(ContextRole role) const { return context_.count(role) > 0; }
  bool has(InstitutionRole role) const { return institution_.count(role) > 0; }
  bool has(SystemRole role) const { return system_.count(role) > 0; }
  bool has_sub_role(ContextRole principal, std::string_view name) const;
  bool has_any(ContextRole principal) const;

  const std::set<ContextRole>& context_roles() const { return context_; }
  const std::set<ContextSubRole>& context_sub_roles() const { return sub_roles_; }
  const std::set<InstitutionRole>& institution_roles() const { return institution_; }
  const std::set<SystemRole>& system_roles() const { return system_; }
  // Roles sent that match none of the vocabularies above, in the order sent.
  const std::vector<std::string>& unrecognised() const { return unrecognised_; }

  // Nothing recognised was sent (unrecognised roles may exist).
  bool empty() const {
    return context_.empty() && sub_roles_.empty() && institution_.empty() && system_.empty();
  }

 private:
  friend RoleSet parse_roles(const std::vector<std::string>& roles);
  std::set<ContextRole> context_;
  std::set<ContextSubRole> sub_roles_;
  std::set<InstitutionRole> institution_;
  std::set<SystemRole> system_;
  std::vector<std::string> unrecognised_;
};

// Normalises the roles claim's strings. Never fails.
RoleSet parse_roles(const std::vector<std::string>& roles);

// The LIS v2 URI of each role, e.g.
// "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
// (TestUser: "http://purl.imsglobal.org/vocab/lti/system/person#TestUser").
std::string role_uri(ContextRole role);
std::string role_uri(InstitutionRole role);
std::string role_uri(SystemRole role);

}  // namespace mentoring::lti
