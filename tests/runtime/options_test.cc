#include "runtime/options.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace mentoring::runtime {
namespace {

TEST(OptionsTest, EmptyConfigurationGivesTheDocumentedDefaults) {
  auto o = parse_options("");
  ASSERT_TRUE(o.is_ok());
  EXPECT_EQ(o->database_url, "sqlite3:var/mentoring.db");
  EXPECT_EQ(o->http_address, "127.0.0.1");
  EXPECT_EQ(o->http_port, 8080);
  EXPECT_EQ(o->effective_pool_size(), o->http_threads + 2);
  EXPECT_TRUE(o->database_migrate);
}

TEST(OptionsTest, ReadsNestedValues) {
  auto o = parse_options(R"({"database":{"url":"postgresql://u@127.0.0.1:5432/db","pool_size":9},
                             "http":{"port":0,"threads":4},"log":{"level":"warning"}})");
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_EQ(o->database_url, "postgresql://u@127.0.0.1:5432/db");
  EXPECT_EQ(o->effective_pool_size(), 9);
  EXPECT_EQ(o->http_port, 0);
  EXPECT_EQ(o->log_level_number(), 2);
}

TEST(OptionsTest, EachBadValueIsRefusedNamingItsKey) {
  struct Case { const char* json; const char* key; };
  const Case cases[] = {
      {R"({"http":{"port":65536}})", "http.port"},
      {R"({"http":{"port":-1}})", "http.port"},
      {R"({"http":{"port":"8080"}})", "http.port"},
      {R"({"http":{"port":80.5}})", "http.port"},
      {R"({"http":{"threads":0}})", "http.threads"},
      {R"({"database":{"url":"mysql://x"}})", "database.url"},
      {R"({"database":{"table_prefix":"Bad-Prefix"}})", "database.table_prefix"},
      {R"({"database":{"migrate":"yes"}})", "database.migrate"},
      {R"({"http":{"public_url":"ftp://x"}})", "http.public_url"},
      {R"({"http":{"public_url":"https://x.example/?q=1"}})", "http.public_url"},
      {R"({"api":{"service_token":"short"}})", "api.service_token"},
      {R"({"log":{"level":"verbose"}})", "log.level"},
      {R"({"database":{"sqlite_synchronous":"off"}})", "database.sqlite_synchronous"},
  };
  for (const Case& c : cases) {
    auto o = parse_options(c.json);
    ASSERT_FALSE(o.is_ok()) << c.json;
    EXPECT_EQ(o.status().field(), c.key) << c.json;
    EXPECT_NE(o.status().message().find(c.key), std::string::npos) << o.status().message();
  }
}

TEST(OptionsTest, UnknownKeysAndNonObjectsAreRefused) {
  auto o = parse_options(R"({"http":{"prot":1}})");
  ASSERT_FALSE(o.is_ok());
  EXPECT_EQ(o.status().reason(), "config_unknown_key");
  EXPECT_EQ(o.status().field(), "http.prot");
  EXPECT_EQ(parse_options("[1]").status().reason(), "config_not_object");
  EXPECT_EQ(parse_options("{").status().reason(), "config_invalid_json");
  EXPECT_EQ(parse_options(R"({"colour":"red"})").status().field(), "colour");
}

TEST(OptionsTest, DescriptionListsEveryKeyWithItsDefault) {
  auto doc = boost::json::parse(describe_options()).as_array();
  bool saw_url = false;
  for (const auto& row : doc) {
    const auto& o = row.as_object();
    EXPECT_FALSE(o.at("description").as_string().empty());
    if (o.at("key").as_string() == "database.url") {
      saw_url = true;
      EXPECT_EQ(o.at("default").as_string(), "sqlite3:var/mentoring.db");
    }
    // Every described key is accepted with its own default.
    const std::string key(o.at("key").as_string());
    const auto dot = key.find('.');
    boost::json::object cfg;
    cfg[key.substr(0, dot)] = boost::json::object{{key.substr(dot + 1), o.at("default")}};
    EXPECT_TRUE(parse_options(boost::json::serialize(cfg)).is_ok()) << key;
  }
  EXPECT_TRUE(saw_url);
}

TEST(OptionsTest, RedactedJsonHidesSecrets) {
  auto o = parse_options(R"({"api":{"service_token":"0123456789abcdef0123456789abcdef"}})");
  ASSERT_TRUE(o.is_ok());
  const std::string text = options_to_redacted_json(*o);
  EXPECT_EQ(text.find("0123456789abcdef"), std::string::npos);
  EXPECT_NE(text.find("(set)"), std::string::npos);
}

}  // namespace
}  // namespace mentoring::runtime
