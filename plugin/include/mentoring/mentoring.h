/*
 * mentoring.h: the C ABI of the mentoring plugin (libmentoring.so).
 *
 * This is the plugin's only public surface. A host (an e-portfolio, an LMS,
 * or the `mentoringd` launcher) loads the library, checks the ABI version,
 * opens a plugin instance with a host function table and a JSON
 * configuration, and then either hands it HTTP requests in-process
 * (mentoring_handle_http) or asks it to serve on its own listener
 * (mentoring_serve_start / mentoring_serve_stop).
 *
 * Conventions
 *  - Every function that can fail returns a mentoring_status_t and, on
 *    failure, stores a message in *errptr (when errptr is not NULL) that the
 *    caller frees with mentoring_free(). On success *errptr is left alone.
 *  - Strings passed in are UTF-8 with an explicit length unless noted; the
 *    plugin copies what it keeps.
 *  - Objects the plugin returns are freed with their matching *_free call.
 *  - Functions are thread-safe unless noted. No function throws or aborts on
 *    bad input.
 *  - This header is append-only: new functions and new trailing struct
 *    fields may be added; nothing existing changes meaning.
 */
#ifndef MENTORING_H
#define MENTORING_H

#include <stddef.h>
#include <stdint.h>

#include "mentoring/export.h"
#include "mentoring/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------ */

typedef enum mentoring_status {
  MENTORING_OK = 0,
  MENTORING_ERR_INVALID_ARGUMENT = 1,   /* bad argument or configuration */
  MENTORING_ERR_ABI_MISMATCH = 2,       /* host built against another ABI */
  MENTORING_ERR_NOT_FOUND = 3,
  MENTORING_ERR_CONFLICT = 4,
  MENTORING_ERR_FAILED_PRECONDITION = 5, /* e.g. database newer than plugin */
  MENTORING_ERR_UNAVAILABLE = 6,        /* e.g. database unreachable */
  MENTORING_ERR_PERMISSION_DENIED = 7,
  MENTORING_ERR_INTERNAL = 8
} mentoring_status_t;

/* ---- Host function table ----------------------------------------------- */

typedef enum mentoring_log_level {
  MENTORING_LOG_DEBUG = 0,
  MENTORING_LOG_INFO = 1,
  MENTORING_LOG_WARNING = 2,
  MENTORING_LOG_ERROR = 3
} mentoring_log_level_t;

/* What a host knows about one of its accounts. Strings are NUL-terminated
 * and owned by the host; they must stay valid until the callback returns. */
typedef struct mentoring_host_user_v1 {
  const char* display_name;
  const char* email;
} mentoring_host_user_v1_t;

/* Services the host offers the plugin. Any function pointer may be NULL, in
 * which case the plugin uses the default given. `ctx` is passed back to
 * every call unchanged. Callbacks may be called from any plugin thread. */
typedef struct mentoring_host_v1 {
  /* sizeof(mentoring_host_v1_t) as the host compiled it. */
  uint32_t struct_size;
  void* ctx;
  /* Milliseconds since the Unix epoch, UTC. Default: the system clock. */
  int64_t (*now_ms)(void* ctx);
  /* One log line (not NUL-terminated, no trailing newline).
   * Default: written to standard error with a timestamp and level. */
  void (*log)(void* ctx, mentoring_log_level_t level, const char* message, size_t message_len);
  /* Looks up a host account by LTI issuer and subject (NUL-terminated).
   * Returns 1 and fills *out when found, 0 when the host does not know the
   * account. Default: the plugin relies on what launches and webhooks told it. */
  int (*user_lookup)(void* ctx, const char* issuer, const char* subject, mentoring_host_user_v1_t* out);
} mentoring_host_v1_t;

/* ---- Plugin lifecycle --------------------------------------------------- */

typedef struct mentoring_plugin mentoring_plugin_t;

/* The ABI version this library implements (MENTORING_ABI_VERSION). */
MENTORING_EXPORT uint32_t mentoring_abi_version(void);
/* The plugin's release, e.g. "0.1.0". Static storage; do not free. */
MENTORING_EXPORT const char* mentoring_version_string(void);

/* A JSON document describing every configuration option: its key, type,
 * default and a one-line description. Static storage; do not free. Hosts use
 * it to build --help text and to map flags and environment variables. */
MENTORING_EXPORT const char* mentoring_options_describe(void);

/* Opens a plugin instance.
 *  abi_version  MENTORING_ABI_VERSION as the host compiled it.
 *  host         may be NULL (all defaults).
 *  config_json  a JSON object of options (see mentoring_options_describe);
 *               unknown keys and bad values are refused.
 * Opening connects to the database and, unless the option
 * database.migrate is false, brings its schema up to date. Refuses a
 * database whose schema is newer than this build. */
MENTORING_EXPORT mentoring_status_t mentoring_open(uint32_t abi_version, const mentoring_host_v1_t* host,
                                                   const char* config_json, size_t config_len,
                                                   mentoring_plugin_t** out, char** errptr);

/* Closes the instance: stops its listener if serving, waits for in-flight
 * requests, releases every resource. NULL is allowed. */
MENTORING_EXPORT void mentoring_close(mentoring_plugin_t* plugin);

/* Brings the database schema up to date (each step in one transaction).
 * Writes the schema version reached to *version_out when not NULL. */
MENTORING_EXPORT mentoring_status_t mentoring_migrate(mentoring_plugin_t* plugin, int64_t* version_out,
                                                      char** errptr);

/* Frees a string or buffer the plugin returned. NULL is allowed. */
MENTORING_EXPORT void mentoring_free(void* p);

/* ---- In-process HTTP ---------------------------------------------------- */

typedef struct mentoring_header_v1 {
  const char* name;
  size_t name_len;
  const char* value;
  size_t value_len;
} mentoring_header_v1_t;

typedef struct mentoring_http_request_v1 {
  uint32_t struct_size;           /* sizeof(mentoring_http_request_v1_t) */
  const char* method;             /* "GET", "POST", ... */
  size_t method_len;
  const char* target;             /* origin-form: path and query, e.g. "/healthz?x=1" */
  size_t target_len;
  const mentoring_header_v1_t* headers;
  size_t header_count;
  const char* body;               /* may be NULL when body_len is 0 */
  size_t body_len;
  const char* remote_address;     /* client IP as text, NUL-terminated; may be NULL */
} mentoring_http_request_v1_t;

typedef struct mentoring_http_response_v1 {
  uint32_t struct_size;
  int status;                     /* e.g. 200 */
  mentoring_header_v1_t* headers;
  size_t header_count;
  char* body;
  size_t body_len;
} mentoring_http_response_v1_t;

/* Handles one HTTP request and returns the response, which the caller frees
 * with mentoring_http_response_free. A request the plugin rejects (bad
 * method, oversized body, unknown path) still gets MENTORING_OK and a 4xx
 * response; a non-OK status means the call itself was malformed. */
MENTORING_EXPORT mentoring_status_t mentoring_handle_http(mentoring_plugin_t* plugin,
                                                          const mentoring_http_request_v1_t* request,
                                                          mentoring_http_response_v1_t** response,
                                                          char** errptr);
MENTORING_EXPORT void mentoring_http_response_free(mentoring_http_response_v1_t* response);

/* ---- Own listener ------------------------------------------------------- */

/* Starts serving HTTP on the configured address and port (http.address,
 * http.port) with http.threads worker threads, and returns once listening.
 * Writes the bound port to *port_out when not NULL (useful with port 0). */
MENTORING_EXPORT mentoring_status_t mentoring_serve_start(mentoring_plugin_t* plugin, uint16_t* port_out,
                                                          char** errptr);

/* Stops accepting connections, lets in-flight requests finish (at most
 * http.shutdown_grace_ms), then returns. Safe to call when not serving. */
MENTORING_EXPORT mentoring_status_t mentoring_serve_stop(mentoring_plugin_t* plugin, char** errptr);

#ifdef __cplusplus
}
#endif

#endif /* MENTORING_H */
