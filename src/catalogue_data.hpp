// The raw check catalogue files, generated into the build tree by cmake/embed_catalogue.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace immutalint::detail {

struct EmbeddedCheckFile {
  std::string_view name;  ///< file name, e.g. "host-network.yaml"
  std::string_view text;
};

const std::vector<EmbeddedCheckFile>& embedded_check_files();

}  // namespace immutalint::detail
