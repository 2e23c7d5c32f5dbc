// A validated matching problem: the inputs sorted by id, strings interned,
// mentor profiles indexed for BM25, constraints ready to check per pair.
//
// Everything the engine decides is a function of this object, and indices
// (mentee 0..n-1, mentor 0..m-1) follow ascending ids, so ties anywhere are
// broken by id and the same input always gives the same output.
#pragma once

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/matching/constraints.h"
#include "core/matching/criteria.h"
#include "core/matching/inputs.h"
#include "core/matching/text_similarity.h"
#include "core/status.h"

namespace mentoring::core::matching {

inline constexpr int kMaxScore = 1000;

// One pair's score, criterion by criterion.
struct PairScore {
  int total = 0;                              // 0..1000: the sum of `points`
  std::array<int, kCriterionCount> value{};   // 0..1000: how far each criterion is met
  std::array<int, kCriterionCount> points{};  // each criterion's share of `total`
  bool meets_musts = true;                    // every "must" criterion is met
};

class MatchingProblem {
 public:
  // Validates and indexes. Reasons: everything validate(MatchingConfig)
  // returns, and "duplicate_mentee_id", "duplicate_mentor_id",
  // "capacity_invalid", "current_mentees_invalid", "meeting_modes_invalid",
  // "career_stage_invalid", "text_too_long", "list_too_long",
  // "pin_unknown_person", "pin_duplicate_mentee", "pin_banned",
  // "pin_conflicts_with_constraint", "pin_exceeds_capacity",
  // "ban_unknown_person", "stemmer_unavailable".
  // Takes the input by value: move it in to avoid a copy of every profile.
  static Result<MatchingProblem> prepare(MatchingInput input, const MatchingConfig& config);

  const MatchingConfig& config() const { return config_; }
  int mentee_count() const { return static_cast<int>(mentees_.size()); }
  int mentor_count() const { return static_cast<int>(mentors_.size()); }
  // Index order is ascending id.
  const MenteeInput& mentee(int e) const { return mentees_[e]; }
  const MentorInput& mentor(int m) const { return mentors_[m]; }
  int mentee_index(PersonId id) const;  // -1 when unknown
  int mentor_index(PersonId id) const;  // -1 when unknown

  // Places the mentor can still take in this run, after pins.
  int free_places(int m) const { return mentor_data_[m].free; }
  // The mentor an administrator pinned this mentee to, or -1.
  int pinned_mentor(int e) const { return mentee_data_[e].pinned; }
  int pin_count() const { return pin_count_; }
  // Why the mentor can take nobody (ineligible, training, away, full), or kAllowed.
  ForbidReason mentor_reason(int m) const { return mentor_data_[m].reason; }
  // Why this pair can never be proposed, or kAllowed. Includes "must" criteria.
  ForbidReason forbid_reason(int e, int m) const;
  // The same without the "must" criteria and mentor-level reasons: the
  // conflicts of interest, exclusions and bans for this pair.
  ForbidReason conflict_reason(int e, int m) const;

  PairScore score(int e, int m) const;
  // The mentee's words (as they wrote them, in their order) that the
  // mentor's profile shares.
  std::vector<std::string> shared_words(int e, int m) const;

  // For candidate generation.
  const Bm25Index& index() const { return index_; }
  const std::vector<TermId>& query(int e) const { return mentee_data_[e].query; }
  double query_normaliser(int e) const { return mentee_data_[e].normaliser; }
  // Scores a pair whose BM25 topic score is already known.
  PairScore score_with_topic(int e, int m, double bm25) const;
  // An upper bound on score(e, m).total given an upper bound on its BM25
  // topic score: exact for specialty, career stage and location, best case
  // for the rest. Cheap, for pruning.
  int score_upper_bound(int e, int m, double bm25_upper) const;
  // Available mentors with the mentee's specialty / in the mentee's region.
  const std::vector<int>& same_specialty_mentors(int e) const;
  const std::vector<int>& same_region_mentors(int e) const;

 private:
  struct MenteeData {
    std::vector<TermId> query;        // distinct terms, ascending
    std::vector<std::string> words;   // the word written for each query term
    std::vector<int> written_order;   // query slots in the order the mentee wrote them
    double normaliser = 0;
    int specialty = -1, region = -1, site = -1, department = -1;
    std::vector<int> languages, preferences;  // interned, ascending
    int pinned = -1;
    std::vector<std::pair<int, ForbidReason>> conflicts;  // by mentor index, ascending
  };
  struct MentorData {
    int specialty = -1, region = -1, site = -1, department = -1;
    std::vector<int> languages, attributes;
    int free = 0;
    ForbidReason reason = ForbidReason::kAllowed;
  };

  MatchingConfig config_;
  std::vector<MenteeInput> mentees_;
  std::vector<MentorInput> mentors_;
  std::vector<MenteeData> mentee_data_;
  std::vector<MentorData> mentor_data_;
  std::unordered_map<PersonId, int> mentee_by_id_, mentor_by_id_;
  Bm25Index index_;
  std::vector<std::vector<int>> by_specialty_, by_region_;
  std::array<double, kCriterionCount> factor_{};  // weight / sum of weights
  int pin_count_ = 0;
};

}  // namespace mentoring::core::matching
