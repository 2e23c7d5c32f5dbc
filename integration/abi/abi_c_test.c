/* A host written in C11: compiles mentoring.h strictly and drives the ABI.
 * Usage: abi_c_test <sqlite-file>   (the file is removed first) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mentoring/mentoring.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond, what)                                                   \
  do {                                                                      \
    ++checks;                                                               \
    if (!(cond)) {                                                          \
      ++failures;                                                           \
      fprintf(stderr, "FAILED %s:%d: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
    }                                                                       \
  } while (0)

static int64_t fixed_now(void* ctx) {
  (void)ctx;
  return INT64_C(1785888000000); /* 2026-08-05T00:00:00Z */
}

static int log_lines = 0;
static void count_log(void* ctx, mentoring_log_level_t level, const char* msg, size_t len) {
  (void)ctx;
  (void)level;
  (void)msg;
  (void)len;
  ++log_lines;
}

static mentoring_http_response_v1_t* request(mentoring_plugin_t* p, const char* method, const char* target,
                                             const char* body) {
  static const char token[] = "Bearer c-host-service-token-0123456789abcdef";
  mentoring_header_v1_t headers[2];
  mentoring_http_request_v1_t req;
  mentoring_http_response_v1_t* res = NULL;
  char* err = NULL;
  memset(&req, 0, sizeof req);
  headers[0].name = "Authorization";
  headers[0].name_len = strlen("Authorization");
  headers[0].value = token;
  headers[0].value_len = strlen(token);
  headers[1].name = "Content-Type";
  headers[1].name_len = strlen("Content-Type");
  headers[1].value = "application/json";
  headers[1].value_len = strlen("application/json");
  req.struct_size = sizeof req;
  req.method = method;
  req.method_len = strlen(method);
  req.target = target;
  req.target_len = strlen(target);
  req.headers = headers;
  req.header_count = 2;
  req.body = body;
  req.body_len = body ? strlen(body) : 0;
  req.remote_address = "127.0.0.1";
  if (mentoring_handle_http(p, &req, &res, &err) != MENTORING_OK) {
    fprintf(stderr, "handle_http failed: %s\n", err ? err : "?");
    mentoring_free(err);
    return NULL;
  }
  return res;
}

int main(int argc, char** argv) {
  char config[1024];
  mentoring_host_v1_t host;
  mentoring_plugin_t* plugin = NULL;
  char* err = NULL;
  mentoring_http_response_v1_t* res;
  int64_t version = 0;

  if (argc != 2) {
    fprintf(stderr, "usage: abi_c_test <sqlite-file>\n");
    return 2;
  }
  unlink(argv[1]);

  CHECK(mentoring_abi_version() == MENTORING_ABI_VERSION, "ABI version matches the header");
  CHECK(strcmp(mentoring_version_string(), MENTORING_VERSION_STRING) == 0, "release matches the header");
  CHECK(strstr(mentoring_options_describe(), "\"database.url\"") != NULL, "options describe database.url");

  memset(&host, 0, sizeof host);
  host.struct_size = sizeof host;
  host.now_ms = fixed_now;
  host.log = count_log;

  /* A host built for another ABI version is refused with a message. */
  CHECK(mentoring_open(MENTORING_ABI_VERSION + 1, &host, "{}", 2, &plugin, &err) == MENTORING_ERR_ABI_MISMATCH,
        "ABI mismatch refused");
  CHECK(err != NULL && strstr(err, "ABI") != NULL, "ABI mismatch explained");
  CHECK(plugin == NULL, "no plugin on failure");
  mentoring_free(err);
  err = NULL;

  /* An unknown key is refused, naming the key. */
  {
    const char* bad = "{\"database\":{\"colour\":\"blue\"}}";
    CHECK(mentoring_open(MENTORING_ABI_VERSION, &host, bad, strlen(bad), &plugin, &err) ==
              MENTORING_ERR_INVALID_ARGUMENT,
          "unknown key refused");
    CHECK(err != NULL && strstr(err, "database.colour") != NULL, "unknown key named");
    mentoring_free(err);
    err = NULL;
  }

  snprintf(config, sizeof config,
           "{\"database\":{\"url\":\"sqlite3:%s\"},"
           "\"api\":{\"service_token\":\"c-host-service-token-0123456789abcdef\"}}",
           argv[1]);
  if (mentoring_open(MENTORING_ABI_VERSION, &host, config, strlen(config), &plugin, &err) != MENTORING_OK) {
    fprintf(stderr, "FAILED: mentoring_open: %s\n", err ? err : "?");
    mentoring_free(err);
    return 1;
  }
  CHECK(log_lines > 0, "the host's log callback is used");
  CHECK(mentoring_migrate(plugin, &version, &err) == MENTORING_OK && version >= 1, "migrate reports a version");

  res = request(plugin, "GET", "/healthz", NULL);
  CHECK(res != NULL && res->status == 200, "healthz answers 200");
  CHECK(res != NULL && strstr(res->body, "\"ok\"") != NULL, "healthz body says ok");
  mentoring_http_response_free(res);

  res = request(plugin, "POST", "/api/v1/schemes", "{\"name\":\"FY1 mentoring\",\"type\":\"near_peer\"}");
  CHECK(res != NULL && res->status == 201, "scheme created");
  CHECK(res != NULL && strstr(res->body, "\"near_peer\"") != NULL, "scheme echoed");
  /* The host clock is the plugin's clock. */
  CHECK(res != NULL && strstr(res->body, "\"timecreated\":1785888000") != NULL, "host clock used");
  mentoring_http_response_free(res);

  res = request(plugin, "POST", "/api/v1/schemes", "{\"name\":\"\"}");
  CHECK(res != NULL && res->status == 400, "empty name refused");
  CHECK(res != NULL && strstr(res->body, "scheme_name_required") != NULL, "reason given");
  mentoring_http_response_free(res);

  res = request(plugin, "GET", "/no/such/page", NULL);
  CHECK(res != NULL && res->status == 404, "unknown path is 404");
  mentoring_http_response_free(res);

  /* NULL arguments are refused, not crashed on. */
  CHECK(mentoring_handle_http(plugin, NULL, &res, &err) == MENTORING_ERR_INVALID_ARGUMENT, "NULL request refused");
  mentoring_free(err);
  err = NULL;

  mentoring_close(plugin);
  mentoring_close(NULL);
  unlink(argv[1]);

  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
