// Fuzz target, the fast one: bytes through splitting, parsing, object and pod-spec reading and
// the shell reader, without checks or reports.
#include <cstddef>
#include <cstdint>
#include <string>

#include "immutalint/document_split.hpp"
#include "immutalint/evidence.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/shell.hpp"
#include "immutalint/yaml_parse.hpp"

using namespace immutalint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  SplitLimits limits;
  limits.max_document_bytes = 1u << 20;
  split_documents(text, limits, [](RawDocument&& raw) {
    for (const auto& doc : parse_yaml_documents(raw.text, raw.first_line)) {
      if (doc.error) continue;
      for (const auto& object : find_objects(doc.tree).objects) {
        Workload workload = read_workload(doc.tree, object);
        if (!workload.pod) continue;
        runs_only_on_windows(doc.tree, *workload.pod);
        for (const auto& container : workload.pod->containers) {
          // Every scalar of the container read as a script too: the shell reader must take anything.
          (void)read_script(command_line(doc.tree, container), 0, container_env(doc.tree, container));
        }
      }
    }
  });
  // The whole input as a script, as a ConfigMap entry would be read.
  (void)read_script(text, 0, {});
  return 0;
}
