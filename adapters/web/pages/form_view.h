// A form as the templates draw it (templates/partials/form_field.mustache):
// each field with its label, hint, value and error, and the NHS.UK error
// summary listing every error with a link to its field.
//
//   FormView form(renderer.strings());
//   form.text("specialty", "page:field_specialty", "page:hint_specialty", profile.specialty);
//   form.set_error("specialty", "Enter a specialty of at most 100 characters.");
//   data.set("fields", form.fields());  data.set("error_list", form.errors());
#pragma once

#include <kainjow/mustache.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/web/strings.h"

namespace mentoring::web {

struct FieldOption {
  std::string value;
  std::string label;
};

class FormView {
 public:
  explicit FormView(const Strings& strings) : strings_(strings) {}

  // Label and hint are string keys; an empty hint key draws no hint.
  void text(const std::string& name, std::string_view label_key, std::string_view hint_key, std::string value,
            std::string_view width = {});
  void textarea(const std::string& name, std::string_view label_key, std::string_view hint_key, std::string value,
                int rows = 5);
  void select(const std::string& name, std::string_view label_key, std::string_view hint_key,
              std::vector<FieldOption> options, const std::string& selected);
  void radios(const std::string& name, std::string_view legend_key, std::string_view hint_key,
              std::vector<FieldOption> options, const std::string& selected);
  void checkboxes(const std::string& name, std::string_view legend_key, std::string_view hint_key,
                  std::vector<FieldOption> options, const std::set<std::string>& checked);

  // Puts `message` next to field `name` (the first message wins) and in the
  // summary. A name that is no field of the form is listed in the summary
  // only, linked to the first field.
  void set_error(const std::string& name, std::string message);
  bool has_errors() const { return !errors_.empty(); }

  kainjow::mustache::data fields() const;
  kainjow::mustache::data errors() const;

 private:
  struct Field {
    std::string kind;  // "input", "textarea", "select", "radios", "checkboxes"
    std::string name, label, hint, value, width, error;
    int rows = 5;
    std::vector<FieldOption> options;
    std::set<std::string> checked;
  };
  Field& add(std::string kind, const std::string& name, std::string_view label_key, std::string_view hint_key);

  const Strings& strings_;
  std::vector<Field> fields_;
  std::vector<std::pair<std::string, std::string>> errors_;  // (anchor id, message)
};

// "a, b , c" -> {"a", "b", "c"}: comma-separated keywords as people type them.
std::vector<std::string> split_commas(std::string_view text);
// {"a", "b"} -> "a, b".
std::string join_commas(const std::vector<std::string>& items);

}  // namespace mentoring::web
