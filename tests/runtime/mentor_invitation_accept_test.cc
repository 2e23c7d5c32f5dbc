// Accepting the invitation to mentor from the end-of-scheme meeting
// (app/mentor_invitation_accept.h), through app::MentorRecruitmentService
// and the JSON API, on SQLite and, when configured, PostgreSQL: the invited
// mentee becomes a mentor in one step (mentor profile from the mentee
// profile, enrolment in the first open cohort, an application approved by
// the invitation, audited); a second acceptance writes nothing; someone not
// invited, a missing declaration, no open cohort and the scheme's mentor
// rules are refused with nothing written.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "adapters/api/audit_support.h"
#include "adapters/api/mentor_application_api.h"
#include "adapters/http/router.h"
#include "app/cohort_sessions.h"
#include "app/mentor_invitation_accept.h"
#include "app/mentor_recruitment.h"
#include "core/clock.h"
#include "core/cohort_session_stores.h"
#include "core/setup_stores.h"
#include "storage/database.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::app {
namespace {
namespace json = boost::json;
using core::Status;

constexpr const char* kToken = "test-service-token-invitation-012";

core::UnixSeconds noon(const char* iso) { return core::Date::parse(iso)->days_since_epoch() * 86400 + 43200; }

class MentorInvitationAcceptTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    sessions_ = std::make_unique<CohortSessionService>(*db_, clock_);
    recruitment_ = std::make_unique<MentorRecruitmentService>(*db_, clock_);
    ctx_ = std::make_unique<api::MentorApplicationApiContext>(api::MentorApplicationApiContext{*recruitment_, kToken});
    api::add_mentor_application_routes(router_, *ctx_);
    write([&](core::Stores& s) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Support FY1", core::SchemePhase::kPilot}, 1);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      scheme_ = scheme->id;
      finished_ = cohort(s, scheme_, "August 2026", "2026-06-01", "2026-08-05", "2026-08-05", "2027-08-04");
      // Two cohorts open for enrolment on 2027-07-21: the one that starts
      // first is where the accepted mentor mentors.
      later_ = cohort(s, scheme_, "October 2027", "2027-06-01", "2027-09-30", "2027-10-01", "2028-09-30");
      next_ = cohort(s, scheme_, "August 2027", "2027-06-01", "2027-08-04", "2027-08-04", "2028-08-03");
      auto other = s.schemes.create(
          core::SchemeInput{"ST3 mentoring", core::SchemeType::kNearPeer, "Support ST3", core::SchemePhase::kPilot}, 1);
      ASSERT_TRUE(other.is_ok());
      other_scheme_ = other->id;
      cohort(s, other_scheme_, "ST3 2027", "2027-06-01", "2027-08-04", "2027-08-04", "2028-08-03");
      lead_ = account(s, "lead");
      mentee_ = account(s, "mentee");
      uninvited_ = account(s, "uninvited");
      auto me = s.enrolments.create(finished_, mentee_, core::Role::kMentee, 1);
      auto un = s.enrolments.create(finished_, uninvited_, core::Role::kMentee, 1);
      ASSERT_TRUE(me.is_ok() && un.is_ok());
      mentee_enrolment_ = me->id;
      uninvited_enrolment_ = un->id;
      ASSERT_TRUE(s.enrolments.set_status(me->id, core::EnrolmentStatus::kCompleted, 1).is_ok());
      core::MenteeProfile p;
      p.accountid = mentee_;
      p.career_stage = core::CareerStage::kFy2;
      p.specialty = "General practice";
      p.site = "Royal Preston Hospital";
      p.region = "North West";
      p.goals = "Preparing for specialty applications and the first on-call rota.";
      p.topics = {"specialty applications", "wellbeing"};
      p.languages = {"en", "cy"};
      p.meeting_mode = core::MeetingMode::kVirtual;
      p.availability = "Weekday evenings";
      auto saved = s.profiles.save_mentee(p, 1);
      ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
      core::TrainingModule skills;
      skills.code = "mentoring_skills";
      skills.title = "Mentoring skills";
      skills.required = true;
      ASSERT_TRUE(s.training.replace_modules(scheme_, {skills}, 1).is_ok());
    });
    // The end-of-scheme meeting: the completed mentee is invited; the
    // active one attends but is not (they did not complete).
    clock_.set_ms(noon("2027-07-20") * 1000);
    core::CohortSessionInput in;
    in.cohortid = finished_;
    in.kind = core::SessionKind::kEnd;
    in.title = "End-of-scheme meeting";
    in.starts_at = noon("2027-07-20");
    in.minutes = 90;
    auto session = sessions_->schedule(in, core::Actor::account(lead_));
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    session_ = session->id;
    clock_.set_ms(noon("2027-07-21") * 1000);
    auto marked = sessions_->record_attendance(session_, {{mentee_enrolment_, true}, {uninvited_enrolment_, true}},
                                               core::Actor::account(lead_));
    ASSERT_TRUE(marked.is_ok()) << marked.status().to_string();
    auto invited = sessions_->mentor_invitations(mentee_);
    ASSERT_TRUE(invited.is_ok());
    ASSERT_EQ(invited->size(), 1u);
    invited_at_ = invited->front().invited_at;
    clock_.set_ms(noon("2027-07-22") * 1000);
  }
  void TearDown() override {
    router_ = http::Router();
    ctx_.reset();
    recruitment_.reset();
    sessions_.reset();
    db_.reset();
    BackendTest::TearDown();
  }

  std::int64_t account(core::Stores& s, const std::string& subject) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, 1);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? a->id : 0;
  }
  std::int64_t cohort(core::Stores& s, std::int64_t schemeid, const char* name, const char* opens, const char* closes,
                      const char* starts, const char* ends) {
    auto c = s.schemes.create_cohort(
        core::CohortInput{schemeid, name, *core::Date::parse(opens), *core::Date::parse(closes),
                          *core::Date::parse(starts), *core::Date::parse(ends), core::MatchingModel::kAssigned},
        1);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? c->id : 0;
  }

  template <typename Fn>
  void write(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  int count_rows(const std::string& table, const std::string& where = "1 = 1") {
    int n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table + " WHERE " + where, soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  // Rows the acceptance writes, to show a refusal or a repeat wrote none.
  std::string footprint() {
    return std::to_string(count_rows("mentor_profiles")) + "/" +
           std::to_string(count_rows("enrolments", "role = 'mentor'")) + "/" +
           std::to_string(count_rows("mentor_applications")) + "/" + std::to_string(count_rows("audit_log"));
  }

  static InvitationAcceptInput declared(std::string bio = "I was a mentee in this scheme.") {
    InvitationAcceptInput in;
    in.declaration = true;
    in.bio = std::move(bio);
    return in;
  }

  bool scheme_mentor(std::int64_t accountid) {
    bool out = false;
    Status st = db_->read_only([&](core::Stores& s) -> Status {
      auto r = is_scheme_mentor(s, scheme_, accountid);
      if (!r) return r.status();
      out = *r;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return out;
  }

  http::Response call(const std::string& method, const std::string& target, std::int64_t actor,
                      const json::value* body) {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(req)) << target;
    req.headers.push_back({"Authorization", std::string("Bearer ") + kToken});
    if (actor > 0) req.headers.push_back({api::kActorHeader, std::to_string(actor)});
    if (body) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = json::serialize(*body);
    }
    return router_.handle(req);
  }
  http::Response accept_api(std::int64_t actor, const json::object& body) {
    const json::value v(body);
    return call("POST", "/api/v1/schemes/" + std::to_string(scheme_) + "/mentor-invitation/accept", actor, &v);
  }
  static json::object body_of(const http::Response& res) { return json::parse(res.body).as_object(); }
  static std::string reason_of(const http::Response& res) {
    auto b = body_of(res);
    if (!b.contains("error")) return res.body;
    return std::string(b.at("error").as_object().at("reason").as_string());
  }

  core::FixedClock clock_{0};
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<CohortSessionService> sessions_;
  std::unique_ptr<MentorRecruitmentService> recruitment_;
  std::unique_ptr<api::MentorApplicationApiContext> ctx_;
  http::Router router_;
  std::int64_t scheme_ = 0, other_scheme_ = 0, finished_ = 0, next_ = 0, later_ = 0, session_ = 0;
  std::int64_t lead_ = 0, mentee_ = 0, uninvited_ = 0, mentee_enrolment_ = 0, uninvited_enrolment_ = 0;
  core::UnixSeconds invited_at_ = 0;
};

TEST_P(MentorInvitationAcceptTest, TheInvitedMenteeBecomesAMentorInOneStep) {
  ASSERT_FALSE(scheme_mentor(mentee_));
  auto r = recruitment_->accept_invitation(scheme_, mentee_, declared());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->already_mentor);
  EXPECT_EQ(r->invitation.sessionid, session_);
  EXPECT_EQ(r->invitation.cohortid, finished_);
  // The open cohort that starts first, not the finished one.
  EXPECT_EQ(r->cohort.id, next_);
  ASSERT_TRUE(r->enrolment.has_value());
  EXPECT_EQ(r->enrolment->cohortid, next_);
  EXPECT_EQ(r->enrolment->role, core::Role::kMentor);
  EXPECT_EQ(r->enrolment->status, core::EnrolmentStatus::kActive);

  // The mentor profile is the mentee profile's shared fields, capacity 1.
  EXPECT_TRUE(r->profile_created);
  std::optional<core::MentorProfile> stored;
  Status read = db_->read_only([&](core::Stores& s) -> Status {
    auto p = s.profiles.find_mentor(mentee_);
    if (!p) return p.status();
    stored = *p;
    return Status::ok();
  });
  ASSERT_TRUE(read.is_ok()) << read.to_string();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->career_stage, core::CareerStage::kFy2);
  EXPECT_EQ(stored->specialty, "General practice");
  EXPECT_EQ(stored->site, "Royal Preston Hospital");
  EXPECT_EQ(stored->region, "North West");
  EXPECT_EQ(stored->languages, (std::vector<std::string>{"en", "cy"}));
  EXPECT_EQ(stored->expertise_areas, (std::vector<std::string>{"specialty applications", "wellbeing"}));
  EXPECT_EQ(stored->capacity, 1);
  EXPECT_EQ(stored->bio, "I was a mentee in this scheme.");

  // The application counts as approved by the invitation: who recorded the
  // attendance, when the invitation was made.
  ASSERT_TRUE(r->application.has_value());
  const core::MentorApplication& a = *r->application;
  EXPECT_EQ(a.status, core::ApplicationStatus::kApproved);
  EXPECT_EQ(a.cohortid, next_);
  EXPECT_EQ(a.schemeid, scheme_);
  ASSERT_TRUE(a.decided_by.has_value());
  EXPECT_EQ(*a.decided_by, lead_);
  ASSERT_TRUE(a.decided_at.has_value());
  EXPECT_EQ(*a.decided_at, invited_at_);
  ASSERT_TRUE(a.enrolmentid.has_value());
  EXPECT_EQ(*a.enrolmentid, r->enrolment->id);
  EXPECT_TRUE(a.answers.declaration);
  EXPECT_EQ(a.answers.capacity, 1);
  EXPECT_EQ(a.answers.availability, "Weekday evenings");
  EXPECT_EQ(count_rows("mentor_applications", "status = 'approved' AND accountid = " + std::to_string(mentee_)), 1);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'mentor_application' AND action = 'create' AND actorid = " +
                                        std::to_string(mentee_) + " AND summary LIKE 'mentor invitation accepted%'"),
            1);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'mentor_profile' AND actorid = " + std::to_string(mentee_)), 1);

  // A mentor now, but the required training is missing: not matchable.
  EXPECT_TRUE(scheme_mentor(mentee_));
  EXPECT_FALSE(r->readiness.ready);
  ASSERT_EQ(r->readiness.issues.size(), 1u);
  EXPECT_EQ(r->readiness.issues[0].module_code, "mentoring_skills");
}

TEST_P(MentorInvitationAcceptTest, AcceptingAgainChangesNothingAndSaysTheyAreAMentor) {
  auto first = recruitment_->accept_invitation(scheme_, mentee_, declared());
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  const std::string before = footprint();
  clock_.set_ms(noon("2027-07-23") * 1000);
  auto again = recruitment_->accept_invitation(scheme_, mentee_, declared("Something else entirely."));
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_TRUE(again->already_mentor);
  EXPECT_FALSE(again->application.has_value());
  EXPECT_FALSE(again->profile_created);
  EXPECT_EQ(again->cohort.id, next_);
  EXPECT_EQ(again->profile.bio, "I was a mentee in this scheme.");
  EXPECT_EQ(footprint(), before);
}

TEST_P(MentorInvitationAcceptTest, SomeoneNotInvitedIsRefusedAndNothingIsWritten) {
  const std::string before = footprint();
  auto r = recruitment_->accept_invitation(scheme_, uninvited_, declared());
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(r.status().reason(), "not_invited");
  // An invitation from one scheme is not one to another.
  auto elsewhere = recruitment_->accept_invitation(other_scheme_, mentee_, declared());
  ASSERT_FALSE(elsewhere.is_ok());
  EXPECT_EQ(elsewhere.status().reason(), "not_invited");
  EXPECT_EQ(footprint(), before);
  EXPECT_FALSE(scheme_mentor(uninvited_));
}

TEST_P(MentorInvitationAcceptTest, AMissingDeclarationOrIntroductionIsRefusedAndNothingIsWritten) {
  const std::string before = footprint();
  InvitationAcceptInput undeclared = declared();
  undeclared.declaration = false;
  auto r = recruitment_->accept_invitation(scheme_, mentee_, undeclared);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().reason(), "declaration_required");
  EXPECT_EQ(r.status().field(), "declaration");
  auto no_bio = recruitment_->accept_invitation(scheme_, mentee_, declared("   "));
  ASSERT_FALSE(no_bio.is_ok());
  EXPECT_EQ(no_bio.status().reason(), "bio_required");
  EXPECT_EQ(footprint(), before);
}

TEST_P(MentorInvitationAcceptTest, WithNoCohortOpenTheInvitationWaitsAndNothingIsWritten) {
  clock_.set_ms(noon("2027-11-01") * 1000);
  const std::string before = footprint();
  auto r = recruitment_->accept_invitation(scheme_, mentee_, declared());
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(r.status().reason(), "no_cohort_open");
  EXPECT_EQ(footprint(), before);
  auto still = sessions_->mentor_invitations(mentee_);
  ASSERT_TRUE(still.is_ok());
  EXPECT_EQ(still->size(), 1u);
}

TEST_P(MentorInvitationAcceptTest, TheSchemesMentorRulesStillApplyAndARefusalRollsEverythingBack) {
  write([&](core::Stores& s) {
    core::SchemeEligibility rules;
    rules.schemeid = scheme_;
    rules.mentors.minimum_stage = core::CareerStage::kSt3;
    ASSERT_TRUE(s.eligibility.save(rules, 1).is_ok());
  });
  const std::string before = footprint();
  auto r = recruitment_->accept_invitation(scheme_, mentee_, declared());
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kFailedPrecondition) << r.status().to_string();
  // Not even the mentor profile is kept.
  EXPECT_EQ(footprint(), before);
  EXPECT_FALSE(scheme_mentor(mentee_));
}

TEST_P(MentorInvitationAcceptTest, AnExistingMentorProfileAndPendingApplicationAreUsedNotDuplicated) {
  write([&](core::Stores& s) {
    core::MentorProfile p;
    p.accountid = mentee_;
    p.career_stage = core::CareerStage::kSt1;
    p.capacity = 3;
    p.bio = "My own introduction.";
    ASSERT_TRUE(s.profiles.save_mentor(p, 1).is_ok());
  });
  core::MentorApplicationInput in;
  in.motivation = "I was mentored as an FY1 and want to give that back.";
  in.expertise_areas = {"exams"};
  in.capacity = 3;
  in.availability = "Evenings";
  in.declaration = true;
  auto applied = recruitment_->apply(next_, mentee_, in);
  ASSERT_TRUE(applied.is_ok()) << applied.status().to_string();
  ASSERT_EQ(applied->status, core::ApplicationStatus::kPending);

  auto r = recruitment_->accept_invitation(scheme_, mentee_, declared("Not used."));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->profile_created);
  EXPECT_EQ(r->profile.capacity, 3);
  EXPECT_EQ(r->profile.bio, "My own introduction.");
  ASSERT_TRUE(r->application.has_value());
  EXPECT_EQ(r->application->id, applied->id);
  EXPECT_EQ(r->application->status, core::ApplicationStatus::kApproved);
  EXPECT_EQ(r->application->decided_by, std::optional<std::int64_t>(lead_));
  EXPECT_EQ(count_rows("mentor_applications", "accountid = " + std::to_string(mentee_)), 1);
  EXPECT_EQ(count_rows("mentor_profiles", "accountid = " + std::to_string(mentee_)), 1);
}

TEST_P(MentorInvitationAcceptTest, ASuspendedAccountCannotAccept) {
  Status st = db_->with_session([&](soci::session& sql) {
    sql << "UPDATE " + settings_.table_prefix + "accounts SET status = 'suspended' WHERE id = :id",
        soci::use(mentee_);
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  const std::string before = footprint();
  auto r = recruitment_->accept_invitation(scheme_, mentee_, declared());
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().reason(), "account_suspended");
  EXPECT_EQ(footprint(), before);
}

TEST_P(MentorInvitationAcceptTest, ThePortalAcceptsThroughTheApiOnceAndThenHearsTheyAreAMentor) {
  // Without the person named, without the declaration, or with a field the
  // API does not know: refused, nothing written.
  const std::string before = footprint();
  EXPECT_EQ(reason_of(accept_api(0, json::object{{"declaration", true}, {"bio", "Hello."}})), "actor_required");
  EXPECT_EQ(reason_of(accept_api(mentee_, json::object{{"bio", "Hello."}})), "declaration_required");
  EXPECT_EQ(accept_api(mentee_, json::object{{"declaration", true}, {"capacity", 4}}).status, 400);
  http::Response uninvited = accept_api(uninvited_, json::object{{"declaration", true}, {"bio", "Hello."}});
  EXPECT_EQ(uninvited.status, 403) << uninvited.body;
  EXPECT_EQ(reason_of(uninvited), "not_invited");
  EXPECT_EQ(footprint(), before);

  http::Response first = accept_api(mentee_, json::object{{"declaration", true}, {"bio", "A mentee once."}});
  ASSERT_EQ(first.status, 201) << first.body;
  json::object b = body_of(first);
  EXPECT_FALSE(b.at("already_mentor").as_bool());
  EXPECT_EQ(b.at("cohortid").as_int64(), next_);
  EXPECT_TRUE(b.at("profile_created").as_bool());
  EXPECT_EQ(b.at("mentor_profile").as_object().at("capacity").as_int64(), 1);
  EXPECT_EQ(b.at("mentor_profile").as_object().at("career_stage").as_string(), "fy2");
  const json::object& app = b.at("application").as_object();
  EXPECT_EQ(app.at("status").as_string(), "approved");
  EXPECT_EQ(app.at("decided_by").as_int64(), lead_);
  EXPECT_EQ(app.at("decided_at").as_int64(), invited_at_);
  EXPECT_EQ(b.at("invitation").as_object().at("sessionid").as_int64(), session_);
  EXPECT_FALSE(b.at("training").as_object().at("ready").as_bool());
  EXPECT_EQ(b.at("training").as_object().at("issues").as_array().size(), 1u);

  const std::string after = footprint();
  http::Response again = accept_api(mentee_, json::object{{"declaration", true}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(body_of(again).at("already_mentor").as_bool());
  EXPECT_TRUE(body_of(again).at("application").is_null());
  EXPECT_EQ(footprint(), after);
}

INSTANTIATE_TEST_SUITE_P(Backends, MentorInvitationAcceptTest, ::testing::Values("sqlite", "postgresql"),
                         storage::testing::backend_name);

}  // namespace
}  // namespace mentoring::app
