#include "adapters/http/json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace mentoring::http {
namespace {

using core::Code;
using core::Status;

boost::json::object body_of(const Response& response) { return boost::json::parse(response.body).as_object(); }

Request json_request(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.target = request.path = "/x";
  if (!content_type.empty()) request.headers.push_back({"Content-Type", std::move(content_type)});
  request.body = std::move(body);
  return request;
}

TEST(JsonResponseTest, SerialisesBodyWithJsonContentType) {
  const Response response = json_response(201, boost::json::object{{"id", 7}, {"name", "Ana \"A\" Lima"}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(response.header("Cache-Control"), "no-store");
  const auto parsed = body_of(response);
  EXPECT_EQ(parsed.at("id").as_int64(), 7);
  EXPECT_EQ(parsed.at("name").as_string(), "Ana \"A\" Lima");
}

struct Mapping {
  Status status;
  int http;
};

TEST(ErrorResponseTest, MapsEveryCodeToItsHttpStatus) {
  const Mapping mappings[] = {
      {Status::invalid("bad_date", "Bad date."), 400},
      {Status::not_found("no_scheme", "No scheme."), 404},
      {Status::already_exists("scheme_exists", "Exists."), 409},
      {Status::conflict("stale_write", "Stale."), 409},
      {Status::failed_precondition("scheme_closed", "Closed."), 409},
      {Status::unauthenticated("no_session", "Log in."), 401},
      {Status::permission_denied("not_admin", "No."), 403},
      {Status::resource_exhausted("rate_limited", "Slow down."), 429},
      {Status::resource_exhausted("body_too_large", "Too big."), 413},
      {Status::unavailable("database_down", "Later."), 503},
      {Status::internal("bug", "Oops."), 500},
  };
  for (const auto& m : mappings) {
    EXPECT_EQ(http_status_for(m.status), m.http) << m.status.to_string();
    const Response response = error_response(m.status);
    EXPECT_EQ(response.status, m.http) << m.status.to_string();
    EXPECT_EQ(response.header("Content-Type"), "application/json; charset=utf-8");
    const auto error = body_of(response).at("error").as_object();
    EXPECT_EQ(error.at("code").as_string(), core::code_name(m.status.code()));
  }
}

TEST(ErrorResponseTest, ProtocolReasonsGetTheirOwnStatus) {
  EXPECT_EQ(http_status_for(Status::invalid("unsupported_media_type", "x")), 415);
  EXPECT_EQ(http_status_for(Status::invalid("method_not_allowed", "x")), 405);
  EXPECT_EQ(http_status_for(Status::invalid("header_too_large", "x")), 431);
}

TEST(ErrorResponseTest, BodyCarriesCodeReasonMessageAndField) {
  const Response response =
      error_response(Status::invalid("cohort_dates_out_of_order", "The cohort closes before it opens.", "closes_on"));
  const auto body = body_of(response);
  ASSERT_EQ(body.size(), 1u);
  const auto& error = body.at("error").as_object();
  EXPECT_EQ(error.size(), 4u);
  EXPECT_EQ(error.at("code").as_string(), "invalid_argument");
  EXPECT_EQ(error.at("reason").as_string(), "cohort_dates_out_of_order");
  EXPECT_EQ(error.at("message").as_string(), "The cohort closes before it opens.");
  EXPECT_EQ(error.at("field").as_string(), "closes_on");
  EXPECT_TRUE(response.log_detail.empty());
}

TEST(ErrorResponseTest, FieldIsOmittedWhenStatusHasNone) {
  const auto error = body_of(error_response(Status::not_found("no_scheme", "No such scheme."))).at("error").as_object();
  EXPECT_FALSE(error.contains("field"));
  EXPECT_EQ(error.size(), 3u);
}

TEST(ErrorResponseTest, InternalErrorsHideTheirMessageButKeepItForTheLog) {
  const Status driver = Status::internal("database_error", "sqlite3_step: disk I/O error at /var/lib/secret.db");
  const Response response = error_response(driver);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("sqlite3"), std::string::npos);
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(response.body.find("database_error"), std::string::npos);
  const auto error = body_of(response).at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "internal");
  EXPECT_EQ(error.at("reason").as_string(), "internal_error");
  EXPECT_NE(response.log_detail.find("sqlite3_step: disk I/O error"), std::string::npos);
}

TEST(ErrorResponseTest, OkStatusPassedByMistakeIsAnInternalError) {
  const Response response = error_response(Status::ok());
  EXPECT_EQ(response.status, 500);
  EXPECT_FALSE(response.log_detail.empty());
}

TEST(ErrorResponseTest, UnavailableAsksClientsToRetryLater) {
  EXPECT_FALSE(error_response(Status::unavailable("database_down", "Later.")).header("Retry-After").empty());
}

TEST(ParseJsonBodyTest, ReturnsTheObject) {
  const auto result = parse_json_object_body(json_request(R"({"name":"Cohort A","size":12,"tags":["x"]})"));
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->at("name").as_string(), "Cohort A");
  EXPECT_EQ(result->at("size").as_int64(), 12);
}

TEST(ParseJsonBodyTest, AcceptsContentTypeParametersAndCase) {
  for (const char* type : {"application/json; charset=utf-8", "Application/JSON", "application/json;charset=\"UTF-8\"",
                           "application/json ; charset=utf8"}) {
    EXPECT_TRUE(parse_json_object_body(json_request("{}", type)).is_ok()) << type;
  }
}

TEST(ParseJsonBodyTest, WrongOrMissingContentTypeIs415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                           "application/json; charset=iso-8859-1", ""}) {
    const auto result = parse_json_object_body(json_request("{}", type));
    ASSERT_FALSE(result.is_ok()) << type;
    EXPECT_EQ(result.status().reason(), "unsupported_media_type") << type;
    EXPECT_EQ(http_status_for(result.status()), 415) << type;
  }
}

TEST(ParseJsonBodyTest, EmptyBodyIsRejected) {
  const auto result = parse_json_object_body(json_request(""));
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "empty_body");
  EXPECT_EQ(http_status_for(result.status()), 400);
}

TEST(ParseJsonBodyTest, InvalidJsonNamesThePosition) {
  const std::string body = R"({"a": 1,, "b": 2})";
  const auto result = parse_json_object_body(json_request(body));
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "invalid_json");
  EXPECT_EQ(http_status_for(result.status()), 400);
  // The second comma is the first byte that cannot be JSON.
  const std::string expected = "near byte " + std::to_string(body.find(",,") + 1) + ")";
  EXPECT_NE(result.status().message().find(expected), std::string::npos) << result.status().message();
}

TEST(ParseJsonBodyTest, InvalidLiteralIsReportedWhereTheLiteralStarts) {
  // Boost.JSON reports the start of a token it could not finish.
  const std::string body = R"({"a": 1, "b": tru})";
  const auto result = parse_json_object_body(json_request(body));
  ASSERT_FALSE(result.is_ok());
  const std::string expected = "near byte " + std::to_string(body.find("tru")) + ")";
  EXPECT_NE(result.status().message().find(expected), std::string::npos) << result.status().message();
}

TEST(ParseJsonBodyTest, TrailingDataAndTruncationAreInvalid) {
  for (const char* body : {R"({"a":1} x)", R"({"a":1)", R"({"a":1}{})", "{'a':1}", "{\"a\":\"\xff\"}"}) {
    const auto result = parse_json_object_body(json_request(body));
    ASSERT_FALSE(result.is_ok()) << body;
    EXPECT_EQ(result.status().reason(), "invalid_json") << body;
  }
}

TEST(ParseJsonBodyTest, NestingDeeperThanTheLimitIsRejected) {
  auto nested = [](int depth) {
    // depth counts the outer object too.
    return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  EXPECT_TRUE(parse_json_object_body(json_request(nested(4)), 4).is_ok());
  const auto result = parse_json_object_body(json_request(nested(5)), 4);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "json_too_deep");
  // A hostile body far beyond the default limit fails cleanly too.
  EXPECT_EQ(parse_json_object_body(json_request(nested(100000))).status().reason(), "json_too_deep");
}

TEST(ParseJsonBodyTest, TopLevelValueMustBeAnObject) {
  for (const char* body : {"[1,2]", "\"text\"", "42", "null"}) {
    const auto result = parse_json_object_body(json_request(body));
    ASSERT_FALSE(result.is_ok()) << body;
    EXPECT_EQ(result.status().reason(), "not_an_object") << body;
  }
}

}  // namespace
}  // namespace mentoring::http
