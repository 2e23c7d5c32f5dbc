// Status and Result<T>: how every layer inside the plugin reports failure.
//
// No exceptions cross a layer: library exceptions (SOCI, Boost, OpenSSL) are
// caught where they are thrown and turned into a Status once. A Status has a
// category (Code, which the HTTP and C layers map to their own error numbers),
// a stable machine-readable reason (for clients and string keys), a human
// message in English, and optionally the input field it is about.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace mentoring::core {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // the caller's input is wrong; retrying will not help
  kNotFound,           // the thing asked for does not exist
  kAlreadyExists,      // a create collided with something that exists
  kConflict,           // the state changed under the caller (stale write, full)
  kFailedPrecondition, // the request is valid but not allowed in this state
  kUnauthenticated,    // no or bad credentials
  kPermissionDenied,   // authenticated but lacking the capability
  kResourceExhausted,  // a limit was hit (size, rate)
  kUnavailable,        // a dependency is down; retrying later may help
  kInternal,           // a bug or an unexpected library failure
};

// Stable lower-case name of a code ("invalid_argument", ...).
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status ok() { return Status(); }
  static Status invalid(std::string reason, std::string message, std::string field = {}) {
    return Status(Code::kInvalidArgument, std::move(reason), std::move(message), std::move(field));
  }
  static Status not_found(std::string reason, std::string message) {
    return Status(Code::kNotFound, std::move(reason), std::move(message));
  }
  static Status already_exists(std::string reason, std::string message) {
    return Status(Code::kAlreadyExists, std::move(reason), std::move(message));
  }
  static Status conflict(std::string reason, std::string message) {
    return Status(Code::kConflict, std::move(reason), std::move(message));
  }
  static Status failed_precondition(std::string reason, std::string message) {
    return Status(Code::kFailedPrecondition, std::move(reason), std::move(message));
  }
  static Status unauthenticated(std::string reason, std::string message) {
    return Status(Code::kUnauthenticated, std::move(reason), std::move(message));
  }
  static Status permission_denied(std::string reason, std::string message) {
    return Status(Code::kPermissionDenied, std::move(reason), std::move(message));
  }
  static Status resource_exhausted(std::string reason, std::string message) {
    return Status(Code::kResourceExhausted, std::move(reason), std::move(message));
  }
  static Status unavailable(std::string reason, std::string message) {
    return Status(Code::kUnavailable, std::move(reason), std::move(message));
  }
  static Status internal(std::string reason, std::string message) {
    return Status(Code::kInternal, std::move(reason), std::move(message));
  }

  Status(Code code, std::string reason, std::string message, std::string field = {})
      : code_(code), reason_(std::move(reason)), message_(std::move(message)), field_(std::move(field)) {}

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  // Stable snake_case reason, e.g. "cohort_dates_out_of_order".
  const std::string& reason() const { return reason_; }
  // One sentence for a person, e.g. "The cohort closes before it opens."
  const std::string& message() const { return message_; }
  // The input field the error is about, or empty.
  const std::string& field() const { return field_; }

  // "invalid_argument: cohort_dates_out_of_order: The cohort closes before it opens."
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
  std::string field_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {}  // NOLINT: must not be OK

  bool is_ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace mentoring::core

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define MENTORING_RETURN_IF_ERROR(expr)                 \
  do {                                                  \
    ::mentoring::core::Status _st = (expr);             \
    if (!_st.is_ok()) return _st;                       \
  } while (0)
