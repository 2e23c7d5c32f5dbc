// Linking an LTI context (course) to a mentoring scheme, one service for
// both ways it happens:
//   - staff, with PUT /api/v1/lti/contexts/{id}/scheme (link, relink or
//     unlink);
//   - a launch whose custom claim carries `mentoring_scheme_id` (what a
//     Deep Linking placement puts there), which links a context that has no
//     scheme yet. A claim never replaces an existing link, and a value that
//     is not a usable scheme id is ignored (the launch goes on, and the
//     caller logs the warning).
// Every link made is written to the audit log in the same transaction.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "core/audit.h"
#include "core/stores.h"

namespace mentoring::lti {

// The custom parameter the tool's Deep Linking content items carry.
inline constexpr std::string_view kCustomSchemeId = "mentoring_scheme_id";

// The scheme id of a launch's custom claim: nullopt when the claim has no
// mentoring_scheme_id; else a decimal string (or JSON integer) from 1 to
// 2^53. Error: invalid_argument "custom_scheme_id_invalid" (the message says
// why, without quoting the value).
core::Result<std::optional<std::int64_t>> custom_scheme_id(const boost::json::object& custom);

// Links context `contextid` to `schemeid` (nullopt unlinks) and audits it
// as `actor`. Errors: not_found "scheme_not_found", "lti_context_not_found".
core::Result<core::LtiContextLink> link_context_scheme(core::Stores& s, std::int64_t contextid,
                                                       std::optional<std::int64_t> schemeid, const core::Actor& actor,
                                                       core::UnixSeconds now);

struct ClaimLinkOutcome {
  core::LtiContextLink link;  // the context as it is now
  bool linked = false;        // this launch linked it
  std::string warning;        // why the claim was ignored; empty otherwise
};

// Applies a launch's custom claim to the context it came from: when `link`
// has no scheme and the claim names a scheme that exists, the context is
// linked (only if still unlinked at that moment) and audited as the
// launching account. An absent claim changes nothing; an invalid one, or a
// scheme that does not exist, changes nothing and sets `warning`; a link
// already there is kept, with a warning when the claim names another scheme.
// Errors are only those of the stores.
core::Result<ClaimLinkOutcome> link_from_custom_claim(core::Stores& s, const core::LtiContextLink& link,
                                                      const boost::json::object& custom, std::int64_t accountid,
                                                      core::UnixSeconds now);

}  // namespace mentoring::lti
