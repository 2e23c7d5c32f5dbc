#include <algorithm>
#include <boost/json.hpp>
#include <variant>

#include "adapters/api/audit_support.h"
#include "adapters/api/codec.h"
#include "adapters/api/json_fields.h"
#include "adapters/api/privacy_api.h"
#include "adapters/api/setup_codec.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

boost::json::object to_json(const app::PersonalDataExport& e) {
  json::object tables;
  for (const auto& t : e.tables) {
    json::array rows;
    for (const auto& r : t.rows) {
      json::object row;
      for (const auto& [name, value] : r.columns) {
        std::visit(
            [&](const auto& v) {
              using T = std::decay_t<decltype(v)>;
              if constexpr (std::is_same_v<T, std::monostate>)
                row[name] = nullptr;
              else
                row[name] = v;
            },
            value);
      }
      rows.push_back(std::move(row));
    }
    tables[t.table] = std::move(rows);
  }
  json::object out{{"account", to_json(e.account)}, {"tables", std::move(tables)}};
  if (e.demographics) {
    json::object answers;
    for (const auto& [name, answer] : *e.demographics) answers[name] = answer;
    out["demographics"] = std::move(answers);
  } else {
    out["demographics"] = nullptr;
  }
  out["demographics_unreadable"] = e.demographics_unreadable;
  return out;
}

void add_privacy_routes(http::Router& router, const PrivacyApiContext& ctx) {
  add_service_route(router, ctx.service_token, "GET", "/api/v1/accounts/{id}/export",
                    [&ctx](const Request&, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto exported = ctx.privacy.export_account(*id, actor);
                      if (!exported) return http::error_response(exported.status());
                      Response res = http::json_response(200, to_json(*exported));
                      res.set_header("Content-Disposition",
                                     "attachment; filename=\"account-" + std::to_string(*id) + "-export.json\"");
                      return res;
                    });
  add_service_route(
      router, ctx.service_token, "POST", "/api/v1/accounts/{id}/erase",
      [&ctx](const Request& req, const PathParams& p, const core::Actor& actor) {
        auto id = p.get_int64("id");
        if (!id) return http::error_response(id.status());
        auto body = http::parse_json_object_body(req, 2);
        if (!body) return http::error_response(body.status());
        if (Status st = unknown_fields(*body, {"confirm"}); !st) return http::error_response(st);
        const json::value* confirm = body->if_contains("confirm");
        if (!confirm || !confirm->is_bool() || !confirm->as_bool())
          return http::error_response(Status::invalid(
              "erase_not_confirmed", "Send {\"confirm\": true} to erase the account's personal data.", "confirm"));
        auto counts = ctx.privacy.erase(*id, actor);
        if (!counts) return http::error_response(counts.status());
        json::object tables;
        for (const auto& [table, n] : counts->tables) tables[table] = n;
        return http::json_response(200,
                                   json::object{{"accountid", *id}, {"erased", true}, {"tables", std::move(tables)}});
      });
  add_service_route(
      router, ctx.service_token, "GET", "/api/v1/accounts/{id}/cpd/certificate.pdf",
      [&ctx](const Request& req, const PathParams& p, const core::Actor& actor) {
        auto id = p.get_int64("id");
        if (!id) return http::error_response(id.status());
        auto scheme = id_from_query(req.query_param("schemeid"), "schemeid");
        if (!scheme) return http::error_response(scheme.status());
        auto from = date_from_query(req.query_param("from"), "from");
        if (!from) return http::error_response(from.status());
        auto to = date_from_query(req.query_param("to"), "to");
        if (!to) return http::error_response(to.status());
        const std::string issuer(req.query_param("issuer"));
        const std::string signatory_name(req.query_param("signatory_name"));
        const std::string signatory_role(req.query_param("signatory_role"));
        if (!ctx.render_certificate)
          return http::error_response(
              Status::unavailable("certificate_unavailable", "PDF certificates are not available in this build."));
        auto facts = ctx.training.certificate_facts(*id, *scheme, *from, *to, actor);
        if (!facts) return http::error_response(facts.status());
        exports::CpdCertificate c = exports::certificate_of(*facts);
        if (!issuer.empty()) c.issuer = issuer;
        c.signatory_name = signatory_name;
        c.signatory_role = signatory_role;
        auto pdf = ctx.render_certificate(c);
        if (!pdf) return http::error_response(pdf.status());
        Response res;
        res.status = 200;
        res.body.assign(pdf->begin(), pdf->end());
        res.set_header("Content-Type", "application/pdf");
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition", "attachment; filename=\"" + c.certificate_id + ".pdf\"");
        return res;
      });
}

}  // namespace mentoring::api
