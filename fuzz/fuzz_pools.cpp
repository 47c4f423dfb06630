// Fuzz target: the bytes as one input file with --target auto: the node pool scan (Node objects,
// az aks output), with the pools `apps` and `system` planned onto other targets, then the lint
// with the targets and pools it gives, and the reports that show pools (JSON, matrix, HTML).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "immutalint/lint.hpp"
#include "immutalint/report.hpp"
#include "immutalint/scheduling_pools.hpp"

using namespace immutalint;

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "%s\n", why);
  std::abort();
}

/// The input file: one temporary file in $TMPDIR, unlinked as soon as it is made so that
/// nothing is left behind however the fuzzer ends, and named through /proc, as inputs are
/// files both the scan and the lint open.
class InputFileOnDisk {
 public:
  InputFileOnDisk() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/immutalint-fuzz-pools-XXXXXX";
    fd_ = ::mkstemp(path.data());
    if (fd_ < 0) fail("cannot make a temporary input file");
    ::unlink(path.c_str());
    InputFile file;
    file.display_path = "cluster.yaml";
    file.fs_path = "/proc/self/fd/" + std::to_string(fd_);
    inputs_.files.push_back(std::move(file));
  }
  const InputSet& inputs() const { return inputs_; }
  void write(const std::uint8_t* data, std::size_t size) const {
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, data, size, 0) != static_cast<ssize_t>(size)) {
      fail("cannot write the temporary input file");
    }
  }

 private:
  int fd_ = -1;
  InputSet inputs_;
};

const InputFileOnDisk& input_file() {
  static const InputFileOnDisk file;
  return file;
}

const std::vector<PoolPlan>& plans() {
  static const std::vector<PoolPlan> planned = [] {
    const TargetSet& targets = *TargetSet::builtin();
    return std::vector<PoolPlan>{{"apps", targets.find("aks-acl")}, {"system", targets.find("flatcar")}};
  }();
  return planned;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input_file().write(data, size);
  const InputSet& inputs = input_file().inputs();
  const TargetSet& targets = *TargetSet::builtin();
  const NodeOsRules& rules = *NodeOsRules::builtin();

  LintOptions options;
  options.jobs = 1;
  options.split.spill_items_above = 64;  // small, so that List items are read one by one too
  options.pool_plans = plans();
  options.pools = scan_pools(inputs, rules, targets, options.pool_plans);
  options.targets = targets_of(options.pools, targets);
  // As the command line does: no Linux pool, no pools; the default profile judges.
  if (options.targets.empty()) options.pools.clear();
  auto linter = Linter::create(*Catalogue::builtin(), options);
  if (!linter) fail("no linter for the pools scanned");
  const LintResult result = linter->lint(inputs);

  ReportOptions report_options;
  report_options.sarif_root = std::string(1, '/');
  report_options.enabled_checks = linter->enabled_checks();
  for (auto format : {ReportFormat::Json, ReportFormat::Matrix, ReportFormat::Html}) {
    std::ostringstream out;
    write_report(out, format, result, *Catalogue::builtin(), report_options);
  }
  return 0;
}
