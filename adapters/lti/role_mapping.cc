#include "adapters/lti/role_mapping.h"

#include <algorithm>
#include <set>

#include "core/lti_capabilities.h"

namespace mentoring::lti {
namespace cap = core::capability;

std::vector<std::string> capabilities_for_roles(const std::vector<std::string>& roles,
                                                const std::vector<core::RoleMapping>& mappings) {
  const RoleSet set = parse_roles(roles);
  std::set<std::string> out;
  const bool learner = set.has(ContextRole::kLearner) || set.has(InstitutionRole::kLearner) ||
                       set.has(InstitutionRole::kStudent);
  const bool mentor = set.has(ContextRole::kMentor) || set.has(InstitutionRole::kMentor);
  const bool staff = set.has(ContextRole::kInstructor) || set.has(ContextRole::kAdministrator) ||
                     set.has(ContextRole::kContentDeveloper) || set.has(ContextRole::kManager) ||
                     set.has(InstitutionRole::kAdministrator) || set.has(InstitutionRole::kFaculty) ||
                     set.has(InstitutionRole::kStaff) || set.has(InstitutionRole::kInstructor);
  if (learner) out.emplace(cap::kMenteeParticipate);
  if (mentor) out.emplace(cap::kMentorParticipate);
  if (staff) {
    out.emplace(cap::kSchemeManage);
    out.emplace(cap::kPairingAssign);
    out.emplace(cap::kEvaluationView);
  }
  const std::set<std::string> sent(roles.begin(), roles.end());
  for (const auto& m : mappings)
    if (sent.count(m.lti_role) > 0 && cap::is_valid_capability(m.capability)) out.insert(m.capability);
  return {out.begin(), out.end()};
}

std::string primary_role_name(const std::vector<std::string>& capabilities) {
  auto has = [&](std::string_view c) {
    return std::find(capabilities.begin(), capabilities.end(), c) != capabilities.end();
  };
  if (has(cap::kSchemeManage) || has(cap::kPairingAssign)) return "staff";
  if (has(cap::kMentorParticipate)) return "mentor";
  if (has(cap::kMenteeParticipate)) return "mentee";
  return "guest";
}

}  // namespace mentoring::lti
