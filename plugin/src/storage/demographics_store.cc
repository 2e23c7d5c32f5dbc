#include <soci/soci.h>

#include "storage/audit_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::DemographicRecord;
using core::Result;
using core::Status;

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0f];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>((hi << 4) | lo);
  }
  return out;
}

namespace {

struct Row {
  std::int64_t id = 0, accountid = 0, timecreated = 0, timemodified = 0;
  int key_version = 0;
  std::string iv, ciphertext;
};

constexpr const char* kColumns = "id, accountid, key_version, iv, ciphertext, timecreated, timemodified";

void bind(soci::details::prepare_temp_type& p, Row& r) {
  p, soci::into(r.id), soci::into(r.accountid), soci::into(r.key_version), soci::into(r.iv), soci::into(r.ciphertext),
      soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<DemographicRecord> to_record(const TxContext& tx, const Row& r) {
  DemographicRecord d;
  d.id = r.id;
  d.accountid = r.accountid;
  d.sealed.key_version = r.key_version;
  auto iv = from_hex(r.iv);
  if (!iv) return stored_value_invalid(tx.table("demographics"), "iv", "(not hex)");
  auto ct = from_hex(r.ciphertext);
  if (!ct) return stored_value_invalid(tx.table("demographics"), "ciphertext", "(not hex)");
  d.sealed.iv = std::move(*iv);
  d.sealed.ciphertext = std::move(*ct);
  d.timecreated = r.timecreated;
  d.timemodified = r.timemodified;
  return d;
}

}  // namespace

Result<std::optional<DemographicRecord>> SociDemographicsStore::find(std::int64_t accountid) {
  return guarded(tx_, "reading demographic data", [&]() -> Result<std::optional<DemographicRecord>> {
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("demographics") +
                                " WHERE accountid = :accountid",
         soci::use(accountid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<DemographicRecord>();
    auto d = to_record(tx_, r);
    if (!d) return d.status();
    return std::optional<DemographicRecord>(std::move(d).value());
  });
}

Result<DemographicRecord> SociDemographicsStore::save(std::int64_t accountid, const core::SealedValue& sealed,
                                                      core::UnixSeconds now) {
  return guarded(tx_, "saving demographic data", [&]() -> Result<DemographicRecord> {
    if (!row_exists(tx_, "accounts", accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const std::string iv = to_hex(sealed.iv);
    const std::string ct = to_hex(sealed.ciphertext);
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("demographics") +
                                " (accountid, key_version, iv, ciphertext, timecreated, timemodified) VALUES"
                                " (:accountid, :key_version, :iv, :ciphertext, :t1, :t2)"
                                " ON CONFLICT (accountid) DO UPDATE SET key_version = excluded.key_version,"
                                " iv = excluded.iv, ciphertext = excluded.ciphertext,"
                                " timemodified = excluded.timemodified RETURNING " +
                                kColumns,
         soci::use(accountid), soci::use(sealed.key_version), soci::use(iv), soci::use(ct), soci::use(now),
         soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Saving demographic data returned no row.");
    return to_record(tx_, r);
  });
}

Result<bool> SociDemographicsStore::remove(std::int64_t accountid) {
  return guarded(tx_, "removing demographic data", [&]() -> Result<bool> {
    soci::statement st =
        (tx_.sql.prepare << "DELETE FROM " + tx_.table("demographics") + " WHERE accountid = :accountid",
         soci::use(accountid));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

Result<std::vector<DemographicRecord>> SociDemographicsStore::list_after(std::int64_t after_id, std::int64_t limit) {
  if (limit < 1 || limit > core::kMaxPageSize)
    return Status::invalid("page_limit_invalid", "The batch size must be between 1 and 1000.", "limit");
  return guarded(tx_, "listing demographic data", [&]() -> Result<std::vector<DemographicRecord>> {
    std::vector<DemographicRecord> out;
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("demographics") +
                                " WHERE id > :after ORDER BY id LIMIT :lim",
         soci::use(after_id), soci::use(limit));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto d = to_record(tx_, r);
      if (!d) return d.status();
      out.push_back(std::move(d).value());
    }
    return out;
  });
}

Result<std::int64_t> SociDemographicsStore::count_not_at_version(int version) {
  return guarded(tx_, "counting demographic data", [&]() -> Result<std::int64_t> {
    std::int64_t n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("demographics") + " WHERE key_version <> :v", soci::use(version),
        soci::into(n);
    return n;
  });
}

}  // namespace mentoring::storage
