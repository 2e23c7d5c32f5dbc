// Host accounts. The plugin never owns identities: a person is the account the
// host portal already has, named by the LTI issuer (`platform`) and the
// platform's stable `subject`. There is never a password.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core {

enum class AccountStatus { kActive, kSuspended };
const char* to_string(AccountStatus s);
bool parse_account_status(const std::string& s, AccountStatus& out);

struct Account {
  std::int64_t id = 0;
  std::string platform;      // LTI `iss`, e.g. "https://portal.example.nhs.uk"
  std::string subject;       // LTI `sub`, stable per platform
  std::string display_name;  // from the `name` claim or the host's webhook
  std::string email;         // may be empty when the host does not share it
  AccountStatus status = AccountStatus::kActive;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// What a host says about a person; validated before it is stored.
struct AccountInput {
  std::string platform;
  std::string subject;
  std::string display_name;
  std::string email;
};

// Limits on the fields (bytes). The LTI spec allows `sub` up to 255 ASCII characters.
inline constexpr std::size_t kMaxPlatformLength = 1024;
inline constexpr std::size_t kMaxSubjectLength = 255;
inline constexpr std::size_t kMaxDisplayNameLength = 200;
inline constexpr std::size_t kMaxEmailLength = 254;

// Checks every field; the first problem found is returned with its field name.
Status validate(const AccountInput& input);

}  // namespace mentoring::core
