#include "app/webhook_events.h"

#include <boost/json.hpp>

#include "core/events.h"
#include "core/webhook_stores.h"

namespace mentoring::app {

std::string enrolled_event_payload(const core::Enrolment& enrolment, const core::Cohort& cohort,
                                   const core::Account& account) {
  // Ids only: the host knows the person by (platform, subject) and names
  // travel no further than they must.
  boost::json::object data;
  data["enrolment_id"] = enrolment.id;
  data["cohort_id"] = enrolment.cohortid;
  data["scheme_id"] = cohort.schemeid;
  data["role"] = core::to_string(enrolment.role);
  data["account"] = boost::json::object{{"platform", account.platform}, {"subject", account.subject}};
  return boost::json::serialize(data);
}

core::Status append_enrolled_event(core::Stores& s, const core::Enrolment& enrolment, const core::Cohort& cohort,
                                   const core::Account& account, core::UnixSeconds now) {
  auto appended = s.outbox.append(core::to_string(core::OutboundEventType::kEnrolled),
                                  enrolled_event_payload(enrolment, cohort, account), now);
  return appended.status();
}

namespace {

core::Result<boost::json::object> person_of_enrolment(core::Stores& s, std::int64_t enrolmentid) {
  auto enrolment = s.enrolments.find(enrolmentid);
  if (!enrolment) return enrolment.status();
  if (!*enrolment) return core::Status::not_found("enrolment_not_found", "The pairing names an unknown enrolment.");
  auto account = s.accounts.find((*enrolment)->accountid);
  if (!account) return account.status();
  if (!*account) return core::Status::not_found("account_not_found", "The pairing names an unknown account.");
  return boost::json::object{{"platform", (*account)->platform}, {"subject", (*account)->subject}};
}

}  // namespace

core::Status append_pairing_event(core::Stores& s, const core::Pairing& pairing, core::UnixSeconds now) {
  const bool ended = pairing.state == core::PairingState::kEnded;
  auto mentee = person_of_enrolment(s, pairing.menteeid);
  if (!mentee) return mentee.status();
  auto mentor = person_of_enrolment(s, pairing.mentorid);
  if (!mentor) return mentor.status();
  boost::json::object data;
  data["pairing_id"] = pairing.id;
  data["cohort_id"] = pairing.cohortid;
  data["source"] = core::to_string(pairing.source);
  data["mentee"] = std::move(mentee).value();
  data["mentor"] = std::move(mentor).value();
  if (ended) {
    data["end_reason"] = pairing.end_reason ? core::to_string(*pairing.end_reason) : "other";
    data["ended_by"] = pairing.ended_by ? core::to_string(*pairing.ended_by) : "admin";
  }
  const auto type = ended ? core::OutboundEventType::kPairingEnded : core::OutboundEventType::kPairingConfirmed;
  auto appended = s.outbox.append(core::to_string(type), boost::json::serialize(data), now);
  return appended.status();
}

}  // namespace mentoring::app
