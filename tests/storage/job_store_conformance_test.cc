// The job and form-submission stores (core/jobs.h, schema step 0005) on
// SQLite and, when configured, PostgreSQL: what goes in comes back out, a
// form token is claimed once, and a failed command leaves nothing behind.
#include <soci/soci.h>

#include "core/jobs.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using core::Job;
using core::JobState;
using core::Status;
using testing::BackendTest;

constexpr std::int64_t kMs0 = 1780000000000;

class JobStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto a = s.accounts.upsert({"https://portal.example.nhs.uk", "staff-1", "Priya Patel", ""}, kMs0 / 1000);
      if (!a) return a.status();
      owner_ = a->id;
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  Job new_job(std::int64_t total = 10) const {
    Job j;
    j.kind = "matching_run";
    j.ownerid = owner_;
    j.total = total;
    j.message = "Reading the cohort";
    return j;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t owner_ = 0;
};

TEST_P(JobStoreTest, CreatedJobComesBackAsStored) {
  Job created, found;
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto c = s.jobs.create(new_job(420), kMs0);
                   if (!c) return c.status();
                   created = *c;
                   auto f = s.jobs.find(c->id);
                   if (!f) return f.status();
                   EXPECT_TRUE(f->has_value());
                   found = **f;
                   return Status::ok();
                 })
                  .is_ok());
  EXPECT_GT(created.id, 0);
  for (const Job& j : {created, found}) {
    EXPECT_EQ(j.kind, "matching_run");
    EXPECT_EQ(j.ownerid, owner_);
    EXPECT_EQ(j.state, JobState::kQueued);
    EXPECT_EQ(j.done, 0);
    EXPECT_EQ(j.total, 420);
    EXPECT_EQ(j.message, "Reading the cohort");
    EXPECT_EQ(j.started_ms, kMs0);
    EXPECT_EQ(j.updated_ms, kMs0);
    EXPECT_FALSE(j.finished_ms.has_value());
    EXPECT_EQ(j.timecreated, kMs0 / 1000);
  }
}

TEST_P(JobStoreTest, UpdateWritesProgressStateAndFinishTime) {
  Job updated, found;
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto c = s.jobs.create(new_job(), kMs0);
                   if (!c) return c.status();
                   Job j = *c;
                   j.state = JobState::kSucceeded;
                   j.done = 10;
                   j.message = "Matched 10 of 10";
                   j.finished_ms = kMs0 + 5000;
                   auto u = s.jobs.update(j, kMs0 + 5000);
                   if (!u) return u.status();
                   updated = *u;
                   found = **s.jobs.find(c->id);
                   return Status::ok();
                 })
                  .is_ok());
  for (const Job& j : {updated, found}) {
    EXPECT_EQ(j.state, JobState::kSucceeded);
    EXPECT_EQ(j.done, 10);
    EXPECT_EQ(j.message, "Matched 10 of 10");
    EXPECT_EQ(j.updated_ms, kMs0 + 5000);
    ASSERT_TRUE(j.finished_ms.has_value());
    EXPECT_EQ(*j.finished_ms, kMs0 + 5000);
    EXPECT_EQ(j.started_ms, kMs0);
  }
}

TEST_P(JobStoreTest, UnknownJobAndUnknownOwnerAreNotFound) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto f = s.jobs.find(987654);
    EXPECT_TRUE(f.is_ok());
    EXPECT_FALSE(f->has_value());
    Job j = new_job();
    j.id = 987654;
    auto u = s.jobs.update(j, kMs0);
    EXPECT_EQ(u.status().reason(), "job_not_found");
    j.ownerid = owner_ + 1000;
    auto c = s.jobs.create(j, kMs0);
    EXPECT_EQ(c.status().reason(), "account_not_found");
    return Status::ok();
  });
  EXPECT_TRUE(st.is_ok()) << st.to_string();
}

TEST_P(JobStoreTest, ProgressBeyondTheTotalIsRefusedByTheDatabaseAndRolledBack) {
  std::int64_t id = 0;
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto c = s.jobs.create(new_job(), kMs0);
                   if (!c) return c.status();
                   id = c->id;
                   return Status::ok();
                 })
                  .is_ok());
  Status st = db_->transact([&](core::Stores& s) -> Status {
    Job j = **s.jobs.find(id);
    j.done = 11;  // the use case refuses this first; the CHECK constraint is the backstop
    auto u = s.jobs.update(j, kMs0 + 1);
    return u.status();
  });
  EXPECT_FALSE(st.is_ok());
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   EXPECT_EQ((*s.jobs.find(id))->done, 0);
                   return Status::ok();
                 })
                  .is_ok());
}

TEST_P(JobStoreTest, RecentJobsAreListedNewestFirstUpToTheLimit) {
  std::vector<std::int64_t> listed;
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   for (int i = 0; i < 4; ++i) MENTORING_RETURN_IF_ERROR(s.jobs.create(new_job(), kMs0 + i).status());
                   auto r = s.jobs.list_recent(3);
                   if (!r) return r.status();
                   for (const Job& j : *r) listed.push_back(j.id);
                   return Status::ok();
                 })
                  .is_ok());
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_GT(listed[0], listed[1]);
  EXPECT_GT(listed[1], listed[2]);
}

TEST_P(JobStoreTest, AFormTokenIsClaimedOnceOnly) {
  const std::string hash(64, 'a'), other(64, 'b');
  std::vector<bool> claims;
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   for (const auto* h : {&hash, &hash, &other}) {
                     auto c = s.form_submissions.claim(*h, owner_, kMs0 / 1000);
                     if (!c) return c.status();
                     claims.push_back(*c);
                   }
                   return Status::ok();
                 })
                  .is_ok());
  EXPECT_EQ(claims, (std::vector<bool>{true, false, true}));
  // In a later transaction too.
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto c = s.form_submissions.claim(hash, owner_, kMs0 / 1000 + 10);
                   if (!c) return c.status();
                   EXPECT_FALSE(*c);
                   return Status::ok();
                 })
                  .is_ok());
}

TEST_P(JobStoreTest, OldFormTokensArePurgedAndCanThenBeClaimedAgain) {
  const std::string old_hash(64, 'c'), new_hash(64, 'd');
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   MENTORING_RETURN_IF_ERROR(s.form_submissions.claim(old_hash, owner_, 1000).status());
                   MENTORING_RETURN_IF_ERROR(s.form_submissions.claim(new_hash, owner_, 5000).status());
                   auto n = s.form_submissions.purge_before(2000);
                   if (!n) return n.status();
                   EXPECT_EQ(*n, 1);
                   EXPECT_TRUE(*s.form_submissions.claim(old_hash, owner_, 6000));
                   EXPECT_FALSE(*s.form_submissions.claim(new_hash, owner_, 6000));
                   return Status::ok();
                 })
                  .is_ok());
}

TEST_P(JobStoreTest, AMalformedTokenHashIsRefused) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto c = s.form_submissions.claim("short", owner_, 1);
    EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(c.status().reason(), "form_token_hash_invalid");
    return Status::ok();
  });
  EXPECT_TRUE(st.is_ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, JobStoreTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
