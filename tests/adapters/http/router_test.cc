#include "adapters/http/router.h"

#include "adapters/http/json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace mentoring::http {
namespace {

Request make_request(std::string method, std::string target) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  EXPECT_TRUE(parse_target(request)) << request.target;
  return request;
}

// A handler that reports which route ran and what it captured.
RouteFn tag(std::string name) {
  return [name](const Request& request, const PathParams& params) {
    Response response;
    response.body = name;
    for (const auto& [k, v] : params.all()) response.body += " " + k + "=" + v;
    response.set_header("X-Route", name);
    return response;
  };
}

boost::json::value error_of(const Response& response) { return boost::json::parse(response.body).at("error"); }

TEST(RouterTest, RoutesToHandlerWithCapturedParams) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/api/v1/schemes/{scheme}/cohorts/{cohort}", tag("cohort")).is_ok());
  const Response response = router.handle(make_request("GET", "/api/v1/schemes/12/cohorts/abc?x=1"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "cohort scheme=12 cohort=abc");
}

TEST(RouterTest, ParamsSeeDecodedPathSegments) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/people/{name}", tag("person")).is_ok());
  EXPECT_EQ(router.handle(make_request("GET", "/people/Ana%20Lima")).body, "person name=Ana Lima");
}

TEST(RouterTest, UnknownPathIsJsonNotFound) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/api/v1/schemes", tag("list")).is_ok());
  const Response response = router.handle(make_request("GET", "/api/v1/nothing"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.header("Content-Type"), "application/json; charset=utf-8");
  const auto error = error_of(response);
  EXPECT_EQ(error.at("code"), "not_found");
  EXPECT_EQ(error.at("reason"), "not_found");
  EXPECT_FALSE(error.at("message").as_string().empty());
}

TEST(RouterTest, KnownPathWithOtherMethodIs405WithAllow) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/api/v1/schemes", tag("list")).is_ok());
  ASSERT_TRUE(router.add("post", "/api/v1/schemes", tag("create")).is_ok());
  const Response response = router.handle(make_request("DELETE", "/api/v1/schemes"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow"), "GET, HEAD, OPTIONS, POST");
  EXPECT_EQ(error_of(response).at("reason"), "method_not_allowed");
  EXPECT_EQ(router.handle(make_request("POST", "/api/v1/schemes")).body, "create");
}

TEST(RouterTest, HeadRunsGetRouteAndDropsBodyButKeepsLength) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/page", tag("page")).is_ok());
  const Response get = router.handle(make_request("GET", "/page"));
  const Response head = router.handle(make_request("HEAD", "/page"));
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("X-Route"), "page");
  EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
}

TEST(RouterTest, ExplicitHeadRouteIsPreferredOverGet) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/page", tag("get")).is_ok());
  ASSERT_TRUE(router.add("HEAD", "/page", tag("head")).is_ok());
  EXPECT_EQ(router.handle(make_request("HEAD", "/page")).header("X-Route"), "head");
}

TEST(RouterTest, HeadWithoutGetRouteIs405) {
  Router router;
  ASSERT_TRUE(router.add("POST", "/hook", tag("hook")).is_ok());
  const Response response = router.handle(make_request("HEAD", "/hook"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow"), "OPTIONS, POST");
}

TEST(RouterTest, OptionsAnswers204WithAllow) {
  Router router;
  ASSERT_TRUE(router.add("PUT", "/things/{id}", tag("put")).is_ok());
  ASSERT_TRUE(router.add("GET", "/things/{id}", tag("get")).is_ok());
  const Response response = router.handle(make_request("OPTIONS", "/things/3"));
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(response.header("Allow"), "GET, HEAD, OPTIONS, PUT");
  EXPECT_EQ(router.handle(make_request("OPTIONS", "/elsewhere")).status, 404);
}

TEST(RouterTest, LiteralSegmentBeatsParameterWhateverTheOrder) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/schemes/{id}", tag("one")).is_ok());
  ASSERT_TRUE(router.add("GET", "/schemes/new", tag("new")).is_ok());
  ASSERT_TRUE(router.add("GET", "/schemes/{*rest}", tag("rest")).is_ok());
  EXPECT_EQ(router.handle(make_request("GET", "/schemes/new")).header("X-Route"), "new");
  EXPECT_EQ(router.handle(make_request("GET", "/schemes/7")).header("X-Route"), "one");
  EXPECT_EQ(router.handle(make_request("GET", "/schemes/7/x")).header("X-Route"), "rest");
}

TEST(RouterTest, MethodIsChosenWithinTheMostSpecificPatternOnly) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/schemes/{id}", tag("one")).is_ok());
  ASSERT_TRUE(router.add("POST", "/schemes/new", tag("create")).is_ok());
  const Response response = router.handle(make_request("GET", "/schemes/new"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow"), "OPTIONS, POST");
}

TEST(RouterTest, WildcardCapturesTheRestOfThePath) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/static/{*path}", tag("static")).is_ok());
  EXPECT_EQ(router.handle(make_request("GET", "/static/css/app.css")).body, "static path=css/app.css");
  EXPECT_EQ(router.handle(make_request("GET", "/static/a.js")).body, "static path=a.js");
  EXPECT_EQ(router.handle(make_request("GET", "/static")).body, "static path=");
}

TEST(RouterTest, WildcardRefusesDotSegments) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/static/{*path}", tag("static")).is_ok());
  EXPECT_EQ(router.handle(make_request("GET", "/static/../secret")).status, 404);
  EXPECT_EQ(router.handle(make_request("GET", "/static/css/./app.css")).status, 404);
  // Percent-encoded dots decode to the same segment and are refused too.
  EXPECT_EQ(router.handle(make_request("GET", "/static/%2e%2e/secret")).status, 404);
}

TEST(RouterTest, ParameterDoesNotMatchEmptySegmentAndTrailingSlashMatters) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/schemes/{id}", tag("one")).is_ok());
  ASSERT_TRUE(router.add("GET", "/schemes", tag("list")).is_ok());
  EXPECT_EQ(router.handle(make_request("GET", "/schemes/")).status, 404);
  EXPECT_EQ(router.handle(make_request("GET", "/schemes/1/")).status, 404);
  EXPECT_EQ(router.handle(make_request("GET", "/schemes")).header("X-Route"), "list");
}

TEST(RouterTest, RootPathRoutes) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/", tag("root")).is_ok());
  EXPECT_EQ(router.handle(make_request("GET", "/")).header("X-Route"), "root");
  EXPECT_EQ(router.handle(make_request("GET", "/x")).status, 404);
}

TEST(RouterTest, AddRejectsMalformedPatterns) {
  Router router;
  for (const char* pattern : {"", "schemes", "/a/{", "/a/{}", "/a/x{id}", "/a/{id}x", "/a/{*rest}/b", "/a/{b-c}",
                              "/a/{id}/{id}", "/a/{*}"}) {
    const core::Status status = router.add("GET", pattern, tag("x"));
    EXPECT_EQ(status.code(), core::Code::kInvalidArgument) << pattern;
    EXPECT_EQ(status.reason(), "invalid_route_pattern") << pattern;
  }
  EXPECT_EQ(router.add("GE T", "/a", tag("x")).reason(), "invalid_route_method");
  EXPECT_EQ(router.add("GET", "/a", RouteFn()).reason(), "invalid_route_handler");
}

TEST(RouterTest, AddRejectsDuplicatesAndAmbiguousNames) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/a/{id}", tag("x")).is_ok());
  const core::Status duplicate = router.add("get", "/a/{id}", tag("y"));
  EXPECT_EQ(duplicate.code(), core::Code::kAlreadyExists);
  EXPECT_EQ(duplicate.reason(), "duplicate_route");
  EXPECT_EQ(router.add("PUT", "/a/{key}", tag("z")).reason(), "invalid_route_pattern");
  EXPECT_TRUE(router.add("PUT", "/a/{id}", tag("z")).is_ok());
}

TEST(RouterTest, AllowedMethodsIsEmptyForUnknownPaths) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/a", tag("x")).is_ok());
  EXPECT_EQ(router.allowed_methods("/a"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(router.allowed_methods("/b"), "");
}

PathParams params_with(std::string name, std::string value) {
  PathParams params;
  params.set(std::move(name), std::move(value));
  return params;
}

TEST(PathParamsTest, GetInt64ParsesDecimalIds) {
  EXPECT_EQ(params_with("id", "42").get_int64("id").value(), 42);
  EXPECT_EQ(params_with("id", "0").get_int64("id").value(), 0);
  EXPECT_EQ(params_with("id", "9223372036854775807").get_int64("id").value(), INT64_MAX);
}

TEST(PathParamsTest, GetInt64RejectsNonNumericWithFieldName) {
  for (const char* bad : {"abc", "12a", "-1", "+1", " 1", "1.0", "0x10", ""}) {
    const auto result = params_with("scheme", bad).get_int64("scheme");
    ASSERT_FALSE(result.is_ok()) << bad;
    EXPECT_EQ(result.status().code(), core::Code::kInvalidArgument) << bad;
    EXPECT_EQ(result.status().reason(), "invalid_path_parameter") << bad;
    EXPECT_EQ(result.status().field(), "scheme") << bad;
  }
}

TEST(PathParamsTest, GetInt64RejectsOverflow) {
  const auto result = params_with("id", "9223372036854775808").get_int64("id");
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "invalid_path_parameter");
  EXPECT_NE(result.status().message().find("too large"), std::string::npos);
  EXPECT_FALSE(params_with("id", "99999999999999999999999").get_int64("id").is_ok());
}

TEST(PathParamsTest, GetInt64OfUnknownNameIsInternal) {
  const auto result = params_with("id", "1").get_int64("other");
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), core::Code::kInternal);
  EXPECT_EQ(result.status().reason(), "missing_path_parameter");
}

TEST(PathParamsTest, BadIdThroughRouterBecomes400) {
  Router router;
  ASSERT_TRUE(router
                  .add("GET", "/schemes/{id}",
                       [](const Request&, const PathParams& params) {
                         auto id = params.get_int64("id");
                         if (!id) return error_response(id.status());
                         Response response;
                         response.body = std::to_string(*id);
                         return response;
                       })
                  .is_ok());
  EXPECT_EQ(router.handle(make_request("GET", "/schemes/17")).body, "17");
  const Response bad = router.handle(make_request("GET", "/schemes/seventeen"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_of(bad).at("field"), "id");
}

}  // namespace
}  // namespace mentoring::http
