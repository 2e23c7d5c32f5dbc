// A plugin instance runs matching in the background: the JSON API answers a
// started run at once, still running, and the instance's own worker brings
// it to ready; destroying an instance stops its worker cleanly, and a run
// it had not started is done by the next instance on the database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "core/clock.h"
#include "runtime/instance.h"
#include "runtime/options.h"

namespace mentoring::runtime {
namespace {
namespace json = boost::json;

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

class MatchingWorkerInstanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("mentoring-instance-matching-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    auto o = parse_options(R"({"database":{"url":"sqlite3:)" + (dir_ / "m.db").string() +
                           R"("},"api":{"service_token":")" + kToken + R"("},"webhook":{"worker":false}})");
    ASSERT_TRUE(o.is_ok()) << o.status().to_string();
    options_ = *o;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Instance> open() {
    auto i = Instance::open(options_, clock_, [](int, std::string_view) {});
    EXPECT_TRUE(i.is_ok()) << i.status().to_string();
    return i.is_ok() ? std::move(i).value() : nullptr;
  }

  static json::value call(Instance& instance, const std::string& method, const std::string& target,
                          const json::value& body, int expected) {
    http::Request req;
    req.method = method;
    req.target = target;
    req.headers = {{"Authorization", std::string("Bearer ") + kToken}, {"Content-Type", "application/json"}};
    if (!body.is_null()) req.body = json::serialize(body);
    http::Response res = instance.handle(req);
    if (expected == 0) {
      EXPECT_TRUE(res.status == 200 || res.status == 201) << method << " " << target << ": " << res.body;
    } else {
      EXPECT_EQ(res.status, expected) << method << " " << target << ": " << res.body;
    }
    json::error_code ec;
    json::value v = json::parse(res.body, ec);
    return ec ? json::value() : v;
  }

  // A cohort with two mentees and a mentor with two places; returns its id.
  std::int64_t cohort(Instance& i, const std::string& tag) {
    auto scheme = call(i, "POST", "/api/v1/schemes",
                       json::object{{"name", "Scheme " + tag}, {"type", "traditional"}, {"aims", "Support"},
                                    {"phase", "pilot"}},
                       201);
    auto cohort = call(i, "POST", "/api/v1/schemes/" + std::to_string(scheme.at("id").as_int64()) + "/cohorts",
                       json::object{{"name", "Cohort " + tag},
                                    {"opens_on", "2026-06-01"},
                                    {"closes_on", "2026-08-01"},
                                    {"starts_on", "2026-08-05"},
                                    {"ends_on", "2027-08-04"},
                                    {"matching_model", "assigned"}},
                       201);
    const std::int64_t id = cohort.at("id").as_int64();
    int n = 0;
    for (const char* role : {"mentee", "mentee", "mentor"}) {
      auto account = call(i, "PUT", "/api/v1/accounts",
                          json::object{{"platform", "https://portal.example.nhs.uk"},
                                       {"subject", tag + "-" + std::to_string(++n)},
                                       {"display_name", "Dr " + tag + std::to_string(n)},
                                       {"email", ""}},
                          0);
      const std::string a = std::to_string(account.at("id").as_int64());
      if (std::string(role) == "mentee") {
        call(i, "PUT", "/api/v1/accounts/" + a + "/mentee-profile",
             json::object{{"career_stage", "fy1"}, {"goals", "Plan my career in medicine."}, {"topics", json::array{"teaching"}}},
             200);
      } else {
        call(i, "PUT", "/api/v1/accounts/" + a + "/mentor-profile",
             json::object{{"career_stage", "consultant"},
                          {"bio", "Consultant."},
                          {"expertise_areas", json::array{"teaching"}},
                          {"capacity", 2}},
             200);
      }
      call(i, "POST", "/api/v1/cohorts/" + std::to_string(id) + "/enrolments",
           json::object{{"accountid", account.at("id").as_int64()}, {"role", role}}, 201);
    }
    return id;
  }

  static std::string state_of(Instance& i, std::int64_t runid) {
    auto run = call(i, "GET", "/api/v1/matching/runs/" + std::to_string(runid), nullptr, 200);
    return run.is_object() ? std::string(run.at("state").as_string()) : "";
  }

  static std::string wait_until_not_running(Instance& i, std::int64_t runid) {
    std::string state = "running";
    for (int k = 0; k < 400 && state == "running"; ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      state = state_of(i, runid);
    }
    return state;
  }

  std::filesystem::path dir_;
  Options options_;
  core::FixedClock clock_{1782907200000};  // 2026-07-01, inside the cohort's enrolment window
};

TEST_F(MatchingWorkerInstanceTest, AStartedRunAnswersAtOnceAndTheInstancesWorkerMakesItReady) {
  auto instance = open();
  ASSERT_TRUE(instance);
  const std::int64_t c = cohort(*instance, "a");
  auto run = call(*instance, "POST", "/api/v1/cohorts/" + std::to_string(c) + "/matching/runs", json::object{}, 201);
  ASSERT_TRUE(run.is_object());
  const std::int64_t runid = run.at("id").as_int64();
  EXPECT_EQ(run.at("state").as_string(), "running");
  EXPECT_TRUE(run.at("proposals").as_array().empty());
  EXPECT_EQ(wait_until_not_running(*instance, runid), "ready");
  auto done = call(*instance, "GET", "/api/v1/matching/runs/" + std::to_string(runid), nullptr, 200);
  EXPECT_EQ(done.at("proposals").as_array().size(), 2u);
}

TEST_F(MatchingWorkerInstanceTest, DestroyingAnInstanceStopsItsWorkerCleanlyAndAQueuedRunIsStillDone) {
  std::int64_t runid = 0;
  {
    auto first = open();
    ASSERT_TRUE(first);
    const std::int64_t c = cohort(*first, "b");
    // The instance goes away straight after the run is queued: its worker
    // stops cleanly, whether or not it got to the run.
    auto run = call(*first, "POST", "/api/v1/cohorts/" + std::to_string(c) + "/matching/runs", json::object{}, 201);
    runid = run.at("id").as_int64();
  }
  // Whichever worker does it, the run is done once and ends ready.
  auto second = open();
  ASSERT_TRUE(second);
  EXPECT_EQ(wait_until_not_running(*second, runid), "ready");
}

}  // namespace
}  // namespace mentoring::runtime
