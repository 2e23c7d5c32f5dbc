#include "adapters/web/pages/error_pages.h"

namespace mentoring::web {
namespace {

struct KindInfo {
  int status;
  const char* section;    // the section of error.mustache to show
  const char* title_key;  // also the page's <h1>
};

KindInfo info(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest:
      return {400, "bad_request", "error:bad_request_title"};
    case ErrorKind::kForbidden:
      return {403, "forbidden", "error:forbidden_title"};
    case ErrorKind::kNotFound:
      return {404, "not_found", "error:not_found_title"};
    case ErrorKind::kSessionExpired:
      return {403, "session_expired", "error:session_expired_title"};
    case ErrorKind::kUnavailable:
      return {503, "unavailable", "error:unavailable_title"};
    case ErrorKind::kRefused:
      return {409, "refused", "error:refused_title"};
    case ErrorKind::kInternal:
      break;
  }
  return {500, "internal", "error:internal_title"};
}

}  // namespace

int http_status(ErrorKind kind) { return info(kind).status; }

ErrorKind error_kind_for(const core::Status& status) {
  switch (status.code()) {
    case core::Code::kInvalidArgument:
      return ErrorKind::kBadRequest;
    case core::Code::kNotFound:
      return ErrorKind::kNotFound;
    case core::Code::kUnauthenticated:
    case core::Code::kPermissionDenied:
      return ErrorKind::kForbidden;
    case core::Code::kUnavailable:
      return ErrorKind::kUnavailable;
    // What the scheme's rules or the state of things refused: the person
    // can act on it, so it is not shown as a fault of the service.
    case core::Code::kAlreadyExists:
    case core::Code::kConflict:
    case core::Code::kFailedPrecondition:
      return ErrorKind::kRefused;
    default:
      return ErrorKind::kInternal;
  }
}

kainjow::mustache::data page_data(std::string page_title, const PageChrome& chrome) {
  kainjow::mustache::data data;
  data.set("page_title", std::move(page_title));
  data.set("show_nhs_header", chrome.show_nhs_header ? kainjow::mustache::data::type::bool_true
                                                     : kainjow::mustache::data::type::bool_false);
  data.set("hide_nhs_logo", chrome.hide_nhs_logo ? kainjow::mustache::data::type::bool_true
                                                 : kainjow::mustache::data::type::bool_false);
  if (!chrome.service_href.empty()) data.set("service_href", chrome.service_href);
  return data;
}

http::Response html_response(int status, std::string body, const SecurityPolicy& policy) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.set_header("Content-Type", "text/html; charset=utf-8");
  response.set_header("Cache-Control", "no-store");
  apply_security_headers(response, policy);
  return response;
}

namespace {

http::Response draw_error(ErrorKind kind, const Renderer& renderer, const SecurityPolicy& policy,
                          const PageChrome& chrome, std::string_view reference, std::string_view detail) {
  const KindInfo k = info(kind);
  kainjow::mustache::data data = page_data(renderer.strings().text(k.title_key), chrome);
  data.set(k.section, kainjow::mustache::data::type::bool_true);
  if (!reference.empty()) data.set("reference", std::string(reference));
  if (!detail.empty()) data.set("detail", std::string(detail));
  return html_response(k.status, renderer.render("error", data), policy);
}

}  // namespace

http::Response error_page(ErrorKind kind, const Renderer& renderer, const SecurityPolicy& policy,
                          const PageChrome& chrome, std::string_view reference) {
  return draw_error(kind, renderer, policy, chrome, reference, {});
}

http::Response refused_page(const Renderer& r, const SecurityPolicy& p, const PageChrome& c, std::string_view detail) {
  return draw_error(ErrorKind::kRefused, r, p, c, {}, detail);
}

http::Response bad_request_page(const Renderer& r, const SecurityPolicy& p, const PageChrome& c) {
  return error_page(ErrorKind::kBadRequest, r, p, c);
}
http::Response forbidden_page(const Renderer& r, const SecurityPolicy& p, const PageChrome& c) {
  return error_page(ErrorKind::kForbidden, r, p, c);
}
http::Response not_found_page(const Renderer& r, const SecurityPolicy& p, const PageChrome& c) {
  return error_page(ErrorKind::kNotFound, r, p, c);
}
http::Response session_expired_page(const Renderer& r, const SecurityPolicy& p, const PageChrome& c) {
  return error_page(ErrorKind::kSessionExpired, r, p, c);
}
http::Response internal_error_page(const Renderer& r, const SecurityPolicy& p, const PageChrome& c,
                                   std::string_view reference) {
  return error_page(ErrorKind::kInternal, r, p, c, reference);
}
http::Response unavailable_page(const Renderer& r, const SecurityPolicy& p, const PageChrome& c) {
  return error_page(ErrorKind::kUnavailable, r, p, c);
}

http::Response accessibility_page(const Renderer& renderer, const SecurityPolicy& policy, const PageChrome& chrome) {
  kainjow::mustache::data data = page_data(renderer.strings().text("accessibility:title"), chrome);
  return html_response(200, renderer.render("accessibility", data), policy);
}

}  // namespace mentoring::web
