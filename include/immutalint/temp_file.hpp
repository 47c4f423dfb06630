// Temporary files for text kept beyond one document: in $TMPDIR, and unlinked as soon as they are
// made, so that nothing of the input (a cluster dump, its ConfigMaps) outlives the process,
// however it ends.
#pragma once

#include <string>

#include "immutalint/result.hpp"

namespace immutalint {

/// The folder temporary files go in: $TMPDIR when set and not empty, else /tmp.
std::string temp_dir();

/// A new, already unlinked file in `temp_dir()`, open for reading and writing; its descriptor,
/// which the caller closes. An Error says what failed and why (the system's message).
Result<int> open_unlinked_temp_file();

}  // namespace immutalint
