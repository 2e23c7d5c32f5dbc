#include <soci/soci.h>

#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::Status;

std::string join_list(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

bool row_exists(TxContext& tx, std::string_view name, std::int64_t id) {
  int n = 0;
  tx.sql << "SELECT count(*) FROM " + tx.table(name) + " WHERE id = :id", soci::use(id), soci::into(n);
  return n > 0;
}

// The set-up stores are part of every SociDatabase transaction; this view
// hands them to the use cases that take them separately.
Status SociSetupDatabase::transact(const std::function<Status(core::Stores&, core::SetupStores&)>& work) {
  return db_.transact([&](core::Stores& s) {
    core::SetupStores view{s.objectives, s.governance, s.eligibility, s.profiles, s.training, s.agreements};
    return work(s, view);
  });
}

}  // namespace mentoring::storage
