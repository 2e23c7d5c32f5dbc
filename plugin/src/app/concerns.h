// Use cases for point-of-contact concerns (core/concern.h). Each call is one
// transaction.
//
// Routing: a concern goes to the account holding "day-to-day management and
// point of contact" in the scheme's governance register, and an escalation
// to the holder of "set-up and initial delivery" (the scheme lead). Raising
// and escalating each append mentoring.escalation_raised to the webhook
// outbox in the same transaction, so the host tells the right person; the
// event carries ids, category and urgency, never the text or the raiser.
//
// Confidentiality: a concern's text and history are returned only to the
// person who raised it, the scheme's current point of contact and the scheme
// lead; anyone else is told the concern does not exist. Every read of a
// concern's text is audited as confidential_read, every change as an update.
// Staff queues list concerns without their text.
//
// Encryption at rest: the text of a concern and of every action on it is
// sealed with AES-256-GCM through the FieldCipher (the keyring of
// privacy.demographics_keys) before it is stored, under additional data
// naming the row, the account and the key version
// (core::concern_text_aad), and opened only to hand it to one of the people
// above. Without a key, concerns can be neither raised nor read
// (failed_precondition concern_sealing_disabled). Rows stored before schema
// step 0013 are sealed by seal_plain_rows when the plugin starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/rekey.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/concern.h"
#include "core/stores.h"

namespace mentoring::app {

// A concern as one person may see it.
struct ConcernView {
  core::Concern concern;
  std::vector<core::ConcernAction> history;  // oldest first
  core::ConcernViewer viewer = core::ConcernViewer::kNone;
};

struct ConcernQueue {
  std::vector<core::Concern> concerns;  // text left empty; in core::concern_list_order
  std::int64_t total = 0;
  // Who the person is to this scheme's concerns.
  core::ConcernViewer viewer = core::ConcernViewer::kNone;
};

// The scheme's point of contact and scheme lead from the governance
// register (0 when unassigned).
struct ConcernRouting {
  std::int64_t point_of_contact = 0;
  std::int64_t scheme_lead = 0;
};
core::Result<ConcernRouting> concern_routing(core::Stores& s, std::int64_t schemeid);

// What seal_plain_rows did.
struct ConcernSealReport {
  std::int64_t concerns = 0;  // concerns whose text was sealed
  std::int64_t actions = 0;   // actions whose text was sealed
};

// What rekey did: the concerns' own text and their actions' notes.
struct ConcernRekeyReport {
  int key_version = 0;  // the version every text is now sealed with
  RekeyReport concerns;
  RekeyReport actions;
};

class ConcernService {
 public:
  // `cipher` seals and opens the text; it must outlive the service.
  // `reply_days`: how long a mentor has to answer the request made when a
  // rematch frees their place for a waiting mentee (matching.reply_days).
  ConcernService(core::Database& db, const core::Clock& clock, const core::FieldCipher& cipher, int reply_days = 7)
      : db_(db), clock_(clock), cipher_(cipher), reply_days_(reply_days) {}

  // False when no key is configured: concerns can then be neither raised nor
  // read (concern_sealing_disabled).
  bool sealing_enabled() const { return cipher_.current_version() > 0; }

  // Seals, under the current key, the text of every concern and action
  // still stored plain (written before schema step 0013), in batches of one
  // transaction each; each batch is audited without the text. Safe to run
  // from several instances at once and to run again. Does nothing without a
  // key (concern_sealing_disabled).
  core::Result<ConcernSealReport> seal_plain_rows();

  // Seals again, under the keyring's current key, the text of every concern
  // and every action sealed under another key version (and any plain row
  // left), so that the older key can be removed from
  // privacy.demographics_keys. Needs the confidential-data right
  // (app::require_confidential_access) unless `capability_checked`. Works in
  // batches of kRekeyBatch rows, each in its own transaction and audited
  // without the text (app/rekey.h): rows already on the current key are left
  // alone, so after a failure it can simply run again. A row that does not
  // open stops it with that row's error (concern_text_key_unknown,
  // concern_text_decrypt_failed), keeping the batches done. Without a key:
  // failed_precondition concern_sealing_disabled.
  core::Result<ConcernRekeyReport> rekey(const core::Actor& actor, bool capability_checked = false);
  static constexpr std::int64_t kRekeyBatch = 200;

  // `accountid` raises a concern about a pairing they are the mentee or the
  // mentor of. Checks: the input (core::validate); the pairing exists
  // (NotFound pairing_not_found) and the person is in it (permission_denied
  // concern_not_in_pairing); it is active or ended (failed_precondition
  // concern_pairing_not_started); the scheme names a point of contact
  // (failed_precondition scheme_no_point_of_contact) who is not the raiser
  // (failed_precondition concern_point_of_contact_is_raiser).
  core::Result<core::Concern> raise(std::int64_t accountid, const core::ConcernInput& input);

  // The concern with its history, audited. NotFound concern_not_found when
  // there is none or the person may not see it. Text that does not open
  // answers internal concern_text_decrypt_failed (a wrong key, or text
  // changed or moved from another row), failed_precondition
  // concern_text_key_unknown (its key version is no longer configured) or
  // failed_precondition concern_text_unsealed (a plain row not sealed yet).
  core::Result<ConcernView> view(std::int64_t accountid, std::int64_t concernid);
  // The concerns the person raised, newest first, with their text (their own).
  core::Result<std::vector<core::Concern>> mine(std::int64_t accountid);
  // The scheme's concerns for its point of contact or scheme lead
  // (permission_denied concern_not_handler for anyone else).
  core::Result<ConcernQueue> queue(std::int64_t accountid, std::int64_t schemeid, bool open_only, core::Page page);

  // The handler's actions (core::check_*), each recorded in the history with
  // its note (required for add_note). Escalation needs a scheme lead
  // (failed_precondition scheme_no_lead). Conflict concern_changed when
  // someone else changed the concern at the same moment.
  core::Result<ConcernView> acknowledge(std::int64_t accountid, std::int64_t concernid, const std::string& note);
  core::Result<ConcernView> add_note(std::int64_t accountid, std::int64_t concernid, const std::string& note);
  core::Result<ConcernView> escalate(std::int64_t accountid, std::int64_t concernid, const std::string& note);
  // Resolves with an outcome. kRematch also ends the pairing, if it is still
  // active, as "not a good fit" by an administrator (no fault; the two are
  // not matched again), freeing the mentor's place in the same transaction;
  // the mentee can then be matched again through the matching pages. The
  // raiser may only withdraw (kWithdrawn).
  core::Result<ConcernView> resolve(std::int64_t accountid, std::int64_t concernid, core::ConcernOutcome outcome,
                                    const std::string& note);

 private:
  core::Database& db_;
  const core::Clock& clock_;
  const core::FieldCipher& cipher_;
  int reply_days_;
};

}  // namespace mentoring::app
