// The pages people see once their portal has launched them into Mentoring.
//
// Trainees and mentors:
//   GET  /                        home: my scheme, my status, the next step
//                                 (?handoff=... offers "open in a new window")
//   GET  /profile/mentee          mentee profile form      (mentee:participate)
//   POST /profile/mentee
//   GET  /profile/mentor          mentor profile form      (mentor:participate)
//   POST /profile/mentor
//   GET  /matching/choices        choosing a mentor        (mentee:participate)
//   GET  /relationship            my mentoring relationship (mentee or mentor)
//   GET  /feedback                feedback                  (mentee or mentor)
// Scheme staff:
//   GET  /staff                   dashboard: governance gaps, people per cohort
//                                 (scheme:manage, pairing:assign or evaluation:view)
//   GET  /staff/schemes/{id}      scheme settings form      (scheme:manage)
//   POST /staff/schemes/{id}
//   GET  /staff/schemes/{id}/participants   enrolments, 25 a page
//                                 (scheme:manage or pairing:assign)
//   GET  /staff/matching          matching runs             (pairing:assign)
//   GET  /staff/reports           reports                   (evaluation:view)
//   GET  /staff/audit             audit log                 (scheme:manage)
//   GET  /staff/jobs/{id}         progress of a long task   (its owner, or staff)
// JSON for the progress bar's script (same session cookie, same rule):
//   GET  /api/v1/jobs/{id}        {id, kind, state, value, max, percent, message,
//                                  status, done, remaining_seconds, started_at,
//                                  updated_at, finished_at}
//                                 `done` is true once the job has finished;
//                                 `value` of `max` units are complete.
#pragma once

#include "adapters/http/router.h"
#include "adapters/web/pages/page_context.h"

namespace mentoring::web {

// Adds every route above. `ctx` must outlive the router.
void add_signed_in_pages(http::Router& router, const PageContext& ctx);

}  // namespace mentoring::web
