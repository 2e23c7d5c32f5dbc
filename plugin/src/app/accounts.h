// Use cases on host accounts. Each call is one transaction.
#pragma once

#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::app {

class Accounts {
 public:
  Accounts(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Creates or refreshes the account the host names by (platform, subject).
  core::Result<core::Account> upsert(const core::AccountInput& input);
  core::Result<core::Account> get(std::int64_t id);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
