#include "app/webhook_events.h"

#include <boost/json.hpp>

#include "core/events.h"
#include "core/webhook_stores.h"

namespace mentoring::app {

core::Status append_enrolled_event(core::Stores& s, const core::Enrolment& enrolment, const core::Cohort& cohort,
                                   const core::Account& account, core::UnixSeconds now) {
  // Ids only: the host knows the person by (platform, subject) and names
  // travel no further than they must.
  boost::json::object data;
  data["enrolment_id"] = enrolment.id;
  data["cohort_id"] = enrolment.cohortid;
  data["scheme_id"] = cohort.schemeid;
  data["role"] = core::to_string(enrolment.role);
  data["account"] = boost::json::object{{"platform", account.platform}, {"subject", account.subject}};
  auto appended =
      s.outbox.append(core::to_string(core::OutboundEventType::kEnrolled), boost::json::serialize(data), now);
  return appended.status();
}

}  // namespace mentoring::app
