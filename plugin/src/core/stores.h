// Storage ports: what the use cases need from a database, in domain terms.
//
// The SOCI implementation lives in storage/; tests may use it on an SQLite
// file or on PostgreSQL through the same conformance suite. All calls made
// inside one Database::transact() share one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/account.h"
#include "core/enrolment.h"
#include "core/lti_stores.h"
#include "core/scheme.h"
#include "core/status.h"

namespace mentoring::core {

// Set-up stores, declared in core/setup_stores.h.
class ObjectiveStore;
class GovernanceStore;
class EligibilityStore;
class ProfileStore;
class TrainingStore;
class AgreementStore;
// Progress of long work and one-time form tokens, declared in core/jobs.h.
class JobStore;
class FormSubmissionStore;
// Mentor places, pairings, requests and matching runs, declared in core/matching_stores.h.
class PairingStore;
class MatchingRunStore;
// Ranked mentor choices, declared in core/matching_choice_stores.h.
class ChoiceListStore;
// The audit log, encrypted demographic records and privacy operations,
// declared in core/audit_stores.h.
class AuditStore;
class DemographicsStore;
class PrivacyStore;
// Webhook inbox and outbox, and what host events say about people, declared
// in core/webhook_stores.h.
class InboxStore;
class OutboxStore;
class HostAccountStore;
// Surveys, evaluation consent and audience sizes, imported outcomes,
// declared in core/evaluation_stores.h.
class SurveyStore;
class EvaluationStore;
class OutcomeStore;
class BulkImportStore;
// Point-of-contact concerns and check-ins, declared in core/concern_stores.h
// and core/checkin_stores.h.
class ConcernStore;
class CheckinStore;
// Agreement acceptances, meetings, goals, protected time and reminders,
// declared in core/relationship/relationship_stores.h.
namespace relationship {
class RelationshipStore;
}
// Which people each survey round was announced to, declared in
// core/survey_due_stores.h.
class SurveyDueStore;
// Mentor applications, declared in core/mentor_application_stores.h.
class MentorApplicationStore;
// Business-as-usual plans and phase changes, declared in
// core/business_as_usual_stores.h.
class BusinessAsUsualStore;
// core/import_upload_stores.h
class ImportUploadStore;
// Group sessions of a cohort, declared in core/cohort_session_stores.h.
class CohortSessionStore;

// A page of a listing. `limit` is capped by the store at kMaxPageSize.
struct Page {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
inline constexpr std::int64_t kMaxPageSize = 1000;

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  // Inserts the account or, when (platform, subject) exists, updates its name
  // and email. Returns the stored row.
  virtual Result<Account> upsert(const AccountInput& input, UnixSeconds now) = 0;
  virtual Result<std::optional<Account>> find(std::int64_t id) = 0;
  virtual Result<std::optional<Account>> find_by_subject(const std::string& platform,
                                                         const std::string& subject) = 0;
  virtual Result<std::int64_t> count() = 0;
};

class SchemeStore {
 public:
  virtual ~SchemeStore() = default;
  virtual Result<Scheme> create(const SchemeInput& input, UnixSeconds now) = 0;
  // NotFound when there is no scheme `id`.
  virtual Result<Scheme> update(std::int64_t id, const SchemeInput& input, UnixSeconds now) = 0;
  virtual Result<std::optional<Scheme>> find(std::int64_t id) = 0;
  virtual Result<std::vector<Scheme>> list(Page page) = 0;

  // NotFound when the scheme does not exist.
  virtual Result<Cohort> create_cohort(const CohortInput& input, UnixSeconds now) = 0;
  virtual Result<std::optional<Cohort>> find_cohort(std::int64_t id) = 0;
  virtual Result<std::vector<Cohort>> list_cohorts(std::int64_t schemeid) = 0;
};

class EnrolmentStore {
 public:
  virtual ~EnrolmentStore() = default;
  // AlreadyExists when the account already has an enrolment in that cohort
  // with that role; NotFound when the cohort or the account does not exist.
  virtual Result<Enrolment> create(std::int64_t cohortid, std::int64_t accountid, Role role,
                                   UnixSeconds now) = 0;
  virtual Result<std::optional<Enrolment>> find(std::int64_t id) = 0;
  virtual Result<std::vector<Enrolment>> list_by_cohort(std::int64_t cohortid, std::optional<Role> role,
                                                        Page page) = 0;
  virtual Result<std::int64_t> count_by_cohort(std::int64_t cohortid, std::optional<Role> role) = 0;
  // NotFound when there is no enrolment `id`.
  virtual Result<Enrolment> set_status(std::int64_t id, EnrolmentStatus status, UnixSeconds now) = 0;
};

// The stores bound to one open transaction.
struct Stores {
  AccountStore& accounts;
  SchemeStore& schemes;
  EnrolmentStore& enrolments;
  // LTI registrations, contexts, role mappings and the tool's keys.
  LtiStore& lti;
  // Login states, used nonces and handoff tokens.
  LtiLaunchStore& lti_launch;
  // Server-side sessions created by launches.
  SessionStore& sessions;
  // Scheme set-up (core/setup_stores.h): objectives, governance, eligibility,
  // profiles, training and CPD, agreement templates.
  ObjectiveStore& objectives;
  GovernanceStore& governance;
  EligibilityStore& eligibility;
  ProfileStore& profiles;
  TrainingStore& training;
  AgreementStore& agreements;
  // LTI Advantage (core/lti_stores.h): service endpoints per context,
  // rosters, line items, Deep Linking requests.
  LtiAdvantageStore& lti_advantage;
  // Progress of long work and submitted forms (core/jobs.h).
  JobStore& jobs;
  FormSubmissionStore& form_submissions;
  // Matching (core/matching_stores.h): places, pairings, requests, runs.
  PairingStore& pairings;
  MatchingRunStore& matching_runs;
  // Audit log, demographic monitoring records, subject access export and
  // erasure (core/audit_stores.h).
  AuditStore& audit;
  DemographicsStore& demographics;
  PrivacyStore& privacy;
  // Webhooks (core/webhook_stores.h): verified deliveries from the host, the
  // plugin's own events to send (append them in the transaction that makes
  // the change), and host data about people.
  InboxStore& webhook_inbox;
  OutboxStore& outbox;
  HostAccountStore& host_accounts;
  // Evaluation (core/evaluation_stores.h): surveys and responses, consent
  // and target audience sizes, outcome records (read back only in aggregate).
  SurveyStore& surveys;
  EvaluationStore& evaluation;
  OutcomeStore& outcomes;
  // Point-of-contact concerns (core/concern_stores.h) and midpoint and end
  // check-ins (core/checkin_stores.h).
  ConcernStore& concerns;
  CheckinStore& checkins;
  // The relationship (core/relationship/relationship_stores.h).
  relationship::RelationshipStore& relationships;
  // Bulk CSV import, its statements prepared once per transaction
  // (core/bulk_import_stores.h).
  BulkImportStore& bulk_import;
  // The people each survey round was announced to (core/survey_due_stores.h).
  SurveyDueStore& survey_due;
  // Ranked mentor choices (core/matching_choice_stores.h).
  ChoiceListStore& choice_lists;
  // Mentor applications and each scheme's recruitment setting
  // (core/mentor_application_stores.h).
  MentorApplicationStore& mentor_applications;
  // Each scheme's business-as-usual plan and its phase history
  // (core/business_as_usual_stores.h).
  BusinessAsUsualStore& business_as_usual;
  // Uploaded import files, their queue and their reports
  // (core/import_upload_stores.h).
  ImportUploadStore& import_uploads;
  // Group sessions of a cohort and their attendance
  // (core/cohort_session_stores.h).
  CohortSessionStore& cohort_sessions;
};

// The database as the use cases see it.
class Database {
 public:
  virtual ~Database() = default;
  // Runs `work` in one transaction: commits when it returns OK, rolls back
  // otherwise (and on any exception from the driver, which becomes a Status).
  virtual Status transact(const std::function<Status(Stores&)>& work) = 0;
  // Runs `work`, which only reads, in one read-only transaction: it sees one
  // consistent snapshot and never waits for, or holds up, a writer. A write
  // attempted inside fails (SQLite: "attempt to write a readonly database";
  // PostgreSQL: "read-only transaction"), so use transact() for anything
  // that may write. Implementations without a cheaper read path use transact().
  virtual Status read_only(const std::function<Status(Stores&)>& work) { return transact(work); }
  // OK when a connection answers and the schema is at the version this build
  // expects; Unavailable or FailedPrecondition otherwise.
  virtual Status check_ready() = 0;
};

}  // namespace mentoring::core
