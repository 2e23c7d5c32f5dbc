// A person's data under /api/v1: the subject access export, erasure, and
// the CPD certificate (app/privacy.h, app/setup_training.h). See
// docs/api.md and docs/privacy.md.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapters/export/certificate.h"
#include "adapters/http/router.h"
#include "app/privacy.h"
#include "app/setup_training.h"

namespace mentoring::api {

// Renders a certificate as PDF bytes: exports::render_certificate_pdf in the
// plugin; the API library does not link the PDF renderer itself.
using CertificateRenderer =
    std::function<core::Result<std::vector<std::uint8_t>>(const exports::CpdCertificate& certificate)>;

struct PrivacyApiContext {
  app::PrivacyService& privacy;
  app::TrainingService& training;
  CertificateRenderer render_certificate;
  std::string service_token;
};

boost::json::object to_json(const app::PersonalDataExport& e);

// GET /api/v1/accounts/{id}/export, POST /api/v1/accounts/{id}/erase,
// GET /api/v1/accounts/{id}/cpd/certificate.pdf.
void add_privacy_routes(http::Router& router, const PrivacyApiContext& ctx);

}  // namespace mentoring::api
