// The plugin's capabilities, named like Moodle's ("component/area:action").
// A session carries the capabilities its launch earned (see
// adapters/lti/role_mapping.h); pages and API calls check them.
#pragma once

#include <string_view>

namespace mentoring::core::capability {

// Mentee: take part as a mentee (profile, choose a mentor, agreement, check-ins).
inline constexpr std::string_view kMenteeParticipate = "mentoring/mentee:participate";
// Mentor: take part as a mentor.
inline constexpr std::string_view kMentorParticipate = "mentoring/mentor:participate";
// Staff: set up schemes and cohorts.
inline constexpr std::string_view kSchemeManage = "mentoring/scheme:manage";
// Staff: assign mentors to mentees.
inline constexpr std::string_view kPairingAssign = "mentoring/pairing:assign";
// Staff: see evaluation reports (aggregated).
inline constexpr std::string_view kEvaluationView = "mentoring/evaluation:view";
// Read what mentees marked confidential. Never given by default: only an
// explicit per-deployment role mapping grants it.
inline constexpr std::string_view kConfidentialView = "mentoring/confidential:view";

// True for a name of the form above: "mentoring/" then [a-z_]+ ":" [a-z_]+.
bool is_valid_capability(std::string_view name);

}  // namespace mentoring::core::capability
