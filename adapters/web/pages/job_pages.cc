// Progress of long work: the page with its progress bar, and the JSON the
// bar's script (static/js/mentoring.js) polls. Without JavaScript the page
// offers a "refresh" link (the CSP allows no meta refresh script, and a
// meta refresh would move keyboard and screen-reader users unasked).
#include <boost/json.hpp>

#include "adapters/http/json.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/jobs.h"
#include "core/lti_capabilities.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
namespace json = boost::json;
using core::Status;

namespace {

bool is_staff(const SignedIn& who) { return who.has(cap::kSchemeManage) || who.has(cap::kPairingAssign); }

std::string duration_text(const Strings& s, std::int64_t ms) {
  const std::int64_t seconds = (ms + 999) / 1000;
  if (seconds < 90) return s.format("page:duration_seconds", {{"n", std::to_string(seconds)}});
  const std::int64_t minutes = (seconds + 30) / 60;
  if (minutes < 90) return s.format("page:duration_minutes", {{"n", std::to_string(minutes)}});
  return s.format("page:duration_hours", {{"n", std::to_string((minutes + 30) / 60)}});
}

// "40 of 100 done (40%). About 2 minutes left." as the page and the script show it.
std::string status_line(const Strings& s, const app::JobView& v) {
  std::string line;
  if (v.job.state == core::JobState::kQueued) return s.text("page:job_waiting");
  line = s.format("page:job_progress", {{"done", std::to_string(v.job.done)},
                                        {"total", std::to_string(v.job.total)},
                                        {"percent", std::to_string(v.percent)}});
  if (v.remaining_ms) line += " " + s.format("page:job_remaining", {{"time", duration_text(s, *v.remaining_ms)}});
  if (v.job.state == core::JobState::kSucceeded) line = s.text("page:job_succeeded");
  if (v.job.state == core::JobState::kFailed) line = s.text("page:job_failed");
  return line;
}

// The job if this person may see it: its owner, or staff. Others get
// not_found, so job ids cannot be probed.
core::Result<app::JobView> visible_job(const PageContext& ctx, const SignedIn& who, std::string_view id_text) {
  if (ctx.services.jobs == nullptr) return Status::unavailable("jobs_unavailable", "Job progress is not available.");
  auto id = parse_id(id_text);
  if (!id) return Status::not_found("job_not_found", "There is no such job.");
  auto view = ctx.services.jobs->get(*id);
  if (!view) return view.status();
  if (view->job.ownerid != who.account.id && !is_staff(who))
    return Status::not_found("job_not_found", "There is no such job.");
  return view;
}

json::value optional_ms(const std::optional<std::int64_t>& ms) {
  return ms ? json::value(*ms / 1000) : json::value(nullptr);
}

}  // namespace

http::Response job_page(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  Access a = require_access(ctx, req);
  if (!a) return std::move(a.refusal);
  auto view = visible_job(ctx, *a.signed_in, p.get("id"));
  if (!view) return failure_page(ctx, view.status());
  const Strings& s = ctx.renderer.strings();
  const std::string id = std::to_string(view->job.id);
  km::data data = signed_in_page_data(ctx, *a.signed_in, s.format("page:job_title", {{"id", id}}), "/staff");
  data.set("state", s.text(std::string("page:job_state_") + core::to_string(view->job.state)));
  data.set("tag_class", view->job.state == core::JobState::kFailed      ? " nhsuk-tag--red"
                        : view->job.state == core::JobState::kSucceeded ? " nhsuk-tag--green"
                                                                        : " nhsuk-tag--blue");
  if (!view->job.message.empty()) data.set("message", view->job.message);
  // A <progress> needs max > 0; an unknown total shows as empty.
  data.set("max", std::to_string(view->job.total > 0 ? view->job.total : 1));
  data.set("value", std::to_string(view->job.total > 0 ? view->job.done : 0));
  data.set("percent", std::to_string(view->percent));
  data.set("status", status_line(s, *view));
  data.set("progress_url", href(ctx, "/api/v1/jobs/" + id));
  data.set("self_href", href(ctx, "/staff/jobs/" + id));
  data.set("finished", core::is_finished(view->job.state) ? km::data::type::bool_true : km::data::type::bool_false);
  return render_page(ctx, 200, "staff_job", data);
}

http::Response job_json(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  auto who = ctx.sessions.authenticate(req);
  if (!who) return http::error_response(who.status());
  auto view = visible_job(ctx, *who, p.get("id"));
  if (!view) return http::error_response(view.status());
  const core::Job& j = view->job;
  json::object o{
      {"id", j.id},
      {"kind", j.kind},
      {"state", core::to_string(j.state)},
      {"value", j.done},
      {"max", j.total},
      {"percent", view->percent},
      {"message", j.message},
      {"status", status_line(ctx.renderer.strings(), *view)},
      {"done", core::is_finished(j.state)},
      {"remaining_seconds",
       view->remaining_ms ? json::value((*view->remaining_ms + 999) / 1000) : json::value(nullptr)},
      {"started_at", j.started_ms / 1000},
      {"updated_at", j.updated_ms / 1000},
      {"finished_at", optional_ms(j.finished_ms)},
  };
  http::Response res = http::json_response(200, o);
  res.set_header("Cache-Control", "no-store");
  return res;
}

}  // namespace mentoring::web::pages
