// The store ports' behaviour, run on SQLite and (when configured) PostgreSQL.
#include <soci/soci.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/date.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

core::AccountInput account_input(const std::string& subject, const std::string& name = "Dr Ada Example") {
  return core::AccountInput{"https://portal.example.nhs.uk", subject, name, subject + "@example.nhs.uk"};
}

core::SchemeInput scheme_input(const std::string& name) {
  return core::SchemeInput{name, core::SchemeType::kNearPeer, "Support FY1 doctors through their first rotation.",
                           core::SchemePhase::kPilot};
}

core::CohortInput cohort_input(std::int64_t schemeid) {
  core::CohortInput c;
  c.schemeid = schemeid;
  c.name = "August 2026";
  c.opens_on = *core::Date::parse("2026-06-10");
  c.closes_on = *core::Date::parse("2026-08-05");
  c.starts_on = *core::Date::parse("2026-08-05");
  c.ends_on = *core::Date::parse("2027-08-04");
  c.matching_model = core::MatchingModel::kHybrid;
  return c;
}

class StoreConformanceTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  // Runs `fn` in a transaction and expects it to commit.
  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  // Creates a scheme and a cohort; returns the cohort id.
  std::int64_t make_cohort() {
    std::int64_t id = 0;
    commit([&](core::Stores& s) {
      auto scheme = s.schemes.create(scheme_input("FY1 mentoring"), kT0);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      auto cohort = s.schemes.create_cohort(cohort_input(scheme->id), kT0);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      id = cohort->id;
    });
    return id;
  }

  std::int64_t make_account(const std::string& subject) {
    std::int64_t id = 0;
    commit([&](core::Stores& s) {
      auto a = s.accounts.upsert(account_input(subject), kT0);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      id = a->id;
    });
    return id;
  }

  std::int64_t account_count() {
    std::int64_t n = -1;
    commit([&](core::Stores& s) {
      auto c = s.accounts.count();
      ASSERT_TRUE(c.is_ok()) << c.status().to_string();
      n = *c;
    });
    return n;
  }

  std::unique_ptr<SociDatabase> db_;
};

TEST_P(StoreConformanceTest, AccountUpsertInsertsThenUpdatesKeepingItsId) {
  core::Account first, second;
  commit([&](core::Stores& s) {
    auto a = s.accounts.upsert(account_input("sub-1", "Dr Ada Example"), kT0);
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    first = *a;
  });
  EXPECT_GT(first.id, 0);
  EXPECT_EQ(first.display_name, "Dr Ada Example");
  EXPECT_EQ(first.status, core::AccountStatus::kActive);
  EXPECT_EQ(first.timecreated, kT0);
  EXPECT_EQ(first.timemodified, kT0);

  core::AccountInput changed = account_input("sub-1", "Dr Ada Lovelace");
  changed.email = "ada.lovelace@example.nhs.uk";
  commit([&](core::Stores& s) {
    auto a = s.accounts.upsert(changed, kT0 + 60);
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    second = *a;
  });
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.display_name, "Dr Ada Lovelace");
  EXPECT_EQ(second.email, "ada.lovelace@example.nhs.uk");
  EXPECT_EQ(second.timecreated, kT0);
  EXPECT_EQ(second.timemodified, kT0 + 60);

  commit([&](core::Stores& s) {
    auto found = s.accounts.find(first.id);
    ASSERT_TRUE(found.is_ok()) << found.status().to_string();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->display_name, "Dr Ada Lovelace");
    EXPECT_EQ((*found)->platform, "https://portal.example.nhs.uk");
    EXPECT_EQ((*found)->subject, "sub-1");
  });
  EXPECT_EQ(account_count(), 1);
}

TEST_P(StoreConformanceTest, AccountSubjectIsUniquePerPlatformOnly) {
  core::AccountInput other_platform = account_input("sub-1");
  other_platform.platform = "https://other-portal.example.nhs.uk";
  std::int64_t a_id = make_account("sub-1");
  std::int64_t b_id = 0;
  commit([&](core::Stores& s) {
    auto b = s.accounts.upsert(other_platform, kT0);
    ASSERT_TRUE(b.is_ok()) << b.status().to_string();
    b_id = b->id;
  });
  EXPECT_NE(a_id, b_id);
  EXPECT_EQ(make_account("sub-1"), a_id);
  EXPECT_EQ(account_count(), 2);

  commit([&](core::Stores& s) {
    auto found = s.accounts.find_by_subject(other_platform.platform, "sub-1");
    ASSERT_TRUE(found.is_ok());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->id, b_id);
    auto missing = s.accounts.find_by_subject(other_platform.platform, "sub-2");
    ASSERT_TRUE(missing.is_ok());
    EXPECT_FALSE(missing->has_value());
    auto missing_id = s.accounts.find(b_id + 1000);
    ASSERT_TRUE(missing_id.is_ok());
    EXPECT_FALSE(missing_id->has_value());
  });

  // The database itself refuses a second row for (platform, subject), and the
  // driver's error arrives as AlreadyExists.
  Status raw = db_->with_session([&](soci::session& sql) {
    sql << "INSERT INTO " + settings_.table_prefix +
               "accounts (platform, subject, display_name, email, status, timecreated, timemodified)"
               " VALUES ('https://portal.example.nhs.uk', 'sub-1', 'x', '', 'active', 1, 1)";
    return Status::ok();
  });
  EXPECT_EQ(raw.code(), Code::kAlreadyExists) << raw.to_string();
  EXPECT_EQ(raw.reason(), "duplicate_record");
  EXPECT_EQ(raw.message().find("sub-1"), std::string::npos) << "values must not leak into messages";
}

TEST_P(StoreConformanceTest, AccountUpsertRejectsInvalidInputBeforeWriting) {
  Status st = db_->transact([&](core::Stores& s) {
    auto a = s.accounts.upsert(account_input(""), kT0);
    return a.status();
  });
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.reason(), "account_subject_required");
  EXPECT_EQ(account_count(), 0);
}

TEST_P(StoreConformanceTest, SchemesCanBeCreatedFoundUpdatedAndListed) {
  core::Scheme created;
  commit([&](core::Stores& s) {
    auto r = s.schemes.create(scheme_input("FY1 mentoring, North West"), kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    created = *r;
  });
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.type, core::SchemeType::kNearPeer);
  EXPECT_EQ(created.phase, core::SchemePhase::kPilot);

  core::SchemeInput change = scheme_input("FY1 mentoring, North West");
  change.type = core::SchemeType::kReciprocal;
  change.phase = core::SchemePhase::kBusinessAsUsual;
  change.aims = "Keep trainees in the region.";
  commit([&](core::Stores& s) {
    auto r = s.schemes.update(created.id, change, kT0 + 10);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->id, created.id);
    EXPECT_EQ(r->timecreated, kT0);
    EXPECT_EQ(r->timemodified, kT0 + 10);
  });
  commit([&](core::Stores& s) {
    auto found = s.schemes.find(created.id);
    ASSERT_TRUE(found.is_ok());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->type, core::SchemeType::kReciprocal);
    EXPECT_EQ((*found)->phase, core::SchemePhase::kBusinessAsUsual);
    EXPECT_EQ((*found)->aims, "Keep trainees in the region.");
    auto second = s.schemes.create(scheme_input("Reverse mentoring"), kT0);
    ASSERT_TRUE(second.is_ok());
    auto all = s.schemes.list(core::Page{});
    ASSERT_TRUE(all.is_ok());
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].id, created.id);
    EXPECT_EQ((*all)[1].name, "Reverse mentoring");
    auto none = s.schemes.find(second->id + 1000);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
  });
}

TEST_P(StoreConformanceTest, UpdatingAMissingSchemeIsNotFound) {
  Status st = db_->transact([&](core::Stores& s) { return s.schemes.update(4242, scheme_input("x"), kT0).status(); });
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_EQ(st.reason(), "scheme_not_found");
}

TEST_P(StoreConformanceTest, CohortsKeepTheirDatesAndBelongToTheirScheme) {
  std::int64_t schemeid = 0;
  core::Cohort made;
  commit([&](core::Stores& s) {
    auto scheme = s.schemes.create(scheme_input("FY1"), kT0);
    ASSERT_TRUE(scheme.is_ok());
    schemeid = scheme->id;
    auto c = s.schemes.create_cohort(cohort_input(schemeid), kT0);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    made = *c;
    core::CohortInput feb = cohort_input(schemeid);
    feb.name = "February 2027";
    feb.opens_on = *core::Date::parse("2026-12-09");
    feb.closes_on = *core::Date::parse("2027-02-03");
    feb.starts_on = *core::Date::parse("2027-02-03");
    feb.ends_on = *core::Date::parse("2028-02-02");
    ASSERT_TRUE(s.schemes.create_cohort(feb, kT0).is_ok());
  });
  EXPECT_EQ(made.schemeid, schemeid);
  commit([&](core::Stores& s) {
    auto c = s.schemes.find_cohort(made.id);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    ASSERT_TRUE(c->has_value());
    EXPECT_EQ((*c)->opens_on.to_string(), "2026-06-10");
    EXPECT_EQ((*c)->closes_on.to_string(), "2026-08-05");
    EXPECT_EQ((*c)->starts_on.to_string(), "2026-08-05");
    EXPECT_EQ((*c)->ends_on.to_string(), "2027-08-04");
    EXPECT_EQ((*c)->matching_model, core::MatchingModel::kHybrid);
    EXPECT_EQ((*c)->name, "August 2026");
    auto list = s.schemes.list_cohorts(schemeid);
    ASSERT_TRUE(list.is_ok());
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[1].name, "February 2027");
    EXPECT_EQ((*list)[1].ends_on.to_string(), "2028-02-02");
    auto other = s.schemes.list_cohorts(schemeid + 1000);
    ASSERT_TRUE(other.is_ok());
    EXPECT_TRUE(other->empty());
  });
}

TEST_P(StoreConformanceTest, CohortOfAMissingSchemeIsNotFoundAndTheForeignKeyHolds) {
  Status st = db_->transact([&](core::Stores& s) { return s.schemes.create_cohort(cohort_input(777), kT0).status(); });
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_EQ(st.reason(), "scheme_not_found");

  // Past the store's own check, the foreign key refuses the row (on SQLite
  // only because every session turns foreign_keys on).
  Status raw = db_->with_session([&](soci::session& sql) {
    sql << "INSERT INTO " + settings_.table_prefix +
               "cohorts (schemeid, name, opens_on, closes_on, starts_on, ends_on, matching_model, timecreated,"
               " timemodified) VALUES (777, 'x', '2026-01-01', '2026-01-02', '2026-01-02', '2026-02-01',"
               " 'assigned', 1, 1)";
    return Status::ok();
  });
  EXPECT_EQ(raw.code(), Code::kNotFound) << raw.to_string();
  EXPECT_EQ(raw.reason(), "referenced_record_not_found");
}

TEST_P(StoreConformanceTest, EnrolmentIsUniquePerCohortAccountAndRole) {
  const std::int64_t cohort = make_cohort();
  const std::int64_t account = make_account("sub-1");
  std::int64_t first_id = 0;
  commit([&](core::Stores& s) {
    auto e = s.enrolments.create(cohort, account, core::Role::kMentee, kT0);
    ASSERT_TRUE(e.is_ok()) << e.status().to_string();
    first_id = e->id;
    EXPECT_EQ(e->status, core::EnrolmentStatus::kActive);
    EXPECT_EQ(e->role, core::Role::kMentee);
  });

  // The refusal does not poison the transaction: the other write commits.
  commit([&](core::Stores& s) {
    auto again = s.enrolments.create(cohort, account, core::Role::kMentee, kT0);
    EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
    EXPECT_EQ(again.status().reason(), "enrolment_exists");
    auto as_mentor = s.enrolments.create(cohort, account, core::Role::kMentor, kT0);
    ASSERT_TRUE(as_mentor.is_ok()) << as_mentor.status().to_string();
    EXPECT_NE(as_mentor->id, first_id);
  });
  commit([&](core::Stores& s) {
    auto n = s.enrolments.count_by_cohort(cohort, std::nullopt);
    ASSERT_TRUE(n.is_ok());
    EXPECT_EQ(*n, 2);
    auto mentees = s.enrolments.count_by_cohort(cohort, core::Role::kMentee);
    ASSERT_TRUE(mentees.is_ok());
    EXPECT_EQ(*mentees, 1);
  });
}

TEST_P(StoreConformanceTest, EnrolmentNamesWhichOfCohortOrAccountIsMissing) {
  const std::int64_t cohort = make_cohort();
  const std::int64_t account = make_account("sub-1");
  Status no_cohort = db_->transact(
      [&](core::Stores& s) { return s.enrolments.create(cohort + 100, account, core::Role::kMentee, kT0).status(); });
  EXPECT_EQ(no_cohort.code(), Code::kNotFound);
  EXPECT_EQ(no_cohort.reason(), "cohort_not_found");
  Status no_account = db_->transact(
      [&](core::Stores& s) { return s.enrolments.create(cohort, account + 100, core::Role::kMentee, kT0).status(); });
  EXPECT_EQ(no_account.code(), Code::kNotFound);
  EXPECT_EQ(no_account.reason(), "account_not_found");
}

TEST_P(StoreConformanceTest, EnrolmentStatusCanBeChanged) {
  const std::int64_t cohort = make_cohort();
  const std::int64_t account = make_account("sub-1");
  std::int64_t id = 0;
  commit([&](core::Stores& s) {
    auto e = s.enrolments.create(cohort, account, core::Role::kMentor, kT0);
    ASSERT_TRUE(e.is_ok());
    id = e->id;
  });
  commit([&](core::Stores& s) {
    auto e = s.enrolments.set_status(id, core::EnrolmentStatus::kWithdrawn, kT0 + 99);
    ASSERT_TRUE(e.is_ok()) << e.status().to_string();
    EXPECT_EQ(e->status, core::EnrolmentStatus::kWithdrawn);
    EXPECT_EQ(e->timemodified, kT0 + 99);
    EXPECT_EQ(e->timecreated, kT0);
  });
  commit([&](core::Stores& s) {
    auto e = s.enrolments.find(id);
    ASSERT_TRUE(e.is_ok());
    ASSERT_TRUE(e->has_value());
    EXPECT_EQ((*e)->status, core::EnrolmentStatus::kWithdrawn);
    EXPECT_EQ((*e)->role, core::Role::kMentor);
    EXPECT_EQ((*e)->accountid, account);
    EXPECT_EQ((*e)->cohortid, cohort);
  });
  Status missing = db_->transact(
      [&](core::Stores& s) { return s.enrolments.set_status(id + 50, core::EnrolmentStatus::kCompleted, kT0).status(); });
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(missing.reason(), "enrolment_not_found");
}

TEST_P(StoreConformanceTest, ListingsComeInPagesInIdOrder) {
  const std::int64_t cohort = make_cohort();
  std::vector<std::int64_t> mentee_ids;
  commit([&](core::Stores& s) {
    for (int i = 0; i < 7; ++i) {
      auto a = s.accounts.upsert(account_input("sub-" + std::to_string(i)), kT0);
      ASSERT_TRUE(a.is_ok());
      auto e = s.enrolments.create(cohort, a->id, i % 3 == 0 ? core::Role::kMentor : core::Role::kMentee, kT0);
      ASSERT_TRUE(e.is_ok()) << e.status().to_string();
      if (e->role == core::Role::kMentee) mentee_ids.push_back(e->id);
    }
  });
  ASSERT_EQ(mentee_ids.size(), 4u);
  commit([&](core::Stores& s) {
    std::vector<std::int64_t> seen;
    std::vector<std::size_t> sizes;
    for (std::int64_t offset = 0; offset <= 9; offset += 3) {
      auto page = s.enrolments.list_by_cohort(cohort, std::nullopt, core::Page{3, offset});
      ASSERT_TRUE(page.is_ok()) << page.status().to_string();
      sizes.push_back(page->size());
      for (const auto& e : *page) seen.push_back(e.id);
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1, 0}));
    ASSERT_EQ(seen.size(), 7u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 7u);

    auto mentees = s.enrolments.list_by_cohort(cohort, core::Role::kMentee, core::Page{2, 1});
    ASSERT_TRUE(mentees.is_ok());
    ASSERT_EQ(mentees->size(), 2u);
    EXPECT_EQ((*mentees)[0].id, mentee_ids[1]);
    EXPECT_EQ((*mentees)[1].id, mentee_ids[2]);

    auto empty = s.enrolments.list_by_cohort(cohort, std::nullopt, core::Page{0, 0});
    ASSERT_TRUE(empty.is_ok());
    EXPECT_TRUE(empty->empty());
  });
}

TEST_P(StoreConformanceTest, PageLimitIsCappedAtTheMaximum) {
  commit([&](core::Stores& s) {
    for (std::int64_t i = 0; i < core::kMaxPageSize + 5; ++i) {
      ASSERT_TRUE(s.schemes.create(scheme_input("Scheme " + std::to_string(i)), kT0).is_ok());
    }
  });
  commit([&](core::Stores& s) {
    auto all = s.schemes.list(core::Page{core::kMaxPageSize * 10, 0});
    ASSERT_TRUE(all.is_ok()) << all.status().to_string();
    EXPECT_EQ(static_cast<std::int64_t>(all->size()), core::kMaxPageSize);
    auto rest = s.schemes.list(core::Page{core::kMaxPageSize * 10, core::kMaxPageSize});
    ASSERT_TRUE(rest.is_ok());
    EXPECT_EQ(rest->size(), 5u);
  });
}

TEST_P(StoreConformanceTest, NegativePagesAreInvalid) {
  const std::int64_t cohort = make_cohort();
  commit([&](core::Stores& s) {
    auto a = s.schemes.list(core::Page{-1, 0});
    EXPECT_EQ(a.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(a.status().reason(), "page_limit_negative");
    auto b = s.enrolments.list_by_cohort(cohort, std::nullopt, core::Page{10, -5});
    EXPECT_EQ(b.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(b.status().reason(), "page_offset_negative");
  });
}

TEST_P(StoreConformanceTest, FailedWorkRollsBackEveryWrite) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto a = s.accounts.upsert(account_input("sub-1"), kT0);
    if (!a) return a.status();
    auto scheme = s.schemes.create(scheme_input("FY1"), kT0);
    if (!scheme) return scheme.status();
    auto cohort = s.schemes.create_cohort(cohort_input(scheme->id), kT0);
    if (!cohort) return cohort.status();
    return Status::conflict("changed_my_mind", "The command decided not to go ahead.");
  });
  EXPECT_EQ(st.reason(), "changed_my_mind");

  Status thrown = db_->transact([&](core::Stores& s) -> Status {
    auto a = s.accounts.upsert(account_input("sub-2"), kT0);
    if (!a) return a.status();
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), Code::kInternal);
  EXPECT_NE(thrown.message().find("boom"), std::string::npos);

  EXPECT_EQ(account_count(), 0);
  commit([&](core::Stores& s) {
    auto schemes = s.schemes.list(core::Page{});
    ASSERT_TRUE(schemes.is_ok());
    EXPECT_TRUE(schemes->empty());
  });
}

TEST_P(StoreConformanceTest, ConcurrentTransactionsKeepExactCounts) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  constexpr int kShared = 10;
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Status st = db_->transact([&](core::Stores& s) -> Status {
          // Read first, then write: a reader that later wants to write is the
          // case SQLite's deferred transactions fail with SQLITE_BUSY.
          auto n = s.accounts.count();
          if (!n) return n.status();
          auto own = s.accounts.upsert(account_input("t" + std::to_string(t) + "-" + std::to_string(i)), kT0 + i);
          if (!own) return own.status();
          // Every thread also updates the same few rows, so writers collide.
          auto shared = s.accounts.upsert(
              account_input("shared-" + std::to_string(i % kShared), "Writer " + std::to_string(t)), kT0 + i);
          if (!shared) return shared.status();
          return Status::ok();
        });
        if (!st) {
          failures++;
          errors[t] = st.to_string();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0) << [&] {
    std::string all;
    for (const auto& e : errors) all += e + "\n";
    return all;
  }();
  EXPECT_EQ(account_count(), kThreads * kPerThread + kShared);
  commit([&](core::Stores& s) {
    for (int t = 0; t < kThreads; ++t) {
      auto a = s.accounts.find_by_subject("https://portal.example.nhs.uk", "t" + std::to_string(t) + "-49");
      ASSERT_TRUE(a.is_ok());
      ASSERT_TRUE(a->has_value());
      EXPECT_EQ((*a)->timecreated, kT0 + 49);
    }
  });
}

TEST_P(StoreConformanceTest, LostConnectionIsUnavailableAndTheSessionReconnects) {
  if (!is_postgres()) GTEST_SKIP() << "only a server can drop a connection";
  ConnectionSettings one = settings_;
  one.pool_size = 1;
  auto db = open(one);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  int pid = 0;
  ASSERT_TRUE((*db)->with_session([&](soci::session& sql) {
                    sql << "SELECT pg_backend_pid()", soci::into(pid);
                    return Status::ok();
                  })
                  .is_ok());
  ASSERT_GT(pid, 0);
  // The server ends that one connection, as a restart or a network cut would.
  Status killed = db_->with_session([&](soci::session& sql) {
    int done = 0;
    sql << "SELECT CASE WHEN pg_terminate_backend(:pid) THEN 1 ELSE 0 END", soci::use(pid), soci::into(done);
    return done == 1 ? Status::ok() : Status::internal("not_terminated", "The backend was not terminated.");
  });
  ASSERT_TRUE(killed.is_ok()) << killed.to_string();

  Status lost = (*db)->transact([](core::Stores& s) { return s.accounts.count().status(); });
  EXPECT_EQ(lost.code(), Code::kUnavailable) << lost.to_string();
  EXPECT_EQ(lost.reason(), "database_connection_lost") << lost.to_string();
  Status again = (*db)->transact([](core::Stores& s) { return s.accounts.count().status(); });
  EXPECT_TRUE(again.is_ok()) << again.to_string();
}

TEST_P(StoreConformanceTest, CheckReadyPassesOnceMigrated) {
  Status st = db_->check_ready();
  EXPECT_TRUE(st.is_ok()) << st.to_string();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
