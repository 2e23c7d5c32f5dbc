#include "storage/soci_stores.h"

namespace mentoring::storage {
using core::Cohort;
using core::Result;
using core::Scheme;
using core::Status;

namespace {

constexpr const char* kSchemeColumns = "id, name, type, aims, phase, timecreated, timemodified";

struct SchemeRow {
  std::int64_t id = 0;
  std::string name, type, aims, phase;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, SchemeRow& r) {
  p, soci::into(r.id), soci::into(r.name), soci::into(r.type), soci::into(r.aims), soci::into(r.phase),
      soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<Scheme> to_scheme(const TxContext& tx, const SchemeRow& r) {
  Scheme s;
  s.id = r.id;
  s.name = r.name;
  auto type = core::parse_scheme_type(r.type);
  if (!type) return stored_value_invalid(tx.table("schemes"), "type", r.type);
  s.type = *type;
  s.aims = r.aims;
  auto phase = core::parse_scheme_phase(r.phase);
  if (!phase) return stored_value_invalid(tx.table("schemes"), "phase", r.phase);
  s.phase = *phase;
  s.timecreated = r.timecreated;
  s.timemodified = r.timemodified;
  return s;
}

std::string cohort_columns(Dialect d) {
  return "id, schemeid, name, " + date_as_text(d, "opens_on") + ", " + date_as_text(d, "closes_on") + ", " +
         date_as_text(d, "starts_on") + ", " + date_as_text(d, "ends_on") + ", matching_model, timecreated, timemodified";
}

struct CohortRow {
  std::int64_t id = 0, schemeid = 0;
  std::string name, opens_on, closes_on, starts_on, ends_on, matching_model;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, CohortRow& r) {
  p, soci::into(r.id), soci::into(r.schemeid), soci::into(r.name), soci::into(r.opens_on), soci::into(r.closes_on),
      soci::into(r.starts_on), soci::into(r.ends_on), soci::into(r.matching_model), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Result<Cohort> to_cohort(const TxContext& tx, const CohortRow& r) {
  Cohort c;
  c.id = r.id;
  c.schemeid = r.schemeid;
  c.name = r.name;
  const std::pair<const std::string*, core::Date*> dates[] = {
      {&r.opens_on, &c.opens_on}, {&r.closes_on, &c.closes_on}, {&r.starts_on, &c.starts_on}, {&r.ends_on, &c.ends_on}};
  for (const auto& [text, out] : dates) {
    auto d = core::Date::parse(*text);
    if (!d) return stored_value_invalid(tx.table("cohorts"), "date", *text);
    *out = *d;
  }
  auto model = core::parse_matching_model(r.matching_model);
  if (!model) return stored_value_invalid(tx.table("cohorts"), "matching_model", r.matching_model);
  c.matching_model = *model;
  c.timecreated = r.timecreated;
  c.timemodified = r.timemodified;
  return c;
}

Status scheme_not_found() { return Status::not_found("scheme_not_found", "There is no scheme with that id."); }

}  // namespace

Result<Scheme> SociSchemeStore::create(const core::SchemeInput& input, core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(core::validate(input));
  return guarded(tx_, "creating a scheme", [&]() -> Result<Scheme> {
    const std::string type = core::to_string(input.type);
    const std::string phase = core::to_string(input.phase);
    SchemeRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("schemes") +
                                " (name, type, aims, phase, timecreated, timemodified)"
                                " VALUES (:name, :type, :aims, :phase, :timecreated, :timemodified) RETURNING " +
                                kSchemeColumns,
         soci::use(input.name), soci::use(type), soci::use(input.aims), soci::use(phase), soci::use(now),
         soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Creating a scheme returned no row.");
    return to_scheme(tx_, r);
  });
}

Result<Scheme> SociSchemeStore::update(std::int64_t id, const core::SchemeInput& input, core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(core::validate(input));
  return guarded(tx_, "updating a scheme", [&]() -> Result<Scheme> {
    const std::string type = core::to_string(input.type);
    const std::string phase = core::to_string(input.phase);
    SchemeRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("schemes") +
                                " SET name = :name, type = :type, aims = :aims, phase = :phase,"
                                " timemodified = :timemodified WHERE id = :id RETURNING " + kSchemeColumns,
         soci::use(input.name), soci::use(type), soci::use(input.aims), soci::use(phase), soci::use(now),
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return scheme_not_found();
    return to_scheme(tx_, r);
  });
}

Result<std::optional<Scheme>> SociSchemeStore::find(std::int64_t id) {
  return guarded(tx_, "reading a scheme", [&]() -> Result<std::optional<Scheme>> {
    SchemeRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kSchemeColumns + " FROM " + tx_.table("schemes") +
                                " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<Scheme>();
    auto s = to_scheme(tx_, r);
    if (!s) return s.status();
    return std::optional<Scheme>(std::move(s).value());
  });
}

Result<std::vector<Scheme>> SociSchemeStore::list(core::Page page) {
  auto checked = checked_page(page);
  if (!checked) return checked.status();
  return guarded(tx_, "listing schemes", [&]() -> Result<std::vector<Scheme>> {
    std::vector<Scheme> out;
    SchemeRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kSchemeColumns + " FROM " + tx_.table("schemes") +
                                " ORDER BY id LIMIT :limit OFFSET :offset",
         soci::use(checked->limit), soci::use(checked->offset));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto s = to_scheme(tx_, r);
      if (!s) return s.status();
      out.push_back(std::move(s).value());
    }
    return out;
  });
}

Result<Cohort> SociSchemeStore::create_cohort(const core::CohortInput& input, core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(core::validate(input));
  return guarded(tx_, "creating a cohort", [&]() -> Result<Cohort> {
    // Checked first so the caller hears which thing is missing; the foreign
    // key still guards against a scheme deleted concurrently.
    int exists = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("schemes") + " WHERE id = :id", soci::use(input.schemeid),
        soci::into(exists);
    if (exists == 0) return scheme_not_found();
    const std::string opens = input.opens_on.to_string(), closes = input.closes_on.to_string(),
                      starts = input.starts_on.to_string(), ends = input.ends_on.to_string();
    const std::string model = core::to_string(input.matching_model);
    CohortRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("cohorts") +
                                " (schemeid, name, opens_on, closes_on, starts_on, ends_on, matching_model,"
                                " timecreated, timemodified) VALUES (:schemeid, :name, :opens_on, :closes_on,"
                                " :starts_on, :ends_on, :matching_model, :timecreated, :timemodified) RETURNING " +
                                cohort_columns(tx_.dialect),
         soci::use(input.schemeid), soci::use(input.name), soci::use(opens), soci::use(closes), soci::use(starts),
         soci::use(ends), soci::use(model), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Creating a cohort returned no row.");
    return to_cohort(tx_, r);
  });
}

Result<std::optional<Cohort>> SociSchemeStore::find_cohort(std::int64_t id) {
  return guarded(tx_, "reading a cohort", [&]() -> Result<std::optional<Cohort>> {
    CohortRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + cohort_columns(tx_.dialect) + " FROM " + tx_.table("cohorts") +
                                " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<Cohort>();
    auto c = to_cohort(tx_, r);
    if (!c) return c.status();
    return std::optional<Cohort>(std::move(c).value());
  });
}

Result<std::vector<Cohort>> SociSchemeStore::list_cohorts(std::int64_t schemeid) {
  return guarded(tx_, "listing cohorts", [&]() -> Result<std::vector<Cohort>> {
    std::vector<Cohort> out;
    CohortRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + cohort_columns(tx_.dialect) + " FROM " + tx_.table("cohorts") +
                                " WHERE schemeid = :schemeid ORDER BY id",
         soci::use(schemeid));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto c = to_cohort(tx_, r);
      if (!c) return c.status();
      out.push_back(std::move(c).value());
    }
    return out;
  });
}

}  // namespace mentoring::storage
