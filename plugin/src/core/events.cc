#include "core/events.h"

#include <array>
#include <cstdio>
#include <utility>

#include "core/account.h"
#include "core/webhook_stores.h"
#include "core/text.h"

namespace mentoring::core {

namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, const char*>, N>& table, std::string_view s) {
  for (const auto& [e, name] : table)
    if (s == name) return e;
  return std::nullopt;
}

template <typename E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& table, E e) {
  for (const auto& [v, name] : table)
    if (v == e) return name;
  return "";
}

constexpr std::array<std::pair<InboundEventType, const char*>, 7> kInbound{{
    {InboundEventType::kAccountCreated, "account.created"},
    {InboundEventType::kAccountUpdated, "account.updated"},
    {InboundEventType::kAccountSuspended, "account.suspended"},
    {InboundEventType::kAccountDeleted, "account.deleted"},
    {InboundEventType::kPlacementChanged, "placement.changed"},
    {InboundEventType::kProgrammeEnrolmentChanged, "programme_enrolment.changed"},
    {InboundEventType::kTrainingOutcomeRecorded, "training_outcome.recorded"},
}};

constexpr std::array<std::pair<OutboundEventType, const char*>, 8> kOutbound{{
    {OutboundEventType::kEnrolled, "mentoring.enrolled"},
    {OutboundEventType::kPairingProposed, "mentoring.pairing_proposed"},
    {OutboundEventType::kPairingConfirmed, "mentoring.pairing_confirmed"},
    {OutboundEventType::kPairingEnded, "mentoring.pairing_ended"},
    {OutboundEventType::kMeetingDue, "mentoring.meeting_due"},
    {OutboundEventType::kSurveyDue, "mentoring.survey_due"},
    {OutboundEventType::kEscalationRaised, "mentoring.escalation_raised"},
    {OutboundEventType::kCertificateIssued, "mentoring.certificate_issued"},
}};

constexpr std::array<std::pair<ProgrammeStatus, const char*>, 4> kProgrammeStatus{{
    {ProgrammeStatus::kEnrolled, "enrolled"},
    {ProgrammeStatus::kCompleted, "completed"},
    {ProgrammeStatus::kWithdrawn, "withdrawn"},
    {ProgrammeStatus::kOutOfProgramme, "out_of_programme"},
}};

constexpr std::size_t kMaxProgrammeLength = 200;

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Status text_field(std::string_view value, std::size_t max, const char* reason, const char* what, const char* field) {
  if (value.size() > max || !is_valid_utf8_text(value))
    return Status::invalid(reason,
                           std::string("The ") + what + " must be one line of text of at most " +
                               std::to_string(max) + " bytes.",
                           field);
  return Status::ok();
}

Status required_text(std::string_view value, std::size_t max, const char* reason, const char* what,
                     const char* field) {
  if (value.empty()) return Status::invalid(reason, std::string("The ") + what + " is required.", field);
  return text_field(value, max, reason, what, field);
}

}  // namespace

const char* to_string(InboundEventType t) { return name_of(kInbound, t); }
std::optional<InboundEventType> parse_inbound_event_type(std::string_view s) { return lookup(kInbound, s); }
const char* to_string(OutboundEventType t) { return name_of(kOutbound, t); }
std::optional<OutboundEventType> parse_outbound_event_type(std::string_view s) { return lookup(kOutbound, s); }
const char* to_string(ProgrammeStatus s) { return name_of(kProgrammeStatus, s); }
std::optional<ProgrammeStatus> parse_programme_status(std::string_view s) { return lookup(kProgrammeStatus, s); }

bool is_arcp_outcome(std::string_view s) {
  static constexpr std::array<std::string_view, 9> kOutcomes{"1", "2", "3", "4", "5", "6", "8", "10.1", "10.2"};
  for (auto o : kOutcomes)
    if (s == o) return true;
  return false;
}

Status validate(const InboundEvent& e) {
  // The person reference follows the account rules, reported under data.*.
  AccountInput ref{e.person.platform, e.person.subject, e.account.name, e.account.email};
  Status account = validate(ref);
  if (!account) {
    std::string reason = account.reason();
    if (reason.rfind("account_", 0) == 0) reason = "event_" + reason.substr(8);
    std::string field = account.field() == "display_name" ? "name" : account.field();
    return Status::invalid(reason, account.message(), "data." + field);
  }
  switch (e.type) {
    case InboundEventType::kAccountCreated:
    case InboundEventType::kAccountUpdated: {
      const AccountDetails& a = e.account;
      if (!a.gmc_number.empty() && (a.gmc_number.size() != 7 || !is_digits(a.gmc_number)))
        return Status::invalid("event_gmc_number_invalid", "The GMC reference number must be exactly 7 digits.",
                               "data.gmc_number");
      MENTORING_RETURN_IF_ERROR(
          text_field(a.specialty, kMaxSpecialtyLength, "event_specialty_invalid", "specialty", "data.specialty"));
      MENTORING_RETURN_IF_ERROR(
          text_field(a.programme, kMaxProgrammeLength, "event_programme_invalid", "programme", "data.programme"));
      MENTORING_RETURN_IF_ERROR(text_field(a.site, kMaxSiteLength, "event_site_invalid", "site", "data.site"));
      MENTORING_RETURN_IF_ERROR(
          text_field(a.region, kMaxRegionLength, "event_region_invalid", "region", "data.region"));
      break;
    }
    case InboundEventType::kPlacementChanged: {
      const PlacementChange& p = e.placement;
      MENTORING_RETURN_IF_ERROR(required_text(p.site, kMaxSiteLength, "event_site_invalid", "site", "data.site"));
      MENTORING_RETURN_IF_ERROR(
          text_field(p.region, kMaxRegionLength, "event_region_invalid", "region", "data.region"));
      MENTORING_RETURN_IF_ERROR(
          text_field(p.specialty, kMaxSpecialtyLength, "event_specialty_invalid", "specialty", "data.specialty"));
      break;
    }
    case InboundEventType::kProgrammeEnrolmentChanged:
      MENTORING_RETURN_IF_ERROR(required_text(e.programme.programme, kMaxProgrammeLength, "event_programme_invalid",
                                              "programme", "data.programme"));
      break;
    case InboundEventType::kTrainingOutcomeRecorded:
      if (!is_arcp_outcome(e.outcome.outcome))
        return Status::invalid("event_outcome_invalid",
                               "The outcome must be an ARCP outcome: 1, 2, 3, 4, 5, 6, 8, 10.1 or 10.2.",
                               "data.outcome");
      MENTORING_RETURN_IF_ERROR(text_field(e.outcome.programme, kMaxProgrammeLength, "event_programme_invalid",
                                           "programme", "data.programme"));
      break;
    case InboundEventType::kAccountSuspended:
    case InboundEventType::kAccountDeleted:
      break;
  }
  return Status::ok();
}

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.f+]Z
  if (t.size() < 20 || t.size() > 40) return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!num(0, 4, y) || t[4] != '-' || !num(5, 2, mo) || t[7] != '-' || !num(8, 2, d) ||
      (t[10] != 'T' && t[10] != 't') || !num(11, 2, h) || t[13] != ':' || !num(14, 2, mi) || t[16] != ':' ||
      !num(17, 2, s))
    return std::nullopt;
  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  auto date = Date::from_ymd(y, mo, d);
  if (!date) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t ms = 0;
  if (t[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (digits < 3) ms = ms * 10 + (t[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 3; ++i) ms *= 10;
  }
  if (pos + 1 != t.size() || (t[pos] != 'Z' && t[pos] != 'z')) return std::nullopt;
  return (date->days_since_epoch() * 86400 + h * 3600 + mi * 60 + s) * 1000 + ms;
}

std::string format_rfc3339_ms(std::int64_t unix_ms) {
  std::int64_t secs = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  const int ms = static_cast<int>(unix_ms - secs * 1000);
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const int rem = static_cast<int>(secs - days * 86400);
  const std::string day = Date::from_days(days).to_string();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", day.c_str(), rem / 3600, rem / 60 % 60, rem % 60, ms);
  return buf;
}

namespace {
constexpr std::array<std::pair<InboxState, const char*>, 4> kInboxStates{{
    {InboxState::kPending, "pending"},
    {InboxState::kDone, "done"},
    {InboxState::kIgnored, "ignored"},
    {InboxState::kDead, "dead"},
}};
constexpr std::array<std::pair<OutboxState, const char*>, 3> kOutboxStates{{
    {OutboxState::kPending, "pending"},
    {OutboxState::kDelivered, "delivered"},
    {OutboxState::kDead, "dead"},
}};
}  // namespace

const char* to_string(InboxState s) { return name_of(kInboxStates, s); }
std::optional<InboxState> parse_inbox_state(std::string_view s) { return lookup(kInboxStates, s); }
const char* to_string(OutboxState s) { return name_of(kOutboxStates, s); }
std::optional<OutboxState> parse_outbox_state(std::string_view s) { return lookup(kOutboxStates, s); }

}  // namespace mentoring::core
