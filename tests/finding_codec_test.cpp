// The finding codec (the spool's record of a finding): every stored field comes back as written,
// and damaged bytes are refused rather than read as another finding.
#include <catch2/catch.hpp>

#include "immutalint/finding_store.hpp"

using namespace immutalint;

namespace {

/// A finding with every stored field set, each to a value of its own.
Finding every_field_set() {
  Finding finding;
  finding.check = "host-binary-install";
  finding.severity = Severity::Warning;
  finding.message = "the pod installs programs into /opt/cni/bin";
  finding.file = "deploy/cni.yaml";
  finding.span = Span{{12, 3}, {12, 40}};
  finding.object = ObjectRef{"apps/v1", "DaemonSet", "kube-system", "cni"};
  finding.container = "install-cni";
  finding.field = "/spec/template/spec/volumes/0/hostPath/path";
  finding.source = "chart/templates/ds.yaml";
  finding.rendered = RenderedLocation{"rendered.yaml", Span{{80, 1}, {80, 9}}};
  finding.targets.push_back(TargetVerdict{"talos", Verdict::Breaks, "/opt is read-only", "TAL-ARCH",
                                          Confidence::Documented, "host-path-readonly-write"});
  finding.targets.push_back(TargetVerdict{"flatcar", Verdict::Review, "writable", "", Confidence::Guess, ""});
  finding.action = Action::Installs;
  finding.evidence.push_back(EvidenceItem{"runs `cp /cni /opt/cni/bin`", Place{"", Span{{20, 9}, {20, 30}}, "/x"}});
  finding.related.push_back(RelatedObservation{"host-path-volume", Verdict::Review, "mounts /opt/cni/bin",
                                               Place{"other.yaml", Span{{5, 1}, {5, 2}}, "/y"},
                                               ObjectRef{"v1", "Pod", "", "p"}});
  finding.related.push_back(
      RelatedObservation{"daemonset", Verdict::Ready, "runs on every node", Place{}, std::nullopt});
  finding.cause = "/spec/template/spec/volumes/0";
  finding.joined_causes = {"/spec/template/spec/volumes/1", "/spec/template/spec/initContainers/0/command"};
  finding.shared_cause = "namespace \"kube-system\"";
  finding.suppression =
      Suppression{SuppressionChannel::Comment, "vendor install", Place{"cni.yaml", {}, ""}, "2027-01-31", true};
  return finding;
}

void check_place(const Place& got, const Place& want) {
  CHECK(got.file == want.file);
  CHECK(got.span == want.span);
  CHECK(got.field == want.field);
}

}  // namespace

TEST_CASE("a finding read back from its record has every stored field as written") {
  const Finding want = every_field_set();
  const auto got = decode_finding(encode_finding(want));
  REQUIRE(got);
  CHECK(got->check == want.check);
  CHECK(got->severity == want.severity);
  CHECK(got->message == want.message);
  CHECK(got->file == want.file);
  CHECK(got->span == want.span);
  CHECK(got->object == want.object);
  CHECK(got->container == want.container);
  CHECK(got->field == want.field);
  CHECK(got->source == want.source);
  REQUIRE(got->rendered);
  CHECK(got->rendered->file == want.rendered->file);
  CHECK(got->rendered->span == want.rendered->span);
  REQUIRE(got->targets.size() == want.targets.size());
  for (std::size_t i = 0; i < want.targets.size(); ++i) {
    CHECK(got->targets[i].target == want.targets[i].target);
    CHECK(got->targets[i].verdict == want.targets[i].verdict);
    CHECK(got->targets[i].why == want.targets[i].why);
    CHECK(got->targets[i].source == want.targets[i].source);
    CHECK(got->targets[i].confidence == want.targets[i].confidence);
    CHECK(got->targets[i].check == want.targets[i].check);
  }
  CHECK(got->action == want.action);
  REQUIRE(got->evidence.size() == want.evidence.size());
  CHECK(got->evidence[0].text == want.evidence[0].text);
  check_place(got->evidence[0].place, want.evidence[0].place);
  REQUIRE(got->related.size() == want.related.size());
  for (std::size_t i = 0; i < want.related.size(); ++i) {
    CHECK(got->related[i].check == want.related[i].check);
    CHECK(got->related[i].verdict == want.related[i].verdict);
    CHECK(got->related[i].message == want.related[i].message);
    check_place(got->related[i].place, want.related[i].place);
    CHECK(got->related[i].object == want.related[i].object);
  }
  CHECK(got->cause == want.cause);
  CHECK(got->joined_causes == want.joined_causes);
  CHECK(got->shared_cause == want.shared_cause);
  REQUIRE(got->suppression);
  CHECK(got->suppression->channel == want.suppression->channel);
  CHECK(got->suppression->reason == want.suppression->reason);
  check_place(got->suppression->where, want.suppression->where);
  CHECK(got->suppression->until == want.suppression->until);
  CHECK(got->suppression->expired == want.suppression->expired);
  // Unset optional parts stay unset.
  Finding bare;
  bare.check = "daemonset";
  const auto read_bare = decode_finding(encode_finding(bare));
  REQUIRE(read_bare);
  CHECK_FALSE(read_bare->object);
  CHECK_FALSE(read_bare->rendered);
  CHECK_FALSE(read_bare->suppression);
  CHECK(read_bare->targets.empty());
}

TEST_CASE("a damaged finding record is refused") {
  const std::string bytes = encode_finding(every_field_set());
  // Cut short anywhere, or with bytes left over, it is not a finding.
  for (std::size_t size = 0; size < bytes.size(); size += 7) {
    INFO(size);
    CHECK_FALSE(decode_finding(std::string_view(bytes).substr(0, size)));
  }
  CHECK_FALSE(decode_finding(bytes + "x"));
  // A verdict out of range (the first target's verdict follows its name).
  std::string damaged = bytes;
  const auto at = damaged.find("talos");
  REQUIRE(at != std::string::npos);
  damaged[at + 5] = '\x7f';
  CHECK_FALSE(decode_finding(damaged));
}
