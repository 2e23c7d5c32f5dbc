// Runs a function that produces a value inside one Database transaction and
// hands the value out: the transaction commits only when the function
// succeeds, so a failed command leaves nothing behind.
#pragma once

#include <optional>

#include "core/stores.h"

namespace mentoring::app {

template <typename T, typename Fn>
core::Result<T> in_transaction(core::Database& db, Fn&& fn) {
  std::optional<T> out;
  core::Status st = db.transact([&](core::Stores& stores) -> core::Status {
    core::Result<T> r = fn(stores);
    if (!r) return r.status();
    out.emplace(std::move(r).value());
    return core::Status::ok();
  });
  if (!st) return st;
  return std::move(*out);
}

}  // namespace mentoring::app
