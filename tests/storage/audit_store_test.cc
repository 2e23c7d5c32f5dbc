// The audit, demographics and privacy store ports (core/audit_stores.h) on
// SQLite and, when configured, PostgreSQL: entries filter and page as asked,
// encrypted records round-trip byte for byte, a failed transaction leaves no
// audit entry, and export and erasure follow the privacy map.
#include <soci/soci.h>

#include <map>
#include <set>

#include "core/audit_stores.h"
#include "core/matching_stores.h"
#include "storage/audit_soci_stores.h"
#include "storage/setup_soci_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Actor;
using core::AuditAction;
using core::AuditEntry;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

class AuditStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    commit([&](core::Stores& s) {
      auto scheme = s.schemes.create(core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer,
                                                       "Prepare FY1 doctors", core::SchemePhase::kPilot},
                                     kT0);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      schemeid_ = scheme->id;
      auto cohort =
          s.schemes.create_cohort(core::CohortInput{schemeid_, "August 2026", *core::Date::parse("2026-01-01"),
                                                    *core::Date::parse("2026-12-31"), *core::Date::parse("2026-08-05"),
                                                    *core::Date::parse("2027-08-04"), core::MatchingModel::kAssigned},
                                  kT0);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      cohortid_ = cohort->id;
      auto a = s.accounts.upsert(
          core::AccountInput{"https://portal.example.nhs.uk", "sub-ada", "Dr Ada Lovelace", "ada@example.nhs.uk"}, kT0);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      ada_ = a->id;
      auto b = s.accounts.upsert(
          core::AccountInput{"https://portal.example.nhs.uk", "sub-bea", "Dr Bea Jones", "Bea@Example.nhs.uk"}, kT0);
      ASSERT_TRUE(b.is_ok()) << b.status().to_string();
      bea_ = b->id;
    });
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::int64_t count_rows(const std::string& table, const std::string& where = "") {
    std::int64_t n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table + (where.empty() ? "" : " WHERE " + where),
          soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  static AuditEntry entry(Actor actor, AuditAction action, const char* type, std::int64_t id, core::UnixSeconds t) {
    AuditEntry e;
    e.actor = actor;
    e.action = action;
    e.entity_type = type;
    e.entityid = id;
    e.summary = std::string(type) + " changed";
    e.timecreated = t;
    return e;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t schemeid_ = 0, cohortid_ = 0, ada_ = 0, bea_ = 0;
};

TEST_P(AuditStoreTest, EntriesComeBackNewestFirstAndFilterByEveryField) {
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.audit.append(entry(Actor::service(), AuditAction::kCreate, "objective", 1, kT0)).is_ok());
    ASSERT_TRUE(s.audit.append(entry(Actor::account(ada_), AuditAction::kUpdate, "objective", 1, kT0 + 10)).is_ok());
    ASSERT_TRUE(s.audit.append(entry(Actor::account(bea_), AuditAction::kUpdate, "cpd_entry", 2, kT0 + 20)).is_ok());
    ASSERT_TRUE(s.audit.append(entry(Actor::account(ada_), AuditAction::kConfidentialRead, "demographics", 3, kT0 + 30))
                    .is_ok());
  });
  commit([&](core::Stores& s) {
    auto all = s.audit.list({}, core::Page{});
    ASSERT_TRUE(all.is_ok()) << all.status().to_string();
    ASSERT_EQ(all->size(), 4u);
    EXPECT_EQ((*all)[0].entity_type, "demographics");
    EXPECT_EQ((*all)[0].action, AuditAction::kConfidentialRead);
    EXPECT_EQ((*all)[0].actor, Actor::account(ada_));
    EXPECT_EQ((*all)[3].actor, Actor::service());
    EXPECT_EQ((*all)[3].summary, "objective changed");
    EXPECT_EQ((*all)[3].timecreated, kT0);

    auto count = [&](core::AuditFilter f) {
      auto n = s.audit.count(f);
      EXPECT_TRUE(n.is_ok()) << n.status().to_string();
      auto l = s.audit.list(f, core::Page{});
      EXPECT_TRUE(l.is_ok());
      EXPECT_EQ(static_cast<std::int64_t>(l->size()), n.is_ok() ? *n : -1);
      return *n;
    };
    core::AuditFilter f;
    f.entity_type = "objective";
    EXPECT_EQ(count(f), 2);
    f.entityid = 2;
    EXPECT_EQ(count(f), 0);
    f = {};
    f.actor = Actor::service();
    EXPECT_EQ(count(f), 1);
    f.actor = Actor::account(ada_);
    EXPECT_EQ(count(f), 2);
    f = {};
    f.action = AuditAction::kUpdate;
    EXPECT_EQ(count(f), 2);
    f = {};
    f.from = kT0 + 10;
    f.until = kT0 + 30;  // exclusive
    EXPECT_EQ(count(f), 2);

    auto page = s.audit.list({}, core::Page{2, 1});
    ASSERT_TRUE(page.is_ok());
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ((*page)[0].entity_type, "cpd_entry");
  });
}

TEST_P(AuditStoreTest, RefusesBadEntriesAndFilters) {
  commit([&](core::Stores& s) {
    AuditEntry bad = entry(Actor::service(), AuditAction::kCreate, "Objective; DROP", 1, kT0);
    EXPECT_EQ(s.audit.append(bad).status().reason(), "audit_entity_type_invalid");
    bad = entry(Actor::service(), AuditAction::kCreate, "objective", 1, kT0);
    bad.summary = "two\nlines";
    EXPECT_EQ(s.audit.append(bad).status().reason(), "audit_summary_invalid");
    core::AuditFilter f;
    f.entity_type = "x' OR '1'='1";
    EXPECT_EQ(s.audit.list(f, core::Page{}).status().reason(), "audit_entity_type_invalid");
  });
  EXPECT_EQ(count_rows("audit_log"), 0);
}

TEST_P(AuditStoreTest, AnEntryRollsBackWithItsTransaction) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto e = s.audit.append(entry(Actor::service(), AuditAction::kUpdate, "objective", 1, kT0));
    if (!e) return e.status();
    return Status::conflict("stop", "The change failed after the entry was written.");
  });
  EXPECT_EQ(st.reason(), "stop");
  EXPECT_EQ(count_rows("audit_log"), 0);
}

TEST_P(AuditStoreTest, DemographicRecordsRoundTripBytesAndReplaceInPlace) {
  std::string iv("\x00\x01\xff\x80\x7f\x10\x20\x30\x40\x50\x60\x70", 12);
  std::string ct("\x00secret\xff\x00tag-bytes-here..", 26);
  core::SealedValue sealed{1, iv, ct};
  std::int64_t first_id = 0;
  commit([&](core::Stores& s) {
    auto saved = s.demographics.save(ada_, sealed, kT0);
    ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
    first_id = saved->id;
    EXPECT_EQ(saved->sealed.iv, iv);
    EXPECT_EQ(saved->sealed.ciphertext, ct);
  });
  commit([&](core::Stores& s) {
    auto found = s.demographics.find(ada_);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->sealed.iv, iv);
    EXPECT_EQ((*found)->sealed.ciphertext, ct);
    EXPECT_EQ((*found)->sealed.key_version, 1);
    auto again = s.demographics.save(ada_, core::SealedValue{2, iv, "other"}, kT0 + 5);
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(again->id, first_id);
    EXPECT_EQ(again->timecreated, kT0);
    EXPECT_EQ(again->timemodified, kT0 + 5);
    EXPECT_EQ(*s.demographics.count_not_at_version(2), 0);
    EXPECT_EQ(*s.demographics.count_not_at_version(1), 1);
    ASSERT_TRUE(s.demographics.save(bea_, sealed, kT0).is_ok());
    auto batch = s.demographics.list_after(0, 1);
    ASSERT_TRUE(batch.is_ok());
    ASSERT_EQ(batch->size(), 1u);
    auto rest = s.demographics.list_after(batch->front().id, 10);
    ASSERT_TRUE(rest.is_ok());
    ASSERT_EQ(rest->size(), 1u);
    EXPECT_NE(rest->front().accountid, batch->front().accountid);
    EXPECT_EQ(s.demographics.save(999999, sealed, kT0).status().reason(), "account_not_found");
    EXPECT_TRUE(*s.demographics.remove(ada_));
    EXPECT_FALSE(*s.demographics.remove(ada_));
  });
  EXPECT_EQ(count_rows("demographics"), 1);
}

TEST_P(AuditStoreTest, AccountLookupsByEmailAndGmcNumber) {
  commit([&](core::Stores& s) {
    auto by_email = s.privacy.find_accounts_by_email("bea@example.NHS.uk");
    ASSERT_TRUE(by_email.is_ok()) << by_email.status().to_string();
    ASSERT_EQ(by_email->size(), 1u);
    EXPECT_EQ(by_email->front().id, bea_);
    EXPECT_TRUE(s.privacy.find_accounts_by_email("nobody@example.nhs.uk")->empty());
    ASSERT_TRUE(s.privacy.set_gmc_number(ada_, "7654321", kT0).is_ok());
    EXPECT_EQ(s.privacy.find_account_by_gmc("7654321")->value_or(0), ada_);
    EXPECT_EQ(s.privacy.gmc_number(ada_)->value_or(""), "7654321");
    EXPECT_EQ(s.privacy.set_gmc_number(bea_, "7654321", kT0).reason(), "gmc_number_taken");
    ASSERT_TRUE(s.privacy.set_gmc_number(ada_, "1234567", kT0).is_ok());
    EXPECT_FALSE(s.privacy.find_account_by_gmc("7654321")->has_value());
  });
  EXPECT_EQ(count_rows("account_gmc"), 1);
}

TEST_P(AuditStoreTest, ExportHoldsThePersonsRowsWithoutSecrets) {
  commit([&](core::Stores& s) {
    core::CpdEntry c;
    c.accountid = ada_;
    c.date = *core::Date::parse("2026-05-01");
    c.hours = 1.5;
    c.activity = "Mentoring meeting";
    ASSERT_TRUE(s.training.add_cpd(c, kT0).is_ok());
    c.accountid = bea_;
    ASSERT_TRUE(s.training.add_cpd(c, kT0).is_ok());
    ASSERT_TRUE(s.enrolments.create(cohortid_, ada_, core::Role::kMentee, kT0).is_ok());
    ASSERT_TRUE(s.audit.append(entry(Actor::account(ada_), AuditAction::kUpdate, "cpd_entry", 1, kT0)).is_ok());
  });
  commit([&](core::Stores& s) {
    auto tables = s.privacy.export_rows(ada_);
    ASSERT_TRUE(tables.is_ok()) << tables.status().to_string();
    std::map<std::string, const core::ExportedTable*> by_name;
    for (const auto& t : *tables) by_name[t.table] = &t;
    ASSERT_TRUE(by_name.count("accounts"));
    ASSERT_EQ(by_name["accounts"]->rows.size(), 1u);
    bool saw_email = false;
    for (const auto& [name, value] : by_name["accounts"]->rows[0].columns)
      if (name == "email") saw_email = std::get<std::string>(value) == "ada@example.nhs.uk";
    EXPECT_TRUE(saw_email);
    ASSERT_TRUE(by_name.count("cpd_entries"));
    ASSERT_EQ(by_name["cpd_entries"]->rows.size(), 1u);  // not Bea's
    bool saw_hours = false, saw_date = false;
    for (const auto& [name, value] : by_name["cpd_entries"]->rows[0].columns) {
      if (name == "hours") saw_hours = std::get<double>(value) == 1.5;
      if (name == "entry_on") saw_date = std::get<std::string>(value) == "2026-05-01";
    }
    EXPECT_TRUE(saw_hours);
    EXPECT_TRUE(saw_date);
    EXPECT_EQ(by_name["enrolments"]->rows.size(), 1u);
    EXPECT_EQ(by_name["audit_log"]->rows.size(), 1u);
    EXPECT_FALSE(by_name.count("demographics"));  // exported decrypted by the use case
    ASSERT_TRUE(by_name.count("sessions"));
  });
}

TEST_P(AuditStoreTest, EraseDeletesWithdrawsAndAnonymisesOnlyThatPerson) {
  commit([&](core::Stores& s) {
    for (std::int64_t who : {ada_, bea_}) {
      core::CpdEntry c;
      c.accountid = who;
      c.date = *core::Date::parse("2026-05-01");
      c.hours = 1;
      c.activity = "Mentoring meeting";
      ASSERT_TRUE(s.training.add_cpd(c, kT0).is_ok());
      ASSERT_TRUE(s.enrolments.create(cohortid_, who, core::Role::kMentee, kT0).is_ok());
      ASSERT_TRUE(s.demographics.save(who, core::SealedValue{1, std::string(12, 'i'), "ct"}, kT0).is_ok());
    }
    ASSERT_TRUE(s.privacy.set_gmc_number(ada_, "1111111", kT0).is_ok());
    ASSERT_TRUE(s.audit.append(entry(Actor::account(ada_), AuditAction::kUpdate, "cpd_entry", 1, kT0)).is_ok());
  });
  commit([&](core::Stores& s) {
    auto counts = s.privacy.erase(ada_, kT0 + 100);
    ASSERT_TRUE(counts.is_ok()) << counts.status().to_string();
    EXPECT_GE(counts->total(), 5);
    auto a = s.accounts.find(ada_);
    ASSERT_TRUE(a.is_ok() && a->has_value());
    EXPECT_EQ((*a)->display_name, "");
    EXPECT_EQ((*a)->email, "");
    EXPECT_EQ((*a)->subject, "erased-" + std::to_string(ada_));
    EXPECT_EQ((*a)->status, core::AccountStatus::kSuspended);
    EXPECT_FALSE(s.accounts.find_by_subject("https://portal.example.nhs.uk", "sub-ada")->has_value());
    EXPECT_EQ(s.privacy.erase(999999, kT0).status().reason(), "account_not_found");
  });
  const std::string ada = std::to_string(ada_), bea = std::to_string(bea_);
  EXPECT_EQ(count_rows("cpd_entries", "accountid = " + ada), 0);
  EXPECT_EQ(count_rows("demographics", "accountid = " + ada), 0);
  EXPECT_EQ(count_rows("account_gmc"), 0);
  EXPECT_EQ(count_rows("enrolments", "accountid = " + ada + " AND status = 'withdrawn'"), 1);
  // The audit log keeps its entry: it names an id, not a person.
  EXPECT_EQ(count_rows("audit_log", "actorid = " + ada), 1);
  // Bea is untouched.
  EXPECT_EQ(count_rows("cpd_entries", "accountid = " + bea), 1);
  EXPECT_EQ(count_rows("demographics", "accountid = " + bea), 1);
  EXPECT_EQ(count_rows("enrolments", "accountid = " + bea + " AND status = 'active'"), 1);
  EXPECT_EQ(count_rows("accounts", "email = 'Bea@Example.nhs.uk'"), 1);
}

TEST_P(AuditStoreTest, EraseClearsThePersonsMatchingWordsAndPlacesAndWithdrawsTheirPendingRequests) {
  std::int64_t ada_mentee = 0, bea_mentor = 0, ada_request = 0, other_request = 0;
  commit([&](core::Stores& s) {
    auto cyd = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", "sub-cyd", "Dr Cyd Ng", ""}, kT0);
    ASSERT_TRUE(cyd.is_ok());
    auto e1 = s.enrolments.create(cohortid_, ada_, core::Role::kMentee, kT0);
    auto e2 = s.enrolments.create(cohortid_, bea_, core::Role::kMentor, kT0);
    auto e3 = s.enrolments.create(cohortid_, cyd->id, core::Role::kMentee, kT0);
    ASSERT_TRUE(e1.is_ok() && e2.is_ok() && e3.is_ok());
    ada_mentee = e1->id;
    bea_mentor = e2->id;
    core::MenteeRequest q;
    q.cohortid = cohortid_;
    q.menteeid = ada_mentee;
    q.mentorid = bea_mentor;
    q.message = "I am struggling with rota gaps and would value your advice.";
    q.expires_at = kT0 + 7 * 86400;
    auto r1 = s.pairings.create_request(q, kT0);
    ASSERT_TRUE(r1.is_ok()) << r1.status().to_string();
    ada_request = r1->id;
    q.menteeid = e3->id;
    q.message = "Cyd's own words.";
    auto r2 = s.pairings.create_request(q, kT0);
    ASSERT_TRUE(r2.is_ok()) << r2.status().to_string();
    other_request = r2->id;
    ASSERT_TRUE(s.pairings.add_waiting(core::WaitingEntry{0, cohortid_, ada_mentee, bea_mentor, "Please.", 0}, kT0)
                    .is_ok());
  });
  commit([&](core::Stores& s) { ASSERT_TRUE(s.privacy.erase(ada_, kT0 + 100).is_ok()); });
  const std::string mine = "id = " + std::to_string(ada_request), other = "id = " + std::to_string(other_request);
  EXPECT_EQ(count_rows("mentee_requests", mine + " AND message = '' AND state = 'withdrawn'"), 1)
      << "the request stays for the figures, without the person's words, and no longer waits on the mentor";
  EXPECT_EQ(count_rows("mentee_requests", other + " AND message = 'Cyd''s own words.' AND state = 'pending'"), 1)
      << "another mentee's request is untouched";
  EXPECT_EQ(count_rows("mentor_waitlist", "menteeid = " + std::to_string(ada_mentee)), 0);
  EXPECT_EQ(count_rows("enrolments", "id = " + std::to_string(ada_mentee) + " AND status = 'withdrawn'"), 1);

  // Erasing the mentor withdraws what still waits on them.
  commit([&](core::Stores& s) { ASSERT_TRUE(s.privacy.erase(bea_, kT0 + 200).is_ok()); });
  EXPECT_EQ(count_rows("mentee_requests", other + " AND message = 'Cyd''s own words.' AND state = 'withdrawn'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
