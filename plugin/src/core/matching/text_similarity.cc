#include "core/matching/text_similarity.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace mentoring::core::matching {

namespace {

// Common English words that say nothing about what a person wants from
// mentoring. Kept short on purpose: BM25's idf already discounts frequent words.
constexpr std::array<std::string_view, 64> kStopWords = {
    "a",    "about", "an",   "and",   "are",  "as",    "at",   "be",    "been",  "but",   "by",
    "can",  "do",    "for",  "from",  "get",  "had",   "has",  "have",  "i",     "if",    "in",
    "into", "is",    "it",   "its",   "me",   "more",  "my",   "no",    "not",   "of",    "on",
    "or",   "our",   "so",   "some",  "such", "than",  "that", "the",   "their", "them",  "then",
    "there", "these", "they", "this", "to",   "up",    "very", "want",  "was",   "we",    "were",
    "what", "when",  "which", "who",  "will", "with",  "would", "you",  "your"};

static_assert(std::is_sorted(kStopWords.begin(), kStopWords.end()), "binary search needs sorted stop words");

bool is_stop_word(std::string_view w) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), w);
}

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

Result<TextAnalyzer> TextAnalyzer::english() {
  sb_stemmer* s = sb_stemmer_new("english", "UTF_8");
  if (s == nullptr) {
    return Status::internal("stemmer_unavailable", "The English stemmer could not be loaded.");
  }
  return TextAnalyzer(s);
}

TextAnalyzer::TextAnalyzer(TextAnalyzer&& other) noexcept
    : stemmer_(other.stemmer_), cache_(std::move(other.cache_)) {
  other.stemmer_ = nullptr;
}

TextAnalyzer& TextAnalyzer::operator=(TextAnalyzer&& other) noexcept {
  if (this != &other) {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
    stemmer_ = other.stemmer_;
    other.stemmer_ = nullptr;
    cache_ = std::move(other.cache_);
  }
  return *this;
}

TextAnalyzer::~TextAnalyzer() {
  if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
}

std::vector<TextAnalyzer::Term> TextAnalyzer::analyze(std::string_view text) const {
  std::vector<Term> out;
  std::size_t i = 0;
  std::string word;
  while (i < text.size()) {
    while (i < text.size() && !is_word_byte(static_cast<unsigned char>(text[i]))) ++i;
    word.clear();
    while (i < text.size() && is_word_byte(static_cast<unsigned char>(text[i]))) {
      char c = text[i++];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      word.push_back(c);
    }
    if (word.empty() || word.size() > 64 || is_stop_word(word)) continue;
    auto cached = cache_.find(word);
    if (cached == cache_.end()) {
      const sb_symbol* stem = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                              static_cast<int>(word.size()));
      if (stem == nullptr) continue;  // out of memory inside the stemmer: drop the word
      if (cache_.size() > 100000) cache_.clear();  // bound the memory on unusual input
      cached = cache_.emplace(word, std::string(reinterpret_cast<const char*>(stem),
                                                static_cast<std::size_t>(sb_stemmer_length(stemmer_))))
                   .first;
    }
    std::string s = cached->second;
    out.push_back(Term{std::move(s), word});
  }
  return out;
}

std::vector<std::string> TextAnalyzer::stems(std::string_view text) const {
  std::vector<std::string> out;
  for (auto& t : analyze(text)) out.push_back(std::move(t.stem));
  return out;
}

Bm25Index Bm25Index::build(const std::vector<std::vector<std::string>>& docs, Bm25Params params) {
  Bm25Index index;
  // Term ids in sorted stem order so that ids, and everything built on them,
  // do not depend on hash-table iteration order.
  std::map<std::string_view, std::int32_t> df;
  double total_len = 0;
  for (const auto& d : docs) {
    total_len += static_cast<double>(d.size());
    std::vector<std::string_view> uniq(d.begin(), d.end());
    std::sort(uniq.begin(), uniq.end());
    uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
    for (auto s : uniq) ++df[s];
  }
  const double n = static_cast<double>(docs.size());
  const double avg_len = docs.empty() || total_len == 0 ? 1.0 : total_len / n;
  index.idf_.reserve(df.size());
  for (const auto& [stem, count] : df) {
    index.vocabulary_.emplace(std::string(stem), static_cast<TermId>(index.idf_.size()));
    // Lucene's idf: always positive, so a very common term still counts a little.
    index.idf_.push_back(std::log(1.0 + (n - count + 0.5) / (count + 0.5)));
  }
  index.postings_.resize(index.idf_.size());
  index.max_weight_.assign(index.idf_.size(), 0.0);
  index.doc_terms_.resize(docs.size());
  std::vector<std::pair<TermId, int>> tf;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    tf.clear();
    for (const auto& s : docs[i]) tf.emplace_back(index.vocabulary_.at(s), 1);
    std::sort(tf.begin(), tf.end());
    const double len = static_cast<double>(docs[i].size());
    const double norm = params.k1 * (1 - params.b + params.b * len / avg_len);
    auto& dt = index.doc_terms_[i];
    for (std::size_t j = 0; j < tf.size();) {
      std::size_t k = j;
      while (k < tf.size() && tf[k].first == tf[j].first) ++k;
      const double f = static_cast<double>(k - j);
      const TermId t = tf[j].first;
      const double w = index.idf_[t] * f * (params.k1 + 1) / (f + norm);
      dt.emplace_back(t, w);
      index.max_weight_[t] = std::max(index.max_weight_[t], w);
      index.postings_[t].push_back(Posting{static_cast<std::int32_t>(i), w});
      j = k;
    }
  }
  return index;
}

TermId Bm25Index::find(std::string_view stem) const {
  auto it = vocabulary_.find(std::string(stem));
  return it == vocabulary_.end() ? -1 : it->second;
}

double Bm25Index::score(std::span<const TermId> query, std::int32_t doc) const {
  // Summed in query order, exactly as the posting-list accumulation does.
  const auto& dt = doc_terms_[doc];
  double s = 0;
  auto it = dt.begin();
  for (TermId q : query) {
    it = std::lower_bound(it, dt.end(), q, [](const auto& p, TermId t) { return p.first < t; });
    if (it == dt.end()) break;
    if (it->first == q) s += it->second;
  }
  return s;
}

double Bm25Index::normaliser(std::span<const TermId> query) const {
  double s = 0;
  for (TermId q : query) s += idf_[q];
  return s;
}

bool Bm25Index::contains(std::int32_t doc, TermId t) const {
  const auto& dt = doc_terms_[doc];
  auto it = std::lower_bound(dt.begin(), dt.end(), t, [](const auto& p, TermId x) { return p.first < x; });
  return it != dt.end() && it->first == t;
}

int Bm25Index::similarity(double score, double normaliser) {
  if (normaliser <= 0 || score <= 0) return 0;
  const double v = std::floor(1000.0 * score / normaliser);
  return v >= 1000 ? 1000 : static_cast<int>(v);
}

}  // namespace mentoring::core::matching
