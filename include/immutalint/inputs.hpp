// Stage 1: turn the PATH arguments into an ordered list of files to lint.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "immutalint/result.hpp"

namespace immutalint {

/// One file to lint. `display_path` is how reports name it; standard input has no fs path.
struct InputFile {
  std::string display_path;
  std::string fs_path;  ///< empty for standard input
  bool named = false;   ///< named on the command line rather than found by a directory walk
  /// The folder of the Helm chart this file is a template of (`charts/agent`), as reports name
  /// it; empty for any other file.
  std::string helm_chart{};
  /// A line holding a Helm template action (`{{ ... }}`) in a file outside a chart that is not
  /// YAML because of it; 0 for any other file.
  std::uint32_t template_line = 0;
  bool is_stdin() const { return fs_path.empty(); }
};

/// A path that was found but cannot be walked or read (an unreadable directory, a dangling
/// link, a link that leads out of the folder walked, a FIFO or a device).
struct InputProblem {
  std::string display_path;
  std::string message;
};

/// Everything the PATH arguments name: files sorted by display path (the report order), with
/// duplicates removed, and the problems met while walking directories.
struct InputSet {
  std::vector<InputFile> files;
  std::vector<InputProblem> problems;
};

/// True for the file names a directory walk picks up: *.yaml, *.yml, *.json.
bool is_manifest_file_name(std::string_view name);

/// Expands PATH arguments: a regular file is taken as it is (whatever its extension, and even
/// through a link), a directory is walked for manifest files (hidden directories skipped, loops
/// cut), and "-" is standard input, reported as `stdin_name`, which may be a pipe. Helm
/// templates are marked (InputFile::helm_chart, InputFile::template_line): the files under the
/// `templates/` folder of a folder that holds `Chart.yaml` (a subchart's belong to the outer
/// chart), and a file elsewhere that is not YAML because of `{{ ... }}` template actions outside
/// comments. A walk follows
/// a link only when it resolves inside the directory given: a link that leads out of it (to `/`,
/// to another checkout) is a problem of that path and is not followed, since what a repository
/// commits must not make the run read the machine's files. Any other path (a FIFO, a device, a
/// socket), named or met in a walk under a manifest name, is a problem of that input and is
/// never opened: reading it could block or never end. A PATH that does not exist is an error;
/// one that exists but cannot be read is a problem of that input.
Result<InputSet> collect_inputs(const std::vector<std::string>& paths, std::string_view stdin_name);

/// Takes the Helm templates out of `inputs.files`: they are not YAML until rendered, and linting
/// them would report every template action as a syntax error. Each chart that still has
/// templates becomes one problem, on its `Chart.yaml`, saying how to lint its rendered output;
/// each template outside a chart, one problem of its own. Called after the configuration's
/// `exclude`, so that excluding a chart's templates leaves the chart unmentioned.
void set_aside_helm_templates(InputSet& inputs);

/// Opens an input for reading: standard input is descriptor 0, which the caller must not close;
/// any other file is opened without blocking and refused unless it is still a regular file
/// (something else may have taken its place since it was collected). The caller closes it.
Result<int> open_input_file(const InputFile& file);

}  // namespace immutalint
