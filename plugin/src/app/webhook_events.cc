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

}  // namespace mentoring::app
