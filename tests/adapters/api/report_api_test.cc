// The evaluation report end to end: figures computed by hand for small data,
// every count under 10 withheld with secondary suppression, an attempt to
// recover a withheld count by differencing a total or two reports, CSV that
// is safe to open in a spreadsheet, and refused requests.
#include <cmath>
#include <map>
#include <set>

#include "tests/adapters/api/survey_api_fixture.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using testing::EvaluationApiTest;
using testing::kDayMs;

class ReportApiTest : public EvaluationApiTest {
 protected:
  void SetUp() override {
    EvaluationApiTest::SetUp();
    if (HasFatalFailure()) return;
    write([&](core::Stores& s) { previous_ = add_cohort(s, "February 2026"); });
    survey_ = default_survey();
    // 25 mentees in this cohort (all consenting), 3 mentors, 10 mentees in the previous one.
    for (int i = 0; i < 25; ++i)
      mentees_.push_back(person("m" + std::to_string(i), cohort_, core::Role::kMentee, true,
                                "m" + std::to_string(i) + "@example.nhs.uk"));
    for (int i = 0; i < 3; ++i) mentors_.push_back(person("t" + std::to_string(i), cohort_, core::Role::kMentor));
    for (int i = 0; i < 10; ++i) earlier_.push_back(person("p" + std::to_string(i), previous_));
  }

  // Baseline now (2026-07-01), end a year later; twelve mentees answer both,
  // three mentors answer both, two supervisors answer the baseline.
  void run_surveys() {
    const std::int64_t baseline = round(survey_, cohort_, "baseline", "2026-06-20", "2026-07-10");
    const std::int64_t end = round(survey_, cohort_, "end", "2027-06-01", "2027-06-30");
    const std::int64_t prev_end = round(survey_, previous_, "end", "2027-06-01", "2027-06-30");
    for (int i = 0; i < 12; ++i) {
      const int before = 2 + i % 2;
      ASSERT_EQ(respond("POST", baseline, mentees_[i], "mentees", likert_answers(before, 3, 3, 3)).status, 201);
    }
    for (int i = 0; i < 3; ++i)
      ASSERT_EQ(respond("POST", baseline, mentors_[i], "mentors", likert_answers(4, 4, 4, 4)).status, 201);
    for (const char* s : {"sup1", "sup2"})
      ASSERT_EQ(respond("POST", baseline, person(s, 0), "supervisors", likert_answers(3, 3, 3, 3)).status, 201);
    clock_.advance_ms(349 * kDayMs);  // 2027-06-15
    for (int i = 0; i < 12; ++i) {
      const int after = 2 + i % 2 + (i < 6 ? 1 : 0);
      ASSERT_EQ(respond("POST", end, mentees_[i], "mentees", likert_answers(after, 3, 3, 3)).status, 201);
    }
    for (int i = 0; i < 3; ++i)
      ASSERT_EQ(respond("POST", end, mentors_[i], "mentors", likert_answers(5, 4, 4, 4)).status, 201);
    for (int i = 0; i < 10; ++i)
      ASSERT_EQ(respond("POST", prev_end, earlier_[i], "mentees", likert_answers(2 + i % 3, 3, 3, 3)).status, 201);
  }

  // ARCP outcomes: 12 with outcome 1, 10 with outcome 2 and 3 with outcome 5.
  void import_outcomes() {
    std::string csv = "email,type,date,arcp_outcome,exam_name,exam_result\r\n";
    for (int i = 0; i < 25; ++i)
      csv += "m" + std::to_string(i) + "@example.nhs.uk,arcp,2026-06-20," +
             (i < 12   ? "1"
              : i < 22 ? "2"
                       : "5") +
             ",,\r\n";
    for (int i = 0; i < 4; ++i)
      csv += "m" + std::to_string(i) + "@example.nhs.uk,exam,2026-05-01,,\"=HYPERLINK(\"\"http://x\"\")\",pass\r\n";
    http::Response res = post_csv(scheme_path("/outcomes/import?apply=true"), csv);
    ASSERT_EQ(res.status, 200) << res.body;
    ASSERT_TRUE(body_of(res)["applied"].as_bool()) << res.body;
  }

  json::object report(const std::string& query) {
    http::Response res = call("GET", scheme_path("/report?" + query));
    EXPECT_EQ(res.status, 200) << res.body;
    return res.status == 200 ? body_of(res) : json::object();
  }
  std::string cohort_query(std::int64_t cohort) { return "cohort=" + std::to_string(cohort); }

  static const json::object* find(const json::array& items, const char* key1, const char* v1, const char* key2,
                                  const char* v2) {
    for (const auto& x : items)
      if (x.as_object().at(key1).as_string() == v1 && x.as_object().at(key2).as_string() == v2) return &x.as_object();
    return nullptr;
  }
  static std::map<std::string, json::value> cells(const json::object& table) {
    std::map<std::string, json::value> out;
    for (const auto& c : table.at("cells").as_array())
      out[std::string(c.as_object().at("label").as_string())] = c.as_object().at("value");
    return out;
  }

  std::int64_t previous_ = 0, survey_ = 0;
  std::vector<std::int64_t> mentees_, mentors_, earlier_;
};

TEST_F(ReportApiTest, UptakeAndBeforeAfterChangeMatchHandWorkedFigures) {
  ASSERT_EQ(call("PUT", "/api/v1/cohorts/" + std::to_string(cohort_) + "/audience-size",
                 json::value(json::object{{"size", 100}}))
                .status,
            200);
  run_surveys();
  json::object r = report(cohort_query(cohort_));
  // Uptake: 25 of 100; mentors (3) withheld.
  json::object uptake = r["uptake"].as_object();
  EXPECT_EQ(uptake["mentees_enrolled"].as_object()["value"].as_int64(), 25);
  EXPECT_TRUE(uptake["mentors_enrolled"].as_object()["value"].is_null());
  EXPECT_DOUBLE_EQ(uptake["uptake"].as_object()["estimate"].as_double(), 0.25);

  // Mentees' confidence: differences 1 x6 and 0 x6. mean 0.5; variance
  // 12 * 0.25 / 11 = 3/11; SE = sqrt(3/11 / 12) = sqrt(1/44); t = 0.5 * sqrt(44).
  const json::object* c = find(r["survey_change"].as_array(), "audience", "mentees", "key", "confidence");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->at("pairs").as_object().at("value").as_int64(), 12);
  const json::object& a = c->at("analysis").as_object();
  EXPECT_DOUBLE_EQ(a.at("mean_before").as_double(), 2.5);
  EXPECT_DOUBLE_EQ(a.at("mean_after").as_double(), 3.0);
  EXPECT_DOUBLE_EQ(a.at("mean_difference").as_double(), 0.5);
  EXPECT_NEAR(a.at("t").as_double(), 0.5 * std::sqrt(44.0), 1e-12);
  EXPECT_NEAR(a.at("cohens_dz").as_double(), 0.5 / std::sqrt(3.0 / 11.0), 1e-12);
  // t(0.975, 11) = 2.200985160 (tables).
  EXPECT_NEAR(a.at("ci_low").as_double(), 0.5 - 2.200985160 * std::sqrt(1.0 / 44.0), 1e-8);
  // Job satisfaction did not move for anyone: no test exists, and the report says why.
  const json::object* js = find(r["survey_change"].as_array(), "audience", "mentees", "key", "job_satisfaction");
  ASSERT_NE(js, nullptr);
  EXPECT_TRUE(js->at("analysis").is_null());
  EXPECT_EQ(js->at("withheld_reason").as_string(), "evaluation_no_variation");
  // Three mentors: too few for any statistic, and the count itself is withheld.
  const json::object* m = find(r["survey_change"].as_array(), "audience", "mentors", "key", "confidence");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->at("analysis").is_null());
  EXPECT_EQ(m->at("withheld_reason").as_string(), "too_few_people");
  EXPECT_TRUE(m->at("pairs").as_object().at("value").is_null());
  // Engagement and equity are not kept yet and say so.
  EXPECT_TRUE(r["engagement"].is_null());
  std::set<std::string> not_yet;
  for (const auto& n : r["notes"].as_array())
    if (n.as_object().at("reason").as_string() == "not_yet_available")
      not_yet.insert(std::string(n.as_object().at("section").as_string()));
  EXPECT_EQ(not_yet, (std::set<std::string>{"engagement", "equity"}));
}

TEST_F(ReportApiTest, ComparisonWithThePreviousCohortUsesWelchOnTheEndRounds) {
  run_surveys();
  json::object r = report(cohort_query(cohort_) + "&compare=" + std::to_string(previous_));
  const json::object* c = find(r["comparison"].as_array(), "audience", "mentees", "key", "confidence");
  ASSERT_NE(c, nullptr);
  // This cohort's end scores: 3,4 x3, 2,3 x3 -> {3,4,3,4,3,4,2,3,2,3,2,3}: mean 3.
  // Previous: 2,3,4,2,3,4,2,3,4,2: mean 2.9.
  const json::object& cmp = c->at("comparison").as_object();
  EXPECT_DOUBLE_EQ(cmp.at("current").as_object().at("mean").as_double(), 3.0);
  EXPECT_NEAR(cmp.at("comparator").as_object().at("mean").as_double(), 2.9, 1e-12);
  EXPECT_NEAR(cmp.at("mean_difference").as_double(), 0.1, 1e-12);
  EXPECT_EQ(c->at("current_n").as_object().at("value").as_int64(), 12);
  EXPECT_EQ(c->at("comparator_n").as_object().at("value").as_int64(), 10);
}

TEST_F(ReportApiTest, ASmallGroupCannotBeRecoveredByDifferencingTotalsOrReports) {
  run_surveys();
  import_outcomes();
  const json::object alone = report(cohort_query(cohort_));
  const json::object compared = report(cohort_query(cohort_) + "&compare=" + std::to_string(previous_));
  const json::object as_comparator = report(cohort_query(previous_) + "&compare=" + std::to_string(cohort_));

  // Outcome 5 (3 people) is withheld, and so is a second cell, so the
  // published total minus the published cells leaves two unknowns.
  auto arcp = cells(alone.at("outcomes").as_object().at("arcp").as_object());
  EXPECT_TRUE(arcp["5"].is_null());
  EXPECT_TRUE(arcp["2"].is_null());  // the smallest other non-zero cell
  EXPECT_EQ(arcp["1"].as_int64(), 12);
  const json::object& total = alone.at("outcomes").as_object().at("arcp").as_object().at("total").as_object();
  ASSERT_FALSE(total.at("value").is_null());
  std::int64_t published_sum = 0;
  int withheld = 0;
  for (const auto& [label, v] : arcp) {
    if (v.is_null())
      ++withheld;
    else
      published_sum += v.as_int64();
  }
  EXPECT_EQ(withheld, 2);
  EXPECT_EQ(total.at("value").as_int64() - published_sum, 13);  // 10 + 3, not either one

  // Every report publishes exactly the same cells for this cohort, so
  // putting two reports side by side reveals nothing new.
  EXPECT_EQ(json::serialize(alone.at("outcomes")), json::serialize(compared.at("outcomes")));
  EXPECT_EQ(json::serialize(alone.at("outcomes")), json::serialize(as_comparator.at("comparator_outcomes")));
  EXPECT_EQ(json::serialize(alone.at("responses")), json::serialize(compared.at("responses")));

  // Respondents by audience: 2 supervisors withheld; with 12 mentees published
  // and the total published, the 3 mentors must be withheld as well.
  const json::object& baseline = alone.at("responses").as_array()[0].as_object().at("respondents").as_object();
  auto resp = cells(baseline);
  EXPECT_TRUE(resp["supervisors"].is_null());
  EXPECT_TRUE(resp["mentors"].is_null());
  EXPECT_EQ(resp["mentees"].as_int64(), 12);
  if (!baseline.at("total").as_object().at("value").is_null()) {
    EXPECT_EQ(baseline.at("total").as_object().at("value").as_int64() - 12, 5);  // 3 + 2: still two unknowns
  }

  // Exams sat by 4 people: numerator, denominator and rate all withheld.
  const json::object& exams = alone.at("outcomes").as_object().at("exams").as_object();
  const json::object& g = exams.at("groups").as_array()[0].as_object();
  EXPECT_TRUE(g.at("numerator").as_object().at("value").is_null());
  EXPECT_TRUE(g.at("denominator").as_object().at("value").is_null());
  EXPECT_TRUE(g.at("rate").is_null());

  // No number in the report equals a withheld count by accident of
  // serialisation: the withheld cells carry no value at all.
  const std::string text = json::serialize(alone);
  EXPECT_EQ(text.find("\"value\":3,"), std::string::npos);
}

TEST_F(ReportApiTest, CsvIsFormulaSafeAndPdfNeedsARenderer) {
  run_surveys();
  import_outcomes();
  http::Response csv = call("GET", scheme_path("/report.csv?" + cohort_query(cohort_)));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.header("Content-Disposition").find("report-"), std::string::npos);
  EXPECT_EQ(csv.body.find(",=HYPERLINK"), std::string::npos);
  EXPECT_NE(csv.body.find("'=HYPERLINK"), std::string::npos);
  EXPECT_NE(csv.body.find("survey_change,August 2026,mentees,confidence,pairs,12,none"), std::string::npos);
  EXPECT_NE(csv.body.find("outcomes_arcp,August 2026,,5,people,,primary"), std::string::npos);

  http::Response pdf = call("GET", scheme_path("/report.pdf?" + cohort_query(cohort_)));
  EXPECT_EQ(pdf.status, 503);
  EXPECT_EQ(reason_of(pdf), "report_pdf_unavailable");
  std::string rendered_for;
  ctx_->render_pdf = [&](const app::EvaluationReport& r,
                         const std::vector<app::PublishedCheckinTally>&) -> core::Result<std::vector<std::uint8_t>> {
    rendered_for = r.cohort.name;
    return std::vector<std::uint8_t>{'%', 'P', 'D', 'F'};
  };
  pdf = call("GET", scheme_path("/report.pdf?" + cohort_query(cohort_)));
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf.body, "%PDF");
  EXPECT_EQ(rendered_for, "August 2026");
}

TEST_F(ReportApiTest, BadReportRequestsAreRefusedAndChangeNothing) {
  std::int64_t foreign = 0;
  write([&](core::Stores& s) {
    auto other =
        s.schemes.create(core::SchemeInput{"Other", core::SchemeType::kTraditional, "", core::SchemePhase::kPilot}, 1);
    core::CohortInput ci{other->id,
                         "X",
                         *core::Date::parse("2026-06-01"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2027-08-04"),
                         core::MatchingModel::kAssigned};
    foreign = s.schemes.create_cohort(ci, 1)->id;
  });
  EXPECT_EQ(reason_of(call("GET", scheme_path("/report"))), "query_required");
  EXPECT_EQ(reason_of(call("GET", scheme_path("/report?cohort=abc"))), "query_not_id");
  EXPECT_EQ(
      reason_of(call("GET", scheme_path("/report?" + cohort_query(cohort_) + "&compare=" + std::to_string(cohort_)))),
      "report_compare_same_cohort");
  EXPECT_EQ(reason_of(call("GET", scheme_path("/report?" + cohort_query(foreign)))), "report_cohort_other_scheme");
  EXPECT_EQ(
      reason_of(call("GET", scheme_path("/report?" + cohort_query(cohort_) + "&compare=" + std::to_string(foreign)))),
      "report_cohort_other_scheme");
  EXPECT_EQ(call("GET", "/api/v1/schemes/999/report?" + cohort_query(cohort_)).status, 404);
  EXPECT_EQ(call("GET", scheme_path("/report?" + cohort_query(cohort_)), nullptr, false).status, 401);
  const std::string size_path = "/api/v1/cohorts/" + std::to_string(cohort_) + "/audience-size";
  EXPECT_EQ(reason_of(call("PUT", size_path, json::value(json::object{{"size", -1}}))), "audience_size_invalid");
  EXPECT_EQ(reason_of(call("PUT", size_path, json::value(json::object{{"size", 10}, {"x", 1}}))), "unknown_field");
  EXPECT_EQ(reason_of(call("PUT", "/api/v1/cohorts/999/audience-size", json::value(json::object{{"size", 10}}))),
            "cohort_not_found");
  EXPECT_EQ(count_rows("evaluation_audiences"), 0);
}

TEST_F(ReportApiTest, ObjectivesAndReadinessComeFromTheSetUpRecords) {
  write([&](core::Stores& s) {
    core::Objective o;
    o.schemeid = scheme_;
    o.what = "Increase the share of FY1 doctors who feel prepared for practice";
    o.metric = "FY1 preparedness survey, % agreeing";
    o.baseline = 40;
    o.unit = "%";
    o.baseline_on = *core::Date::parse("2026-01-01");
    o.target = 60;
    o.deadline = *core::Date::parse("2026-06-30");  // passed on 2026-07-01
    o.ownerid = mentees_[0];
    auto stored = s.objectives.create(o, 1);
    ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
    ASSERT_TRUE(s.objectives.add_measurement(stored->id, *core::Date::parse("2026-06-01"), 50, 1).is_ok());
  });
  json::object r = report(cohort_query(cohort_));
  ASSERT_EQ(r["objectives"].as_array().size(), 1u);
  const json::object& o = r["objectives"].as_array()[0].as_object();
  EXPECT_EQ(o.at("state").as_string(), "missed");
  EXPECT_TRUE(o.at("deadline_passed").as_bool());
  EXPECT_DOUBLE_EQ(o.at("latest").as_object().at("value").as_double(), 50);
  const json::object& ready = r["readiness"].as_object();
  EXPECT_EQ(ready.at("unassigned").as_array().size(), 7u);
  EXPECT_EQ(ready.at("smart_objectives").as_int64(), 1);
  std::set<std::string> unmet;
  for (const auto& f : ready.at("unmet").as_array()) unmet.insert(std::string(f.as_object().at("reason").as_string()));
  EXPECT_TRUE(unmet.count("bau_governance_unassigned"));
  EXPECT_TRUE(unmet.count("bau_no_required_mentor_training"));
  EXPECT_FALSE(unmet.count("bau_no_smart_objectives"));
  EXPECT_TRUE(unmet.count("bau_no_senior_sponsor")) << "no business-as-usual plan is stored yet";
  EXPECT_EQ(ready.at("active_pairs").as_int64(), 0);
  EXPECT_TRUE(ready.at("annual_cost_pence_per_pair").is_null());
}

}  // namespace
}  // namespace mentoring
