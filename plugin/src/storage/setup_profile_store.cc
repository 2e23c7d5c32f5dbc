#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::MenteeProfile;
using core::MentorProfile;
using core::Result;
using core::Status;

namespace {

Status account_not_found() { return Status::not_found("account_not_found", "There is no account with that id."); }

constexpr const char* kMenteeColumns =
    "id, accountid, career_stage, specialty, site, region, goals, hopes, transition_points, topics,"
    " location_preference, meeting_mode, languages, availability, timecreated, timemodified";

struct MenteeRow {
  std::int64_t id = 0, accountid = 0;
  std::string career_stage, specialty, site, region, goals, hopes, transition_points, topics, location_preference,
      meeting_mode, languages, availability;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, MenteeRow& r) {
  p, soci::into(r.id), soci::into(r.accountid), soci::into(r.career_stage), soci::into(r.specialty),
      soci::into(r.site), soci::into(r.region), soci::into(r.goals), soci::into(r.hopes),
      soci::into(r.transition_points), soci::into(r.topics), soci::into(r.location_preference),
      soci::into(r.meeting_mode), soci::into(r.languages), soci::into(r.availability), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Result<MenteeProfile> to_mentee(const TxContext& tx, const MenteeRow& r) {
  const std::string table = tx.table("mentee_profiles");
  MenteeProfile m;
  m.id = r.id;
  m.accountid = r.accountid;
  auto stage = core::parse_career_stage(r.career_stage);
  if (!stage) return stored_value_invalid(table, "career_stage", r.career_stage);
  m.career_stage = *stage;
  m.specialty = r.specialty;
  m.site = r.site;
  m.region = r.region;
  m.goals = r.goals;
  m.hopes = r.hopes;
  for (const auto& s : split_list(r.transition_points, ',')) {
    auto t = core::parse_transition_point(s);
    if (!t) return stored_value_invalid(table, "transition_points", s);
    m.transition_points.push_back(*t);
  }
  m.topics = split_list(r.topics, '\n');
  auto location = core::parse_location_preference(r.location_preference);
  if (!location) return stored_value_invalid(table, "location_preference", r.location_preference);
  m.location_preference = *location;
  auto mode = core::parse_meeting_mode(r.meeting_mode);
  if (!mode) return stored_value_invalid(table, "meeting_mode", r.meeting_mode);
  m.meeting_mode = *mode;
  m.languages = split_list(r.languages, ',');
  m.availability = r.availability;
  m.timecreated = r.timecreated;
  m.timemodified = r.timemodified;
  return m;
}

std::string mentor_columns(Dialect d) {
  return "id, accountid, career_stage, specialty, site, region, expertise_areas, capacity, " +
         date_as_text(d, "away_until") + ", languages, bio, timecreated, timemodified";
}

struct MentorRow {
  std::int64_t id = 0, accountid = 0;
  std::string career_stage, specialty, site, region, expertise_areas;
  int capacity = 1;
  std::string away_until;
  soci::indicator away_ind = soci::i_null;
  std::string languages, bio;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, MentorRow& r) {
  p, soci::into(r.id), soci::into(r.accountid), soci::into(r.career_stage), soci::into(r.specialty),
      soci::into(r.site), soci::into(r.region), soci::into(r.expertise_areas), soci::into(r.capacity),
      soci::into(r.away_until, r.away_ind), soci::into(r.languages), soci::into(r.bio), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Result<MentorProfile> to_mentor(const TxContext& tx, const MentorRow& r) {
  const std::string table = tx.table("mentor_profiles");
  MentorProfile m;
  m.id = r.id;
  m.accountid = r.accountid;
  auto stage = core::parse_career_stage(r.career_stage);
  if (!stage) return stored_value_invalid(table, "career_stage", r.career_stage);
  m.career_stage = *stage;
  m.specialty = r.specialty;
  m.site = r.site;
  m.region = r.region;
  m.expertise_areas = split_list(r.expertise_areas, '\n');
  m.capacity = r.capacity;
  if (r.away_ind == soci::i_ok) {
    auto d = core::Date::parse(r.away_until);
    if (!d) return stored_value_invalid(table, "away_until", r.away_until);
    m.away_until = *d;
  }
  m.languages = split_list(r.languages, ',');
  m.bio = r.bio;
  m.timecreated = r.timecreated;
  m.timemodified = r.timemodified;
  return m;
}

}  // namespace

Result<std::optional<MenteeProfile>> SociProfileStore::find_mentee(std::int64_t accountid) {
  return guarded(tx_, "reading a mentee profile", [&]() -> Result<std::optional<MenteeProfile>> {
    MenteeRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kMenteeColumns + " FROM " + tx_.table("mentee_profiles") +
                                " WHERE accountid = :accountid",
         soci::use(accountid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<MenteeProfile>();
    auto m = to_mentee(tx_, r);
    if (!m) return m.status();
    return std::optional<MenteeProfile>(std::move(m).value());
  });
}

Result<MenteeProfile> SociProfileStore::save_mentee(const MenteeProfile& m, core::UnixSeconds now) {
  return guarded(tx_, "saving a mentee profile", [&]() -> Result<MenteeProfile> {
    if (!row_exists(tx_, "accounts", m.accountid)) return account_not_found();
    const std::string stage = core::to_string(m.career_stage);
    std::vector<std::string> points;
    for (auto t : m.transition_points) points.push_back(core::to_string(t));
    const std::string transition_points = join_list(points, ','), topics = join_list(m.topics, '\n'),
                      location = core::to_string(m.location_preference), mode = core::to_string(m.meeting_mode),
                      languages = join_list(m.languages, ',');
    MenteeRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("mentee_profiles") +
                                " (accountid, career_stage, specialty, site, region, goals, hopes, transition_points,"
                                " topics, location_preference, meeting_mode, languages, availability, timecreated,"
                                " timemodified) VALUES (:accountid, :stage, :specialty, :site, :region, :goals,"
                                " :hopes, :points, :topics, :location, :mode, :languages, :availability,"
                                " :timecreated, :timemodified) ON CONFLICT (accountid) DO UPDATE SET"
                                " career_stage = excluded.career_stage, specialty = excluded.specialty,"
                                " site = excluded.site, region = excluded.region, goals = excluded.goals,"
                                " hopes = excluded.hopes, transition_points = excluded.transition_points,"
                                " topics = excluded.topics, location_preference = excluded.location_preference,"
                                " meeting_mode = excluded.meeting_mode, languages = excluded.languages,"
                                " availability = excluded.availability, timemodified = excluded.timemodified"
                                " RETURNING " + kMenteeColumns,
         soci::use(m.accountid), soci::use(stage), soci::use(m.specialty), soci::use(m.site), soci::use(m.region),
         soci::use(m.goals), soci::use(m.hopes), soci::use(transition_points), soci::use(topics),
         soci::use(location), soci::use(mode), soci::use(languages), soci::use(m.availability), soci::use(now),
         soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Saving a mentee profile returned no row.");
    return to_mentee(tx_, r);
  });
}

Result<std::optional<MentorProfile>> SociProfileStore::find_mentor(std::int64_t accountid) {
  return guarded(tx_, "reading a mentor profile", [&]() -> Result<std::optional<MentorProfile>> {
    MentorRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + mentor_columns(tx_.dialect) + " FROM " + tx_.table("mentor_profiles") +
                                " WHERE accountid = :accountid",
         soci::use(accountid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<MentorProfile>();
    auto m = to_mentor(tx_, r);
    if (!m) return m.status();
    return std::optional<MentorProfile>(std::move(m).value());
  });
}

Result<MentorProfile> SociProfileStore::save_mentor(const MentorProfile& m, core::UnixSeconds now) {
  return guarded(tx_, "saving a mentor profile", [&]() -> Result<MentorProfile> {
    if (!row_exists(tx_, "accounts", m.accountid)) return account_not_found();
    const std::string stage = core::to_string(m.career_stage), expertise = join_list(m.expertise_areas, '\n'),
                      languages = join_list(m.languages, ',');
    std::string away = m.away_until ? m.away_until->to_string() : std::string();
    soci::indicator away_ind = m.away_until ? soci::i_ok : soci::i_null;
    MentorRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("mentor_profiles") +
                                " (accountid, career_stage, specialty, site, region, expertise_areas, capacity,"
                                " away_until, languages, bio, timecreated, timemodified) VALUES (:accountid, :stage,"
                                " :specialty, :site, :region, :expertise, :capacity, :away, :languages, :bio,"
                                " :timecreated, :timemodified) ON CONFLICT (accountid) DO UPDATE SET"
                                " career_stage = excluded.career_stage, specialty = excluded.specialty,"
                                " site = excluded.site, region = excluded.region,"
                                " expertise_areas = excluded.expertise_areas, capacity = excluded.capacity,"
                                " away_until = excluded.away_until, languages = excluded.languages,"
                                " bio = excluded.bio, timemodified = excluded.timemodified RETURNING " +
                                mentor_columns(tx_.dialect),
         soci::use(m.accountid), soci::use(stage), soci::use(m.specialty), soci::use(m.site), soci::use(m.region),
         soci::use(expertise), soci::use(m.capacity), soci::use(away, away_ind), soci::use(languages),
         soci::use(m.bio), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Saving a mentor profile returned no row.");
    return to_mentor(tx_, r);
  });
}

}  // namespace mentoring::storage
