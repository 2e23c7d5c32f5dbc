#include "core/matching/text_similarity.h"

#include <gtest/gtest.h>

namespace mentoring::core::matching {
namespace {

TEST(MatchingTextTest, StemmingMakesWordFormsTheSameTerm) {
  auto a = TextAnalyzer::english();
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->stems("teaching"), a->stems("teach"));
  EXPECT_EQ(a->stems("Teaches"), a->stems("teach"));
  EXPECT_EQ(a->stems("leadership"), a->stems("Leadership"));
  EXPECT_NE(a->stems("teaching"), a->stems("research"));
}

TEST(MatchingTextTest, StopWordsAndPunctuationAreDropped) {
  auto a = TextAnalyzer::english();
  ASSERT_TRUE(a.is_ok());
  auto terms = a->analyze("I would like help with the MRCP exams, and my portfolio!");
  std::vector<std::string> words;
  for (const auto& t : terms) words.push_back(t.word);
  EXPECT_EQ(words, (std::vector<std::string>{"like", "help", "mrcp", "exams", "portfolio"}));
}

TEST(MatchingTextTest, Bm25RanksTheMentorWhoSharesTheWordFirst) {
  auto a = TextAnalyzer::english();
  ASSERT_TRUE(a.is_ok());
  const auto index = Bm25Index::build({a->stems("I teach on the regional teaching programme"),
                                       a->stems("surgical skills and operating lists"),
                                       a->stems("research methods and statistics")});
  std::vector<TermId> q;
  for (const auto& s : a->stems("teaching")) q.push_back(index.find(s));
  ASSERT_EQ(q.size(), 1u);
  ASSERT_GE(q[0], 0);
  EXPECT_GT(index.score(q, 0), 0);
  EXPECT_EQ(index.score(q, 1), 0);
  EXPECT_EQ(index.score(q, 2), 0);
  EXPECT_GT(Bm25Index::similarity(index.score(q, 0), index.normaliser(q)), 0);
  EXPECT_LE(Bm25Index::similarity(index.score(q, 0), index.normaliser(q)), 1000);
}

TEST(MatchingTextTest, RarerSharedWordsCountForMore) {
  auto a = TextAnalyzer::english();
  ASSERT_TRUE(a.is_ok());
  // "wellbeing" is in three profiles, "simulation" in one.
  const auto index = Bm25Index::build({a->stems("wellbeing simulation"), a->stems("wellbeing teaching"),
                                       a->stems("wellbeing research"), a->stems("surgery exams")});
  const TermId common = index.find(a->stems("wellbeing")[0]);
  const TermId rare = index.find(a->stems("simulation")[0]);
  EXPECT_GT(index.idf(rare), index.idf(common));
  std::vector<TermId> q = {std::min(common, rare), std::max(common, rare)};
  EXPECT_GT(index.score(q, 0), index.score(q, 1));
}

TEST(MatchingTextTest, PairScoreEqualsPostingAccumulationExactly) {
  auto a = TextAnalyzer::english();
  ASSERT_TRUE(a.is_ok());
  const auto index = Bm25Index::build({a->stems("teaching leadership teaching research"),
                                       a->stems("leadership management quality improvement"),
                                       a->stems("quality research exams portfolio teaching")});
  std::vector<TermId> q;
  for (const char* w : {"teaching", "quality", "research", "portfolio"}) q.push_back(index.find(a->stems(w)[0]));
  std::sort(q.begin(), q.end());
  std::vector<double> acc(3, 0.0);
  for (TermId t : q) {
    for (const auto& post : index.postings(t)) acc[post.doc] += post.weight;
  }
  for (int d = 0; d < 3; ++d) EXPECT_EQ(index.score(q, d), acc[d]) << d;  // bit-identical
}

}  // namespace
}  // namespace mentoring::core::matching
