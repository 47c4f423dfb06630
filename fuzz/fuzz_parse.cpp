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
  limits.spill_items_above = 64;  // small, so that List items are read one by one too
  const auto read_document = [](const RawDocument& raw) {
    for (const auto& doc : parse_yaml_documents(raw.text, raw.first_line)) {
      if (doc.error) continue;
      const DocumentObjects objects =
          raw.list_item ? find_objects(doc.tree, ListItemPlace{raw.list_item->list_kind, raw.list_item->index})
                        : find_objects(doc.tree);
      for (const auto& object : objects.objects) {
        // Discovery on, so that objects of unknown kinds are searched for pod templates too.
        Workload workload = read_workload(doc.tree, object, WorkloadReading{{}, true});
        for (const auto& pod : workload.pods) {
          runs_only_on_windows(doc.tree, pod);
          for (const auto& container : pod.containers) {
            // Every scalar of the container read as a script too: the shell reader must take anything.
            (void)read_script(command_line(doc.tree, container), 0, container_env(doc.tree, container));
          }
        }
      }
    }
  };
  split_documents(text, limits, [&](RawDocument&& raw) {
    read_document(raw);
    if (!raw.items) return;
    raw.items->for_each_item(limits.max_document_bytes, [&](SpilledItems::Item&& item) {
      RawDocument part;
      part.text = std::move(item.text);
      part.first_line = item.first_line;
      part.list_item = ListItem{"List", 0, {}};
      read_document(part);
    });
  });
  // The whole input as a script, as a ConfigMap entry would be read.
  (void)read_script(text, 0, {});
  return 0;
}
