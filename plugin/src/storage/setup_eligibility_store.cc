#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::Result;
using core::SchemeEligibility;
using core::Status;

namespace {

constexpr const char* kColumns =
    "schemeid, career_stages, specialties, regions, img_new_to_uk_only, returning_only, widening_only,"
    " mentor_minimum_stage, mentor_min_gap, mentor_max_gap, mentor_regions, other_professions, timecreated,"
    " timemodified";

struct Row {
  std::int64_t schemeid = 0;
  std::string career_stages, specialties, regions;
  int img = 0, returning = 0, widening = 0;
  std::string minimum_stage;
  int min_gap = 0, max_gap = 0;
  soci::indicator max_gap_ind = soci::i_null;
  std::string mentor_regions;
  int other_professions = 1;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, Row& r) {
  p, soci::into(r.schemeid), soci::into(r.career_stages), soci::into(r.specialties), soci::into(r.regions),
      soci::into(r.img), soci::into(r.returning), soci::into(r.widening), soci::into(r.minimum_stage),
      soci::into(r.min_gap), soci::into(r.max_gap, r.max_gap_ind), soci::into(r.mentor_regions),
      soci::into(r.other_professions), soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<SchemeEligibility> to_rules(const TxContext& tx, const Row& r) {
  SchemeEligibility e;
  e.schemeid = r.schemeid;
  for (const auto& s : split_list(r.career_stages, ',')) {
    auto stage = core::parse_career_stage(s);
    if (!stage) return stored_value_invalid(tx.table("eligibility"), "career_stages", s);
    e.audience.career_stages.push_back(*stage);
  }
  e.audience.specialties = split_list(r.specialties, '\n');
  e.audience.regions = split_list(r.regions, '\n');
  e.audience.img_new_to_uk_only = r.img != 0;
  e.audience.returning_from_time_out_only = r.returning != 0;
  e.audience.widening_participation_only = r.widening != 0;
  if (!r.minimum_stage.empty()) {
    auto stage = core::parse_career_stage(r.minimum_stage);
    if (!stage) return stored_value_invalid(tx.table("eligibility"), "mentor_minimum_stage", r.minimum_stage);
    e.mentors.minimum_stage = *stage;
  }
  e.mentors.min_stages_above_mentee = r.min_gap;
  if (r.max_gap_ind == soci::i_ok) e.mentors.max_stages_above_mentee = r.max_gap;
  e.mentors.regions = split_list(r.mentor_regions, '\n');
  e.mentors.other_professions_allowed = r.other_professions != 0;
  e.timecreated = r.timecreated;
  e.timemodified = r.timemodified;
  return e;
}

}  // namespace

Result<std::optional<SchemeEligibility>> SociEligibilityStore::find(std::int64_t schemeid) {
  return guarded(tx_, "reading who may join a scheme", [&]() -> Result<std::optional<SchemeEligibility>> {
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("eligibility") +
                                " WHERE schemeid = :schemeid",
         soci::use(schemeid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<SchemeEligibility>();
    auto e = to_rules(tx_, r);
    if (!e) return e.status();
    return std::optional<SchemeEligibility>(std::move(e).value());
  });
}

Result<SchemeEligibility> SociEligibilityStore::save(const SchemeEligibility& e, core::UnixSeconds now) {
  return guarded(tx_, "saving who may join a scheme", [&]() -> Result<SchemeEligibility> {
    if (!row_exists(tx_, "schemes", e.schemeid))
      return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    std::vector<std::string> stages;
    for (auto s : e.audience.career_stages) stages.push_back(core::to_string(s));
    const std::string career_stages = join_list(stages, ','), specialties = join_list(e.audience.specialties, '\n'),
                      regions = join_list(e.audience.regions, '\n'),
                      mentor_regions = join_list(e.mentors.regions, '\n');
    const int img = e.audience.img_new_to_uk_only, returning = e.audience.returning_from_time_out_only,
              widening = e.audience.widening_participation_only, other = e.mentors.other_professions_allowed;
    const std::string minimum = e.mentors.minimum_stage ? core::to_string(*e.mentors.minimum_stage) : "";
    int max_gap = e.mentors.max_stages_above_mentee.value_or(0);
    soci::indicator max_gap_ind = e.mentors.max_stages_above_mentee ? soci::i_ok : soci::i_null;
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("eligibility") +
                                " (schemeid, career_stages, specialties, regions, img_new_to_uk_only, returning_only,"
                                " widening_only, mentor_minimum_stage, mentor_min_gap, mentor_max_gap,"
                                " mentor_regions, other_professions, timecreated, timemodified) VALUES (:schemeid,"
                                " :stages, :specialties, :regions, :img, :returning, :widening, :minimum, :min_gap,"
                                " :max_gap, :mentor_regions, :other, :timecreated, :timemodified)"
                                " ON CONFLICT (schemeid) DO UPDATE SET career_stages = excluded.career_stages,"
                                " specialties = excluded.specialties, regions = excluded.regions,"
                                " img_new_to_uk_only = excluded.img_new_to_uk_only,"
                                " returning_only = excluded.returning_only, widening_only = excluded.widening_only,"
                                " mentor_minimum_stage = excluded.mentor_minimum_stage,"
                                " mentor_min_gap = excluded.mentor_min_gap, mentor_max_gap = excluded.mentor_max_gap,"
                                " mentor_regions = excluded.mentor_regions,"
                                " other_professions = excluded.other_professions,"
                                " timemodified = excluded.timemodified RETURNING " + kColumns,
         soci::use(e.schemeid), soci::use(career_stages), soci::use(specialties), soci::use(regions),
         soci::use(img), soci::use(returning), soci::use(widening), soci::use(minimum),
         soci::use(e.mentors.min_stages_above_mentee), soci::use(max_gap, max_gap_ind), soci::use(mentor_regions),
         soci::use(other), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Saving eligibility returned no row.");
    return to_rules(tx_, r);
  });
}

}  // namespace mentoring::storage
