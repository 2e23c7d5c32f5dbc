// The page templates, parsed once and shared by every Renderer and thread.
//
// The templates are compiled into the library (adapters/web/templates/), so
// they never change while the process runs. Each is read once, on first use,
// with its {{> partials/NAME}} tags replaced by the partial's own text
// (recursively), and parsed once. Rendering then only walks the parsed tree.
//
// Why a pool rather than one shared tree: kainjow's basic_mustache::render is
// not const. On success it only reads the tree, but a failure during a render
// (a lambda used as a plain variable, a broken nested template) writes the
// template's error message, after which that object reports itself invalid
// for good. One shared object would therefore be a data race and would turn
// one failed render into a broken page for everyone. So each template keeps
// a free list of parsed copies: a render takes one (parsing a new one only
// when every copy is in use, so at most one copy per concurrent render ever
// exists), renders without any lock held, and gives it back unless the render
// failed, in which case the copy is dropped. The lock is held only to take or
// give back a copy.
#pragma once

#include <kainjow/mustache.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace mentoring::web {

// `source` with every {{> NAME}} tag whose NAME `partial_text` knows replaced
// by that partial's text, itself expanded the same way. A tag whose NAME it
// does not know is left as it is. Kainjow renders a partial with the
// enclosing context and line state, so the expanded text renders exactly as
// the tags did, with two exceptions this function avoids: a partial tag inside
// the section of a lambda ({{#t}}...{{/t}}, whose raw text the lambda
// receives) is left as a tag, and a template using a set-delimiter tag
// ({{=<% %>=}}) is returned unexpanded.
// Fails (internal, template_invalid) on a partial that includes itself,
// directly or not, or an unclosed tag.
core::Result<std::string> expand_partials(
    std::string_view source, const std::function<std::optional<std::string_view>(std::string_view)>& partial_text);

class ParsedTemplates {
 public:
  using Template = kainjow::mustache::mustache;

  // A parsed template lent to one render; given back to the pool when the
  // lease ends, unless the template is no longer valid.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Template& get() const { return *template_; }

   private:
    friend class ParsedTemplates;
    struct Slot;
    Lease(Slot* slot, std::unique_ptr<Template> t) : slot_(slot), template_(std::move(t)) {}
    Slot* slot_;
    std::unique_ptr<Template> template_;
  };

  // The process-wide set of the compiled-in templates.
  static ParsedTemplates& instance();

  // A parsed templates/<name>.mustache, partials expanded:
  //   not_found template_not_found  no such template
  //   internal  template_invalid    it does not parse
  core::Result<Lease> acquire(std::string_view name);

  ParsedTemplates(const ParsedTemplates&) = delete;
  ParsedTemplates& operator=(const ParsedTemplates&) = delete;
  ~ParsedTemplates();

 private:
  ParsedTemplates();
  struct Slots;
  std::unique_ptr<Slots> slots_;
};

}  // namespace mentoring::web
