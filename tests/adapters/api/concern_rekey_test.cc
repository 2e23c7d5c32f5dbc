// Re-keying concern text (app::ConcernService::rekey and
// POST /api/v1/concerns/rekey) with two key versions: after the re-key every
// concern and action is sealed under version 2 (read back with SQL), opens
// with the new key alone, no longer opens with the old key alone, and one row
// decrypts under an independent AES-GCM implementation (python3-cryptography).
// Only the holder of the confidential data responsibility may run it; a row
// that does not open stops it with the batches before it committed, and a
// second run carries on from there.
#include <soci/soci.h>

#include <array>
#include <cstdio>
#include <memory>

#include "app/concerns.h"
#include "concern_checkin_fixture.h"
#include "core/audit_stores.h"
#include "core/concern_stores.h"
#include "core/governance.h"

namespace mentoring::testing {
namespace {

// Bytes 0..31 (version 1, the fixture's key) and 32..63 (version 2).
constexpr const char* kKey1 = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kKey2 = "2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

std::string hex(std::string_view s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Decrypts with python3-cryptography, an implementation independent of ours:
// "ok <hex plain>" or "invalid_tag".
std::string python_open(const std::string& key_b64, const std::string& iv_hex, const std::string& ct_hex,
                        const std::string& aad_hex) {
  const std::string script =
      "import sys, base64\n"
      "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
      "from cryptography.exceptions import InvalidTag\n"
      "key = base64.b64decode(sys.argv[1]); iv = bytes.fromhex(sys.argv[2]); ct = bytes.fromhex(sys.argv[3])\n"
      "aad = bytes.fromhex(sys.argv[4])\n"
      "try:\n"
      "  print(\"ok \" + AESGCM(key).decrypt(iv, ct, aad).hex())\n"
      "except InvalidTag:\n"
      "  print(\"invalid_tag\")\n";
  const std::string cmd =
      "/usr/bin/python3 -c '" + script + "' " + key_b64 + " " + iv_hex + " " + ct_hex + " " + aad_hex + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
  if (!pipe) return "popen failed";
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

class ConcernRekeyTest : public ConcernApiTest {
 protected:
  void SetUp() override {
    ConcernApiTest::SetUp();
    if (HasFatalFailure()) return;
    write([&](core::Stores& s) {
      dpo_ = account(s, "data-protection");
      const core::Date due = core::Date::from_unix(clock_.now()).plus_days(30);
      std::vector<core::GovernanceAssignment> g{{0, scheme_, core::Responsibility::kDayToDayManagementAndPointOfContact,
                                                 poc_, "Director of PGME", core::ReportingCadence::kQuarterly, due},
                                                {0, scheme_, core::Responsibility::kSetUpAndInitialDelivery, lead_,
                                                 "Postgraduate Dean", core::ReportingCadence::kQuarterly, due},
                                                {0, scheme_, core::Responsibility::kConfidentialData, dpo_,
                                                 "Postgraduate Dean", core::ReportingCadence::kQuarterly, due}};
      ASSERT_TRUE(s.governance.replace(scheme_, g, 1).is_ok());
    });
  }

  // A concern service over its own keyring.
  struct Keyed {
    std::unique_ptr<storage::AesGcmCipher> cipher;
    std::unique_ptr<app::ConcernService> service;
  };
  Keyed keyed(const std::string& keys) {
    auto c = storage::AesGcmCipher::from_config(keys, 0);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    Keyed k;
    k.cipher = std::move(c).value();
    k.service = std::make_unique<app::ConcernService>(*db_, clock_, *k.cipher);
    return k;
  }

  // The mentee raises a concern (under the fixture's version 1 key) and the
  // point of contact acknowledges it with a note: one concern, two actions.
  std::int64_t raise(const std::string& text, const std::string& note) {
    core::ConcernInput in;
    in.pairingid = pairing_;
    in.category = core::ConcernCategory::kMeetings;
    in.urgency = core::ConcernUrgency::kRoutine;
    in.text = text;
    auto c = concerns_->raise(mentee_, in);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    if (!c.is_ok()) return 0;
    if (!note.empty()) {
      auto ack = concerns_->acknowledge(poc_, c->id, note);
      EXPECT_TRUE(ack.is_ok()) << ack.status().to_string();
    }
    return c->id;
  }

  // How many rows of `table` are sealed under `version`.
  std::int64_t rows_on(const std::string& table, int version) {
    std::int64_t n = -1;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM mentoring_" + table + " WHERE text_key_version = :v", soci::use(version),
          soci::into(n);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  struct Raw {
    std::string text, iv;
    int key_version = -1;
  };
  Raw raw(std::int64_t concernid) {
    Raw r;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT text, text_iv, text_key_version FROM mentoring_concerns WHERE id = :id", soci::use(concernid),
          soci::into(r.text), soci::into(r.iv), soci::into(r.key_version);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return r;
  }
  void set_text(std::int64_t concernid, const std::string& text) {
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "UPDATE mentoring_concerns SET text = :t WHERE id = :id", soci::use(text), soci::use(concernid);
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::int64_t dpo_ = 0;
};

TEST_F(ConcernRekeyTest, EveryRowMovesToTheNewKeyAndOpensWithItAlone) {
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"My mentor keeps cancelling.", "Phoned the mentee."},
      {"We do not get on; it is affecting my work.", "Offered a rematch."},
      {"A remark about my accent upset me.", "Spoke to the mentor."}};
  std::vector<std::int64_t> ids;
  for (const auto& [text, note] : texts) ids.push_back(raise(text, note));
  ASSERT_EQ(rows_on("concerns", 1), 3);
  ASSERT_EQ(rows_on("concern_actions", 1), 6);  // raised + acknowledged, each

  Keyed both = keyed(std::string(kKey1) + "," + kKey2);  // current: version 2
  auto report = both.service->rekey(core::Actor::account(dpo_));
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_EQ(report->key_version, 2);
  EXPECT_EQ(report->concerns.reencrypted, 3);
  EXPECT_EQ(report->concerns.already_current, 0);
  EXPECT_EQ(report->actions.reencrypted, 6);
  EXPECT_EQ(report->actions.already_current, 0);
  EXPECT_EQ(rows_on("concerns", 2), 3);
  EXPECT_EQ(rows_on("concern_actions", 2), 6);

  // The old key alone no longer opens anything; the new key alone opens all.
  Keyed old_only = keyed(kKey1);
  EXPECT_EQ(old_only.service->view(poc_, ids[0]).status().reason(), "concern_text_key_unknown");
  Keyed new_only = keyed(kKey2);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto v = new_only.service->view(poc_, ids[i]);
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    EXPECT_EQ(v->concern.text, texts[i].first);
    ASSERT_EQ(v->history.size(), 2u);
    EXPECT_EQ(v->history[1].text, texts[i].second);
  }
  auto mine = new_only.service->mine(mentee_);
  ASSERT_TRUE(mine.is_ok()) << mine.status().to_string();
  EXPECT_EQ(mine->size(), 3u);

  // An independent AES-GCM implementation opens the stored row with key 2
  // under the row's associated data for version 2, and not for version 1.
  const Raw r = raw(ids[0]);
  EXPECT_EQ(r.key_version, 2);
  const std::string key2 = std::string(kKey2).substr(2);
  EXPECT_EQ(python_open(key2, r.iv, r.text, hex(core::concern_text_aad(ids[0], mentee_, 2))),
            "ok " + hex(texts[0].first));
  EXPECT_EQ(python_open(key2, r.iv, r.text, hex(core::concern_text_aad(ids[0], mentee_, 1))), "invalid_tag");

  // A second run finds nothing to do.
  auto again = new_only.service->rekey(core::Actor::account(dpo_));
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->concerns.reencrypted, 0);
  EXPECT_EQ(again->concerns.already_current, 3);
  EXPECT_EQ(again->actions.reencrypted, 0);
  EXPECT_EQ(again->actions.already_current, 6);

  // Audited in the actor's name, without the text.
  bool found = false;
  for (const core::AuditEntry& e : audit_of("concern")) {
    if (e.summary != "3 texts sealed again under key version 2") continue;
    found = true;
    EXPECT_EQ(e.actor.accountid, std::optional<std::int64_t>(dpo_));
  }
  EXPECT_TRUE(found);
  for (const core::AuditEntry& e : audit_of("concern_action"))
    EXPECT_EQ(e.summary.find("Phoned"), std::string::npos) << e.summary;
}

TEST_F(ConcernRekeyTest, OnlyTheConfidentialDataHolderMayRekeyAndARefusalChangesNothing) {
  raise("My mentor keeps cancelling.", "Phoned the mentee.");
  Keyed both = keyed(std::string(kKey1) + "," + kKey2);
  for (const core::Actor& actor : {core::Actor::account(poc_), core::Actor::account(lead_), core::Actor::service()}) {
    auto refused = both.service->rekey(actor);
    EXPECT_EQ(refused.status().reason(), "confidential_access_required");
  }
  EXPECT_EQ(rows_on("concerns", 1), 1);
  EXPECT_EQ(rows_on("concern_actions", 1), 2);
  Keyed none = keyed("");
  EXPECT_EQ(none.service->rekey(core::Actor::account(dpo_)).status().reason(), "concern_sealing_disabled");
}

TEST_F(ConcernRekeyTest, ARowThatDoesNotOpenStopsTheRunAfterTheCommittedBatchesAndASecondRunCarriesOn) {
  // More concerns than one batch holds.
  const std::int64_t total = app::ConcernService::kRekeyBatch + 30;
  std::vector<std::int64_t> ids;
  for (std::int64_t i = 0; i < total; ++i) ids.push_back(raise("Concern number " + std::to_string(i), ""));
  ASSERT_EQ(rows_on("concerns", 1), total);
  // One row in the second batch is altered: it no longer decrypts.
  const std::int64_t bad = ids[app::ConcernService::kRekeyBatch + 10];
  const std::string original = raw(bad).text;
  set_text(bad, std::string(original[0] == 'a' ? "b" : "a") + original.substr(1));

  Keyed both = keyed(std::string(kKey1) + "," + kKey2);
  auto failed = both.service->rekey(core::Actor::account(dpo_));
  EXPECT_EQ(failed.status().reason(), "concern_text_decrypt_failed");
  EXPECT_NE(failed.status().message().find(std::to_string(bad)), std::string::npos) << failed.status().message();
  // The first batch was committed whole; the failed one changed nothing.
  EXPECT_EQ(rows_on("concerns", 2), app::ConcernService::kRekeyBatch);
  EXPECT_EQ(rows_on("concerns", 1), 30);
  EXPECT_EQ(rows_on("concern_actions", 1), total);  // actions come after concerns

  set_text(bad, original);
  auto resumed = both.service->rekey(core::Actor::account(dpo_));
  ASSERT_TRUE(resumed.is_ok()) << resumed.status().to_string();
  EXPECT_EQ(resumed->concerns.reencrypted, 30);
  EXPECT_EQ(resumed->concerns.already_current, app::ConcernService::kRekeyBatch);
  EXPECT_EQ(resumed->actions.reencrypted, total);
  EXPECT_EQ(rows_on("concerns", 2), total);
  EXPECT_EQ(rows_on("concern_actions", 2), total);

  // With version 1 removed from the keyring every row still opens.
  Keyed new_only = keyed(kKey2);
  auto mine = new_only.service->mine(mentee_);
  ASSERT_TRUE(mine.is_ok()) << mine.status().to_string();
  ASSERT_EQ(static_cast<std::int64_t>(mine->size()), total);
  auto v = new_only.service->view(poc_, bad);
  ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  EXPECT_EQ(v->concern.text, "Concern number " + std::to_string(app::ConcernService::kRekeyBatch + 10));
}

TEST_F(ConcernRekeyTest, TheApiRekeysForTheConfidentialDataHolderOnly) {
  raise("My mentor keeps cancelling.", "Phoned the mentee.");
  Keyed both = keyed(std::string(kKey1) + "," + kKey2);
  api::ConcernApiContext ctx{*both.service, *checkins_, kConcernToken};
  http::Router router;
  api::add_concern_rekey_routes(router, ctx);
  auto post = [&](std::int64_t actor, const std::string& body, bool token = true) {
    http::Request req;
    req.method = "POST";
    req.target = "/api/v1/concerns/rekey";
    EXPECT_TRUE(http::parse_target(req));
    if (token) req.headers.push_back({"Authorization", std::string("Bearer ") + kConcernToken});
    if (actor > 0) req.headers.push_back({api::kActorHeader, std::to_string(actor)});
    if (!body.empty()) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = body;
    }
    return router.handle(req);
  };
  EXPECT_EQ(post(dpo_, "", false).status, 401);
  http::Response denied = post(poc_, "");
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(reason_of(denied), "confidential_access_required");
  EXPECT_EQ(reason_of(post(0, "")), "confidential_access_required");
  EXPECT_EQ(reason_of(post(dpo_, R"({"batch": 5})")), "unknown_field");
  EXPECT_EQ(rows_on("concerns", 1), 1);

  http::Response done = post(dpo_, "{}");
  ASSERT_EQ(done.status, 200) << done.body;
  boost::json::object b = body_of(done);
  EXPECT_EQ(b["key_version"].as_int64(), 2);
  EXPECT_EQ(b["concerns"].as_object()["reencrypted"].as_int64(), 1);
  EXPECT_EQ(b["concerns"].as_object()["already_current"].as_int64(), 0);
  EXPECT_EQ(b["actions"].as_object()["reencrypted"].as_int64(), 2);
  http::Response again = post(dpo_, "");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(body_of(again)["concerns"].as_object()["already_current"].as_int64(), 1);
  EXPECT_EQ(rows_on("concerns", 2), 1);
}

}  // namespace
}  // namespace mentoring::testing
