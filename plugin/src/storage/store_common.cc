#include <string>

#include "storage/soci_stores.h"

namespace mentoring::storage {
using core::Result;
using core::Status;

bool fetch_one(const soci::details::prepare_temp_type& prepared) {
  soci::statement st(prepared);
  return st.execute(true);
}

Result<core::Page> checked_page(core::Page page) {
  if (page.limit < 0)
    return Status::invalid("page_limit_negative", "The page size must not be negative.", "limit");
  if (page.offset < 0)
    return Status::invalid("page_offset_negative", "The page offset must not be negative.", "offset");
  if (page.limit > core::kMaxPageSize) page.limit = core::kMaxPageSize;
  return page;
}

Status stored_value_invalid(std::string_view table, std::string_view column, std::string_view value) {
  return Status::internal("stored_value_invalid", "The database holds the unknown value '" + std::string(value) +
                                                      "' in " + std::string(table) + "." + std::string(column) + ".");
}

}  // namespace mentoring::storage
