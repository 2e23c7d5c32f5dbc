// multipart/form-data bodies (RFC 7578), as browsers send a form with a file
// input: the staff import page's upload. The body limit (http.max_body_bytes)
// has applied before this runs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace mentoring::web {

struct MultipartPart {
  std::string name;          // the form field's name
  std::string filename;      // set for a file input ("" when no file was chosen)
  bool is_file = false;      // the part had a filename parameter
  std::string content_type;  // the part's Content-Type, "" when absent
  std::string data;          // the bytes, as sent
};

inline constexpr std::size_t kMaxMultipartParts = 20;

// The parts in order. `content_type` is the request's Content-Type header,
// which must be multipart/form-data with a boundary of 1 to 70 characters.
// invalid_argument "form_multipart_invalid" for anything else: another type,
// a missing or bad boundary, a part without a Content-Disposition naming a
// form-data field, a missing closing delimiter, more than `max_parts` parts.
core::Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type, std::string_view body,
                                                         std::size_t max_parts = kMaxMultipartParts);

// The first part named `name`, or nullptr.
const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace mentoring::web
