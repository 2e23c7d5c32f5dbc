#include "adapters/lti/roles.h"

#include <array>
#include <optional>
#include <utility>

namespace mentoring::lti {
namespace {

constexpr std::string_view kMembership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
constexpr std::string_view kMembershipSub = "http://purl.imsglobal.org/vocab/lis/v2/membership/";
constexpr std::string_view kInstitution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";
constexpr std::string_view kSystem = "http://purl.imsglobal.org/vocab/lis/v2/system/person#";
constexpr std::string_view kLtiSystem = "http://purl.imsglobal.org/vocab/lti/system/person#";
constexpr std::string_view kUrnContext = "urn:lti:role:ims/lis/";
constexpr std::string_view kUrnInstitution = "urn:lti:instrole:ims/lis/";
constexpr std::string_view kUrnSystem = "urn:lti:sysrole:ims/lis/";

constexpr std::array<std::pair<std::string_view, ContextRole>, 8> kContextNames{{
    {"Administrator", ContextRole::kAdministrator},
    {"ContentDeveloper", ContextRole::kContentDeveloper},
    {"Instructor", ContextRole::kInstructor},
    {"Learner", ContextRole::kLearner},
    {"Manager", ContextRole::kManager},
    {"Member", ContextRole::kMember},
    {"Mentor", ContextRole::kMentor},
    {"Officer", ContextRole::kOfficer},
}};

constexpr std::array<std::pair<std::string_view, InstitutionRole>, 14> kInstitutionNames{{
    {"Administrator", InstitutionRole::kAdministrator},
    {"Alumni", InstitutionRole::kAlumni},
    {"Faculty", InstitutionRole::kFaculty},
    {"Guest", InstitutionRole::kGuest},
    {"Instructor", InstitutionRole::kInstructor},
    {"Learner", InstitutionRole::kLearner},
    {"Member", InstitutionRole::kMember},
    {"Mentor", InstitutionRole::kMentor},
    {"None", InstitutionRole::kNone},
    {"Observer", InstitutionRole::kObserver},
    {"Other", InstitutionRole::kOther},
    {"ProspectiveStudent", InstitutionRole::kProspectiveStudent},
    {"Staff", InstitutionRole::kStaff},
    {"Student", InstitutionRole::kStudent},
}};

// TestUser lives in the LTI vocabulary, the rest in LIS v2.
constexpr std::array<std::pair<std::string_view, SystemRole>, 7> kSystemNames{{
    {"AccountAdmin", SystemRole::kAccountAdmin},
    {"Administrator", SystemRole::kAdministrator},
    {"Creator", SystemRole::kCreator},
    {"None", SystemRole::kNone},
    {"SysAdmin", SystemRole::kSysAdmin},
    {"SysSupport", SystemRole::kSysSupport},
    {"User", SystemRole::kUser},
}};

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<std::string_view, Enum>, N>& table, std::string_view name) {
  for (const auto& [text, value] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<std::string_view, Enum>, N>& table, Enum value) {
  for (const auto& [text, v] : table) {
    if (v == value) return text;
  }
  return {};
}

bool strip_prefix(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// A sub-role name: letters only, as in the vocabulary ("TeachingAssistant").
bool plausible_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

}  // namespace

bool RoleSet::has_sub_role(ContextRole principal, std::string_view name) const {
  return sub_roles_.count(ContextSubRole{principal, std::string(name)}) > 0;
}

bool RoleSet::has_any(ContextRole principal) const {
  if (has(principal)) return true;
  for (const ContextSubRole& sub : sub_roles_) {
    if (sub.principal == principal) return true;
  }
  return false;
}

RoleSet parse_roles(const std::vector<std::string>& roles) {
  RoleSet set;
  for (const std::string& role : roles) {
    std::string_view s = role;
    bool recognised = false;
    if (strip_prefix(s, kMembership) || strip_prefix(s, kUrnContext)) {
      // "Instructor", or for the URN form also "Instructor/TeachingAssistant".
      std::size_t slash = s.find('/');
      if (slash == std::string_view::npos) {
        if (auto r = lookup(kContextNames, s)) {
          set.context_.insert(*r);
          recognised = true;
        }
      } else if (role.rfind(kUrnContext, 0) == 0) {
        auto principal = lookup(kContextNames, s.substr(0, slash));
        std::string_view sub = s.substr(slash + 1);
        if (principal && plausible_name(sub)) {
          set.sub_roles_.insert(ContextSubRole{*principal, std::string(sub)});
          recognised = true;
        }
      }
    } else if (strip_prefix(s, kMembershipSub)) {
      // "Instructor#TeachingAssistant"
      std::size_t hash = s.find('#');
      if (hash != std::string_view::npos) {
        auto principal = lookup(kContextNames, s.substr(0, hash));
        std::string_view sub = s.substr(hash + 1);
        if (principal && plausible_name(sub)) {
          set.sub_roles_.insert(ContextSubRole{*principal, std::string(sub)});
          recognised = true;
        }
      }
    } else if (strip_prefix(s, kInstitution) || strip_prefix(s, kUrnInstitution)) {
      if (auto r = lookup(kInstitutionNames, s)) {
        set.institution_.insert(*r);
        recognised = true;
      }
    } else if (strip_prefix(s, kSystem) || strip_prefix(s, kUrnSystem)) {
      if (auto r = lookup(kSystemNames, s)) {
        set.system_.insert(*r);
        recognised = true;
      }
    } else if (strip_prefix(s, kLtiSystem)) {
      if (s == "TestUser") {
        set.system_.insert(SystemRole::kTestUser);
        recognised = true;
      }
    } else if (auto r = lookup(kContextNames, s)) {
      // LTI 1.3 section A.2.3.1: simple names are deprecated context roles.
      set.context_.insert(*r);
      recognised = true;
    }
    if (!recognised) set.unrecognised_.push_back(role);
  }
  return set;
}

std::string role_uri(ContextRole role) {
  return std::string(kMembership) + std::string(name_of(kContextNames, role));
}

std::string role_uri(InstitutionRole role) {
  return std::string(kInstitution) + std::string(name_of(kInstitutionNames, role));
}

std::string role_uri(SystemRole role) {
  if (role == SystemRole::kTestUser) return std::string(kLtiSystem) + "TestUser";
  return std::string(kSystem) + std::string(name_of(kSystemNames, role));
}

}  // namespace mentoring::lti
