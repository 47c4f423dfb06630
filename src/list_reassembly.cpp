// Reading: a List that the splitter moved out item by item is handed on as the List's rest and
// then one document per item, so that a cluster dump never has to fit in memory.
#include "immutalint/list_reassembly.hpp"

#include <fmt/format.h>

#include "immutalint/kube_object.hpp"

namespace immutalint {

DocumentObjects objects_of(const YamlTree& tree, const std::optional<ListItem>& list_item) {
  if (!list_item) return find_objects(tree);
  return find_objects(tree, ListItemPlace{list_item->list_kind, list_item->index});
}

void hand_over_document(RawDocument&& document, const SplitLimits& split, const ParseLimits& parse,
                        const std::function<void(RawDocument&&)>& take,
                        const std::function<void(std::uint32_t, std::string)>& problem) {
  if (!document.items) return take(std::move(document));
  const std::shared_ptr<const SpilledItems> items = std::move(document.items);
  std::optional<std::string> list_kind;
  std::size_t contents = 0;
  for (const ParsedDocument& parsed : parse_yaml_documents(document.text, document.first_line, parse)) {
    if (parsed.empty && !parsed.error) continue;
    ++contents;
    // Only a List whose `items` all moved out: a second `items:` key left in the rest would
    // make the moved ones a repeated key that Kubernetes drops.
    const MapEntry* rest = parsed.error ? nullptr : parsed.tree.find(parsed.tree.root(), "items");
    if (rest && parsed.tree.is_null(rest->value)) list_kind = find_objects(parsed.tree).list_kind;
  }
  if (contents != 1) list_kind.reset();
  if (!list_kind) {
    const std::uint64_t whole = document.text.size() + items->bytes();
    if (whole > split.max_document_bytes) {
      RawDocument dropped;
      dropped.first_line = document.first_line;
      dropped.skipped_bytes = static_cast<std::size_t>(whole);
      return take(std::move(dropped));
    }
    auto lines = items->read_all();
    if (!lines) return problem(document.first_line, "the document could not be read back from its temporary file");
    document.text.insert(items->cut_at(), *lines);
    return take(std::move(document));
  }
  const std::string source = helm_source_of(document.text);
  const std::uint32_t first_line = document.first_line;
  take(std::move(document));
  std::size_t index = 0;
  const bool read = items->for_each_item(split.max_document_bytes, [&](SpilledItems::Item&& item) {
    RawDocument part;
    part.first_line = item.first_line;
    if (item.text.empty() && item.bytes > 0) part.skipped_bytes = item.bytes;
    part.text = std::move(item.text);
    part.list_item = ListItem{*list_kind, index++, source};
    take(std::move(part));
  });
  if (!read)
    problem(first_line, fmt::format("the {}'s items could not be read back from their temporary file", *list_kind));
}

}  // namespace immutalint
