// Use cases for enrolling mentees and mentors in a cohort. Each call is one
// transaction; the window check and the insert see the same snapshot.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::app {

// The enrolment command's checks and insert on stores already inside a
// transaction: the cohort and an active account must exist and the window
// be open; then `eligibility` (when set) may refuse; then the row is written
// and the audit log records it as done by `actor`.
core::Result<core::Enrolment> enrol_in_transaction(core::Stores& s, std::int64_t cohortid, std::int64_t accountid,
                                                   core::Role role, core::UnixSeconds now,
                                                   const std::function<core::Status(const core::Cohort&)>& eligibility,
                                                   const core::Actor& actor = core::Actor::service());

// Something that enrols only those a scheme admits (app/setup_profiles.h);
// it runs its own transaction.
class EnrolmentGate {
 public:
  virtual ~EnrolmentGate() = default;
  virtual core::Result<core::Enrolment> enrol(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                              bool widening_participation, const core::Actor& actor) = 0;
};

class EnrolmentService {
 public:
  EnrolmentService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Enrols `accountid` in `cohortid` as `role` while the cohort's enrolment
  // window is open. AlreadyExists for a second enrolment with the same role.
  // With a gate set, the gate decides (and checks eligibility); the
  // self-declared `widening_participation` is passed on to it.
  core::Result<core::Enrolment> enrol(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                      bool widening_participation = false, const core::Actor& actor = core::Actor::service());
  // `gate` (may be null) must outlive this service.
  void set_gate(EnrolmentGate* gate) { gate_ = gate; }
  core::Result<core::Enrolment> withdraw(std::int64_t enrolmentid, const core::Actor& actor = core::Actor::service());
  core::Result<std::vector<core::Enrolment>> list(std::int64_t cohortid, std::optional<core::Role> role,
                                                  core::Page page);
  core::Result<std::int64_t> count(std::int64_t cohortid, std::optional<core::Role> role);

 private:
  core::Database& db_;
  const core::Clock& clock_;
  EnrolmentGate* gate_ = nullptr;
};

}  // namespace mentoring::app
