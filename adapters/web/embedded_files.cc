#include "adapters/web/embedded_files.h"

#include <algorithm>

namespace mentoring::web {

const EmbeddedFile* find_embedded_file(std::span<const EmbeddedFile> files, std::string_view path) {
  // The generator sorts by path, so a binary search would do; the lists are
  // a few dozen entries and a linear scan keeps this independent of that.
  auto it = std::find_if(files.begin(), files.end(), [&](const EmbeddedFile& f) { return f.path == path; });
  return it == files.end() ? nullptr : &*it;
}

}  // namespace mentoring::web
