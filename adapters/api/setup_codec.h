// JSON <-> set-up values (objectives, governance, audience, profiles,
// training, agreement) for the API. Readers check JSON types, refuse unknown
// fields and name the field at fault; domain rules are the core's.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "app/setup_objectives.h"
#include "core/setup_stores.h"
#include "core/status.h"

namespace mentoring::api {

boost::json::object to_json(const core::Objective& o);
boost::json::object to_json(const app::SavedObjective& s);
boost::json::object to_json(const core::ObjectiveMeasurement& m);
boost::json::object to_json(const app::ObjectiveReport& r);
boost::json::object to_json(const core::GovernanceAssignment& a);
boost::json::object to_json(const core::GovernanceGaps& g);
boost::json::object to_json(const core::SchemeEligibility& e);
boost::json::object to_json(const core::MenteeProfile& p);
boost::json::object to_json(const core::MentorProfile& p);
boost::json::object to_json(const core::TrainingModule& m);
boost::json::object to_json(const core::TrainingRecord& r);
boost::json::object to_json(const core::MentorReadiness& r);
boost::json::object to_json(const core::CpdEntry& c);
boost::json::object to_json(const core::CpdTotal& t);
boost::json::object to_json(const core::AgreementTemplate& a);

core::Result<core::ObjectiveInput> objective_input_from_json(std::int64_t schemeid, const boost::json::object& o);
// {"measured_on": "YYYY-MM-DD", "value": number}
core::Result<std::pair<core::Date, double>> measurement_from_json(const boost::json::object& o);
// {"assignments": [{responsibility, accountid, reports_to, cadence, next_report_due}, ...]}
core::Result<std::vector<core::GovernanceAssignment>> governance_from_json(std::int64_t schemeid,
                                                                           const boost::json::object& o);
core::Result<core::SchemeEligibility> eligibility_from_json(std::int64_t schemeid, const boost::json::object& o);
core::Result<core::MenteeProfile> mentee_profile_from_json(std::int64_t accountid, const boost::json::object& o);
core::Result<core::MentorProfile> mentor_profile_from_json(std::int64_t accountid, const boost::json::object& o);
// {"modules": [{code, title, required, valid_for_months, refresher_code}, ...]}
core::Result<std::vector<core::TrainingModule>> training_modules_from_json(std::int64_t schemeid,
                                                                           const boost::json::object& o);
// {"schemeid", "module_code", "completed_on", "expires_on"?}; returns the scheme id too.
core::Result<std::pair<std::int64_t, core::TrainingRecord>> training_record_from_json(std::int64_t accountid,
                                                                                     const boost::json::object& o);
core::Result<core::CpdEntry> cpd_entry_from_json(std::int64_t accountid, const boost::json::object& o);
core::Result<core::AgreementTemplate> agreement_from_json(std::int64_t schemeid, const boost::json::object& o);

// An optional ?name=YYYY-MM-DD query value (empty = absent).
core::Result<std::optional<core::Date>> date_from_query(std::string_view value, const char* name);
// A required ?name=<id> query value.
core::Result<std::int64_t> id_from_query(std::string_view value, const char* name);

}  // namespace mentoring::api
