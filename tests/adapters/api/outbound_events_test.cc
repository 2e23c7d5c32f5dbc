// The outbound events written by the matching, survey and check-in use cases
// (app/webhook_events.h): mentoring.pairing_proposed, mentoring.survey_due
// and mentoring.certificate_issued. Each is in the outbox exactly when its
// change committed, once, and passes its schema in docs/webhook-schemas/.
#include <boost/json.hpp>
#include <set>

#include "app/checkins.h"
#include "app/survey.h"
#include "app/webhook_events.h"
#include "core/checkin_stores.h"
#include "core/evaluation_stores.h"
#include "core/webhook_stores.h"
#include "tests/adapters/api/matching_fixture.h"
#include "tests/adapters/api/webhook_schema_check.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using testing::MatchingFixture;

constexpr const char* kPlatform = "https://portal.example.nhs.uk";

class OutboundEventsTest : public MatchingFixture {
 protected:
  // The outbox rows of `type`, oldest first; each checked against its schema.
  std::vector<core::OutboxEntry> rows(const std::string& type) {
    std::vector<core::OutboxEntry> out;
    commit([&](core::Stores& s) {
      auto list = s.outbox.list(std::nullopt, core::Page{1000, 0});
      ASSERT_TRUE(list.is_ok()) << list.status().to_string();
      for (const auto& e : *list)
        if (e.event_type == type) out.insert(out.begin(), e);
    });
    for (const auto& e : out) {
      const auto errors = testing::event_schema_errors(e);
      EXPECT_TRUE(errors.empty()) << type << ": " << (errors.empty() ? "" : errors.front()) << "\n" << e.payload;
    }
    return out;
  }
  std::vector<json::object> events(const std::string& type) {
    std::vector<json::object> out;
    for (const auto& e : rows(type)) out.push_back(json::parse(e.payload).as_object());
    return out;
  }
  std::int64_t outbox_size() {
    std::int64_t n = 0;
    commit([&](core::Stores& s) {
      auto list = s.outbox.list(std::nullopt, core::Page{1000, 0});
      ASSERT_TRUE(list.is_ok()) << list.status().to_string();
      n = static_cast<std::int64_t>(list->size());
    });
    return n;
  }
  std::int64_t account_of(std::int64_t enrolmentid) {
    std::int64_t id = 0;
    commit([&](core::Stores& s) {
      auto e = s.enrolments.find(enrolmentid);
      ASSERT_TRUE(e.is_ok() && e->has_value());
      id = (**e).accountid;
    });
    return id;
  }
  static std::string subject(const json::object& data, const char* who) {
    return std::string(data.at(who).as_object().at("subject").as_string());
  }
  // Runs `fn` in a transaction that then fails: whatever it wrote must go.
  void rolled_back(const std::function<void(core::Stores&)>& fn) {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      fn(s);
      return core::Status::internal("test_rollback", "The unit of work fails after the event was appended.");
    });
    EXPECT_EQ(st.reason(), "test_rollback");
  }
};

// The schema check the tests rely on refuses what each schema forbids.
TEST(OutboundEventSchemaCheck, RefusesAMissingFieldAnExtraFieldAndAWrongType) {
  for (const char* type : {"mentoring.pairing_proposed", "mentoring.survey_due", "mentoring.certificate_issued"}) {
    const json::value schema = testing::load_event_schema(type);
    const json::value example = schema.at("examples").at(0);
    EXPECT_TRUE(testing::schema_errors(schema, example).empty()) << type;
    const json::object& data = example.at("data").as_object();
    for (const auto& [key, value] : data) {
      json::value without = example;
      without.at("data").as_object().erase(key);
      EXPECT_FALSE(testing::schema_errors(schema, without).empty()) << type << " without " << key;
      json::value wrong = example;
      wrong.at("data").as_object()[key] = value.is_string() ? json::value(-1) : json::value("x");
      EXPECT_FALSE(testing::schema_errors(schema, wrong).empty()) << type << " with a wrong " << key;
    }
    json::value extra = example;
    extra.at("data").as_object()["message"] = "free text";
    EXPECT_FALSE(testing::schema_errors(schema, extra).empty()) << type;
  }
}

// --- mentoring.pairing_proposed ----------------------------------------------

TEST_P(OutboundEventsTest, AMenteesRequestIsProposedToTheMentorOnceWithoutTheMessage) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  auto made = pairings_->request(cohort, e1, m1, "Please help with my portfolio", false);
  ASSERT_TRUE(made.is_ok()) << made.status().to_string();
  ASSERT_TRUE(made->request.has_value());
  auto proposed = events("mentoring.pairing_proposed");
  ASSERT_EQ(proposed.size(), 1u);
  json::object& data = proposed[0];
  EXPECT_EQ(data["request_id"].as_int64(), made->request->id);
  EXPECT_EQ(data["cohort_id"].as_int64(), cohort);
  EXPECT_EQ(data["source"].as_string(), "choice");
  EXPECT_EQ(subject(data, "mentee"), "e1");
  EXPECT_EQ(subject(data, "mentor"), "m1");
  EXPECT_EQ(data["mentor"].as_object().at("platform").as_string(), kPlatform);
  EXPECT_EQ(data["reply_by"].as_string(), core::format_rfc3339_ms(made->request->expires_at * 1000));
  EXPECT_EQ(json::serialize(data).find("portfolio"), std::string::npos) << "the message never leaves";

  // A refused request (one is pending) adds nothing; accepting confirms, and
  // does not propose again.
  EXPECT_EQ(pairings_->request(cohort, e1, m1, "", false).status().reason(), "request_already_pending");
  ASSERT_TRUE(pairings_->accept(made->request->id).is_ok());
  EXPECT_EQ(events("mentoring.pairing_proposed").size(), 1u);
  EXPECT_EQ(events("mentoring.pairing_confirmed").size(), 1u);
}

TEST_P(OutboundEventsTest, AWaitingMenteeIsProposedWhenAPlaceFreesNotWhileWaiting) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  auto first = pairings_->request(cohort, e1, m1, "", false);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  auto pairing = pairings_->accept(first->request->id);
  ASSERT_TRUE(pairing.is_ok()) << pairing.status().to_string();
  auto waiting = pairings_->request(cohort, e2, m1, "Happy to wait", true);
  ASSERT_TRUE(waiting.is_ok() && waiting->waiting.has_value()) << waiting.status().to_string();
  EXPECT_EQ(events("mentoring.pairing_proposed").size(), 1u) << "joining a waiting list proposes nothing";

  ASSERT_TRUE(pairings_->end(pairing->id, core::EndReason::kCompleted, core::EndedBy::kMentee, "").is_ok());
  auto proposed = events("mentoring.pairing_proposed");
  ASSERT_EQ(proposed.size(), 2u);
  EXPECT_EQ(subject(proposed[1], "mentee"), "e2");
  EXPECT_EQ(subject(proposed[1], "mentor"), "m1");
  EXPECT_EQ(json::serialize(proposed[1]).find("Happy to wait"), std::string::npos);
}

TEST_P(OutboundEventsTest, AProposalIsNotSentWhenItsTransactionRollsBack) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t before = outbox_size();
  rolled_back([&](core::Stores& s) {
    core::MenteeRequest q;
    q.cohortid = cohort;
    q.menteeid = e1;
    q.mentorid = m1;
    q.expires_at = now() + 7 * testing::kDaySeconds;
    auto made = s.pairings.create_request(q, now());
    ASSERT_TRUE(made.is_ok()) << made.status().to_string();
    ASSERT_TRUE(app::append_pairing_proposed_event(s, *made, now()).is_ok());
  });
  EXPECT_EQ(outbox_size(), before);
  EXPECT_TRUE(events("mentoring.pairing_proposed").empty());
}

// --- mentoring.survey_due -----------------------------------------------------

class SurveyDueTest : public OutboundEventsTest {
 protected:
  void SetUp() override {
    OutboundEventsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    surveys_ = std::make_unique<app::SurveyService>(*db_, clock_);
    auto qn = surveys_->create_default_questionnaire(schemeid_);
    ASSERT_TRUE(qn.is_ok()) << qn.status().to_string();
    questionnaireid_ = qn->id;
  }
  void TearDown() override {
    surveys_.reset();
    OutboundEventsTest::TearDown();
  }
  core::SurveyRound round(std::int64_t cohort, std::vector<std::string> audiences) {
    core::SurveyRound r;
    r.questionnaireid = questionnaireid_;
    r.cohortid = cohort;
    r.phase = core::RoundPhase::kMidpoint;
    r.audiences = std::move(audiences);
    r.opens_on = *core::Date::parse("2026-07-10");
    r.closes_on = *core::Date::parse("2026-07-31");
    return r;
  }
  std::unique_ptr<app::SurveyService> surveys_;
  std::int64_t questionnaireid_ = 0;
};

TEST_P(SurveyDueTest, ARoundIsDueOnceForEachActiveMenteeAndMentor) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  mentee(cohort, "e2", {"teaching"});
  const std::int64_t gone = mentee(cohort, "gone", {"teaching"});
  mentor(cohort, "m1", 1, {"teaching"});
  // One person enrolled both ways hears of the round once.
  const std::int64_t both = mentee(cohort, "both", {"teaching"});
  const std::int64_t both_account = account_of(both);
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.enrolments.create(cohort, both_account, core::Role::kMentor, now()).is_ok());
    ASSERT_TRUE(s.enrolments.set_status(gone, core::EnrolmentStatus::kWithdrawn, now()).is_ok());
  });
  const std::int64_t other = make_cohort(core::MatchingModel::kAssigned);
  mentee(other, "elsewhere", {"teaching"});

  auto created = surveys_->create_round(schemeid_, round(cohort, {"mentees", "mentors", "supervisors"}));
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  auto due = events("mentoring.survey_due");
  ASSERT_EQ(due.size(), 4u);
  std::set<std::string> subjects, keys;
  for (auto& data : due) {
    subjects.insert(subject(data, "account"));
    keys.insert(std::string(data["idempotency_key"].as_string()));
    EXPECT_EQ(data["round_id"].as_int64(), created->id);
    EXPECT_EQ(data["scheme_id"].as_int64(), schemeid_);
    EXPECT_EQ(data["cohort_id"].as_int64(), cohort);
    EXPECT_EQ(data["phase"].as_string(), "midpoint");
    EXPECT_EQ(data["opens_on"].as_string(), "2026-07-10");
    EXPECT_EQ(data["closes_on"].as_string(), "2026-07-31");
    EXPECT_EQ(data["account"].as_object().size(), 2u) << "only platform and subject";
    const auto& audiences = data["audiences"].as_array();
    if (subject(data, "account") == "both")
      EXPECT_EQ(audiences, (json::array{"mentees", "mentors"}));
    else
      EXPECT_EQ(audiences.size(), 1u);
  }
  EXPECT_EQ(subjects, (std::set<std::string>{"e1", "e2", "m1", "both"}));
  EXPECT_EQ(keys.size(), 4u);
  EXPECT_TRUE(
      keys.count("survey_round:" + std::to_string(created->id) + ":account:" + std::to_string(account_of(both))));

  // Answering, listing or refused rounds add nothing.
  ASSERT_TRUE(surveys_->list_rounds(schemeid_).is_ok());
  core::SurveyRound other_scheme = round(cohort, {"mentees"});
  other_scheme.questionnaireid = questionnaireid_ + 1000;
  EXPECT_EQ(surveys_->create_round(schemeid_, other_scheme).status().reason(), "questionnaire_not_found");
  core::SurveyRound bad = round(cohort, {"mentees"});
  bad.closes_on = *core::Date::parse("2026-07-01");
  EXPECT_FALSE(surveys_->create_round(schemeid_, bad).is_ok());
  EXPECT_EQ(events("mentoring.survey_due").size(), 4u);

  // A second round is announced on its own: to its audience only.
  auto mentors_only = surveys_->create_round(schemeid_, round(cohort, {"mentors"}));
  ASSERT_TRUE(mentors_only.is_ok()) << mentors_only.status().to_string();
  due = events("mentoring.survey_due");
  ASSERT_EQ(due.size(), 6u);
  std::set<std::string> second;
  for (auto& data : due)
    if (data["round_id"].as_int64() == mentors_only->id) second.insert(subject(data, "account"));
  EXPECT_EQ(second, (std::set<std::string>{"m1", "both"}));
}

TEST_P(SurveyDueTest, ARoundForAHostGroupOnlySendsNothing) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  ASSERT_TRUE(surveys_->create_round(schemeid_, round(cohort, {"supervisors"})).is_ok());
  EXPECT_TRUE(events("mentoring.survey_due").empty());
}

TEST_P(SurveyDueTest, SurveyDueIsNotSentWhenItsTransactionRollsBack) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t before = outbox_size();
  rolled_back([&](core::Stores& s) {
    auto r = s.surveys.create_round(round(cohort, {"mentees", "mentors"}), now());
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    auto n = app::append_survey_due_events(s, *r, schemeid_, now());
    ASSERT_TRUE(n.is_ok()) << n.status().to_string();
    EXPECT_EQ(*n, 2);
  });
  EXPECT_EQ(outbox_size(), before);
  EXPECT_TRUE(events("mentoring.survey_due").empty());
}

// --- mentoring.certificate_issued ---------------------------------------------

class CertificateIssuedTest : public OutboundEventsTest {
 protected:
  void SetUp() override {
    OutboundEventsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    checkins_ = std::make_unique<app::CheckinService>(*db_, clock_);
  }
  void TearDown() override {
    checkins_.reset();
    OutboundEventsTest::TearDown();
  }
  // Noon on the cohort's last day, when the end-of-scheme check-in is due.
  void at_scheme_end() {
    const core::Date end = *core::Date::parse("2027-08-04");
    clock_.set_ms((end.days_since_epoch() * testing::kDaySeconds + 12 * 3600) * 1000);
  }
  core::Status answer(std::int64_t enrolment, std::int64_t pairing, core::CheckinPhase phase,
                      const std::string& comments = "") {
    core::CheckinAnswers a;
    a.goals_progress = 4;
    a.comments = comments;
    return checkins_->save(account_of(enrolment), pairing, phase, a).status();
  }
  std::unique_ptr<app::CheckinService> checkins_;
};

TEST_P(CertificateIssuedTest, AMentorsFirstEndOfSchemeCheckinIssuesTheCertificateOncePerCohort) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 2, {"teaching"});
  auto p1 = pairings_->assign(cohort, e1, m1);
  ASSERT_TRUE(p1.is_ok()) << p1.status().to_string();
  auto p2 = pairings_->assign(cohort, e2, m1);
  ASSERT_TRUE(p2.is_ok()) << p2.status().to_string();
  at_scheme_end();

  // The mentee's check-in is not the mentor's certificate.
  ASSERT_TRUE(answer(e1, p1->id, core::CheckinPhase::kEnd).is_ok());
  EXPECT_TRUE(events("mentoring.certificate_issued").empty());
  // A check-in that is refused (not the mentor's pairing) issues nothing.
  EXPECT_EQ(answer(e2, p1->id, core::CheckinPhase::kEnd).reason(), "checkin_not_in_pairing");
  EXPECT_TRUE(events("mentoring.certificate_issued").empty());

  ASSERT_TRUE(answer(m1, p1->id, core::CheckinPhase::kEnd, "A private reflection on a hard year").is_ok());
  auto issued = events("mentoring.certificate_issued");
  ASSERT_EQ(issued.size(), 1u);
  json::object& data = issued[0];
  EXPECT_EQ(data["cohort_id"].as_int64(), cohort);
  EXPECT_EQ(data["scheme_id"].as_int64(), schemeid_);
  EXPECT_EQ(data["pairing_id"].as_int64(), p1->id);
  EXPECT_EQ(data["issued_on"].as_string(), "2027-08-04");
  EXPECT_EQ(subject(data, "mentor"), "m1");
  EXPECT_EQ(data["mentor"].as_object().size(), 2u);
  EXPECT_EQ(data["idempotency_key"].as_string(),
            "certificate:cohort:" + std::to_string(cohort) + ":account:" + std::to_string(account_of(m1)));
  EXPECT_EQ(json::serialize(data).find("reflection"), std::string::npos) << "check-in answers never leave";

  // Changing the answer, or the end check-in of the mentor's other pairing,
  // issues nothing more.
  ASSERT_TRUE(answer(m1, p1->id, core::CheckinPhase::kEnd, "Changed").is_ok());
  ASSERT_TRUE(answer(m1, p2->id, core::CheckinPhase::kEnd).is_ok());
  EXPECT_EQ(events("mentoring.certificate_issued").size(), 1u);
}

TEST_P(CertificateIssuedTest, TheSameMentorInAnotherCohortIsIssuedThatCohortsCertificate) {
  const std::int64_t first = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t second = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(first, "e1", {"teaching"});
  const std::int64_t e2 = mentee(second, "e2", {"teaching"});
  const std::int64_t m1 = mentor(first, "m1", 2, {"teaching"});
  std::int64_t m1_second = 0;
  const std::int64_t m1_account = account_of(m1);
  commit([&](core::Stores& s) {
    auto e = s.enrolments.create(second, m1_account, core::Role::kMentor, now());
    ASSERT_TRUE(e.is_ok()) << e.status().to_string();
    m1_second = e->id;
  });
  auto p1 = pairings_->assign(first, e1, m1);
  ASSERT_TRUE(p1.is_ok()) << p1.status().to_string();
  auto p2 = pairings_->assign(second, e2, m1_second);
  ASSERT_TRUE(p2.is_ok()) << p2.status().to_string();
  at_scheme_end();
  ASSERT_TRUE(answer(m1, p1->id, core::CheckinPhase::kEnd).is_ok());
  ASSERT_TRUE(answer(m1_second, p2->id, core::CheckinPhase::kEnd).is_ok());
  auto issued = events("mentoring.certificate_issued");
  ASSERT_EQ(issued.size(), 2u);
  EXPECT_EQ(issued[0]["cohort_id"].as_int64(), first);
  EXPECT_EQ(issued[1]["cohort_id"].as_int64(), second);
}

TEST_P(CertificateIssuedTest, TheCertificateIsNotSentWhenItsTransactionRollsBack) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  auto p1 = pairings_->assign(cohort, e1, m1);
  ASSERT_TRUE(p1.is_ok()) << p1.status().to_string();
  at_scheme_end();
  const std::int64_t before = outbox_size();
  const std::int64_t m1_account = account_of(m1);
  rolled_back([&](core::Stores& s) {
    core::CheckinResponse r;
    r.pairingid = p1->id;
    r.cohortid = cohort;
    r.accountid = m1_account;
    r.role = core::Role::kMentor;
    r.phase = core::CheckinPhase::kEnd;
    r.answers.goals_progress = 3;
    auto stored = s.checkins.create(r, now());
    ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
    auto c = s.schemes.find_cohort(cohort);
    ASSERT_TRUE(c.is_ok() && c->has_value());
    auto issued = app::append_certificate_issued_event(s, *stored, **c, now());
    ASSERT_TRUE(issued.is_ok()) << issued.status().to_string();
    EXPECT_TRUE(*issued);
  });
  EXPECT_EQ(outbox_size(), before);
  EXPECT_TRUE(events("mentoring.certificate_issued").empty());
  // Nothing was remembered either: the real check-in still issues it.
  ASSERT_TRUE(answer(m1, p1->id, core::CheckinPhase::kEnd).is_ok());
  EXPECT_EQ(events("mentoring.certificate_issued").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboundEventsTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, SurveyDueTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, CertificateIssuedTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring
