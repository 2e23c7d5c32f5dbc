#include "core/agreement.h"

#include "core/text.h"

namespace mentoring::core {

// Written from the toolkit's points: the agreement sets boundaries, there is a
// named point of contact for problems, and confidential data is managed by
// someone responsible for it. The limits are those UK doctors already work to
// (GMC Good medical practice: patient safety and safeguarding come first).
const char* const kDefaultConfidentialityText =
    "What we discuss in mentoring stays between us. We will not share it with supervisors, "
    "educators or employers without the other person's agreement.\n"
    "There are limits. Either of us may need to share information, telling the other first "
    "where possible, if there is a risk of serious harm to the mentee or to others, a risk to "
    "patient safety, a safeguarding concern, or if the law requires it.\n"
    "The scheme keeps only what it needs to run: who is paired with whom, meeting dates and "
    "feedback for evaluation. It does not keep notes of what we discuss.\n"
    "If either of us has a concern about the mentoring relationship, we can contact the "
    "scheme's point of contact.";

const char* to_string(MeetingFrequency v) {
  switch (v) {
    case MeetingFrequency::kWeekly: return "weekly";
    case MeetingFrequency::kFortnightly: return "fortnightly";
    case MeetingFrequency::kMonthly: return "monthly";
    case MeetingFrequency::kEverySixWeeks: return "every_six_weeks";
  }
  return "monthly";
}

std::optional<MeetingFrequency> parse_meeting_frequency(std::string_view s) {
  for (auto v : {MeetingFrequency::kWeekly, MeetingFrequency::kFortnightly, MeetingFrequency::kMonthly,
                 MeetingFrequency::kEverySixWeeks})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

const char* describe(MeetingFrequency v) {
  switch (v) {
    case MeetingFrequency::kWeekly: return "every week";
    case MeetingFrequency::kFortnightly: return "every two weeks";
    case MeetingFrequency::kMonthly: return "every month";
    case MeetingFrequency::kEverySixWeeks: return "every six weeks";
  }
  return "every month";
}

Status validate(const AgreementTemplate& a) {
  if (a.schemeid <= 0)
    return Status::invalid("agreement_scheme_required", "Choose the scheme this agreement belongs to.", "schemeid");
  if (a.version < 1)
    return Status::invalid("agreement_version_invalid", "The agreement version must be 1 or more.", "version");
  if (a.meeting_minutes < kMinMeetingMinutes || a.meeting_minutes > kMaxMeetingMinutes)
    return Status::invalid("agreement_minutes_invalid", "Meetings must last between 15 and 240 minutes.",
                           "meeting_minutes");
  if (a.duration_months < 1 || a.duration_months > kMaxSchemeMonths)
    return Status::invalid("agreement_duration_invalid", "Mentoring must last between 1 and 36 months.",
                           "duration_months");
  if (a.boundaries.size() > kMaxAgreementTextLength || !is_valid_utf8_text(a.boundaries, true))
    return Status::invalid("agreement_boundaries_invalid", "The boundaries must be text of at most 10,000 characters.",
                           "boundaries");
  if (a.ground_rules.size() > kMaxAgreementTextLength || !is_valid_utf8_text(a.ground_rules, true))
    return Status::invalid("agreement_ground_rules_invalid",
                           "The ground rules must be text of at most 10,000 characters.", "ground_rules");
  if (trim(a.confidentiality).empty())
    return Status::invalid("agreement_confidentiality_required",
                           "Say what stays confidential and when it may be shared.", "confidentiality");
  if (a.confidentiality.size() > kMaxAgreementTextLength || !is_valid_utf8_text(a.confidentiality, true))
    return Status::invalid("agreement_confidentiality_invalid",
                           "The confidentiality section must be text of at most 10,000 characters.", "confidentiality");
  return Status::ok();
}

namespace {

// A name on one line: control bytes (and line breaks) become spaces so a name
// cannot forge extra lines in the agreement.
std::string clean_name(std::string_view name) {
  std::string out;
  for (unsigned char c : name) out.push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
  out = trim(out);
  return out.empty() ? std::string("(name not given)") : out;
}

std::string months(int n) { return std::to_string(n) + (n == 1 ? " month" : " months"); }

void section(std::string& out, const char* heading, const std::string& body) {
  const std::string text = trim(body);
  if (text.empty()) return;
  out += "\n";
  out += heading;
  out += "\n";
  for (char c : text)
    if (c != '\r') out.push_back(c);
  out += "\n";
}

}  // namespace

std::string render_agreement_text(const AgreementTemplate& a, std::string_view mentee_name,
                                  std::string_view mentor_name) {
  std::string out;
  out += "Mentoring agreement (version " + std::to_string(a.version) + ")\n";
  out += "\n";
  out += "Mentee: " + clean_name(mentee_name) + "\n";
  out += "Mentor: " + clean_name(mentor_name) + "\n";
  out += "\n";
  out += "Meetings\n";
  out += std::string("We will meet ") + describe(a.frequency) + " for about " + std::to_string(a.meeting_minutes) +
         " minutes, for " + months(a.duration_months) + ".\n";
  section(out, "Boundaries", a.boundaries);
  section(out, "Ground rules", a.ground_rules);
  section(out, "Confidentiality", a.confidentiality);
  out += "\n";
  out += "By accepting, we each agree to keep to this agreement.\n";
  return out;
}

const char* to_string(AgreementStatus v) {
  switch (v) {
    case AgreementStatus::kPending: return "pending";
    case AgreementStatus::kAcceptedByMenteeOnly: return "accepted_by_mentee_only";
    case AgreementStatus::kAcceptedByMentorOnly: return "accepted_by_mentor_only";
    case AgreementStatus::kAccepted: return "accepted";
    case AgreementStatus::kOutdated: return "outdated";
  }
  return "pending";
}

std::optional<AgreementStatus> parse_agreement_status(std::string_view s) {
  for (auto v : {AgreementStatus::kPending, AgreementStatus::kAcceptedByMenteeOnly,
                 AgreementStatus::kAcceptedByMentorOnly, AgreementStatus::kAccepted, AgreementStatus::kOutdated})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

AgreementStatus agreement_status(const std::vector<AgreementAcceptance>& acceptances, std::int64_t mentee_id,
                                 std::int64_t mentor_id, int current_version) {
  bool mentee_current = false;
  bool mentor_current = false;
  bool earlier = false;
  for (const auto& a : acceptances) {
    const bool mentee = a.accepted_by == mentee_id;
    const bool mentor = a.accepted_by == mentor_id;
    if (!mentee && !mentor) continue;
    if (a.template_version == current_version) {
      mentee_current = mentee_current || mentee;
      mentor_current = mentor_current || mentor;
    } else if (a.template_version < current_version) {
      earlier = true;
    }
    // A version above the current one cannot have been shown to anyone; ignore it.
  }
  if (mentee_current && mentor_current) return AgreementStatus::kAccepted;
  if (mentee_current) return AgreementStatus::kAcceptedByMenteeOnly;
  if (mentor_current) return AgreementStatus::kAcceptedByMentorOnly;
  return earlier ? AgreementStatus::kOutdated : AgreementStatus::kPending;
}

Status check_can_book_meeting(AgreementStatus s) {
  auto refuse = [](const char* reason, const char* message) {
    return Status(Code::kFailedPrecondition, reason, message, "agreement");
  };
  switch (s) {
    case AgreementStatus::kAccepted: return Status::ok();
    case AgreementStatus::kPending:
      return refuse("agreement_not_accepted",
                    "Meetings can be booked once you and your mentor or mentee have both accepted the agreement.");
    case AgreementStatus::kAcceptedByMenteeOnly:
      return refuse("agreement_awaiting_mentor",
                    "Meetings can be booked once the mentor has also accepted the agreement.");
    case AgreementStatus::kAcceptedByMentorOnly:
      return refuse("agreement_awaiting_mentee",
                    "Meetings can be booked once the mentee has also accepted the agreement.");
    case AgreementStatus::kOutdated:
      return refuse("agreement_outdated",
                    "The agreement has changed since you accepted it; both of you need to accept the new version "
                    "before booking meetings.");
  }
  return refuse("agreement_not_accepted", "Meetings can be booked once both of you have accepted the agreement.");
}

}  // namespace mentoring::core
