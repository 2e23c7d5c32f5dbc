#include "adapters/web/parsed_templates.h"

#include <cctype>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "adapters/web/embedded_files.h"

namespace mentoring::web {

namespace {

constexpr std::string_view kTemplateSuffix = ".mustache";
constexpr std::string_view kLambdaSection = "t";  // the renderer's string lambda
constexpr int kMaxPartialDepth = 16;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

core::Status invalid(std::string message) { return core::Status::internal("template_invalid", std::move(message)); }

struct Expander {
  const std::function<std::optional<std::string_view>(std::string_view)>& partial_text;
  std::vector<std::string> expanding;  // the partials being expanded, outermost first
  bool uses_set_delimiter = false;

  // Appends `source`, expanded, to `out`. Tags are found as kainjow finds
  // them with the default delimiters: "{{{" ... "}}}" or "{{" ... "}}".
  core::Status expand(std::string_view source, std::string& out) {
    std::vector<std::string_view> sections;
    std::size_t pos = 0;
    while (pos < source.size()) {
      std::size_t start = source.find("{{", pos);
      if (start == std::string_view::npos) {
        out.append(source.substr(pos));
        break;
      }
      out.append(source.substr(pos, start - pos));
      const bool triple = start + 2 < source.size() && source[start + 2] == '{';
      const std::string_view close = triple ? "}}}" : "}}";
      const std::size_t contents_at = start + (triple ? 3 : 2);
      const std::size_t end = source.find(close, contents_at);
      if (end == std::string_view::npos) return invalid("Unclosed tag at " + std::to_string(start));
      const std::size_t tag_end = end + close.size();
      const std::string_view tag = source.substr(start, tag_end - start);
      const std::string_view contents = trim(source.substr(contents_at, end - contents_at));
      pos = tag_end;
      if (triple || contents.empty()) {
        out.append(tag);
        continue;
      }
      switch (contents.front()) {
        case '=':
          uses_set_delimiter = true;
          out.append(tag);
          break;
        case '#':
        case '^':
          sections.push_back(trim(contents.substr(1)));
          out.append(tag);
          break;
        case '/':
          if (!sections.empty()) sections.pop_back();
          out.append(tag);
          break;
        case '>': {
          const std::string_view name = trim(contents.substr(1));
          bool in_lambda = false;
          for (std::string_view s : sections) in_lambda = in_lambda || s == kLambdaSection;
          std::optional<std::string_view> text = in_lambda ? std::nullopt : partial_text(name);
          if (!text.has_value()) {
            out.append(tag);
            break;
          }
          for (const std::string& open : expanding) {
            if (open == name) return invalid("The partial \"" + std::string(name) + "\" includes itself.");
          }
          if (static_cast<int>(expanding.size()) >= kMaxPartialDepth)
            return invalid("Partials are nested more than " + std::to_string(kMaxPartialDepth) + " deep.");
          expanding.emplace_back(name);
          core::Status st = expand(*text, out);
          expanding.pop_back();
          if (!st.is_ok()) return st;
          break;
        }
        default:
          out.append(tag);
          break;
      }
    }
    return core::Status();
  }
};

}  // namespace

core::Result<std::string> expand_partials(
    std::string_view source, const std::function<std::optional<std::string_view>(std::string_view)>& partial_text) {
  Expander expander{partial_text, {}, false};
  std::string out;
  out.reserve(source.size());
  core::Status st = expander.expand(source, out);
  if (!st.is_ok()) return st;
  // A set-delimiter tag changes how the rest of the text is read, and kainjow
  // reads each partial with the default delimiters: keep such a template as
  // it is, its partials resolved at render time.
  if (expander.uses_set_delimiter) return std::string(source);
  return out;
}

struct ParsedTemplates::Lease::Slot {
  std::string source;  // partials expanded
  std::optional<core::Status> error;
  std::mutex mutex;
  std::vector<std::unique_ptr<Template>> free;
};

struct ParsedTemplates::Slots {
  std::map<std::string, Lease::Slot, std::less<>> by_name;
};

ParsedTemplates::Lease::Lease(Lease&& other) noexcept
    : slot_(other.slot_), template_(std::move(other.template_)) {
  other.slot_ = nullptr;
}

ParsedTemplates::Lease::~Lease() {
  if (slot_ == nullptr || template_ == nullptr || !template_->is_valid()) return;
  std::lock_guard<std::mutex> lock(slot_->mutex);
  slot_->free.push_back(std::move(template_));
}

ParsedTemplates::ParsedTemplates() : slots_(std::make_unique<Slots>()) {
  std::map<std::string_view, std::string_view, std::less<>> raw;
  for (const EmbeddedFile& f : embedded_templates_files()) {
    if (f.path.size() <= kTemplateSuffix.size() ||
        f.path.substr(f.path.size() - kTemplateSuffix.size()) != kTemplateSuffix)
      continue;
    raw.emplace(f.path.substr(0, f.path.size() - kTemplateSuffix.size()), f.bytes);
  }
  // A partial that does not parse on its own is not expanded: its tag stays,
  // and rendering reports the partial's own error as before.
  std::set<std::string_view, std::less<>> parses;
  for (const auto& [name, bytes] : raw) {
    if (Template(std::string(bytes)).is_valid()) parses.insert(name);
  }
  const auto partial_text = [&](std::string_view name) -> std::optional<std::string_view> {
    auto it = raw.find(name);
    if (it == raw.end() || parses.count(name) == 0) return std::nullopt;
    return it->second;
  };
  for (const auto& [name, bytes] : raw) {
    Lease::Slot& slot = slots_->by_name[std::string(name)];
    auto expanded = expand_partials(bytes, partial_text);
    if (!expanded.is_ok()) {
      slot.error = invalid("The page template \"" + std::string(name) +
                           "\" does not parse: " + expanded.status().message());
      continue;
    }
    slot.source = std::move(expanded).value();
    auto parsed = std::make_unique<Template>(slot.source);
    if (!parsed->is_valid()) {
      slot.error =
          invalid("The page template \"" + std::string(name) + "\" does not parse: " + parsed->error_message());
      continue;
    }
    slot.free.push_back(std::move(parsed));
  }
}

ParsedTemplates::~ParsedTemplates() = default;

ParsedTemplates& ParsedTemplates::instance() {
  static ParsedTemplates templates;
  return templates;
}

core::Result<ParsedTemplates::Lease> ParsedTemplates::acquire(std::string_view name) {
  auto it = slots_->by_name.find(name);
  if (it == slots_->by_name.end())
    return core::Status::not_found("template_not_found",
                                   "There is no page template named \"" + std::string(name) + "\".");
  Lease::Slot& slot = it->second;
  if (slot.error.has_value()) return *slot.error;
  {
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (!slot.free.empty()) {
      std::unique_ptr<Template> t = std::move(slot.free.back());
      slot.free.pop_back();
      return Lease(&slot, std::move(t));
    }
  }
  // Every copy is in use: parse another (the text parsed before, so it is valid).
  return Lease(&slot, std::make_unique<Template>(slot.source));
}

}  // namespace mentoring::web
