// duplicate-object: an object that a later definition of the input replaces (kubectl apply keeps
// the last definition of each object), judged once the whole input is indexed.
#include "checks/duplicate-object.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

namespace immutalint::checks {

namespace {

/// Keeps the `count` items earliest in their file, in order.
void keep_first_copies(std::vector<EvidenceItem>& items, std::size_t count) {
  const auto earlier = [](const EvidenceItem& a, const EvidenceItem& b) { return a.place.span < b.place.span; };
  if (items.size() > count) {
    std::nth_element(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(count), items.end(), earlier);
    items.resize(count);
  }
  std::sort(items.begin(), items.end(), earlier);
}

/// What duplicate-object says of a definition that a later one replaces.
std::string replaced_definition_message(const ObjectDefinition& replaced, DefinitionPlace next, DefinitionPlace last,
                                        std::size_t definitions) {
  // In the same file, a line is enough; the copies of a decoy are usually in another file.
  const auto where = [&](DefinitionPlace at) {
    return at.file == replaced.file ? fmt::format("line {}", at.at.line) : fmt::format("{}:{}", at.file, at.at.line);
  };
  const std::string again = next.file == last.file && next.at == last.at
                                ? fmt::format("again at {}", where(last))
                                : fmt::format("again at {} and last at {}", where(next), where(last));
  return fmt::format("{} is defined {}{}; kubectl apply keeps the last definition, so this one is replaced",
                     replaced.ref.describe(), again,
                     definitions > 2 ? fmt::format(" ({} definitions in all)", definitions) : std::string());
}

}  // namespace

void report_replaced_definitions(InputIndex& index, const CheckInfo& info,
                                 const std::function<void(const Finding&)>& report) {
  // Evidence kept per finding: a file of thousands of copies still gives one short finding.
  constexpr std::size_t kMaxListedCopies = 50;
  struct Copies {
    Finding lead;
    std::vector<EvidenceItem> others;
    std::size_t count = 0;
  };
  std::map<std::pair<std::string, std::string>, Copies> by_files;
  const auto place = [](DefinitionPlace at) { return Place{std::string(at.file), Span{at.at, at.at}, {}}; };
  index.for_each_replaced_object([&](const ObjectDefinition& replaced, DefinitionPlace next, DefinitionPlace last,
                                     std::size_t definitions) {
    Finding finding;
    finding.check = info.id;
    finding.severity = info.severity;
    finding.file = replaced.file;
    finding.span = Span{replaced.at, replaced.at};
    finding.message = replaced_definition_message(replaced, next, last, definitions);
    finding.object = replaced.ref;
    finding.source = replaced.source;
    finding.suppression = replaced.suppression;
    if (next.file != last.file || next.at != last.at) {
      finding.evidence.push_back({"the next definition", place(next)});
    }
    finding.evidence.push_back({"the definition kubectl apply keeps", place(last)});
    if (finding.suppression) {  // its own waiver: reported on its own
      report(finding);
      return;
    }
    auto [group, fresh] = by_files.try_emplace({replaced.file, std::string(next.file)});
    Copies& copies = group->second;
    ++copies.count;
    if (fresh) {
      copies.lead = std::move(finding);
      return;
    }
    if (finding.span.begin < copies.lead.span.begin) std::swap(finding, copies.lead);
    copies.others.push_back({finding.object->describe() + " is replaced too", Place{finding.file, finding.span, {}}});
    // The first copies in the file are listed, whatever order the index gives them in.
    if (copies.others.size() >= 2 * kMaxListedCopies) keep_first_copies(copies.others, kMaxListedCopies);
  });
  for (auto& [files, copies] : by_files) {
    Finding& lead = copies.lead;
    if (copies.count > 1) {
      const std::string& again = files.second == files.first ? std::string("this file") : files.second;
      lead.message = fmt::format(
          "{} and {} more definitions of this file are replaced by later ones in {}; kubectl apply keeps "
          "the last definition of each object",
          lead.object->describe(), copies.count - 1, again);
      keep_first_copies(copies.others, kMaxListedCopies);
      for (auto& item : copies.others) lead.evidence.push_back(std::move(item));
      if (copies.count - 1 > copies.others.size()) {
        lead.evidence.push_back({fmt::format("and {} more replaced", copies.count - 1 - copies.others.size()),
                                 Place{lead.file, lead.span, {}}});
      }
    }
    report(lead);
  }
}

}  // namespace immutalint::checks
