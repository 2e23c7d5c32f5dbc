// Storage port for point-of-contact concerns (core/concern.h). The store
// holds the confidential text but does not decide who may read it: the use
// cases in app/concerns.h check the reader against the governance register
// before they call it, and audit every read.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/concern.h"
#include "core/stores.h"

namespace mentoring::core {

class ConcernStore {
 public:
  virtual ~ConcernStore() = default;
  // Stores a new concern (id and times ignored; state as given). The text
  // stored is `sealed_text` when its key_version is 1 or more, otherwise
  // `text` as plain (the use cases always store empty text and seal it with
  // seal_text once the row has its id). NotFound
  // "pairing_not_found" or "account_not_found".
  virtual Result<Concern> create(const Concern& concern, UnixSeconds now) = 0;
  virtual Result<std::optional<Concern>> find(std::int64_t id) = 0;
  // Writes state, outcome and the three times of `concern`, only if the
  // stored state is still `expected`: Conflict "concern_changed" when
  // someone else changed it first; NotFound "concern_not_found".
  virtual Result<Concern> update_state(const Concern& concern, ConcernState expected, UnixSeconds now) = 0;
  // Appends to a concern's history, storing the text like create does.
  // NotFound "concern_not_found".
  virtual Result<ConcernAction> add_action(const ConcernAction& action, UnixSeconds now) = 0;
  // Replaces the stored text of a concern, or of an action, with `sealed`
  // (key_version >= 1). NotFound "concern_not_found" /
  // "concern_action_not_found".
  virtual Status seal_text(std::int64_t concernid, const SealedValue& sealed) = 0;
  virtual Status seal_action_text(std::int64_t actionid, const SealedValue& sealed) = 0;
  // Rows whose text is still plain (key_version 0), by id after `after_id`,
  // at most `limit`: what the startup sealing step works through.
  virtual Result<std::vector<Concern>> list_unsealed(std::int64_t after_id, std::int64_t limit) = 0;
  virtual Result<std::vector<ConcernAction>> list_unsealed_actions(std::int64_t after_id, std::int64_t limit) = 0;
  // Every row by id after `after_id`, at most `limit`, whatever its text is
  // sealed with (plain rows included): what re-keying works through.
  virtual Result<std::vector<Concern>> list_after(std::int64_t after_id, std::int64_t limit) = 0;
  virtual Result<std::vector<ConcernAction>> list_actions_after(std::int64_t after_id, std::int64_t limit) = 0;
  // Oldest first.
  virtual Result<std::vector<ConcernAction>> actions(std::int64_t concernid) = 0;
  // Concerns the account raised, newest first.
  virtual Result<std::vector<Concern>> list_raised_by(std::int64_t accountid) = 0;
  // Concerns of a scheme, in core::concern_list_order; `open_only` leaves out
  // resolved ones.
  virtual Result<std::vector<Concern>> list_by_scheme(std::int64_t schemeid, bool open_only, Page page) = 0;
  virtual Result<std::int64_t> count_by_scheme(std::int64_t schemeid, bool open_only) = 0;
};

}  // namespace mentoring::core
