#include "core/matching_stores.h"

#include <array>
#include <utility>

namespace mentoring::core {
namespace {

template <typename E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& names, E v) {
  for (const auto& [e, s] : names)
    if (e == v) return s;
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, const char*>, N>& names, std::string_view s) {
  for (const auto& [e, n] : names)
    if (s == n) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<PairingState, const char*>, 3> kPairingStates{
    {{PairingState::kProposed, "proposed"}, {PairingState::kActive, "active"}, {PairingState::kEnded, "ended"}}};
constexpr std::array<std::pair<PairingSource, const char*>, 4> kPairingSources{{{PairingSource::kAssigned, "assigned"},
                                                                                {PairingSource::kChoice, "choice"},
                                                                                {PairingSource::kHybrid, "hybrid"},
                                                                                {PairingSource::kAdmin, "admin"}}};
constexpr std::array<std::pair<EndReason, const char*>, 5> kEndReasons{{{EndReason::kCompleted, "completed"},
                                                                        {EndReason::kNotAGoodFit, "not_a_good_fit"},
                                                                        {EndReason::kMenteeWithdrew, "mentee_withdrew"},
                                                                        {EndReason::kMentorWithdrew, "mentor_withdrew"},
                                                                        {EndReason::kOther, "other"}}};
constexpr std::array<std::pair<EndedBy, const char*>, 3> kEndedBy{
    {{EndedBy::kMentee, "mentee"}, {EndedBy::kMentor, "mentor"}, {EndedBy::kAdmin, "admin"}}};
constexpr std::array<std::pair<RequestState, const char*>, 5> kRequestStates{{{RequestState::kPending, "pending"},
                                                                              {RequestState::kAccepted, "accepted"},
                                                                              {RequestState::kDeclined, "declined"},
                                                                              {RequestState::kLapsed, "lapsed"},
                                                                              {RequestState::kWithdrawn, "withdrawn"}}};
constexpr std::array<std::pair<RequestSource, const char*>, 2> kRequestSources{
    {{RequestSource::kChoice, "choice"}, {RequestSource::kHybrid, "hybrid"}}};
constexpr std::array<std::pair<RunModel, const char*>, 3> kRunModels{
    {{RunModel::kAssigned, "assigned"}, {RunModel::kHybrid, "hybrid"}, {RunModel::kFallback, "fallback"}}};
constexpr std::array<std::pair<RunState, const char*>, 6> kRunStates{{{RunState::kRunning, "running"},
                                                                      {RunState::kReady, "ready"},
                                                                      {RunState::kPublished, "published"},
                                                                      {RunState::kDiscarded, "discarded"},
                                                                      {RunState::kSuperseded, "superseded"},
                                                                      {RunState::kFailed, "failed"}}};
constexpr std::array<std::pair<RuleKind, const char*>, 2> kRuleKinds{
    {{RuleKind::kPin, "pin"}, {RuleKind::kBan, "ban"}}};

}  // namespace

const char* to_string(PairingState v) { return name_of(kPairingStates, v); }
const char* to_string(PairingSource v) { return name_of(kPairingSources, v); }
const char* to_string(EndReason v) { return name_of(kEndReasons, v); }
const char* to_string(EndedBy v) { return name_of(kEndedBy, v); }
const char* to_string(RequestState v) { return name_of(kRequestStates, v); }
const char* to_string(RequestSource v) { return name_of(kRequestSources, v); }
const char* to_string(RunModel v) { return name_of(kRunModels, v); }
const char* to_string(RunState v) { return name_of(kRunStates, v); }
const char* to_string(RuleKind v) { return name_of(kRuleKinds, v); }
std::optional<PairingState> parse_pairing_state(std::string_view s) { return parse_of(kPairingStates, s); }
std::optional<PairingSource> parse_pairing_source(std::string_view s) { return parse_of(kPairingSources, s); }
std::optional<EndReason> parse_end_reason(std::string_view s) { return parse_of(kEndReasons, s); }
std::optional<EndedBy> parse_ended_by(std::string_view s) { return parse_of(kEndedBy, s); }
std::optional<RequestState> parse_request_state(std::string_view s) { return parse_of(kRequestStates, s); }
std::optional<RequestSource> parse_request_source(std::string_view s) { return parse_of(kRequestSources, s); }
std::optional<RunModel> parse_run_model(std::string_view s) { return parse_of(kRunModels, s); }
std::optional<RunState> parse_run_state(std::string_view s) { return parse_of(kRunStates, s); }
std::optional<RuleKind> parse_rule_kind(std::string_view s) { return parse_of(kRuleKinds, s); }

}  // namespace mentoring::core
