// The text of the web pages, keyed like Moodle's language strings
// ("page:home_title", "error:forbidden_title", "matching:method_hybrid").
//
// Every word a person reads comes from adapters/web/lang/en.json, compiled
// into the library, so wording changes in one place and a host can replace
// any of it (a local name for the service, a contact address) with an
// override file of the same shape. A key with no string renders as
// "[[key]]": visible on the page, and caught by the test that checks every
// key the templates use.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace mentoring::web {

// Replaces each {name} in `text` with the value for `name`. Names are
// [a-z0-9_]+; a placeholder with no value, or any other brace, is left as it
// is, so a missing value is visible rather than silently empty.
std::string fill_placeholders(std::string_view text,
                              std::span<const std::pair<std::string_view, std::string_view>> values);

class Strings {
 public:
  Strings() = default;

  // Parses a flat JSON object of key -> string. Keys are "component:name",
  // each part [a-z0-9_]+. Errors (all kInvalidArgument):
  //   strings_not_json        the text is not JSON
  //   strings_not_object      the top level is not an object
  //   strings_key_invalid     a key is not "component:name"
  //   strings_value_not_string  a value is not a string
  static core::Result<Strings> parse(std::string_view json);

  // The built-in English strings (lang/en.json), parsed once. The file is
  // checked by the tests, so this never fails at run time; if it somehow did,
  // every lookup would show "[[key]]" rather than crash.
  static const Strings& english();

  // These strings with `override_json` (same format as parse) laid over
  // them: its keys replace or add to ours. Fails as parse does.
  core::Result<Strings> with_overrides(std::string_view override_json) const;

  // The string for `key`, or "[[key]]" when there is none.
  const std::string& text(std::string_view key) const;
  // text(key) with its placeholders filled, e.g.
  //   format("error:reference", {{"reference", "abc123"}}) -> "Reference: abc123".
  std::string format(std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> values) const;
  std::string format(std::string_view key,
                     std::span<const std::pair<std::string_view, std::string_view>> values) const;

  bool contains(std::string_view key) const;
  // Every key, sorted.
  std::vector<std::string> keys() const;
  std::size_t size() const { return strings_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> strings_;
};

// Shorthands over Strings::english().
const std::string& text(std::string_view key);
std::string format_text(std::string_view key,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// True when `key` is "component:name" with both parts [a-z0-9_]+.
bool is_valid_string_key(std::string_view key);

}  // namespace mentoring::web
