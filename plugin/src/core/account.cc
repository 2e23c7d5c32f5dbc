#include "core/account.h"

#include "core/text.h"

namespace mentoring::core {

const char* to_string(AccountStatus s) {
  return s == AccountStatus::kSuspended ? "suspended" : "active";
}

bool parse_account_status(const std::string& s, AccountStatus& out) {
  if (s == "active") { out = AccountStatus::kActive; return true; }
  if (s == "suspended") { out = AccountStatus::kSuspended; return true; }
  return false;
}

Status validate(const AccountInput& in) {
  if (in.platform.empty())
    return Status::invalid("account_platform_required", "The account's platform (issuer) is missing.", "platform");
  if (in.platform.size() > kMaxPlatformLength || !is_printable_ascii(in.platform))
    return Status::invalid("account_platform_invalid",
                           "The platform must be printable ASCII of at most 1024 characters.", "platform");
  if (in.subject.empty())
    return Status::invalid("account_subject_required", "The account's subject is missing.", "subject");
  if (in.subject.size() > kMaxSubjectLength || !is_printable_ascii(in.subject))
    return Status::invalid("account_subject_invalid",
                           "The subject must be printable ASCII of at most 255 characters.", "subject");
  if (in.display_name.size() > kMaxDisplayNameLength || !is_valid_utf8_text(in.display_name))
    return Status::invalid("account_name_invalid",
                           "The name must be text of at most 200 characters, without control characters.",
                           "display_name");
  if (!in.email.empty() && (in.email.size() > kMaxEmailLength || !looks_like_email(in.email)))
    return Status::invalid("account_email_invalid", "The email address is not valid.", "email");
  return Status::ok();
}

}  // namespace mentoring::core
