// From the LTI roles of a launch to the plugin's capabilities.
//
// Built-in defaults (LTI Core 1.3 appendix A.2 role names):
//   context Learner (or institution Learner/Student)      mentee capabilities
//   context Mentor (or institution Mentor)                 mentor capabilities
//   context Instructor, Administrator, ContentDeveloper, Manager, and
//   institution Administrator, Faculty, Staff, Instructor  staff capabilities:
//     mentoring/scheme:manage, mentoring/pairing:assign, mentoring/evaluation:view
// Sub-roles count as their principal (a TeachingAssistant is staff-like only
// through an explicit mapping: has_any() is not used for staff, so
// Instructor#TeachingAssistant alone gives nothing by default).
// mentoring/confidential:view is never a default: only a per-deployment
// RoleMapping row naming a role URI the platform sent grants it (or any other
// extra capability).
#pragma once

#include <string>
#include <vector>

#include "adapters/lti/roles.h"
#include "core/lti_stores.h"

namespace mentoring::lti {

// The capabilities for `roles` (the roles claim as sent) in a deployment with
// `mappings`, sorted and without duplicates. May be empty: a launch with no
// role we know signs the person in with no capabilities.
std::vector<std::string> capabilities_for_roles(const std::vector<std::string>& roles,
                                                const std::vector<core::RoleMapping>& mappings);

// A one-word summary for pages: "staff", "mentor", "mentee" or "guest".
std::string primary_role_name(const std::vector<std::string>& capabilities);

}  // namespace mentoring::lti
