// Point-of-contact concerns through the API and app::ConcernService: routing
// to the named point of contact, the outbox event in the same transaction,
// confidentiality and audit, the handler's actions and a rematch.
#include <algorithm>

#include "app/privacy.h"
#include "tests/adapters/api/concern_checkin_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

json::object concern_body(std::int64_t pairing, const char* text = "We have not managed to meet since August.") {
  return json::object{{"pairingid", pairing}, {"category", "meetings"}, {"urgency", "soon"}, {"text", text}};
}

class ConcernApi : public ConcernApiTest {
 protected:
  std::int64_t raise(std::int64_t actor = 0) {
    auto res = call("POST", "/api/v1/concerns", actor ? actor : mentee_, concern_body(pairing_));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? body_of(res).at("id").as_int64() : 0;
  }
};

TEST_F(ConcernApi, RaisingRoutesToThePointOfContactAndQueuesAnEventWithoutTheText) {
  auto res = call("POST", "/api/v1/concerns", mentee_, concern_body(pairing_));
  ASSERT_EQ(res.status, 201) << res.body;
  auto c = body_of(res);
  EXPECT_EQ(c.at("routed_to").as_int64(), poc_);
  EXPECT_EQ(c.at("state").as_string(), "raised");
  EXPECT_EQ(c.at("raiser_role").as_string(), "mentee");
  EXPECT_EQ(c.at("schemeid").as_int64(), scheme_);

  auto events = outbox();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "mentoring.escalation_raised");
  auto data = json::parse(events[0].payload).as_object();
  EXPECT_EQ(data.at("concern_id").as_int64(), c.at("id").as_int64());
  EXPECT_EQ(data.at("level").as_string(), "point_of_contact");
  EXPECT_EQ(data.at("recipient").as_object().at("subject").as_string(), "poc");
  EXPECT_EQ(data.at("urgency").as_string(), "soon");
  // Nothing the person typed, and nothing naming them, leaves in the event.
  EXPECT_EQ(events[0].payload.find("August"), std::string::npos);
  EXPECT_EQ(events[0].payload.find("\"subject\":\"mentee\""), std::string::npos);
  EXPECT_FALSE(data.contains("raised_by"));

  auto audit = audit_of("concern");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].summary, "concern raised");
  EXPECT_EQ(audit[0].actor, core::Actor::account(mentee_));
}

TEST_F(ConcernApi, ARefusedConcernChangesNothing) {
  set_register(0, lead_);  // nobody is the point of contact
  auto res = call("POST", "/api/v1/concerns", mentee_, concern_body(pairing_));
  EXPECT_EQ(res.status, 409) << res.body;
  EXPECT_EQ(reason_of(res), "scheme_no_point_of_contact");
  set_register(poc_, lead_);
  res = call("POST", "/api/v1/concerns", outsider_, concern_body(pairing_));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(reason_of(res), "concern_not_in_pairing");
  res = call("POST", "/api/v1/concerns", mentee_, concern_body(pairing_, "   "));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(reason_of(res), "concern_text_required");
  res = call("POST", "/api/v1/concerns", mentee_,
             json::object{{"pairingid", pairing_}, {"category", "gossip"}, {"text", "x"}});
  EXPECT_EQ(reason_of(res), "concern_category_invalid");
  res = call("POST", "/api/v1/concerns", 0, concern_body(pairing_));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(reason_of(res), "actor_required");
  res = call("POST", "/api/v1/concerns", mentee_, concern_body(pairing_ + 50));
  EXPECT_EQ(res.status, 404);
  EXPECT_TRUE(outbox().empty());
  EXPECT_TRUE(audit_of("concern").empty());
  EXPECT_TRUE(body_of(call("GET", "/api/v1/concerns", mentee_)).at("items").as_array().empty());
}

TEST_F(ConcernApi, OnlyTheRaiserPointOfContactAndLeadReadTheTextAndEveryReadIsAudited) {
  const std::int64_t id = raise();
  const std::string path = "/api/v1/concerns/" + std::to_string(id);
  for (std::int64_t who : {mentee_, poc_, lead_}) {
    auto res = call("GET", path, who);
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(body_of(res).at("text").as_string(), "We have not managed to meet since August.");
  }
  EXPECT_EQ(body_of(call("GET", path, poc_)).at("viewer").as_string(), "point_of_contact");
  // The mentor the concern is about, and anyone else, are told it does not exist.
  for (std::int64_t who : {mentor_, outsider_}) {
    auto res = call("GET", path, who);
    EXPECT_EQ(res.status, 404) << res.body;
    EXPECT_EQ(reason_of(res), "concern_not_found");
  }
  auto reads = audit_of("concern");
  int confidential = 0;
  for (const auto& e : reads)
    if (e.action == core::AuditAction::kConfidentialRead) ++confidential;
  EXPECT_EQ(confidential, 4);  // mentee, poc, lead, poc again; refusals read nothing

  // The staff queue lists concerns without their text.
  auto q = call("GET", "/api/v1/schemes/" + std::to_string(scheme_) + "/concerns", poc_);
  ASSERT_EQ(q.status, 200) << q.body;
  auto items = body_of(q).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].as_object().contains("text"));
  EXPECT_EQ(q.body.find("August"), std::string::npos);
  auto denied = call("GET", "/api/v1/schemes/" + std::to_string(scheme_) + "/concerns", outsider_);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(reason_of(denied), "concern_not_handler");

  // A new point of contact takes over; the old one loses access.
  set_register(outsider_, lead_);
  EXPECT_EQ(call("GET", path, poc_).status, 404);
  EXPECT_EQ(call("GET", path, outsider_).status, 200);
}

TEST_F(ConcernApi, ThePointOfContactAcknowledgesNotesEscalatesAndTheLeadResolves) {
  const std::int64_t id = raise();
  const std::string base = "/api/v1/concerns/" + std::to_string(id);
  auto res = call("POST", base + "/acknowledge", mentee_, json::object{{"note", "x"}});
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(reason_of(res), "concern_not_handler");
  res = call("POST", base + "/acknowledge", poc_, json::object{{"note", "Called the mentee the same day."}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res).at("state").as_string(), "acknowledged");
  res = call("POST", base + "/acknowledge", poc_);
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(reason_of(res), "concern_already_acknowledged");
  res = call("POST", base + "/notes", poc_, json::object{{"note", ""}});
  EXPECT_EQ(reason_of(res), "concern_action_text_required");
  res = call("POST", base + "/notes", poc_, json::object{{"note", "Spoke to the mentor's supervisor."}});
  ASSERT_EQ(res.status, 200) << res.body;
  res = call("POST", base + "/escalate", poc_, json::object{{"note", "Needs the lead."}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res).at("state").as_string(), "escalated");
  auto events = outbox();
  ASSERT_EQ(events.size(), 2u);
  bool lead_event = false;
  for (const auto& e : events) {
    auto d = json::parse(e.payload).as_object();
    if (d.at("level").as_string() == "scheme_lead") {
      lead_event = true;
      EXPECT_EQ(d.at("recipient").as_object().at("subject").as_string(), "lead");
    }
  }
  EXPECT_TRUE(lead_event);
  res = call("POST", base + "/escalate", lead_);
  EXPECT_EQ(reason_of(res), "concern_escalation_by_lead");
  res = call("POST", base + "/resolve", lead_, json::object{{"outcome", "signposted"}, {"note", "Occupational health."}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto done = body_of(res);
  EXPECT_EQ(done.at("state").as_string(), "resolved");
  EXPECT_EQ(done.at("outcome").as_string(), "signposted");
  const auto& history = done.at("history").as_array();
  ASSERT_EQ(history.size(), 5u);  // raised, acknowledged, note, escalated, resolved
  EXPECT_EQ(history[0].as_object().at("kind").as_string(), "raised");
  EXPECT_EQ(history[2].as_object().at("text").as_string(), "Spoke to the mentor's supervisor.");
  EXPECT_EQ(history[4].as_object().at("kind").as_string(), "resolved");
  res = call("POST", base + "/notes", poc_, json::object{{"note", "late"}});
  EXPECT_EQ(reason_of(res), "concern_resolved");
  // The pairing is untouched by a signposted outcome.
  write([&](core::Stores& s) {
    auto p = s.pairings.find(pairing_);
    ASSERT_TRUE(p.is_ok() && p->has_value());
    EXPECT_EQ((*p)->state, core::PairingState::kActive);
  });
}

TEST_F(ConcernApi, ARematchEndsThePairingNoFaultAndFreesTheMentorsPlace) {
  const std::int64_t id = raise();
  auto res = call("POST", "/api/v1/concerns/" + std::to_string(id) + "/resolve", mentee_,
                  json::object{{"outcome", "rematch"}});
  EXPECT_EQ(res.status, 403);  // the raiser may only withdraw
  res = call("POST", "/api/v1/concerns/" + std::to_string(id) + "/resolve", poc_,
             json::object{{"outcome", "rematch"}, {"note", "Personality fit."}});
  ASSERT_EQ(res.status, 200) << res.body;
  write([&](core::Stores& s) {
    auto p = s.pairings.find(pairing_);
    ASSERT_TRUE(p.is_ok() && p->has_value());
    EXPECT_EQ((*p)->state, core::PairingState::kEnded);
    EXPECT_EQ((*p)->end_reason, core::EndReason::kNotAGoodFit);
    EXPECT_EQ((*p)->ended_by, core::EndedBy::kAdmin);
    auto place = s.pairings.find_place((*p)->mentorid);
    ASSERT_TRUE(place.is_ok() && place->has_value());
    EXPECT_EQ((*place)->active, 0);
    EXPECT_FALSE(s.pairings.active_for_mentee(mentee_enrolment_)->has_value());
  });
  auto audit = audit_of("pairing");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].summary, "pairing ended for rematch");
}

TEST_F(ConcernApi, ARematchOffersTheFreedPlaceToTheMentorsWaitingList) {
  std::int64_t mentor_enrolment = 0, waiting_mentee = 0;
  write([&](core::Stores& s) {
    auto p = s.pairings.find(pairing_);
    ASSERT_TRUE(p.is_ok() && p->has_value());
    mentor_enrolment = (*p)->mentorid;
    core::MentorProfile profile;
    profile.accountid = mentor_;
    profile.career_stage = core::CareerStage::kSt3;
    profile.region = "North West";
    profile.capacity = 1;
    ASSERT_TRUE(s.profiles.save_mentor(profile, 1).is_ok());
    auto e = s.enrolments.create(cohort_, account(s, "waiting"), core::Role::kMentee, 1);
    ASSERT_TRUE(e.is_ok()) << e.status().to_string();
    waiting_mentee = e->id;
    ASSERT_TRUE(
        s.pairings.add_waiting(core::WaitingEntry{0, cohort_, waiting_mentee, mentor_enrolment, "When you can.", 0}, 1)
            .is_ok());
  });
  const std::int64_t id = raise();
  const std::vector<core::OutboxEntry> events_before = outbox();
  auto res = call("POST", "/api/v1/concerns/" + std::to_string(id) + "/resolve", poc_,
                  json::object{{"outcome", "rematch"}});
  ASSERT_EQ(res.status, 200) << res.body;
  write([&](core::Stores& s) {
    auto pending =
        s.pairings.list_requests(cohort_, waiting_mentee, mentor_enrolment, core::RequestState::kPending, core::Page{});
    ASSERT_TRUE(pending.is_ok()) << pending.status().to_string();
    ASSERT_EQ(pending->size(), 1u) << "the waiting mentee is asked about the freed place";
    EXPECT_EQ(pending->front().message, "When you can.");
    auto waiting = s.pairings.list_waiting(mentor_enrolment);
    ASSERT_TRUE(waiting.is_ok());
    EXPECT_TRUE(waiting->empty());
  });
  auto count = [](const std::vector<core::OutboxEntry>& events, const char* type) {
    return std::count_if(events.begin(), events.end(), [&](const auto& e) { return e.event_type == type; });
  };
  EXPECT_EQ(count(outbox(), "mentoring.pairing_ended"), count(events_before, "mentoring.pairing_ended") + 1);
  EXPECT_EQ(count(outbox(), "mentoring.pairing_proposed"), count(events_before, "mentoring.pairing_proposed") + 1);
}

TEST_F(ConcernApi, TheRaiserMayWithdrawTheirOwnConcern) {
  const std::int64_t id = raise();
  auto res = call("POST", "/api/v1/concerns/" + std::to_string(id) + "/resolve", mentee_,
                  json::object{{"outcome", "withdrawn"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res).at("outcome").as_string(), "withdrawn");
  res = call("POST", "/api/v1/concerns/" + std::to_string(id) + "/resolve", poc_,
             json::object{{"outcome", "resolved"}});
  EXPECT_EQ(reason_of(res), "concern_resolved");
  auto mine = body_of(call("GET", "/api/v1/concerns", mentee_)).at("items").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].as_object().at("state").as_string(), "resolved");
}

TEST_F(ConcernApi, TheMentorCanRaiseAConcernToo) {
  auto res = call("POST", "/api/v1/concerns", mentor_, concern_body(pairing_, "My mentee has not replied."));
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(body_of(res).at("raiser_role").as_string(), "mentor");
  // The mentee cannot read the mentor's concern about them.
  EXPECT_EQ(call("GET", "/api/v1/concerns/" + std::to_string(body_of(res).at("id").as_int64()), mentee_).status, 404);
}

TEST_F(ConcernApi, ErasingTheRaiserRemovesTheirConcernsAndCheckinsAndExportListsThem) {
  const std::int64_t id = raise();
  ASSERT_EQ(call("POST", "/api/v1/concerns/" + std::to_string(id) + "/acknowledge", poc_,
                 json::object{{"note", "Called."}})
                .status,
            200);
  clock_.set_ms(unix_ms_of("2027-01-25"));
  ASSERT_EQ(call("PUT", "/api/v1/pairings/" + std::to_string(pairing_) + "/checkins/midpoint", mentee_,
                 json::object{{"working", "yes"}, {"frequency", "monthly"}, {"goals_progress", 4},
                              {"would_continue", "yes"}})
                .status,
            200);
  app::PrivacyService privacy(*db_, clock_, nullptr);
  auto exported = privacy.export_account(mentee_, core::Actor::service());
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  std::map<std::string, std::size_t> rows;
  for (const auto& t : exported->tables) rows[t.table] = t.rows.size();
  EXPECT_EQ(rows["concerns"], 1u);
  EXPECT_EQ(rows["checkin_responses"], 1u);
  auto erased = privacy.erase(mentee_, core::Actor::service());
  ASSERT_TRUE(erased.is_ok()) << erased.status().to_string();
  write([&](core::Stores& s) {
    EXPECT_FALSE(s.concerns.find(id)->has_value());
    EXPECT_TRUE(s.concerns.actions(id)->empty());  // the history went with it
    EXPECT_TRUE(s.checkins.list_by_account(mentee_)->empty());
  });
}

}  // namespace
}  // namespace mentoring::testing
