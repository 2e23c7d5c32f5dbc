// Hard constraints are never broken, whatever the scores say.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/matching/engine.h"
#include "people.h"
#include "random_instances.h"

namespace mentoring::core::matching {
namespace {

using testing::mentee;
using testing::mentor;

// One mentee, the ideal mentor (who some constraint rules out) and a weak one.
struct Duo {
  MatchingInput in;
  MatchingConfig config;
  Duo() {
    in.mentors = {mentor(1, {"teaching", "leadership"}), mentor(2, {"cardiology"})};
    in.mentees = {mentee(10, {"teaching", "leadership"})};
  }
  // The mentor id the mentee gets, or 0.
  PersonId matched() const {
    auto run = run_assigned(in, config);
    EXPECT_TRUE(run.is_ok()) << run.status().to_string();
    if (!run.is_ok() || run->pairs.empty()) return 0;
    return run->pairs[0].mentor_id;
  }
};

TEST(MatchingConstraintsTest, WithoutConstraintsTheIdealMentorIsChosen) {
  Duo d;
  EXPECT_EQ(d.matched(), 1);
}

TEST(MatchingConstraintsTest, SupervisorIsNeverMatched) {
  Duo d;
  d.in.mentees[0].supervisor_ids = {1};
  EXPECT_EQ(d.matched(), 2);
}

TEST(MatchingConstraintsTest, AwayMentorIsExcluded) {
  Duo d;
  d.in.mentors[0].away = true;
  EXPECT_EQ(d.matched(), 2);
}

TEST(MatchingConstraintsTest, MentorWithTrainingOutOfDateIsExcluded) {
  Duo d;
  d.in.mentors[0].training_in_date = false;
  EXPECT_EQ(d.matched(), 2);
}

TEST(MatchingConstraintsTest, IneligibleMentorAndMenteeAreExcluded) {
  Duo d;
  d.in.mentors[0].eligible = false;
  EXPECT_EQ(d.matched(), 2);
  d.in.mentees[0].eligible = false;
  EXPECT_EQ(d.matched(), 0);
}

TEST(MatchingConstraintsTest, NotAGoodFitHistoryPreventsRematching) {
  Duo d;
  d.in.mentees[0].not_a_good_fit_mentor_ids = {1};
  EXPECT_EQ(d.matched(), 2);
}

TEST(MatchingConstraintsTest, ExclusionsByEitherPersonAreRespected) {
  Duo a;
  a.in.mentees[0].excluded_mentor_ids = {1};
  EXPECT_EQ(a.matched(), 2);
  Duo b;
  b.in.mentors[0].excluded_mentee_ids = {10};
  EXPECT_EQ(b.matched(), 2);
}

TEST(MatchingConstraintsTest, SameDepartmentIsExcludedOnlyWhenTheSchemeSaysSo) {
  Duo d;
  d.in.mentors[0].department = "Paediatrics, Royal Infirmary";
  d.in.mentees[0].department = "paediatrics, royal infirmary ";
  EXPECT_EQ(d.matched(), 1);
  d.config.exclude_same_department = true;
  EXPECT_EQ(d.matched(), 2);
}

TEST(MatchingConstraintsTest, BansAndPinsOverrideScores) {
  Duo banned;
  banned.in.bans = {{10, 1}};
  EXPECT_EQ(banned.matched(), 2);
  Duo pinned;
  pinned.in.pins = {{10, 2}};
  EXPECT_EQ(pinned.matched(), 2);
}

TEST(MatchingConstraintsTest, MustCriterionFiltersButAPinMayOverrideIt) {
  Duo d;
  d.in.mentors[0].specialty = "paediatrics";
  d.in.mentees[0].specialty = "surgery";
  d.in.mentors[1].specialty = "surgery";
  ASSERT_TRUE(set_weight(d.config, "specialty", "must").is_ok());
  EXPECT_EQ(d.matched(), 2);
  d.in.mentors[1].specialty = "anaesthetics";
  EXPECT_EQ(d.matched(), 0);
  d.in.pins = {{10, 1}};
  EXPECT_EQ(d.matched(), 1);
}

TEST(MatchingConstraintsTest, PinsThatBreakAHardConstraintAreRefused) {
  Duo d;
  d.in.mentees[0].supervisor_ids = {1};
  d.in.pins = {{10, 1}};
  auto run = run_assigned(d.in, d.config);
  ASSERT_FALSE(run.is_ok());
  EXPECT_EQ(run.status().reason(), "pin_conflicts_with_constraint");

  Duo both;
  both.in.pins = {{10, 1}};
  both.in.bans = {{10, 1}};
  EXPECT_EQ(run_assigned(both.in, both.config).status().reason(), "pin_banned");

  Duo full;
  full.in.mentees.push_back(mentee(11));
  full.in.pins = {{10, 2}, {11, 2}};
  EXPECT_EQ(run_assigned(full.in, full.config).status().reason(), "pin_exceeds_capacity");

  Duo unknown;
  unknown.in.pins = {{10, 99}};
  EXPECT_EQ(run_assigned(unknown.in, unknown.config).status().reason(), "pin_unknown_person");
  Duo twice;
  twice.in.pins = {{10, 1}, {10, 2}};
  EXPECT_EQ(run_assigned(twice.in, twice.config).status().reason(), "pin_duplicate_mentee");
}

TEST(MatchingConstraintsTest, BadInputIsRejectedWithAReason) {
  Duo dup;
  dup.in.mentors.push_back(mentor(1));
  EXPECT_EQ(run_assigned(dup.in, dup.config).status().reason(), "duplicate_mentor_id");
  Duo dup2;
  dup2.in.mentees.push_back(mentee(10));
  EXPECT_EQ(run_assigned(dup2.in, dup2.config).status().reason(), "duplicate_mentee_id");
  Duo cap;
  cap.in.mentors[0].capacity = -1;
  EXPECT_EQ(run_assigned(cap.in, cap.config).status().reason(), "capacity_invalid");
  Duo modes;
  modes.in.mentees[0].meeting_modes = 0;
  EXPECT_EQ(run_assigned(modes.in, modes.config).status().reason(), "meeting_modes_invalid");
  Duo text;
  text.in.mentees[0].goals = std::string(kMaxTextLength + 1, 'a');
  EXPECT_EQ(run_assigned(text.in, text.config).status().reason(), "text_too_long");
  Duo ban;
  ban.in.bans = {{77, 1}};
  EXPECT_EQ(run_assigned(ban.in, ban.config).status().reason(), "ban_unknown_person");
}

TEST(MatchingConstraintsTest, CapacityIsNeverExceededAndCurrentMenteesCount) {
  MatchingInput in;
  in.mentors = {mentor(1, {"teaching"}, 3)};
  in.mentors[0].current_mentees = 1;
  for (int i = 0; i < 5; ++i) in.mentees.push_back(mentee(10 + i));
  auto run = run_assigned(in, MatchingConfig{});
  ASSERT_TRUE(run.is_ok());
  EXPECT_EQ(run->pairs.size(), 2u);
  EXPECT_EQ(run->report.unmatched_capacity, 3);
}

TEST(MatchingConstraintsTest, RandomRunsNeverBreakAConstraint) {
  std::mt19937_64 rng(4242);
  testing::InstanceShape shape;
  shape.max_mentees = 40;
  shape.max_mentors = 15;
  shape.max_capacity = 4;
  for (int i = 0; i < 100; ++i) {
    MatchingInput in = testing::random_input(rng, shape);
    MatchingConfig config = testing::random_config(rng, shape);
    testing::maybe_pin(rng, in, config);
    for (AssignedMode mode : {AssignedMode::kOptimal, AssignedMode::kStable}) {
      auto run = run_assigned(in, config, mode);
      ASSERT_TRUE(run.is_ok()) << run.status().to_string();
      std::map<PersonId, int> load;
      for (const auto& pair : run->pairs) {
        const MenteeInput* e = nullptr;
        const MentorInput* m = nullptr;
        for (const auto& x : in.mentees) if (x.id == pair.mentee_id) e = &x;
        for (const auto& x : in.mentors) if (x.id == pair.mentor_id) m = &x;
        ASSERT_TRUE(e && m);
        ++load[m->id];
        const bool pinned = std::find(in.pins.begin(), in.pins.end(), PairRef{e->id, m->id}) != in.pins.end();
        EXPECT_EQ(pinned, pair.source == PairSource::kPinned);
        // Checked here from the raw input, not through the engine's own tables.
        EXPECT_TRUE(e->eligible && m->eligible && m->training_in_date && !m->away);
        auto has = [](const std::vector<PersonId>& v, PersonId id) {
          return std::find(v.begin(), v.end(), id) != v.end();
        };
        EXPECT_FALSE(has(e->supervisor_ids, m->id));
        EXPECT_FALSE(has(e->excluded_mentor_ids, m->id));
        EXPECT_FALSE(has(e->not_a_good_fit_mentor_ids, m->id));
        EXPECT_FALSE(has(m->excluded_mentee_ids, e->id));
        EXPECT_TRUE(std::find(in.bans.begin(), in.bans.end(), PairRef{e->id, m->id}) == in.bans.end());
        if (config.exclude_same_department) {
          EXPECT_NE(e->department, m->department);
        }
      }
      for (const auto& [id, n] : load) {
        for (const auto& m : in.mentors) {
          if (m.id == id) {
            EXPECT_LE(n, m.capacity - m.current_mentees);
          }
        }
      }
      for (const auto& pin : in.pins) {
        bool found = false;
        for (const auto& pair : run->pairs) found |= pair.mentee_id == pin.mentee_id && pair.mentor_id == pin.mentor_id;
        EXPECT_TRUE(found);
      }
    }
  }
}

TEST(MatchingConstraintsTest, NothingToMatchGivesAnEmptyRunWithANote) {
  MatchingInput none;
  auto empty = run_assigned(none, MatchingConfig{});
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->pairs.empty());
  ASSERT_FALSE(empty->notes.empty());

  MatchingInput zero;
  zero.mentors = {mentor(1, {"teaching"}, 0)};
  zero.mentees = {mentee(10)};
  auto run = run_assigned(zero, MatchingConfig{});
  ASSERT_TRUE(run.is_ok());
  EXPECT_TRUE(run->pairs.empty());
  EXPECT_EQ(run->unmatched_mentee_ids, std::vector<PersonId>{10});
  ASSERT_FALSE(run->notes.empty());
  EXPECT_NE(run->notes[0].find("No mentor can take"), std::string::npos);

  MatchingInput forbidden;
  forbidden.mentors = {mentor(1), mentor(2)};
  forbidden.mentees = {mentee(10)};
  forbidden.mentees[0].supervisor_ids = {1};
  forbidden.mentees[0].excluded_mentor_ids = {2};
  auto f = run_assigned(forbidden, MatchingConfig{});
  ASSERT_TRUE(f.is_ok());
  EXPECT_TRUE(f->pairs.empty());
  EXPECT_EQ(f->report.unmatched_no_candidate, 1);
  ASSERT_FALSE(f->notes.empty());
  EXPECT_NE(f->notes[0].find("ruled out"), std::string::npos);
}

}  // namespace
}  // namespace mentoring::core::matching
