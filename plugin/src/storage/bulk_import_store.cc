#include "storage/bulk_import_soci_store.h"

#include <map>
#include <optional>

namespace mentoring::storage {
using core::Result;
using core::Status;

// The statements of one transaction and the variables they are bound to.
// SOCI reads a bound variable when the statement executes, so setting the
// members and calling execute() runs the prepared statement with new values.
struct SociBulkImportStore::Statements {
  // Inputs.
  std::string platform, subject, display_name, email, gmc, role, action, entity_type, summary, event_type, payload;
  std::int64_t id = 0, accountid = 0, cohortid = 0, entityid = 0, actorid = 0, now = 0;
  soci::indicator actor_ind = soci::i_null;
  // Outputs.
  std::int64_t out_id = 0;
  std::string out_name, out_email, out_status, out_gmc;

  std::optional<soci::statement> find_account, insert_account, update_account, account_with_gmc, gmc_of, set_gmc,
      insert_enrolment, append_audit, append_outbox;
};

SociBulkImportStore::SociBulkImportStore(TxContext& tx) : tx_(tx) {}
SociBulkImportStore::~SociBulkImportStore() = default;

SociBulkImportStore::Statements& SociBulkImportStore::statements() {
  if (!st_) {
    // An import writes about 1 KB a row in one transaction. With SQLite's
    // default 2 MB page cache the dirty pages spill to the WAL again and
    // again mid-transaction, which made a 100,000-row file several times
    // slower than the rows themselves. 256 MB is a ceiling, not an
    // allocation; it stays on this connection, where later imports want it.
    if (tx_.dialect == Dialect::kSqlite) tx_.sql << "PRAGMA cache_size = -262144";
    st_ = std::make_unique<Statements>();
  }
  return *st_;
}

namespace {

// Prepares `slot` on first use.
template <typename Make>
soci::statement& prepared(std::optional<soci::statement>& slot, Make make) {
  if (!slot) slot.emplace(make());
  return *slot;
}

// Executes and reads the statement's one row, if any, then steps it to its
// end: an SQLite statement left mid-result (a RETURNING insert above all)
// would keep the transaction from committing.
// `read` copies the row's values before that last step.
template <typename Read>
bool run_one(soci::statement& st, Read read) {
  const bool got = st.execute(true);
  if (got) {
    read();
    st.fetch();
  }
  return got;
}

}  // namespace

Result<std::optional<core::ImportAccount>> SociBulkImportStore::find_account(const std::string& platform,
                                                                             const std::string& subject) {
  return guarded(tx_, "reading an account", [&]() -> Result<std::optional<core::ImportAccount>> {
    Statements& s = statements();
    soci::statement& st = prepared(s.find_account, [&] {
      return soci::statement(
          (tx_.sql.prepare << "SELECT id, display_name, email, status FROM " + tx_.table("accounts") +
                                  " WHERE platform = :platform AND subject = :subject",
           soci::use(s.platform), soci::use(s.subject), soci::into(s.out_id), soci::into(s.out_name),
           soci::into(s.out_email), soci::into(s.out_status)));
    });
    s.platform = platform;
    s.subject = subject;
    core::ImportAccount a;
    std::string status;
    if (!run_one(st, [&] {
          a.id = s.out_id;
          a.display_name = s.out_name;
          a.email = s.out_email;
          status = s.out_status;
        }))
      return std::optional<core::ImportAccount>();
    if (!core::parse_account_status(status, a.status))
      return stored_value_invalid(tx_.table("accounts"), "status", status);
    return std::optional<core::ImportAccount>(std::move(a));
  });
}

Result<std::int64_t> SociBulkImportStore::insert_account(const core::AccountInput& input, core::UnixSeconds now) {
  return guarded(tx_, "saving an account", [&]() -> Result<std::int64_t> {
    Statements& s = statements();
    // DO NOTHING rather than catching the unique violation: on PostgreSQL a
    // violation aborts the whole transaction.
    soci::statement& st = prepared(s.insert_account, [&] {
      return soci::statement(
          (tx_.sql.prepare << "INSERT INTO " + tx_.table("accounts") +
                                  " (platform, subject, display_name, email, status, timecreated, timemodified)"
                                  " VALUES (:platform, :subject, :display_name, :email, 'active', :t1, :t2)"
                                  " ON CONFLICT (platform, subject) DO NOTHING RETURNING id",
           soci::use(s.platform), soci::use(s.subject), soci::use(s.display_name), soci::use(s.email),
           soci::use(s.now), soci::use(s.now), soci::into(s.out_id)));
    });
    s.platform = input.platform;
    s.subject = input.subject;
    s.display_name = input.display_name;
    s.email = input.email;
    s.now = now;
    std::int64_t id = 0;
    if (!run_one(st, [&] { id = s.out_id; }))
      return Status::already_exists("account_exists", "An account with that platform and subject already exists.");
    return id;
  });
}

Status SociBulkImportStore::update_account(std::int64_t id, const std::string& display_name, const std::string& email,
                                           core::UnixSeconds now) {
  return guarded(tx_, "saving an account", [&]() -> Status {
    Statements& s = statements();
    soci::statement& st = prepared(s.update_account, [&] {
      return soci::statement((tx_.sql.prepare << "UPDATE " + tx_.table("accounts") +
                                                     " SET display_name = :display_name, email = :email,"
                                                     " timemodified = :now WHERE id = :id",
                              soci::use(s.display_name), soci::use(s.email), soci::use(s.now), soci::use(s.id)));
    });
    s.display_name = display_name;
    s.email = email;
    s.now = now;
    s.id = id;
    st.execute(true);
    return Status::ok();
  });
}

Result<std::optional<std::int64_t>> SociBulkImportStore::account_with_gmc(const std::string& gmc_number) {
  return guarded(tx_, "reading a GMC number", [&]() -> Result<std::optional<std::int64_t>> {
    Statements& s = statements();
    soci::statement& st = prepared(s.account_with_gmc, [&] {
      return soci::statement((tx_.sql.prepare << "SELECT accountid FROM " + tx_.table("account_gmc") +
                                                     " WHERE gmc_number = :gmc",
                              soci::use(s.gmc), soci::into(s.out_id)));
    });
    s.gmc = gmc_number;
    std::int64_t id = 0;
    if (!run_one(st, [&] { id = s.out_id; })) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(id);
  });
}

Result<std::optional<std::string>> SociBulkImportStore::gmc_of(std::int64_t accountid) {
  return guarded(tx_, "reading a GMC number", [&]() -> Result<std::optional<std::string>> {
    Statements& s = statements();
    soci::statement& st = prepared(s.gmc_of, [&] {
      return soci::statement((tx_.sql.prepare << "SELECT gmc_number FROM " + tx_.table("account_gmc") +
                                                     " WHERE accountid = :accountid",
                              soci::use(s.accountid), soci::into(s.out_gmc)));
    });
    s.accountid = accountid;
    std::string gmc;
    if (!run_one(st, [&] { gmc = s.out_gmc; })) return std::optional<std::string>();
    return std::optional<std::string>(gmc);
  });
}

Status SociBulkImportStore::set_gmc(std::int64_t accountid, const std::string& gmc_number, core::UnixSeconds now) {
  return guarded(tx_, "saving a GMC number", [&]() -> Status {
    Statements& s = statements();
    soci::statement& st = prepared(s.set_gmc, [&] {
      return soci::statement(
          (tx_.sql.prepare << "INSERT INTO " + tx_.table("account_gmc") +
                                  " (accountid, gmc_number, timecreated, timemodified) VALUES (:accountid, :gmc, :t1,"
                                  " :t2) ON CONFLICT (accountid) DO UPDATE SET gmc_number = excluded.gmc_number,"
                                  " timemodified = excluded.timemodified",
           soci::use(s.accountid), soci::use(s.gmc), soci::use(s.now), soci::use(s.now)));
    });
    s.accountid = accountid;
    s.gmc = gmc_number;
    s.now = now;
    st.execute(true);
    return Status::ok();
  });
}

Result<std::optional<std::int64_t>> SociBulkImportStore::insert_enrolment(std::int64_t cohortid,
                                                                          std::int64_t accountid, core::Role role,
                                                                          core::UnixSeconds now) {
  return guarded(tx_, "saving an enrolment", [&]() -> Result<std::optional<std::int64_t>> {
    Statements& s = statements();
    soci::statement& st = prepared(s.insert_enrolment, [&] {
      return soci::statement(
          (tx_.sql.prepare << "INSERT INTO " + tx_.table("enrolments") +
                                  " (cohortid, accountid, role, status, timecreated, timemodified)"
                                  " VALUES (:cohortid, :accountid, :role, 'active', :t1, :t2)"
                                  " ON CONFLICT (cohortid, accountid, role) DO NOTHING RETURNING id",
           soci::use(s.cohortid), soci::use(s.accountid), soci::use(s.role), soci::use(s.now), soci::use(s.now),
           soci::into(s.out_id)));
    });
    s.cohortid = cohortid;
    s.accountid = accountid;
    s.role = core::to_string(role);
    s.now = now;
    std::int64_t id = 0;
    if (!run_one(st, [&] { id = s.out_id; })) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(id);
  });
}

namespace {

// Placeholders for `n` values bound by position, numbered from `next`. With
// `positional` (SQLite) they are plain "?": SQLite looks every named
// parameter up in a list as it parses, so a statement with thousands of
// ":name"s took quadratic time to prepare. For PostgreSQL SOCI turns the
// ":name"s into "$n" itself.
std::string placeholders(bool positional, std::size_t n, std::size_t& next) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    if (positional) {
      out += '?';
      ++next;
    } else {
      out += ":v" + std::to_string(next++);
    }
  }
  return out;
}

// "(:v0, :v1), (:v2, :v3)" for `rows` rows of `columns` values each; the
// literal `tail` (", 'active'") closes every row.
std::string value_rows(bool positional, std::size_t rows, std::size_t columns, const std::string& tail = {}) {
  std::string out;
  std::size_t next = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) out += ", ";
    out += "(" + placeholders(positional, columns, next) + tail + ")";
  }
  return out;
}


Status too_many_rows() {
  return Status::invalid("bulk_batch_too_large",
                         "A batch holds at most " + std::to_string(core::kBulkBatchRows) + " rows.");
}

}  // namespace

Result<std::vector<core::ImportAccount>> SociBulkImportStore::find_accounts(const std::string& platform,
                                                                            const std::vector<std::string>& subjects) {
  if (subjects.size() > core::kBulkBatchRows) return too_many_rows();
  std::vector<core::ImportAccount> out;
  if (subjects.empty()) return out;
  return guarded(tx_, "reading accounts", [&]() -> Result<std::vector<core::ImportAccount>> {
    const bool positional = tx_.dialect == Dialect::kSqlite;
    std::size_t next = 0;
    const std::string where = placeholders(positional, 1, next);
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT id, subject, display_name, email, status FROM " + tx_.table("accounts") +
                                " WHERE platform = " + where + " AND subject IN (" +
                                placeholders(positional, subjects.size(), next) + ")");
    p, soci::use(platform);
    for (const std::string& subject : subjects) p, soci::use(subject);
    std::int64_t id = 0;
    std::string subject, name, email, status;
    p, soci::into(id), soci::into(subject), soci::into(name), soci::into(email), soci::into(status);
    soci::statement st(p);
    bool got = st.execute(true);
    while (got) {
      core::ImportAccount a;
      a.id = id;
      a.subject = subject;
      a.display_name = name;
      a.email = email;
      if (!core::parse_account_status(status, a.status))
        return stored_value_invalid(tx_.table("accounts"), "status", status);
      out.push_back(std::move(a));
      got = st.fetch();
    }
    return out;
  });
}

Result<std::vector<core::ImportAccount>> SociBulkImportStore::insert_accounts(
    const std::vector<core::AccountInput>& inputs, core::UnixSeconds now) {
  if (inputs.size() > core::kBulkBatchRows) return too_many_rows();
  std::vector<core::ImportAccount> out;
  if (inputs.empty()) return out;
  return guarded(tx_, "saving accounts", [&]() -> Result<std::vector<core::ImportAccount>> {
    const bool positional = tx_.dialect == Dialect::kSqlite;
    const std::int64_t t = now;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("accounts") +
                                " (platform, subject, display_name, email, timecreated, timemodified, status)"
                                " VALUES " +
                                value_rows(positional, inputs.size(), 6, ", 'active'") +
                                " ON CONFLICT (platform, subject) DO NOTHING RETURNING id, subject");
    for (const core::AccountInput& in : inputs)
      p, soci::use(in.platform), soci::use(in.subject), soci::use(in.display_name), soci::use(in.email),
          soci::use(t), soci::use(t);
    std::int64_t id = 0;
    std::string subject;
    p, soci::into(id), soci::into(subject);
    soci::statement st(p);
    bool got = st.execute(true);
    while (got) {
      core::ImportAccount a;
      a.id = id;
      a.subject = subject;
      out.push_back(std::move(a));
      got = st.fetch();
    }
    if (out.size() != inputs.size())
      return Status::already_exists("account_exists", "An account with that platform and subject already exists.");
    // The names and emails are those given.
    std::map<std::string, const core::AccountInput*> by_subject;
    for (const core::AccountInput& in : inputs) by_subject[in.subject] = &in;
    for (core::ImportAccount& a : out) {
      a.display_name = by_subject[a.subject]->display_name;
      a.email = by_subject[a.subject]->email;
    }
    return out;
  });
}

namespace {

// Rows (first, second) of `select` ("SELECT a, b FROM t WHERE k") for the
// keys `keys`, bound through one IN list.
template <typename First, typename Second, typename Key>
Result<std::vector<std::pair<First, Second>>> pairs_where_in(TxContext& tx, const char* what,
                                                             const std::string& select,
                                                             const std::vector<Key>& keys) {
  std::vector<std::pair<First, Second>> out;
  if (keys.empty()) return out;
  return guarded(tx, what, [&]() -> Result<std::vector<std::pair<First, Second>>> {
    std::size_t next = 0;
    soci::details::prepare_temp_type p =
        (tx.sql.prepare << select + " IN (" + placeholders(tx.dialect == Dialect::kSqlite, keys.size(), next) + ")");
    for (const Key& k : keys) p, soci::use(k);
    First first{};
    Second second{};
    p, soci::into(first), soci::into(second);
    soci::statement st(p);
    for (bool got = st.execute(true); got; got = st.fetch()) out.emplace_back(first, second);
    return out;
  });
}

}  // namespace

Result<std::vector<std::pair<std::string, std::int64_t>>> SociBulkImportStore::gmc_holders(
    const std::vector<std::string>& gmc_numbers) {
  if (gmc_numbers.size() > core::kBulkBatchRows) return too_many_rows();
  return pairs_where_in<std::string, std::int64_t>(
      tx_, "reading GMC numbers", "SELECT gmc_number, accountid FROM " + tx_.table("account_gmc") + " WHERE gmc_number",
      gmc_numbers);
}

Result<std::vector<std::pair<std::int64_t, std::string>>> SociBulkImportStore::gmc_numbers_of(
    const std::vector<std::int64_t>& accountids) {
  if (accountids.size() > core::kBulkBatchRows) return too_many_rows();
  return pairs_where_in<std::int64_t, std::string>(
      tx_, "reading GMC numbers", "SELECT accountid, gmc_number FROM " + tx_.table("account_gmc") + " WHERE accountid",
      accountids);
}

Status SociBulkImportStore::set_gmc_numbers(const std::vector<std::pair<std::int64_t, std::string>>& numbers,
                                            core::UnixSeconds now) {
  if (numbers.size() > core::kBulkBatchRows) return too_many_rows();
  if (numbers.empty()) return Status::ok();
  return guarded(tx_, "saving GMC numbers", [&]() -> Status {
    const bool positional = tx_.dialect == Dialect::kSqlite;
    const std::int64_t t = now;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("account_gmc") +
                                " (accountid, gmc_number, timecreated, timemodified) VALUES " +
                                value_rows(positional, numbers.size(), 4) +
                                " ON CONFLICT (accountid) DO UPDATE SET gmc_number = excluded.gmc_number,"
                                " timemodified = excluded.timemodified");
    for (const auto& [accountid, gmc] : numbers) p, soci::use(accountid), soci::use(gmc), soci::use(t), soci::use(t);
    soci::statement st(p);
    st.execute(true);
    return Status::ok();
  });
}

Result<std::vector<std::int64_t>> SociBulkImportStore::enrolled(std::int64_t cohortid, core::Role role,
                                                                const std::vector<std::int64_t>& accountids) {
  if (accountids.size() > core::kBulkBatchRows) return too_many_rows();
  std::vector<std::int64_t> out;
  if (accountids.empty()) return out;
  return guarded(tx_, "reading enrolments", [&]() -> Result<std::vector<std::int64_t>> {
    const bool positional = tx_.dialect == Dialect::kSqlite;
    const std::string role_text = core::to_string(role);
    std::size_t next = 0;
    const std::string c = placeholders(positional, 1, next);
    const std::string r = placeholders(positional, 1, next);
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT accountid FROM " + tx_.table("enrolments") + " WHERE cohortid = " + c +
                                " AND role = " + r + " AND accountid IN (" + placeholders(positional, accountids.size(), next) +
                                ")");
    p, soci::use(cohortid), soci::use(role_text);
    for (const std::int64_t& a : accountids) p, soci::use(a);
    std::int64_t id = 0;
    p, soci::into(id);
    soci::statement st(p);
    for (bool got = st.execute(true); got; got = st.fetch()) out.push_back(id);
    return out;
  });
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> SociBulkImportStore::insert_enrolments(
    std::int64_t cohortid, core::Role role, const std::vector<std::int64_t>& accountids, core::UnixSeconds now) {
  if (accountids.size() > core::kBulkBatchRows) return too_many_rows();
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  if (accountids.empty()) return out;
  return guarded(tx_, "saving enrolments", [&]() -> Result<std::vector<std::pair<std::int64_t, std::int64_t>>> {
    const bool positional = tx_.dialect == Dialect::kSqlite;
    const std::string role_text = core::to_string(role);
    const std::int64_t t = now;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("enrolments") +
                                " (cohortid, accountid, role, timecreated, timemodified, status) VALUES " +
                                value_rows(positional, accountids.size(), 5, ", 'active'") +
                                " ON CONFLICT (cohortid, accountid, role) DO NOTHING RETURNING accountid, id");
    for (const std::int64_t& a : accountids)
      p, soci::use(cohortid), soci::use(a), soci::use(role_text), soci::use(t), soci::use(t);
    std::int64_t accountid = 0, id = 0;
    p, soci::into(accountid), soci::into(id);
    soci::statement st(p);
    for (bool got = st.execute(true); got; got = st.fetch()) out.emplace_back(accountid, id);
    if (out.size() != accountids.size())
      return Status::already_exists("enrolment_exists", "That account is already enrolled in the cohort in that role.");
    return out;
  });
}

Status SociBulkImportStore::append_audits(const std::vector<core::AuditEntry>& entries) {
  if (entries.size() > 2 * core::kBulkBatchRows) return too_many_rows();
  if (entries.empty()) return Status::ok();
  return guarded(tx_, "writing the audit log", [&]() -> Status {
    const bool positional = tx_.dialect == Dialect::kSqlite;
    std::vector<std::int64_t> actors(entries.size());
    std::vector<soci::indicator> inds(entries.size());
    std::vector<std::string> actions(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      actors[i] = entries[i].actor.accountid.value_or(0);
      inds[i] = entries[i].actor.accountid ? soci::i_ok : soci::i_null;
      actions[i] = core::to_string(entries[i].action);
    }
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("audit_log") +
                                " (actorid, action, entity_type, entityid, summary, timecreated, timemodified)"
                                " VALUES " +
                                value_rows(positional, entries.size(), 7));
    for (std::size_t i = 0; i < entries.size(); ++i)
      p, soci::use(actors[i], inds[i]), soci::use(actions[i]), soci::use(entries[i].entity_type),
          soci::use(entries[i].entityid), soci::use(entries[i].summary), soci::use(entries[i].timecreated),
          soci::use(entries[i].timecreated);
    soci::statement st(p);
    st.execute(true);
    return Status::ok();
  });
}

Status SociBulkImportStore::append_outbox_events(const std::vector<std::pair<std::string, std::string>>& events,
                                                 core::UnixSeconds now) {
  if (events.size() > core::kBulkBatchRows) return too_many_rows();
  if (events.empty()) return Status::ok();
  return guarded(tx_, "queueing webhooks", [&]() -> Status {
    const bool positional = tx_.dialect == Dialect::kSqlite;
    const std::int64_t t = now;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("webhook_outbox") +
                                " (event_type, payload, next_attempt_at, timecreated, timemodified, state, attempts,"
                                " deadline_at) VALUES " +
                                value_rows(positional, events.size(), 5, ", 'pending', 0, 0"));
    for (const auto& [type, payload] : events)
      p, soci::use(type), soci::use(payload), soci::use(t), soci::use(t), soci::use(t);
    soci::statement st(p);
    st.execute(true);
    return Status::ok();
  });
}

Status SociBulkImportStore::append_audit(const core::AuditEntry& e) {
  return guarded(tx_, "writing the audit log", [&]() -> Status {
    Statements& s = statements();
    soci::statement& st = prepared(s.append_audit, [&] {
      return soci::statement(
          (tx_.sql.prepare << "INSERT INTO " + tx_.table("audit_log") +
                                  " (actorid, action, entity_type, entityid, summary, timecreated, timemodified)"
                                  " VALUES (:actorid, :action, :entity_type, :entityid, :summary, :t1, :t2)",
           soci::use(s.actorid, s.actor_ind), soci::use(s.action), soci::use(s.entity_type), soci::use(s.entityid),
           soci::use(s.summary), soci::use(s.now), soci::use(s.now)));
    });
    s.actorid = e.actor.accountid.value_or(0);
    s.actor_ind = e.actor.accountid ? soci::i_ok : soci::i_null;
    s.action = core::to_string(e.action);
    s.entity_type = e.entity_type;
    s.entityid = e.entityid;
    s.summary = e.summary;
    s.now = e.timecreated;
    st.execute(true);
    return Status::ok();
  });
}

Status SociBulkImportStore::append_outbox(const std::string& event_type, const std::string& payload_json,
                                          core::UnixSeconds now) {
  return guarded(tx_, "queueing a webhook", [&]() -> Status {
    Statements& s = statements();
    soci::statement& st = prepared(s.append_outbox, [&] {
      return soci::statement(
          (tx_.sql.prepare << "INSERT INTO " + tx_.table("webhook_outbox") +
                                  " (event_type, payload, state, attempts, next_attempt_at, deadline_at, timecreated,"
                                  " timemodified) VALUES (:type, :payload, 'pending', 0, :due, 0, :tc, :tm)",
           soci::use(s.event_type), soci::use(s.payload), soci::use(s.now), soci::use(s.now), soci::use(s.now)));
    });
    s.event_type = event_type;
    s.payload = payload_json;
    s.now = now;
    st.execute(true);
    return Status::ok();
  });
}

}  // namespace mentoring::storage
