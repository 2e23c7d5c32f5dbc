#include "adapters/export/certificate.h"

#include <algorithm>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "core/text.h"

namespace mentoring::exports {
namespace {

using core::Result;
using core::Status;

// A4 in PostScript points.
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.0;
constexpr std::size_t kMaxText = 200;

// NHS blue (#005EB8) and NHS black (#212B32), from the NHS identity colours.
constexpr double kBlue[3] = {0.0, 0.369, 0.722};
constexpr double kInk[3] = {0.129, 0.169, 0.196};

Status check_text(const std::string& text, const char* field, bool required, const char* required_reason) {
  if (required && core::trim(text).empty()) {
    return Status::invalid(required_reason, "This part of the certificate is required.", field);
  }
  if (!core::is_valid_utf8_text(text)) {
    return Status::invalid("certificate_text_invalid",
                           "Certificate text must be UTF-8 on one line without control characters.", field);
  }
  if (text.size() > kMaxText) {
    return Status::invalid("certificate_text_too_long",
                           "Certificate text must be at most 200 bytes.", field);
  }
  return Status::ok();
}

Status validate(const CpdCertificate& c) {
  MENTORING_RETURN_IF_ERROR(check_text(c.mentor_name, "mentor_name", true, "certificate_name_required"));
  MENTORING_RETURN_IF_ERROR(check_text(c.scheme_name, "scheme_name", true, "certificate_scheme_required"));
  MENTORING_RETURN_IF_ERROR(check_text(c.issuer, "issuer", true, "certificate_issuer_required"));
  MENTORING_RETURN_IF_ERROR(check_text(c.signatory_name, "signatory_name", false, ""));
  MENTORING_RETURN_IF_ERROR(check_text(c.signatory_role, "signatory_role", false, ""));
  if (c.certificate_id.empty() || c.certificate_id.size() > 64 ||
      !core::is_printable_ascii(c.certificate_id)) {
    return Status::invalid("certificate_id_invalid",
                           "The certificate id must be 1 to 64 printable ASCII characters.",
                           "certificate_id");
  }
  if (c.period_end < c.period_start) {
    return Status::invalid("certificate_period_out_of_order",
                           "The period ends before it starts.", "period_end");
  }
  if (c.issued_on < c.period_start) {
    return Status::invalid("certificate_issued_before_period",
                           "A certificate cannot be issued before the period it covers.", "issued_on");
  }
  if (!std::isfinite(c.hours) || c.hours <= 0 || c.hours > kMaxCertificateHours) {
    return Status::invalid("certificate_hours_out_of_range",
                           "Hours must be more than 0 and at most 1000.", "hours");
  }
  if (c.sessions < 1 || c.sessions > kMaxCertificateSessions) {
    return Status::invalid("certificate_sessions_out_of_range",
                           "Sessions must be between 1 and 1000.", "sessions");
  }
  return Status::ok();
}

cairo_status_t append_to_vector(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

struct SurfaceDeleter { void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); } };
struct ContextDeleter { void operator()(cairo_t* c) const { cairo_destroy(c); } };
struct LayoutDeleter { void operator()(PangoLayout* l) const { g_object_unref(l); } };
struct FontDeleter { void operator()(PangoFontDescription* f) const { pango_font_description_free(f); } };

// Draws one block of centred, wrapped text at `y` inside a structure tag
// (H1, P, ...) so the PDF's reading order and roles survive for assistive
// technology. Returns the y below the block.
double paragraph(cairo_t* cr, const char* tag, const std::string& text, const char* font,
                 const double* colour, double y, double space_after) {
  std::unique_ptr<PangoLayout, LayoutDeleter> layout(pango_cairo_create_layout(cr));
  // Pango assumes 96 dpi; the PDF's user unit is the point (1/72 inch), so
  // without this every font would come out a third larger than asked.
  pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72.0);
  pango_layout_context_changed(layout.get());
  std::unique_ptr<PangoFontDescription, FontDeleter> desc(pango_font_description_from_string(font));
  pango_layout_set_font_description(layout.get(), desc.get());
  pango_layout_set_width(layout.get(), static_cast<int>((kPageWidth - 2 * kMargin - 40) * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
  // Plain text, never markup: names come from users.
  pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
  int width = 0;
  int height = 0;
  pango_layout_get_size(layout.get(), &width, &height);
  cairo_tag_begin(cr, tag, nullptr);
  cairo_set_source_rgb(cr, colour[0], colour[1], colour[2]);
  cairo_move_to(cr, kMargin + 20, y);
  pango_cairo_show_layout(cr, layout.get());
  cairo_tag_end(cr, tag);
  return y + static_cast<double>(height) / PANGO_SCALE + space_after;
}

std::string plural(long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string format_hours(double hours) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", hours);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + (s == "1" ? " hour" : " hours");
}

std::string format_long_date(core::Date date) {
  static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
  return std::to_string(date.day()) + " " + kMonths[date.month() - 1] + " " + std::to_string(date.year());
}

Result<std::vector<std::uint8_t>> render_certificate_pdf(const CpdCertificate& c) {
  MENTORING_RETURN_IF_ERROR(validate(c));
  std::vector<std::uint8_t> pdf;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(append_to_vector, &pdf, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::internal("certificate_render_failed", "The PDF surface could not be created.");
  }
  const std::string title = "CPD certificate: " + c.mentor_name;
  // Fixed dates (the issue date) rather than the time of rendering, so the
  // same certificate always gives the same document information.
  const std::string issued = c.issued_on.to_string() + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, c.issuer.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT,
                                 "Continuing professional development: mentoring");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Mentoring plugin");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, issued.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, issued.c_str());

  std::unique_ptr<cairo_t, ContextDeleter> context(cairo_create(surface.get()));
  cairo_t* cr = context.get();

  // Frame: decoration only, outside the tagged content.
  cairo_set_source_rgb(cr, kBlue[0], kBlue[1], kBlue[2]);
  cairo_set_line_width(cr, 4);
  cairo_rectangle(cr, kMargin / 2, kMargin / 2, kPageWidth - kMargin, kPageHeight - kMargin);
  cairo_stroke(cr);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, kMargin / 2 + 8, kMargin / 2 + 8, kPageWidth - kMargin - 16, kPageHeight - kMargin - 16);
  cairo_stroke(cr);

  cairo_tag_begin(cr, "Document", nullptr);
  double y = kMargin + 40;
  y = paragraph(cr, "P", c.issuer, "Sans Bold 14", kBlue, y, 36);
  y = paragraph(cr, "H1", "Certificate of continuing professional development", "Serif Bold 26", kInk, y, 36);
  y = paragraph(cr, "P", "This is to certify that", "Sans 13", kInk, y, 14);
  y = paragraph(cr, "H2", c.mentor_name, "Serif Bold 24", kBlue, y, 14);
  y = paragraph(cr, "P", "has acted as a mentor in the " + c.scheme_name, "Sans 13", kInk, y, 8);
  y = paragraph(cr, "P",
                "from " + format_long_date(c.period_start) + " to " + format_long_date(c.period_end),
                "Sans 13", kInk, y, 30);
  y = paragraph(cr, "P",
                "Mentoring: " + format_hours(c.hours) + " over " + plural(c.sessions, "session", "sessions"),
                "Sans Bold 16", kInk, y, 30);
  y = paragraph(cr, "P",
                "Mentoring others is recognised as continuing professional development. "
                "Reflect on this activity in your appraisal portfolio.",
                "Sans 11", kInk, y, 40);
  if (!c.signatory_name.empty()) {
    std::string signed_by = "Signed: " + c.signatory_name;
    if (!c.signatory_role.empty()) signed_by += ", " + c.signatory_role;
    y = paragraph(cr, "P", signed_by, "Sans 12", kInk, y, 8);
  }
  y = paragraph(cr, "P", "Issued by " + c.issuer + " on " + format_long_date(c.issued_on), "Sans 11",
                kInk, y, 8);
  paragraph(cr, "P", "Certificate ID: " + c.certificate_id, "Sans 11", kInk, y, 0);
  cairo_tag_end(cr, "Document");

  cairo_show_page(cr);
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    return Status::internal("certificate_render_failed", "The certificate could not be drawn.");
  }
  context.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::internal("certificate_render_failed", "The certificate PDF could not be written.");
  }
  surface.reset();
  return pdf;
}

CpdCertificate certificate_of(const app::CpdCertificateFacts& facts) {
  CpdCertificate c;
  c.mentor_name = facts.mentor_name;
  c.scheme_name = facts.scheme_name;
  c.period_start = facts.period_start;
  c.period_end = facts.period_end;
  c.hours = facts.hours;
  c.sessions = facts.entries;
  c.issuer = facts.scheme_name;
  std::string end = facts.period_end.to_string();
  end.erase(std::remove(end.begin(), end.end(), '-'), end.end());
  c.certificate_id = "CPD-" + std::to_string(facts.accountid) + "-" + end;
  c.issued_on = facts.issued_on;
  return c;
}

}  // namespace mentoring::exports
