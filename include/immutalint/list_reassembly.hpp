// Reading: Lists read item by item, put back into documents the pipeline parses.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "immutalint/document_split.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

/// The objects of a document, or of a List item read on its own.
DocumentObjects objects_of(const YamlTree& tree, const std::optional<ListItem>& list_item);

/// Hands a document from the splitter to `take`. When the splitter moved its top-level `items`
/// to a temporary file and the rest of it is a List, the rest goes first and each item follows
/// as a document of its own, so that a cluster dump never has to fit in memory; the findings
/// are those of the List read whole. Otherwise the document is put back together as it was,
/// within the document limit. `problem` reports what cannot be read back.
void hand_over_document(RawDocument&& document, const SplitLimits& split, const ParseLimits& parse,
                        const std::function<void(RawDocument&&)>& take,
                        const std::function<void(std::uint32_t, std::string)>& problem);

}  // namespace immutalint
