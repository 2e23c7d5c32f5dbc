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
  // Stores a new concern (id and times ignored; state as given). NotFound
  // "pairing_not_found" or "account_not_found".
  virtual Result<Concern> create(const Concern& concern, UnixSeconds now) = 0;
  virtual Result<std::optional<Concern>> find(std::int64_t id) = 0;
  // Writes state, outcome and the three times of `concern`, only if the
  // stored state is still `expected`: Conflict "concern_changed" when
  // someone else changed it first; NotFound "concern_not_found".
  virtual Result<Concern> update_state(const Concern& concern, ConcernState expected, UnixSeconds now) = 0;
  // Appends to a concern's history. NotFound "concern_not_found".
  virtual Result<ConcernAction> add_action(const ConcernAction& action, UnixSeconds now) = 0;
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
