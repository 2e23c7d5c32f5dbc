// Concern text sealed at rest (schema step 0013), on SQLite and, when
// MENTORING_TEST_POSTGRES_URL is set, PostgreSQL: the stored columns hold
// no plain text (read back with SQL), the point of contact reads the text
// back, a wrong key or text moved to another concern fails with a clear
// error, a key rotation still opens older rows, rows stored plain before
// 0013 are sealed by the startup step, and erasing the person who raised a
// concern removes its text.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "app/concerns.h"
#include "app/privacy.h"
#include "core/concern_stores.h"
#include "core/governance.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "storage/aes_gcm.h"
#include "storage/database.h"

namespace mentoring {
namespace {

constexpr const char* kKey1 = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kKey2 = "2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
constexpr const char* kOtherKey1 = "1:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";

constexpr const char* kSecret = "My mentor keeps cancelling and made a remark about my accent.";
constexpr const char* kNote = "Phoned the mentee; offered a rematch.";

std::unique_ptr<storage::AesGcmCipher> cipher(const std::string& keys, int current = 0) {
  auto c = storage::AesGcmCipher::from_config(keys, current);
  EXPECT_TRUE(c.is_ok()) << c.status().to_string();
  return std::move(c).value();
}

std::string random_suffix() {
  std::random_device rd;
  std::string s;
  for (int i = 0; i < 10; ++i) s.push_back("0123456789abcdef"[rd() % 16]);
  return s;
}

class ConcernTextSealingTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    storage::ConnectionSettings settings;
    if (GetParam() == "postgresql") {
      const char* url = std::getenv("MENTORING_TEST_POSTGRES_URL");
      if (!url || !*url) GTEST_SKIP() << "MENTORING_TEST_POSTGRES_URL is not set";
      settings.url = url;
      prefix_ = "t" + random_suffix() + "_";
      settings.table_prefix = prefix_;
    } else {
      dir_ = std::filesystem::temp_directory_path() / ("mentoring-concern-seal-" + std::to_string(::getpid()) + "-" +
                                                       random_suffix());
      std::filesystem::create_directories(dir_);
      settings.url = "sqlite3:" + (dir_ / "seal.db").string();
    }
    auto db = storage::open_database(settings);
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    write([&](core::Stores& s) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Support FY1", core::SchemePhase::kPilot}, 1);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      scheme_ = scheme->id;
      auto cohort = s.schemes.create_cohort(
          core::CohortInput{scheme_, "August 2026", *core::Date::parse("2026-06-01"), *core::Date::parse("2026-08-05"),
                            *core::Date::parse("2026-08-05"), *core::Date::parse("2027-08-04"),
                            core::MatchingModel::kAssigned},
          1);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      mentee_ = account(s, "mentee");
      mentor_ = account(s, "mentor");
      poc_ = account(s, "poc");
      auto me = s.enrolments.create(cohort->id, mentee_, core::Role::kMentee, 1);
      auto mo = s.enrolments.create(cohort->id, mentor_, core::Role::kMentor, 1);
      ASSERT_TRUE(me.is_ok() && mo.is_ok());
      ASSERT_TRUE(s.pairings.sync_place(cohort->id, mo->id, 1, 1).is_ok());
      auto p = s.pairings.create_active(core::PairingInput{cohort->id, me->id, mo->id}, 1000);
      ASSERT_TRUE(p.is_ok()) << p.status().to_string();
      pairing_ = p->id;
      std::vector<core::GovernanceAssignment> g{{0, scheme_, core::Responsibility::kDayToDayManagementAndPointOfContact,
                                                 poc_, "Director of PGME", core::ReportingCadence::kQuarterly,
                                                 *core::Date::parse("2026-11-01")}};
      ASSERT_TRUE(s.governance.replace(scheme_, g, 1).is_ok());
    });
  }

  void TearDown() override {
    if (db_ && !prefix_.empty()) {
      // Drop this test's tables on the shared PostgreSQL database.
      (void)db_->with_session([&](soci::session& sql) -> core::Status {
        std::vector<std::string> names;
        soci::rowset<std::string> rows =
            (sql.prepare << "SELECT tablename FROM pg_tables WHERE tablename LIKE '" + prefix_ + "%'");
        for (const std::string& n : rows) names.push_back(n);
        for (const std::string& n : names) sql << "DROP TABLE IF EXISTS " + n + " CASCADE";
        return core::Status::ok();
      });
    }
    db_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  std::int64_t account(core::Stores& s, const std::string& subject) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, 1);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? a->id : 0;
  }

  template <typename Fn>
  void write(Fn&& fn) {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      fn(s);
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::string table(const char* name) const { return (prefix_.empty() ? std::string("mentoring_") : prefix_) + name; }

  struct RawText {
    std::string text;
    int key_version = -1;
    std::string iv;
  };
  // The stored text columns of one row, read with SQL.
  RawText raw(const char* name, std::int64_t id) {
    RawText r;
    core::Status st = db_->with_session([&](soci::session& sql) -> core::Status {
      sql << "SELECT text, text_key_version, text_iv FROM " + table(name) + " WHERE id = :id", soci::use(id),
          soci::into(r.text), soci::into(r.key_version), soci::into(r.iv);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return r;
  }
  void exec(const std::string& statement, std::int64_t a, std::int64_t b) {
    core::Status st = db_->with_session([&](soci::session& sql) -> core::Status {
      sql << statement, soci::use(a), soci::use(b);
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  std::int64_t count(const std::string& where_sql, std::int64_t key) {
    std::int64_t n = -1;
    core::Status st = db_->with_session([&](soci::session& sql) -> core::Status {
      sql << where_sql, soci::use(key), soci::into(n);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  core::Result<core::Concern> raise(app::ConcernService& svc, const std::string& text) {
    core::ConcernInput in;
    in.pairingid = pairing_;
    in.category = core::ConcernCategory::kConduct;
    in.urgency = core::ConcernUrgency::kSoon;
    in.text = text;
    return svc.raise(mentee_, in);
  }

  static std::string unhex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
  }

  core::FixedClock clock_{1780000000000};
  std::filesystem::path dir_;
  std::string prefix_;
  std::unique_ptr<storage::SociDatabase> db_;
  std::int64_t scheme_ = 0, pairing_ = 0, mentee_ = 0, mentor_ = 0, poc_ = 0;
};

TEST_P(ConcernTextSealingTest, StoredColumnsHoldNoPlainTextAndThePointOfContactReadsItBack) {
  auto keys = cipher(kKey1);
  app::ConcernService svc(*db_, clock_, *keys);
  auto c = raise(svc, kSecret);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  auto acked = svc.acknowledge(poc_, c->id, kNote);
  ASSERT_TRUE(acked.is_ok()) << acked.status().to_string();

  const RawText row = raw("concerns", c->id);
  EXPECT_EQ(row.key_version, 1);
  EXPECT_EQ(row.iv.size(), 24u);  // 12 bytes in hex
  EXPECT_EQ(row.text.find("accent"), std::string::npos);
  EXPECT_EQ(row.text.find("mentor"), std::string::npos);
  EXPECT_EQ(row.text.size(), 2 * (std::string(kSecret).size() + storage::kAesGcmTagBytes));
  ASSERT_EQ(acked->history.size(), 2u);
  const RawText note = raw("concern_actions", acked->history[1].id);
  EXPECT_EQ(note.key_version, 1);
  EXPECT_EQ(note.text.find("Phoned"), std::string::npos);

  // The stored bytes open with the key under the documented associated
  // data, written out here rather than taken from the code under test.
  core::SealedValue sealed{1, unhex(row.iv), unhex(row.text)};
  auto opened = keys->open(sealed, "mentoring.concern.v1:concern=" + std::to_string(c->id) +
                                       ":account=" + std::to_string(mentee_) + ":key=1");
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  EXPECT_EQ(*opened, kSecret);

  auto seen = svc.view(poc_, c->id);
  ASSERT_TRUE(seen.is_ok()) << seen.status().to_string();
  EXPECT_EQ(seen->concern.text, kSecret);
  ASSERT_EQ(seen->history.size(), 2u);
  EXPECT_EQ(seen->history[0].text, "");
  EXPECT_EQ(seen->history[1].text, kNote);
  // The raiser reads their own; the mentor is told it does not exist.
  auto mine = svc.mine(mentee_);
  ASSERT_TRUE(mine.is_ok()) << mine.status().to_string();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().text, kSecret);
  EXPECT_EQ(svc.view(mentor_, c->id).status().reason(), "concern_not_found");
  // The queue carries no text, sealed or open.
  auto queue = svc.queue(poc_, scheme_, true, core::Page{});
  ASSERT_TRUE(queue.is_ok()) << queue.status().to_string();
  ASSERT_EQ(queue->concerns.size(), 1u);
  EXPECT_EQ(queue->concerns[0].text, "");
  EXPECT_TRUE(queue->concerns[0].sealed_text.ciphertext.empty());
  // Every read of the text is audited.
  EXPECT_EQ(count("SELECT count(*) FROM " + table("audit_log") +
                      " WHERE action = 'confidential_read' AND entity_type = 'concern' AND entityid = :id",
                  c->id),
            1);
}

TEST_P(ConcernTextSealingTest, AWrongKeyFailsWithAClearError) {
  auto keys = cipher(kKey1);
  app::ConcernService svc(*db_, clock_, *keys);
  auto c = raise(svc, kSecret);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  auto wrong = cipher(kOtherKey1);
  app::ConcernService other(*db_, clock_, *wrong);
  auto seen = other.view(poc_, c->id);
  ASSERT_FALSE(seen.is_ok());
  EXPECT_EQ(seen.status().reason(), "concern_text_decrypt_failed");
  EXPECT_NE(seen.status().message().find("did not decrypt"), std::string::npos);
  // A keyring that lacks the row's version says so.
  auto only2 = cipher(kKey2);
  app::ConcernService newer(*db_, clock_, *only2);
  EXPECT_EQ(newer.view(poc_, c->id).status().reason(), "concern_text_key_unknown");
  // Without any key, concerns are neither raised nor read.
  auto none = cipher("");
  app::ConcernService off(*db_, clock_, *none);
  EXPECT_EQ(off.view(poc_, c->id).status().reason(), "concern_sealing_disabled");
  EXPECT_EQ(raise(off, "Another concern").status().reason(), "concern_sealing_disabled");
  EXPECT_EQ(count("SELECT count(*) FROM " + table("concerns") + " WHERE id > :id", c->id), 0);
}

TEST_P(ConcernTextSealingTest, TextMovedToAnotherConcernDoesNotOpen) {
  auto keys = cipher(kKey1);
  app::ConcernService svc(*db_, clock_, *keys);
  auto first = raise(svc, kSecret);
  auto second = raise(svc, "We have not met for three months.");
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  // Copy the first concern's sealed text over the second's.
  exec("UPDATE " + table("concerns") + " SET text = (SELECT text FROM " + table("concerns") +
           " WHERE id = :a), text_iv = (SELECT text_iv FROM " + table("concerns") + " WHERE id = :a2) WHERE id = " +
           std::to_string(second->id),
       first->id, first->id);
  auto seen = svc.view(poc_, second->id);
  ASSERT_FALSE(seen.is_ok());
  EXPECT_EQ(seen.status().reason(), "concern_text_decrypt_failed");
  // Relabelling the key version breaks it too; the first still opens.
  exec("UPDATE " + table("concerns") + " SET text_key_version = :v WHERE id = :id", 2, first->id);
  auto both = cipher(std::string(kKey1) + "," + kKey2);
  app::ConcernService rotated(*db_, clock_, *both);
  EXPECT_EQ(rotated.view(poc_, first->id).status().reason(), "concern_text_decrypt_failed");
  exec("UPDATE " + table("concerns") + " SET text_key_version = :v WHERE id = :id", 1, first->id);
  auto ok = svc.view(poc_, first->id);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->concern.text, kSecret);
}

TEST_P(ConcernTextSealingTest, AfterKeyRotationOlderRowsStillOpen) {
  auto v1 = cipher(kKey1);
  app::ConcernService before(*db_, clock_, *v1);
  auto old_concern = raise(before, kSecret);
  ASSERT_TRUE(old_concern.is_ok()) << old_concern.status().to_string();
  auto ring = cipher(std::string(kKey1) + "," + kKey2);
  ASSERT_EQ(ring->current_version(), 2);
  app::ConcernService after(*db_, clock_, *ring);
  auto new_concern = raise(after, "A newer concern.");
  ASSERT_TRUE(new_concern.is_ok()) << new_concern.status().to_string();
  auto noted = after.add_note(poc_, old_concern->id, kNote);
  ASSERT_TRUE(noted.is_ok()) << noted.status().to_string();
  EXPECT_EQ(raw("concerns", old_concern->id).key_version, 1);
  EXPECT_EQ(raw("concerns", new_concern->id).key_version, 2);
  EXPECT_EQ(raw("concern_actions", noted->history.back().id).key_version, 2);
  auto old_seen = after.view(poc_, old_concern->id);
  ASSERT_TRUE(old_seen.is_ok()) << old_seen.status().to_string();
  EXPECT_EQ(old_seen->concern.text, kSecret);
  EXPECT_EQ(old_seen->history.back().text, kNote);
  auto new_seen = after.view(poc_, new_concern->id);
  ASSERT_TRUE(new_seen.is_ok()) << new_seen.status().to_string();
  EXPECT_EQ(new_seen->concern.text, "A newer concern.");
}

TEST_P(ConcernTextSealingTest, PlainRowsFromBeforeTheStepAreSealedAtStartup) {
  // A concern and an action stored as the 0011 schema stored them: plain
  // text, key version 0 (the column default 0013 gives existing rows).
  std::int64_t concernid = 0, actionid = 0;
  write([&](core::Stores& s) {
    core::Concern c;
    c.schemeid = scheme_;
    auto p = s.pairings.find(pairing_);
    ASSERT_TRUE(p.is_ok() && p->has_value());
    c.cohortid = (*p)->cohortid;
    c.pairingid = pairing_;
    c.raised_by = mentee_;
    c.routed_to = poc_;
    c.category = core::ConcernCategory::kMeetings;
    c.text = kSecret;
    auto created = s.concerns.create(c, 1000);
    ASSERT_TRUE(created.is_ok()) << created.status().to_string();
    concernid = created->id;
    core::ConcernAction a;
    a.concernid = concernid;
    a.accountid = poc_;
    a.kind = core::ConcernActionKind::kNote;
    a.text = kNote;
    auto added = s.concerns.add_action(a, 1000);
    ASSERT_TRUE(added.is_ok()) << added.status().to_string();
    actionid = added->id;
  });
  EXPECT_EQ(raw("concerns", concernid).text, kSecret);
  EXPECT_EQ(raw("concerns", concernid).key_version, 0);

  auto keys = cipher(kKey1);
  app::ConcernService svc(*db_, clock_, *keys);
  // Until sealed, the text is refused rather than shown unsealed.
  EXPECT_EQ(svc.view(poc_, concernid).status().reason(), "concern_text_unsealed");
  auto report = svc.seal_plain_rows();
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_EQ(report->concerns, 1);
  EXPECT_EQ(report->actions, 1);
  const RawText row = raw("concerns", concernid), note = raw("concern_actions", actionid);
  EXPECT_EQ(row.key_version, 1);
  EXPECT_EQ(row.text.find("accent"), std::string::npos);
  EXPECT_EQ(note.key_version, 1);
  EXPECT_EQ(note.text.find("Phoned"), std::string::npos);
  auto seen = svc.view(poc_, concernid);
  ASSERT_TRUE(seen.is_ok()) << seen.status().to_string();
  EXPECT_EQ(seen->concern.text, kSecret);
  ASSERT_EQ(seen->history.size(), 1u);
  EXPECT_EQ(seen->history[0].text, kNote);
  // Running it again finds nothing left.
  auto again = svc.seal_plain_rows();
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->concerns, 0);
  EXPECT_EQ(again->actions, 0);
  // Without a key the step does nothing and says why.
  auto none = cipher("");
  EXPECT_EQ(app::ConcernService(*db_, clock_, *none).seal_plain_rows().status().reason(), "concern_sealing_disabled");
}

TEST_P(ConcernTextSealingTest, ErasingTheRaiserRemovesTheirConcernText) {
  auto keys = cipher(kKey1);
  app::ConcernService svc(*db_, clock_, *keys);
  auto c = raise(svc, kSecret);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  ASSERT_TRUE(svc.add_note(poc_, c->id, kNote).is_ok());
  ASSERT_EQ(count("SELECT count(*) FROM " + table("concern_actions") + " WHERE concernid = :id", c->id), 2);
  app::PrivacyService privacy(*db_, clock_, keys.get());
  // The subject access export lists the concern but never its sealed text.
  auto exported = privacy.export_account(mentee_, core::Actor::service());
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  bool listed = false;
  for (const auto& t : exported->tables) {
    if (t.table != "concerns" && t.table != "concern_actions") continue;
    listed = listed || (t.table == "concerns" && t.rows.size() == 1);
    for (const auto& r : t.rows)
      for (const auto& [name, value] : r.columns) {
        EXPECT_NE(name, "text");
        EXPECT_NE(name, "text_iv");
      }
  }
  EXPECT_TRUE(listed);
  auto erased = privacy.erase(mentee_, core::Actor::service());
  ASSERT_TRUE(erased.is_ok()) << erased.status().to_string();
  EXPECT_EQ(count("SELECT count(*) FROM " + table("concerns") + " WHERE raised_by = :id", mentee_), 0);
  EXPECT_EQ(count("SELECT count(*) FROM " + table("concern_actions") + " WHERE concernid = :id", c->id), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcernTextSealingTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace mentoring
