#include "core/audit.h"

#include <array>

#include "core/text.h"

namespace mentoring::core {
namespace {

constexpr std::array<std::pair<AuditAction, const char*>, 7> kActions{{
    {AuditAction::kCreate, "create"},
    {AuditAction::kUpdate, "update"},
    {AuditAction::kDelete, "delete"},
    {AuditAction::kImport, "import"},
    {AuditAction::kExport, "export"},
    {AuditAction::kConfidentialRead, "confidential_read"},
    {AuditAction::kErase, "erase"},
}};

bool is_entity_type(std::string_view s) {
  if (s.empty() || s.size() > kMaxAuditEntityTypeLength) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  return true;
}

Status entity_type_invalid() {
  return Status::invalid("audit_entity_type_invalid",
                         "The entity type must be 1 to 40 lower-case letters or underscores.", "entity");
}

}  // namespace

const char* to_string(AuditAction a) {
  for (const auto& [action, name] : kActions)
    if (action == a) return name;
  return "update";
}

std::optional<AuditAction> parse_audit_action(std::string_view s) {
  for (const auto& [action, name] : kActions)
    if (s == name) return action;
  return std::nullopt;
}

std::string Actor::to_string() const { return accountid ? std::to_string(*accountid) : std::string("service"); }

std::optional<Actor> parse_actor(std::string_view s) {
  if (s == "service") return Actor::service();
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t id = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  if (id < 1) return std::nullopt;
  return Actor::account(id);
}

Status validate(const AuditEntry& entry) {
  if (!is_entity_type(entry.entity_type)) return entity_type_invalid();
  if (entry.entityid < 0)
    return Status::invalid("audit_entity_id_invalid", "The entity id must not be negative.", "entityid");
  if (entry.actor.accountid && *entry.actor.accountid < 1)
    return Status::invalid("audit_actor_invalid", "The actor must be 'service' or an account id.", "actor");
  if (entry.summary.size() > kMaxAuditSummaryLength)
    return Status::invalid("audit_summary_too_long", "The audit summary must be at most 500 bytes.", "summary");
  if (!is_valid_utf8_text(entry.summary))
    return Status::invalid("audit_summary_invalid", "The audit summary must be one line of text.", "summary");
  return Status::ok();
}

Status validate(const AuditFilter& filter) {
  if (filter.entity_type && !is_entity_type(*filter.entity_type)) return entity_type_invalid();
  if (filter.entityid && !filter.entity_type)
    return Status::invalid("audit_entity_id_without_type", "Give 'entity' together with 'entityid'.", "entityid");
  if (filter.from && filter.until && *filter.until <= *filter.from)
    return Status::invalid("audit_time_range_invalid", "The 'until' time must be after the 'from' time.", "until");
  return Status::ok();
}

}  // namespace mentoring::core
