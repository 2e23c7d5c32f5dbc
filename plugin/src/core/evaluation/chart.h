// Accessible SVG charts for the evaluation report, as markup text for pages
// to embed. Each chart has a <title> and a <desc> (referenced by
// aria-labelledby, with role="img"), and comes with an HTML table of the same
// figures to show beside it, so the numbers never exist only as shapes.
// Every piece of text is XML-escaped here: labels come from staff and
// participants (question text, exam names).
//
// Pure functions: no I/O, the same input gives the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mentoring::core::evaluation {

// &, <, >, " and ' as entities; bytes that are not allowed in XML 1.0 (C0
// controls other than tab, LF and CR) are dropped.
std::string xml_escape(std::string_view text);

struct ChartMarkup {
  std::string svg;    // <svg ...>...</svg>
  std::string table;  // <table>...</table> with a caption and header cells
  // Both, in a <figure> with the title as its <figcaption>.
  std::string figure() const;
};

struct Bar {
  std::string label;
  std::optional<double> value;  // absent: withheld (drawn as a labelled gap)
};

struct BarChart {
  std::string id;     // [a-z0-9-] prefix for element ids, unique on the page
  std::string title;  // "ARCP outcomes, August 2026"
  std::string description;
  std::string value_heading = "Value";  // the table's value column
  std::vector<Bar> bars;
};

// Horizontal bars scaled to the largest value. Withheld bars show the word
// "withheld" and no bar.
ChartMarkup render_bar_chart(const BarChart& chart);

struct Interval {
  std::string label;
  std::optional<double> estimate;  // absent: withheld
  double low = 0;
  double high = 0;
};

struct IntervalChart {
  std::string id;
  std::string title;  // "Change from baseline (95% CI)"
  std::string description;
  std::vector<Interval> rows;
};

// A point with a horizontal confidence interval per row, around a zero line.
ChartMarkup render_interval_chart(const IntervalChart& chart);

}  // namespace mentoring::core::evaluation
