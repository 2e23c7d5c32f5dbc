#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::AgreementTemplate;
using core::Result;
using core::Status;

namespace {

constexpr const char* kColumns =
    "id, schemeid, version, frequency, meeting_minutes, duration_months, boundaries, ground_rules, confidentiality,"
    " timecreated, timemodified";

struct Row {
  std::int64_t id = 0, schemeid = 0;
  int version = 0;
  std::string frequency;
  int meeting_minutes = 0, duration_months = 0;
  std::string boundaries, ground_rules, confidentiality;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, Row& r) {
  p, soci::into(r.id), soci::into(r.schemeid), soci::into(r.version), soci::into(r.frequency),
      soci::into(r.meeting_minutes), soci::into(r.duration_months), soci::into(r.boundaries),
      soci::into(r.ground_rules), soci::into(r.confidentiality), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Result<AgreementTemplate> to_template(const TxContext& tx, const Row& r) {
  AgreementTemplate a;
  a.id = r.id;
  a.schemeid = r.schemeid;
  a.version = r.version;
  auto f = core::parse_meeting_frequency(r.frequency);
  if (!f) return stored_value_invalid(tx.table("agreement_templates"), "frequency", r.frequency);
  a.frequency = *f;
  a.meeting_minutes = r.meeting_minutes;
  a.duration_months = r.duration_months;
  a.boundaries = r.boundaries;
  a.ground_rules = r.ground_rules;
  a.confidentiality = r.confidentiality;
  a.timecreated = r.timecreated;
  a.timemodified = r.timemodified;
  return a;
}

}  // namespace

Result<std::optional<AgreementTemplate>> SociAgreementStore::find_template(std::int64_t schemeid) {
  return guarded(tx_, "reading an agreement template", [&]() -> Result<std::optional<AgreementTemplate>> {
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("agreement_templates") +
                                " WHERE schemeid = :schemeid",
         soci::use(schemeid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<AgreementTemplate>();
    auto a = to_template(tx_, r);
    if (!a) return a.status();
    return std::optional<AgreementTemplate>(std::move(a).value());
  });
}

Result<AgreementTemplate> SociAgreementStore::save_template(const AgreementTemplate& a, core::UnixSeconds now) {
  return guarded(tx_, "saving an agreement template", [&]() -> Result<AgreementTemplate> {
    if (!row_exists(tx_, "schemes", a.schemeid))
      return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    const std::string frequency = core::to_string(a.frequency);
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("agreement_templates") +
                                " (schemeid, version, frequency, meeting_minutes, duration_months, boundaries,"
                                " ground_rules, confidentiality, timecreated, timemodified) VALUES (:schemeid,"
                                " :version, :frequency, :minutes, :months, :boundaries, :ground_rules,"
                                " :confidentiality, :timecreated, :timemodified) ON CONFLICT (schemeid) DO UPDATE"
                                " SET version = excluded.version, frequency = excluded.frequency,"
                                " meeting_minutes = excluded.meeting_minutes,"
                                " duration_months = excluded.duration_months, boundaries = excluded.boundaries,"
                                " ground_rules = excluded.ground_rules, confidentiality = excluded.confidentiality,"
                                " timemodified = excluded.timemodified RETURNING " + kColumns,
         soci::use(a.schemeid), soci::use(a.version), soci::use(frequency), soci::use(a.meeting_minutes),
         soci::use(a.duration_months), soci::use(a.boundaries), soci::use(a.ground_rules),
         soci::use(a.confidentiality), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Saving an agreement returned no row.");
    return to_template(tx_, r);
  });
}

}  // namespace mentoring::storage
