// The staff import page (/staff/schemes/{id}/import): upload a CSV of
// mentees, mentors or training records, watch its dry run as a job, read the
// preview with every row's errors, then apply the same file as a second job.
// The work itself is app/import_jobs.h over app/bulk_import.h.
#include <algorithm>

#include "adapters/web/multipart.h"
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/import_jobs.h"
#include "app/jobs.h"
#include "core/lti_capabilities.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Status;

namespace {

// Rows of the preview drawn on the page; the report keeps up to
// app::kMaxReportedRows and the counts cover every row.
constexpr std::size_t kPreviewRows = 50;
constexpr std::size_t kPreviewErrors = 200;

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

std::string import_path(std::int64_t schemeid) { return "/staff/schemes/" + std::to_string(schemeid) + "/import"; }

std::vector<FieldOption> kind_options(const Strings& s) {
  std::vector<FieldOption> out;
  for (const char* k : {"mentees", "mentors", "training"})
    out.push_back({k, s.text(std::string("page:import_kind_") + k)});
  return out;
}

// The scheme named by the path, for a staff member who may manage it.
core::Result<core::Scheme> scheme_of(const PageContext& ctx, const SignedIn& who, std::string_view id_text) {
  auto id = parse_id(id_text);
  if (!id) return Status::not_found("scheme_not_found", "There is no such scheme.");
  // Launched from a course linked to one scheme, staff see only that one.
  if (who.session.schemeid && *who.session.schemeid != *id)
    return Status::not_found("scheme_not_found", "There is no such scheme.");
  std::optional<core::Scheme> scheme;
  Status st = ctx.db.read_only([&](core::Stores& s) -> Status {
    auto found = s.schemes.find(*id);
    if (!found) return found.status();
    scheme = std::move(found).value();
    return Status::ok();
  });
  if (!st) return st;
  if (!scheme) return Status::not_found("scheme_not_found", "There is no such scheme.");
  return *scheme;
}

struct UploadErrors {
  std::string kind, file;
  bool any() const { return !kind.empty() || !file.empty(); }
};

http::Response upload_form(const PageContext& ctx, const SignedIn& who, const core::Scheme& scheme, int status,
                           const std::string& kind, const UploadErrors& errors) {
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.format("page:import_title", {{"scheme", scheme.name}}), "/staff");
  FormView form(s);
  form.radios("kind", "page:field_import_kind", "page:hint_import_kind", kind_options(s), kind);
  if (!errors.kind.empty()) form.set_error("kind", errors.kind);
  data.set("fields", form.fields());
  km::data error_list = form.errors();
  if (!errors.file.empty()) {
    km::data e;
    e.set("anchor", "field-file");
    e.set("message", errors.file);
    error_list.push_back(e);
    data.set("file_error", errors.file);
  }
  data.set("error_list", error_list);
  data.set("has_errors", flag(errors.any()));
  data.set("action", href(ctx, import_path(scheme.id)));
  km::data templates{km::data::type::list};
  for (const FieldOption& o : kind_options(s)) {
    km::data t;
    t.set("href", href(ctx, "/staff/imports/" + o.value + "/template.csv"));
    t.set("label", s.format("page:import_template_link", {{"kind", o.label}}));
    templates.push_back(t);
  }
  data.set("templates", templates);
  data.set("max_rows", std::to_string(core::CsvLimits{}.max_rows));
  return render_page(ctx, status, "staff_import", data);
}

http::Response form_expired(const PageContext& ctx) {
  km::data data = page_data(ctx.renderer.strings().text("page:form_expired_title"), ctx.chrome);
  data.set("form_expired", km::data::type::bool_true);
  data.set("home_href", href(ctx, "/"));
  return render_page(ctx, 403, "refusal", data);
}

// The outcome's job, if `who` may see it: its owner, for this scheme.
// NotFound "import_not_found" otherwise.
core::Result<app::ImportOutcome> outcome_for(const PageContext& ctx, const SignedIn& who, std::int64_t schemeid,
                                             std::optional<std::int64_t> jobid) {
  const Status not_found =
      Status::not_found("import_not_found", "There is no such import, or it is no longer kept.");
  if (!jobid) return not_found;
  auto o = ctx.services.imports->find(*jobid);
  if (!o) return o.status();
  if (!*o || (*o)->ownerid != who.account.id || (*o)->schemeid != schemeid) return not_found;
  return std::move(**o);
}

std::string kind_label(const Strings& s, app::ImportKind k) {
  return s.text(std::string("page:import_kind_") + app::to_string(k));
}

}  // namespace

http::Response import_template(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  Access a = require_access(ctx, req, {cap::kSchemeManage});
  if (!a) return std::move(a.refusal);
  auto kind = app::parse_import_kind(p.get("kind"));
  if (!kind) return failure_page(ctx, Status::not_found("import_kind_unknown", "There is no such template."));
  http::Response res;
  res.status = 200;
  res.body = app::import_template_csv(*kind);
  res.set_header("Content-Type", "text/csv; charset=utf-8");
  res.set_header("Content-Disposition",
                 std::string("attachment; filename=\"") + app::to_string(*kind) + "-template.csv\"");
  res.set_header("Cache-Control", "no-store");
  apply_security_headers(res, ctx.policy);
  return res;
}

http::Response import_page(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (ctx.services.imports == nullptr)
    return failure_page(ctx, Status::unavailable("imports_unavailable", "Importing is not available."));
  Access a = require_access(ctx, req, {cap::kSchemeManage});
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  auto scheme = scheme_of(ctx, who, p.get("id"));
  if (!scheme) return failure_page(ctx, scheme.status());
  if (req.method != "POST") return upload_form(ctx, who, *scheme, 200, "", {});

  const Strings& s = ctx.renderer.strings();
  auto parts = parse_multipart(req.header("Content-Type"), req.body);
  if (!parts) return error_page(ErrorKind::kBadRequest, ctx.renderer, ctx.policy, ctx.chrome);
  // The token must come in the body, as with every form.
  const MultipartPart* csrf = find_part(*parts, "csrf_token");
  if (csrf == nullptr || !ctx.sessions.check_csrf(who, csrf->data)) return form_expired(ctx);

  const MultipartPart* kind_part = find_part(*parts, "kind");
  const std::string kind_text = kind_part ? kind_part->data : std::string();
  UploadErrors errors;
  auto kind = app::parse_import_kind(kind_text);
  if (!kind) errors.kind = s.text("page:error_import_kind_required");
  const MultipartPart* file = find_part(*parts, "file");
  if (file == nullptr || !file->is_file || file->filename.empty())
    errors.file = s.text("page:error_import_file_required");
  else if (file->data.empty())
    errors.file = s.text("page:error_import_file_empty");
  if (errors.any()) return upload_form(ctx, who, *scheme, 400, kind_text, errors);

  FormAccess claim;
  claim.signed_in = who;
  if (const MultipartPart* token = find_part(*parts, "form_token")) claim.fields.emplace_back("form_token", token->data);
  if (auto again = claim_form(ctx, claim)) return std::move(*again);

  app::ImportRequest request;
  request.kind = *kind;
  request.schemeid = scheme->id;
  request.csv = file->data;
  request.dry_run = true;
  request.ownerid = who.account.id;
  auto job = ctx.services.imports->start(std::move(request));
  if (!job) {
    // An empty or too large file is the file field's error.
    if (job.status().code() == core::Code::kInvalidArgument ||
        job.status().code() == core::Code::kResourceExhausted) {
      errors.file = job.status().message();
      return upload_form(ctx, who, *scheme, 400, kind_text, errors);
    }
    return failure_page(ctx, job.status());
  }
  return see_other(ctx, import_path(scheme->id) + "/" + std::to_string(job->id));
}

http::Response import_job(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (ctx.services.imports == nullptr || ctx.services.jobs == nullptr)
    return failure_page(ctx, Status::unavailable("imports_unavailable", "Importing is not available."));
  Access a = require_access(ctx, req, {cap::kSchemeManage});
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  auto scheme = scheme_of(ctx, who, p.get("id"));
  if (!scheme) return failure_page(ctx, scheme.status());
  auto jobid = parse_id(p.get("job"));
  auto outcome = outcome_for(ctx, who, scheme->id, jobid);
  if (!outcome) return failure_page(ctx, outcome.status());
  auto view = ctx.services.jobs->get(*jobid);
  if (!view) return failure_page(ctx, view.status());

  const Strings& s = ctx.renderer.strings();
  const std::string path = import_path(scheme->id) + "/" + std::to_string(*jobid);
  km::data data = signed_in_page_data(
      ctx, who,
      s.format(outcome->dry_run ? "page:import_preview_title" : "page:import_apply_title",
               {{"kind", kind_label(s, outcome->kind)}}),
      "/staff");
  data.set("scheme_name", scheme->name);
  data.set("again_href", href(ctx, import_path(scheme->id)));
  data.set("job_href", href(ctx, "/staff/jobs/" + std::to_string(*jobid)));
  if (!outcome->finished) {
    data.set("running", km::data::type::bool_true);
    data.set("progress_url", href(ctx, "/api/v1/jobs/" + std::to_string(*jobid)));
    data.set("max", std::to_string(view->job.total > 0 ? view->job.total : 1));
    data.set("value", std::to_string(view->job.total > 0 ? view->job.done : 0));
    data.set("percent", std::to_string(view->percent));
    data.set("status", view->job.message.empty() ? s.text("page:job_waiting") : view->job.message);
    data.set("self_href", href(ctx, path));
    return render_page(ctx, 200, "staff_import_result", data);
  }
  data.set("finished", km::data::type::bool_true);
  if (!outcome->report) {
    data.set("file_refused", outcome->failure.message());
    return render_page(ctx, 200, "staff_import_result", data);
  }
  const app::ImportReport& r = *outcome->report;
  data.set("summary", app::import_summary(r));
  data.set("rows_read", std::to_string(r.rows_read));
  data.set("created", std::to_string(r.created));
  data.set("updated", std::to_string(r.updated));
  data.set("unchanged", std::to_string(r.unchanged));
  data.set("error_count", std::to_string(r.error_count()));
  data.set("encoding", core::to_string(r.encoding));
  km::data errors{km::data::type::list};
  for (std::size_t i = 0; i < r.errors.size() && i < kPreviewErrors; ++i) {
    km::data e;
    e.set("row", std::to_string(r.errors[i].row));
    e.set("column", r.errors[i].column_name);
    e.set("message", r.errors[i].message);
    errors.push_back(e);
  }
  data.set("errors", errors);
  data.set("has_row_errors", flag(r.error_count() > 0));
  if (r.error_count() > std::min(r.errors.size(), kPreviewErrors))
    data.set("errors_not_listed",
             s.format("page:import_errors_not_listed",
                      {{"n", std::to_string(r.error_count() - std::min(r.errors.size(), kPreviewErrors))}}));
  km::data rows{km::data::type::list};
  for (std::size_t i = 0; i < r.rows.size() && i < kPreviewRows; ++i) {
    km::data d;
    d.set("row", std::to_string(r.rows[i].row));
    d.set("outcome", s.text(std::string("page:import_outcome_") + app::to_string(r.rows[i].outcome)));
    d.set("detail", r.rows[i].detail);
    rows.push_back(d);
  }
  data.set("rows", rows);
  data.set("has_rows", flag(!r.rows.empty()));
  if (r.rows_read > kPreviewRows)
    data.set("rows_caption", s.format("page:import_rows_caption_first", {{"n", std::to_string(kPreviewRows)},
                                                                         {"total", std::to_string(r.rows_read)}}));
  else
    data.set("rows_caption", s.text("page:import_rows_caption"));
  if (r.dry_run) {
    data.set("is_preview", km::data::type::bool_true);
    if (outcome->can_apply) {
      data.set("can_apply", km::data::type::bool_true);
      data.set("apply_action", href(ctx, path + "/apply"));
    }
    if (outcome->applied_by)
      data.set("applied_href", href(ctx, import_path(scheme->id) + "/" + std::to_string(*outcome->applied_by)));
  } else {
    data.set(r.applied ? "applied" : "not_applied", km::data::type::bool_true);
    data.set("participants_href", href(ctx, "/staff/schemes/" + std::to_string(scheme->id) + "/participants"));
  }
  return render_page(ctx, 200, "staff_import_result", data);
}

http::Response import_apply(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (ctx.services.imports == nullptr)
    return failure_page(ctx, Status::unavailable("imports_unavailable", "Importing is not available."));
  FormAccess f = require_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  auto scheme = scheme_of(ctx, who, p.get("id"));
  if (!scheme) return failure_page(ctx, scheme.status());
  auto jobid = parse_id(p.get("job"));
  if (auto outcome = outcome_for(ctx, who, scheme->id, jobid); !outcome) return failure_page(ctx, outcome.status());
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto job = ctx.services.imports->apply(*jobid, who.account.id);
  if (!job) {
    if (job.status().code() == core::Code::kFailedPrecondition || job.status().code() == core::Code::kNotFound)
      return see_other(ctx, import_path(scheme->id) + "/" + std::to_string(*jobid));
    return failure_page(ctx, job.status());
  }
  return see_other(ctx, import_path(scheme->id) + "/" + std::to_string(job->id));
}

}  // namespace mentoring::web::pages
