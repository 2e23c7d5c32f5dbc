#include "storage/soci_stores.h"

namespace mentoring::storage {
using core::Account;
using core::Result;
using core::Status;

namespace {

constexpr const char* kColumns = "id, platform, subject, display_name, email, status, timecreated, timemodified";

struct AccountRow {
  std::int64_t id = 0;
  std::string platform, subject, display_name, email, status;
  std::int64_t timecreated = 0, timemodified = 0;
};

// Binds the row's fields, in kColumns order, as the statement's outputs.
void bind(soci::details::prepare_temp_type& p, AccountRow& r) {
  p, soci::into(r.id), soci::into(r.platform), soci::into(r.subject), soci::into(r.display_name),
      soci::into(r.email), soci::into(r.status), soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<Account> to_account(const TxContext& tx, const AccountRow& r) {
  Account a;
  a.id = r.id;
  a.platform = r.platform;
  a.subject = r.subject;
  a.display_name = r.display_name;
  a.email = r.email;
  if (!core::parse_account_status(r.status, a.status))
    return stored_value_invalid(tx.table("accounts"), "status", r.status);
  a.timecreated = r.timecreated;
  a.timemodified = r.timemodified;
  return a;
}

Result<std::optional<Account>> maybe_account(const TxContext& tx, bool found, const AccountRow& r) {
  if (!found) return std::optional<Account>();
  auto a = to_account(tx, r);
  if (!a) return a.status();
  return std::optional<Account>(std::move(a).value());
}

}  // namespace

Result<Account> SociAccountStore::upsert(const core::AccountInput& input, core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(core::validate(input));
  return guarded(tx_, "saving an account", [&]() -> Result<Account> {
    AccountRow r;
    // The status is left alone on update: a suspended account stays suspended
    // when the host sends a new name.
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("accounts") +
                                " (platform, subject, display_name, email, status, timecreated, timemodified)"
                                " VALUES (:platform, :subject, :display_name, :email, 'active', :timecreated,"
                                " :timemodified) ON CONFLICT (platform, subject) DO UPDATE SET"
                                " display_name = excluded.display_name, email = excluded.email,"
                                " timemodified = excluded.timemodified RETURNING " + kColumns,
         soci::use(input.platform), soci::use(input.subject), soci::use(input.display_name), soci::use(input.email),
         soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("upsert_returned_nothing", "Saving an account returned no row.");
    return to_account(tx_, r);
  });
}

Result<std::optional<Account>> SociAccountStore::find(std::int64_t id) {
  return guarded(tx_, "reading an account", [&]() -> Result<std::optional<Account>> {
    AccountRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("accounts") + " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    const bool found = fetch_one(p);
    return maybe_account(tx_, found, r);
  });
}

Result<std::optional<Account>> SociAccountStore::find_by_subject(const std::string& platform,
                                                                 const std::string& subject) {
  return guarded(tx_, "reading an account", [&]() -> Result<std::optional<Account>> {
    AccountRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("accounts") +
                                " WHERE platform = :platform AND subject = :subject",
         soci::use(platform), soci::use(subject));
    bind(p, r);
    const bool found = fetch_one(p);
    return maybe_account(tx_, found, r);
  });
}

Result<std::int64_t> SociAccountStore::count() {
  return guarded(tx_, "counting accounts", [&]() -> Result<std::int64_t> {
    std::int64_t n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("accounts"), soci::into(n);
    return n;
  });
}

}  // namespace mentoring::storage
