// Small-number suppression for published tables of counts, such as
// enrolment, match rate and outcomes by demographic group (toolkit,
// "Demographic information ... to monitor and develop equity of access").
// A group of three doctors in a deanery can be identifiable, so counts
// below a threshold are withheld (primary suppression), and further cells
// are withheld (secondary suppression) so a withheld count cannot be worked
// out again by subtracting the published cells from a published total.
//
// The published values carry no trace of a withheld count: a suppressed
// PublishedCount has no value at all, so a page cannot print it by mistake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/evaluation/statistics.h"
#include "core/status.h"

namespace mentoring::core::evaluation {

struct SuppressionOptions {
  // Counts from 1 to threshold - 1 are withheld. Default: 10, the rule many
  // NHS and HEE publications follow for small numbers. Must be at least 1
  // (1 switches primary suppression off). Zero is published: a zero count
  // cannot describe a person, and withholding zeros would not protect the
  // others in their row because a total of the remaining cells gives them away.
  std::int64_t threshold = 10;
};

enum class Suppression {
  kNone,       // published
  kPrimary,    // withheld because it is a small number
  kSecondary,  // withheld so that a primary cell cannot be recovered
};
// "none", "primary", "secondary".
const char* to_string(Suppression s);

struct PublishedCount {
  std::optional<std::int64_t> value;  // absent when suppressed
  Suppression suppression = Suppression::kNone;
  bool published() const { return suppression == Suppression::kNone; }
};

// ---------------------------------------------------------------------------
// One-way tables: counts by group plus their total.

struct PublishedCounts {
  std::vector<std::string> labels;
  std::vector<PublishedCount> cells;
  PublishedCount total;
};

// Primary suppression of small counts (including a small total). When a
// published total leaves exactly one cell withheld, the smallest other
// non-zero cell is withheld too (a zero only when nothing else is left, and
// the total when there is no other cell at all).
// Reasons: disclosure_empty_table, disclosure_label_count_mismatch,
// disclosure_negative_count, disclosure_threshold_invalid.
Result<PublishedCounts> suppress_counts(const std::vector<std::string>& labels,
                                        const std::vector<std::int64_t>& counts,
                                        const SuppressionOptions& options = {});

// ---------------------------------------------------------------------------
// Two-way tables: counts by group (rows) and category (columns), with row
// totals, column totals and a grand total, all of which are published unless
// suppressed.

struct CountTable {
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<std::int64_t>> counts;  // counts[row][column]
};

struct PublishedTable {
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<PublishedCount>> cells;  // cells[row][column]
  std::vector<PublishedCount> row_totals;
  std::vector<PublishedCount> column_totals;
  PublishedCount grand_total;
};

// Treats the table with its margins as an (r+1) x (c+1) grid in which every
// line (a row with its row total, a column with its column total, the row of
// column totals with the grand total, the column of row totals with the
// grand total) is a linear equation. Then:
//  1. primary: withhold every entry (cell or total) from 1 to threshold - 1;
//  2. secondary: while some line has exactly one withheld entry, withhold the
//     smallest non-zero published entry of that line, preferring one whose
//     crossing line already has a withheld entry (so that one extra cell
//     protects two lines);
//  3. audit: for every withheld entry, check by Gaussian elimination whether
//     the published entries determine it (it lies in the span of the line
//     equations); if one is determined, withhold the smallest published entry
//     of a line through it and repeat from 2.
// Because a two-way table's equations form a totally unimodular system, an
// entry that linear algebra leaves free can move by +-1 along a cycle of
// withheld entries; when those entries are all non-zero (the only case
// secondary suppression allows unless a line has nothing else) that keeps
// every count non-negative, so at least three values remain possible.
// Reasons: disclosure_empty_table, disclosure_label_count_mismatch,
// disclosure_ragged_table, disclosure_negative_count,
// disclosure_threshold_invalid.
Result<PublishedTable> suppress_table(const CountTable& table,
                                      const SuppressionOptions& options = {});

// Entries of `table` whose value the published entries of `published`
// determine exactly by the line equations, as (row, column) in the extended
// grid (row == rows means the column-totals row, column == columns the
// row-totals column). Empty for every result of suppress_table; exposed so
// reports can audit a table before it goes out.
std::vector<std::pair<std::size_t, std::size_t>> determined_entries(const PublishedTable& published);

// ---------------------------------------------------------------------------
// Rates by group (match rate, retention, uptake): numerator out of
// denominator in each group. The rate is computed only from published
// counts: the group x {yes, no} table is suppressed as a two-way table (so
// the "no" count, which the page does not show but which denominator minus
// numerator would reveal, is protected too), and a group's rate is given
// only when its numerator and denominator are both published.

struct GroupCounts {
  std::string group;
  std::int64_t numerator = 0;    // e.g. matched
  std::int64_t denominator = 0;  // e.g. enrolled
};

struct PublishedRate {
  std::string group;
  PublishedCount numerator;
  PublishedCount denominator;
  std::optional<Proportion> rate;  // Wilson interval; absent when withheld or denominator 0
};

struct PublishedRates {
  std::vector<PublishedRate> groups;
  PublishedRate overall;  // group "all"
};

// Reasons: those of suppress_table, plus disclosure_numerator_exceeds_denominator.
Result<PublishedRates> suppress_rates(const std::vector<GroupCounts>& groups,
                                      const SuppressionOptions& options = {},
                                      double confidence = kDefaultConfidence);

}  // namespace mentoring::core::evaluation
