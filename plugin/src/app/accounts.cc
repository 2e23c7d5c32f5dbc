#include "app/accounts.h"

#include "app/unit_of_work.h"

namespace mentoring::app {
using core::Account;
using core::Result;
using core::Status;

Result<Account> Accounts::upsert(const core::AccountInput& input) {
  if (Status st = core::validate(input); !st) return st;
  return in_transaction<Account>(db_, [&](core::Stores& s) { return s.accounts.upsert(input, clock_.now()); });
}

Result<Account> Accounts::get(std::int64_t id) {
  return in_transaction<Account>(db_, [&](core::Stores& s) -> Result<Account> {
    auto found = s.accounts.find(id);
    if (!found) return found.status();
    if (!found->has_value()) return Status::not_found("account_not_found", "There is no account with that id.");
    return **found;
  });
}

}  // namespace mentoring::app
