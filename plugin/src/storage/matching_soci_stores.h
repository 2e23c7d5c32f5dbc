// The SOCI implementations of the matching store ports
// (core/matching_stores.h), bound to one TxContext like the stores in
// soci_stores.h. Internal to storage/.
//
// Capacity is enforced by one conditional statement on the mentor's place
// row (UPDATE ... SET active = active + 1 WHERE ... AND active < capacity),
// which both backends evaluate atomically: SQLite because BEGIN IMMEDIATE
// serialises writers, PostgreSQL because a concurrent update of the same row
// waits for the first to commit and then re-checks the condition on the new
// row. Unique partial indexes keep one active pairing per mentee, one pending
// request per mentee and one running matching run per cohort.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/matching_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociPairingStore final : public core::PairingStore {
 public:
  explicit SociPairingStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::MentorPlace> sync_place(std::int64_t cohortid, std::int64_t mentorid, int capacity,
                                             core::UnixSeconds now) override;
  core::Result<std::optional<core::MentorPlace>> find_place(std::int64_t mentorid) override;
  core::Result<std::vector<core::MentorPlace>> list_places(std::int64_t cohortid) override;
  core::Result<core::Pairing> create_active(const core::PairingInput& input, core::UnixSeconds now) override;
  core::Result<std::optional<core::Pairing>> find(std::int64_t id) override;
  core::Result<std::vector<core::Pairing>> list_by_cohort(std::int64_t cohortid,
                                                          std::optional<core::PairingState> state,
                                                          core::Page page) override;
  core::Result<std::optional<core::Pairing>> active_for_mentee(std::int64_t menteeid) override;
  core::Result<core::Pairing> end(std::int64_t id, core::EndReason reason, core::EndedBy by, const std::string& note,
                                  core::UnixSeconds now) override;
  core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> not_a_good_fit_pairs(std::int64_t cohortid) override;
  core::Result<core::MenteeRequest> create_request(const core::MenteeRequest& request, core::UnixSeconds now) override;
  core::Result<std::optional<core::MenteeRequest>> find_request(std::int64_t id) override;
  core::Result<std::vector<core::MenteeRequest>> list_requests(std::int64_t cohortid, std::int64_t menteeid,
                                                               std::int64_t mentorid,
                                                               std::optional<core::RequestState> state,
                                                               core::Page page) override;
  core::Result<std::int64_t> lapse_requests(std::int64_t cohortid, core::UnixSeconds now) override;
  core::Result<core::MenteeRequest> close_request(std::int64_t id, core::RequestState to,
                                                  core::UnixSeconds now) override;
  core::Result<core::Pairing> accept_request(std::int64_t id, core::UnixSeconds now) override;
  core::Result<core::WaitingEntry> add_waiting(const core::WaitingEntry& entry, core::UnixSeconds now) override;
  core::Result<std::vector<core::WaitingEntry>> list_waiting(std::int64_t mentorid) override;
  core::Result<bool> remove_waiting(std::int64_t mentorid, std::int64_t menteeid) override;
  core::Result<core::DirectoryPage> directory(const core::DirectoryQuery& query) override;

 private:
  // create_active without its own guard, for accept_request.
  core::Result<core::Pairing> insert_active(const core::PairingInput& input, core::UnixSeconds now);
  TxContext& tx_;
};

class SociMatchingRunStore final : public core::MatchingRunStore {
 public:
  explicit SociMatchingRunStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::MatchingRunRecord> begin(const core::MatchingRunRecord& run, core::UnixSeconds now) override;
  core::Result<std::optional<core::MatchingRunRecord>> find(std::int64_t id) override;
  core::Result<std::vector<core::MatchingRunRecord>> list_by_cohort(std::int64_t cohortid) override;
  core::Result<core::MatchingRunRecord> transition(std::int64_t id, core::RunState from, core::RunState to,
                                                   core::UnixSeconds now) override;
  core::Status finish(std::int64_t id, const std::string& report, const std::vector<core::Proposal>& proposals,
                      const std::vector<core::ShortlistRow>& shortlists, core::UnixSeconds now) override;
  core::Status fail(std::int64_t id, const std::string& error, core::UnixSeconds now) override;
  core::Result<bool> claim(std::int64_t id, const std::string& worker, core::UnixSeconds now) override;
  core::Result<std::vector<std::int64_t>> list_unclaimed(std::int64_t limit) override;
  core::Result<bool> heartbeat(std::int64_t id, const std::string& worker, core::UnixSeconds now) override;
  core::Result<std::vector<core::MatchingRunRecord>> fail_abandoned(core::UnixSeconds heartbeat_before,
                                                                    core::UnixSeconds queued_before,
                                                                    const std::string& error,
                                                                    core::UnixSeconds now) override;
  core::Result<std::int64_t> transition_all(std::int64_t cohortid, core::RunState from, core::RunState to,
                                            core::UnixSeconds now) override;
  core::Result<std::vector<core::Proposal>> proposals(std::int64_t runid) override;
  core::Result<std::vector<core::ShortlistRow>> shortlists(std::int64_t runid) override;
  core::Result<core::PairRule> set_rule(const core::PairRule& rule, core::UnixSeconds now) override;
  core::Result<std::vector<core::PairRule>> rules(std::int64_t cohortid) override;
  core::Result<bool> remove_rule(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
