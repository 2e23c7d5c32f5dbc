// The business-as-usual store port (core/business_as_usual_stores.h) on
// SQLite and, when configured, PostgreSQL: a scheme without a plan reads as
// an empty one, a saved plan round-trips every field and saving again
// replaces it, phase changes are appended and listed oldest first, an
// unknown scheme is refused without writing anything, a rolled-back
// transaction leaves nothing behind, and a phase change is in the export of
// the person who made it and stays, with their anonymised account, on erasure.
#include <soci/soci.h>

#include <variant>

#include "core/audit_stores.h"
#include "core/business_as_usual_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::BusinessAsUsualPlan;
using core::PhaseChange;
using core::SchemePhase;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

core::Date day(const char* iso) { return *core::Date::parse(iso); }

class BusinessAsUsualStoreTest : public BackendTest {
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
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Support FY1", SchemePhase::kPilot}, kT0);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      schemeid_ = scheme->id;
      auto other = s.schemes.create(
          core::SchemeInput{"IMG mentoring", core::SchemeType::kReciprocal, "Support new IMG doctors", SchemePhase::kPilot},
          kT0);
      ASSERT_TRUE(other.is_ok()) << other.status().to_string();
      otherid_ = other->id;
      auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", "sub-lead", "Dr Lead", ""}, kT0);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      staff_ = a->id;
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

  // Rows of `table` (without the prefix), straight from the database.
  int count(const std::string& table) {
    int n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table, soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  BusinessAsUsualPlan full_plan() const {
    BusinessAsUsualPlan p;
    p.schemeid = schemeid_;
    p.senior_sponsor = "Dr A. Sponsor, Director of Medical Education";
    p.funding_source = "HEE NW education funding";
    p.funding_ends_on = day("2028-03-31");
    p.funding_review_on = day("2027-10-01");
    p.admin_hours_per_month = 12.5;
    p.annual_cost_pence = 4250075;
    p.mentor_recruitment_plan = "Invite last year's mentees in June.\nTrain new mentors in July.";
    p.promotion_plan = "Induction talk for FY1s; poster in the mess.";
    return p;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t schemeid_ = 0, otherid_ = 0, staff_ = 0;
};

TEST_P(BusinessAsUsualStoreTest, ASchemeWithoutAPlanReadsAsAnEmptyOne) {
  commit([&](core::Stores& s) {
    auto p = s.business_as_usual.plan(schemeid_);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(p->schemeid, schemeid_);
    EXPECT_EQ(p->timemodified, 0);
    EXPECT_EQ(p->senior_sponsor, "");
    EXPECT_EQ(p->funding_source, "");
    EXPECT_FALSE(p->funding_ends_on.has_value());
    EXPECT_FALSE(p->funding_review_on.has_value());
    EXPECT_EQ(p->admin_hours_per_month, 0);
    EXPECT_EQ(p->annual_cost_pence, 0);
    EXPECT_EQ(p->mentor_recruitment_plan, "");
    EXPECT_EQ(p->promotion_plan, "");
    auto changes = s.business_as_usual.phase_changes(schemeid_);
    ASSERT_TRUE(changes.is_ok()) << changes.status().to_string();
    EXPECT_TRUE(changes->empty());
  });
}

TEST_P(BusinessAsUsualStoreTest, ASavedPlanRoundTripsEveryField) {
  commit([&](core::Stores& s) {
    auto saved = s.business_as_usual.save_plan(full_plan(), kT0 + 10);
    ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
    EXPECT_EQ(saved->timemodified, kT0 + 10);
  });
  commit([&](core::Stores& s) {
    auto p = s.business_as_usual.plan(schemeid_);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(p->schemeid, schemeid_);
    EXPECT_EQ(p->senior_sponsor, "Dr A. Sponsor, Director of Medical Education");
    EXPECT_EQ(p->funding_source, "HEE NW education funding");
    ASSERT_TRUE(p->funding_ends_on.has_value());
    EXPECT_EQ(p->funding_ends_on->to_string(), "2028-03-31");
    ASSERT_TRUE(p->funding_review_on.has_value());
    EXPECT_EQ(p->funding_review_on->to_string(), "2027-10-01");
    EXPECT_DOUBLE_EQ(p->admin_hours_per_month, 12.5);
    EXPECT_EQ(p->annual_cost_pence, 4250075);
    EXPECT_EQ(p->mentor_recruitment_plan, "Invite last year's mentees in June.\nTrain new mentors in July.");
    EXPECT_EQ(p->promotion_plan, "Induction talk for FY1s; poster in the mess.");
    EXPECT_EQ(p->timemodified, kT0 + 10);
    // Another scheme still has no plan.
    auto other = s.business_as_usual.plan(otherid_);
    ASSERT_TRUE(other.is_ok()) << other.status().to_string();
    EXPECT_EQ(other->timemodified, 0);
    EXPECT_EQ(other->senior_sponsor, "");
  });
}

TEST_P(BusinessAsUsualStoreTest, SavingAgainReplacesThePlan) {
  commit([&](core::Stores& s) { ASSERT_TRUE(s.business_as_usual.save_plan(full_plan(), kT0 + 10).is_ok()); });
  BusinessAsUsualPlan second;
  second.schemeid = schemeid_;
  second.senior_sponsor = "Ms B. Sponsor";
  second.funding_source = "Trust education budget";
  second.funding_ends_on = std::nullopt;
  second.funding_review_on = day("2029-01-15");
  second.admin_hours_per_month = 3.25;
  second.annual_cost_pence = 100000000000;
  second.mentor_recruitment_plan = "";
  second.promotion_plan = "Newsletter.";
  commit([&](core::Stores& s) {
    auto saved = s.business_as_usual.save_plan(second, kT0 + 20);
    ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
  });
  EXPECT_EQ(count("bau_plans"), 1);
  commit([&](core::Stores& s) {
    auto p = s.business_as_usual.plan(schemeid_);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(p->senior_sponsor, "Ms B. Sponsor");
    EXPECT_EQ(p->funding_source, "Trust education budget");
    EXPECT_FALSE(p->funding_ends_on.has_value());
    ASSERT_TRUE(p->funding_review_on.has_value());
    EXPECT_EQ(*p->funding_review_on, day("2029-01-15"));
    EXPECT_DOUBLE_EQ(p->admin_hours_per_month, 3.25);
    EXPECT_EQ(p->annual_cost_pence, 100000000000);
    EXPECT_EQ(p->mentor_recruitment_plan, "");
    EXPECT_EQ(p->promotion_plan, "Newsletter.");
    EXPECT_EQ(p->timemodified, kT0 + 20);
  });
  // The first save's creation time is kept.
  std::int64_t created = 0, modified = 0;
  Status st = db_->with_session([&](soci::session& sql) {
    sql << "SELECT timecreated, timemodified FROM " + settings_.table_prefix + "bau_plans", soci::into(created),
        soci::into(modified);
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(created, kT0 + 10);
  EXPECT_EQ(modified, kT0 + 20);
}

TEST_P(BusinessAsUsualStoreTest, AnUnknownSchemeIsRefusedAndNothingIsWritten) {
  commit([&](core::Stores& s) {
    BusinessAsUsualPlan p = full_plan();
    p.schemeid = schemeid_ + otherid_ + 99;
    auto saved = s.business_as_usual.save_plan(p, kT0);
    ASSERT_FALSE(saved.is_ok());
    EXPECT_EQ(saved.status().reason(), "scheme_not_found");
    PhaseChange c;
    c.schemeid = p.schemeid;
    c.from = SchemePhase::kPilot;
    c.to = SchemePhase::kBusinessAsUsual;
    c.changed_by = staff_;
    auto recorded = s.business_as_usual.record_phase_change(c, kT0);
    ASSERT_FALSE(recorded.is_ok());
    EXPECT_EQ(recorded.status().reason(), "scheme_not_found");
  });
  EXPECT_EQ(count("bau_plans"), 0);
  EXPECT_EQ(count("scheme_phase_changes"), 0);
}

TEST_P(BusinessAsUsualStoreTest, PhaseChangesAreAppendedAndListedOldestFirst) {
  std::int64_t first = 0, second = 0;
  commit([&](core::Stores& s) {
    PhaseChange c;
    c.schemeid = schemeid_;
    c.from = SchemePhase::kPilot;
    c.to = SchemePhase::kBusinessAsUsual;
    c.changed_by = staff_;
    c.note = "Pilot evaluation signed off by the steering group.";
    auto r = s.business_as_usual.record_phase_change(c, kT0 + 100);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_GT(r->id, 0);
    EXPECT_EQ(r->changed_at, kT0 + 100);
    first = r->id;
  });
  commit([&](core::Stores& s) {
    PhaseChange c;
    c.schemeid = schemeid_;
    c.from = SchemePhase::kBusinessAsUsual;
    c.to = SchemePhase::kPilot;
    c.changed_by = std::nullopt;
    c.note = "";
    auto r = s.business_as_usual.record_phase_change(c, kT0 + 200);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    second = r->id;
    // A change to another scheme is not listed with this one.
    PhaseChange o;
    o.schemeid = otherid_;
    o.from = SchemePhase::kPilot;
    o.to = SchemePhase::kBusinessAsUsual;
    o.changed_by = staff_;
    ASSERT_TRUE(s.business_as_usual.record_phase_change(o, kT0 + 300).is_ok());
  });
  EXPECT_NE(first, second);
  commit([&](core::Stores& s) {
    auto list = s.business_as_usual.phase_changes(schemeid_);
    ASSERT_TRUE(list.is_ok()) << list.status().to_string();
    ASSERT_EQ(list->size(), 2u);
    const PhaseChange& a = (*list)[0];
    EXPECT_EQ(a.id, first);
    EXPECT_EQ(a.schemeid, schemeid_);
    EXPECT_EQ(a.from, SchemePhase::kPilot);
    EXPECT_EQ(a.to, SchemePhase::kBusinessAsUsual);
    ASSERT_TRUE(a.changed_by.has_value());
    EXPECT_EQ(*a.changed_by, staff_);
    EXPECT_EQ(a.note, "Pilot evaluation signed off by the steering group.");
    EXPECT_EQ(a.changed_at, kT0 + 100);
    const PhaseChange& b = (*list)[1];
    EXPECT_EQ(b.id, second);
    EXPECT_EQ(b.from, SchemePhase::kBusinessAsUsual);
    EXPECT_EQ(b.to, SchemePhase::kPilot);
    EXPECT_FALSE(b.changed_by.has_value());
    EXPECT_EQ(b.note, "");
    EXPECT_EQ(b.changed_at, kT0 + 200);
    auto other = s.business_as_usual.phase_changes(otherid_);
    ASSERT_TRUE(other.is_ok()) << other.status().to_string();
    ASSERT_EQ(other->size(), 1u);
    EXPECT_EQ((*other)[0].schemeid, otherid_);
  });
  EXPECT_EQ(count("scheme_phase_changes"), 3);
}

TEST_P(BusinessAsUsualStoreTest, ARolledBackTransactionLeavesNothing) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto saved = s.business_as_usual.save_plan(full_plan(), kT0);
    EXPECT_TRUE(saved.is_ok()) << saved.status().to_string();
    PhaseChange c;
    c.schemeid = schemeid_;
    c.from = SchemePhase::kPilot;
    c.to = SchemePhase::kBusinessAsUsual;
    c.changed_by = staff_;
    auto r = s.business_as_usual.record_phase_change(c, kT0);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return Status::conflict("stop", "Roll back.");
  });
  EXPECT_EQ(st.reason(), "stop");
  EXPECT_EQ(count("bau_plans"), 0);
  EXPECT_EQ(count("scheme_phase_changes"), 0);
  commit([&](core::Stores& s) {
    auto p = s.business_as_usual.plan(schemeid_);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(p->timemodified, 0);
    auto list = s.business_as_usual.phase_changes(schemeid_);
    ASSERT_TRUE(list.is_ok()) << list.status().to_string();
    EXPECT_TRUE(list->empty());
  });
}

TEST_P(BusinessAsUsualStoreTest, APhaseChangeIsInTheExportOfWhoMadeItAndKeptOnErasure) {
  commit([&](core::Stores& s) {
    PhaseChange c;
    c.schemeid = schemeid_;
    c.from = SchemePhase::kPilot;
    c.to = SchemePhase::kBusinessAsUsual;
    c.changed_by = staff_;
    c.note = "Funded from April.";
    ASSERT_TRUE(s.business_as_usual.record_phase_change(c, kT0 + 100).is_ok());
    auto tables = s.privacy.export_rows(staff_);
    ASSERT_TRUE(tables.is_ok()) << tables.status().to_string();
    const core::ExportedTable* changes = nullptr;
    for (const auto& t : *tables)
      if (t.table == "scheme_phase_changes") changes = &t;
    ASSERT_NE(changes, nullptr);
    ASSERT_EQ(changes->rows.size(), 1u);
    bool saw_note = false;
    for (const auto& [name, value] : changes->rows[0].columns)
      if (name == "note") saw_note = std::get<std::string>(value) == "Funded from April.";
    EXPECT_TRUE(saw_note);
  });
  commit([&](core::Stores& s) { ASSERT_TRUE(s.privacy.erase(staff_, kT0 + 200).is_ok()); });
  commit([&](core::Stores& s) {
    auto list = s.business_as_usual.phase_changes(schemeid_);
    ASSERT_TRUE(list.is_ok()) << list.status().to_string();
    ASSERT_EQ(list->size(), 1u);
    ASSERT_TRUE((*list)[0].changed_by.has_value());
    EXPECT_EQ(*(*list)[0].changed_by, staff_);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, BusinessAsUsualStoreTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
