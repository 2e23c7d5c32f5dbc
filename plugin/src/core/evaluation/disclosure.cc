#include "core/evaluation/disclosure.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>

namespace mentoring::core::evaluation {
namespace {

Status check_threshold(const SuppressionOptions& options) {
  if (options.threshold < 1) {
    return Status::invalid("disclosure_threshold_invalid",
                           "The small-number threshold must be at least 1.", "threshold");
  }
  return Status::ok();
}

bool is_small(std::int64_t count, const SuppressionOptions& options) {
  return count >= 1 && count < options.threshold;
}

PublishedCount publish(std::int64_t value, Suppression s) {
  PublishedCount p;
  p.suppression = s;
  if (s == Suppression::kNone) p.value = value;
  return p;
}

// The table with its margins as an (rows + 1) x (columns + 1) grid. Entry
// (i, columns) is row i's total, (rows, j) column j's total, (rows, columns)
// the grand total. Every line of the grid is one equation: its ordinary
// entries add up to its last entry.
class Grid {
 public:
  Grid(const std::vector<std::vector<std::int64_t>>& counts, std::size_t columns)
      : rows_(counts.size()), columns_(columns), values_((rows_ + 1) * (columns_ + 1), 0),
        state_(values_.size(), Suppression::kNone) {
    for (std::size_t i = 0; i < rows_; ++i) {
      for (std::size_t j = 0; j < columns_; ++j) {
        const std::int64_t v = counts[i][j];
        at(i, j) = v;
        at(i, columns_) += v;
        at(rows_, j) += v;
        at(rows_, columns_) += v;
      }
    }
  }

  std::size_t height() const { return rows_ + 1; }
  std::size_t width() const { return columns_ + 1; }
  std::int64_t& at(std::size_t i, std::size_t j) { return values_[i * width() + j]; }
  std::int64_t value(std::size_t i, std::size_t j) const { return values_[i * width() + j]; }
  Suppression& state(std::size_t i, std::size_t j) { return state_[i * width() + j]; }
  Suppression state(std::size_t i, std::size_t j) const { return state_[i * width() + j]; }
  bool withheld(std::size_t i, std::size_t j) const { return state(i, j) != Suppression::kNone; }

  // Line k: k < height() is row k, otherwise column k - height().
  std::size_t line_count() const { return height() + width(); }
  std::vector<std::pair<std::size_t, std::size_t>> line(std::size_t k) const {
    std::vector<std::pair<std::size_t, std::size_t>> entries;
    if (k < height()) {
      for (std::size_t j = 0; j < width(); ++j) entries.emplace_back(k, j);
    } else {
      for (std::size_t i = 0; i < height(); ++i) entries.emplace_back(i, k - height());
    }
    return entries;
  }
  std::size_t withheld_in_line(std::size_t k) const {
    std::size_t n = 0;
    for (auto [i, j] : line(k)) n += withheld(i, j) ? 1 : 0;
    return n;
  }
  // The other line through entry (i, j), seen from line k.
  std::size_t crossing_line(std::size_t k, std::size_t i, std::size_t j) const {
    return k < height() ? height() + j : i;
  }

  // The published entry of line k to withhold next: non-zero before zero
  // (a withheld zero is pinned by non-negativity and protects little), then
  // one whose crossing line already has a withheld entry, then the smallest.
  std::optional<std::pair<std::size_t, std::size_t>> pick_in_line(std::size_t k) const {
    std::optional<std::pair<std::size_t, std::size_t>> best;
    auto key = [&](std::size_t i, std::size_t j) {
      const std::int64_t v = value(i, j);
      const bool crossing_has = withheld_in_line(crossing_line(k, i, j)) > 0;
      return std::make_tuple(v == 0 ? 1 : 0, crossing_has ? 0 : 1, v);
    };
    for (auto [i, j] : line(k)) {
      if (withheld(i, j)) continue;
      if (!best || key(i, j) < key(best->first, best->second)) best = std::make_pair(i, j);
    }
    return best;
  }

  std::optional<std::pair<std::size_t, std::size_t>> pick_anywhere() const {
    std::optional<std::pair<std::size_t, std::size_t>> best;
    for (std::size_t i = 0; i < height(); ++i) {
      for (std::size_t j = 0; j < width(); ++j) {
        if (withheld(i, j)) continue;
        auto key = [&](std::size_t a, std::size_t b) { return std::make_pair(value(a, b) == 0, value(a, b)); };
        if (!best || key(i, j) < key(best->first, best->second)) best = std::make_pair(i, j);
      }
    }
    return best;
  }

  // Withheld entries that the line equations determine from the published
  // ones: entry k is determined exactly when the unit vector e_k lies in the
  // row space of the equations restricted to the withheld entries, which in
  // reduced row echelon form means k is a pivot column whose row has no
  // other non-zero coefficient.
  std::vector<std::pair<std::size_t, std::size_t>> determined() const {
    std::vector<std::pair<std::size_t, std::size_t>> unknowns;
    for (std::size_t i = 0; i < height(); ++i) {
      for (std::size_t j = 0; j < width(); ++j) {
        if (withheld(i, j)) unknowns.emplace_back(i, j);
      }
    }
    const std::size_t n = unknowns.size();
    if (n == 0) return {};
    std::vector<std::vector<double>> a;
    for (std::size_t k = 0; k < line_count(); ++k) {
      std::vector<double> row(n, 0.0);
      bool any = false;
      for (std::size_t u = 0; u < n; ++u) {
        const auto [i, j] = unknowns[u];
        const bool in_line = k < height() ? i == k : j == k - height();
        if (!in_line) continue;
        // The last entry of a line is its total: it sits on the other side
        // of the equation.
        const bool is_total = k < height() ? j == columns_ : i == rows_;
        row[u] = is_total ? -1.0 : 1.0;
        any = true;
      }
      if (any) a.push_back(std::move(row));
    }
    // Gauss-Jordan elimination with partial pivoting. The coefficients are
    // 0 and +-1 from a totally unimodular system, so a fixed tolerance is safe.
    constexpr double kZero = 1e-9;
    std::vector<std::size_t> pivot_row_of(n, std::numeric_limits<std::size_t>::max());
    std::size_t r = 0;
    for (std::size_t c = 0; c < n && r < a.size(); ++c) {
      std::size_t best = r;
      for (std::size_t q = r + 1; q < a.size(); ++q) {
        if (std::fabs(a[q][c]) > std::fabs(a[best][c])) best = q;
      }
      if (std::fabs(a[best][c]) < kZero) continue;
      std::swap(a[r], a[best]);
      const double p = a[r][c];
      for (double& x : a[r]) x /= p;
      for (std::size_t q = 0; q < a.size(); ++q) {
        if (q == r || std::fabs(a[q][c]) < kZero) continue;
        const double f = a[q][c];
        for (std::size_t x = 0; x < n; ++x) a[q][x] -= f * a[r][x];
      }
      pivot_row_of[c] = r++;
    }
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t c = 0; c < n; ++c) {
      if (pivot_row_of[c] == std::numeric_limits<std::size_t>::max()) continue;
      const auto& row = a[pivot_row_of[c]];
      bool alone = true;
      for (std::size_t x = 0; x < n && alone; ++x) {
        if (x != c && std::fabs(row[x]) >= kZero) alone = false;
      }
      if (alone) out.push_back(unknowns[c]);
    }
    return out;
  }

  void suppress(const SuppressionOptions& options) {
    for (std::size_t i = 0; i < height(); ++i) {
      for (std::size_t j = 0; j < width(); ++j) {
        if (is_small(value(i, j), options)) state(i, j) = Suppression::kPrimary;
      }
    }
    // Every round withholds at least one more entry or stops, so this ends
    // after at most height() * width() rounds.
    for (;;) {
      bool changed = false;
      for (std::size_t k = 0; k < line_count(); ++k) {
        if (withheld_in_line(k) != 1) continue;
        if (auto pick = pick_in_line(k)) {
          state(pick->first, pick->second) = Suppression::kSecondary;
          changed = true;
        }
      }
      if (changed) continue;
      const auto open = determined();
      if (open.empty()) return;
      const auto [i, j] = open.front();
      auto pick = pick_in_line(i);
      const auto other = pick_in_line(height() + j);
      if (!pick || (other && std::make_pair(value(other->first, other->second) == 0,
                                            value(other->first, other->second)) <
                                 std::make_pair(value(pick->first, pick->second) == 0,
                                                value(pick->first, pick->second)))) {
        pick = other;
      }
      if (!pick) pick = pick_anywhere();
      if (!pick) return;  // everything is withheld
      state(pick->first, pick->second) = Suppression::kSecondary;
    }
  }

 private:
  std::size_t rows_;
  std::size_t columns_;
  std::vector<std::int64_t> values_;
  std::vector<Suppression> state_;
};

}  // namespace

const char* to_string(Suppression s) {
  switch (s) {
    case Suppression::kNone: return "none";
    case Suppression::kPrimary: return "primary";
    case Suppression::kSecondary: return "secondary";
  }
  return "none";
}

Result<PublishedCounts> suppress_counts(const std::vector<std::string>& labels,
                                        const std::vector<std::int64_t>& counts,
                                        const SuppressionOptions& options) {
  MENTORING_RETURN_IF_ERROR(check_threshold(options));
  if (counts.empty()) {
    return Status::invalid("disclosure_empty_table", "The table has no cells.", "counts");
  }
  if (labels.size() != counts.size()) {
    return Status::invalid("disclosure_label_count_mismatch",
                           "Every count needs exactly one label.", "labels");
  }
  std::int64_t total = 0;
  for (std::int64_t c : counts) {
    if (c < 0) return Status::invalid("disclosure_negative_count", "Counts cannot be negative.", "counts");
    total += c;
  }
  std::vector<Suppression> state(counts.size(), Suppression::kNone);
  std::size_t withheld = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (is_small(counts[i], options)) {
      state[i] = Suppression::kPrimary;
      ++withheld;
    }
  }
  Suppression total_state = is_small(total, options) ? Suppression::kPrimary : Suppression::kNone;
  // With the total published, one withheld cell is the total minus the rest.
  if (total_state == Suppression::kNone && withheld == 1) {
    std::optional<std::size_t> pick;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (state[i] != Suppression::kNone) continue;
      auto key = [&](std::size_t k) { return std::make_pair(counts[k] == 0, counts[k]); };
      if (!pick || key(i) < key(*pick)) pick = i;
    }
    if (pick) state[*pick] = Suppression::kSecondary;
    else total_state = Suppression::kSecondary;
  }
  PublishedCounts out;
  out.labels = labels;
  for (std::size_t i = 0; i < counts.size(); ++i) out.cells.push_back(publish(counts[i], state[i]));
  out.total = publish(total, total_state);
  return out;
}

Result<PublishedTable> suppress_table(const CountTable& table, const SuppressionOptions& options) {
  MENTORING_RETURN_IF_ERROR(check_threshold(options));
  if (table.counts.empty() || table.column_labels.empty()) {
    return Status::invalid("disclosure_empty_table", "The table has no cells.", "counts");
  }
  if (table.row_labels.size() != table.counts.size()) {
    return Status::invalid("disclosure_label_count_mismatch",
                           "Every row of the table needs exactly one label.", "row_labels");
  }
  const std::size_t columns = table.column_labels.size();
  for (const auto& row : table.counts) {
    if (row.size() != columns) {
      return Status::invalid("disclosure_ragged_table",
                             "Every row must have one count for each column label.", "counts");
    }
    for (std::int64_t c : row) {
      if (c < 0) return Status::invalid("disclosure_negative_count", "Counts cannot be negative.", "counts");
    }
  }
  Grid grid(table.counts, columns);
  grid.suppress(options);

  PublishedTable out;
  out.row_labels = table.row_labels;
  out.column_labels = table.column_labels;
  const std::size_t rows = table.counts.size();
  out.cells.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < columns; ++j) out.cells[i].push_back(publish(grid.value(i, j), grid.state(i, j)));
    out.row_totals.push_back(publish(grid.value(i, columns), grid.state(i, columns)));
  }
  for (std::size_t j = 0; j < columns; ++j) out.column_totals.push_back(publish(grid.value(rows, j), grid.state(rows, j)));
  out.grand_total = publish(grid.value(rows, columns), grid.state(rows, columns));
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> determined_entries(const PublishedTable& published) {
  // Only which entries are withheld matters to the equations, not the values.
  const std::size_t rows = published.cells.size();
  const std::size_t columns = published.column_totals.size();
  std::vector<std::vector<std::int64_t>> zeros(rows, std::vector<std::int64_t>(columns, 0));
  Grid grid(zeros, columns);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < columns && j < published.cells[i].size(); ++j) {
      grid.state(i, j) = published.cells[i][j].suppression;
    }
    if (i < published.row_totals.size()) grid.state(i, columns) = published.row_totals[i].suppression;
  }
  for (std::size_t j = 0; j < columns; ++j) grid.state(rows, j) = published.column_totals[j].suppression;
  grid.state(rows, columns) = published.grand_total.suppression;
  return grid.determined();
}

Result<PublishedRates> suppress_rates(const std::vector<GroupCounts>& groups,
                                      const SuppressionOptions& options, double confidence) {
  if (!std::isfinite(confidence) || confidence <= 0.0 || confidence >= 1.0) {
    return Status::invalid("evaluation_confidence_out_of_range",
                           "The confidence level must be strictly between 0 and 1.", "confidence");
  }
  CountTable table;
  table.column_labels = {"yes", "no"};
  for (const auto& g : groups) {
    if (g.numerator < 0 || g.denominator < 0) {
      return Status::invalid("disclosure_negative_count", "Counts cannot be negative.", "counts");
    }
    if (g.numerator > g.denominator) {
      return Status::invalid("disclosure_numerator_exceeds_denominator",
                             "A group's numerator cannot exceed its denominator.", "numerator");
    }
    table.row_labels.push_back(g.group);
    table.counts.push_back({g.numerator, g.denominator - g.numerator});
  }
  auto published = suppress_table(table, options);
  if (!published.is_ok()) return published.status();

  auto make_rate = [&](std::string name, const PublishedCount& numerator,
                       const PublishedCount& denominator) -> Result<PublishedRate> {
    PublishedRate r;
    r.group = std::move(name);
    r.numerator = numerator;
    r.denominator = denominator;
    if (numerator.published() && denominator.published() && *denominator.value > 0) {
      auto p = wilson_interval(*numerator.value, *denominator.value, confidence);
      if (!p.is_ok()) return p.status();
      r.rate = *p;
    }
    return r;
  };
  PublishedRates out;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    auto r = make_rate(groups[i].group, published->cells[i][0], published->row_totals[i]);
    if (!r.is_ok()) return r.status();
    out.groups.push_back(std::move(*r));
  }
  auto overall = make_rate("all", published->column_totals[0], published->grand_total);
  if (!overall.is_ok()) return overall.status();
  out.overall = std::move(*overall);
  return out;
}

}  // namespace mentoring::core::evaluation
