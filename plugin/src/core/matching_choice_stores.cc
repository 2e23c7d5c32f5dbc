#include "core/matching_choice_stores.h"

#include <array>
#include <utility>

namespace mentoring::core {
namespace {

constexpr std::array<std::pair<ChoiceListState, const char*>, 5> kListStates{
    {{ChoiceListState::kActive, "active"},
     {ChoiceListState::kAccepted, "accepted"},
     {ChoiceListState::kExhausted, "exhausted"},
     {ChoiceListState::kWithdrawn, "withdrawn"},
     {ChoiceListState::kClosed, "closed"}}};
constexpr std::array<std::pair<ChoiceState, const char*>, 9> kChoiceStates{{{ChoiceState::kWaiting, "waiting"},
                                                                            {ChoiceState::kRequested, "requested"},
                                                                            {ChoiceState::kAccepted, "accepted"},
                                                                            {ChoiceState::kDeclined, "declined"},
                                                                            {ChoiceState::kLapsed, "lapsed"},
                                                                            {ChoiceState::kMentorFull, "mentor_full"},
                                                                            {ChoiceState::kUnavailable, "unavailable"},
                                                                            {ChoiceState::kWithdrawn, "withdrawn"},
                                                                            {ChoiceState::kNotNeeded, "not_needed"}}};

template <typename E, std::size_t N>
const char* name_in(const std::array<std::pair<E, const char*>, N>& table, E v) {
  for (const auto& [e, name] : table)
    if (e == v) return name;
  return "";
}

template <typename E, std::size_t N>
std::optional<E> parse_in(const std::array<std::pair<E, const char*>, N>& table, std::string_view s) {
  for (const auto& [e, name] : table)
    if (s == name) return e;
  return std::nullopt;
}

}  // namespace

const char* to_string(ChoiceListState v) { return name_in(kListStates, v); }
const char* to_string(ChoiceState v) { return name_in(kChoiceStates, v); }
std::optional<ChoiceListState> parse_choice_list_state(std::string_view s) { return parse_in(kListStates, s); }
std::optional<ChoiceState> parse_choice_state(std::string_view s) { return parse_in(kChoiceStates, s); }

}  // namespace mentoring::core
