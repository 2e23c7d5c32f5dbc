// A cohort of mentees and mentors with profiles, the real matching and
// pairing services and signed-in sessions, for the matching page tests
// (matching_pages_test.cc, matching_ranked_choice_pages_test.cc). Each test
// class names its people; everyone is enrolled in cohort_ and signed in
// (mentees as participants, mentors as mentors, "admin" as staff).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/router.h"
#include "app/jobs.h"
#include "app/matching_pairings.h"
#include "app/matching_runs.h"
#include "app/matching_worker.h"
#include "core/lti_capabilities.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "tests/adapters/web/page_test_fixture.h"

namespace mentoring::web::testing {

struct FixtureMentee {
  std::string who, name;
  std::vector<std::string> topics;
};
struct FixtureMentor {
  std::string who, name, specialty;
  std::vector<std::string> expertise;
};

class MatchingPagesFixture : public PageTestFixture {
 protected:
  explicit MatchingPagesFixture(std::int64_t t0) : PageTestFixture(t0) {}

  virtual core::MatchingModel cohort_model() const { return core::MatchingModel::kMenteeChoice; }
  virtual std::vector<FixtureMentee> mentees() const = 0;
  virtual std::vector<FixtureMentor> mentors() const = 0;  // one place each
  virtual int max_choices() const { return app::kDefaultMaxChoices; }

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(open_database("mentoring-matching-pages"));
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      std::vector<FixtureAccount> people;
      for (const auto& m : mentees()) people.push_back({m.who, m.name});
      for (const auto& m : mentors()) people.push_back({m.who, m.name});
      people.push_back({"admin", "Priya Patel"});
      MENTORING_RETURN_IF_ERROR(add_accounts(s, people));
      MENTORING_RETURN_IF_ERROR(add_scheme(s, cohort_model()));
      for (const auto& who : mentees()) {
        core::MenteeProfile m;
        m.accountid = accounts_[who.who];
        m.career_stage = core::CareerStage::kFy1;
        m.region = "North West";
        m.goals = "Prepare for specialty recruitment.";
        m.topics = who.topics;
        MENTORING_RETURN_IF_ERROR(s.profiles.save_mentee(m, t0_).status());
        auto e = s.enrolments.create(cohort_, accounts_[who.who], core::Role::kMentee, t0_);
        if (!e) return e.status();
        enrolment_[who.who] = e->id;
      }
      for (const auto& who : mentors()) {
        core::MentorProfile m;
        m.accountid = accounts_[who.who];
        m.career_stage = core::CareerStage::kConsultant;
        m.specialty = who.specialty;
        m.region = "North West";
        m.expertise_areas = who.expertise;
        m.capacity = 1;
        m.bio = "Consultant who enjoys supporting doctors in training.";
        MENTORING_RETURN_IF_ERROR(s.profiles.save_mentor(m, t0_).status());
        auto e = s.enrolments.create(cohort_, accounts_[who.who], core::Role::kMentor, t0_);
        if (!e) return e.status();
        enrolment_[who.who] = e->id;
      }
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();

    jobs_ = std::make_unique<app::JobService>(*db_, clock_);
    matching_ = std::make_unique<app::MatchingService>(*db_, clock_);
    matching_->set_jobs(jobs_.get());
    // Runs wait for the worker, which the tests drive (worker_.run_queued()).
    matching_->set_background([] {});
    worker_ = std::make_unique<app::MatchingWorker>(*matching_, app::MatchingWorkerOptions{.name = "test"});
    pairings_ = std::make_unique<app::PairingService>(*db_, clock_, app::kDefaultReplyDays, max_choices());
    make_context(true);
    sign_everyone_in();
  }
  void sign_everyone_in() {
    namespace cap = core::capability;
    for (const auto& m : mentees()) sign_in(m.who, {std::string(cap::kMenteeParticipate)});
    for (const auto& m : mentors()) sign_in(m.who, {std::string(cap::kMentorParticipate)});
    sign_in("admin", {std::string(cap::kSchemeManage), std::string(cap::kPairingAssign)});
  }
  void TearDown() override {
    router_ = http::Router();
    ctx_.reset();
    worker_.reset();
    matching_.reset();
    PageTestFixture::TearDown();
  }

  void make_context(bool with_services) {
    PageServices services;
    services.jobs = jobs_.get();
    if (with_services) {
      services.matching = matching_.get();
      services.pairings = pairings_.get();
    }
    add_pages(services);
  }

  // Sends `fields` with the form tokens of the page at `page`.
  http::Response post(const std::string& who, const std::string& page, const std::string& target, Form fields) {
    return post_from(who, page, target, std::move(fields));
  }
  using PageTestFixture::post;

  std::string id(const std::string& who) { return std::to_string(enrolment_[who]); }

  // The time a mentor has to answer passes: pending requests have expired,
  // though nothing has lapsed them yet. Everyone signs in again, their
  // sessions having timed out meanwhile.
  void let_requests_expire() {
    clock_.advance_ms((app::kDefaultReplyDays * 86400 + 1) * 1000);
    sign_everyone_in();
  }
  // The person's requests (as mentee, or as mentor with `as_mentor`) as the
  // stores hold them: read without the pairing service, whose reads lapse
  // expired requests first.
  std::vector<core::MenteeRequest> stored_requests(const std::string& who, bool as_mentor = false) {
    std::vector<core::MenteeRequest> out;
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      auto got = s.pairings.list_requests(cohort_, as_mentor ? 0 : enrolment_[who], as_mentor ? enrolment_[who] : 0,
                                          std::nullopt, core::Page{});
      if (!got) return got.status();
      out = std::move(got).value();
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return out;
  }

  void expect_clean_page(const http::Response& r, const std::string& what) {
    EXPECT_EQ(page_check_report(r.body, renderer_.asset_base()), "") << what;
    EXPECT_EQ(inline_code_problems(r.body), std::vector<std::string>{}) << what;
  }

  std::unique_ptr<app::JobService> jobs_;
  std::unique_ptr<app::MatchingService> matching_;
  std::unique_ptr<app::MatchingWorker> worker_;
  std::unique_ptr<app::PairingService> pairings_;
  std::map<std::string, std::int64_t> enrolment_;
};

}  // namespace mentoring::web::testing
