// The key of a target fact (targets/vocabulary.yaml). Code names a fact by a constant generated
// from the vocabulary (namespace `facts`, immutalint/fact_keys.hpp), so a misspelt key does not
// compile. A key that data names (a check's parameter) is looked up with find_fact_key, and the
// catalogue refuses one the vocabulary lacks.
#pragma once

#include <optional>
#include <string_view>

namespace immutalint {

class FactKey {
 public:
  /// Made only by the generated constants and find_fact_key.
  constexpr explicit FactKey(std::string_view name) : name_(name) {}
  constexpr std::string_view name() const { return name_; }
  friend constexpr bool operator==(FactKey, FactKey) = default;

 private:
  std::string_view name_;
};

/// The vocabulary's fact named `name`, or nullopt.
std::optional<FactKey> find_fact_key(std::string_view name);

}  // namespace immutalint
