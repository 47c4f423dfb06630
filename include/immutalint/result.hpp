// Result<T>: a value or an error message, shaped like std::expected so it can become an alias.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace immutalint {

/// The error half of a Result: a message meant for the user.
struct Error {
  std::string message;
};

/// Holds either a T or an Error. Expected failures (I/O, syntax, bad configuration) travel as
/// values; only broken invariants are asserts.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  const T& value() const& { return std::get<0>(data_); }
  T& value() & { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace immutalint
