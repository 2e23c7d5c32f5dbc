// The audit log: who changed, imported, exported, erased or read in
// confidence which record, and when. Entries are written by the use cases in
// the same transaction as the change they record, so a rolled-back change
// leaves no entry and a committed one always has its entry.
//
// An entry names records by type and id only. Its summary is a fixed phrase
// chosen by the use case ("mentor profile saved", "3 rows imported"), never
// text a person typed and never a name or an email address, so the log holds
// no personal data beyond the actor's account id and can be kept after the
// people it mentions are erased (docs/privacy.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core {

enum class AuditAction { kCreate, kUpdate, kDelete, kImport, kExport, kConfidentialRead, kErase };
// "create", "update", "delete", "import", "export", "confidential_read", "erase".
const char* to_string(AuditAction a);
std::optional<AuditAction> parse_audit_action(std::string_view s);

// Who acted: an account of the plugin, or the host's back end acting through
// the service token ("service").
struct Actor {
  std::optional<std::int64_t> accountid;

  static Actor service() { return Actor{}; }
  static Actor account(std::int64_t id) { return Actor{id}; }
  bool is_service() const { return !accountid.has_value(); }
  // "service" or the account id in decimal.
  std::string to_string() const;
  bool operator==(const Actor&) const = default;
};

// "service" or a positive decimal account id; nullopt otherwise.
std::optional<Actor> parse_actor(std::string_view s);

struct AuditEntry {
  std::int64_t id = 0;
  Actor actor;
  AuditAction action = AuditAction::kUpdate;
  std::string entity_type;  // [a-z_]{1,40}: "objective", "mentor_profile", "account"
  std::int64_t entityid = 0;
  std::string summary;  // one line, at most kMaxAuditSummaryLength bytes, no personal data
  UnixSeconds timecreated = 0;
};

inline constexpr std::size_t kMaxAuditEntityTypeLength = 40;
inline constexpr std::size_t kMaxAuditSummaryLength = 500;

// Reasons: audit_entity_type_invalid, audit_entity_id_invalid (negative),
// audit_summary_invalid (not one line of UTF-8 text), audit_summary_too_long,
// audit_actor_invalid (an account id below 1).
Status validate(const AuditEntry& entry);

// What GET /api/v1/audit may filter on; every part is optional and parts
// combine with AND. Times are Unix seconds: from inclusive, until exclusive.
struct AuditFilter {
  std::optional<std::string> entity_type;
  std::optional<std::int64_t> entityid;  // only with entity_type
  std::optional<Actor> actor;
  std::optional<AuditAction> action;
  std::optional<UnixSeconds> from;
  std::optional<UnixSeconds> until;
};

// Reasons: audit_entity_type_invalid, audit_entity_id_without_type,
// audit_time_range_invalid (until not after from).
Status validate(const AuditFilter& filter);

}  // namespace mentoring::core
