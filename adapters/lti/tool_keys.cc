#include "adapters/lti/tool_keys.h"

#include <boost/json/array.hpp>

#include "adapters/lti/jose.h"

namespace mentoring::lti {
using core::Result;
using core::Status;

namespace {

struct NewKey {
  std::string kid;
  std::string pem;
};

Result<NewKey> make_key() {
  auto key = generate_rsa_key(kMinRsaBits);
  if (!key) return key.status();
  auto pem = private_key_to_pem(key->get());
  if (!pem) return pem.status();
  auto kid = jwk_thumbprint(key->get());
  if (!kid) return kid.status();
  return NewKey{std::move(kid).value(), std::move(pem).value()};
}

}  // namespace

Result<std::string> ToolKeys::ensure_key() const {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string active;
    Status st = db_.transact([&](core::Stores& s) -> Status {
      auto keys = s.lti.tool_keys(false);
      if (!keys) return keys.status();
      for (const auto& k : *keys)
        if (k.status == core::ToolKeyStatus::kActive) active = k.kid;
      return Status::ok();
    });
    if (!st) return st;
    if (!active.empty()) return active;
    // Generated outside the transaction: it takes a moment and needs no lock.
    auto key = make_key();
    if (!key) return key.status();
    st = db_.transact([&](core::Stores& s) {
      return s.lti.add_tool_key(key->kid, key->pem, core::ToolKeyStatus::kActive, clock_.now()).status();
    });
    if (st) return key->kid;
    // Another instance won the race: read its key on the next pass.
    if (st.code() != core::Code::kAlreadyExists) return st;
  }
  return Status::internal("tool_key_missing", "No active tool key could be created or read.");
}

Result<std::string> ToolKeys::sign(const boost::json::object& claims) const {
  std::string kid, pem;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto keys = s.lti.tool_keys(false);
    if (!keys) return keys.status();
    for (const auto& k : *keys) {
      if (k.status != core::ToolKeyStatus::kActive) continue;
      kid = k.kid;
      pem = k.private_key_pem;
    }
    return Status::ok();
  });
  if (!st) return st;
  if (kid.empty()) return Status::internal("tool_key_missing", "The tool has no active signing key.");
  EvpPkey key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_kid_ == kid) key = cached_key_;
  }
  if (!key) {
    auto parsed = private_key_from_pem(pem);
    if (!parsed)
      return Status::internal("tool_key_unreadable", "The active tool key cannot be read: " + parsed.status().reason());
    key = *parsed;
    std::lock_guard<std::mutex> lock(mu_);
    cached_kid_ = kid;
    cached_key_ = key;
  }
  return sign_rs256(boost::json::object{{"typ", "JWT"}}, claims, key.get(), kid);
}

Result<boost::json::object> ToolKeys::public_jwks() const {
  boost::json::array out;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto keys = s.lti.tool_keys(false);
    if (!keys) return keys.status();
    for (const auto& k : *keys) {
      auto priv = private_key_from_pem(k.private_key_pem);
      if (!priv) return Status::internal("tool_key_unreadable", "A stored tool key cannot be read: " + priv.status().reason());
      auto jwk = public_jwk(priv->get(), k.kid);
      if (!jwk) return jwk.status();
      out.push_back(std::move(jwk).value());
    }
    return Status::ok();
  });
  if (!st) return st;
  return boost::json::object{{"keys", std::move(out)}};
}

Result<std::string> ToolKeys::rotate() const {
  auto key = make_key();
  if (!key) return key.status();
  Status st = db_.transact([&](core::Stores& s) -> Status {
    const core::UnixSeconds now = clock_.now();
    auto demoted = s.lti.demote_active_key(now);
    if (!demoted) return demoted.status();
    return s.lti.add_tool_key(key->kid, key->pem, core::ToolKeyStatus::kActive, now).status();
  });
  if (!st) return st;
  return key->kid;
}

Result<std::int64_t> ToolKeys::retire_previous() const {
  std::int64_t n = 0;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto r = s.lti.retire_previous_keys(clock_.now());
    if (!r) return r.status();
    n = *r;
    return Status::ok();
  });
  if (!st) return st;
  return n;
}

}  // namespace mentoring::lti
