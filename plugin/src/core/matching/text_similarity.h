// Similarity of topics and goals: Okapi BM25 over Snowball-stemmed English
// terms, so "teaching", "teach" and "teaches" count as the same word.
//
// Mentor profiles are the documents and a mentee's topics and goals are the
// query. A pair's topic value is the BM25 score divided by the sum of the idf
// of the mentee's terms (what a mentor with each term once, in a profile of
// average length, would get), capped at 1: roughly "how much of what the
// mentee asked for this mentor covers", weighted towards rarer words.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

struct sb_stemmer;

namespace mentoring::core::matching {

// Splits text into lower-case words (ASCII letters and digits; bytes of
// UTF-8 sequences are kept inside words), drops common English stop words and
// stems the rest with the Snowball English stemmer. Not thread-safe: the
// stemmer keeps state between calls, so each thread needs its own analyzer.
class TextAnalyzer {
 public:
  // Reason on failure: "stemmer_unavailable".
  static Result<TextAnalyzer> english();

  TextAnalyzer(TextAnalyzer&&) noexcept;
  TextAnalyzer& operator=(TextAnalyzer&&) noexcept;
  ~TextAnalyzer();

  struct Term {
    std::string stem;
    std::string word;  // the word as written (lower case), for explanations
  };
  // Terms in the order they occur, repeats kept.
  std::vector<Term> analyze(std::string_view text) const;
  // Just the stems.
  std::vector<std::string> stems(std::string_view text) const;

 private:
  explicit TextAnalyzer(sb_stemmer* s) : stemmer_(s) {}
  sb_stemmer* stemmer_ = nullptr;
  // Profiles repeat the same words many times; stemming each once is faster.
  mutable std::unordered_map<std::string, std::string> cache_;
};

using TermId = std::int32_t;

struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
};

// An inverted index over documents of stems, with BM25 term weights
// precomputed so that accumulating over postings and scoring one pair give
// bit-identical results.
class Bm25Index {
 public:
  struct Posting {
    std::int32_t doc;
    double weight;  // idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avglen))
  };

  // `docs[i]` is document i as a list of stems (repeats count as term frequency).
  static Bm25Index build(const std::vector<std::vector<std::string>>& docs, Bm25Params params = {});

  std::size_t document_count() const { return doc_terms_.size(); }
  std::size_t term_count() const { return postings_.size(); }
  // -1 when no document has the stem.
  TermId find(std::string_view stem) const;
  double idf(TermId t) const { return idf_[t]; }
  // The largest weight any document has for the term: an upper bound on
  // what the term can add to a score.
  double max_weight(TermId t) const { return max_weight_[t]; }
  std::span<const Posting> postings(TermId t) const { return postings_[t]; }
  // BM25 score of `doc` for a query of distinct term ids sorted ascending.
  double score(std::span<const TermId> query, std::int32_t doc) const;
  // Sum of idf over the query: the normaliser for similarity().
  double normaliser(std::span<const TermId> query) const;
  // Whether document `doc` contains term `t`.
  bool contains(std::int32_t doc, TermId t) const;
  // 0..1000: score / normaliser, capped at 1000; 0 for an empty query.
  static int similarity(double score, double normaliser);

 private:
  std::unordered_map<std::string, TermId> vocabulary_;
  std::vector<double> idf_;
  std::vector<double> max_weight_;
  std::vector<std::vector<Posting>> postings_;
  // Per document: (term, weight) sorted by term, for scoring one pair.
  std::vector<std::vector<std::pair<TermId, double>>> doc_terms_;
};

}  // namespace mentoring::core::matching
