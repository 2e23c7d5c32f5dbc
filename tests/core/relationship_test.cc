// The relationship's rules (core/relationship/): booking requests, overlaps,
// recording and cancelling meetings, SMART goals and protected time.
#include <gtest/gtest.h>

#include "core/relationship/goal.h"
#include "core/relationship/meeting.h"
#include "core/relationship/protected_time.h"

namespace mentoring::core::relationship {
namespace {

constexpr UnixSeconds kNow = 1780000000;
constexpr UnixSeconds kHour = 3600;
constexpr UnixSeconds kDay = 86400;

MeetingRequest video(UnixSeconds starts, int minutes = 60) {
  MeetingRequest r;
  r.starts_at = starts;
  r.minutes = minutes;
  r.mode = MeetingMode::kVideo;
  r.link = "https://meet.example.nhs.uk/room/42";
  return r;
}

std::string reason(const Status& st) { return st.reason(); }

TEST(MeetingRequestTest, AValidRequestPasses) {
  EXPECT_TRUE(validate_request(video(kNow + kDay), kNow).is_ok());
  EXPECT_TRUE(validate_request(video(kNow), kNow).is_ok());  // starting now
  MeetingRequest in_person = video(kNow + kDay);
  in_person.mode = MeetingMode::kInPerson;
  in_person.link.clear();
  in_person.place = "Education centre, room 2";
  EXPECT_TRUE(validate_request(in_person, kNow).is_ok());
  MeetingRequest phone = video(kNow + kDay);
  phone.mode = MeetingMode::kPhone;
  phone.link.clear();
  EXPECT_TRUE(validate_request(phone, kNow).is_ok());
}

TEST(MeetingRequestTest, PastFarFutureAndBadLengthsAreRefusedWithTheirField) {
  Status past = validate_request(video(kNow - 1), kNow);
  EXPECT_EQ(reason(past), "meeting_in_past");
  EXPECT_EQ(past.field(), "starts_at");
  EXPECT_TRUE(validate_request(video(kNow + kMaxBookingAheadSeconds), kNow).is_ok());
  EXPECT_EQ(reason(validate_request(video(kNow + kMaxBookingAheadSeconds + 1), kNow)), "meeting_too_far_ahead");
  EXPECT_EQ(reason(validate_request(video(kNow + kDay, 14), kNow)), "meeting_minutes_invalid");
  EXPECT_EQ(reason(validate_request(video(kNow + kDay, 241), kNow)), "meeting_minutes_invalid");
  EXPECT_TRUE(validate_request(video(kNow + kDay, 15), kNow).is_ok());
  EXPECT_TRUE(validate_request(video(kNow + kDay, 240), kNow).is_ok());
}

TEST(MeetingRequestTest, EachModeNeedsItsDetailsAndLinksMustBeSafeHttps) {
  MeetingRequest r = video(kNow + kDay);
  r.link = "  ";
  EXPECT_EQ(reason(validate_request(r, kNow)), "meeting_link_required");
  for (const char* bad : {"http://meet.example/x", "javascript:alert(1)", "https://", "https:///x",
                          "https://meet.example/a b", "https://x/\"onmouseover=\"", "https://x/<script>"}) {
    r.link = bad;
    EXPECT_EQ(reason(validate_request(r, kNow)), "meeting_link_invalid") << bad;
  }
  r.link = "https://meet.example/" + std::string(kMaxLinkLength, 'a');
  EXPECT_EQ(reason(validate_request(r, kNow)), "meeting_link_invalid");
  MeetingRequest p = video(kNow + kDay);
  p.mode = MeetingMode::kInPerson;
  p.link.clear();
  EXPECT_EQ(reason(validate_request(p, kNow)), "meeting_place_required");
  p.place = "Room 1\nRoom 2";
  EXPECT_EQ(reason(validate_request(p, kNow)), "meeting_place_invalid");
  p.place = std::string(kMaxPlaceLength + 1, 'x');
  EXPECT_EQ(reason(validate_request(p, kNow)), "meeting_place_invalid");
  MeetingRequest t = video(kNow + kDay);
  t.topics = std::string(kMaxTopicsLength + 1, 'x');
  EXPECT_EQ(reason(validate_request(t, kNow)), "meeting_topics_invalid");
  t.topics = "Line one\nLine two";
  EXPECT_TRUE(validate_request(t, kNow).is_ok());
}

Meeting at(std::int64_t id, UnixSeconds starts, int minutes, MeetingState state = MeetingState::kBooked) {
  Meeting m;
  m.id = id;
  m.starts_at = starts;
  m.minutes = minutes;
  m.state = state;
  return m;
}

TEST(MeetingOverlapTest, OverlapsAreFoundAndBackToBackMeetingsAreNot) {
  const std::vector<Meeting> others{at(1, kNow, 60), at(2, kNow + 3 * kHour, 30, MeetingState::kCancelled),
                                    at(3, kNow + 5 * kHour, 60, MeetingState::kHeld),
                                    at(4, kNow + 8 * kHour, 60, MeetingState::kMissed)};
  EXPECT_EQ(first_overlap(others, kNow + 30 * 60, 60)->id, 1);
  EXPECT_EQ(first_overlap(others, kNow - 30 * 60, 31)->id, 1);
  EXPECT_EQ(first_overlap(others, kNow - kHour, 180)->id, 1);   // contains it
  EXPECT_EQ(first_overlap(others, kNow + 10 * 60, 15)->id, 1);  // inside it
  EXPECT_FALSE(first_overlap(others, kNow + kHour, 60));        // starts when it ends
  EXPECT_FALSE(first_overlap(others, kNow - kHour, 60));        // ends when it starts
  EXPECT_FALSE(first_overlap(others, kNow + 3 * kHour, 30));    // cancelled frees the time
  EXPECT_EQ(first_overlap(others, kNow + 5 * kHour + 59 * 60, 15)->id, 3);  // held still counts
  EXPECT_FALSE(first_overlap(others, kNow + 8 * kHour, 60));    // missed frees the time
}

TEST(MeetingRecordTest, OnlyABookedMeetingWhoseTimeHasComeIsRecorded) {
  const Meeting m = at(1, kNow, 60);
  EXPECT_TRUE(check_record(m, MeetingState::kHeld, "Read the ARCP guide.", "Private.", kNow).is_ok());
  EXPECT_TRUE(check_record(m, MeetingState::kMissed, "", "", kNow + kDay).is_ok());
  Status early = check_record(m, MeetingState::kHeld, "", "", kNow - 1);
  EXPECT_EQ(reason(early), "meeting_not_started");
  EXPECT_EQ(early.code(), Code::kFailedPrecondition);
  EXPECT_EQ(reason(check_record(m, MeetingState::kCancelled, "", "", kNow)), "meeting_outcome_invalid");
  EXPECT_EQ(reason(check_record(m, MeetingState::kMissed, "Do things", "", kNow)), "meeting_actions_invalid");
  EXPECT_EQ(reason(check_record(m, MeetingState::kHeld, std::string(kMaxActionsLength + 1, 'a'), "", kNow)),
            "meeting_actions_invalid");
  EXPECT_EQ(reason(check_record(m, MeetingState::kHeld, "", std::string(kMaxNoteLength + 1, 'a'), kNow)),
            "meeting_note_invalid");
  EXPECT_EQ(reason(check_record(m, MeetingState::kHeld, "", std::string("bad \xff byte"), kNow)),
            "meeting_note_invalid");
  const Meeting held = at(1, kNow, 60, MeetingState::kHeld);
  Status again = check_record(held, MeetingState::kHeld, "", "", kNow);
  EXPECT_EQ(reason(again), "meeting_not_booked");
  EXPECT_EQ(again.code(), Code::kConflict);
}

TEST(MeetingRecordTest, CancellingAndNotesFollowTheState) {
  EXPECT_TRUE(check_cancel(at(1, kNow, 60)).is_ok());
  for (auto s : {MeetingState::kHeld, MeetingState::kCancelled, MeetingState::kMissed})
    EXPECT_EQ(reason(check_cancel(at(1, kNow, 60, s))), "meeting_not_booked");
  EXPECT_EQ(reason(check_note(at(1, kNow, 60), "x")), "meeting_not_recorded");
  EXPECT_TRUE(check_note(at(1, kNow, 60, MeetingState::kHeld), "Follow up on rota.").is_ok());
  EXPECT_TRUE(check_note(at(1, kNow, 60, MeetingState::kMissed), "").is_ok());
}

TEST(MeetingEnumsTest, NamesRoundTrip) {
  for (auto m : {MeetingMode::kInPerson, MeetingMode::kVideo, MeetingMode::kPhone})
    EXPECT_EQ(parse_meeting_mode(to_string(m)), m);
  for (auto s : {MeetingState::kBooked, MeetingState::kHeld, MeetingState::kCancelled, MeetingState::kMissed})
    EXPECT_EQ(parse_meeting_state(to_string(s)), s);
  for (auto g : {GoalStatus::kOpen, GoalStatus::kAchieved, GoalStatus::kDropped})
    EXPECT_EQ(parse_goal_status(to_string(g)), g);
  EXPECT_FALSE(parse_meeting_mode("Video"));
  EXPECT_FALSE(parse_meeting_state(""));
  EXPECT_FALSE(parse_goal_status("closed"));
}

Goal smart_goal() {
  Goal g;
  g.title = "Pass MRCP Part 1";
  g.specific = "Sit the January paper after three months of question banks.";
  g.measurable = "A pass letter from the college.";
  g.target_on = *Date::parse("2027-01-31");
  g.review_on = *Date::parse("2026-10-01");
  return g;
}

TEST(GoalTest, ASmartGoalPassesAndEachMissingPartIsNamed) {
  const Date today = *Date::parse("2026-06-01");
  EXPECT_TRUE(validate(smart_goal(), today).is_ok());
  Goal g = smart_goal();
  g.title = "  ";
  EXPECT_EQ(validate(g, today).field(), "title");
  EXPECT_EQ(reason(validate(g, today)), "goal_title_required");
  g = smart_goal();
  g.title = "Two\nlines";
  EXPECT_EQ(reason(validate(g, today)), "goal_title_invalid");
  g = smart_goal();
  g.specific = "";
  EXPECT_EQ(reason(validate(g, today)), "goal_specific_required");
  g = smart_goal();
  g.measurable = "\n";
  EXPECT_EQ(reason(validate(g, today)), "goal_measurable_required");
  g = smart_goal();
  g.relevant = std::string(kMaxGoalTextLength + 1, 'x');
  Status long_text = validate(g, today);
  EXPECT_EQ(reason(long_text), "goal_text_invalid");
  EXPECT_EQ(long_text.field(), "relevant");
}

TEST(GoalTest, DatesMustBeAheadOnlyWhenTodayIsGiven) {
  const Date today = *Date::parse("2026-06-01");
  Goal g = smart_goal();
  g.target_on = *Date::parse("2026-05-31");
  g.review_on.reset();
  EXPECT_EQ(reason(validate(g, today)), "goal_target_in_past");
  EXPECT_TRUE(validate(g, std::nullopt).is_ok());  // a stored goal past its date
  g.target_on = today;
  EXPECT_TRUE(validate(g, today).is_ok());
  g.target_on = today.plus_days(kMaxGoalHorizonDays + 1);
  EXPECT_EQ(reason(validate(g, today)), "goal_target_too_far");
  g = smart_goal();
  g.review_on = *Date::parse("2026-05-01");
  EXPECT_EQ(reason(validate(g, today)), "goal_review_in_past");
  g.review_on = *Date::parse("2027-02-01");
  EXPECT_EQ(reason(validate(g, today)), "goal_review_after_target");
  EXPECT_EQ(reason(validate(g, std::nullopt)), "goal_review_after_target");
  EXPECT_EQ(reason(validate_note(" ")), "goal_note_required");
  EXPECT_EQ(reason(validate_note(std::string(kMaxGoalNoteLength + 1, 'n'))), "goal_note_invalid");
  EXPECT_TRUE(validate_note("Booked the exam.").is_ok());
}

TEST(ProtectedTimeTest, MinutesAndDaysAreCheckedAndTotalsSplitByRole) {
  const Date today = *Date::parse("2026-06-10");
  ProtectedTime e{0, 1, 7, Role::kMentee, today, 60, 0};
  EXPECT_TRUE(validate(e, today).is_ok());
  e.minutes = 0;
  EXPECT_EQ(reason(validate(e, today)), "protected_time_minutes_invalid");
  e.minutes = 481;
  EXPECT_EQ(reason(validate(e, today)), "protected_time_minutes_invalid");
  e.minutes = 480;
  EXPECT_TRUE(validate(e, today).is_ok());
  e.used_on = today.plus_days(1);
  EXPECT_EQ(reason(validate(e, today)), "protected_time_in_future");
  e.used_on = today.plus_days(-kMaxProtectedTimeAgeDays);
  EXPECT_TRUE(validate(e, today).is_ok());
  e.used_on = today.plus_days(-kMaxProtectedTimeAgeDays - 1);
  EXPECT_EQ(reason(validate(e, today)), "protected_time_too_old");

  const std::vector<ProtectedTime> entries{{0, 1, 7, Role::kMentee, today, 60, 0},
                                           {0, 1, 8, Role::kMentor, today, 45, 0},
                                           {0, 1, 7, Role::kMentee, today, 30, 0}};
  const ProtectedTimeTotals t = totals(entries);
  EXPECT_EQ(t.entries, 3);
  EXPECT_EQ(t.mentee_minutes, 90);
  EXPECT_EQ(t.mentor_minutes, 45);
  EXPECT_EQ(t.total_minutes(), 135);
  EXPECT_EQ(totals({}).total_minutes(), 0);
}

}  // namespace
}  // namespace mentoring::core::relationship
