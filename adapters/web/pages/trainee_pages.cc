// Pages for trainees (mentees) and mentors: home, the two profile forms, and
// the pages later features fill (choosing a mentor, the relationship,
// feedback).
#include <set>

#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/setup_profiles.h"
#include "core/lti_capabilities.h"
#include "core/profile.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

bool looks_like_token(std::string_view t) {
  if (t.size() < 16 || t.size() > 128) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::vector<FieldOption> career_stage_options(const Strings& strings) {
  std::vector<FieldOption> out{{"", strings.text("page:choose_career_stage")}};
  for (int i = 0; i <= static_cast<int>(core::CareerStage::kOther); ++i) {
    auto v = static_cast<core::CareerStage>(i);
    out.push_back({core::to_string(v), capitalised(core::career_stage_label(v))});
  }
  return out;
}

template <typename Enum>
std::vector<FieldOption> enum_options(const Strings& strings, std::string_view prefix,
                                      std::initializer_list<Enum> all) {
  std::vector<FieldOption> out;
  for (Enum v : all) out.push_back({core::to_string(v), strings.text(std::string(prefix) + core::to_string(v))});
  return out;
}

std::vector<FieldOption> transition_options(const Strings& strings) {
  std::vector<FieldOption> out;
  for (int i = 0; i <= static_cast<int>(core::TransitionPoint::kNewToUkPractice); ++i) {
    auto v = static_cast<core::TransitionPoint>(i);
    out.push_back({core::to_string(v), strings.text(std::string("page:transition_") + core::to_string(v))});
  }
  return out;
}

std::vector<FieldOption> location_options(const Strings& s) {
  using L = core::LocationPreference;
  return enum_options<L>(s, "page:location_", {L::kNoPreference, L::kLocal, L::kRemote});
}
std::vector<FieldOption> meeting_options(const Strings& s) {
  using M = core::MeetingMode;
  return enum_options<M>(s, "page:meeting_", {M::kNoPreference, M::kInPerson, M::kVirtual});
}

// The error a person sees for a use case's refusal: our own sentence when
// the strings have one for the reason, the core's otherwise.
std::string error_text(const Strings& strings, const Status& st) {
  const std::string key = "page:error_" + st.reason();
  if (is_valid_string_key(key) && strings.contains(key)) return strings.text(key);
  return st.message();
}

// What a profile form holds, as text, so a refused form is drawn again with
// exactly what was typed.
using Values = std::map<std::string, std::string, std::less<>>;

std::string value_of(const Values& v, std::string_view k) {
  auto it = v.find(k);
  return it == v.end() ? std::string() : it->second;
}

Values values_from_form(const FormAccess& f, std::initializer_list<const char*> names) {
  Values v;
  for (const char* n : names) v[n] = f.field(n);
  return v;
}

std::string when_text(core::UnixSeconds t) { return core::Date::from_unix(t).to_string(); }

// --- mentee profile --------------------------------------------------------

constexpr std::initializer_list<const char*> kMenteeFields = {
    "career_stage", "specialty",           "site",         "region",    "goals",       "hopes",
    "topics",       "location_preference", "meeting_mode", "languages", "availability"};

Values mentee_values(const core::MenteeProfile& p, bool stored) {
  Values v;
  v["career_stage"] = stored ? core::to_string(p.career_stage) : "";
  v["specialty"] = p.specialty;
  v["site"] = p.site;
  v["region"] = p.region;
  v["goals"] = p.goals;
  v["hopes"] = p.hopes;
  v["topics"] = join_commas(p.topics);
  v["location_preference"] = core::to_string(p.location_preference);
  v["meeting_mode"] = core::to_string(p.meeting_mode);
  v["languages"] = join_commas(p.languages);
  v["availability"] = p.availability;
  return v;
}

FormView mentee_form(const Strings& s, const Values& v, const std::set<std::string>& transitions) {
  FormView f(s);
  f.select("career_stage", "page:field_career_stage", "page:hint_career_stage", career_stage_options(s),
           value_of(v, "career_stage"));
  f.text("specialty", "page:field_specialty", "page:hint_specialty", value_of(v, "specialty"));
  f.text("site", "page:field_site", "page:hint_site", value_of(v, "site"));
  f.text("region", "page:field_region", "page:hint_region", value_of(v, "region"));
  f.textarea("goals", "page:field_goals", "page:hint_goals", value_of(v, "goals"));
  f.textarea("hopes", "page:field_hopes", "", value_of(v, "hopes"), 3);
  f.checkboxes("transition_points", "page:field_transition_points", "page:hint_transition_points",
               transition_options(s), transitions);
  f.text("topics", "page:field_topics", "page:hint_topics", value_of(v, "topics"));
  f.radios("location_preference", "page:field_location_preference", "", location_options(s),
           value_of(v, "location_preference"));
  f.radios("meeting_mode", "page:field_meeting_mode", "", meeting_options(s), value_of(v, "meeting_mode"));
  f.text("languages", "page:field_languages", "page:hint_languages", value_of(v, "languages"), "nhsuk-input--width-20");
  f.text("availability", "page:field_availability", "page:hint_availability", value_of(v, "availability"));
  return f;
}

http::Response form_page(const PageContext& ctx, const SignedIn& who, int status, const char* title_key,
                         const char* intro_key, std::string_view path, const FormView& form,
                         std::optional<core::UnixSeconds> last_saved, const char* submit_key) {
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text(title_key), path);
  data.set("intro", s.text(intro_key));
  data.set("action", href(ctx, path));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  data.set("submit_label", s.text(submit_key));
  if (last_saved) data.set("last_saved", when_text(*last_saved));
  return render_page(ctx, status, path == "/profile/mentee" ? "profile_mentee" : "profile_mentor", data);
}

// The end of a profile form: show every problem found so far (the core's
// check included) or claim the one-time form token, save, and go home; a
// problem the service finds on saving is shown next to its field.
template <typename Save>
http::Response finish_profile_form(const PageContext& ctx, const SignedIn& who, const FormAccess& f, FormView& form,
                                   const Status& checked, const char* title_key, const char* intro_key,
                                   std::string_view path, Save save, std::string_view saved_query) {
  const Strings& s = ctx.renderer.strings();
  if (!checked) form.set_error(checked.field(), error_text(s, checked));
  if (form.has_errors())
    return form_page(ctx, who, 400, title_key, intro_key, path, form, std::nullopt, "page:save_profile");
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto saved = save();
  if (!saved) {
    if (saved.status().code() != core::Code::kInvalidArgument) return failure_page(ctx, saved.status());
    form.set_error(saved.status().field(), error_text(s, saved.status()));
    return form_page(ctx, who, 400, title_key, intro_key, path, form, std::nullopt, "page:save_profile");
  }
  return see_other(ctx, "/?saved=" + std::string(saved_query));
}

}  // namespace

// --- shared helpers --------------------------------------------------------

std::string primary_role(const SignedIn& who) {
  if (who.has(cap::kSchemeManage) || who.has(cap::kPairingAssign)) return "staff";
  if (who.has(cap::kMentorParticipate)) return "mentor";
  if (who.has(cap::kMenteeParticipate)) return "mentee";
  return "guest";
}

std::string status_tag_class(core::EnrolmentStatus status) {
  switch (status) {
    case core::EnrolmentStatus::kActive:
      return " nhsuk-tag--green";
    case core::EnrolmentStatus::kWithdrawn:
      return " nhsuk-tag--grey";
    case core::EnrolmentStatus::kCompleted:
      return " nhsuk-tag--blue";
  }
  return "";
}

core::Result<std::vector<MyEnrolment>> my_enrolments(core::Stores& s, std::int64_t accountid, std::int64_t schemeid) {
  std::vector<MyEnrolment> out;
  auto cohorts = s.schemes.list_cohorts(schemeid);
  if (!cohorts) return cohorts.status();
  for (const core::Cohort& c : *cohorts) {
    // The store lists enrolments by cohort; a cohort holds at most a few
    // thousand people, read a page at a time.
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = s.enrolments.list_by_cohort(c.id, std::nullopt, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      for (const core::Enrolment& e : *page)
        if (e.accountid == accountid) out.push_back({c, e});
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
  }
  return out;
}

core::Result<std::optional<core::Scheme>> session_scheme(const PageContext& ctx, const SignedIn& who) {
  std::optional<core::Scheme> out;
  if (!who.session.schemeid) return out;
  Status st = ctx.db.read_only([&](core::Stores& s) -> Status {
    auto found = s.schemes.find(*who.session.schemeid);
    if (!found) return found.status();
    out = std::move(found).value();
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

km::data facts_data(const std::vector<Fact>& facts) {
  km::data list{km::data::type::list};
  for (const Fact& f : facts) {
    km::data d;
    d.set("key", f.key);
    d.set("value", f.value);
    list.push_back(d);
  }
  return list;
}

// --- home ------------------------------------------------------------------

http::Response home(const PageContext& ctx, const http::Request& req) {
  Access a = require_access(ctx, req);
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:home_title"), "/");
  data.set("role", s.text("page:role_" + primary_role(who)));

  std::vector<MyEnrolment> enrolments;
  bool has_mentee_profile = false, has_mentor_profile = false;
  std::optional<core::Scheme> scheme;
  Status st = ctx.db.read_only([&](core::Stores& stores) -> Status {
    if (who.session.schemeid) {
      auto found = stores.schemes.find(*who.session.schemeid);
      if (!found) return found.status();
      scheme = std::move(found).value();
    }
    if (scheme) {
      auto mine = my_enrolments(stores, who.account.id, scheme->id);
      if (!mine) return mine.status();
      enrolments = std::move(mine).value();
    }
    auto mentee = stores.profiles.find_mentee(who.account.id);
    if (!mentee) return mentee.status();
    has_mentee_profile = mentee->has_value();
    auto mentor = stores.profiles.find_mentor(who.account.id);
    if (!mentor) return mentor.status();
    has_mentor_profile = mentor->has_value();
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);

  if (scheme) {
    data.set("scheme_name", scheme->name);
    data.set("scheme_type", s.text(std::string("page:scheme_type_") + core::to_string(scheme->type)));
    data.set("scheme_phase", s.text(std::string("page:scheme_phase_") + core::to_string(scheme->phase)));
  }
  km::data list{km::data::type::list};
  for (const MyEnrolment& e : enrolments) {
    km::data d;
    d.set("cohort", e.cohort.name);
    d.set("role", s.text(std::string("page:role_") + core::to_string(e.enrolment.role)));
    d.set("status", s.text(std::string("page:enrolment_status_") + core::to_string(e.enrolment.status)));
    d.set("tag_class", status_tag_class(e.enrolment.status));
    list.push_back(d);
  }
  data.set("enrolments", list);

  // The next step: the first thing this person still has to do.
  const std::string role = primary_role(who);
  if (role == "staff") {
    data.set("next_step", s.text("page:next_staff"));
    data.set("next_href", href(ctx, "/staff"));
    data.set("next_label", s.text("page:next_staff_link"));
  } else if (who.has(cap::kMentorParticipate) && !has_mentor_profile) {
    data.set("next_step", s.text("page:next_mentor_profile"));
    data.set("next_href", href(ctx, "/profile/mentor"));
    data.set("next_label", s.text("page:next_mentor_profile_link"));
  } else if (who.has(cap::kMenteeParticipate) && !has_mentee_profile) {
    data.set("next_step", s.text("page:next_mentee_profile"));
    data.set("next_href", href(ctx, "/profile/mentee"));
    data.set("next_label", s.text("page:next_mentee_profile_link"));
  } else if (role == "guest") {
    data.set("next_step", s.text("page:next_guest"));
  } else if (enrolments.empty()) {
    data.set("next_step", s.text("page:next_wait_enrolment"));
  } else {
    data.set("next_step", s.text("page:next_wait_matching"));
  }

  const std::string saved(req.query_param("saved"));
  if (saved == "mentee_profile" || saved == "mentor_profile" || saved == "withdrawn")
    data.set("saved", s.text("page:saved_" + saved));
  // Joining the scheme, or seeing how one takes part (enrolment_pages.cc).
  if (scheme && who.has(cap::kMenteeParticipate)) data.set("join_href", href(ctx, "/enrol"));
  // Circular mentorship, and a mentor's CPD (mentor_path_pages.cc).
  if (scheme && (who.has(cap::kMenteeParticipate) || who.has(cap::kMentorParticipate)))
    data.set("become_href", href(ctx, "/mentor/become"));
  if (who.has(cap::kMentorParticipate)) data.set("cpd_href", href(ctx, "/profile/mentor/cpd"));
  const std::string handoff(req.query_param("handoff"));
  if (looks_like_token(handoff)) data.set("handoff_href", href(ctx, "/lti/handoff?token=" + handoff));
  return render_page(ctx, 200, "home", data);
}

// --- profiles --------------------------------------------------------------

http::Response mentee_profile(const PageContext& ctx, const http::Request& req) {
  constexpr std::string_view kPath = "/profile/mentee";
  const Strings& s = ctx.renderer.strings();
  if (ctx.services.profiles == nullptr)
    return failure_page(ctx, Status::unavailable("profiles_unavailable", "Profiles are not available."));
  app::ProfileService& profiles = *ctx.services.profiles;

  if (req.method != "POST") {
    Access a = require_access(ctx, req, {cap::kMenteeParticipate});
    if (!a) return std::move(a.refusal);
    auto stored = profiles.get_mentee(a.signed_in->account.id);
    if (!stored && stored.status().reason() != "profile_not_found") return failure_page(ctx, stored.status());
    core::MenteeProfile p = stored ? stored.value() : core::MenteeProfile{};
    std::set<std::string> transitions;
    for (auto t : p.transition_points) transitions.insert(core::to_string(t));
    FormView form = mentee_form(s, mentee_values(p, stored.is_ok()), transitions);
    std::optional<core::UnixSeconds> saved;
    if (stored) saved = p.timemodified;
    return form_page(ctx, *a.signed_in, 200, "page:mentee_profile_title", "page:mentee_profile_intro", kPath, form,
                     saved, "page:save_profile");
  }

  FormAccess f = require_form(ctx, req, {cap::kMenteeParticipate});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  Values v = values_from_form(f, kMenteeFields);
  std::vector<std::string> transitions_sent = f.all("transition_points");
  std::set<std::string> transitions(transitions_sent.begin(), transitions_sent.end());
  FormView form = mentee_form(s, v, transitions);

  core::MenteeProfile p;
  p.accountid = who.account.id;
  auto stage = core::parse_career_stage(value_of(v, "career_stage"));
  if (!stage)
    form.set_error("career_stage", s.text("page:error_career_stage_required"));
  else
    p.career_stage = *stage;
  p.specialty = value_of(v, "specialty");
  p.site = value_of(v, "site");
  p.region = value_of(v, "region");
  p.goals = value_of(v, "goals");
  p.hopes = value_of(v, "hopes");
  for (const std::string& t : transitions_sent) {
    auto tp = core::parse_transition_point(t);
    if (!tp) {
      form.set_error("transition_points", s.text("page:error_transition_points_invalid"));
      break;
    }
    p.transition_points.push_back(*tp);
  }
  p.topics = split_commas(value_of(v, "topics"));
  auto location = core::parse_location_preference(value_of(v, "location_preference"));
  if (!location)
    form.set_error("location_preference", s.text("page:error_location_preference_required"));
  else
    p.location_preference = *location;
  auto mode = core::parse_meeting_mode(value_of(v, "meeting_mode"));
  if (!mode)
    form.set_error("meeting_mode", s.text("page:error_meeting_mode_required"));
  else
    p.meeting_mode = *mode;
  p.languages = split_commas(value_of(v, "languages"));
  p.availability = value_of(v, "availability");

  // Checked before saving, so a problem the core finds is shown together
  // with the form's own (set_error keeps the first per field); the service
  // checks again when it saves.
  const Status checked = core::validate_mentee_profile(p).status();
  return finish_profile_form(ctx, who, f, form, checked, "page:mentee_profile_title", "page:mentee_profile_intro", kPath,
                             [&] { return profiles.save_mentee(p); }, "mentee_profile");
}

namespace {

constexpr std::initializer_list<const char*> kMentorFields = {
    "career_stage", "specialty", "site", "region", "expertise_areas", "capacity", "away_until", "languages", "bio"};

Values mentor_values(const core::MentorProfile& p, bool stored) {
  Values v;
  v["career_stage"] = stored ? core::to_string(p.career_stage) : "";
  v["specialty"] = p.specialty;
  v["site"] = p.site;
  v["region"] = p.region;
  v["expertise_areas"] = join_commas(p.expertise_areas);
  v["capacity"] = std::to_string(p.capacity);
  v["away_until"] = p.away_until ? p.away_until->to_string() : "";
  v["languages"] = join_commas(p.languages);
  v["bio"] = p.bio;
  return v;
}

FormView mentor_form(const Strings& s, const Values& v) {
  FormView f(s);
  f.select("career_stage", "page:field_career_stage", "page:hint_mentor_career_stage", career_stage_options(s),
           value_of(v, "career_stage"));
  f.text("specialty", "page:field_specialty", "page:hint_mentor_specialty", value_of(v, "specialty"));
  f.text("site", "page:field_site", "page:hint_site", value_of(v, "site"));
  f.text("region", "page:field_region", "page:hint_region", value_of(v, "region"));
  f.text("expertise_areas", "page:field_expertise_areas", "page:hint_expertise_areas", value_of(v, "expertise_areas"));
  f.text("capacity", "page:field_capacity", "page:hint_capacity", value_of(v, "capacity"), "nhsuk-input--width-2");
  f.text("away_until", "page:field_away_until", "page:hint_away_until", value_of(v, "away_until"),
         "nhsuk-input--width-10");
  f.text("languages", "page:field_languages", "page:hint_languages", value_of(v, "languages"), "nhsuk-input--width-20");
  f.textarea("bio", "page:field_bio", "page:hint_bio", value_of(v, "bio"));
  return f;
}

}  // namespace

http::Response mentor_profile(const PageContext& ctx, const http::Request& req) {
  constexpr std::string_view kPath = "/profile/mentor";
  const Strings& s = ctx.renderer.strings();
  if (ctx.services.profiles == nullptr)
    return failure_page(ctx, Status::unavailable("profiles_unavailable", "Profiles are not available."));
  app::ProfileService& profiles = *ctx.services.profiles;

  if (req.method != "POST") {
    Access a = require_access(ctx, req, {cap::kMentorParticipate});
    if (!a) return std::move(a.refusal);
    auto stored = profiles.get_mentor(a.signed_in->account.id);
    if (!stored && stored.status().reason() != "profile_not_found") return failure_page(ctx, stored.status());
    core::MentorProfile p = stored ? stored.value() : core::MentorProfile{};
    std::optional<core::UnixSeconds> saved;
    if (stored) saved = p.timemodified;
    return form_page(ctx, *a.signed_in, 200, "page:mentor_profile_title", "page:mentor_profile_intro", kPath,
                     mentor_form(s, mentor_values(p, stored.is_ok())), saved, "page:save_profile");
  }

  FormAccess f = require_form(ctx, req, {cap::kMentorParticipate});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  Values v = values_from_form(f, kMentorFields);
  FormView form = mentor_form(s, v);

  core::MentorProfile p;
  p.accountid = who.account.id;
  auto stage = core::parse_career_stage(value_of(v, "career_stage"));
  if (!stage)
    form.set_error("career_stage", s.text("page:error_career_stage_required"));
  else
    p.career_stage = *stage;
  p.specialty = value_of(v, "specialty");
  p.site = value_of(v, "site");
  p.region = value_of(v, "region");
  p.expertise_areas = split_commas(value_of(v, "expertise_areas"));
  const std::string capacity = value_of(v, "capacity");
  auto n = parse_id(capacity);
  if (!n || *n > core::kMaxMentorCapacity)
    form.set_error("capacity", s.text("page:error_capacity_invalid"));
  else
    p.capacity = static_cast<int>(*n);
  const std::string away = value_of(v, "away_until");
  if (!away.empty()) {
    auto d = core::Date::parse(away);
    if (!d)
      form.set_error("away_until", s.text("page:error_away_until_invalid"));
    else
      p.away_until = *d;
  }
  p.languages = split_commas(value_of(v, "languages"));
  p.bio = value_of(v, "bio");

  const Status checked = core::validate_mentor_profile(p, core::Date::from_unix(ctx.clock.now())).status();
  return finish_profile_form(ctx, who, f, form, checked, "page:mentor_profile_title", "page:mentor_profile_intro", kPath,
                             [&] { return profiles.save_mentor(p); }, "mentor_profile");
}



}  // namespace mentoring::web::pages
