// The raw data files compiled into the binary (checks/*.yaml, checks/evidence/*.yaml,
// checks/components/*.yaml, targets/*.yaml), generated into
// the build tree by cmake/embed_catalogue.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace immutalint::detail {

struct EmbeddedFile {
  std::string_view name;  ///< file name, e.g. "host-network.yaml"
  std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_check_files();
const std::vector<EmbeddedFile>& embedded_target_files();
const std::vector<EmbeddedFile>& embedded_evidence_files();
const std::vector<EmbeddedFile>& embedded_component_files();

}  // namespace immutalint::detail
