// The tool's own RSA signing keys: created on first start, published at
// GET /lti/jwks, rotated with overlap.
//
// Key life: active (signs, published) -> previous (published only, so
// platforms holding tokens signed with it can still check them) -> retired
// (kept for the record, not published). rotate() makes a new active key and
// turns the old active key into a previous one; retire_previous() ends the
// overlap. The private keys are stored as unencrypted PKCS#8 PEM in the
// database (docs/lti.md says so).
#pragma once

#include <boost/json/object.hpp>
#include <mutex>
#include <string>

#include "adapters/lti/jose.h"

#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::lti {

class ToolKeys {
 public:
  ToolKeys(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Creates a 2048-bit key when there is no active one. Safe when several
  // instances start together (a unique index allows one active key; the
  // loser reads the winner's). Returns the active kid.
  core::Result<std::string> ensure_key() const;
  // {"keys":[...]}: the public JWKs of the active and previous keys.
  core::Result<boost::json::object> public_jwks() const;
  // A new active key; the old active key becomes previous. Returns the new kid.
  core::Result<std::string> rotate() const;
  // Previous keys become retired (no longer published). Returns how many.
  core::Result<std::int64_t> retire_previous() const;
  // Signs `claims` with the active key (RS256, header kid = the key's kid,
  // typ = "JWT"): client assertions, Deep Linking responses. The parsed key
  // is kept until the active kid changes. Errors: internal "tool_key_missing"
  // when there is no active key, "tool_key_unreadable", or jose's signing
  // errors; database errors as they come.
  core::Result<std::string> sign(const boost::json::object& claims) const;

 private:
  core::Database& db_;
  const core::Clock& clock_;
  mutable std::mutex mu_;  // guards the two below
  mutable std::string cached_kid_;
  mutable EvpPkey cached_key_;
};

}  // namespace mentoring::lti
