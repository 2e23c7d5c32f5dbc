#include "core/evaluation/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mentoring::core::evaluation {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

namespace {

constexpr double kWidth = 640;
constexpr double kLabelWidth = 220;
constexpr double kRowHeight = 28;
constexpr double kTop = 10;
constexpr double kPlotWidth = kWidth - kLabelWidth - 80;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

// Element ids: only [a-z0-9-], so the id needs no escaping in attributes.
std::string safe_id(const std::string& id) {
  std::string out;
  for (char c : id)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') out += c;
  return out.empty() ? "chart" : out;
}

std::string open_svg(const std::string& id, const std::string& title, const std::string& desc, double height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " + num(kWidth) + " " + num(height) +
         "\" width=\"" + num(kWidth) + "\" height=\"" + num(height) + "\" aria-labelledby=\"" + id + "-title " + id +
         "-desc\"><title id=\"" + id + "-title\">" + xml_escape(title) + "</title><desc id=\"" + id + "-desc\">" +
         xml_escape(desc) + "</desc>";
}

std::string table(const std::string& title, const std::vector<std::string>& headings,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><caption>" + xml_escape(title) + "</caption><thead><tr>";
  for (const auto& h : headings) out += "<th scope=\"col\">" + xml_escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& r : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < r.size(); ++i)
      out += (i == 0 ? "<th scope=\"row\">" : "<td>") + xml_escape(r[i]) + (i == 0 ? "</th>" : "</td>");
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string text_at(double x, double y, const std::string& text, const char* anchor = "start") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">" + xml_escape(text) +
         "</text>";
}

}  // namespace

std::string ChartMarkup::figure() const {
  // The SVG's own title is its accessible name; the caption shows it on the page.
  const auto start = svg.find("<title");
  const auto open_end = svg.find('>', start);
  const auto close = svg.find("</title>");
  std::string caption;
  if (start != std::string::npos && open_end != std::string::npos && close != std::string::npos)
    caption = svg.substr(open_end + 1, close - open_end - 1);  // already escaped
  return "<figure><figcaption>" + caption + "</figcaption>" + svg + table + "</figure>";
}

ChartMarkup render_bar_chart(const BarChart& chart) {
  const std::string id = safe_id(chart.id);
  double max = 0;
  for (const auto& b : chart.bars)
    if (b.value && std::isfinite(*b.value)) max = std::max(max, *b.value);
  const double height = kTop * 2 + kRowHeight * static_cast<double>(chart.bars.size());
  ChartMarkup out;
  out.svg = open_svg(id, chart.title, chart.description, height);
  out.svg += "<g font-family=\"sans-serif\" font-size=\"13\" fill=\"#212b32\">";
  std::vector<std::vector<std::string>> rows;
  double y = kTop;
  for (const auto& b : chart.bars) {
    const double text_y = y + kRowHeight * 0.65;
    out.svg += text_at(kLabelWidth - 8, text_y, b.label, "end");
    if (b.value && std::isfinite(*b.value)) {
      const double w = max > 0 ? std::max(0.0, *b.value) / max * kPlotWidth : 0;
      out.svg += "<rect x=\"" + num(kLabelWidth) + "\" y=\"" + num(y + 4) + "\" width=\"" + num(w) + "\" height=\"" +
                 num(kRowHeight - 8) + "\" fill=\"#005eb8\"/>";
      out.svg += text_at(kLabelWidth + w + 6, text_y, num(*b.value));
      rows.push_back({b.label, num(*b.value)});
    } else {
      out.svg += text_at(kLabelWidth + 6, text_y, "withheld");
      rows.push_back({b.label, "withheld"});
    }
    y += kRowHeight;
  }
  out.svg += "</g></svg>";
  out.table = table(chart.title, {"", chart.value_heading}, rows);
  return out;
}

ChartMarkup render_interval_chart(const IntervalChart& chart) {
  const std::string id = safe_id(chart.id);
  double extent = 0;
  for (const auto& r : chart.rows)
    if (r.estimate && std::isfinite(r.low) && std::isfinite(r.high))
      extent = std::max({extent, std::fabs(r.low), std::fabs(r.high), std::fabs(*r.estimate)});
  if (extent == 0) extent = 1;
  const double zero_x = kLabelWidth + kPlotWidth / 2;
  auto x_of = [&](double v) { return zero_x + v / extent * (kPlotWidth / 2); };
  const double height = kTop * 2 + kRowHeight * static_cast<double>(chart.rows.size());
  ChartMarkup out;
  out.svg = open_svg(id, chart.title, chart.description, height);
  out.svg += "<g font-family=\"sans-serif\" font-size=\"13\" fill=\"#212b32\">";
  out.svg += "<line x1=\"" + num(zero_x) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(zero_x) + "\" y2=\"" +
             num(height - kTop) + "\" stroke=\"#768692\" stroke-dasharray=\"4 3\"/>";
  std::vector<std::vector<std::string>> rows;
  double y = kTop;
  for (const auto& r : chart.rows) {
    const double mid = y + kRowHeight / 2;
    out.svg += text_at(kLabelWidth - 8, y + kRowHeight * 0.65, r.label, "end");
    if (r.estimate && std::isfinite(*r.estimate) && std::isfinite(r.low) && std::isfinite(r.high)) {
      out.svg += "<line x1=\"" + num(x_of(r.low)) + "\" y1=\"" + num(mid) + "\" x2=\"" + num(x_of(r.high)) +
                 "\" y2=\"" + num(mid) + "\" stroke=\"#005eb8\" stroke-width=\"2\"/>";
      out.svg += "<circle cx=\"" + num(x_of(*r.estimate)) + "\" cy=\"" + num(mid) + "\" r=\"5\" fill=\"#005eb8\"/>";
      rows.push_back({r.label, num(*r.estimate), num(r.low), num(r.high)});
    } else {
      out.svg += text_at(zero_x + 6, y + kRowHeight * 0.65, "withheld");
      rows.push_back({r.label, "withheld", "", ""});
    }
    y += kRowHeight;
  }
  out.svg += "</g></svg>";
  out.table = table(chart.title, {"", "Estimate", "Lower limit", "Upper limit"}, rows);
  return out;
}

}  // namespace mentoring::core::evaluation
