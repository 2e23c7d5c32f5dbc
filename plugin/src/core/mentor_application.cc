#include "core/mentor_application.h"

#include "core/profile.h"
#include "core/text.h"

namespace mentoring::core {

const char* to_string(ApplicationStatus v) {
  switch (v) {
    case ApplicationStatus::kPending:
      return "pending";
    case ApplicationStatus::kApproved:
      return "approved";
    case ApplicationStatus::kDeclined:
      return "declined";
  }
  return "pending";
}

std::optional<ApplicationStatus> parse_application_status(std::string_view s) {
  if (s == "pending") return ApplicationStatus::kPending;
  if (s == "approved") return ApplicationStatus::kApproved;
  if (s == "declined") return ApplicationStatus::kDeclined;
  return std::nullopt;
}

namespace {

Status check_motivation(std::string& m) {
  m = trim(m);
  if (m.empty())
    return Status::invalid("motivation_required", "Say why you would like to mentor in this scheme.", "motivation");
  if (!is_valid_utf8_text(m, /*multiline=*/true))
    return Status::invalid("motivation_invalid", "Your motivation must be plain text.", "motivation");
  if (m.size() < kMinMotivationLength)
    return Status::invalid("motivation_too_short",
                           "Say a little more about why you would like to mentor (at least 20 characters).",
                           "motivation");
  if (m.size() > kMaxMotivationLength)
    return Status::invalid("motivation_too_long", "Your motivation must be at most 2,000 characters.", "motivation");
  return Status::ok();
}

Status check_expertise(std::vector<std::string>& areas) {
  auto normalised = normalise_keywords(areas, kMaxApplicationExpertiseAreas, "expertise_areas");
  if (!normalised) {
    const Status& st = normalised.status();
    if (st.reason() == "expertise_areas_too_many")
      return Status::invalid(st.reason(), "List at most 15 areas of expertise.", "expertise_areas");
    return Status::invalid("expertise_areas_invalid",
                           "Each area of expertise must be one line of at most 40 characters.", "expertise_areas");
  }
  areas = std::move(normalised).value();
  if (areas.empty())
    return Status::invalid("expertise_areas_required",
                           "Name at least one area you could help mentees with, for example \"exams\".",
                           "expertise_areas");
  return Status::ok();
}

Status check_capacity(int capacity) {
  if (capacity < 1 || capacity > kMaxApplicationCapacity)
    return Status::invalid("capacity_invalid", "Say how many mentees you could take at once: a number from 1 to 10.",
                           "capacity");
  return Status::ok();
}

Status check_availability(std::string& a) {
  a = trim(a);
  if (a.empty())
    return Status::invalid("availability_required",
                           "Say when you could meet a mentee, for example \"weekday evenings\".", "availability");
  if (!is_valid_utf8_text(a, /*multiline=*/true))
    return Status::invalid("availability_invalid", "Your availability must be plain text.", "availability");
  if (a.size() > kMaxApplicationAvailabilityLength)
    return Status::invalid("availability_too_long", "Your availability must be at most 500 characters.",
                           "availability");
  return Status::ok();
}

Status check_declaration(bool declared) {
  if (!declared)
    return Status::invalid("declaration_required",
                           "Confirm that you are in good standing with your regulator and employer.", "declaration");
  return Status::ok();
}

}  // namespace

Result<MentorApplicationInput> validate_mentor_application(MentorApplicationInput in) {
  MENTORING_RETURN_IF_ERROR(check_motivation(in.motivation));
  MENTORING_RETURN_IF_ERROR(check_expertise(in.expertise_areas));
  MENTORING_RETURN_IF_ERROR(check_capacity(in.capacity));
  MENTORING_RETURN_IF_ERROR(check_availability(in.availability));
  MENTORING_RETURN_IF_ERROR(check_declaration(in.declaration));
  return in;
}

std::vector<Status> mentor_application_problems(const MentorApplicationInput& input) {
  MentorApplicationInput in = input;
  std::vector<Status> out;
  for (Status st : {check_motivation(in.motivation), check_expertise(in.expertise_areas), check_capacity(in.capacity),
                    check_availability(in.availability), check_declaration(in.declaration)})
    if (!st.is_ok()) out.push_back(std::move(st));
  return out;
}

Result<std::string> validate_decision_reason(std::string reason) {
  reason = trim(reason);
  if (reason.empty())
    return Status::invalid("decision_reason_required", "Give the applicant a reason for declining.", "reason");
  if (!is_valid_utf8_text(reason, /*multiline=*/true))
    return Status::invalid("decision_reason_invalid", "The reason must be plain text.", "reason");
  if (reason.size() > kMaxDecisionReasonLength)
    return Status::invalid("decision_reason_too_long", "The reason must be at most 1,000 characters.", "reason");
  return reason;
}

}  // namespace mentoring::core
