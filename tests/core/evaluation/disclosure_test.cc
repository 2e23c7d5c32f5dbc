#include "core/evaluation/disclosure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace mentoring::core::evaluation {
namespace {

// An attacker who knows the published entries, that every count is a
// non-negative integer no larger than `bound`, and how the table adds up.
// It is written independently of the suppression code: a plain search with
// forced-value propagation over the withheld entries, no linear algebra.
class Attacker {
 public:
  struct Equation {
    std::vector<std::pair<std::size_t, int>> terms;  // (unknown, coefficient +-1)
    std::int64_t constant = 0;                       // sum(coef * x) + constant == 0
  };

  Attacker(std::vector<std::int64_t> truth, std::vector<Equation> equations, std::int64_t bound)
      : truth_(std::move(truth)), equations_(std::move(equations)), bound_(bound) {}

  // True when some consistent table gives unknown k a value other than the
  // true one. With `nearby_only` only values within 2 of the truth are tried
  // for k: much faster, and enough to show an entry is not pinned, but a
  // false answer then proves nothing beyond that neighbourhood.
  bool can_be_other_than_truth(std::size_t k, bool nearby_only = false) {
    for (std::int64_t delta = 1; delta <= bound_; ++delta) {
      if (nearby_only && delta > 2) break;
      for (std::int64_t v : {truth_[k] - delta, truth_[k] + delta}) {
        if (v < 0 || v > bound_) continue;
        std::vector<std::optional<std::int64_t>> x(truth_.size());
        x[k] = v;
        budget_ = 2'000'000;
        if (solve(x)) return true;
      }
    }
    return false;
  }

 private:
  bool propagate(std::vector<std::optional<std::int64_t>>& x) {
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& e : equations_) {
        std::int64_t sum = e.constant;
        int open = 0;
        std::size_t open_var = 0;
        int open_coef = 0;
        for (auto [u, c] : e.terms) {
          if (x[u]) sum += c * *x[u];
          else { ++open; open_var = u; open_coef = c; }
        }
        if (open == 0 && sum != 0) return false;
        if (open == 1) {
          const std::int64_t v = -sum * open_coef;  // coefficient is +-1
          if (v < 0 || v > bound_) return false;
          x[open_var] = v;
          changed = true;
        }
      }
    }
    return true;
  }

  bool solve(std::vector<std::optional<std::int64_t>> x) {
    if (--budget_ < 0) return false;
    if (!propagate(x)) return false;
    std::size_t next = x.size();
    for (std::size_t u = 0; u < x.size(); ++u) {
      if (!x[u]) { next = u; break; }
    }
    if (next == x.size()) return true;
    // Values near the truth first: consistent tables are usually close by.
    for (std::int64_t delta = 0; delta <= bound_; ++delta) {
      for (std::int64_t v : {truth_[next] - delta, truth_[next] + delta}) {
        if (v < 0 || v > bound_ || (delta == 0 && v != truth_[next])) continue;
        auto y = x;
        y[next] = v;
        if (solve(y)) return true;
        if (delta == 0) break;
      }
    }
    return false;
  }

  std::vector<std::int64_t> truth_;
  std::vector<Equation> equations_;
  std::int64_t bound_;
  long budget_ = 0;
};

struct GridAttack {
  std::vector<std::pair<std::size_t, std::size_t>> withheld;  // grid positions
  std::vector<std::int64_t> truth;
  std::vector<Attacker::Equation> equations;
};

// Builds the attacker's view of a published two-way table: the grid of cells
// and totals, with one equation per row and column.
GridAttack attack_view(const CountTable& truth, const PublishedTable& published) {
  const std::size_t rows = truth.counts.size();
  const std::size_t cols = truth.column_labels.size();
  std::vector<std::vector<std::int64_t>> value(rows + 1, std::vector<std::int64_t>(cols + 1, 0));
  std::vector<std::vector<const PublishedCount*>> pub(rows + 1, std::vector<const PublishedCount*>(cols + 1));
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      value[i][j] = truth.counts[i][j];
      value[i][cols] += truth.counts[i][j];
      value[rows][j] += truth.counts[i][j];
      value[rows][cols] += truth.counts[i][j];
      pub[i][j] = &published.cells[i][j];
    }
    pub[i][cols] = &published.row_totals[i];
  }
  for (std::size_t j = 0; j < cols; ++j) pub[rows][j] = &published.column_totals[j];
  pub[rows][cols] = &published.grand_total;

  GridAttack a;
  std::vector<std::vector<std::optional<std::size_t>>> index(rows + 1, std::vector<std::optional<std::size_t>>(cols + 1));
  for (std::size_t i = 0; i <= rows; ++i) {
    for (std::size_t j = 0; j <= cols; ++j) {
      if (pub[i][j]->published()) {
        EXPECT_EQ(*pub[i][j]->value, value[i][j]) << "published value differs at " << i << "," << j;
        continue;
      }
      EXPECT_FALSE(pub[i][j]->value.has_value()) << "withheld entry carries a value";
      index[i][j] = a.withheld.size();
      a.withheld.emplace_back(i, j);
      a.truth.push_back(value[i][j]);
    }
  }
  auto add_line = [&](std::vector<std::pair<std::size_t, std::size_t>> entries) {
    Attacker::Equation e;
    for (std::size_t n = 0; n < entries.size(); ++n) {
      const auto [i, j] = entries[n];
      const int coef = n + 1 == entries.size() ? -1 : 1;  // the last entry is the total
      if (index[i][j]) e.terms.emplace_back(*index[i][j], coef);
      else e.constant += coef * *pub[i][j]->value;
    }
    a.equations.push_back(e);
  };
  for (std::size_t i = 0; i <= rows; ++i) {
    std::vector<std::pair<std::size_t, std::size_t>> line;
    for (std::size_t j = 0; j <= cols; ++j) line.emplace_back(i, j);
    add_line(line);
  }
  for (std::size_t j = 0; j <= cols; ++j) {
    std::vector<std::pair<std::size_t, std::size_t>> line;
    for (std::size_t i = 0; i <= rows; ++i) line.emplace_back(i, j);
    add_line(line);
  }
  return a;
}

// Asserts that no withheld entry of `published` can be worked out.
void expect_no_withheld_entry_recoverable(const CountTable& truth, const PublishedTable& published,
                                          bool nearby_only = false) {
  GridAttack a = attack_view(truth, published);
  std::int64_t grand = 0;
  for (const auto& row : truth.counts) for (auto c : row) grand += c;
  Attacker attacker(a.truth, a.equations, grand);
  for (std::size_t k = 0; k < a.withheld.size(); ++k) {
    EXPECT_TRUE(attacker.can_be_other_than_truth(k, nearby_only))
        << "withheld entry (" << a.withheld[k].first << "," << a.withheld[k].second
        << ") = " << a.truth[k] << " is determined by the published table";
  }
}

const SuppressionOptions kDefault;

TEST(DisclosureTest, OneWayTableWithholdsSmallCellAndTheNextSmallestNonZeroCell) {
  auto r = suppress_counts({"female", "male", "non-binary", "prefer not to say"}, {25, 31, 4, 12});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->cells[0].value, 25);
  EXPECT_EQ(r->cells[1].value, 31);
  EXPECT_EQ(r->cells[2].suppression, Suppression::kPrimary);
  EXPECT_FALSE(r->cells[2].value.has_value());
  EXPECT_EQ(r->cells[3].suppression, Suppression::kSecondary);
  EXPECT_FALSE(r->cells[3].value.has_value());
  EXPECT_EQ(r->total.value, 72);
  // The attacker learns only that the two withheld cells add up to 16.
  Attacker attacker({4, 12}, {{{{0, 1}, {1, 1}}, 25 + 31 - 72}}, 72);
  EXPECT_TRUE(attacker.can_be_other_than_truth(0));
  EXPECT_TRUE(attacker.can_be_other_than_truth(1));
}

TEST(DisclosureTest, OneWayTablePrefersANonZeroCellForSecondarySuppression) {
  // Withholding the zero would publish 4 + 0 = 4: the attacker would know
  // both cells, because neither can be negative.
  auto r = suppress_counts({"a", "b", "c", "d"}, {25, 4, 0, 31});
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->cells[2].published());
  EXPECT_EQ(r->cells[2].value, 0);
  EXPECT_EQ(r->cells[0].suppression, Suppression::kSecondary);
  EXPECT_TRUE(r->cells[3].published());
}

TEST(DisclosureTest, OneWayTableWithholdsTotalWhenNothingElseProtectsTheCell) {
  auto r = suppress_counts({"only"}, {12}, SuppressionOptions{20});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->cells[0].suppression, Suppression::kPrimary);
  EXPECT_EQ(r->total.suppression, Suppression::kPrimary);  // 12 < 20 as well

  // A small total is itself a small number and is withheld.
  auto small = suppress_counts({"a", "b", "c"}, {3, 0, 2});
  ASSERT_TRUE(small.is_ok());
  EXPECT_FALSE(small->total.published());
  EXPECT_FALSE(small->cells[0].published());
  EXPECT_TRUE(small->cells[1].published());
  EXPECT_FALSE(small->cells[2].published());

  // Two large cells, nothing to withhold.
  auto none = suppress_counts({"a", "b"}, {10, 99});
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->cells[0].published());
  EXPECT_TRUE(none->total.published());
}

TEST(DisclosureTest, OneWayTablesNeverRevealAWithheldCell) {
  std::mt19937 rng(20260415);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t n = 1 + rng() % 6;
    std::vector<std::int64_t> counts;
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < n; ++i) {
      const int kind = rng() % 5;
      counts.push_back(kind == 0 ? 0 : kind <= 2 ? 1 + rng() % 9 : 10 + rng() % 40);
      labels.push_back("g" + std::to_string(i));
    }
    auto r = suppress_counts(labels, counts);
    ASSERT_TRUE(r.is_ok());
    std::int64_t total = 0;
    for (auto c : counts) total += c;
    Attacker::Equation e;
    std::vector<std::int64_t> truth;
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(r->cells[i].suppression == Suppression::kPrimary, counts[i] >= 1 && counts[i] < 10);
      if (r->cells[i].published()) {
        EXPECT_EQ(*r->cells[i].value, counts[i]);
        e.constant += counts[i];
      } else {
        e.terms.emplace_back(truth.size(), 1);
        truth.push_back(counts[i]);
      }
    }
    if (r->total.published()) {
      EXPECT_EQ(*r->total.value, total);
      e.constant -= total;
    } else {
      e.terms.emplace_back(truth.size(), -1);
      truth.push_back(total);
    }
    Attacker attacker(truth, {e}, total);
    for (std::size_t k = 0; k < truth.size(); ++k) {
      EXPECT_TRUE(attacker.can_be_other_than_truth(k)) << "trial " << trial << " unknown " << k;
    }
  }
}

CountTable match_table() {
  CountTable t;
  t.row_labels = {"White", "Black", "Asian"};
  t.column_labels = {"matched", "not matched"};
  t.counts = {{40, 12}, {3, 15}, {25, 20}};
  return t;
}

TEST(DisclosureTest, TwoWayTableAddsComplementaryCellsInEveryAffectedRowAndColumn) {
  auto r = suppress_table(match_table());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  // Worked by hand: 3 is small; its row then needs one more (15, the
  // smallest); column "matched" needs one more (25); column "not matched"
  // takes 20 over 12 because 20's row already has a withheld cell, which
  // also completes that row.
  EXPECT_EQ(r->cells[1][0].suppression, Suppression::kPrimary);
  EXPECT_EQ(r->cells[1][1].suppression, Suppression::kSecondary);
  EXPECT_EQ(r->cells[2][0].suppression, Suppression::kSecondary);
  EXPECT_EQ(r->cells[2][1].suppression, Suppression::kSecondary);
  EXPECT_EQ(r->cells[0][0].value, 40);
  EXPECT_EQ(r->cells[0][1].value, 12);
  EXPECT_EQ(r->row_totals[1].value, 18);
  EXPECT_EQ(r->row_totals[2].value, 45);
  EXPECT_EQ(r->column_totals[0].value, 68);
  EXPECT_EQ(r->grand_total.value, 115);
  EXPECT_TRUE(determined_entries(*r).empty());
  expect_no_withheld_entry_recoverable(match_table(), *r);
}

TEST(DisclosureTest, AttackerRecoversACellWhenOnlyPrimarySuppressionIsApplied) {
  // The check must be able to fail: publish the table with the small cell
  // withheld and nothing else, and the attacker finds it (3 = 18 - 15).
  const CountTable truth = match_table();
  auto r = suppress_table(truth);
  ASSERT_TRUE(r.is_ok());
  PublishedTable naive = *r;
  naive.cells[1][1] = PublishedCount{15, Suppression::kNone};
  naive.cells[2][0] = PublishedCount{25, Suppression::kNone};
  naive.cells[2][1] = PublishedCount{20, Suppression::kNone};
  GridAttack a = attack_view(truth, naive);
  ASSERT_EQ(a.withheld.size(), 1u);
  Attacker attacker(a.truth, a.equations, 115);
  EXPECT_FALSE(attacker.can_be_other_than_truth(0));
  const auto determined = determined_entries(naive);
  ASSERT_EQ(determined.size(), 1u);
  EXPECT_EQ(determined[0], std::make_pair(std::size_t{1}, std::size_t{0}));
}

TEST(DisclosureTest, LinearAlgebraAuditCatchesABridgeBetweenTwoProtectedBlocks) {
  // Rows a-b x columns 1-2 and rows c-d x columns 3-4 are two blocks of
  // withheld cells, joined by cell (b, 3). Every row and column has at least
  // two withheld entries, yet (b, 3) is fixed: rows a and b minus columns 1
  // and 2 leave it alone. The "two per line" rule is not enough on its own,
  // which is why suppress_table audits with linear algebra.
  CountTable t;
  t.row_labels = {"a", "b", "c", "d"};
  t.column_labels = {"1", "2", "3", "4"};
  t.counts = {{5, 5, 50, 50}, {5, 5, 5, 50}, {50, 50, 5, 5}, {50, 50, 5, 5}};
  PublishedTable hand;
  hand.row_labels = t.row_labels;
  hand.column_labels = t.column_labels;
  // Exactly the small cells: primary suppression alone.
  const std::vector<std::vector<bool>> withhold = {
      {true, true, false, false}, {true, true, true, false}, {false, false, true, true}, {false, false, true, true}};
  for (std::size_t i = 0; i < 4; ++i) {
    hand.cells.emplace_back();
    std::int64_t row_total = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      row_total += t.counts[i][j];
      hand.cells[i].push_back(withhold[i][j] ? PublishedCount{std::nullopt, Suppression::kPrimary}
                                             : PublishedCount{t.counts[i][j], Suppression::kNone});
    }
    hand.row_totals.push_back(PublishedCount{row_total, Suppression::kNone});
  }
  std::int64_t grand = 0;
  for (std::size_t j = 0; j < 4; ++j) {
    std::int64_t c = 0;
    for (std::size_t i = 0; i < 4; ++i) c += t.counts[i][j];
    grand += c;
    hand.column_totals.push_back(PublishedCount{c, Suppression::kNone});
  }
  hand.grand_total = PublishedCount{grand, Suppression::kNone};
  // The attacker and the audit agree: exactly (b, 3) is exposed.
  GridAttack a = attack_view(t, hand);
  Attacker attacker(a.truth, a.equations, grand);
  const auto determined = determined_entries(hand);
  ASSERT_EQ(determined.size(), 1u);
  EXPECT_EQ(determined[0], std::make_pair(std::size_t{1}, std::size_t{2}));
  for (std::size_t k = 0; k < a.withheld.size(); ++k) {
    const bool exposed = a.withheld[k] == determined[0];
    EXPECT_EQ(!attacker.can_be_other_than_truth(k, /*nearby_only=*/true), exposed)
        << "cell " << a.withheld[k].first << "," << a.withheld[k].second;
  }
  // And suppress_table itself leaves nothing exposed for this table.
  auto r = suppress_table(t, SuppressionOptions{10});
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(determined_entries(*r).empty());
  expect_no_withheld_entry_recoverable(t, *r, /*nearby_only=*/true);
}

TEST(DisclosureTest, RandomTwoWayTablesNeverRevealAWithheldEntry) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 250; ++trial) {
    CountTable t;
    const std::size_t rows = 1 + rng() % 4;
    const std::size_t cols = 1 + rng() % 3;
    for (std::size_t j = 0; j < cols; ++j) t.column_labels.push_back("c" + std::to_string(j));
    for (std::size_t i = 0; i < rows; ++i) {
      t.row_labels.push_back("r" + std::to_string(i));
      t.counts.emplace_back();
      for (std::size_t j = 0; j < cols; ++j) {
        const int kind = rng() % 6;
        t.counts[i].push_back(kind == 0 ? 0 : kind <= 2 ? 1 + rng() % 9 : 10 + rng() % 30);
      }
    }
    auto r = suppress_table(t);
    ASSERT_TRUE(r.is_ok());
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j) {
        const auto c = t.counts[i][j];
        EXPECT_EQ(r->cells[i][j].suppression == Suppression::kPrimary, c >= 1 && c < 10);
      }
      if (r->row_totals[i].published()) {
        const auto total = *r->row_totals[i].value;
        EXPECT_TRUE(total == 0 || total >= 10) << total;
      }
    }
    EXPECT_TRUE(determined_entries(*r).empty()) << "trial " << trial;
    SCOPED_TRACE("trial " + std::to_string(trial));
    expect_no_withheld_entry_recoverable(t, *r, /*nearby_only=*/true);
  }
}

TEST(DisclosureTest, RatesAreGivenOnlyFromPublishedCounts) {
  std::vector<GroupCounts> groups = {{"White", 40, 52}, {"Black", 3, 18}, {"Asian", 25, 45}};
  auto r = suppress_rates(groups);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->groups.size(), 3u);
  ASSERT_TRUE(r->groups[0].rate.has_value());
  auto expected = wilson_interval(40, 52);
  ASSERT_TRUE(expected.is_ok());
  EXPECT_DOUBLE_EQ(r->groups[0].rate->estimate, expected->estimate);
  EXPECT_DOUBLE_EQ(r->groups[0].rate->ci_low, expected->ci_low);
  // Black: 3 matched is small. Asian: withheld to protect it.
  EXPECT_FALSE(r->groups[1].numerator.published());
  EXPECT_FALSE(r->groups[1].rate.has_value());
  EXPECT_FALSE(r->groups[2].rate.has_value());
  // Denominators stay published: they are large, and the withheld cells are
  // protected by each other.
  EXPECT_EQ(r->groups[1].denominator.value, 18);
  EXPECT_EQ(r->overall.group, "all");
  ASSERT_TRUE(r->overall.rate.has_value());
  EXPECT_EQ(r->overall.rate->successes, 68);
  EXPECT_EQ(r->overall.rate->trials, 115);
}

TEST(DisclosureTest, RateIsWithheldWhenTheNonSuccessCountIsSmall) {
  // 48 of 50 retained: the 2 who left are a small number, so the group's
  // rate (which would reveal 50 - 48) is withheld along with its numerator
  // or denominator.
  std::vector<GroupCounts> groups = {{"IMG", 48, 50}, {"UK graduate", 60, 80}, {"other", 30, 41}};
  auto r = suppress_rates(groups);
  ASSERT_TRUE(r.is_ok());
  EXPECT_FALSE(r->groups[0].rate.has_value());
  EXPECT_FALSE(r->groups[0].numerator.published() && r->groups[0].denominator.published());
}

TEST(DisclosureTest, InvalidTablesAreRejectedWithReasons) {
  EXPECT_EQ(suppress_counts({}, {}).status().reason(), "disclosure_empty_table");
  EXPECT_EQ(suppress_counts({"a"}, {1, 2}).status().reason(), "disclosure_label_count_mismatch");
  EXPECT_EQ(suppress_counts({"a"}, {-1}).status().reason(), "disclosure_negative_count");
  EXPECT_EQ(suppress_counts({"a"}, {1}, SuppressionOptions{0}).status().reason(),
            "disclosure_threshold_invalid");
  CountTable ragged = match_table();
  ragged.counts[1].pop_back();
  EXPECT_EQ(suppress_table(ragged).status().reason(), "disclosure_ragged_table");
  CountTable labels = match_table();
  labels.row_labels.pop_back();
  EXPECT_EQ(suppress_table(labels).status().reason(), "disclosure_label_count_mismatch");
  EXPECT_EQ(suppress_rates({{"a", 5, 4}}).status().reason(), "disclosure_numerator_exceeds_denominator");
  EXPECT_EQ(suppress_rates({{"a", 5, 40}}, kDefault, 2.0).status().reason(),
            "evaluation_confidence_out_of_range");
  EXPECT_EQ(to_string(Suppression::kSecondary), std::string("secondary"));
}

}  // namespace
}  // namespace mentoring::core::evaluation
