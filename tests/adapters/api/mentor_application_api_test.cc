// Mentor recruitment by application (app/mentor_recruitment.h) through the
// API and the service, on SQLite: applying is validated field by field and
// against the cohort, staff approve (enrolling the mentor through the
// enrolment rules, in the same transaction) or decline with a reason, an
// approval the rules refuse leaves the application pending with the reason,
// a scheme without approval enrols at once, every decision is audited, and
// the applicant's answers are in their subject access export and go when
// they are erased.
#include "adapters/api/mentor_application_api.h"

#include "app/mentor_recruitment.h"
#include "tests/adapters/api/audit_api_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

class MentorApplicationApiTest : public RecordsApiTest {
 protected:
  void SetUp() override {
    RecordsApiTest::SetUp();
    if (HasFatalFailure()) return;
    recruitment_ = std::make_unique<app::MentorRecruitmentService>(*db_, clock_);
    ctx_ = std::make_unique<api::MentorApplicationApiContext>(
        api::MentorApplicationApiContext{*recruitment_, kRecordsToken});
    api::add_mentor_application_routes(router_, *ctx_);
    staff_ = account("sub-staff", "Priya Patel", "priya@example.nhs.uk");
  }

  static json::object answers() {
    return json::object{{"motivation", "I was mentored as an FY1 and want to give that back."},
                        {"expertise_areas", json::array{"Exams", "less than full time training"}},
                        {"capacity", 2},
                        {"availability", "Weekday evenings, remote"},
                        {"declaration", true}};
  }
  std::string apply_path() const { return "/api/v1/cohorts/" + std::to_string(cohort_) + "/mentor-applications"; }
  std::string app_path(std::int64_t id, const std::string& rest = "") const {
    return "/api/v1/mentor-applications/" + std::to_string(id) + rest;
  }
  std::int64_t apply_as(std::int64_t who) {
    http::Response res = call("POST", apply_path(), json::value(answers()), {as(who)});
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? body_of(res)["id"].as_int64() : 0;
  }

  std::unique_ptr<app::MentorRecruitmentService> recruitment_;
  std::unique_ptr<api::MentorApplicationApiContext> ctx_;
  std::int64_t staff_ = 0;
};

TEST_F(MentorApplicationApiTest, AnApplicationIsStoredPendingAndAudited) {
  http::Response res = call("POST", apply_path(), json::value(answers()), {as(ada_)});
  ASSERT_EQ(res.status, 201) << res.body;
  json::object a = body_of(res);
  EXPECT_EQ(a["status"].as_string(), "pending");
  EXPECT_EQ(a["accountid"].as_int64(), ada_);
  EXPECT_EQ(a["schemeid"].as_int64(), scheme_);
  EXPECT_EQ(a["expertise_areas"].as_array().size(), 2u);
  EXPECT_EQ(a["expertise_areas"].as_array()[0].as_string(), "exams");
  EXPECT_TRUE(a["enrolmentid"].is_null());
  EXPECT_EQ(count_rows("enrolments", "role = 'mentor'"), 0);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'mentor_application' AND action = 'create' AND actorid = " +
                                        std::to_string(ada_)),
            1);
  // A second pending application in the same cohort is refused.
  http::Response again = call("POST", apply_path(), json::value(answers()), {as(ada_)});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(reason_of(again), "application_pending");
  // The applicant sees it in their own list.
  http::Response mine = get("/api/v1/mentor-applications", {as(ada_)});
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(body_of(mine)["items"].as_array().size(), 1u);
  EXPECT_EQ(reason_of(get("/api/v1/mentor-applications")), "actor_required");
}

TEST_F(MentorApplicationApiTest, BadFieldsAreRefusedEachWithItsReasonAndNothingIsWritten) {
  struct Case {
    const char* key;
    json::value value;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"motivation", json::value("short"), "motivation_too_short"},
      {"motivation", json::value(std::string(2001, 'm')), "motivation_too_long"},
      {"expertise_areas", json::value(json::array{}), "expertise_areas_required"},
      {"capacity", json::value(11), "capacity_invalid"},
      {"availability", json::value(""), "availability_required"},
      {"declaration", json::value(false), "declaration_required"},
      {"declaration", json::value("yes"), "field_not_boolean"},
  };
  for (const Case& c : cases) {
    json::object body = answers();
    body[c.key] = c.value;
    http::Response res = call("POST", apply_path(), json::value(body), {as(ada_)});
    EXPECT_EQ(res.status, 400) << c.key;
    EXPECT_EQ(reason_of(res), c.reason) << c.key;
    EXPECT_EQ(std::string(body_of(res)["error"].as_object()["field"].as_string()), c.key);
  }
  json::object extra = answers();
  extra["gmc"] = "1234567";
  EXPECT_EQ(call("POST", apply_path(), json::value(extra), {as(ada_)}).status, 400);
  EXPECT_EQ(reason_of(call("POST", apply_path(), json::value(answers()))), "actor_required");
  EXPECT_EQ(call("POST", "/api/v1/cohorts/9999/mentor-applications", json::value(answers()), {as(ada_)}).status, 404);
  EXPECT_EQ(count_rows("mentor_applications"), 0);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'mentor_application'"), 0);
}

TEST_F(MentorApplicationApiTest, ACohortNotRecruitingOrAnExistingMentorIsRefused) {
  clock_.set_ms(1786000000000);  // 2026-08-06: after the cohort closed
  http::Response closed = call("POST", apply_path(), json::value(answers()), {as(ada_)});
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(reason_of(closed), "enrolment_closed");
  clock_.set_ms(kRecordsNowMs);
  ASSERT_TRUE(enrolments_->enrol(cohort_, bea_, core::Role::kMentor).is_ok());
  http::Response mentor = call("POST", apply_path(), json::value(answers()), {as(bea_)});
  EXPECT_EQ(mentor.status, 409);
  EXPECT_EQ(reason_of(mentor), "already_mentor");
  EXPECT_EQ(count_rows("mentor_applications"), 0);
}

TEST_F(MentorApplicationApiTest, StaffApproveWhichEnrolsTheMentorInTheSameTransaction) {
  const std::int64_t id = apply_as(ada_);
  http::Response pending = get("/api/v1/schemes/" + std::to_string(scheme_) + "/mentor-applications?status=pending");
  ASSERT_EQ(pending.status, 200) << pending.body;
  json::object list = body_of(pending);
  ASSERT_EQ(list["total"].as_int64(), 1);
  json::object item = list["items"].as_array()[0].as_object();
  EXPECT_EQ(item["applicant"].as_object()["display_name"].as_string(), "Dr Ada Lovelace");
  EXPECT_EQ(item["cohort_name"].as_string(), "August 2026");
  EXPECT_TRUE(item["training"].as_object()["ready"].as_bool());

  http::Response approved = send("POST", app_path(id, "/approve"), "", "", {as(staff_)});
  ASSERT_EQ(approved.status, 200) << approved.body;
  json::object a = body_of(approved);
  EXPECT_EQ(a["status"].as_string(), "approved");
  EXPECT_EQ(a["decided_by"].as_int64(), staff_);
  ASSERT_TRUE(a["enrolmentid"].is_int64());
  EXPECT_EQ(count_rows("enrolments", "role = 'mentor' AND status = 'active' AND accountid = " + std::to_string(ada_) +
                                         " AND id = " + std::to_string(a["enrolmentid"].as_int64())),
            1);
  // The enrolment's own audit entry and event, and the decision's entry.
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'enrolment' AND summary = 'enrolled as mentor' AND actorid = " +
                                        std::to_string(staff_)),
            1);
  EXPECT_EQ(count_rows("webhook_outbox", "event_type = 'mentoring.enrolled'"), 1);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'mentor_application' AND summary = 'mentor application approved'"),
            1);
  // A decided application cannot be decided again.
  http::Response twice = send("POST", app_path(id, "/approve"), "", "", {as(staff_)});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(reason_of(twice), "application_decided");
  EXPECT_EQ(body_of(get(app_path(id)))["status"].as_string(), "approved");
  EXPECT_EQ(body_of(get("/api/v1/schemes/" + std::to_string(scheme_) + "/mentor-applications"))["total"].as_int64(), 1);
  EXPECT_EQ(get("/api/v1/schemes/" + std::to_string(scheme_) + "/mentor-applications?status=maybe").status, 400);
}

TEST_F(MentorApplicationApiTest, AnApprovalTheRulesRefuseLeavesThePendingApplicationWithTheReason) {
  core::SchemeEligibility rules;
  rules.schemeid = scheme_;
  rules.mentors.minimum_stage = core::CareerStage::kSt3;
  ASSERT_TRUE(eligibility_->save(rules).is_ok());
  const std::int64_t id = apply_as(ada_);  // no mentor profile
  http::Response refused = send("POST", app_path(id, "/approve"), "", "", {as(staff_)});
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(reason_of(refused), "mentor_profile_required");
  json::object a = body_of(get(app_path(id)));
  EXPECT_EQ(a["status"].as_string(), "pending");
  EXPECT_EQ(a["approval_error"].as_object()["reason"].as_string(), "mentor_profile_required");
  EXPECT_EQ(count_rows("enrolments", "role = 'mentor'"), 0);
  EXPECT_EQ(count_rows("webhook_outbox"), 0);
  EXPECT_EQ(count_rows("audit_log",
                       "entity_type = 'mentor_application' AND summary = "
                       "'mentor application approval refused (mentor_profile_required)'"),
            1);
  // Once the scheme's rule is lifted the same application can be approved.
  rules.mentors.minimum_stage.reset();
  ASSERT_TRUE(eligibility_->save(rules).is_ok());
  http::Response approved = send("POST", app_path(id, "/approve"), "", "", {as(staff_)});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_TRUE(body_of(approved)["approval_error"].is_null());
}

TEST_F(MentorApplicationApiTest, StaffDeclineWithAReasonTheApplicantSees) {
  const std::int64_t id = apply_as(ada_);
  http::Response empty =
      call("POST", app_path(id, "/decline"), json::value(json::object{{"reason", " "}}), {as(staff_)});
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(reason_of(empty), "decision_reason_required");
  http::Response declined =
      call("POST", app_path(id, "/decline"), json::value(json::object{{"reason", "This cohort has enough mentors."}}),
           {as(staff_)});
  ASSERT_EQ(declined.status, 200) << declined.body;
  json::array mine = body_of(get("/api/v1/mentor-applications", {as(ada_)}))["items"].as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].as_object().at("status").as_string(), "declined");
  EXPECT_EQ(mine[0].as_object().at("decision_reason").as_string(), "This cohort has enough mentors.");
  EXPECT_EQ(count_rows("enrolments", "role = 'mentor'"), 0);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'mentor_application' AND summary = 'mentor application declined'"),
            1);
  // Declined, the person may apply again.
  EXPECT_GT(apply_as(ada_), id);
}

TEST_F(MentorApplicationApiTest, WithoutApprovalApplyingEnrolsAtOnce) {
  const std::string settings = "/api/v1/schemes/" + std::to_string(scheme_) + "/mentor-recruitment";
  EXPECT_TRUE(body_of(get(settings))["approval_required"].as_bool());
  EXPECT_EQ(reason_of(call("PUT", settings, json::value(json::object{}))), "field_required");
  http::Response off = call("PUT", settings, json::value(json::object{{"approval_required", false}}), {as(staff_)});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(body_of(get(settings))["approval_required"].as_bool());
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'mentor_recruitment' AND actorid = " + std::to_string(staff_)), 1);

  http::Response res = call("POST", apply_path(), json::value(answers()), {as(ada_)});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(body_of(res)["status"].as_string(), "approved");
  EXPECT_EQ(count_rows("enrolments", "role = 'mentor' AND accountid = " + std::to_string(ada_)), 1);

  // The rules still apply: refused, nothing is written.
  core::SchemeEligibility rules;
  rules.schemeid = scheme_;
  rules.mentors.minimum_stage = core::CareerStage::kSt3;
  ASSERT_TRUE(eligibility_->save(rules).is_ok());
  http::Response refused = call("POST", apply_path(), json::value(answers()), {as(bea_)});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(reason_of(refused), "mentor_profile_required");
  EXPECT_EQ(count_rows("mentor_applications", "accountid = " + std::to_string(bea_)), 0);
}

TEST_F(MentorApplicationApiTest, TheApplicationIsInTheExportAndGoesOnErasure) {
  const std::int64_t id = apply_as(ada_);
  auto exported = privacy_->export_account(ada_, core::Actor::account(ada_));
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  bool found = false;
  for (const core::ExportedTable& t : exported->tables) {
    if (t.table != "mentor_applications") continue;
    ASSERT_EQ(t.rows.size(), 1u);
    for (const auto& [name, value] : t.rows[0].columns)
      if (name == "motivation") found = std::get<std::string>(value).find("give that back") != std::string::npos;
  }
  EXPECT_TRUE(found);
  ASSERT_TRUE(recruitment_->approve(id, std::nullopt, core::Actor::account(staff_)).is_ok());
  auto erased = privacy_->erase(ada_, core::Actor::service());
  ASSERT_TRUE(erased.is_ok()) << erased.status().to_string();
  EXPECT_EQ(count_rows("mentor_applications"), 0);
  // The enrolment the approval made stays, withdrawn.
  EXPECT_EQ(count_rows("enrolments", "role = 'mentor' AND status = 'withdrawn'"), 1);
}

}  // namespace
}  // namespace mentoring::testing
