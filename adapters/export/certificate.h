// CPD certificates for mentors: evidence of mentoring activity for
// appraisal and revalidation (toolkit, "What support is needed to recruit
// and retain mentors?"). One A4 page, rendered with cairo and pango as a
// tagged PDF whose text is real text (searchable, readable by screen
// readers and by pdftotext), with document metadata set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/setup_training.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::exports {

struct CpdCertificate {
  std::string mentor_name;      // as it should appear, e.g. "Dr Aisha Okafor"
  std::string scheme_name;      // e.g. "North West Foundation Mentoring Scheme"
  core::Date period_start;      // the mentoring the certificate covers
  core::Date period_end;
  double hours = 0;             // mentoring hours, > 0; printed to at most 2 decimals
  int sessions = 0;             // meetings held, >= 1
  std::string issuer;           // the organisation, e.g. "NHS England North West"
  std::string certificate_id;   // printable ASCII, e.g. "CPD-2026-000123"
  core::Date issued_on;
  std::string signatory_name;   // optional, e.g. "Dr Sam Patel"
  std::string signatory_role;   // optional, e.g. "Scheme lead"
};

inline constexpr double kMaxCertificateHours = 1000;
inline constexpr int kMaxCertificateSessions = 1000;

// Reasons (invalid argument): certificate_name_required,
// certificate_scheme_required, certificate_issuer_required,
// certificate_text_invalid, certificate_text_too_long,
// certificate_id_invalid, certificate_period_out_of_order,
// certificate_issued_before_period, certificate_hours_out_of_range,
// certificate_sessions_out_of_range. certificate_render_failed (internal)
// when cairo reports an error.
core::Result<std::vector<std::uint8_t>> render_certificate_pdf(const CpdCertificate& certificate);

// "12.5 hours", "1 hour", "0.75 hours": the wording the certificate uses.
std::string format_hours(double hours);
// "5 August 2026".
std::string format_long_date(core::Date date);

// The certificate for what the training service found: issued by the scheme,
// with a number stable for one account and period ("CPD-<account>-<yyyymmdd>"
// of the period's end), so a certificate downloaded twice carries one number.
// No signatory; callers may set one and another issuer.
CpdCertificate certificate_of(const app::CpdCertificateFacts& facts);

}  // namespace mentoring::exports
