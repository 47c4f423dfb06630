// Fuzz target: bytes through the whole pipeline, as one input file: split, parse, objects, pod
// specs, evidence (shell scripts included), every check on every target, suppressions, the
// second phase, Helm mapping onto a fixture chart, and every report writer.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "immutalint/helm_mapping.hpp"
#include "immutalint/lint.hpp"
#include "immutalint/report.hpp"

using namespace immutalint;

namespace {

const Linter& linter() {
  static const Linter instance = [] {
    LintOptions options;
    options.jobs = 1;
    options.targets = *TargetSet::builtin()->select("all");
    options.split.max_document_bytes = 1u << 20;
    options.split.spill_items_above = 64;  // small, so that List items are read one by one too
    return std::move(Linter::create(*Catalogue::builtin(), options)).value();
  }();
  return instance;
}

const std::vector<HelmChartDir>& charts() {
  // The fixture chart of the Helm tests; FUZZ_SOURCE_DIR is the repository root.
  static const std::vector<HelmChartDir> loaded = [] {
    auto result = load_helm_charts({std::string(FUZZ_SOURCE_DIR) + "/testdata/helm/node-agent"});
    return result ? std::move(result).value() : std::vector<HelmChartDir>{};
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  LintResult result = linter().lint_text(text, "fuzz.yaml");
  std::vector<Finding> findings = result.findings.all();
  map_findings_to_templates(findings, charts());
  FindingStore mapped;
  for (const auto& finding : findings) mapped.add(finding);
  mapped.seal();
  result.findings = std::move(mapped);
  ReportOptions options;
  options.sarif_root =
      std::string(1, '/');  // move-assigned: GCC 12 -O2 + ASan misreads assign(const char*) as an overlapping copy
  options.enabled_checks = linter().enabled_checks();
  for (auto format : {ReportFormat::Text, ReportFormat::Json, ReportFormat::Sarif, ReportFormat::Github,
                      ReportFormat::Matrix, ReportFormat::MatrixMarkdown, ReportFormat::Html}) {
    std::ostringstream out;
    write_report(out, format, result, *Catalogue::builtin(), options);
  }
  return 0;
}
