// Bulk CSV import and export under /api/v1 (app/bulk_import.h):
//   GET  /api/v1/imports/{kind}/template        the header row to fill in
//   POST /api/v1/imports/{kind}?dry_run=true    preview: per-row outcome and errors, nothing written
//   POST /api/v1/imports/{kind}                 apply: all rows in one transaction, or nothing
//   GET  /api/v1/exports/{kind}?cohortid=|schemeid=   the same columns, formula-safe
// {kind} is mentees, mentors or training. See docs/api.md.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "adapters/http/router.h"
#include "app/bulk_import.h"

namespace mentoring::api {

struct ImportApiContext {
  app::BulkImportService& imports;
  std::string service_token;
  // Limits on an uploaded file; the HTTP body limit (http.max_body_bytes)
  // applies first.
  core::CsvLimits limits;
};

boost::json::object to_json(const app::ImportReport& r);

void add_import_routes(http::Router& router, const ImportApiContext& ctx);

}  // namespace mentoring::api
