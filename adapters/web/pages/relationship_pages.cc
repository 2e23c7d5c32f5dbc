// The mentoring relationship for its mentee and mentor (app/relationship.h):
// the overview at /relationship, accepting the agreement, booking, recording
// and cancelling meetings with their calendar invitations, the mentee's goals
// with progress notes, and protected time. Times are entered and shown in
// UK time (Europe/London) and stored in UTC.
#include <cstdio>

#include "adapters/api/relationship_api.h"
#include "adapters/export/ics.h"
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/relationship.h"
#include "core/lti_capabilities.h"
#include "core/text.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
namespace rel = core::relationship;
using core::Code;
using core::Result;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

constexpr std::initializer_list<std::string_view> kParticipants = {cap::kMenteeParticipate, cap::kMentorParticipate};

std::string two(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

// --- UK time ---------------------------------------------------------------

// "2026-06-10 09:00" in UK time.
std::string uk_time_text(core::UnixSeconds t) {
  auto lt = exports::london_time(t);
  if (!lt) return core::Date::from_unix(t).to_string() + " " + two(static_cast<int>(t % 86400 / 3600)) + ":" +
                  two(static_cast<int>(t % 3600 / 60)) + " UTC";
  return std::to_string(lt->year) + "-" + two(lt->month) + "-" + two(lt->day) + " " + two(lt->hour) + ":" +
         two(lt->minute);
}

// The instant of a UK wall-clock time. In the hour repeated when the clocks
// go back, the first (summer time) one; a time skipped when they go forward
// does not exist (invalid meeting_time_skipped).
Result<core::UnixSeconds> uk_time_to_utc(core::Date day, int hour, int minute) {
  const core::UnixSeconds wall = day.days_since_epoch() * 86400 + hour * 3600 + minute * 60;
  for (int offset_minutes : {60, 0}) {
    const core::UnixSeconds candidate = wall - offset_minutes * 60;
    auto lt = exports::london_time(candidate);
    if (!lt) return lt.status();
    if (lt->utc_offset_minutes == offset_minutes && lt->hour == hour && lt->minute == minute) return candidate;
  }
  return Status::invalid("meeting_time_skipped",
                         "That time does not exist in the UK: the clocks go forward then. Choose another time.",
                         "time");
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

std::optional<int> parse_small_int(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// Loads what a page needs or answers with the page for the failure.
struct Loaded {
  std::optional<SignedIn> who;
  http::Response refusal;
};

app::RelationshipService* service(const PageContext& ctx) { return ctx.services.relationships; }

http::Response unavailable(const PageContext& ctx) {
  return failure_page(ctx, Status::unavailable("relationship_unavailable", "The mentoring relationship is not available."));
}

std::string pairing_path(std::int64_t id, std::string_view rest = {}) {
  return "/relationship/pairings/" + std::to_string(id) + std::string(rest);
}
std::string overview_path(std::int64_t pairingid) { return "/relationship?pairing=" + std::to_string(pairingid); }

const char* state_tag(rel::MeetingState s) {
  switch (s) {
    case rel::MeetingState::kBooked: return " nhsuk-tag--blue";
    case rel::MeetingState::kHeld: return " nhsuk-tag--green";
    case rel::MeetingState::kCancelled: return " nhsuk-tag--grey";
    case rel::MeetingState::kMissed: return " nhsuk-tag--orange";
  }
  return "";
}

const char* goal_tag(rel::GoalStatus s) {
  switch (s) {
    case rel::GoalStatus::kOpen: return " nhsuk-tag--blue";
    case rel::GoalStatus::kAchieved: return " nhsuk-tag--green";
    case rel::GoalStatus::kDropped: return " nhsuk-tag--grey";
  }
  return "";
}

std::string minutes_text(const Strings& s, std::int64_t minutes) {
  return s.format("relationship:minutes_value", {{"minutes", std::to_string(minutes)}});
}

// Lines of text as paragraphs (the agreement, notes): the template escapes
// each one.
km::data paragraphs(const std::string& text) {
  km::data list{km::data::type::list};
  std::string line;
  auto flush = [&] {
    std::string t = core::trim(line);
    if (!t.empty()) {
      km::data d;
      d.set("text", t);
      list.push_back(d);
    }
    line.clear();
  };
  for (char c : text) {
    if (c == '\n')
      flush();
    else if (c != '\r')
      line.push_back(c);
  }
  flush();
  return list;
}

km::data page_base(const PageContext& ctx, const SignedIn& who, const std::string& title) {
  km::data data = signed_in_page_data(ctx, who, title, "/relationship");
  return data;
}

km::data error_list(const std::string& message, const std::string& anchor) {
  km::data list{km::data::type::list};
  km::data e;
  e.set("anchor", anchor);
  e.set("message", message);
  list.push_back(e);
  return list;
}

// --- overview --------------------------------------------------------------

http::Response overview_page(const PageContext& ctx, const SignedIn& who, std::optional<std::int64_t> wanted,
                             int status, const std::string& error, const std::string& saved) {
  const Strings& s = ctx.renderer.strings();
  app::RelationshipService& svc = *service(ctx);
  km::data data = page_base(ctx, who, s.text("page:relationship_title"));
  auto mine = svc.pairings(who.account.id);
  if (!mine) return failure_page(ctx, mine.status());
  if (!error.empty()) {
    data.set("has_errors", flag(true));
    data.set("error_list", error_list(error, "agreement-heading"));
  }
  if (!saved.empty()) data.set("saved", saved);
  if (mine->empty() && wanted)
    return failure_page(ctx, Status::not_found("pairing_not_found", "There is no such pairing of yours."));
  if (mine->empty()) {
    data.set("has_pairing", flag(false));
    return render_page(ctx, status, "relationship", data);
  }
  std::int64_t pairingid = mine->front().pairing.id;
  if (wanted) {
    bool found = false;
    for (const auto& p : *mine) found = found || p.pairing.id == *wanted;
    if (!found)
      return failure_page(ctx, Status::not_found("pairing_not_found", "There is no such pairing of yours."));
    pairingid = *wanted;
  }
  auto v = svc.view(who.account.id, pairingid);
  if (!v) return failure_page(ctx, v.status());
  const bool mentee = v->role == core::Role::kMentee;
  data.set("has_pairing", flag(true));

  if (mine->size() > 1) {
    km::data others{km::data::type::list};
    for (const auto& p : *mine) {
      const bool as_mentee = p.mentee_accountid == who.account.id;
      km::data d;
      d.set("href", href(ctx, overview_path(p.pairing.id)));
      d.set("label", s.format(as_mentee ? "relationship:pairing_with_mentor" : "relationship:pairing_with_mentee",
                            {{"name", as_mentee ? p.mentor_name : p.mentee_name}}) +
                         (p.pairing.state == core::PairingState::kEnded ? " (" + s.text("relationship:ended") + ")"
                                                                        : std::string()));
      d.set("current", flag(p.pairing.id == pairingid));
      others.push_back(d);
    }
    data.set("has_others", flag(true));
    data.set("others", others);
  }
  data.set("partner_label", s.text(mentee ? "relationship:your_mentor" : "relationship:your_mentee"));
  data.set("partner_name", v->partner_name().empty() ? s.text("relationship:name_not_given") : v->partner_name());
  data.set("pairing_state", s.text(v->active() ? "relationship:active" : "relationship:ended"));
  data.set("pairing_tag", v->active() ? " nhsuk-tag--green" : " nhsuk-tag--grey");

  // Agreement.
  data.set("agreement_status",
           s.text(std::string("relationship:agreement_") + core::to_string(v->agreement_status)));
  data.set("agreement_tag", v->agreement_status == core::AgreementStatus::kAccepted ? " nhsuk-tag--green"
                                                                                     : " nhsuk-tag--orange");
  if (v->agreement) {
    data.set("has_agreement", flag(true));
    data.set("agreement_paragraphs",
             paragraphs(core::render_agreement_text(*v->agreement, v->parties.mentee_name, v->parties.mentor_name)));
    if (v->active() && !v->viewer_accepted_current) {
      data.set("can_accept", flag(true));
      data.set("accept_action", href(ctx, pairing_path(pairingid, "/agreement")));
      data.set("agreement_version", std::to_string(v->agreement->version));
    }
  } else {
    data.set("has_agreement", flag(false));
  }

  // Meetings.
  const bool can_book = v->active() && v->agreement_status == core::AgreementStatus::kAccepted;
  data.set("can_book", flag(can_book));
  if (v->active() && !can_book) data.set("book_blocked", s.text("relationship:book_after_agreement"));
  data.set("book_href", href(ctx, pairing_path(pairingid, "/meetings/new")));
  km::data meetings{km::data::type::list};
  int held = 0;
  for (const rel::Meeting& m : v->meetings) {
    if (m.state == rel::MeetingState::kHeld) ++held;
    km::data d;
    d.set("href", href(ctx, "/relationship/meetings/" + std::to_string(m.id)));
    d.set("when", uk_time_text(m.starts_at));
    d.set("minutes", minutes_text(s, m.minutes));
    d.set("mode", s.text(std::string("relationship:mode_") + rel::to_string(m.mode)));
    d.set("state", s.text(std::string("relationship:meeting_") + rel::to_string(m.state)));
    d.set("tag_class", state_tag(m.state));
    meetings.push_back(d);
  }
  data.set("has_meetings", flag(!v->meetings.empty()));
  data.set("meetings", meetings);
  data.set("meetings_held", s.format("relationship:meetings_held_count", {{"count", std::to_string(held)}}));

  // Goals.
  km::data goals{km::data::type::list};
  for (const rel::Goal& g : v->goals) {
    km::data d;
    d.set("href", href(ctx, "/relationship/goals/" + std::to_string(g.id)));
    d.set("title", g.title);
    d.set("target", g.target_on.to_string());
    d.set("status", s.text(std::string("relationship:goal_") + rel::to_string(g.status)));
    d.set("tag_class", goal_tag(g.status));
    goals.push_back(d);
  }
  data.set("has_goals", flag(!v->goals.empty()));
  data.set("goals", goals);
  data.set("can_add_goal", flag(v->active() && mentee));
  data.set("add_goal_href", href(ctx, pairing_path(pairingid, "/goals/new")));

  // Protected time.
  data.set("mentee_minutes", minutes_text(s, v->totals.mentee_minutes));
  data.set("mentor_minutes", minutes_text(s, v->totals.mentor_minutes));
  data.set("total_minutes", minutes_text(s, v->totals.total_minutes()));
  data.set("protected_time_href", href(ctx, pairing_path(pairingid, "/protected-time")));
  return render_page(ctx, status, "relationship", data);
}

// The person's pairing from the path, for pages under /relationship/pairings/{id}.
struct PairingPage {
  std::int64_t pairingid = 0;
  std::optional<app::RelationshipView> view;
  std::optional<http::Response> refusal;
};

PairingPage load_pairing(const PageContext& ctx, const SignedIn& who, const http::PathParams& p) {
  PairingPage out;
  auto id = parse_id(p.get("id"));
  if (!id) {
    out.refusal = failure_page(ctx, Status::not_found("pairing_not_found", "There is no such pairing of yours."));
    return out;
  }
  out.pairingid = *id;
  auto v = service(ctx)->view(who.account.id, *id);
  if (!v) {
    out.refusal = failure_page(ctx, v.status());
    return out;
  }
  out.view = std::move(v).value();
  return out;
}

// A form page under the relationship: title, intro, fields, submit.
struct FormPage {
  std::string title, intro, action, submit, back_path;
  std::optional<km::data> extra;
};

http::Response form_page(const PageContext& ctx, const SignedIn& who, int status, const FormPage& page,
                         const FormView& form) {
  km::data data = page_base(ctx, who, page.title);
  data.set("intro", page.intro);
  data.set("action", href(ctx, page.action));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  data.set("submit_label", page.submit);
  data.set("back_href", href(ctx, page.back_path));
  if (page.extra) data.set("extra", *page.extra);
  return render_page(ctx, status, "relationship_form", data);
}

std::string error_for(const Status& st) { return st.message(); }

// The confirmation named by ?saved=, when it is one of `known`; "" otherwise.
std::string saved_message(const Strings& s, const http::Request& req, std::initializer_list<const char*> known) {
  const std::string saved(req.query_param("saved"));
  for (const char* k : known)
    if (saved == k) return s.text(std::string("relationship:saved_") + k);
  return {};
}

// --- booking ---------------------------------------------------------------

std::vector<FieldOption> mode_options(const Strings& s) {
  std::vector<FieldOption> out;
  for (auto m : {rel::MeetingMode::kVideo, rel::MeetingMode::kInPerson, rel::MeetingMode::kPhone})
    out.push_back({rel::to_string(m), s.text(std::string("relationship:mode_") + rel::to_string(m))});
  return out;
}

FormView booking_form(const Strings& s, const FormAccess* f, int default_minutes) {
  auto v = [&](const char* name, std::string fallback = {}) { return f ? f->field(name) : fallback; };
  FormView form(s);
  form.text("date", "relationship:field_date", "relationship:hint_date", v("date"), "nhsuk-input--width-10");
  form.text("time", "relationship:field_time", "relationship:hint_time", v("time"), "nhsuk-input--width-5");
  form.text("minutes", "relationship:field_minutes", "relationship:hint_minutes",
            v("minutes", std::to_string(default_minutes)), "nhsuk-input--width-3");
  form.radios("mode", "relationship:field_mode", "", mode_options(s), v("mode", "video"));
  form.text("link", "relationship:field_link", "relationship:hint_link", v("link"));
  form.text("place", "relationship:field_place", "relationship:hint_place", v("place"));
  form.textarea("topics", "relationship:field_topics", "relationship:hint_topics", v("topics"), 3);
  return form;
}

}  // namespace

http::Response relationship(const PageContext& ctx, const http::Request& req) {
  Access a = require_access(ctx, req, kParticipants);
  if (!a) return std::move(a.refusal);
  if (!service(ctx)) return unavailable(ctx);
  std::optional<std::int64_t> wanted;
  const std::string pairing(req.query_param("pairing"));
  if (!pairing.empty()) {
    wanted = parse_id(pairing);
    if (!wanted) return failure_page(ctx, Status::not_found("pairing_not_found", "There is no such pairing of yours."));
  }
  const Strings& s = ctx.renderer.strings();
  const std::string saved_text = saved_message(
      s, req, {"agreement", "meeting_booked", "meeting_recorded", "meeting_cancelled", "goal_added", "protected_time"});
  return overview_page(ctx, *a.signed_in, wanted, 200, "", saved_text);
}

http::Response relationship_accept(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  FormAccess f = require_form(ctx, req, kParticipants);
  if (!f) return std::move(f.refusal);
  if (!service(ctx)) return unavailable(ctx);
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("pairing_not_found", "There is no such pairing of yours."));
  auto version = parse_small_int(f.field("version"));
  if (!version || *version < 1)
    return failure_page(ctx, Status::invalid("agreement_version_invalid", "The form did not say which version you read."));
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto accepted = service(ctx)->accept_agreement(f.signed_in->account.id, *id, *version);
  if (!accepted) {
    if (has_code(accepted.status(), {Code::kConflict, Code::kAlreadyExists, Code::kFailedPrecondition}))
      return overview_page(ctx, *f.signed_in, *id, 409, error_for(accepted.status()), "");
    return failure_page(ctx, accepted.status());
  }
  return see_other(ctx, overview_path(*id) + "&saved=agreement");
}

http::Response relationship_book(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  const bool post = req.method == "POST";
  FormAccess f = require_page_or_form(ctx, req, kParticipants);
  if (!f) return std::move(f.refusal);
  if (!service(ctx)) return unavailable(ctx);
  const SignedIn& who = *f.signed_in;
  PairingPage pp = load_pairing(ctx, who, p);
  if (pp.refusal) return std::move(*pp.refusal);
  const int default_minutes = pp.view->agreement ? pp.view->agreement->meeting_minutes : core::kDefaultMeetingMinutes;
  FormView form = booking_form(s, post ? &f : nullptr, default_minutes);
  FormPage page;
  page.title = s.text("relationship:book_title");
  page.intro = s.format("relationship:book_intro", {{"name", pp.view->partner_name()}});
  page.action = pairing_path(pp.pairingid, "/meetings/new");
  page.back_path = overview_path(pp.pairingid);
  page.submit = s.text("relationship:book_submit");
  if (!post) return form_page(ctx, who, 200, page, form);

  rel::MeetingRequest r;
  auto day = core::Date::parse(f.field("date"));
  if (!day) form.set_error("date", s.text("relationship:error_date_invalid"));
  auto hm = parse_hh_mm(f.field("time"));
  if (!hm) form.set_error("time", s.text("relationship:error_time_invalid"));
  auto minutes = parse_small_int(f.field("minutes"));
  if (!minutes) form.set_error("minutes", s.text("relationship:error_minutes_invalid"));
  else r.minutes = *minutes;
  auto mode = rel::parse_meeting_mode(f.field("mode"));
  if (!mode) form.set_error("mode", s.text("relationship:error_mode_required"));
  else r.mode = *mode;
  r.link = core::trim(f.field("link"));
  r.place = core::trim(f.field("place"));
  r.topics = f.field("topics");
  if (day && hm) {
    auto utc = uk_time_to_utc(*day, hm->first, hm->second);
    if (!utc) form.set_error("time", error_for(utc.status()));
    else r.starts_at = *utc;
  }
  if (!form.has_errors()) {
    Status checked = rel::validate_request(r, ctx.clock.now());
    if (!checked) form.set_error(checked.field() == "starts_at" ? "date" : checked.field(), error_for(checked));
  }
  if (form.has_errors()) return form_page(ctx, who, 400, page, form);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto booked = service(ctx)->book_meeting(who.account.id, pp.pairingid, r);
  if (!booked) {
    const Code c = booked.status().code();
    if (!has_code(booked.status(), {Code::kInvalidArgument, Code::kConflict, Code::kFailedPrecondition}))
      return failure_page(ctx, booked.status());
    const std::string field = booked.status().field() == "starts_at" ? "date" : booked.status().field();
    form.set_error(field.empty() ? "date" : field, error_for(booked.status()));
    return form_page(ctx, who, c == Code::kInvalidArgument ? 400 : 409, page, form);
  }
  return see_other(ctx, "/relationship/meetings/" + std::to_string(booked->id) + "?saved=meeting_booked");
}

// --- one meeting -------------------------------------------------------------

namespace {

std::vector<FieldOption> outcome_options(const Strings& s) {
  return {{"held", s.text("relationship:outcome_held")}, {"missed", s.text("relationship:outcome_missed")}};
}

http::Response meeting_page(const PageContext& ctx, const SignedIn& who, std::int64_t meetingid, int status,
                            const FormAccess* record_form, const std::string& record_error_field,
                            const std::string& record_error, const std::string& saved) {
  const Strings& s = ctx.renderer.strings();
  auto found = service(ctx)->meeting(who.account.id, meetingid);
  if (!found) return failure_page(ctx, found.status());
  const rel::Meeting& m = found->meeting;
  auto v = service(ctx)->view(who.account.id, m.pairingid);
  if (!v) return failure_page(ctx, v.status());
  km::data data = page_base(ctx, who, s.format("relationship:meeting_title", {{"when", uk_time_text(m.starts_at)}}));
  data.set("back_href", href(ctx, overview_path(m.pairingid)));
  if (!saved.empty()) data.set("saved", saved);
  std::vector<Fact> facts{
      {s.text("relationship:column_when"), uk_time_text(m.starts_at)},
      {s.text("relationship:column_length"), minutes_text(s, m.minutes)},
      {s.text("relationship:column_mode"), s.text(std::string("relationship:mode_") + rel::to_string(m.mode))},
      {s.text("relationship:column_state"), s.text(std::string("relationship:meeting_") + rel::to_string(m.state))},
  };
  if (!m.place.empty()) facts.push_back({s.text("relationship:field_place"), m.place});
  if (!m.topics.empty()) facts.push_back({s.text("relationship:field_topics"), m.topics});
  data.set("facts", facts_data(facts));
  if (!m.link.empty() && m.state == rel::MeetingState::kBooked) data.set("link", m.link);
  data.set("state_tag", state_tag(m.state));
  if (!core::trim(m.agreed_actions).empty()) {
    data.set("has_agreed_actions", flag(true));
    data.set("agreed_actions", paragraphs(m.agreed_actions));
  }
  auto note = v->my_notes.find(m.id);
  if (note != v->my_notes.end() && !core::trim(note->second).empty()) {
    data.set("has_my_note", flag(true));
    data.set("my_note", paragraphs(note->second));
  }
  const bool booked = m.state == rel::MeetingState::kBooked;
  const bool started = m.starts_at <= ctx.clock.now();
  if (booked) data.set("calendar_href", href(ctx, "/relationship/meetings/" + std::to_string(m.id) + "/calendar.ics"));
  if (v->active() && booked && started) {
    FormView form(s);
    auto val = [&](const char* n, std::string d = {}) { return record_form ? record_form->field(n) : d; };
    form.radios("outcome", "relationship:field_outcome", "", outcome_options(s), val("outcome", "held"));
    form.textarea("agreed_actions", "relationship:field_agreed_actions", "relationship:hint_agreed_actions",
                  val("agreed_actions"), 4);
    form.textarea("private_note", "relationship:field_private_note", "relationship:hint_private_note",
                  val("private_note"), 4);
    if (!record_error.empty()) form.set_error(record_error_field.empty() ? "outcome" : record_error_field, record_error);
    data.set("record", flag(true));
    data.set("record_action", href(ctx, "/relationship/meetings/" + std::to_string(m.id) + "/record"));
    data.set("record_fields", form.fields());
    data.set("error_list", form.errors());
    data.set("has_errors", flag(form.has_errors()));
  } else if (!record_error.empty()) {
    data.set("error_list", error_list(record_error, "meeting-facts"));
    data.set("has_errors", flag(true));
  }
  if (v->active() && booked) {
    data.set("cancel", flag(true));
    data.set("cancel_action", href(ctx, "/relationship/meetings/" + std::to_string(m.id) + "/cancel"));
  }
  if (m.state == rel::MeetingState::kHeld || m.state == rel::MeetingState::kMissed) {
    FormView form(s);
    form.textarea("own_note", "relationship:field_private_note", "relationship:hint_private_note",
                  note != v->my_notes.end() ? note->second : std::string(), 4);
    data.set("note", flag(true));
    data.set("note_action", href(ctx, "/relationship/meetings/" + std::to_string(m.id) + "/note"));
    data.set("note_fields", form.fields());
  }
  return render_page(ctx, status, "relationship_meeting", data);
}

std::optional<std::int64_t> meeting_id(const http::PathParams& p) { return parse_id(p.get("id")); }

http::Response no_meeting(const PageContext& ctx) {
  return failure_page(ctx, Status::not_found("meeting_not_found", "There is no such meeting of yours."));
}

// The opening of every form about one meeting: a participant's checked form,
// the service, and the meeting's id from the path. A response when any fails.
std::optional<http::Response> open_meeting_form(const PageContext& ctx, const http::Request& req,
                                                const http::PathParams& p, FormAccess& f,
                                                std::optional<std::int64_t>& id) {
  f = require_form(ctx, req, kParticipants);
  if (!f) return std::move(f.refusal);
  if (!service(ctx)) return unavailable(ctx);
  id = meeting_id(p);
  if (!id) return no_meeting(ctx);
  return std::nullopt;
}

}  // namespace

http::Response relationship_meeting(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  Access a = require_access(ctx, req, kParticipants);
  if (!a) return std::move(a.refusal);
  if (!service(ctx)) return unavailable(ctx);
  auto id = meeting_id(p);
  if (!id) return no_meeting(ctx);
  const Strings& s = ctx.renderer.strings();
  const std::string saved_text = saved_message(s, req, {"meeting_booked", "meeting_recorded", "note"});
  return meeting_page(ctx, *a.signed_in, *id, 200, nullptr, "", "", saved_text);
}

http::Response relationship_record(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  FormAccess f;
  std::optional<std::int64_t> id;
  if (auto refused = open_meeting_form(ctx, req, p, f, id)) return std::move(*refused);
  const SignedIn& who = *f.signed_in;
  const Strings& s = ctx.renderer.strings();
  auto outcome = rel::parse_meeting_state(f.field("outcome"));
  if (!outcome || (*outcome != rel::MeetingState::kHeld && *outcome != rel::MeetingState::kMissed))
    return meeting_page(ctx, who, *id, 400, &f, "outcome", s.text("relationship:error_outcome_required"), "");
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto done = service(ctx)->record_meeting(who.account.id, *id, *outcome, f.field("agreed_actions"),
                                           f.field("private_note"));
  if (!done) {
    const Code c = done.status().code();
    if (!has_code(done.status(), {Code::kInvalidArgument, Code::kConflict, Code::kFailedPrecondition}))
      return failure_page(ctx, done.status());
    return meeting_page(ctx, who, *id, c == Code::kInvalidArgument ? 400 : 409, &f, done.status().field(),
                        error_for(done.status()), "");
  }
  return see_other(ctx, "/relationship/meetings/" + std::to_string(*id) + "?saved=meeting_recorded");
}

http::Response relationship_cancel(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  FormAccess f;
  std::optional<std::int64_t> id;
  if (auto refused = open_meeting_form(ctx, req, p, f, id)) return std::move(*refused);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto done = service(ctx)->cancel_meeting(f.signed_in->account.id, *id);
  if (!done) {
    if (!has_code(done.status(), {Code::kConflict, Code::kFailedPrecondition}))
      return failure_page(ctx, done.status());
    return meeting_page(ctx, *f.signed_in, *id, 409, nullptr, "", error_for(done.status()), "");
  }
  return see_other(ctx, overview_path(done->pairingid) + "&saved=meeting_cancelled");
}

http::Response relationship_note(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  FormAccess f;
  std::optional<std::int64_t> id;
  if (auto refused = open_meeting_form(ctx, req, p, f, id)) return std::move(*refused);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  Status st = service(ctx)->save_note(f.signed_in->account.id, *id, f.field("own_note"));
  if (!st) {
    if (!has_code(st, {Code::kInvalidArgument, Code::kFailedPrecondition})) return failure_page(ctx, st);
    return meeting_page(ctx, *f.signed_in, *id, 400, nullptr, "", error_for(st), "");
  }
  return see_other(ctx, "/relationship/meetings/" + std::to_string(*id) + "?saved=note");
}

http::Response relationship_calendar(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  Access a = require_access(ctx, req, kParticipants);
  if (!a) return std::move(a.refusal);
  if (!service(ctx)) return unavailable(ctx);
  auto id = meeting_id(p);
  if (!id) return no_meeting(ctx);
  auto found = service(ctx)->meeting(a.signed_in->account.id, *id);
  if (!found) return failure_page(ctx, found.status());
  exports::InvitationMethod method = exports::InvitationMethod::kRequest;
  const exports::MeetingInvitation invitation = api::meeting_invitation(*found, ctx.clock.now(), &method);
  auto ics = exports::render_invitation(invitation, method);
  if (!ics) return failure_page(ctx, ics.status());
  http::Response r;
  r.status = 200;
  r.set_header("Content-Type", exports::content_type(method));
  r.set_header("Content-Disposition", "attachment; filename=\"mentoring-meeting-" + std::to_string(*id) + ".ics\"");
  r.set_header("Cache-Control", "no-store");
  r.body = std::move(ics).value();
  return r;
}

// --- goals -----------------------------------------------------------------

namespace {

FormView goal_form(const Strings& s, const FormAccess* f) {
  auto v = [&](const char* name) { return f ? f->field(name) : std::string(); };
  FormView form(s);
  form.text("title", "relationship:field_goal_title", "relationship:hint_goal_title", v("title"));
  form.textarea("specific", "relationship:field_specific", "relationship:hint_specific", v("specific"), 3);
  form.textarea("measurable", "relationship:field_measurable", "relationship:hint_measurable", v("measurable"), 3);
  form.textarea("achievable", "relationship:field_achievable", "relationship:hint_achievable", v("achievable"), 3);
  form.textarea("relevant", "relationship:field_relevant", "relationship:hint_relevant", v("relevant"), 3);
  form.text("target_on", "relationship:field_target_on", "relationship:hint_date", v("target_on"),
            "nhsuk-input--width-10");
  form.text("review_on", "relationship:field_review_on", "relationship:hint_review_on", v("review_on"),
            "nhsuk-input--width-10");
  return form;
}

std::vector<FieldOption> goal_status_options(const Strings& s) {
  std::vector<FieldOption> out;
  for (auto g : {rel::GoalStatus::kOpen, rel::GoalStatus::kAchieved, rel::GoalStatus::kDropped})
    out.push_back({rel::to_string(g), s.text(std::string("relationship:goal_") + rel::to_string(g))});
  return out;
}

http::Response goal_page(const PageContext& ctx, const SignedIn& who, std::int64_t goalid, int status,
                         const std::string& error_field, const std::string& error, const std::string& saved) {
  const Strings& s = ctx.renderer.strings();
  // The goal is found through the person's pairings, so nobody else's goal
  // can be opened.
  auto mine = service(ctx)->pairings(who.account.id);
  if (!mine) return failure_page(ctx, mine.status());
  for (const auto& pairing : *mine) {
    auto v = service(ctx)->view(who.account.id, pairing.pairing.id);
    if (!v) return failure_page(ctx, v.status());
    for (const rel::Goal& g : v->goals) {
      if (g.id != goalid) continue;
      km::data data = page_base(ctx, who, g.title);
      data.set("back_href", href(ctx, overview_path(g.pairingid)));
      if (!saved.empty()) data.set("saved", saved);
      std::vector<Fact> facts{{s.text("relationship:column_status"),
                               s.text(std::string("relationship:goal_") + rel::to_string(g.status))},
                              {s.text("relationship:field_specific"), g.specific},
                              {s.text("relationship:field_measurable"), g.measurable}};
      if (!g.achievable.empty()) facts.push_back({s.text("relationship:field_achievable"), g.achievable});
      if (!g.relevant.empty()) facts.push_back({s.text("relationship:field_relevant"), g.relevant});
      facts.push_back({s.text("relationship:field_target_on"), g.target_on.to_string()});
      if (g.review_on) facts.push_back({s.text("relationship:field_review_on"), g.review_on->to_string()});
      data.set("facts", facts_data(facts));
      km::data notes{km::data::type::list};
      int note_count = 0;
      for (const rel::GoalNote& n : v->goal_notes) {
        if (n.goalid != g.id) continue;
        ++note_count;
        km::data d;
        d.set("when", uk_time_text(n.timecreated));
        d.set("by", n.accountid == v->parties.mentee_accountid ? s.text("relationship:by_mentee")
                                                               : s.text("relationship:by_mentor"));
        d.set("paragraphs", paragraphs(n.text));
        notes.push_back(d);
      }
      data.set("has_notes", flag(note_count > 0));
      data.set("notes", notes);
      FormView note_form(s);
      note_form.textarea("note", "relationship:field_goal_note", "relationship:hint_goal_note", "", 4);
      FormView status_form(s);
      status_form.radios("status", "relationship:field_goal_status", "", goal_status_options(s),
                         rel::to_string(g.status));
      if (!error.empty()) (error_field == "status" ? status_form : note_form).set_error(
          error_field == "status" ? "status" : "note", error);
      if (v->active()) {
        data.set("note_action", href(ctx, "/relationship/goals/" + std::to_string(g.id) + "/notes"));
        data.set("note_fields", note_form.fields());
        if (v->role == core::Role::kMentee) {
          data.set("status_action", href(ctx, "/relationship/goals/" + std::to_string(g.id) + "/status"));
          data.set("status_fields", status_form.fields());
        }
      }
      FormView& errors = error_field == "status" ? status_form : note_form;
      data.set("error_list", errors.errors());
      data.set("has_errors", flag(errors.has_errors()));
      return render_page(ctx, status, "relationship_goal", data);
    }
  }
  return failure_page(ctx, Status::not_found("goal_not_found", "There is no such goal of yours."));
}

}  // namespace

http::Response relationship_add_goal(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  const bool post = req.method == "POST";
  FormAccess f = require_page_or_form(ctx, req, {cap::kMenteeParticipate});
  if (!f) return std::move(f.refusal);
  if (!service(ctx)) return unavailable(ctx);
  const SignedIn& who = *f.signed_in;
  PairingPage pp = load_pairing(ctx, who, p);
  if (pp.refusal) return std::move(*pp.refusal);
  FormView form = goal_form(s, post ? &f : nullptr);
  FormPage page;
  page.title = s.text("relationship:goal_add_title");
  page.intro = s.text("relationship:goal_add_intro");
  page.action = pairing_path(pp.pairingid, "/goals/new");
  page.back_path = overview_path(pp.pairingid);
  page.submit = s.text("relationship:goal_add_submit");
  if (!post) return form_page(ctx, who, 200, page, form);
  rel::Goal g;
  g.title = core::trim(f.field("title"));
  g.specific = f.field("specific");
  g.measurable = f.field("measurable");
  g.achievable = f.field("achievable");
  g.relevant = f.field("relevant");
  auto target = core::Date::parse(f.field("target_on"));
  if (!target) form.set_error("target_on", s.text("relationship:error_date_invalid"));
  else g.target_on = *target;
  const std::string review = core::trim(f.field("review_on"));
  if (!review.empty()) {
    auto r = core::Date::parse(review);
    if (!r) form.set_error("review_on", s.text("relationship:error_date_invalid"));
    else g.review_on = *r;
  }
  if (!form.has_errors()) {
    Status checked = rel::validate(g, core::Date::from_unix(ctx.clock.now()));
    if (!checked) form.set_error(checked.field(), error_for(checked));
  }
  if (form.has_errors()) return form_page(ctx, who, 400, page, form);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto added = service(ctx)->add_goal(who.account.id, pp.pairingid, g);
  if (!added) {
    const Code c = added.status().code();
    if (!has_code(added.status(), {Code::kInvalidArgument, Code::kFailedPrecondition, Code::kPermissionDenied}))
      return failure_page(ctx, added.status());
    form.set_error(added.status().field().empty() ? "title" : added.status().field(), error_for(added.status()));
    return form_page(ctx, who, c == Code::kInvalidArgument ? 400 : 409, page, form);
  }
  return see_other(ctx, overview_path(pp.pairingid) + "&saved=goal_added");
}

http::Response relationship_goal(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  Access a = require_access(ctx, req, kParticipants);
  if (!a) return std::move(a.refusal);
  if (!service(ctx)) return unavailable(ctx);
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("goal_not_found", "There is no such goal of yours."));
  const Strings& s = ctx.renderer.strings();
  const std::string saved_text = saved_message(s, req, {"goal_note", "goal_status"});
  return goal_page(ctx, *a.signed_in, *id, 200, "", "", saved_text);
}

http::Response relationship_goal_status(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  FormAccess f = require_form(ctx, req, {cap::kMenteeParticipate});
  if (!f) return std::move(f.refusal);
  if (!service(ctx)) return unavailable(ctx);
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("goal_not_found", "There is no such goal of yours."));
  const Strings& s = ctx.renderer.strings();
  auto status = rel::parse_goal_status(f.field("status"));
  if (!status) return goal_page(ctx, *f.signed_in, *id, 400, "status", s.text("relationship:error_goal_status"), "");
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  app::GoalChange change;
  change.status = *status;
  auto done = service(ctx)->change_goal(f.signed_in->account.id, *id, change);
  if (!done) {
    if (!has_code(done.status(), {Code::kInvalidArgument, Code::kFailedPrecondition, Code::kPermissionDenied}))
      return failure_page(ctx, done.status());
    return goal_page(ctx, *f.signed_in, *id, 409, "status", error_for(done.status()), "");
  }
  return see_other(ctx, "/relationship/goals/" + std::to_string(*id) + "?saved=goal_status");
}

http::Response relationship_goal_note(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  FormAccess f = require_form(ctx, req, kParticipants);
  if (!f) return std::move(f.refusal);
  if (!service(ctx)) return unavailable(ctx);
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("goal_not_found", "There is no such goal of yours."));
  Status checked = rel::validate_note(f.field("note"));
  if (!checked) return goal_page(ctx, *f.signed_in, *id, 400, "note", error_for(checked), "");
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto done = service(ctx)->add_goal_note(f.signed_in->account.id, *id, f.field("note"));
  if (!done) {
    if (!has_code(done.status(), {Code::kInvalidArgument, Code::kFailedPrecondition}))
      return failure_page(ctx, done.status());
    return goal_page(ctx, *f.signed_in, *id, 400, "note", error_for(done.status()), "");
  }
  return see_other(ctx, "/relationship/goals/" + std::to_string(*id) + "?saved=goal_note");
}

// --- protected time --------------------------------------------------------

http::Response relationship_protected_time(const PageContext& ctx, const http::Request& req,
                                           const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  const bool post = req.method == "POST";
  FormAccess f = require_page_or_form(ctx, req, kParticipants);
  if (!f) return std::move(f.refusal);
  if (!service(ctx)) return unavailable(ctx);
  const SignedIn& who = *f.signed_in;
  PairingPage pp = load_pairing(ctx, who, p);
  if (pp.refusal) return std::move(*pp.refusal);
  const app::RelationshipView& v = *pp.view;

  FormView form(s);
  form.text("used_on", "relationship:field_used_on", "relationship:hint_date",
            post ? f.field("used_on") : core::Date::from_unix(ctx.clock.now()).to_string(), "nhsuk-input--width-10");
  form.text("minutes", "relationship:field_minutes_used", "relationship:hint_minutes_used",
            post ? f.field("minutes") : std::string(), "nhsuk-input--width-3");

  km::data extra;
  extra.set("mentee_minutes", minutes_text(s, v.totals.mentee_minutes));
  extra.set("mentor_minutes", minutes_text(s, v.totals.mentor_minutes));
  extra.set("total_minutes", minutes_text(s, v.totals.total_minutes()));
  km::data entries{km::data::type::list};
  for (const rel::ProtectedTime& e : v.protected_time) {
    km::data d;
    d.set("day", e.used_on.to_string());
    d.set("who", s.text(e.role == core::Role::kMentee ? "relationship:by_mentee" : "relationship:by_mentor"));
    d.set("minutes", minutes_text(s, e.minutes));
    entries.push_back(d);
  }
  extra.set("has_entries", flag(!v.protected_time.empty()));
  extra.set("entries", entries);

  FormPage page;
  page.title = s.text("relationship:protected_time_title");
  page.intro = s.text("relationship:protected_time_intro");
  page.action = pairing_path(pp.pairingid, "/protected-time");
  page.back_path = overview_path(pp.pairingid);
  page.submit = s.text("relationship:protected_time_submit");
  page.extra = std::move(extra);
  if (!post) return form_page(ctx, who, 200, page, form);

  auto day = core::Date::parse(f.field("used_on"));
  if (!day) form.set_error("used_on", s.text("relationship:error_date_invalid"));
  auto minutes = parse_small_int(f.field("minutes"));
  if (!minutes) form.set_error("minutes", s.text("relationship:error_minutes_used_invalid"));
  if (!form.has_errors()) {
    rel::ProtectedTime e;
    e.used_on = *day;
    e.minutes = *minutes;
    Status checked = rel::validate(e, core::Date::from_unix(ctx.clock.now()));
    if (!checked) form.set_error(checked.field(), error_for(checked));
  }
  if (form.has_errors()) return form_page(ctx, who, 400, page, form);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto logged = service(ctx)->log_protected_time(who.account.id, pp.pairingid, *day, *minutes);
  if (!logged) {
    if (!has_code(logged.status(), {Code::kInvalidArgument, Code::kFailedPrecondition}))
      return failure_page(ctx, logged.status());
    form.set_error(logged.status().field().empty() ? "used_on" : logged.status().field(), error_for(logged.status()));
    return form_page(ctx, who, 400, page, form);
  }
  return see_other(ctx, overview_path(pp.pairingid) + "&saved=protected_time");
}

}  // namespace mentoring::web::pages
