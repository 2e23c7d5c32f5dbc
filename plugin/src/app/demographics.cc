#include "app/demographics.h"

#include <set>

#include "app/audit.h"
#include "app/unit_of_work.h"
#include "core/audit_stores.h"
#include "core/governance.h"

namespace mentoring::app {
using core::Result;
using core::Status;

namespace {

Status disabled() {
  return Status::failed_precondition("demographics_disabled",
                                     "Demographic monitoring is switched off: no key is configured in "
                                     "privacy.demographics_keys.");
}

}  // namespace

Status require_confidential_access(core::Stores& s, const core::Actor& actor, std::optional<std::int64_t> own_accountid,
                                   bool capability_checked) {
  if (capability_checked) return Status::ok();
  const Status denied = Status::permission_denied(
      "confidential_access_required",
      "Reading demographic data needs an actor (X-Mentoring-Actor) who holds the confidential data "
      "responsibility in a scheme's governance register.");
  if (actor.is_service()) return denied;
  if (own_accountid && *actor.accountid == *own_accountid) return Status::ok();
  auto holds =
      s.privacy.holds_responsibility(*actor.accountid, core::to_string(core::Responsibility::kConfidentialData));
  if (!holds) return holds.status();
  return *holds ? Status::ok() : denied;
}

Result<core::DemographicAnswers> open_demographics(const core::FieldCipher& cipher, std::int64_t accountid,
                                                   const core::SealedValue& sealed) {
  auto plain = cipher.open(sealed, core::demographics_aad(accountid, sealed.key_version));
  if (!plain) return plain.status();
  return core::parse_demographics(*plain);
}

Result<DemographicsView> DemographicsService::save(std::int64_t accountid, const core::DemographicAnswers& answers,
                                                   const core::Actor& actor) {
  if (!enabled()) return disabled();
  MENTORING_RETURN_IF_ERROR(core::validate(answers));
  const int version = cipher_.current_version();
  auto sealed = cipher_.seal(core::serialise_demographics(answers), core::demographics_aad(accountid, version));
  if (!sealed) return sealed.status();
  return in_transaction<DemographicsView>(db_, [&](core::Stores& s) -> Result<DemographicsView> {
    const core::UnixSeconds now = clock_.now();
    auto stored = s.demographics.save(accountid, *sealed, now);
    if (!stored) return stored.status();
    MENTORING_RETURN_IF_ERROR(
        audit(s, actor, core::AuditAction::kUpdate, "demographics", accountid, "monitoring answers saved", now));
    return DemographicsView{accountid, answers, stored->sealed.key_version, stored->timemodified};
  });
}

Result<DemographicsView> DemographicsService::read(std::int64_t accountid, const core::Actor& actor,
                                                   bool capability_checked) {
  if (!enabled()) return disabled();
  return in_transaction<DemographicsView>(db_, [&](core::Stores& s) -> Result<DemographicsView> {
    MENTORING_RETURN_IF_ERROR(require_confidential_access(s, actor, accountid, capability_checked));
    auto found = s.demographics.find(accountid);
    if (!found) return found.status();
    if (!found->has_value())
      return Status::not_found("demographics_not_found", "The account has given no monitoring answers.");
    auto answers = open_demographics(cipher_, accountid, (*found)->sealed);
    if (!answers) return answers.status();
    MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kConfidentialRead, "demographics", accountid,
                                    "monitoring answers read", clock_.now()));
    return DemographicsView{accountid, std::move(answers).value(), (*found)->sealed.key_version,
                            (*found)->timemodified};
  });
}

Result<bool> DemographicsService::remove(std::int64_t accountid, const core::Actor& actor) {
  if (!enabled()) return disabled();
  return in_transaction<bool>(db_, [&](core::Stores& s) -> Result<bool> {
    auto removed = s.demographics.remove(accountid);
    if (!removed) return removed.status();
    if (*removed)
      MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kDelete, "demographics", accountid,
                                      "monitoring answers removed", clock_.now()));
    return *removed;
  });
}

Result<RekeyReport> DemographicsService::rekey(const core::Actor& actor, bool capability_checked) {
  if (!enabled()) return disabled();
  RekeyReport report;
  report.key_version = cipher_.current_version();
  MENTORING_RETURN_IF_ERROR(rekey_in_batches(
      db_, kRekeyBatch,
      [&](core::Stores& s, std::int64_t after) -> Result<RekeyBatch> {
        MENTORING_RETURN_IF_ERROR(require_confidential_access(s, actor, std::nullopt, capability_checked));
        auto records = s.demographics.list_after(after, kRekeyBatch);
        if (!records) return records.status();
        RekeyBatch b;
        const core::UnixSeconds now = clock_.now();
        for (const auto& r : *records) {
          b.last_id = r.id;
          ++b.seen;
          if (r.sealed.key_version == report.key_version) continue;
          auto plain = cipher_.open(r.sealed, core::demographics_aad(r.accountid, r.sealed.key_version));
          if (!plain) return plain.status();
          auto sealed = cipher_.seal(*plain, core::demographics_aad(r.accountid, report.key_version));
          if (!sealed) return sealed.status();
          auto saved = s.demographics.save(r.accountid, *sealed, now);
          if (!saved) return saved.status();
          ++b.changed;
        }
        if (b.changed > 0)
          MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "demographics", 0,
                                          std::to_string(b.changed) + " records re-encrypted under key version " +
                                              std::to_string(report.key_version),
                                          now));
        return b;
      },
      report));
  return report;
}

Result<core::evaluation::PublishedCounts> DemographicsService::counts(
    const std::string& question, std::optional<std::int64_t> cohortid,
    const core::evaluation::SuppressionOptions& options) {
  if (!enabled()) return disabled();
  if (!core::find_demographic_question(question))
    return Status::invalid("demographics_question_unknown",
                           "There is no monitoring question called '" + question.substr(0, 60) + "'.", "question");
  std::vector<core::DemographicAnswers> records;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    std::optional<std::set<std::int64_t>> members;
    if (cohortid) {
      auto cohort = s.schemes.find_cohort(*cohortid);
      if (!cohort) return cohort.status();
      if (!cohort->has_value()) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
      members.emplace();
      for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
        auto page = s.enrolments.list_by_cohort(*cohortid, std::nullopt, core::Page{core::kMaxPageSize, offset});
        if (!page) return page.status();
        for (const auto& e : *page) members->insert(e.accountid);
        if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
      }
    }
    std::int64_t after = 0;
    while (true) {
      auto batch = s.demographics.list_after(after, core::kMaxPageSize);
      if (!batch) return batch.status();
      for (const auto& r : *batch) {
        after = r.id;
        if (members && !members->count(r.accountid)) continue;
        auto answers = open_demographics(cipher_, r.accountid, r.sealed);
        if (!answers) return answers.status();
        records.push_back(std::move(answers).value());
      }
      if (static_cast<std::int64_t>(batch->size()) < core::kMaxPageSize) break;
    }
    // Within a cohort, members who gave no answers count as not answering
    // every question.
    if (members && members->size() > records.size()) records.resize(members->size());
    return Status::ok();
  });
  if (!st) return st;
  return core::count_by_group(records, question, options);
}

}  // namespace mentoring::app
