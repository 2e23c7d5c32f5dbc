// JSON <-> domain values for the API. Readers validate types and report the
// field at fault; domain rules are checked by the core, not here.
#pragma once

#include <boost/json.hpp>

#include "core/account.h"
#include "core/enrolment.h"
#include "core/scheme.h"
#include "core/status.h"
#include "core/stores.h"

namespace mentoring::api {

boost::json::object to_json(const core::Account& a);
boost::json::object to_json(const core::Scheme& s);
boost::json::object to_json(const core::Cohort& c);
boost::json::object to_json(const core::Enrolment& e);

core::Result<core::AccountInput> account_input_from_json(const boost::json::object& o);
core::Result<core::SchemeInput> scheme_input_from_json(const boost::json::object& o);
core::Result<core::CohortInput> cohort_input_from_json(std::int64_t schemeid, const boost::json::object& o);

// Reads ?limit=&offset= with defaults 50 and 0.
core::Result<core::Page> page_from_query(std::string_view limit, std::string_view offset);

}  // namespace mentoring::api
