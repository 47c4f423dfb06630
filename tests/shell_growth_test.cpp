// What the shell reader and the evidence engine share or index to stay linear in their input
// (the working directory, variables, line starts, mounts, volumes) still gives the same answers,
// and what is too large to read is said rather than skipped. tests/growth_test.py measures the
// growth itself.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "immutalint/check.hpp"
#include "immutalint/evidence.hpp"
#include "immutalint/shell.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

std::vector<ShellCommand> read(std::string_view script) {
  return read_script(script, 0, ShellEnv{});
}

/// The first command that runs `program`.
const ShellCommand* find_program(const std::vector<ShellCommand>& commands, std::string_view program) {
  auto it = std::find_if(commands.begin(), commands.end(),
                         [&](const ShellCommand& command) { return command.program() == program; });
  return it == commands.end() ? nullptr : &*it;
}

LintResult lint_fixture(const std::string& relative) {
  return test::lint_text(test::read_file(test::source_dir() + "/testdata/hostile/" + relative), relative);
}

/// The findings of one check.
std::vector<Finding> of_check(const LintResult& result, std::string_view check) {
  std::vector<Finding> found;
  for (auto& finding : result.findings.all()) {
    if (finding.check == check) found.push_back(std::move(finding));
  }
  return found;
}

/// True when some finding has an evidence line whose text contains `text`, at `line`.
bool has_evidence(const LintResult& result, std::string_view text, std::uint32_t line) {
  for (const auto& finding : result.findings.all()) {
    for (const auto& item : finding.evidence) {
      if (item.text.find(text) != std::string::npos && item.place.span.begin.line == line) return true;
    }
  }
  return false;
}

/// A pod that runs /scripts/run.sh from ConfigMap ns/scripts, with the host's /usr at /host/usr;
/// the script's body starts on line kScriptLine.
std::string pod_running_script(const std::string& script, const std::string& command = "sh /scripts/run.sh") {
  std::string text = R"(apiVersion: v1
kind: Pod
metadata: {name: runner, namespace: ns}
spec:
  containers:
    - name: c
      image: busybox
      command: ["sh", "-c", ")" +
                     command + R"("]
      volumeMounts:
        - {name: s, mountPath: /scripts}
        - {name: h, mountPath: /host/usr}
  volumes:
    - {name: s, configMap: {name: scripts}}
    - {name: h, hostPath: {path: /usr}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: scripts, namespace: ns}
data:
  notes.txt: |
    not a script
  run.sh: |
)";
  std::size_t start = 0;
  while (start < script.size()) {
    const auto end = script.find('\n', start);
    text += "    " + script.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
    start = end == std::string::npos ? script.size() : end + 1;
  }
  return text;
}
constexpr std::uint32_t kScriptLine = 23;
constexpr std::uint32_t kRunShKeyLine = 22;

/// `text` `times` times over.
std::string repeat(std::string_view text, std::size_t times) {
  std::string out;
  out.reserve(text.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += text;
  return out;
}

/// `lines` comment lines of 79 bytes each.
std::string padding(std::size_t lines) {
  return repeat("# " + std::string(76, 'x') + "\n", lines);
}

}  // namespace

TEST_CASE("a relative path after cd resolves against the directory cd moved to") {
  const auto commands = read("cd /x\ncp a b\ncd sub\ntouch c\n");
  const ShellCommand* cp = find_program(commands, "cp");
  REQUIRE(cp);
  REQUIRE(cp->cwd);
  CHECK(*cp->cwd == "/x");
  const ShellCommand* touch = find_program(commands, "touch");
  REQUIRE(touch);
  REQUIRE(touch->cwd);
  CHECK(*touch->cwd == "/x/sub");
}

TEST_CASE("the commands after one cd share its directory rather than each copying it") {
  const auto commands = read("cd /" + std::string(1000, 'a') + "\n:\n:\n:\n");
  REQUIRE(commands.size() == 3);
  REQUIRE(commands[0].cwd);
  CHECK(commands[0].cwd->size() == 1001);
  CHECK(commands[1].cwd.get() == commands[0].cwd.get());
  CHECK(commands[2].cwd.get() == commands[0].cwd.get());
}

TEST_CASE("a directory longer than PATH_MAX is not known after cd") {
  const auto commands = read("cd /" + std::string(5000, 'a') + "\n:\n");
  REQUIRE(commands.size() == 1);
  CHECK_FALSE(commands[0].cwd);
}

TEST_CASE("a relative write after cd is found at the host path of the mount") {
  const LintResult result = lint_fixture("shell-cwd-copy-memory-amplification/cd-then-copy.yaml");
  const auto found = of_check(result, "host-binary-install");
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0].message, Catch::Contains("/usr/bin/agent"));
  CHECK(has_evidence(result, "runs `cp /payload/agent agent`", 31));
}

TEST_CASE("a variable assigned in a command substitution or sh -c does not leak out") {
  const auto commands = read("d=/a\nx=$(d=/b)\ny=`d=/c`\nsh -c 'd=/e'\ncp f $d/g\n");
  const ShellCommand* cp = find_program(commands, "cp");
  REQUIRE(cp);
  REQUIRE(cp->argv.size() == 3);
  CHECK(cp->argv[2].text == "/a/g");
  CHECK_FALSE(cp->argv[2].unknown);
}

TEST_CASE("a command substitution sees the variables set before it and the container's") {
  const auto commands =
      read_script("d=/a\n: $(cp f $d/g $HOME/h $UNSET/i)\n", 0, ShellEnv{{"HOME", "/root"}, {"UNSET", std::nullopt}});
  const ShellCommand* cp = find_program(commands, "cp");
  REQUIRE(cp);
  REQUIRE(cp->argv.size() == 5);
  CHECK(cp->argv[2].text == "/a/g");
  CHECK(cp->argv[3].text == "/root/h");
  CHECK(cp->argv[4].unknown_before_slash);
}

TEST_CASE("a ConfigMap script's writes keep their variables across subshells") {
  const LintResult result = lint_fixture("shell-env-copy-per-substitution-quadratic/subshell-assignments.yaml");
  CHECK(has_evidence(result, "runs `cp /payload/agent /host/usr/bin/agent`", 31));
  CHECK(has_evidence(result, "runs `cp /payload/helper /host/usr/bin/helper`", 32));
}

TEST_CASE("a value used many times stops expanding at the budget and counts as unknown") {
  // 100 KiB used 400 times would be 40 MB of words; the budget is 16 times the script and 1 MiB.
  std::string script = "x=/" + std::string(100 << 10, 'a') + "\ncp f";
  for (int i = 0; i < 400; ++i) script += " $x";
  const auto commands = read(script);
  const ShellCommand* cp = find_program(commands, "cp");
  REQUIRE(cp);
  REQUIRE(cp->argv.size() == 402);
  CHECK_FALSE(cp->argv[2].unknown);
  CHECK(cp->argv[2].text.size() == (100 << 10) + 1);
  CHECK(cp->argv.back().unknown);
  CHECK(cp->argv.back().text.empty());
}

TEST_CASE("commands in one chroot share its directory and a chroot beyond PATH_MAX runs nothing") {
  const auto commands = read("chroot /host sh -c 'cp a /b\ncp c /d'\nchroot /" + std::string(5000, 'a') + " cp e /f\n");
  REQUIRE(commands.size() == 2);
  REQUIRE(commands[0].chroot);
  CHECK(*commands[0].chroot == "/host");
  CHECK(commands[1].chroot.get() == commands[0].chroot.get());
  CHECK(commands[0].entered_by == "chroot /host");
}

TEST_CASE("a long command is shortened in messages") {
  const auto commands = read("mkdir" + repeat(" /host/usr/lib/x", 1000) + "\n");
  REQUIRE(commands.size() == 1);
  const std::string text = commands[0].text();
  CHECK(text.size() <= kMaxCommandText);
  CHECK(text.starts_with("mkdir /host/usr/lib/x"));
  CHECK(text.ends_with("..."));
}

TEST_CASE("reading stops one command after the most asked for") {
  std::string script;
  for (int i = 0; i < 100; ++i) script += "cp a /b" + std::to_string(i) + "\n";
  CHECK(read_script(script, 0, {}, 10).size() == 11);
  CHECK(read_script(script, 0, {}, 100).size() == 100);
}

TEST_CASE("the line of a command deep in a block script is right") {
  const std::string script = "#!/bin/sh\n" + repeat(":\n", 5000) + "cp /payload/agent /host/usr/bin/agent\n:";
  const LintResult result = test::lint_text(pod_running_script(script));
  CHECK(has_evidence(result, "runs `cp /payload/agent /host/usr/bin/agent`", kScriptLine + 5001));
}

TEST_CASE("the line of a command deep in a block sh -c argument is right") {
  std::string text = R"(apiVersion: v1
kind: Pod
metadata: {name: runner, namespace: ns}
spec:
  containers:
    - name: c
      image: busybox
      volumeMounts: [{name: h, mountPath: /host/usr}]
      command: ["sh", "-c"]
      args:
        - |
)";
  for (int i = 0; i < 3000; ++i) text += "          :\n";
  text += "          cp /payload/agent /host/usr/bin/agent\n  volumes:\n    - {name: h, hostPath: {path: /usr}}\n";
  const LintResult result = test::lint_text(text);
  CHECK(has_evidence(result, "runs `cp /payload/agent /host/usr/bin/agent`", 12 + 3000));
}

TEST_CASE("the deepest mount that holds a path wins and trailing slashes do not count") {
  DirectoryIndex index;
  const int one = 1;
  const int two = 2;
  index.add(&one, "/", 0, 1);
  index.add(&one, "/host", 1, 5);
  index.add(&one, "/host/usr/", 2, 9);
  index.add(&one, "/host/usr", 3, 9);  // the same directory: the first added wins
  index.add(&two, "/host/usr/lib", 4, 13);
  CHECK(index.deepest(&one, "/host/usr/lib/x") == 2);
  CHECK(index.deepest(&one, "/host/usr") == 2);
  CHECK(index.deepest(&one, "/host/usrx") == 1);
  CHECK(index.deepest(&one, "/host") == 1);
  CHECK(index.deepest(&one, "/etc") == 0);
  CHECK(index.deepest(&one, "relative") == std::nullopt);
  CHECK(index.deepest(&two, "/host/usr/lib") == 4);
  CHECK(index.deepest(&two, "/host/usr") == std::nullopt);
  const int three = 3;
  CHECK(index.deepest(&three, "/host") == std::nullopt);
}

TEST_CASE("each container's commands write through its own deepest host mount") {
  const LintResult result = lint_fixture("pod-many-containers-mount-lookup-quadratic/containers.yaml");
  const auto found = of_check(result, "host-binary-install");
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0].message, Catch::Contains("/usr/bin/a"));
  CHECK(has_evidence(result, "container \"usr\" runs `cp /payload/a /host/bin/a`", 10));
  CHECK(has_evidence(result, "container \"nested\" runs `cp /payload/c /host/usr/sbin/c`", 20));
  CHECK_FALSE(has_evidence(result, "container \"data\"", 15));
}

TEST_CASE("a script is found through the right one of many ConfigMap volumes") {
  const LintResult result = lint_fixture("pod-many-volumes-lookup-quadratic/volumes.yaml");
  const auto found = of_check(result, "host-binary-install");
  REQUIRE(found.size() == 1);
  CHECK_THAT(found[0].message, Catch::Contains("/usr/bin/agent-27,"));
  CHECK(has_evidence(result, "in script \"run.sh\" of ConfigMap ns/cm27", 288));
}

TEST_CASE("a script just under the size limit is read to its last line") {
  const std::size_t lines = (kMaxScriptBytes - 1000) / 79;
  const std::string script = padding(lines) + "cp /payload/agent /host/usr/bin/agent";
  REQUIRE(script.size() < kMaxScriptBytes);
  const LintResult result = test::lint_text(pod_running_script(script));
  CHECK(has_evidence(result, "runs `cp /payload/agent /host/usr/bin/agent`",
                     kScriptLine + static_cast<std::uint32_t>(lines)));
  CHECK(of_check(result, "analysis-incomplete").empty());
}

TEST_CASE("a script over the size limit that a container runs is reported at its key") {
  const std::string script = padding(kMaxScriptBytes / 79 + 1) + "cp /payload/agent /host/usr/bin/agent";
  const LintResult result = test::lint_text(pod_running_script(script));
  const auto found = of_check(result, "analysis-incomplete");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Error);
  CHECK(found[0].file == "test.yaml");
  CHECK(found[0].span.begin.line == kRunShKeyLine);
  CHECK(found[0].field == "/data/run.sh");
  CHECK(found[0].container == "c");
  REQUIRE(found[0].object);
  CHECK(found[0].object->describe() == "ConfigMap ns/scripts");
  CHECK(found[0].message == "script \"run.sh\" of ConfigMap ns/scripts is " + std::to_string(script.size() + 1) +
                                " bytes, more than the 4 MiB that commands are read from; its commands were not "
                                "checked (run by Pod ns/runner)");
  CHECK(of_check(result, "host-binary-install").empty());
}

TEST_CASE("a script over the size limit that a container may run by a name known at run time is reported") {
  const std::string script = padding(kMaxScriptBytes / 79 + 1);
  const LintResult result = test::lint_text(pod_running_script(script, "sh /scripts/$STEP"));
  const auto found = of_check(result, "analysis-incomplete");
  REQUIRE(found.size() == 1);
  CHECK(found[0].span.begin.line == kRunShKeyLine);
  CHECK_THAT(found[0].message, Catch::Contains("and container \"c\" may run it (`sh /scripts/`)"));
}

TEST_CASE("a large ConfigMap entry that no container runs stays silent") {
  const std::string script = padding(kMaxScriptBytes / 79 + 1);
  const LintResult result = test::lint_text(pod_running_script(script, "cat /scripts/run.sh"));
  CHECK(of_check(result, "analysis-incomplete").empty());
  CHECK(of_check(result, std::string(check_id(CheckRole::InvalidInput))).empty());
}

TEST_CASE("a script read less deep by another command is not reported as nested too deep") {
  const std::string text = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      command: ["sh", "-c", ". /s/a.sh; . /s/e.sh"]
      volumeMounts: [{name: s, mountPath: /s}]
  volumes: [{name: s, configMap: {name: s}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: s}
data:
  a.sh: ". /s/b.sh"
  b.sh: ". /s/c.sh"
  c.sh: ". /s/d.sh"
  d.sh: ". /s/e.sh"
  e.sh: "echo done"
)";
  CHECK(of_check(test::lint_text(text), "analysis-incomplete").empty());
}
