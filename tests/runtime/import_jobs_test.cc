// Bulk imports are stored in the database with their jobs, so several plugin
// instances on one database share them: an upload taken by one instance is
// done by whichever worker claims it, its preview is read and applied from
// any instance, and nothing is lost when an instance stops. Two ImportJobs
// on two connections to one database (an SQLite file, or PostgreSQL when
// configured) stand for two instances.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/bulk_import.h"
#include "app/import_jobs.h"
#include "app/jobs.h"
#include "core/clock.h"
#include "core/import_upload_stores.h"
#include "storage/database.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::app {
namespace {
using core::Status;

constexpr const char* kPlatform = "https://portal.example.nhs.uk";
constexpr std::int64_t kT0 = 1780000000;

// One plugin instance: its own connection, services and import worker.
struct Node {
  Node(const storage::ConnectionSettings& settings, core::Clock& clock, ImportJobsOptions options) {
    auto d = storage::open_database(settings);
    EXPECT_TRUE(d.is_ok()) << d.status().to_string();
    db = std::move(d).value();
    EXPECT_TRUE(db->migrate().is_ok());
    jobs = std::make_unique<JobService>(*db, clock);
    bulk = std::make_unique<BulkImportService>(*db, clock);
    imports = std::make_unique<ImportJobs>(*db, clock, *bulk, *jobs, options);
  }
  std::unique_ptr<storage::SociDatabase> db;
  std::unique_ptr<JobService> jobs;
  std::unique_ptr<BulkImportService> bulk;
  std::unique_ptr<ImportJobs> imports;  // last: its worker stops first
};

class ImportJobsTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    a_ = node("instance-a");
    core::Status st = a_->db->transact([&](core::Stores& s) -> Status {
      auto staff = s.accounts.upsert({kPlatform, "staff-1", "Priya Patel", ""}, kT0);
      if (!staff) return staff.status();
      staff_ = staff->id;
      auto other = s.accounts.upsert({kPlatform, "staff-2", "Sam Jones", ""}, kT0);
      if (!other) return other.status();
      other_ = other->id;
      auto scheme = s.schemes.create(
          {"FY1 North West", core::SchemeType::kNearPeer, "Support FY1 doctors.", core::SchemePhase::kPilot}, kT0);
      if (!scheme) return scheme.status();
      scheme_ = scheme->id;
      core::CohortInput ci;
      ci.schemeid = scheme_;
      ci.name = "August intake";
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
  void TearDown() override {
    a_.reset();
    b_.reset();
    BackendTest::TearDown();
  }

  // Workers are run by hand (run_queued) so that the test says which
  // instance does the work.
  std::unique_ptr<Node> node(const std::string& name) {
    ImportJobsOptions o;
    o.worker.name = name;
    o.start_worker = false;
    o.heartbeat_timeout = 60;
    return std::make_unique<Node>(settings_, clock_, o);
  }

  std::string csv(int rows) const {
    std::string out = "platform,subject,email,gmc_number,display_name,cohortid\r\n";
    for (int i = 1; i <= rows; ++i)
      out += std::string(kPlatform) + ",trainee-" + std::to_string(i) + ",,,Dr Trainee " + std::to_string(i) + "," +
             std::to_string(cohort_) + "\r\n";
    return out;
  }
  ImportRequest request(int rows, bool dry_run = true) const {
    ImportRequest r;
    r.kind = ImportKind::kMentees;
    r.schemeid = scheme_;
    r.csv = csv(rows);
    r.dry_run = dry_run;
    r.ownerid = staff_;
    return r;
  }
  std::int64_t enrolled(Node& n) {
    std::int64_t count = -1;
    EXPECT_TRUE(n.db->transact([&](core::Stores& s) -> Status {
                   auto c = s.enrolments.count_by_cohort(cohort_, core::Role::kMentee);
                   if (!c) return c.status();
                   count = *c;
                   return Status::ok();
                 }).is_ok());
    return count;
  }
  core::JobState state(Node& n, std::int64_t jobid) {
    auto v = n.jobs->get(jobid);
    EXPECT_TRUE(v.is_ok()) << v.status().to_string();
    return v.is_ok() ? v->job.state : core::JobState::kQueued;
  }

  core::FixedClock clock_{kT0 * 1000};
  std::unique_ptr<Node> a_, b_;
  std::int64_t staff_ = 0, other_ = 0, scheme_ = 0, cohort_ = 0;
};

TEST_P(ImportJobsTest, AnUploadTakenByOneInstanceIsDoneReadAndAppliedByAnother) {
  b_ = node("instance-b");
  auto job = a_->imports->start(request(3));
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  EXPECT_EQ(job->state, core::JobState::kQueued);

  // B's worker finds A's upload in the database and does it.
  auto done = b_->imports->worker().run_queued();
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  EXPECT_EQ(*done, 1);
  EXPECT_EQ(*a_->imports->worker().run_queued(), 0);  // nothing left for A
  EXPECT_EQ(state(*a_, job->id), core::JobState::kSucceeded);
  EXPECT_EQ(enrolled(*a_), 0);  // a preview writes nothing

  // A reads the preview B made.
  auto outcome = a_->imports->find(job->id);
  ASSERT_TRUE(outcome.is_ok()) << outcome.status().to_string();
  ASSERT_TRUE(outcome->has_value());
  const ImportOutcome& o = **outcome;
  EXPECT_TRUE(o.finished);
  EXPECT_TRUE(o.dry_run);
  EXPECT_TRUE(o.can_apply);
  ASSERT_TRUE(o.report.has_value());
  EXPECT_EQ(o.report->rows_read, 3u);
  EXPECT_EQ(o.report->created, 3u);
  ASSERT_EQ(o.report->rows.size(), 3u);
  EXPECT_EQ(o.report->rows[0].row, 2u);

  // Only the owner may apply it; B applies A's preview and A's worker does it.
  auto stranger = b_->imports->apply(job->id, other_);
  ASSERT_FALSE(stranger.is_ok());
  EXPECT_EQ(stranger.status().reason(), "import_not_found");
  auto applied = b_->imports->apply(job->id, staff_);
  ASSERT_TRUE(applied.is_ok()) << applied.status().to_string();
  EXPECT_EQ(*a_->imports->worker().run_queued(), 1);
  EXPECT_EQ(enrolled(*b_), 3);
  auto preview = b_->imports->find(job->id);
  ASSERT_TRUE(preview.is_ok() && preview->has_value());
  EXPECT_EQ((*preview)->applied_by, applied->id);
  auto second = a_->imports->apply(job->id, staff_);
  ASSERT_FALSE(second.is_ok());
  EXPECT_EQ(second.status().reason(), "import_already_applied");
  EXPECT_EQ(enrolled(*a_), 3);
}

TEST_P(ImportJobsTest, AQueuedUploadSurvivesTheInstanceThatTookItStopping) {
  auto job = a_->imports->start(request(2, /*dry_run=*/false));
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  a_.reset();  // stopped before its worker ran
  b_ = node("instance-b");
  EXPECT_EQ(*b_->imports->worker().run_queued(), 1);
  EXPECT_EQ(enrolled(*b_), 2);
  EXPECT_EQ(state(*b_, job->id), core::JobState::kSucceeded);
  auto o = b_->imports->find(job->id);
  ASSERT_TRUE(o.is_ok() && o->has_value());
  EXPECT_FALSE((*o)->can_apply);  // an import, not a preview
  ASSERT_TRUE((*o)->report.has_value());
  EXPECT_TRUE((*o)->report->applied);
}

TEST_P(ImportJobsTest, AnAbandonedClaimIsQueuedAgainOnceThenFailed) {
  auto job = a_->imports->start(request(2, /*dry_run=*/false));
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  // A worker claims it and stops without a word, twice.
  for (int attempt = 1; attempt <= ImportJobs::kMaxAttempts; ++attempt) {
    Status st = a_->db->transact([&](core::Stores& s) -> Status {
      auto claimed = s.import_uploads.claim(job->id, "gone-" + std::to_string(attempt), clock_.now());
      if (!claimed) return claimed.status();
      EXPECT_TRUE(*claimed);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    // Within the heartbeat timeout the claim stands.
    clock_.advance_ms(30 * 1000);
    EXPECT_EQ(*a_->imports->fail_abandoned(), 0);
    clock_.advance_ms(31 * 1000);
    EXPECT_EQ(*a_->imports->fail_abandoned(), 1);
  }
  EXPECT_EQ(state(*a_, job->id), core::JobState::kFailed);
  auto o = a_->imports->find(job->id);
  ASSERT_TRUE(o.is_ok() && o->has_value());
  EXPECT_TRUE((*o)->finished);
  EXPECT_EQ((*o)->failure.reason(), "import_abandoned");
  EXPECT_EQ(*a_->imports->worker().run_queued(), 0);  // not queued a third time
  EXPECT_EQ(enrolled(*a_), 0);
}

TEST_P(ImportJobsTest, AClaimRequeuedOnceIsDoneByTheNextWorker) {
  auto job = a_->imports->start(request(2, /*dry_run=*/false));
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  ASSERT_TRUE(a_->db->transact([&](core::Stores& s) -> Status {
                   auto c = s.import_uploads.claim(job->id, "gone", clock_.now());
                   return c ? Status::ok() : c.status();
                 }).is_ok());
  clock_.advance_ms(61 * 1000);
  b_ = node("instance-b");
  EXPECT_EQ(*b_->imports->fail_abandoned(), 1);
  EXPECT_EQ(*b_->imports->worker().run_queued(), 1);
  EXPECT_EQ(state(*b_, job->id), core::JobState::kSucceeded);
  EXPECT_EQ(enrolled(*b_), 2);
}

TEST_P(ImportJobsTest, TwoInstancesApplyingOnePreviewAtOnceMakeOneImport) {
  b_ = node("instance-b");
  auto job = a_->imports->start(request(2));
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  ASSERT_EQ(*a_->imports->worker().run_queued(), 1);
  core::Result<core::Job> ra = Status::internal("not_run", ""), rb = Status::internal("not_run", "");
  std::thread ta([&] { ra = a_->imports->apply(job->id, staff_); });
  std::thread tb([&] { rb = b_->imports->apply(job->id, staff_); });
  ta.join();
  tb.join();
  ASSERT_NE(ra.is_ok(), rb.is_ok()) << ra.status().to_string() << " / " << rb.status().to_string();
  const core::Status& refused = ra.is_ok() ? rb.status() : ra.status();
  EXPECT_EQ(refused.reason(), "import_already_applied") << refused.to_string();
  EXPECT_EQ(*a_->imports->worker().run_queued(), 1);
  EXPECT_EQ(enrolled(*a_), 2);
}

TEST_P(ImportJobsTest, APreviewsFileIsForgottenAfterItsKeepTimeAndCannotBeApplied) {
  auto job = a_->imports->start(request(1));
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  ASSERT_EQ(*a_->imports->worker().run_queued(), 1);
  clock_.advance_ms((24 * 3600 + 1) * 1000LL);
  ASSERT_TRUE(a_->imports->fail_abandoned().is_ok());  // also forgets old files
  auto o = a_->imports->find(job->id);
  ASSERT_TRUE(o.is_ok() && o->has_value());
  EXPECT_FALSE((*o)->can_apply);
  ASSERT_TRUE((*o)->report.has_value());  // the report is kept longer
  auto applied = a_->imports->apply(job->id, staff_);
  ASSERT_FALSE(applied.is_ok());
  EXPECT_EQ(applied.status().reason(), "import_not_previewed");
  clock_.advance_ms(31LL * 24 * 3600 * 1000);
  ASSERT_TRUE(a_->imports->fail_abandoned().is_ok());
  auto gone = a_->imports->find(job->id);
  ASSERT_TRUE(gone.is_ok());
  EXPECT_FALSE(gone->has_value());
}

TEST_P(ImportJobsTest, EmptyAndOversizedFilesAreRefusedAndNothingIsQueued) {
  ImportRequest empty = request(0);
  empty.csv.clear();
  auto e = a_->imports->start(empty);
  ASSERT_FALSE(e.is_ok());
  EXPECT_EQ(e.status().reason(), "import_file_empty");
  ImportRequest big = request(1);
  big.csv.append(core::CsvLimits{}.max_bytes, 'x');
  auto b = a_->imports->start(big);
  ASSERT_FALSE(b.is_ok());
  EXPECT_EQ(b.status().reason(), "csv_too_large");
  EXPECT_EQ(*a_->imports->worker().run_queued(), 0);
}

TEST_P(ImportJobsTest, TheQueueRefusesUploadsPastItsLimitAcrossInstances) {
  b_ = node("instance-b");
  for (std::int64_t i = 0; i < ImportJobs::kMaxQueued; ++i) {
    auto& n = i % 2 == 0 ? a_ : b_;
    ASSERT_TRUE(n->imports->start(request(1)).is_ok()) << i;
  }
  auto full = b_->imports->start(request(1));
  ASSERT_FALSE(full.is_ok());
  EXPECT_EQ(full.status().reason(), "import_queue_full");
  EXPECT_EQ(*a_->imports->worker().run_queued(), ImportJobs::kMaxQueued);
  EXPECT_TRUE(b_->imports->start(request(1)).is_ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportJobsTest, ::testing::Values("sqlite", "postgresql"),
                         storage::testing::backend_name);

TEST(ImportReportJson, AReportRoundTripsAndOtherTextIsRefused) {
  ImportReport r;
  r.kind = ImportKind::kMentors;
  r.dry_run = false;
  r.applied = true;
  r.encoding = core::CsvEncoding::kWindows1252;
  r.rows_read = 7;
  r.created = 3;
  r.updated = 2;
  r.unchanged = 1;
  r.rows.push_back({2, RowOutcome::kCreated, 41, "account created; enrolled as mentor"});
  r.errors.push_back({5, 3, "email", "email_invalid", "Row 5, column 3 (email): \"x\" is not an email address."});
  r.errors_not_listed = 4;
  auto back = import_report_from_json(import_report_to_json(r));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->kind, ImportKind::kMentors);
  EXPECT_FALSE(back->dry_run);
  EXPECT_TRUE(back->applied);
  EXPECT_EQ(back->encoding, core::CsvEncoding::kWindows1252);
  EXPECT_EQ(back->rows_read, 7u);
  EXPECT_EQ(back->created, 3u);
  EXPECT_EQ(back->updated, 2u);
  EXPECT_EQ(back->unchanged, 1u);
  ASSERT_EQ(back->rows.size(), 1u);
  EXPECT_EQ(back->rows[0].accountid, 41);
  EXPECT_EQ(back->rows[0].outcome, RowOutcome::kCreated);
  EXPECT_EQ(back->rows[0].detail, "account created; enrolled as mentor");
  ASSERT_EQ(back->errors.size(), 1u);
  EXPECT_EQ(back->errors[0].column_name, "email");
  EXPECT_EQ(back->errors[0].message, r.errors[0].message);
  EXPECT_EQ(back->error_count(), 5u);
  for (const char* bad : {"", "not json", "[]", "{}", R"({"kind":"nobody"})"}) {
    auto b = import_report_from_json(bad);
    ASSERT_FALSE(b.is_ok()) << bad;
    EXPECT_EQ(b.status().reason(), "import_report_invalid") << bad;
  }
}

}  // namespace
}  // namespace mentoring::app
