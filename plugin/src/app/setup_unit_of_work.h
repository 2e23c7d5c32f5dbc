// in_transaction (app/unit_of_work.h) for commands that also need the set-up
// stores: one transaction, committed only when the function succeeds.
#pragma once

#include <optional>

#include "core/setup_stores.h"

namespace mentoring::app {

template <typename T, typename Fn>
core::Result<T> in_setup_transaction(core::SetupDatabase& db, Fn&& fn) {
  std::optional<T> out;
  core::Status st = db.transact([&](core::Stores& stores, core::SetupStores& setup) -> core::Status {
    core::Result<T> r = fn(stores, setup);
    if (!r) return r.status();
    out.emplace(std::move(r).value());
    return core::Status::ok();
  });
  if (!st) return st;
  return std::move(*out);
}

// NotFound "scheme_not_found" unless scheme `id` exists; the scheme otherwise.
core::Result<core::Scheme> require_scheme(core::Stores& s, std::int64_t id);
// NotFound "account_not_found" unless account `id` exists.
core::Status require_account(core::Stores& s, std::int64_t id);

}  // namespace mentoring::app
