#include "core/evaluation/engagement.h"

#include <algorithm>

namespace mentoring::core::evaluation {
namespace {

constexpr int kMaxWeeks = 52;

std::int64_t days_between(Date from, Date to) { return to.days_since_epoch() - from.days_since_epoch(); }

bool active_on(const PairingActivity& p, Date today) {
  return p.matched_on <= today && (!p.ended_on || *p.ended_on > today);
}

std::optional<double> median(std::vector<std::int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  if (n % 2 == 1) return static_cast<double>(values[n / 2]);
  return (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2.0;
}

// The nudge for one valid pairing, if any.
std::optional<Nudge> nudge_for(const PairingActivity& p, const PairingEngagement& e, Date today,
                               const EngagementPolicy& policy) {
  if (!e.active) return std::nullopt;
  const bool met = e.last_meeting_on.has_value();
  const Date since = met ? *e.last_meeting_on : p.matched_on;
  const int reminder_weeks = met ? policy.quiet_reminder_weeks : policy.first_meeting_reminder_weeks;
  const int escalation_weeks = met ? policy.quiet_escalation_weeks : policy.first_meeting_escalation_weeks;
  const std::int64_t elapsed = days_between(since, today);
  if (elapsed < reminder_weeks * 7) return std::nullopt;
  // A meeting already booked soon means the pair is not quiet, just busy.
  if (p.next_meeting_on && *p.next_meeting_on > today &&
      days_between(today, *p.next_meeting_on) <= reminder_weeks * 7) {
    return std::nullopt;
  }
  const bool escalate = elapsed >= escalation_weeks * 7;
  Nudge n;
  n.pairingid = p.pairingid;
  if (met) n.kind = escalate ? NudgeKind::kGoneQuietEscalation : NudgeKind::kGoneQuietReminder;
  else n.kind = escalate ? NudgeKind::kNoFirstMeetingEscalation : NudgeKind::kNoFirstMeetingReminder;
  n.due_on = since.plus_days((escalate ? escalation_weeks : reminder_weeks) * 7);
  n.weeks_without_meeting = static_cast<int>(elapsed / 7);
  n.reason = to_string(n.kind);
  if (escalate) {
    n.recipients.push_back({RecipientRole::kPointOfContact, policy.point_of_contact_accountid});
  } else {
    n.recipients.push_back({RecipientRole::kMentee, p.menteeid});
    n.recipients.push_back({RecipientRole::kMentor, p.mentorid});
  }
  n.key = "pairing:" + std::to_string(p.pairingid) + ":" + n.reason + ":" + n.due_on.to_string();
  return n;
}

}  // namespace

const char* to_string(NudgeKind kind) {
  switch (kind) {
    case NudgeKind::kNoFirstMeetingReminder: return "no_first_meeting_reminder";
    case NudgeKind::kNoFirstMeetingEscalation: return "no_first_meeting_escalation";
    case NudgeKind::kGoneQuietReminder: return "gone_quiet_reminder";
    case NudgeKind::kGoneQuietEscalation: return "gone_quiet_escalation";
  }
  return "no_first_meeting_reminder";
}

const char* to_string(RecipientRole role) {
  switch (role) {
    case RecipientRole::kMentee: return "mentee";
    case RecipientRole::kMentor: return "mentor";
    case RecipientRole::kPointOfContact: return "point_of_contact";
  }
  return "mentee";
}

Status validate(const EngagementPolicy& policy) {
  for (int w : {policy.first_meeting_reminder_weeks, policy.first_meeting_escalation_weeks,
                policy.quiet_reminder_weeks, policy.quiet_escalation_weeks}) {
    if (w < 1 || w > kMaxWeeks) {
      return Status::invalid("engagement_weeks_out_of_range",
                             "Reminder and escalation periods must be between 1 and 52 weeks.");
    }
  }
  if (policy.first_meeting_escalation_weeks <= policy.first_meeting_reminder_weeks) {
    return Status::invalid("engagement_escalation_before_reminder",
                           "Escalation for a missing first meeting must come after the reminder.",
                           "first_meeting_escalation_weeks");
  }
  if (policy.quiet_escalation_weeks <= policy.quiet_reminder_weeks) {
    return Status::invalid("engagement_escalation_before_reminder",
                           "Escalation for a pair gone quiet must come after the reminder.",
                           "quiet_escalation_weeks");
  }
  if (policy.point_of_contact_accountid <= 0) {
    return Status::invalid("engagement_point_of_contact_required",
                           "Escalations need a point of contact for the scheme.",
                           "point_of_contact_accountid");
  }
  return Status::ok();
}

Status validate(const PairingActivity& p) {
  if (p.pairingid <= 0) {
    return Status::invalid("engagement_pairing_required", "The pairing has no id.", "pairingid");
  }
  const std::string which = "Pairing " + std::to_string(p.pairingid);
  if (p.matched_on < p.enrolled_on) {
    return Status::invalid("engagement_matched_before_enrolled",
                           which + " is matched before its mentee enrolled.", "matched_on");
  }
  if (p.ended_on && *p.ended_on < p.matched_on) {
    return Status::invalid("engagement_ended_before_matched",
                           which + " ends before it starts.", "ended_on");
  }
  for (Date m : p.meetings_held) {
    if (m < p.matched_on) {
      return Status::invalid("engagement_meeting_before_match",
                             which + " has a meeting before the pair was matched.", "meetings_held");
    }
    if (p.ended_on && m > *p.ended_on) {
      return Status::invalid("engagement_meeting_after_end",
                             which + " has a meeting after the relationship ended.", "meetings_held");
    }
  }
  return Status::ok();
}

Result<PairingEngagement> measure(const PairingActivity& p, Date today) {
  MENTORING_RETURN_IF_ERROR(validate(p));
  PairingEngagement e;
  e.pairingid = p.pairingid;
  e.days_to_match = days_between(p.enrolled_on, p.matched_on);
  std::optional<Date> first;
  for (Date m : p.meetings_held) {
    if (m > today) continue;
    ++e.meetings;
    if (!first || m < *first) first = m;
    if (!e.last_meeting_on || m > *e.last_meeting_on) e.last_meeting_on = m;
  }
  if (first) e.days_to_first_meeting = days_between(p.matched_on, *first);
  e.active = active_on(p, today);
  Date until = today;
  if (p.ended_on && *p.ended_on < today) until = *p.ended_on;
  const Date since = e.last_meeting_on ? *e.last_meeting_on : p.matched_on;
  e.days_since_contact = std::max<std::int64_t>(0, days_between(since, until));
  return e;
}

Result<std::vector<Nudge>> nudges_due(const std::vector<PairingActivity>& pairings, Date today,
                                      const EngagementPolicy& policy) {
  MENTORING_RETURN_IF_ERROR(validate(policy));
  std::vector<Nudge> out;
  for (const auto& p : pairings) {
    auto e = measure(p, today);
    if (!e.is_ok()) return e.status();
    if (auto n = nudge_for(p, *e, today, policy)) out.push_back(std::move(*n));
  }
  return out;
}

Result<EngagementSummary> summarise(const std::vector<PairingActivity>& pairings, Date today,
                                    const EngagementPolicy& policy) {
  MENTORING_RETURN_IF_ERROR(validate(policy));
  EngagementSummary s;
  std::vector<std::int64_t> to_match;
  std::vector<std::int64_t> to_first;
  for (const auto& p : pairings) {
    auto e = measure(p, today);
    if (!e.is_ok()) return e.status();
    ++s.pairings;
    if (e->active) ++s.active;
    s.meetings += e->meetings;
    to_match.push_back(e->days_to_match);
    if (e->days_to_first_meeting) {
      ++s.with_first_meeting;
      to_first.push_back(*e->days_to_first_meeting);
    }
    if (nudge_for(p, *e, today, policy)) ++s.gone_quiet;
  }
  if (s.pairings > 0) s.mean_meetings_per_pairing = static_cast<double>(s.meetings) / s.pairings;
  s.median_days_to_match = median(std::move(to_match));
  s.median_days_to_first_meeting = median(std::move(to_first));
  return s;
}

}  // namespace mentoring::core::evaluation
