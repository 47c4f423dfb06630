// Fuzz target: the bytes as a baseline file (--baseline), applied to the findings of a fixed
// manifest. Whatever the file says, findings are only left out, never made up, and a finding
// that a waiver accepts is never taken by the baseline.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "immutalint/baseline.hpp"
#include "immutalint/lint.hpp"

using namespace immutalint;

namespace {

// Findings of several checks on two definitions of one object, one finding accepted by a
// comment, one without an object (a syntax error).
constexpr std::string_view kManifest = R"(apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ns}
spec:
  hostPID: true
  hostNetwork: true  # immutalint: ignore host-network -- the probe reads host ports
  containers:
  - name: c
    image: i
    securityContext: {privileged: true}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ns}
spec:
  hostPID: true
  containers: [{name: c, image: i}]
---
[not, an, object
)";

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "%s\n", why);
  std::abort();
}

/// The baseline file: one temporary file in $TMPDIR, unlinked as soon as it is made so that
/// nothing is left behind however the fuzzer ends, and named through /proc, as Baseline::read
/// takes a path.
class BaselineFile {
 public:
  BaselineFile() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/immutalint-fuzz-baseline-XXXXXX";
    fd_ = ::mkstemp(path.data());
    if (fd_ < 0) fail("cannot make a temporary file for the baseline");
    ::unlink(path.c_str());
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  const std::string& path() const { return path_; }
  void write(const std::uint8_t* data, std::size_t size) const {
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, data, size, 0) != static_cast<ssize_t>(size)) {
      fail("cannot write the temporary baseline file");
    }
  }

 private:
  int fd_ = -1;
  std::string path_;
};

const BaselineFile& baseline_file() {
  static const BaselineFile file;
  return file;
}

const std::vector<Finding>& manifest_findings() {
  static const std::vector<Finding> findings = [] {
    LintOptions options;
    options.jobs = 1;
    auto linter = Linter::create(*Catalogue::builtin(), options);
    if (!linter) fail("no linter for the fixed manifest");
    std::vector<Finding> all = linter->lint_text(kManifest, "deploy/debug.yaml").findings.all();
    // The baseline this run writes leaves out every finding no waiver accepts.
    FindingStore store;
    for (const Finding& finding : all) store.add(finding);
    store.seal();
    if (!write_baseline(baseline_file().path(), store)) fail("cannot write the baseline of the fixed manifest");
    auto written = Baseline::read(baseline_file().path());
    if (!written) fail("the baseline written for the fixed manifest cannot be read back");
    std::size_t accepted = 0;
    for (const Finding& finding : all) accepted += finding.suppressed() ? 1 : 0;
    if (apply_baseline(store, written.value()) + accepted != all.size())
      fail("a written baseline misses its own findings");
    return all;
  }();
  return findings;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<Finding>& findings = manifest_findings();
  baseline_file().write(data, size);
  auto baseline = Baseline::read(baseline_file().path());
  if (!baseline) return 0;

  FindingStore store;
  std::size_t accepted = 0;
  for (const Finding& finding : findings) {
    store.add(finding);
    accepted += finding.suppressed() ? 1 : 0;
  }
  store.seal();
  const std::size_t left_out = apply_baseline(store, baseline.value());
  if (left_out + store.size() != findings.size()) fail("the baseline made up or lost findings");
  std::size_t still_accepted = 0;
  store.for_each([&](const Finding& finding) { still_accepted += finding.suppressed() ? 1 : 0; });
  if (still_accepted != accepted) fail("the baseline took a finding that a waiver accepts");
  return 0;
}
