#include "app/webhook_events.h"

#include <boost/json.hpp>
#include <map>
#include <vector>

#include "app/survey_due.h"
#include "core/checkin_stores.h"
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

core::Result<boost::json::object> person_of_account(core::Stores& s, std::int64_t accountid) {
  auto account = s.accounts.find(accountid);
  if (!account) return account.status();
  if (!*account) return core::Status::not_found("account_not_found", "The event names an unknown account.");
  return boost::json::object{{"platform", (*account)->platform}, {"subject", (*account)->subject}};
}

core::Status append(core::Stores& s, core::OutboundEventType type, const boost::json::object& data,
                    core::UnixSeconds now) {
  return s.outbox.append(core::to_string(type), boost::json::serialize(data), now).status();
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

core::Status append_pairing_proposed_event(core::Stores& s, const core::MenteeRequest& request, core::UnixSeconds now) {
  auto mentee = person_of_enrolment(s, request.menteeid);
  if (!mentee) return mentee.status();
  auto mentor = person_of_enrolment(s, request.mentorid);
  if (!mentor) return mentor.status();
  boost::json::object data;
  data["request_id"] = request.id;
  data["cohort_id"] = request.cohortid;
  data["source"] = core::to_string(request.source);
  data["mentee"] = std::move(mentee).value();
  data["mentor"] = std::move(mentor).value();
  data["reply_by"] = core::format_rfc3339_ms(request.expires_at * 1000);
  return append(s, core::OutboundEventType::kPairingProposed, data, now);
}

core::Result<int> append_survey_due_events(core::Stores& s, const core::SurveyRound& round, std::int64_t schemeid,
                                           core::UnixSeconds now) {
  return announce_survey_round(s, round, schemeid, now);
}

core::Result<bool> append_certificate_issued_event(core::Stores& s, const core::CheckinResponse& checkin,
                                                   const core::Cohort& cohort, core::UnixSeconds now) {
  if (checkin.role != core::Role::kMentor || checkin.phase != core::CheckinPhase::kEnd) return false;
  auto responses = s.checkins.list_by_cohort(checkin.cohortid);
  if (!responses) return responses.status();
  for (const core::CheckinResponse& r : *responses) {
    // An earlier end-of-scheme check-in by this mentor in this cohort (for
    // another of their pairings) already announced the certificate.
    if (r.id != checkin.id && r.accountid == checkin.accountid && r.role == core::Role::kMentor &&
        r.phase == core::CheckinPhase::kEnd)
      return false;
  }
  auto mentor = person_of_account(s, checkin.accountid);
  if (!mentor) return mentor.status();
  boost::json::object data;
  data["cohort_id"] = checkin.cohortid;
  data["scheme_id"] = cohort.schemeid;
  data["pairing_id"] = checkin.pairingid;
  data["issued_on"] = core::Date::from_unix(now).to_string();
  const std::string key =
      "certificate:cohort:" + std::to_string(checkin.cohortid) + ":account:" + std::to_string(checkin.accountid);
  data["idempotency_key"] = key;
  data["mentor"] = std::move(mentor).value();
  // Two end check-ins of the mentor's pairings committed at the same moment
  // both find no earlier one above; the key's unique index lets only one
  // event in.
  auto appended = s.outbox.append_once(core::to_string(core::OutboundEventType::kCertificateIssued),
                                       boost::json::serialize(data), key, now);
  if (!appended) return appended.status();
  return appended->has_value();
}

}  // namespace mentoring::app
