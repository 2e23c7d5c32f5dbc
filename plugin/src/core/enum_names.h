// Enumerations written as text in the database, the API and webhooks: one
// table of (value, name) pairs per enumeration, read both ways.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace mentoring::core {

template <typename E, std::size_t N>
using EnumNames = std::array<std::pair<E, const char*>, N>;

// The value named `s`, or nullopt.
template <typename E, std::size_t N>
std::optional<E> parse_from(std::string_view s, const EnumNames<E, N>& table) {
  for (const auto& [value, name] : table) {
    if (s == name) return value;
  }
  return std::nullopt;
}

// The name of `v`, or "unknown" for a value not in the table.
template <typename E, std::size_t N>
const char* name_of(E v, const EnumNames<E, N>& table) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "unknown";
}

}  // namespace mentoring::core
