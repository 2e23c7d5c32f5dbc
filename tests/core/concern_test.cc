#include "core/concern.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mentoring::core {
namespace {

Concern open_concern() {
  Concern c;
  c.id = 7;
  c.raised_by = 11;
  c.state = ConcernState::kRaised;
  return c;
}

TEST(ConcernTest, NamesRoundTrip) {
  for (auto v : {ConcernCategory::kMeetings, ConcernCategory::kPersonalityFit, ConcernCategory::kConduct,
                 ConcernCategory::kWellbeing, ConcernCategory::kOther})
    EXPECT_EQ(parse_concern_category(to_string(v)), v);
  for (auto v : {ConcernOutcome::kResolved, ConcernOutcome::kRematch, ConcernOutcome::kSignposted,
                 ConcernOutcome::kWithdrawn})
    EXPECT_EQ(parse_concern_outcome(to_string(v)), v);
  EXPECT_STREQ(to_string(ConcernCategory::kPersonalityFit), "personality_fit");
  EXPECT_FALSE(parse_concern_urgency("URGENT").has_value());
  EXPECT_FALSE(parse_concern_state("").has_value());
}

TEST(ConcernTest, InputIsTrimmedAndChecked) {
  auto ok = validate(ConcernInput{3, ConcernCategory::kMeetings, ConcernUrgency::kSoon, "  We keep cancelling.\n "});
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->text, "We keep cancelling.");
  EXPECT_EQ(validate(ConcernInput{0, {}, {}, "x"}).status().reason(), "concern_pairing_required");
  EXPECT_EQ(validate(ConcernInput{3, {}, {}, " \n\t "}).status().reason(), "concern_text_required");
  EXPECT_EQ(validate(ConcernInput{3, {}, {}, std::string(5001, 'a')}).status().reason(), "concern_text_too_long");
  EXPECT_TRUE(validate(ConcernInput{3, {}, {}, std::string(5000, 'a')}).is_ok());
  EXPECT_EQ(validate(ConcernInput{3, {}, {}, std::string("bad\x01")}).status().reason(), "concern_text_invalid");
  EXPECT_EQ(validate(ConcernInput{3, {}, {}, std::string("\xff\xfe")}).status().reason(), "concern_text_invalid");
  EXPECT_EQ(validate_action_text("  ", true).status().reason(), "concern_action_text_required");
  EXPECT_TRUE(validate_action_text("  ", false).is_ok());
  EXPECT_EQ(validate_action_text(std::string(2001, 'n'), false).status().reason(), "concern_action_text_too_long");
}

TEST(ConcernTest, OnlyTheRaiserPointOfContactAndLeadHaveStanding) {
  const Concern c = open_concern();
  EXPECT_EQ(concern_viewer(c, 11, 20, 30), ConcernViewer::kRaiser);
  EXPECT_EQ(concern_viewer(c, 20, 20, 30), ConcernViewer::kPointOfContact);
  EXPECT_EQ(concern_viewer(c, 30, 20, 30), ConcernViewer::kSchemeLead);
  EXPECT_EQ(concern_viewer(c, 40, 20, 30), ConcernViewer::kNone);
  // Unassigned roles (0) never match an account, nor does an absent account.
  EXPECT_EQ(concern_viewer(c, 0, 0, 0), ConcernViewer::kNone);
  // The raiser who later becomes point of contact stays the raiser.
  EXPECT_EQ(concern_viewer(c, 11, 11, 30), ConcernViewer::kRaiser);
}

TEST(ConcernTest, HandlersActAndTheRaiserMayOnlyWithdraw) {
  Concern c = open_concern();
  EXPECT_TRUE(check_acknowledge(c, ConcernViewer::kPointOfContact).is_ok());
  EXPECT_EQ(check_acknowledge(c, ConcernViewer::kRaiser).reason(), "concern_not_handler");
  EXPECT_EQ(check_acknowledge(c, ConcernViewer::kNone).code(), Code::kPermissionDenied);
  EXPECT_EQ(check_note(c, ConcernViewer::kRaiser).reason(), "concern_not_handler");
  EXPECT_TRUE(check_resolve(c, ConcernViewer::kRaiser, ConcernOutcome::kWithdrawn).is_ok());
  EXPECT_EQ(check_resolve(c, ConcernViewer::kRaiser, ConcernOutcome::kRematch).reason(), "concern_not_handler");
  EXPECT_EQ(check_resolve(c, ConcernViewer::kPointOfContact, ConcernOutcome::kWithdrawn).reason(),
            "concern_outcome_invalid");

  c = acknowledged(c, 100);
  EXPECT_EQ(c.state, ConcernState::kAcknowledged);
  EXPECT_EQ(c.acknowledged_at, 100);
  EXPECT_EQ(check_acknowledge(c, ConcernViewer::kPointOfContact).reason(), "concern_already_acknowledged");
  EXPECT_EQ(check_escalate(c, ConcernViewer::kSchemeLead).reason(), "concern_escalation_by_lead");
  EXPECT_TRUE(check_escalate(c, ConcernViewer::kPointOfContact).is_ok());

  c = escalated(c, 200);
  EXPECT_EQ(c.acknowledged_at, 100);  // kept
  EXPECT_EQ(c.escalated_at, 200);
  EXPECT_EQ(check_escalate(c, ConcernViewer::kPointOfContact).reason(), "concern_already_escalated");
  EXPECT_TRUE(check_resolve(c, ConcernViewer::kSchemeLead, ConcernOutcome::kRematch).is_ok());

  c = resolved(c, ConcernOutcome::kRematch, 300);
  EXPECT_EQ(c.outcome, ConcernOutcome::kRematch);
  EXPECT_EQ(c.resolved_at, 300);
  for (ConcernViewer v : {ConcernViewer::kPointOfContact, ConcernViewer::kSchemeLead}) {
    EXPECT_EQ(check_note(c, v).reason(), "concern_resolved");
    EXPECT_EQ(check_escalate(c, v).reason(), "concern_resolved");
    EXPECT_EQ(check_resolve(c, v, ConcernOutcome::kResolved).reason(), "concern_resolved");
  }
  EXPECT_EQ(check_resolve(c, ConcernViewer::kRaiser, ConcernOutcome::kWithdrawn).reason(), "concern_resolved");
}

TEST(ConcernTest, EscalatingStraightFromRaisedAcknowledgesToo) {
  Concern c = escalated(open_concern(), 50);
  EXPECT_EQ(c.state, ConcernState::kEscalated);
  EXPECT_EQ(c.acknowledged_at, 50);
}

TEST(ConcernTest, ListOrderIsOpenThenUrgentThenOldest) {
  auto make = [](std::int64_t id, ConcernState s, ConcernUrgency u, UnixSeconds t) {
    Concern c;
    c.id = id;
    c.state = s;
    c.urgency = u;
    c.timecreated = t;
    return c;
  };
  std::vector<Concern> v = {make(1, ConcernState::kResolved, ConcernUrgency::kUrgent, 1),
                            make(2, ConcernState::kRaised, ConcernUrgency::kRoutine, 1),
                            make(3, ConcernState::kEscalated, ConcernUrgency::kUrgent, 9),
                            make(4, ConcernState::kAcknowledged, ConcernUrgency::kUrgent, 5),
                            make(5, ConcernState::kRaised, ConcernUrgency::kSoon, 2)};
  std::sort(v.begin(), v.end(), concern_list_order);
  std::vector<std::int64_t> ids;
  for (const Concern& c : v) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{4, 3, 5, 2, 1}));
}

}  // namespace
}  // namespace mentoring::core
