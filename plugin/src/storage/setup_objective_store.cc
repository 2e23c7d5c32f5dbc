#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::Objective;
using core::ObjectiveMeasurement;
using core::Result;
using core::Status;

namespace {

std::string objective_columns(Dialect d) {
  return "id, schemeid, what, metric, baseline, unit, " + date_as_text(d, "baseline_on") + ", target, direction, " +
         date_as_text(d, "deadline") + ", ownerid, aim_index, timecreated, timemodified";
}

struct ObjectiveRow {
  std::int64_t id = 0, schemeid = 0;
  std::string what, metric;
  double baseline = 0;
  std::string unit, baseline_on;
  double target = 0;
  std::string direction, deadline;
  std::int64_t ownerid = 0;
  int aim_index = 0;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, ObjectiveRow& r) {
  p, soci::into(r.id), soci::into(r.schemeid), soci::into(r.what), soci::into(r.metric), soci::into(r.baseline),
      soci::into(r.unit), soci::into(r.baseline_on), soci::into(r.target), soci::into(r.direction),
      soci::into(r.deadline), soci::into(r.ownerid), soci::into(r.aim_index), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Result<Objective> to_objective(const TxContext& tx, const ObjectiveRow& r) {
  Objective o;
  o.id = r.id;
  o.schemeid = r.schemeid;
  o.what = r.what;
  o.metric = r.metric;
  o.baseline = r.baseline;
  o.unit = r.unit;
  auto baseline_on = core::Date::parse(r.baseline_on);
  if (!baseline_on) return stored_value_invalid(tx.table("objectives"), "baseline_on", r.baseline_on);
  o.baseline_on = *baseline_on;
  o.target = r.target;
  auto direction = core::parse_objective_direction(r.direction);
  if (!direction) return stored_value_invalid(tx.table("objectives"), "direction", r.direction);
  o.direction = *direction;
  auto deadline = core::Date::parse(r.deadline);
  if (!deadline) return stored_value_invalid(tx.table("objectives"), "deadline", r.deadline);
  o.deadline = *deadline;
  o.ownerid = r.ownerid;
  o.aim_index = r.aim_index;
  o.timecreated = r.timecreated;
  o.timemodified = r.timemodified;
  return o;
}

Status objective_not_found() {
  return Status::not_found("objective_not_found", "There is no objective with that id.");
}

}  // namespace

Result<Objective> SociObjectiveStore::create(const Objective& o, core::UnixSeconds now) {
  return guarded(tx_, "creating an objective", [&]() -> Result<Objective> {
    if (!row_exists(tx_, "schemes", o.schemeid))
      return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    if (!row_exists(tx_, "accounts", o.ownerid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const std::string baseline_on = o.baseline_on.to_string(), deadline = o.deadline.to_string();
    const std::string direction = core::to_string(o.direction);
    ObjectiveRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("objectives") +
                                " (schemeid, what, metric, baseline, unit, baseline_on, target, direction, deadline,"
                                " ownerid, aim_index, timecreated, timemodified) VALUES (:schemeid, :what, :metric,"
                                " :baseline, :unit, :baseline_on, :target, :direction, :deadline, :ownerid,"
                                " :aim_index, :timecreated, :timemodified) RETURNING " +
                                objective_columns(tx_.dialect),
         soci::use(o.schemeid), soci::use(o.what), soci::use(o.metric), soci::use(o.baseline), soci::use(o.unit),
         soci::use(baseline_on), soci::use(o.target), soci::use(direction), soci::use(deadline),
         soci::use(o.ownerid), soci::use(o.aim_index), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Creating an objective returned no row.");
    return to_objective(tx_, r);
  });
}

Result<Objective> SociObjectiveStore::update(const Objective& o, core::UnixSeconds now) {
  return guarded(tx_, "updating an objective", [&]() -> Result<Objective> {
    if (!row_exists(tx_, "accounts", o.ownerid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const std::string baseline_on = o.baseline_on.to_string(), deadline = o.deadline.to_string();
    const std::string direction = core::to_string(o.direction);
    ObjectiveRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("objectives") +
                                " SET what = :what, metric = :metric, baseline = :baseline, unit = :unit,"
                                " baseline_on = :baseline_on, target = :target, direction = :direction,"
                                " deadline = :deadline, ownerid = :ownerid, aim_index = :aim_index,"
                                " timemodified = :timemodified WHERE id = :id RETURNING " +
                                objective_columns(tx_.dialect),
         soci::use(o.what), soci::use(o.metric), soci::use(o.baseline), soci::use(o.unit), soci::use(baseline_on),
         soci::use(o.target), soci::use(direction), soci::use(deadline), soci::use(o.ownerid),
         soci::use(o.aim_index), soci::use(now), soci::use(o.id));
    bind(p, r);
    if (!fetch_one(p)) return objective_not_found();
    return to_objective(tx_, r);
  });
}

Result<std::optional<Objective>> SociObjectiveStore::find(std::int64_t id) {
  return guarded(tx_, "reading an objective", [&]() -> Result<std::optional<Objective>> {
    ObjectiveRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + objective_columns(tx_.dialect) + " FROM " + tx_.table("objectives") +
                                " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<Objective>();
    auto o = to_objective(tx_, r);
    if (!o) return o.status();
    return std::optional<Objective>(std::move(o).value());
  });
}

Result<std::vector<Objective>> SociObjectiveStore::list_by_scheme(std::int64_t schemeid) {
  return guarded(tx_, "listing objectives", [&]() -> Result<std::vector<Objective>> {
    std::vector<Objective> out;
    ObjectiveRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + objective_columns(tx_.dialect) + " FROM " + tx_.table("objectives") +
                                " WHERE schemeid = :schemeid ORDER BY id",
         soci::use(schemeid));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto o = to_objective(tx_, r);
      if (!o) return o.status();
      out.push_back(std::move(o).value());
    }
    return out;
  });
}

namespace {

struct MeasurementRow {
  std::int64_t id = 0, objectiveid = 0;
  std::string measured_on;
  double value = 0;
  std::int64_t timecreated = 0, timemodified = 0;
};

std::string measurement_columns(Dialect d) {
  return "id, objectiveid, " + date_as_text(d, "measured_on") + ", value, timecreated, timemodified";
}

void bind(soci::details::prepare_temp_type& p, MeasurementRow& r) {
  p, soci::into(r.id), soci::into(r.objectiveid), soci::into(r.measured_on), soci::into(r.value),
      soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<ObjectiveMeasurement> to_measurement(const TxContext& tx, const MeasurementRow& r) {
  ObjectiveMeasurement m;
  m.id = r.id;
  m.objectiveid = r.objectiveid;
  auto d = core::Date::parse(r.measured_on);
  if (!d) return stored_value_invalid(tx.table("objective_values"), "measured_on", r.measured_on);
  m.measured_on = *d;
  m.value = r.value;
  m.timecreated = r.timecreated;
  m.timemodified = r.timemodified;
  return m;
}

}  // namespace

Result<ObjectiveMeasurement> SociObjectiveStore::add_measurement(std::int64_t objectiveid, core::Date measured_on,
                                                                 double value, core::UnixSeconds now) {
  return guarded(tx_, "recording a measurement", [&]() -> Result<ObjectiveMeasurement> {
    if (!row_exists(tx_, "objectives", objectiveid)) return objective_not_found();
    const std::string on = measured_on.to_string();
    MeasurementRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("objective_values") +
                                " (objectiveid, measured_on, value, timecreated, timemodified) VALUES (:objectiveid,"
                                " :measured_on, :value, :timecreated, :timemodified) RETURNING " +
                                measurement_columns(tx_.dialect),
         soci::use(objectiveid), soci::use(on), soci::use(value), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Recording a measurement returned no row.");
    return to_measurement(tx_, r);
  });
}

Result<std::optional<ObjectiveMeasurement>> SociObjectiveStore::latest_measurement(std::int64_t objectiveid) {
  return guarded(tx_, "reading a measurement", [&]() -> Result<std::optional<ObjectiveMeasurement>> {
    MeasurementRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + measurement_columns(tx_.dialect) + " FROM " + tx_.table("objective_values") +
                                " WHERE objectiveid = :objectiveid ORDER BY measured_on DESC, id DESC LIMIT 1",
         soci::use(objectiveid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<ObjectiveMeasurement>();
    auto m = to_measurement(tx_, r);
    if (!m) return m.status();
    return std::optional<ObjectiveMeasurement>(std::move(m).value());
  });
}

}  // namespace mentoring::storage
