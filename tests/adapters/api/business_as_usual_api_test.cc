// The move from pilot to business-as-usual (app/business_as_usual.h) through
// the API on SQLite: the plan is validated field by field and stored, the
// readiness check reads the plan with the scheme's governance, training and
// objectives, the figures per active pair are the plan's divided by the
// pairs, a pilot moves to business-as-usual only when every factor is met
// (through the phase route and through the scheme's own settings), and every
// change is in the phase history and the audit log. A refused call changes
// nothing.
#include "adapters/api/business_as_usual_api.h"
#include "app/business_as_usual.h"
#include "core/governance.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "tests/adapters/api/audit_api_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

class BusinessAsUsualApiTest : public RecordsApiTest {
 protected:
  void SetUp() override {
    RecordsApiTest::SetUp();
    if (HasFatalFailure()) return;
    service_ = std::make_unique<app::BusinessAsUsualService>(*db_, clock_);
    ctx_ = std::make_unique<api::BusinessAsUsualApiContext>(api::BusinessAsUsualApiContext{*service_, kRecordsToken});
    api::add_business_as_usual_routes(router_, *ctx_);
    lead_ = account("sub-lead", "Dr Sam Lead", "sam@example.nhs.uk");
  }
  std::string path(const std::string& rest) const { return "/api/v1/schemes/" + std::to_string(scheme_) + rest; }
  static json::object good_plan() {
    return json::object{{"senior_sponsor", "Dr A Patel, Director of Medical Education"},
                        {"funding_source", "NHS England workforce, training and education"},
                        {"funding_ends_on", "2027-03-31"},
                        {"funding_review_on", "2026-10-01"},
                        {"admin_hours_per_month", 16},
                        {"annual_cost_pence", 1200000},
                        {"mentor_recruitment_plan", "Recruit at the August induction and from outgoing mentees."},
                        {"promotion_plan", "Part of FY1 induction; trainee network newsletter each term."}};
  }
  std::set<std::string> unmet() {
    http::Response res = get(path("/business-as-usual"));
    EXPECT_EQ(res.status, 200) << res.body;
    std::set<std::string> out;
    const json::object body = body_of(res);
    for (const auto& f : body.at("unmet").as_array())
      out.insert(std::string(f.as_object().at("reason").as_string()));
    return out;
  }
  // Governance held by two people with reports due after today, a required
  // mentor training module that expires, and one SMART objective.
  void record_the_scheme_side() {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      std::vector<core::GovernanceAssignment> all;
      int i = 0;
      for (auto r : core::kAllResponsibilities) {
        core::GovernanceAssignment a;
        a.schemeid = scheme_;
        a.responsibility = r;
        a.accountid = (i++ % 2) ? ada_ : bea_;
        a.reports_to = "Director of Postgraduate Medical Education";
        a.next_report_due = *core::Date::parse("2026-09-30");
        all.push_back(a);
      }
      auto g = s.governance.replace(scheme_, all, 1);
      if (!g) return g.status();
      core::TrainingModule m;
      m.schemeid = scheme_;
      m.code = "mentoring_skills";
      m.title = "Mentoring skills";
      m.required = true;
      m.valid_for_months = 24;
      auto t = s.training.replace_modules(scheme_, {m}, 1);
      if (!t) return t.status();
      core::Objective o;
      o.schemeid = scheme_;
      o.what = "Increase the share of FY1 doctors who feel prepared for practice";
      o.metric = "FY1 preparedness survey, % agreeing";
      o.baseline = 40;
      o.unit = "%";
      o.baseline_on = *core::Date::parse("2026-01-01");
      o.target = 60;
      o.deadline = *core::Date::parse("2027-06-30");
      o.ownerid = ada_;
      return s.objectives.create(o, 1).status();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  // Two active pairings in the scheme's cohort.
  void pair_two() {
    std::vector<std::int64_t> mentees, mentors;
    for (int i = 0; i < 2; ++i) {
      mentees.push_back(account("mentee" + std::to_string(i), "Mentee", ""));
      mentors.push_back(account("mentor" + std::to_string(i), "Mentor", ""));
    }
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      for (int i = 0; i < 2; ++i) {
        auto mentee = s.enrolments.create(cohort_, mentees[i], core::Role::kMentee, 1);
        auto mentor = s.enrolments.create(cohort_, mentors[i], core::Role::kMentor, 1);
        if (!mentee) return mentee.status();
        if (!mentor) return mentor.status();
        auto place = s.pairings.sync_place(cohort_, mentor->id, 1, 1);
        if (!place) return place.status();
        auto p = s.pairings.create_active(core::PairingInput{cohort_, mentee->id, mentor->id}, 1);
        if (!p) return p.status();
      }
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  std::string phase_now() {
    return std::string(body_of(get("/api/v1/schemes/" + std::to_string(scheme_)))["phase"].as_string());
  }

  std::unique_ptr<app::BusinessAsUsualService> service_;
  std::unique_ptr<api::BusinessAsUsualApiContext> ctx_;
  std::int64_t lead_ = 0;
};

TEST_F(BusinessAsUsualApiTest, WithoutAPlanEveryFactorIsListedAndThePilotStaysAPilot) {
  http::Response res = get(path("/business-as-usual"));
  ASSERT_EQ(res.status, 200) << res.body;
  json::object r = body_of(res);
  EXPECT_EQ(r["phase"].as_string(), "pilot");
  EXPECT_FALSE(r["ready"].as_bool());
  EXPECT_EQ(r["plan"].as_object()["timemodified"].as_int64(), 0);
  const std::set<std::string> reasons = unmet();
  for (const char* reason : {"bau_no_senior_sponsor", "bau_governance_unassigned", "bau_no_funding_source",
                             "bau_no_funding_end_date", "bau_no_admin_time", "bau_no_mentor_recruitment_plan",
                             "bau_no_required_mentor_training", "bau_no_smart_objectives", "bau_no_promotion_plan"})
    EXPECT_TRUE(reasons.count(reason)) << reason;

  http::Response refused =
      call("POST", path("/phase"), json::value(json::object{{"phase", "business_as_usual"}}), {as(lead_)});
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(reason_of(refused), "scheme_not_ready_for_business_as_usual");
  EXPECT_EQ(phase_now(), "pilot");
  EXPECT_TRUE(body_of(get(path("/phase-history")))["items"].as_array().empty());
  // The scheme's own settings cannot go around the check.
  http::Response put = call("PUT", "/api/v1/schemes/" + std::to_string(scheme_),
                            json::value(json::object{{"name", "FY1 mentoring"},
                                                     {"type", "near_peer"},
                                                     {"aims", "- Prepare FY1 doctors for practice"},
                                                     {"phase", "business_as_usual"}}));
  EXPECT_EQ(reason_of(put), "scheme_not_ready_for_business_as_usual");
  EXPECT_EQ(phase_now(), "pilot");
  EXPECT_EQ(count_rows("audit_log", "summary LIKE 'scheme phase changed%'"), 0);
}

TEST_F(BusinessAsUsualApiTest, APlanIsCheckedFieldByFieldAndABadOneStoresNothing) {
  struct Case {
    const char* key;
    json::value value;
    const char* reason;
  };
  const Case cases[] = {
      {"admin_hours_per_month", json::value(-1), "bau_admin_hours_invalid"},
      {"admin_hours_per_month", json::value(1001), "bau_admin_hours_invalid"},
      {"annual_cost_pence", json::value(-5), "bau_cost_invalid"},
      {"funding_ends_on", json::value("31/03/2027"), "field_not_date"},
      {"funding_review_on", json::value("2027-05-01"), "bau_funding_review_after_end"},
      {"senior_sponsor", json::value(std::string(201, 'x')), "bau_text_too_long"},
      {"promotion_plan", json::value(std::string(4001, 'x')), "bau_text_too_long"},
      {"sponsor", json::value("typo"), "unknown_field"},
  };
  for (const Case& c : cases) {
    json::object body = good_plan();
    body[c.key] = c.value;
    http::Response res = call("PUT", path("/business-as-usual/plan"), json::value(body), {as(lead_)});
    EXPECT_EQ(res.status, 400) << c.key << " " << res.body;
    EXPECT_EQ(reason_of(res), c.reason) << c.key;
  }
  EXPECT_EQ(count_rows("bau_plans"), 0);
  EXPECT_EQ(reason_of(call("PUT", "/api/v1/schemes/999/business-as-usual/plan", json::value(good_plan()))),
            "scheme_not_found");

  http::Response saved = call("PUT", path("/business-as-usual/plan"), json::value(good_plan()), {as(lead_)});
  ASSERT_EQ(saved.status, 200) << saved.body;
  json::object p = body_of(saved);
  EXPECT_EQ(p["funding_ends_on"].as_string(), "2027-03-31");
  EXPECT_EQ(p["annual_cost_pence"].as_int64(), 1200000);
  EXPECT_GT(p["timemodified"].as_int64(), 0);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'business_as_usual_plan' AND actorid = " + std::to_string(lead_)),
            1);
  const std::set<std::string> reasons = unmet();
  EXPECT_FALSE(reasons.count("bau_no_senior_sponsor"));
  EXPECT_FALSE(reasons.count("bau_no_funding_source"));
  EXPECT_TRUE(reasons.count("bau_governance_unassigned")) << "the scheme's own records still count";
}

TEST_F(BusinessAsUsualApiTest, AReadySchemeMovesToBusinessAsUsualWithItsFiguresPerPairAndHistory) {
  record_the_scheme_side();
  pair_two();
  ASSERT_EQ(call("PUT", path("/business-as-usual/plan"), json::value(good_plan()), {as(lead_)}).status, 200);
  http::Response res = get(path("/business-as-usual"));
  json::object r = body_of(res);
  EXPECT_TRUE(r["ready"].as_bool()) << res.body;
  json::object pp = r["per_pair"].as_object();
  EXPECT_EQ(pp["active_pairs"].as_int64(), 2);
  EXPECT_DOUBLE_EQ(pp["admin_hours_per_pair_per_month"].as_double(), 8.0);  // 16 hours / 2 pairs
  EXPECT_EQ(pp["annual_cost_pence_per_pair"].as_int64(), 600000);           // £12,000 / 2 pairs

  http::Response moved = call("POST", path("/phase"),
                              json::value(json::object{{"phase", "business_as_usual"}, {"note", "Board approved."}}),
                              {as(lead_)});
  ASSERT_EQ(moved.status, 201) << moved.body;
  json::object change = body_of(moved);
  EXPECT_EQ(change["from"].as_string(), "pilot");
  EXPECT_EQ(change["to"].as_string(), "business_as_usual");
  EXPECT_EQ(change["changed_by"].as_int64(), lead_);
  EXPECT_EQ(change["note"].as_string(), "Board approved.");
  EXPECT_EQ(phase_now(), "business_as_usual");
  EXPECT_EQ(reason_of(call("POST", path("/phase"), json::value(json::object{{"phase", "business_as_usual"}}))),
            "scheme_phase_unchanged");
  EXPECT_EQ(reason_of(call("POST", path("/phase"), json::value(json::object{{"phase", "done"}}))),
            "scheme_phase_invalid");
  // Back to pilot is always allowed, and recorded.
  ASSERT_EQ(call("POST", path("/phase"), json::value(json::object{{"phase", "pilot"}})).status, 201);
  json::array history = body_of(get(path("/phase-history")))["items"].as_array();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].as_object()["to"].as_string(), "business_as_usual");
  EXPECT_EQ(history[1].as_object()["to"].as_string(), "pilot");
  EXPECT_TRUE(history[1].as_object()["changed_by"].is_null()) << "the service acted";
  EXPECT_EQ(count_rows("audit_log", "summary LIKE 'scheme phase changed%'"), 2);
}

}  // namespace
}  // namespace mentoring::testing
