#include "adapters/web/pages/form_view.h"

#include <algorithm>

namespace mentoring::web {
namespace km = kainjow::mustache;

namespace {

std::string field_id(const std::string& name) { return "field-" + name; }

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

FormView::Field& FormView::add(std::string kind, const std::string& name, std::string_view label_key,
                               std::string_view hint_key) {
  Field f;
  f.kind = std::move(kind);
  f.name = name;
  f.label = strings_.text(label_key);
  if (!hint_key.empty()) f.hint = strings_.text(hint_key);
  fields_.push_back(std::move(f));
  return fields_.back();
}

void FormView::text(const std::string& name, std::string_view label_key, std::string_view hint_key, std::string value,
                    std::string_view width) {
  Field& f = add("input", name, label_key, hint_key);
  f.value = std::move(value);
  f.width = std::string(width);
}

void FormView::textarea(const std::string& name, std::string_view label_key, std::string_view hint_key,
                        std::string value, int rows) {
  Field& f = add("textarea", name, label_key, hint_key);
  f.value = std::move(value);
  f.rows = rows;
}

void FormView::select(const std::string& name, std::string_view label_key, std::string_view hint_key,
                      std::vector<FieldOption> options, const std::string& selected) {
  Field& f = add("select", name, label_key, hint_key);
  f.options = std::move(options);
  f.value = selected;
}

void FormView::radios(const std::string& name, std::string_view legend_key, std::string_view hint_key,
                      std::vector<FieldOption> options, const std::string& selected) {
  Field& f = add("radios", name, legend_key, hint_key);
  f.options = std::move(options);
  f.value = selected;
}

void FormView::checkboxes(const std::string& name, std::string_view legend_key, std::string_view hint_key,
                          std::vector<FieldOption> options, const std::set<std::string>& checked) {
  Field& f = add("checkboxes", name, legend_key, hint_key);
  f.options = std::move(options);
  f.checked = checked;
}

void FormView::set_error(const std::string& name, std::string message) {
  auto it = std::find_if(fields_.begin(), fields_.end(), [&](const Field& f) { return f.name == name; });
  if (it != fields_.end()) {
    if (!it->error.empty()) return;
    it->error = message;
    // Radios and checkboxes are linked through their first option.
    const bool grouped = it->kind == "radios" || it->kind == "checkboxes";
    errors_.emplace_back(grouped ? field_id(name) + "-1" : field_id(name), std::move(message));
    return;
  }
  errors_.emplace_back(fields_.empty() ? std::string("maincontent") : field_id(fields_.front().name),
                       std::move(message));
}

km::data FormView::fields() const {
  km::data list{km::data::type::list};
  for (const Field& f : fields_) {
    km::data d;
    const std::string id = field_id(f.name);
    d.set(f.kind, km::data::type::bool_true);
    d.set("id", id);
    d.set("name", f.name);
    d.set("label", f.label);
    d.set("value", f.value);
    if (!f.hint.empty()) d.set("hint", f.hint);
    if (!f.error.empty()) d.set("error", f.error);
    if (!f.width.empty()) d.set("width", f.width);
    d.set("rows", std::to_string(f.rows));
    std::string described;
    if (!f.hint.empty()) described = id + "-hint";
    if (!f.error.empty()) described += (described.empty() ? "" : " ") + id + "-error";
    if (!described.empty()) d.set("describedby", described);
    km::data options{km::data::type::list};
    int n = 0;
    for (const FieldOption& o : f.options) {
      km::data od;
      od.set("id", id + "-" + std::to_string(++n));
      od.set("name", f.name);
      od.set("value", o.value);
      od.set("label", o.label);
      const bool on = f.kind == "checkboxes" ? f.checked.count(o.value) > 0 : f.value == o.value;
      od.set("selected", flag(on));
      options.push_back(od);
    }
    d.set("options", options);
    list.push_back(d);
  }
  return list;
}

km::data FormView::errors() const {
  km::data list{km::data::type::list};
  for (const auto& [anchor, message] : errors_) {
    km::data d;
    d.set("anchor", anchor);
    d.set("message", message);
    list.push_back(d);
  }
  return list;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string item = trim(text.substr(start, comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

std::string join_commas(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace mentoring::web
