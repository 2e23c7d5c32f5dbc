// Storage port for midpoint and end check-in responses (core/checkin.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/checkin.h"
#include "core/stores.h"

namespace mentoring::core {

// A pairing the account is part of, and as whom.
struct PartyPairing {
  std::int64_t pairingid = 0;
  Role role = Role::kMentee;
};

class CheckinStore {
 public:
  virtual ~CheckinStore() = default;
  virtual Result<std::optional<CheckinResponse>> find(std::int64_t pairingid, std::int64_t accountid,
                                                      CheckinPhase phase) = 0;
  // AlreadyExists "checkin_exists" when the person has answered that phase
  // for that pairing; NotFound "pairing_not_found" / "account_not_found".
  virtual Result<CheckinResponse> create(const CheckinResponse& response, UnixSeconds now) = 0;
  // Replaces the answers of the stored response, keeping its id and
  // timecreated. NotFound "checkin_not_found".
  virtual Result<CheckinResponse> update(const CheckinResponse& response, UnixSeconds now) = 0;
  // Every response of the cohort, by pairing, phase and account.
  virtual Result<std::vector<CheckinResponse>> list_by_cohort(std::int64_t cohortid) = 0;
  // The account's own responses, oldest first.
  virtual Result<std::vector<CheckinResponse>> list_by_account(std::int64_t accountid) = 0;
  // The active and ended pairings the account is mentee or mentor in, by
  // pairing id.
  virtual Result<std::vector<PartyPairing>> pairings_of_account(std::int64_t accountid) = 0;
};

}  // namespace mentoring::core
