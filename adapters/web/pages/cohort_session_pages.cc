// A cohort's group sessions for scheme staff (app/cohort_sessions.h): the
// midpoint group check-in and the end-of-scheme meeting of the toolkit's
// "Mentees" section.
//
//   GET  /staff/cohorts/{id}/sessions          the cohort's sessions, and the form to schedule one
//   POST /staff/cohorts/{id}/sessions          schedules one, checked field by field
//   GET  /staff/sessions/{id}/attendance       a box for each of the cohort's mentees and mentors
//   POST /staff/sessions/{id}/attendance       saves the whole list at once (all or nothing)
//
// Both need mentoring/scheme:manage. Times are entered and shown in UK time
// (Europe/London) and stored in UTC. After the end-of-scheme meeting's
// attendance is saved, the page says how many CPD entries and invitations
// to mentor that save created.
#include <cstdio>
#include <map>
#include <set>

#include "adapters/export/certificate.h"
#include "adapters/export/ics.h"
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/cohort_sessions.h"
#include "core/cohort_session.h"
#include "core/lti_capabilities.h"
#include "core/setup_stores.h"
#include "core/text.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Code;
using core::Result;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

std::string two(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

std::string sessions_path(std::int64_t cohortid) { return "/staff/cohorts/" + std::to_string(cohortid) + "/sessions"; }
std::string attendance_path(std::int64_t sessionid) {
  return "/staff/sessions/" + std::to_string(sessionid) + "/attendance";
}

// --- UK time ---------------------------------------------------------------

// "2027-02-10 13:00" in UK time.
std::string uk_time_text(core::UnixSeconds t) {
  auto lt = exports::london_time(t);
  if (!lt)
    return core::Date::from_unix(t).to_string() + " " + two(static_cast<int>(t % 86400 / 3600)) + ":" +
           two(static_cast<int>(t % 3600 / 60)) + " UTC";
  return std::to_string(lt->year) + "-" + two(lt->month) + "-" + two(lt->day) + " " + two(lt->hour) + ":" +
         two(lt->minute);
}

// The instant of a UK wall-clock time: in the hour repeated when the clocks
// go back, the first (summer time) one; a time skipped when they go forward
// does not exist (nothing).
std::optional<core::UnixSeconds> uk_time_to_utc(core::Date day, int hour, int minute) {
  const core::UnixSeconds wall = day.days_since_epoch() * 86400 + hour * 3600 + minute * 60;
  for (int offset_minutes : {60, 0}) {
    const core::UnixSeconds candidate = wall - offset_minutes * 60;
    auto lt = exports::london_time(candidate);
    if (!lt) return std::nullopt;
    if (lt->utc_offset_minutes == offset_minutes && lt->hour == hour && lt->minute == minute) return candidate;
  }
  return std::nullopt;
}

// HH:MM, 24-hour.
std::optional<std::pair<int, int>> parse_hh_mm(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return std::pair{h, m};
}

// A whole number of at most `max_digits` digits, nothing else.
std::optional<std::int64_t> parse_count(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  std::int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// --- loading -----------------------------------------------------------------

struct CohortOfPage {
  core::Cohort cohort;
  core::Scheme scheme;
};

// The cohort and its scheme, or the page to answer with.
Result<CohortOfPage> load_cohort(const PageContext& ctx, std::int64_t cohortid) {
  CohortOfPage out;
  Status st = ctx.db.read_only([&](core::Stores& s) -> Status {
    auto cohort = s.schemes.find_cohort(cohortid);
    if (!cohort) return cohort.status();
    if (!*cohort) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    out.cohort = **cohort;
    auto scheme = s.schemes.find(out.cohort.schemeid);
    if (!scheme) return scheme.status();
    if (!*scheme) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    out.scheme = **scheme;
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

http::Response unavailable(const PageContext& ctx) {
  return failure_page(ctx, Status::unavailable("cohort_sessions_unavailable", "Group sessions are not available."));
}

std::string kind_text(const Strings& s, core::SessionKind k) {
  return s.text(std::string("page:cohort_sessions_kind_") + core::to_string(k));
}

// --- the list and the schedule form ---------------------------------------

struct ScheduleFields {
  std::string kind, title, date, time, minutes = std::to_string(60), location;
};

FormView schedule_form(const Strings& s, const ScheduleFields& f) {
  FormView form(s);
  std::vector<FieldOption> kinds;
  for (core::SessionKind k : {core::SessionKind::kMidpoint, core::SessionKind::kEnd})
    kinds.push_back({core::to_string(k), kind_text(s, k)});
  form.radios("kind", "page:field_session_kind", "", kinds, f.kind);
  form.text("title", "page:field_session_title", "page:hint_session_title", f.title);
  form.text("date", "relationship:field_date", "page:hint_session_date", f.date, "nhsuk-input--width-10");
  form.text("time", "relationship:field_time", "relationship:hint_time", f.time, "nhsuk-input--width-5");
  form.text("minutes", "page:field_session_minutes", "page:hint_session_minutes", f.minutes, "nhsuk-input--width-3");
  form.text("location", "page:field_session_location", "page:hint_session_location", f.location);
  return form;
}

// A refusal of a session's fields in the page's words (the rule's own
// message for a reason the strings do not know).
std::string session_error_text(const Strings& s, const Status& st, const core::Cohort& cohort) {
  const std::string key = "page:error_" + st.reason();
  if (!s.contains(key)) return st.message();
  return s.format(key, {{"starts", cohort.starts_on.to_string()},
                        {"ends", cohort.ends_on.to_string()},
                        {"last", cohort.ends_on.plus_days(core::kSessionDaysAfterEnd).to_string()}});
}

// The form field a rule's field is typed into.
std::string form_field_of(const std::string& field) { return field == "starts_at" ? "date" : field; }

http::Response sessions_page(const PageContext& ctx, const SignedIn& who, int status, const CohortOfPage& c,
                             const FormView& form, bool saved) {
  const Strings& s = ctx.renderer.strings();
  auto sessions = ctx.services.cohort_sessions->list(c.cohort.id);
  if (!sessions) return failure_page(ctx, sessions.status());
  km::data rows{km::data::type::list};
  for (const app::CohortSessionView& v : *sessions) {
    std::int64_t attended = 0;
    for (const core::SessionAttendance& a : v.attendance) attended += a.attended ? 1 : 0;
    km::data row;
    row.set("id", std::to_string(v.session.id));
    row.set("kind", kind_text(s, v.session.kind));
    row.set("title", v.session.title);
    row.set("starts", uk_time_text(v.session.starts_at));
    row.set("minutes", s.format("page:cohort_sessions_minutes_value", {{"minutes", std::to_string(v.session.minutes)}}));
    row.set("location", v.session.location.empty() ? s.text("page:cohort_sessions_no_location") : v.session.location);
    row.set("attendance", v.attendance.empty()
                              ? s.text("page:cohort_sessions_not_recorded")
                              : s.format("page:cohort_sessions_attended_count", {{"count", std::to_string(attended)}}));
    row.set("attendance_href", href(ctx, attendance_path(v.session.id)));
    row.set("attendance_link", s.format("page:cohort_sessions_record_link", {{"title", v.session.title}}));
    rows.push_back(row);
  }
  km::data data = signed_in_page_data(
      ctx, who, s.format("page:cohort_sessions_title", {{"cohort", c.cohort.name}}), "/staff");
  data.set("back_href", href(ctx, "/staff/schemes/" + std::to_string(c.scheme.id) +
                                      "/participants?cohort=" + std::to_string(c.cohort.id)));
  data.set("intro", s.format("page:cohort_sessions_intro",
                             {{"scheme", c.scheme.name}, {"starts", c.cohort.starts_on.to_string()},
                              {"ends", c.cohort.ends_on.to_string()}}));
  if (saved) data.set("saved", s.text("page:cohort_sessions_scheduled"));
  data.set("rows", rows);
  data.set("has_rows", flag(!sessions->empty()));
  data.set("action", href(ctx, sessions_path(c.cohort.id)));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  return render_page(ctx, status, "cohort_sessions", data);
}

}  // namespace

http::Response cohort_sessions(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  const bool post = req.method == "POST";
  FormAccess f = require_page_or_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  if (ctx.services.cohort_sessions == nullptr) return unavailable(ctx);
  const auto id = parse_id(p.get("id"));
  if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
  auto c = load_cohort(ctx, *id);
  if (!c) return failure_page(ctx, c.status());
  const SignedIn& who = *f.signed_in;
  if (!post) return sessions_page(ctx, who, 200, *c, schedule_form(s, ScheduleFields{}), req.query_param("saved") == "1");

  ScheduleFields fields{f.field("kind"), core::trim(f.field("title")), core::trim(f.field("date")),
                        core::trim(f.field("time")), core::trim(f.field("minutes")), core::trim(f.field("location"))};
  FormView form = schedule_form(s, fields);
  // Each field is read, then the session's rules are checked one field at
  // a time: a field that is wrong is replaced by a good value so that the
  // next rule's error shows too.
  core::CohortSessionInput input;
  input.cohortid = c->cohort.id;
  input.title = fields.title;
  input.location = fields.location;
  core::CohortSessionInput probe = input;
  probe.starts_at = c->cohort.starts_on.days_since_epoch() * 86400 + 12 * 3600;
  if (auto kind = core::parse_session_kind(fields.kind)) {
    input.kind = probe.kind = *kind;
  } else {
    form.set_error("kind", s.text("page:error_session_kind_required"));
  }
  auto day = core::Date::parse(fields.date);
  if (!day) form.set_error("date", s.text("relationship:error_date_invalid"));
  auto hm = parse_hh_mm(fields.time);
  if (!hm) form.set_error("time", s.text("relationship:error_time_invalid"));
  if (day && hm) {
    auto utc = uk_time_to_utc(*day, hm->first, hm->second);
    if (!utc)
      form.set_error("time", s.text("page:error_session_time_skipped"));
    else
      input.starts_at = probe.starts_at = *utc;
  }
  if (auto minutes = parse_count(fields.minutes, 4)) {
    input.minutes = probe.minutes = static_cast<int>(*minutes);
  } else {
    form.set_error("minutes", s.text("page:error_session_minutes_invalid"));
    probe.minutes = core::kMinSessionMinutes;
  }
  for (int rule = 0; rule < 8; ++rule) {
    const Status checked = core::validate(probe, c->cohort);
    if (checked) break;
    const std::string field = checked.field();
    form.set_error(form_field_of(field), session_error_text(s, checked, c->cohort));
    if (field == "title") {
      probe.title = "Session";
    } else if (field == "location") {
      probe.location.clear();
    } else if (field == "minutes") {
      probe.minutes = core::kMinSessionMinutes;
    } else if (field == "starts_at") {
      probe.starts_at = c->cohort.starts_on.days_since_epoch() * 86400 + 12 * 3600;
    } else {
      break;
    }
  }
  if (form.has_errors()) return sessions_page(ctx, who, 400, *c, form, false);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto scheduled = ctx.services.cohort_sessions->schedule(input, core::Actor::account(who.account.id));
  if (!scheduled) {
    if (scheduled.status().code() != Code::kInvalidArgument) return failure_page(ctx, scheduled.status());
    form.set_error(form_field_of(scheduled.status().field()), session_error_text(s, scheduled.status(), c->cohort));
    return sessions_page(ctx, who, 400, *c, form, false);
  }
  return see_other(ctx, sessions_path(c->cohort.id) + "?saved=1");
}

// --- attendance --------------------------------------------------------------

namespace {

// One person the attendance form lists.
struct Listed {
  core::Enrolment enrolment;
  std::string name;
};

struct SessionOfPage {
  core::CohortSession session;
  CohortOfPage cohort;
  std::vector<Listed> people;                              // mentees, then mentors
  std::map<std::int64_t, core::SessionAttendance> recorded;  // by enrolment id
};

// The session, its cohort, the people to list (every mentee and mentor of
// the cohort who has not withdrawn, and anyone whose attendance is already
// recorded) and what is recorded.
Result<SessionOfPage> load_session(const PageContext& ctx, std::int64_t sessionid) {
  SessionOfPage out;
  Status st = ctx.db.read_only([&](core::Stores& s) -> Status {
    auto session = s.cohort_sessions.find(sessionid);
    if (!session) return session.status();
    if (!*session) return Status::not_found("session_not_found", "There is no session with that id.");
    out.session = **session;
    auto attendance = s.cohort_sessions.attendance(sessionid);
    if (!attendance) return attendance.status();
    for (const core::SessionAttendance& a : *attendance) out.recorded[a.enrolmentid] = a;
    auto cohort = s.schemes.find_cohort(out.session.cohortid);
    if (!cohort) return cohort.status();
    if (!*cohort) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    out.cohort.cohort = **cohort;
    auto scheme = s.schemes.find(out.cohort.cohort.schemeid);
    if (!scheme) return scheme.status();
    if (!*scheme) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    out.cohort.scheme = **scheme;
    for (core::Role role : {core::Role::kMentee, core::Role::kMentor}) {
      auto enrolments = s.enrolments.list_by_cohort(
          out.session.cohortid, role, core::Page{static_cast<std::int64_t>(app::kMaxAttendanceMarks), 0});
      if (!enrolments) return enrolments.status();
      for (const core::Enrolment& e : *enrolments) {
        if (e.status == core::EnrolmentStatus::kWithdrawn && out.recorded.count(e.id) == 0) continue;
        auto account = s.accounts.find(e.accountid);
        if (!account) return account.status();
        out.people.push_back({e, *account ? display_name(**account) : std::to_string(e.accountid)});
      }
    }
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

const char* group_of(core::Role role) { return role == core::Role::kMentor ? "mentors" : "mentees"; }

// The two groups of boxes, ticked for `attended`.
FormView attendance_form(const Strings& s, const SessionOfPage& sp, const std::set<std::string>& attended) {
  FormView form(s);
  for (core::Role role : {core::Role::kMentee, core::Role::kMentor}) {
    std::vector<FieldOption> options;
    for (const Listed& l : sp.people) {
      if (l.enrolment.role != role) continue;
      options.push_back({std::to_string(l.enrolment.id),
                         s.format("page:session_attendance_person",
                                  {{"name", l.name},
                                   {"status", s.text(std::string("page:enrolment_status_") +
                                                     core::to_string(l.enrolment.status))}})});
    }
    if (options.empty()) continue;
    const std::string group = group_of(role);
    form.checkboxes(group, "page:field_attendance_" + group, "", std::move(options), attended);
  }
  return form;
}

std::set<std::string> attended_now(const SessionOfPage& sp) {
  std::set<std::string> out;
  for (const auto& [enrolmentid, a] : sp.recorded)
    if (a.attended) out.insert(std::to_string(enrolmentid));
  return out;
}

// What a save of the end-of-scheme meeting created, shown after the redirect.
struct Created {
  std::int64_t cpd = 0, invitations = 0;
};

http::Response attendance_page(const PageContext& ctx, const SignedIn& who, int status, const SessionOfPage& sp,
                               const FormView& form, const std::optional<Created>& saved) {
  const Strings& s = ctx.renderer.strings();
  const core::CohortSession& session = sp.session;
  km::data data = signed_in_page_data(ctx, who, s.format("page:session_attendance_title", {{"title", session.title}}),
                                      "/staff");
  data.set("back_href", href(ctx, sessions_path(session.cohortid)));
  data.set("cohort", sp.cohort.cohort.name);
  data.set("kind", kind_text(s, session.kind));
  data.set("starts", uk_time_text(session.starts_at));
  data.set("minutes", s.format("page:cohort_sessions_minutes_value", {{"minutes", std::to_string(session.minutes)}}));
  data.set("location", session.location.empty() ? s.text("page:cohort_sessions_no_location") : session.location);
  const bool is_end = session.kind == core::SessionKind::kEnd;
  if (is_end)
    data.set("end_effects", s.format("page:session_attendance_end_effects",
                                     {{"hours", exports::format_hours(core::session_cpd_hours(session.minutes))}}));
  std::int64_t attended = 0;
  for (const auto& [id, a] : sp.recorded) attended += a.attended ? 1 : 0;
  if (saved) {
    data.set("saved", s.format("page:session_attendance_saved", {{"attended", std::to_string(attended)},
                                                                 {"recorded", std::to_string(sp.recorded.size())}}));
    if (is_end) {
      data.set("saved_end", flag(true));
      data.set("cpd_created", std::to_string(saved->cpd));
      data.set("invitations_created", std::to_string(saved->invitations));
    }
  }
  const bool started = session.starts_at <= ctx.clock.now();
  if (!started)
    data.set("not_started", s.format("page:session_attendance_not_started", {{"starts", uk_time_text(session.starts_at)}}));
  data.set("has_people", flag(!sp.people.empty()));
  data.set("show_form", flag(started && !sp.people.empty()));
  km::data listed{km::data::type::list};
  for (const Listed& l : sp.people) listed.push_back(km::data(std::to_string(l.enrolment.id)));
  data.set("listed", listed);
  data.set("action", href(ctx, attendance_path(session.id)));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  return render_page(ctx, status, "cohort_session_attendance", data);
}

// A refusal of the attendance in the page's words.
std::string attendance_error_text(const Strings& s, const Status& st) {
  const std::string key = "page:error_" + st.reason();
  return s.contains(key) ? s.text(key) : st.message();
}

}  // namespace

http::Response cohort_session_attendance(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  const bool post = req.method == "POST";
  FormAccess f = require_page_or_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  if (ctx.services.cohort_sessions == nullptr) return unavailable(ctx);
  const auto id = parse_id(p.get("id"));
  if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
  auto sp = load_session(ctx, *id);
  if (!sp) return failure_page(ctx, sp.status());
  const SignedIn& who = *f.signed_in;
  if (!post) {
    std::optional<Created> saved;
    if (req.query_param("saved") == "1") {
      saved = Created{};
      if (auto n = parse_count(req.query_param("cpd"), 4)) saved->cpd = *n;
      if (auto n = parse_count(req.query_param("invitations"), 4)) saved->invitations = *n;
    }
    return attendance_page(ctx, who, 200, *sp, attendance_form(s, *sp, attended_now(*sp)), saved);
  }

  // The people the form listed, and those ticked: each must be one of them.
  std::set<std::string> ticked;
  for (const char* group : {"mentees", "mentors"})
    for (const std::string& v : f.all(group)) ticked.insert(v);
  FormView form = attendance_form(s, *sp, ticked);
  const std::string first_group =
      sp->people.empty() ? std::string("mentees") : std::string(group_of(sp->people.front().enrolment.role));
  std::vector<app::AttendanceMark> marks;
  std::set<std::string> listed;
  bool tampered = false;
  for (const std::string& v : f.all("listed")) {
    auto enrolmentid = parse_id(v);
    if (!enrolmentid) {
      tampered = true;
      continue;
    }
    listed.insert(v);
    marks.push_back({*enrolmentid, ticked.count(v) > 0});
  }
  for (const std::string& v : ticked)
    if (listed.count(v) == 0) tampered = true;
  if (tampered) form.set_error(first_group, s.text("page:error_attendance_list_invalid"));
  else if (marks.empty()) form.set_error(first_group, s.text("page:error_attendance_empty"));
  if (form.has_errors()) return attendance_page(ctx, who, 400, *sp, form, std::nullopt);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto recorded = ctx.services.cohort_sessions->record_attendance(*id, marks, core::Actor::account(who.account.id));
  if (!recorded) {
    const Code code = recorded.status().code();
    if (code != Code::kInvalidArgument && code != Code::kFailedPrecondition)
      return failure_page(ctx, recorded.status());
    form.set_error(first_group, attendance_error_text(s, recorded.status()));
    return attendance_page(ctx, who, code == Code::kInvalidArgument ? 400 : 409, *sp, form, std::nullopt);
  }
  // What this save created: rows that now carry a CPD entry or an
  // invitation they did not carry before.
  Created created;
  for (const core::SessionAttendance& a : recorded->attendance) {
    auto before = sp->recorded.find(a.enrolmentid);
    const bool had_cpd = before != sp->recorded.end() && before->second.cpd_entryid.has_value();
    const bool had_invitation = before != sp->recorded.end() && before->second.mentor_invited_at.has_value();
    if (a.cpd_entryid && !had_cpd) ++created.cpd;
    if (a.mentor_invited_at && !had_invitation) ++created.invitations;
  }
  return see_other(ctx, attendance_path(*id) + "?saved=1&cpd=" + std::to_string(created.cpd) +
                            "&invitations=" + std::to_string(created.invitations));
}

}  // namespace mentoring::web::pages
