#include "app/scheme_setup.h"

#include "app/business_as_usual.h"
#include "app/unit_of_work.h"

namespace mentoring::app {
using core::Cohort;
using core::Result;
using core::Scheme;
using core::Status;

namespace {
Status scheme_not_found() { return Status::not_found("scheme_not_found", "There is no scheme with that id."); }
}  // namespace

Result<Scheme> SchemeSetup::create(const core::SchemeInput& input) {
  if (Status st = core::validate(input); !st) return st;
  return in_transaction<Scheme>(db_, [&](core::Stores& s) { return s.schemes.create(input, clock_.now()); });
}

Result<Scheme> SchemeSetup::update(std::int64_t id, const core::SchemeInput& input, const core::Actor& actor) {
  if (Status st = core::validate(input); !st) return st;
  const core::UnixSeconds now = clock_.now();
  return in_transaction<Scheme>(db_, [&](core::Stores& s) -> Result<Scheme> {
    auto current = s.schemes.find(id);
    if (!current) return current.status();
    if (!*current) return scheme_not_found();
    if ((*current)->phase != input.phase) {
      auto change = record_phase_change_in(s, **current, input.phase, "", actor, now);
      if (!change) return change.status();
    }
    return s.schemes.update(id, input, now);
  });
}

Result<Scheme> SchemeSetup::get(std::int64_t id) {
  return in_transaction<Scheme>(db_, [&](core::Stores& s) -> Result<Scheme> {
    auto found = s.schemes.find(id);
    if (!found) return found.status();
    if (!found->has_value()) return scheme_not_found();
    return **found;
  });
}

Result<std::vector<Scheme>> SchemeSetup::list(core::Page page) {
  return in_transaction<std::vector<Scheme>>(db_, [&](core::Stores& s) { return s.schemes.list(page); });
}

Result<Cohort> SchemeSetup::add_cohort(const core::CohortInput& input) {
  if (Status st = core::validate(input); !st) return st;
  return in_transaction<Cohort>(db_, [&](core::Stores& s) -> Result<Cohort> {
    auto scheme = s.schemes.find(input.schemeid);
    if (!scheme) return scheme.status();
    if (!scheme->has_value()) return scheme_not_found();
    return s.schemes.create_cohort(input, clock_.now());
  });
}

Result<Cohort> SchemeSetup::get_cohort(std::int64_t id) {
  return in_transaction<Cohort>(db_, [&](core::Stores& s) -> Result<Cohort> {
    auto found = s.schemes.find_cohort(id);
    if (!found) return found.status();
    if (!found->has_value()) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    return **found;
  });
}

Result<std::vector<Cohort>> SchemeSetup::list_cohorts(std::int64_t schemeid) {
  return in_transaction<std::vector<Cohort>>(db_, [&](core::Stores& s) -> Result<std::vector<Cohort>> {
    auto scheme = s.schemes.find(schemeid);
    if (!scheme) return scheme.status();
    if (!scheme->has_value()) return scheme_not_found();
    return s.schemes.list_cohorts(schemeid);
  });
}

}  // namespace mentoring::app
