// The bulk import store (core/bulk_import_stores.h) on SQLite and, when
// configured, PostgreSQL: what its batch statements write is what the
// ordinary stores read back, unique rules hold, a batch of the largest size
// works with both placeholder styles, and a failed transaction leaves
// nothing behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/audit_stores.h"
#include "core/bulk_import_stores.h"
#include "core/stores.h"
#include "core/webhook_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;
constexpr const char* kPlatform = "https://portal.example.nhs.uk";

class BulkImportStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto scheme = s.schemes.create({"Scheme", core::SchemeType::kNearPeer, "Aims", core::SchemePhase::kPilot}, kT0);
      if (!scheme) return scheme.status();
      core::CohortInput ci;
      ci.schemeid = scheme->id;
      ci.name = "Cohort";
      ci.opens_on = *core::Date::parse("2026-05-01");
      ci.closes_on = *core::Date::parse("2026-08-05");
      ci.starts_on = *core::Date::parse("2026-08-05");
      ci.ends_on = *core::Date::parse("2027-08-04");
      auto cohort = s.schemes.create_cohort(ci, kT0);
      if (!cohort) return cohort.status();
      cohort_ = cohort->id;
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::vector<core::AccountInput> people(std::size_t n, const std::string& prefix) {
    std::vector<core::AccountInput> out;
    for (std::size_t i = 0; i < n; ++i)
      out.push_back({kPlatform, prefix + std::to_string(i), "Dr " + prefix + std::to_string(i),
                     prefix + std::to_string(i) + "@example.nhs.uk"});
    return out;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t cohort_ = 0;
};

TEST_P(BulkImportStoreTest, AFullBatchIsWrittenAndReadBackByTheOrdinaryStores) {
  const auto inputs = people(core::kBulkBatchRows, "p-");
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto made = s.bulk_import.insert_accounts(inputs, kT0);
    if (!made) return made.status();
    EXPECT_EQ(made->size(), inputs.size());
    std::vector<std::int64_t> ids;
    std::vector<std::pair<std::int64_t, std::string>> gmc;
    for (const auto& a : *made) {
      auto stored = s.accounts.find_by_subject(kPlatform, a.subject);
      if (!stored) return stored.status();
      EXPECT_TRUE(stored->has_value());
      if (stored->has_value()) {
        EXPECT_EQ((*stored)->id, a.id);
        EXPECT_EQ((*stored)->display_name, "Dr " + a.subject);
        EXPECT_EQ((*stored)->status, core::AccountStatus::kActive);
      }
      EXPECT_EQ(a.display_name, "Dr " + a.subject);
      ids.push_back(a.id);
      gmc.emplace_back(a.id, std::to_string(7000000 + ids.size()));
    }
    MENTORING_RETURN_IF_ERROR(s.bulk_import.set_gmc_numbers(gmc, kT0));
    auto holder = s.privacy.find_account_by_gmc("7000001");
    if (!holder) return holder.status();
    EXPECT_EQ(holder->value_or(0), ids[0]);
    auto numbers = s.bulk_import.gmc_numbers_of(ids);
    if (!numbers) return numbers.status();
    EXPECT_EQ(numbers->size(), ids.size());

    auto enrolled = s.bulk_import.insert_enrolments(cohort_, core::Role::kMentee, ids, kT0);
    if (!enrolled) return enrolled.status();
    EXPECT_EQ(enrolled->size(), ids.size());
    auto count = s.enrolments.count_by_cohort(cohort_, core::Role::kMentee);
    if (!count) return count.status();
    EXPECT_EQ(*count, static_cast<std::int64_t>(ids.size()));
    for (const auto& [accountid, enrolmentid] : *enrolled) {
      auto e = s.enrolments.find(enrolmentid);
      if (!e) return e.status();
      EXPECT_TRUE(e->has_value() && (*e)->accountid == accountid);
    }
    auto again = s.bulk_import.enrolled(cohort_, core::Role::kMentee, ids);
    if (!again) return again.status();
    EXPECT_EQ(again->size(), ids.size());
    auto none = s.bulk_import.enrolled(cohort_, core::Role::kMentor, ids);
    if (!none) return none.status();
    EXPECT_TRUE(none->empty());

    std::vector<core::AuditEntry> audits;
    for (std::int64_t id : ids) {
      core::AuditEntry e;
      e.actor = audits.size() % 2 ? core::Actor::account(ids[0]) : core::Actor::service();
      e.action = core::AuditAction::kCreate;
      e.entity_type = "account";
      e.entityid = id;
      e.summary = "account created by import";
      e.timecreated = kT0;
      audits.push_back(e);
    }
    MENTORING_RETURN_IF_ERROR(s.bulk_import.append_audits(audits));
    auto logged = s.audit.count(core::AuditFilter{});
    if (!logged) return logged.status();
    EXPECT_EQ(*logged, static_cast<std::int64_t>(ids.size()));
    std::vector<std::pair<std::string, std::string>> events(3, {"mentoring.enrolled", "{\"n\":1}"});
    MENTORING_RETURN_IF_ERROR(s.bulk_import.append_outbox_events(events, kT0));
    auto due = s.outbox.claim_due("token", kT0 + 1, 60, 10);
    if (!due) return due.status();
    EXPECT_EQ(due->size(), 3u);
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
}

TEST_P(BulkImportStoreTest, LookupsFindOnlyWhatExistsAndATakenSubjectIsRefused) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto made = s.bulk_import.insert_accounts(people(3, "a-"), kT0);
    if (!made) return made.status();
    auto found = s.bulk_import.find_accounts(kPlatform, {"a-0", "a-2", "missing"});
    if (!found) return found.status();
    std::vector<std::string> subjects;
    for (const auto& a : *found) subjects.push_back(a.subject);
    std::sort(subjects.begin(), subjects.end());
    EXPECT_EQ(subjects, (std::vector<std::string>{"a-0", "a-2"}));
    auto other_platform = s.bulk_import.find_accounts("https://other.example", {"a-0"});
    if (!other_platform) return other_platform.status();
    EXPECT_TRUE(other_platform->empty());
    auto holders = s.bulk_import.gmc_holders({"1234567"});
    if (!holders) return holders.status();
    EXPECT_TRUE(holders->empty());
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  // A subject that exists makes the whole insert fail, and the transaction
  // it was in rolls back.
  st = db_->transact([&](core::Stores& s) -> Status {
    auto made = s.bulk_import.insert_accounts({{kPlatform, "b-0", "", ""}, {kPlatform, "a-1", "", ""}}, kT0);
    return made.status();
  });
  EXPECT_EQ(st.reason(), "account_exists");
  st = db_->transact([&](core::Stores& s) -> Status {
    auto b = s.accounts.find_by_subject(kPlatform, "b-0");
    if (!b) return b.status();
    EXPECT_FALSE(b->has_value());
    auto too_many = s.bulk_import.find_accounts(kPlatform, std::vector<std::string>(core::kBulkBatchRows + 1, "x"));
    EXPECT_EQ(too_many.status().reason(), "bulk_batch_too_large");
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkImportStoreTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
