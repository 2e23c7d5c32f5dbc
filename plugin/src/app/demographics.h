// Use cases for demographic monitoring data (core/demographics.h): saving a
// person's optional answers encrypted, reading them back under the
// confidential-data rule with an audit entry, removing them, re-encrypting
// every record under the current key, and counts by group for evaluation
// with small numbers suppressed.
//
// Who may read answers: the person themselves, or an account that holds the
// "confidential_data" responsibility in a scheme's governance register, or
// a caller that has already checked the mentoring/confidential:view
// capability of a signed-in user (web pages). Everyone else gets
// permission_denied "confidential_access_required". Counts by group need no
// such right: they never show fewer than the suppression threshold.
//
// Matching never calls this service.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/rekey.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/demographics.h"
#include "core/stores.h"

namespace mentoring::app {

struct DemographicsView {
  std::int64_t accountid = 0;
  core::DemographicAnswers answers;
  int key_version = 0;
  core::UnixSeconds timemodified = 0;
};

class DemographicsService {
 public:
  // `cipher` must outlive the service.
  DemographicsService(core::Database& db, const core::Clock& clock, const core::FieldCipher& cipher)
      : db_(db), clock_(clock), cipher_(cipher) {}

  // False when no key is configured; every call then answers
  // failed_precondition "demographics_disabled".
  bool enabled() const { return cipher_.current_version() > 0; }

  // Validates and stores the account's answers (replacing earlier ones),
  // sealed under the current key. Audited as an update.
  core::Result<DemographicsView> save(std::int64_t accountid, const core::DemographicAnswers& answers,
                                      const core::Actor& actor);
  // NotFound "demographics_not_found" when the account gave none. Audited as
  // confidential_read, in the same transaction as the read.
  core::Result<DemographicsView> read(std::int64_t accountid, const core::Actor& actor,
                                      bool capability_checked = false);
  // Removes the answers (a person may withdraw them at any time). Audited.
  core::Result<bool> remove(std::int64_t accountid, const core::Actor& actor);
  // Re-encrypts every record not sealed with the current key, in batches of
  // kRekeyBatch records per transaction (a failure keeps the batches done,
  // each wholly). Audited once per batch. Needs the confidential-data right.
  core::Result<RekeyReport> rekey(const core::Actor& actor, bool capability_checked = false);
  // Counts of each answer to `question` among every account with answers
  // (or, with `cohortid`, among those enrolled in that cohort, where members
  // without answers count as not_answered), suppressed
  // with core::count_by_group.
  core::Result<core::evaluation::PublishedCounts> counts(const std::string& question,
                                                         std::optional<std::int64_t> cohortid,
                                                         const core::evaluation::SuppressionOptions& options = {});

  static constexpr std::int64_t kRekeyBatch = 500;

 private:
  core::Database& db_;
  const core::Clock& clock_;
  const core::FieldCipher& cipher_;
};

// OK when `actor` may read confidential data (see above).
core::Status require_confidential_access(core::Stores& s, const core::Actor& actor,
                                         std::optional<std::int64_t> own_accountid, bool capability_checked);

// Opens an account's stored record with `cipher` and parses it.
core::Result<core::DemographicAnswers> open_demographics(const core::FieldCipher& cipher, std::int64_t accountid,
                                                         const core::SealedValue& sealed);

}  // namespace mentoring::app
