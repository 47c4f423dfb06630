// duplicate-object, a check of the whole input: it runs once every document is indexed.
#pragma once

#include <functional>

#include "immutalint/catalogue.hpp"
#include "immutalint/finding.hpp"
#include "immutalint/input_index.hpp"

namespace immutalint::checks {

/// Reports each definition that a later one of the same object replaces: one finding per pair of
/// files (the replaced and the replacing), led by its first definition and listing the first
/// others as evidence; a definition with its own waiver is reported on its own.
void report_replaced_definitions(InputIndex& index, const CheckInfo& info,
                                 const std::function<void(const Finding&)>& report);

}  // namespace immutalint::checks
