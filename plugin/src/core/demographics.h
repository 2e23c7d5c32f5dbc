// Demographic monitoring data: optional answers a mentee or mentor may give
// so the scheme can check equity of access (toolkit, "Demographic information
// ... to monitor and develop equity of access"). Nothing here is required,
// every question offers "prefer_not_to_say", and the answers are never used
// for matching: the matching code has no access to them.
//
// The answers of one account are stored as one record encrypted with
// AES-256-GCM under a versioned key (the FieldCipher port; the OpenSSL
// implementation is storage/aes_gcm.h). Only people holding the
// confidential-data responsibility may read them, every read is audited, and
// evaluation sees them only as counts by group after small-number
// suppression (count_by_group).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/evaluation/disclosure.h"
#include "core/status.h"

namespace mentoring::core {

inline constexpr const char* kPreferNotToSay = "prefer_not_to_say";
// The label count_by_group uses for people who did not answer a question.
inline constexpr const char* kNotAnswered = "not_answered";

// One monitoring question and its answers (snake_case words, "prefer not to
// say" last). The categories follow the ONS 2021 census and NHS workforce
// monitoring at their top level, so small deaneries are not split too finely.
struct DemographicQuestion {
  const char* name;
  std::vector<const char*> answers;
};

// Every question, in the order forms show them: age_band, sex,
// gender_same_as_birth, ethnicity, disability, sexual_orientation, religion,
// caring_responsibilities, socio_economic_background.
const std::vector<DemographicQuestion>& demographic_questions();
const DemographicQuestion* find_demographic_question(std::string_view name);

// Question name -> answer. A question left out was not answered.
using DemographicAnswers = std::map<std::string, std::string>;

// Reasons: demographics_question_unknown (field = the question),
// demographics_answer_invalid (field = the question; the message lists the
// answers allowed).
Status validate(const DemographicAnswers& answers);

// The plaintext that is encrypted: "name=answer\n" per answered question in
// name order. Only validated answers (plain words) are written, so the text
// needs no escaping.
std::string serialise_demographics(const DemographicAnswers& answers);
// The reverse; refuses (internal "demographics_record_corrupt") anything
// serialise_demographics would not write, so a wrong key or a damaged row
// never turns into answers.
Result<DemographicAnswers> parse_demographics(std::string_view text);

// The additional authenticated data of an account's record under a key
// version: "mentoring.demographics.v1:account=<id>:key=<version>". Moving a
// row to another account, or relabelling its key version, breaks the tag.
std::string demographics_aad(std::int64_t accountid, int key_version);

// Counts of each answer to `question` across `records` (plus kNotAnswered),
// with small numbers suppressed by evaluation::suppress_counts. The only way
// evaluation reads demographic data. Reasons: demographics_question_unknown,
// and those of suppress_counts.
Result<evaluation::PublishedCounts> count_by_group(const std::vector<DemographicAnswers>& records,
                                                   std::string_view question,
                                                   const evaluation::SuppressionOptions& options = {});

// An encrypted value as stored: the key version that sealed it, the 12-byte
// IV and the ciphertext with its 16-byte GCM tag appended (raw bytes).
struct SealedValue {
  int key_version = 0;
  std::string iv{};
  std::string ciphertext{};
};

// Authenticated encryption with versioned keys (a keyring). Implementations
// draw a fresh random IV for every seal.
class FieldCipher {
 public:
  virtual ~FieldCipher() = default;
  // The version new values are sealed with; 0 when no key is configured.
  virtual int current_version() const = 0;
  // Seals under the current key. failed_precondition "demographics_disabled"
  // without a key.
  virtual Result<SealedValue> seal(std::string_view plaintext, std::string_view aad) const = 0;
  // Opens with the key the value names. failed_precondition
  // "demographics_key_unknown" when the keyring lacks that version;
  // internal "demographics_decrypt_failed" when the tag does not verify
  // (wrong key, changed ciphertext, IV or AAD).
  virtual Result<std::string> open(const SealedValue& sealed, std::string_view aad) const = 0;
};

}  // namespace mentoring::core
