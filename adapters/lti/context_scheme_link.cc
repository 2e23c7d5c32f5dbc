#include "adapters/lti/context_scheme_link.h"

#include <boost/json.hpp>

#include "app/audit.h"

namespace mentoring::lti {
namespace json = boost::json;
using core::Result;
using core::Status;

namespace {

constexpr std::int64_t kMaxSchemeId = std::int64_t{1} << 53;

Status invalid(const std::string& why) {
  return Status::invalid("custom_scheme_id_invalid", "The launch's custom mentoring_scheme_id " + why + ".",
                         std::string(kCustomSchemeId));
}

}  // namespace

Result<std::optional<std::int64_t>> custom_scheme_id(const json::object& custom) {
  const json::value* v = custom.if_contains(kCustomSchemeId);
  if (v == nullptr) return std::optional<std::int64_t>();
  std::int64_t id = 0;
  if (v->is_int64()) {
    id = v->as_int64();
  } else if (v->is_uint64()) {
    return invalid("is too large");
  } else if (v->is_string()) {
    const json::string& text = v->as_string();
    if (text.empty() || text.size() > 16) return invalid("is not a scheme id of 1 to 16 digits");
    for (char c : text) {
      if (c < '0' || c > '9') return invalid("is not a scheme id of 1 to 16 digits");
      id = id * 10 + (c - '0');
    }
  } else {
    return invalid("is neither text nor a number");
  }
  if (id < 1 || id > kMaxSchemeId) return invalid("is not a positive scheme id");
  return std::optional<std::int64_t>(id);
}

Result<core::LtiContextLink> link_context_scheme(core::Stores& s, std::int64_t contextid,
                                                 std::optional<std::int64_t> schemeid, const core::Actor& actor,
                                                 core::UnixSeconds now) {
  if (schemeid) {
    auto scheme = s.schemes.find(*schemeid);
    if (!scheme) return scheme.status();
    if (!*scheme) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
  }
  auto link = s.lti.link_context(contextid, schemeid, now);
  if (!link) return link.status();
  MENTORING_RETURN_IF_ERROR(app::audit(s, actor, core::AuditAction::kUpdate, "lti_context", contextid,
                                       schemeid ? "linked to a scheme" : "unlinked from its scheme", now));
  return link;
}

Result<ClaimLinkOutcome> link_from_custom_claim(core::Stores& s, const core::LtiContextLink& link,
                                                const json::object& custom, std::int64_t accountid,
                                                core::UnixSeconds now) {
  ClaimLinkOutcome out;
  out.link = link;
  auto wanted = custom_scheme_id(custom);
  if (!wanted) {
    out.warning = wanted.status().message();
    return out;
  }
  if (!*wanted) return out;
  if (link.schemeid) {
    if (*link.schemeid != **wanted)
      out.warning =
          "The launch's custom mentoring_scheme_id names another scheme than the context's link, which is kept.";
    return out;
  }
  auto scheme = s.schemes.find(**wanted);
  if (!scheme) return scheme.status();
  if (!*scheme) {
    out.warning = "The launch's custom mentoring_scheme_id names no scheme of this instance.";
    return out;
  }
  auto linked = s.lti.link_context_if_unlinked(link.id, **wanted, now);
  if (!linked) return linked.status();
  if (!*linked) {
    // Another launch linked it a moment ago: its link stands.
    out.warning = "The context was linked by another launch meanwhile; its link is kept.";
    return out;
  }
  MENTORING_RETURN_IF_ERROR(app::audit(s, core::Actor::account(accountid), core::AuditAction::kUpdate, "lti_context",
                                       link.id, "linked to a scheme by the launch's custom mentoring_scheme_id", now));
  out.link = std::move(linked).value().value();
  out.linked = true;
  return out;
}

}  // namespace mentoring::lti
