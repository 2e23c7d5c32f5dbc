#include "adapters/web/strings.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <mutex>
#include <set>

#include "adapters/web/embedded_files.h"

namespace mentoring::web {
namespace {

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

bool is_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_name_char(c)) return false;
  return true;
}

// "[[key]]" for keys with no string. Returned by reference like real
// strings, so they live in one process-wide set; std::set never moves its
// elements, and the set only grows by the (few) keys templates get wrong.
const std::string& missing_marker(std::string_view key) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> markers;
  std::string marker = "[[" + std::string(key) + "]]";
  std::lock_guard<std::mutex> lock(mutex);
  return *markers.insert(std::move(marker)).first;
}

core::Status merge_json(std::string_view json, std::map<std::string, std::string, std::less<>>& into) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec) return core::Status::invalid("strings_not_json", "The strings file is not valid JSON: " + ec.message() + ".");
  if (!doc.is_object())
    return core::Status::invalid("strings_not_object", "The strings file must be one JSON object of key to string.");
  for (const auto& [key, value] : doc.get_object()) {
    if (!is_valid_string_key(key))
      return core::Status::invalid("strings_key_invalid", "The string key \"" + std::string(key) +
                                                              "\" is not of the form component:name in [a-z0-9_].");
    if (!value.is_string())
      return core::Status::invalid("strings_value_not_string",
                                   "The value of string key \"" + std::string(key) + "\" is not a string.");
    into[std::string(key)] = std::string(value.get_string());
  }
  return core::Status::ok();
}

}  // namespace

bool is_valid_string_key(std::string_view key) {
  auto colon = key.find(':');
  if (colon == std::string_view::npos) return false;
  return is_name(key.substr(0, colon)) && is_name(key.substr(colon + 1));
}

std::string fill_placeholders(std::string_view text,
                              std::span<const std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      auto close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        std::string_view name = text.substr(i + 1, close - i - 1);
        if (is_name(name)) {
          const std::string_view* found = nullptr;
          for (const auto& [k, v] : values)
            if (k == name) found = &v;
          if (found) {
            out.append(*found);
            i = close + 1;
            continue;
          }
        }
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

core::Result<Strings> Strings::parse(std::string_view json) {
  Strings strings;
  MENTORING_RETURN_IF_ERROR(merge_json(json, strings.strings_));
  return strings;
}

const Strings& Strings::english() {
  static const Strings strings = [] {
    const EmbeddedFile* file = find_embedded_file(embedded_lang_files(), "en.json");
    if (file == nullptr) return Strings();
    auto parsed = Strings::parse(file->bytes);
    return parsed.is_ok() ? std::move(parsed).value() : Strings();
  }();
  return strings;
}

core::Result<Strings> Strings::with_overrides(std::string_view override_json) const {
  Strings merged = *this;
  MENTORING_RETURN_IF_ERROR(merge_json(override_json, merged.strings_));
  return merged;
}

const std::string& Strings::text(std::string_view key) const {
  auto it = strings_.find(key);
  return it != strings_.end() ? it->second : missing_marker(key);
}

std::string Strings::format(std::string_view key,
                            std::initializer_list<std::pair<std::string_view, std::string_view>> values) const {
  return fill_placeholders(text(key), std::span(values.begin(), values.size()));
}

std::string Strings::format(std::string_view key,
                            std::span<const std::pair<std::string_view, std::string_view>> values) const {
  return fill_placeholders(text(key), values);
}

bool Strings::contains(std::string_view key) const { return strings_.find(key) != strings_.end(); }

std::vector<std::string> Strings::keys() const {
  std::vector<std::string> keys;
  keys.reserve(strings_.size());
  for (const auto& [k, v] : strings_) keys.push_back(k);
  return keys;
}

const std::string& text(std::string_view key) { return Strings::english().text(key); }

std::string format_text(std::string_view key,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  return Strings::english().format(key, values);
}

}  // namespace mentoring::web
