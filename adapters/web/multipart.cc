// multipart/form-data is read with GMime (Debian's libgmime-3.0), a mature
// MIME parser: see docs/decisions for why. What is checked here on top of it
// is what RFC 7578 asks of a form and GMime, being a mail parser, forgives:
// the boundary's length and alphabet, a closing delimiter, every part being a
// named form-data field, and a limit on the number of parts.
#include "adapters/web/multipart.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace mentoring::web {
using core::Result;
using core::Status;

namespace {

Status invalid(const std::string& why) {
  return Status::invalid("form_multipart_invalid", "The uploaded form is not valid: " + why, "file");
}

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

void init_gmime_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  return std::all_of(b.begin(), b.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
  });
}

std::string text_or_empty(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const auto& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                                   std::size_t max_parts) {
  init_gmime_once();
  const std::string type_text(content_type);
  GPtr<GMimeContentType> type(g_mime_content_type_parse(nullptr, type_text.c_str()));
  if (!type || !g_mime_content_type_is_type(type.get(), "multipart", "form-data"))
    return invalid("it must be sent as multipart/form-data.");
  const std::string boundary = text_or_empty(g_mime_content_type_get_parameter(type.get(), "boundary"));
  if (!valid_boundary(boundary)) return invalid("its boundary is missing or malformed.");
  // GMime accepts a body cut short; a form must end with its close delimiter.
  if (body.find("--" + boundary + "--") == std::string_view::npos)
    return invalid("the closing delimiter is missing.");

  // The parser reads a MIME entity: the request's Content-Type as its header,
  // then the body as sent.
  std::string entity = "Content-Type: " + type_text + "\r\n\r\n";
  entity.append(body);
  // GMime keeps the line break before the close delimiter in the last part
  // when nothing follows the delimiter; browsers send CRLF there, others may not.
  if (!entity.ends_with("\n")) entity.append("\r\n");
  GPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(entity.data(), entity.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeObject> root(g_mime_parser_construct_part(parser.get(), nullptr));
  if (!root || !GMIME_IS_MULTIPART(root.get())) return invalid("it has no parts.");
  GMimeMultipart* multipart = GMIME_MULTIPART(root.get());
  const int count = g_mime_multipart_get_count(multipart);
  if (count <= 0) return invalid("it has no parts.");
  if (static_cast<std::size_t>(count) > max_parts)
    return invalid("it has more than " + std::to_string(max_parts) + " parts.");

  std::vector<MultipartPart> parts;
  parts.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    GMimeObject* object = g_mime_multipart_get_part(multipart, i);
    if (!GMIME_IS_PART(object)) return invalid("a part is itself a multipart body.");
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    if (disposition == nullptr || g_mime_object_get_header(object, "Content-Disposition") == nullptr)
      return invalid("a part has no Content-Disposition header.");
    const std::string kind = text_or_empty(g_mime_content_disposition_get_disposition(disposition));
    if (g_ascii_strcasecmp(kind.c_str(), "form-data") != 0) return invalid("a part is not form-data.");
    MultipartPart part;
    part.name = text_or_empty(g_mime_content_disposition_get_parameter(disposition, "name"));
    if (part.name.empty()) return invalid("a part has no field name.");
    if (const char* filename = g_mime_content_disposition_get_parameter(disposition, "filename")) {
      part.is_file = true;
      part.filename = filename;
    }
    part.content_type = text_or_empty(g_mime_object_get_header(object, "Content-Type"));

    GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(object));
    if (content != nullptr) {
      GPtr<GMimeStream> out(g_mime_stream_mem_new());
      if (g_mime_data_wrapper_write_to_stream(content, out.get()) < 0) return invalid("a part cannot be read.");
      GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
      part.data.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
    }
    parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace mentoring::web
