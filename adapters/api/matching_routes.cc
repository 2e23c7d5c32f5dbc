#include <charconv>
#include <stdexcept>

#include "adapters/api/audit_support.h"

#include "adapters/api/codec.h"
#include "adapters/api/json_fields.h"
#include "adapters/api/matching_api.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxJsonDepth = 16;

struct Call {
  const Request& req;
  std::int64_t id;
  const json::object* body;  // null unless the route takes one
};
using Handler = std::function<Response(const Call&)>;

void add(http::Router& router, const MatchingApiContext& ctx, std::string method, std::string pattern, bool with_body,
         Handler fn) {
  Status st =
      router.add(method, pattern, [&ctx, with_body, fn = std::move(fn)](const Request& req, const PathParams& params) {
        if (Status auth = authorise_service(req, ctx.service_token); !auth) {
          Response res = http::error_response(auth);
          res.set_header("WWW-Authenticate", "Bearer");
          return res;
        }
        auto id = params.get_int64("id");
        if (!id) return http::error_response(id.status());
        if (!with_body) return fn(Call{req, *id, nullptr});
        auto body = http::parse_json_object_body(req, kMaxJsonDepth);
        if (!body) return http::error_response(body.status());
        return fn(Call{req, *id, &*body});
      });
  if (!st) throw std::logic_error("route " + method + " " + pattern + ": " + st.to_string());
}

// --- JSON out ---

json::value optional_int(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

// Stored JSON text back into a value; text this build did not write is null.
json::value stored_json(const std::string& text) {
  if (text.empty()) return nullptr;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

json::object to_json(const core::MatchingRunRecord& r) {
  return json::object{{"id", r.id},
                      {"cohortid", r.cohortid},
                      {"model", core::to_string(r.model)},
                      {"state", core::to_string(r.state)},
                      {"parameters", stored_json(r.parameters)},
                      {"error", r.error},
                      {"choice_deadline", optional_int(r.choice_deadline)},
                      {"parentid", optional_int(r.parentid)},
                      {"started_at", r.started_at},
                      {"finished_at", optional_int(r.finished_at)},
                      {"published_at", optional_int(r.published_at)}};
}

json::object to_json(const app::RunView& v) {
  json::object o = to_json(v.run);
  o["report"] = stored_json(v.run.report);
  json::array proposals;
  for (const auto& p : v.proposals) {
    proposals.push_back(json::object{{"menteeid", p.menteeid},
                                     {"mentorid", p.mentorid},
                                     {"score", p.score},
                                     {"source", p.source},
                                     {"explanation", stored_json(p.explanation)}});
  }
  o["proposals"] = std::move(proposals);
  json::array lists;
  for (std::size_t i = 0; i < v.shortlists.size();) {
    const std::int64_t mentee = v.shortlists[i].menteeid;
    json::array mentors;
    for (; i < v.shortlists.size() && v.shortlists[i].menteeid == mentee; ++i) {
      const auto& s = v.shortlists[i];
      mentors.push_back(
          json::object{{"mentorid", s.mentorid}, {"rank", s.rank}, {"score", s.score}, {"strong", s.strong}});
    }
    lists.push_back(json::object{{"menteeid", mentee}, {"mentors", std::move(mentors)}});
  }
  o["shortlists"] = std::move(lists);
  if (v.jobid) o["jobid"] = *v.jobid;
  return o;
}

json::object to_json(const core::Pairing& p) {
  return json::object{{"id", p.id},
                      {"cohortid", p.cohortid},
                      {"menteeid", p.menteeid},
                      {"mentorid", p.mentorid},
                      {"state", core::to_string(p.state)},
                      {"source", core::to_string(p.source)},
                      {"runid", optional_int(p.runid)},
                      {"started_at", optional_int(p.started_at)},
                      {"ended_at", optional_int(p.ended_at)},
                      {"end_reason", p.end_reason ? json::value(core::to_string(*p.end_reason)) : json::value(nullptr)},
                      {"ended_by", p.ended_by ? json::value(core::to_string(*p.ended_by)) : json::value(nullptr)},
                      {"end_note", p.end_note}};
}

json::object to_json(const core::MenteeRequest& q) {
  return json::object{{"id", q.id},
                      {"cohortid", q.cohortid},
                      {"menteeid", q.menteeid},
                      {"mentorid", q.mentorid},
                      {"message", q.message},
                      {"state", core::to_string(q.state)},
                      {"source", core::to_string(q.source)},
                      {"expires_at", q.expires_at},
                      {"decided_at", optional_int(q.decided_at)},
                      {"pairingid", optional_int(q.pairingid)},
                      {"timecreated", q.timecreated}};
}

json::object to_json(const core::ChoiceList& l) {
  json::array entries;
  for (const core::ChoiceEntry& e : l.entries)
    entries.push_back(json::object{{"rank", e.rank},
                                   {"mentorid", e.mentorid},
                                   {"state", core::to_string(e.state)},
                                   {"requestid", optional_int(e.requestid)},
                                   {"timemodified", e.timemodified}});
  return json::object{{"id", l.id},
                      {"cohortid", l.cohortid},
                      {"menteeid", l.menteeid},
                      {"state", core::to_string(l.state)},
                      {"source", core::to_string(l.source)},
                      {"message", l.message},
                      {"choices", std::move(entries)},
                      {"timecreated", l.timecreated},
                      {"timemodified", l.timemodified}};
}

json::object to_json(const core::WaitingEntry& w) {
  return json::object{
      {"id", w.id},           {"cohortid", w.cohortid},      {"menteeid", w.menteeid}, {"mentorid", w.mentorid},
      {"message", w.message}, {"timecreated", w.timecreated}};
}

json::object to_json(const core::PairRule& r) {
  return json::object{{"id", r.id},
                      {"cohortid", r.cohortid},
                      {"menteeid", r.menteeid},
                      {"mentorid", r.mentorid},
                      {"kind", core::to_string(r.kind)}};
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(json::string(s));
  return a;
}

json::object to_json(const core::DirectoryEntry& d) {
  const core::MentorProfile& p = d.profile;
  return json::object{{"mentorid", d.mentorid},
                      {"accountid", d.accountid},
                      {"display_name", d.display_name},
                      {"career_stage", core::to_string(p.career_stage)},
                      {"specialty", p.specialty},
                      {"site", p.site},
                      {"region", p.region},
                      {"expertise_areas", strings(p.expertise_areas)},
                      {"languages", strings(p.languages)},
                      {"bio", p.bio},
                      {"away_until", p.away_until ? json::value(p.away_until->to_string()) : json::value(nullptr)},
                      {"capacity", d.capacity},
                      {"active", d.active},
                      {"free_places", d.capacity > d.active ? d.capacity - d.active : 0}};
}

template <typename T>
Response respond(const Result<T>& r, int ok_status = 200) {
  if (!r) return http::error_response(r.status());
  return http::json_response(ok_status, to_json(*r));
}

template <typename T>
Response respond_list(const Result<std::vector<T>>& r) {
  if (!r) return http::error_response(r.status());
  json::array items;
  for (const auto& x : *r) items.push_back(to_json(x));
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

// --- JSON and query in ---

// A query parameter naming an id: absent = 0.
Result<std::int64_t> id_from_query(std::string_view value, const char* name) {
  if (value.empty()) return std::int64_t{0};
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || p != value.data() + value.size() || out < 1)
    return Status::invalid("query_not_id", std::string("The query parameter '") + name + "' must be a positive id.",
                           name);
  return out;
}

Result<app::RunOptions> run_options_from_json(const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(
      o, {"model", "mode", "weights", "candidates_per_mentee", "shortlist_size", "choice_days", "requested_by"}));
  app::RunOptions out;
  auto model = [](std::string_view s) -> std::optional<core::RunModel> {
    if (s == "assigned") return core::RunModel::kAssigned;
    if (s == "hybrid") return core::RunModel::kHybrid;
    return std::nullopt;
  };
  MENTORING_RETURN_IF_ERROR(read_enum(o, "model", out.model, model, "run_model_invalid", "'assigned' or 'hybrid'"));
  auto mode = [](std::string_view s) -> std::optional<core::matching::AssignedMode> {
    if (s == "optimal") return core::matching::AssignedMode::kOptimal;
    if (s == "stable") return core::matching::AssignedMode::kStable;
    return std::nullopt;
  };
  MENTORING_RETURN_IF_ERROR(read_enum(o, "mode", out.mode, mode, "run_mode_invalid", "'optimal' or 'stable'"));
  if (const json::value* w = o.if_contains("weights")) {
    if (!w->is_object())
      return Status::invalid("field_not_object", "The field 'weights' must be an object of criterion names to weights.",
                             "weights");
    for (const auto& kv : w->as_object()) {
      if (!kv.value().is_string())
        return Status::invalid("weight_invalid",
                               "Each weight must be a string: must, high, medium, low or a number from 0 to 100.",
                               "weights");
      out.weights.emplace_back(std::string(kv.key()), std::string(kv.value().as_string()));
    }
  }
  MENTORING_RETURN_IF_ERROR(read_int(o, "candidates_per_mentee", out.candidates_per_mentee));
  MENTORING_RETURN_IF_ERROR(read_int(o, "shortlist_size", out.shortlist_size));
  MENTORING_RETURN_IF_ERROR(read_int(o, "choice_days", out.choice_days));
  MENTORING_RETURN_IF_ERROR(read_int64(o, "requested_by", out.requested_by));
  MENTORING_RETURN_IF_ERROR(app::validate(out));
  return out;
}

struct PairIds {
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
};

Status read_pair(const json::object& o, PairIds& out) {
  MENTORING_RETURN_IF_ERROR(read_int64(o, "menteeid", out.menteeid, true));
  MENTORING_RETURN_IF_ERROR(read_int64(o, "mentorid", out.mentorid, true));
  if (out.menteeid < 1)
    return Status::invalid("menteeid_invalid", "The field 'menteeid' must be a positive id.", "menteeid");
  if (out.mentorid < 1)
    return Status::invalid("mentorid_invalid", "The field 'mentorid' must be a positive id.", "mentorid");
  return Status::ok();
}

Result<std::int64_t> mentee_from_json(const json::object& o) {
  std::int64_t menteeid = 0;
  MENTORING_RETURN_IF_ERROR(read_int64(o, "menteeid", menteeid, true));
  if (menteeid < 1)
    return Status::invalid("menteeid_invalid", "The field 'menteeid' must be a positive id.", "menteeid");
  return menteeid;
}

// "mentorids": a non-empty array of positive ids, best first. How many, and
// whether they repeat, is the service's to say.
Status read_mentorids(const json::object& o, std::vector<std::int64_t>& out) {
  const json::value* v = o.if_contains("mentorids");
  if (v == nullptr) return field_required("mentorids");
  if (!v->is_array())
    return Status::invalid("mentorids_invalid", "The field 'mentorids' must be an array of mentor ids.", "mentorids");
  constexpr std::size_t kMaxListed = 100;
  if (v->as_array().size() > kMaxListed)
    return Status::invalid("choices_count_invalid", "Too many mentors are listed.", "mentorids");
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    const json::value& id = v->as_array()[i];
    if (!id.is_int64() || id.as_int64() < 1)
      return Status::invalid("mentorids_invalid", "Each mentor id must be a positive whole number.",
                             "mentorids[" + std::to_string(i) + "]");
    out.push_back(id.as_int64());
  }
  return Status::ok();
}

Result<PairIds> pair_from_json(const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"menteeid", "mentorid"}));
  PairIds out;
  MENTORING_RETURN_IF_ERROR(read_pair(o, out));
  return out;
}

Response rule(const MatchingApiContext& ctx, const Call& c, core::RuleKind kind) {
  auto pair = pair_from_json(*c.body);
  if (!pair) return http::error_response(pair.status());
  auto run = ctx.matching.get_run(c.id);
  if (!run) return http::error_response(run.status());
  return respond(ctx.matching.set_rule(run->run.cohortid, pair->menteeid, pair->mentorid, kind), 201);
}

Response publish_response(const Result<app::PublishOutcome>& r) {
  if (!r) return http::error_response(r.status());
  if (!r->published) {
    // A 409 in the usual error shape, with every conflict listed.
    json::array conflicts;
    for (const auto& x : r->conflicts)
      conflicts.push_back(json::object{
          {"menteeid", x.menteeid}, {"mentorid", x.mentorid}, {"reason", x.reason}, {"message", x.message}});
    json::object body{
        {"error", json::object{{"code", "conflict"},
                               {"reason", "publish_conflicts"},
                               {"message", std::to_string(r->conflicts.size()) +
                                               " proposals can no longer be made; nothing was published."}}},
        {"conflicts", std::move(conflicts)}};
    return http::json_response(409, body);
  }
  json::array pairings;
  for (const auto& p : r->pairings) pairings.push_back(to_json(p));
  return http::json_response(200, json::object{{"run", to_json(r->run)}, {"pairings", std::move(pairings)}});
}

}  // namespace

void add_matching_routes(http::Router& router, const MatchingApiContext& ctx) {
  // Matching runs.
  add(router, ctx, "POST", "/api/v1/cohorts/{id}/matching/runs", true, [&ctx](const Call& c) {
    auto options = run_options_from_json(*c.body);
    if (!options) return http::error_response(options.status());
    return respond(ctx.matching.start_run(c.id, *options), 201);
  });
  add(router, ctx, "GET", "/api/v1/cohorts/{id}/matching/runs", false,
      [&ctx](const Call& c) { return respond_list(ctx.matching.runs(c.id)); });
  add(router, ctx, "GET", "/api/v1/matching/runs/{id}", false,
      [&ctx](const Call& c) { return respond(ctx.matching.get_run(c.id)); });
  add(router, ctx, "POST", "/api/v1/matching/runs/{id}/publish", false,
      [&ctx](const Call& c) { return publish_response(ctx.matching.publish(c.id)); });
  add(router, ctx, "POST", "/api/v1/matching/runs/{id}/discard", false,
      [&ctx](const Call& c) { return respond(ctx.matching.discard(c.id)); });
  add(router, ctx, "POST", "/api/v1/matching/runs/{id}/resolve", false,
      [&ctx](const Call& c) { return respond(ctx.matching.resolve_hybrid(c.id), 201); });

  // Pins and bans, for the cohort's next run.
  add(router, ctx, "POST", "/api/v1/matching/runs/{id}/pins", true,
      [&ctx](const Call& c) { return rule(ctx, c, core::RuleKind::kPin); });
  add(router, ctx, "POST", "/api/v1/matching/runs/{id}/bans", true,
      [&ctx](const Call& c) { return rule(ctx, c, core::RuleKind::kBan); });
  add(router, ctx, "GET", "/api/v1/cohorts/{id}/matching/rules", false,
      [&ctx](const Call& c) { return respond_list(ctx.matching.rules(c.id)); });
  add(router, ctx, "DELETE", "/api/v1/cohorts/{id}/matching/rules", false, [&ctx](const Call& c) {
    auto mentee = id_from_query(c.req.query_param("menteeid"), "menteeid");
    if (!mentee) return http::error_response(mentee.status());
    auto mentor = id_from_query(c.req.query_param("mentorid"), "mentorid");
    if (!mentor) return http::error_response(mentor.status());
    if (*mentee == 0 || *mentor == 0)
      return http::error_response(Status::invalid("query_required",
                                                  "Give both ?menteeid= and ?mentorid= to remove a pin or ban.",
                                                  *mentee == 0 ? "menteeid" : "mentorid"));
    Status st = ctx.matching.remove_rule(c.id, *mentee, *mentor);
    if (!st) return http::error_response(st);
    return http::json_response(200, json::object{{"removed", true}});
  });

  // The mentor directory.
  add(router, ctx, "GET", "/api/v1/cohorts/{id}/mentors", false, [&ctx](const Call& c) {
    auto page = page_from_query(c.req.query_param("limit"), c.req.query_param("offset"));
    if (!page) return http::error_response(page.status());
    core::DirectoryQuery q;
    q.cohortid = c.id;
    q.text = std::string(c.req.query_param("q"));
    q.specialty = std::string(c.req.query_param("specialty"));
    q.region = std::string(c.req.query_param("region"));
    const std::string_view free = c.req.query_param("free");
    if (!free.empty() && free != "true" && free != "false")
      return http::error_response(
          Status::invalid("query_not_boolean", "The query parameter 'free' must be true or false.", "free"));
    q.free_only = free == "true";
    q.page = *page;
    auto found = ctx.pairings.directory(q);
    if (!found) return http::error_response(found.status());
    json::array items;
    for (const auto& d : found->entries) items.push_back(to_json(d));
    return http::json_response(200, json::object{{"items", std::move(items)}, {"total", found->total}});
  });

  // Mentee requests.
  add(router, ctx, "POST", "/api/v1/cohorts/{id}/requests", true, [&ctx](const Call& c) {
    if (Status st = unknown_fields(*c.body, {"menteeid", "mentorid", "message", "wait_if_full"}); !st)
      return http::error_response(st);
    PairIds ids;
    if (Status st = read_pair(*c.body, ids); !st) return http::error_response(st);
    std::string message;
    bool wait = false;
    if (Status st = read_string(*c.body, "message", message); !st) return http::error_response(st);
    if (Status st = read_bool(*c.body, "wait_if_full", wait); !st) return http::error_response(st);
    auto out = ctx.pairings.request(c.id, ids.menteeid, ids.mentorid, message, wait);
    if (!out) return http::error_response(out.status());
    if (out->waiting) return http::json_response(202, json::object{{"waiting", to_json(*out->waiting)}});
    return http::json_response(201, json::object{{"request", to_json(*out->request)}});
  });
  add(router, ctx, "GET", "/api/v1/cohorts/{id}/requests", false, [&ctx](const Call& c) {
    auto page = page_from_query(c.req.query_param("limit"), c.req.query_param("offset"));
    if (!page) return http::error_response(page.status());
    auto mentee = id_from_query(c.req.query_param("menteeid"), "menteeid");
    if (!mentee) return http::error_response(mentee.status());
    auto mentor = id_from_query(c.req.query_param("mentorid"), "mentorid");
    if (!mentor) return http::error_response(mentor.status());
    std::optional<core::RequestState> state;
    if (const auto s = c.req.query_param("state"); !s.empty()) {
      state = core::parse_request_state(s);
      if (!state)
        return http::error_response(Status::invalid(
            "request_state_invalid",
            "The query parameter 'state' must be pending, accepted, declined, lapsed or withdrawn.", "state"));
    }
    return respond_list(ctx.pairings.requests(c.id, *mentee, *mentor, state, *page));
  });
  // Ranked choices: the list, best first; the request goes to the first.
  add(router, ctx, "POST", "/api/v1/cohorts/{id}/choices", true, [&ctx](const Call& c) {
    if (Status st = unknown_fields(*c.body, {"menteeid", "mentorids", "message"}); !st)
      return http::error_response(st);
    auto mentee = mentee_from_json(*c.body);
    if (!mentee) return http::error_response(mentee.status());
    std::vector<std::int64_t> mentorids;
    if (Status st = read_mentorids(*c.body, mentorids); !st) return http::error_response(st);
    std::string message;
    if (Status st = read_string(*c.body, "message", message); !st) return http::error_response(st);
    return respond(ctx.pairings.request_ranked(c.id, *mentee, mentorids, message), 201);
  });
  add(router, ctx, "GET", "/api/v1/cohorts/{id}/choices", false, [&ctx](const Call& c) {
    auto mentee = id_from_query(c.req.query_param("menteeid"), "menteeid");
    if (!mentee) return http::error_response(mentee.status());
    if (*mentee == 0)
      return http::error_response(Status::invalid("field_required", "The query parameter 'menteeid' is required.",
                                                  "menteeid"));
    auto list = ctx.pairings.choices(c.id, *mentee);
    if (!list) return http::error_response(list.status());
    if (!*list)
      return http::error_response(
          Status::not_found("choice_list_not_found", "The mentee has not ranked any mentors in this cohort."));
    return http::json_response(200, to_json(**list));
  });
  add(router, ctx, "POST", "/api/v1/cohorts/{id}/choices/withdraw", true, [&ctx](const Call& c) {
    if (Status st = unknown_fields(*c.body, {"menteeid"}); !st) return http::error_response(st);
    auto mentee = mentee_from_json(*c.body);
    if (!mentee) return http::error_response(mentee.status());
    return respond(ctx.pairings.withdraw_choices(c.id, *mentee));
  });
  add(router, ctx, "POST", "/api/v1/requests/{id}/accept", false,
      [&ctx](const Call& c) { return respond(ctx.pairings.accept(c.id), 201); });
  add(router, ctx, "POST", "/api/v1/requests/{id}/decline", false,
      [&ctx](const Call& c) { return respond(ctx.pairings.decline(c.id)); });
  add(router, ctx, "POST", "/api/v1/requests/{id}/withdraw", false,
      [&ctx](const Call& c) { return respond(ctx.pairings.withdraw(c.id)); });

  // Pairings.
  add(router, ctx, "GET", "/api/v1/cohorts/{id}/pairings", false, [&ctx](const Call& c) {
    auto page = page_from_query(c.req.query_param("limit"), c.req.query_param("offset"));
    if (!page) return http::error_response(page.status());
    std::optional<core::PairingState> state;
    if (const auto s = c.req.query_param("state"); !s.empty()) {
      state = core::parse_pairing_state(s);
      if (!state)
        return http::error_response(Status::invalid(
            "pairing_state_invalid", "The query parameter 'state' must be proposed, active or ended.", "state"));
    }
    return respond_list(ctx.pairings.pairings(c.id, state, *page));
  });
  add(router, ctx, "POST", "/api/v1/cohorts/{id}/pairings", true, [&ctx](const Call& c) {
    auto pair = pair_from_json(*c.body);
    if (!pair) return http::error_response(pair.status());
    return respond(ctx.pairings.assign(c.id, pair->menteeid, pair->mentorid), 201);
  });
  add(router, ctx, "POST", "/api/v1/pairings/{id}/end", true, [&ctx](const Call& c) {
    if (Status st = unknown_fields(*c.body, {"reason", "ended_by", "note"}); !st) return http::error_response(st);
    core::EndReason reason = core::EndReason::kOther;
    core::EndedBy by = core::EndedBy::kAdmin;
    std::string note;
    if (Status st = read_enum(*c.body, "reason", reason, core::parse_end_reason, "end_reason_invalid",
                              "completed, not_a_good_fit, mentee_withdrew, mentor_withdrew or other", true);
        !st)
      return http::error_response(st);
    if (Status st = read_enum(*c.body, "ended_by", by, core::parse_ended_by, "ended_by_invalid",
                              "mentee, mentor or admin", true);
        !st)
      return http::error_response(st);
    if (Status st = read_string(*c.body, "note", note); !st) return http::error_response(st);
    return respond(ctx.pairings.end(c.id, reason, by, note));
  });
}

}  // namespace mentoring::api
