// Text from a manifest cannot take over where the report lands: through every format, no line a
// hostile manifest produces can start a CI workflow command (the github and azure formats write
// only commands of their own, one a line, at its start), no raw control byte survives, JSON,
// SARIF and GitLab Code Quality stay valid UTF-8 and the JUnit XML valid against its schema.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ci_log.hpp"
#include "immutalint/report.hpp"
#include "test_support.hpp"

using namespace immutalint;

namespace {

// Names, a path, a container and a Helm source with line breaks, workflow commands, terminal
// escapes, a C1 control, a bidi override and bytes that are not UTF-8.
const std::string kHostile =
    "# Source: chart/templates/ds\u202e.yaml\n"
    "apiVersion: apps/v1\n"
    "kind: DaemonSet\n"
    "metadata:\n"
    "  name: \"agent\\r\\n::error file=x::injected\"\n"
    "  namespace: \"ns\\u001b[31m\\u202e\\u0085\"\n"
    "spec:\n"
    "  selector: {matchLabels: {app: a}}\n"
    "  template:\n"
    "    metadata: {labels: {app: a}}\n"
    "    spec:\n"
    "      hostNetwork: true\n"
    "      initContainers:\n"
    "        - name: \"c\\r\\n::warning::fake\\u0085\\u202e\"\n"
    "          image: registry.example/x:1\n"
    "          command: [\"sh\", \"-c\", \"cp /bin/x '/host/usr/bin/\\u001b]0;title\\u0007'\"]\n"
    "          volumeMounts: [{name: \"usr\\u001b\", mountPath: /host/usr}]\n"
    "      containers: [{name: main, image: registry.example/x:1}]\n"
    "      volumes:\n"
    "        - name: \"usr\\u001b\"\n"
    "          hostPath: {path: \"/usr\\n::error::path\"}\n"
    // libyaml rejects bytes that are not UTF-8 even in a comment: an input error whose Helm
    // source still reaches every report.
    "---\n"
    "# Source: chart/templates/\xff\xfe"
    "evil.yaml\n"
    "apiVersion: v1\n"
    "kind: ConfigMap\n";

const std::string kHostileFile = "dir/evil\n::error::file\x1b[2J.yaml";

/// Every report format.
const std::vector<std::string> kFormats = {"text", "json",  "sarif",  "github", "matrix", "matrix-markdown",
                                           "html", "junit", "gitlab", "azure"};

/// Every raw control byte other than the line feed, and DEL.
bool has_raw_control(const std::string& text) {
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
  }
  return false;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("a hostile manifest cannot inject commands or control bytes through any format") {
  REQUIRE(kFormats.size() == report_format_names().size());
  for (const std::string& format : kFormats) {
    INFO(format);
    auto r = test::run_cli({"--format", format, "--fail-on", "never", "--target", "all", "--show-notes",
                            "--stdin-filename", kHostileFile, "-"},
                           kHostile);
    REQUIRE(r.exit_code == 0);
    REQUIRE_FALSE(r.out.empty());
    CHECK_FALSE(has_raw_control(r.out));
    for (const auto& line : lines_of(r.out)) {
      INFO(line);
      if (format == "github" && line.starts_with("::")) {
        // One command per finding, each of our own making, and our own note on the rest.
        CHECK((line.starts_with("::notice file=") || line.starts_with("::warning file=") ||
               line.starts_with("::error file=") || line.find(" title=immutalint::and ") != std::string::npos));
      } else if (format == "azure" && line.starts_with("##")) {
        CHECK((line.starts_with("##vso[task.logissue type=error;") ||
               line.starts_with("##vso[task.logissue type=warning;")));
        CHECK(line.find("##", 1) == std::string::npos);
      } else {
        CHECK_FALSE(line.starts_with("::"));
        CHECK(test::ci_commands(line).empty());
      }
    }
    if (format == "junit") {
      // Every byte XML 1.0 cannot hold is replaced: the report stays valid against the schema.
      const std::string dir = test::make_temp_dir();
      test::write_file(dir + "/report.xml", r.out);
      const int status = std::system(("xmllint --noout --schema " +
                                      test::shell_quote(test::source_dir() + "/tests/schemas/junit-10.xsd") + " " +
                                      test::shell_quote(dir + "/report.xml") + " 2>/dev/null")
                                         .c_str());
      CHECK(status == 0);
      std::filesystem::remove_all(dir);
    }
    if (format == "gitlab") {
      CHECK_FALSE(nlohmann::json::parse(r.out, nullptr, false).is_discarded());
    }
    if (format == "github" || format == "azure") {
      // Hidden controls (a C1 control, a bidi override) and bytes that are not UTF-8 are
      // percent-encoded, so a log viewer shows them instead of obeying them.
      CHECK(r.out.find("\xE2\x80\xAE") == std::string::npos);
      CHECK(r.out.find("\xC2\x85") == std::string::npos);
      CHECK(r.out.find("%E2%80%AE") != std::string::npos);
      CHECK(r.out.find("%C2%85") != std::string::npos);
    }
    if (format == "json" || format == "sarif") {
      // nlohmann rejects strings that are not valid UTF-8.
      auto parsed = nlohmann::json::parse(r.out, nullptr, false);
      CHECK_FALSE(parsed.is_discarded());
      CHECK(r.out.find("U+FFFD") != std::string::npos);  // the note that says bytes were replaced
    }
  }
}

TEST_CASE("the text report shows escaped input readably") {
  auto r = test::run_cli({"--fail-on", "never", "--stdin-filename", kHostileFile, "-"}, kHostile);
  CHECK_THAT(r.out, Catch::StartsWith("dir/evil\\n::error::file\\x1b[2J.yaml:"));
  CHECK_THAT(r.out, Catch::Contains("agent\\r\\n::error file=x::injected"));
  CHECK_THAT(r.out, Catch::Contains("\\u{0085}\\u{202e}"));
  CHECK_THAT(r.out, Catch::Contains("\\xff\\xfe"));
}

TEST_CASE("a file name that starts with a colon cannot start a workflow command in text output") {
  auto r = test::run_cli({"--fail-on", "never", "--stdin-filename", "::error file=x::y.yaml", "-"}, kHostile);
  CHECK_THAT(r.out, Catch::StartsWith("./::error file=x::y.yaml:"));
}

namespace {

/// The fixtures of testdata/hostile/ci-commands, copied into a new folder under file names that
/// start with blanks (ASCII and Unicode), `::` and `##[`, as a pull request could name them.
std::string hostile_checkout() {
  const std::string dir = test::make_temp_dir();
  const std::string fixtures = test::source_dir() + "/testdata/hostile/ci-commands/";
  test::write_file(dir + "/ ::error title=forged::file.yaml", test::read_file(fixtures + "names.yaml"));
  test::write_file(dir + "/\u00a0::warning::nbsp.yaml", test::read_file(fixtures + "script.yaml"));
  test::write_file(dir + "/##[error]kind.yaml", test::read_file(fixtures + "kind.yaml"));
  test::write_file(dir + "/\u2003::notice::em-space.yaml", test::read_file(fixtures + "names.yaml"));
  return dir;
}

std::string describe(const std::vector<test::CiCommand>& commands) {
  std::string text;
  for (const auto& command : commands) {
    text += fmt::format("line {}: {} command '{}': {}\n", command.line, command.form, command.name, command.text);
  }
  return text;
}

}  // namespace

TEST_CASE("no format and no message on standard error carries a CI runner command from the input") {
  const std::string dir = hostile_checkout();
  for (const std::string& format : kFormats) {
    INFO(format);
    auto r = test::run_cli({"--no-config", "--discover-pod-templates", "--format", format, "--fail-on", "never",
                            "--target", "all", "--show-suppressed", "--show-notes", "."},
                           {}, dir);
    REQUIRE(r.exit_code == 0);
    REQUIRE_THAT(r.out, Catch::Contains("forged"));  // the hostile text did reach the report
    CHECK(describe(test::ci_commands(r.err)).empty());
    std::vector<test::CiCommand> commands = test::ci_commands(r.out);
    std::map<std::size_t, std::size_t> per_line;
    for (const auto& command : commands) ++per_line[command.line];
    if (format == "github") {
      // Each line is one annotation of our own, at the start of the line; nothing else is a command.
      std::erase_if(commands, [&](const test::CiCommand& command) {
        return command.form == "github" && per_line[command.line] == 1 &&
               (command.text.starts_with("::" + command.name + " file=") ||
                command.text.starts_with("::" + command.name + " title=immutalint::and ")) &&
               (command.name == "error" || command.name == "warning" || command.name == "notice");
      });
    }
    if (format == "azure") {
      // Each issue is one logging command of our own, alone on its line and at its start.
      std::erase_if(commands, [&](const test::CiCommand& command) {
        return command.form == "hash" && command.name == "vso" && per_line[command.line] == 1 &&
               command.text.starts_with("##vso[task.logissue type=");
      });
    }
    CHECK(describe(commands).empty());
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the CI log scanner finds the commands that runners take") {
  // Known commands in every form the runners read, so that the test above can fail.
  const auto found = test::ci_commands(
      "::error file=a::b\n"
      "  \u00a0::add-mask::secret\n"
      "text ##[set-output name=x;]y\n"
      "##vso[task.setvariable variable=a]b\r"
      "x ##teamcity[buildStatus text='a']\n"
      "plain line\n"
      "#\\x23[error] escaped\n"
      ":: not a command\n");
  REQUIRE(found.size() == 5);
  CHECK(found[0].name == "error");
  CHECK(found[1].name == "add-mask");
  CHECK(found[2].name == "set-output");
  CHECK(found[3].name == "vso");
  CHECK(found[3].line == 4);
  CHECK(found[4].name == "teamcity");
  CHECK(found[4].line == 5);
}

TEST_CASE("zero-width and tag characters are shown escaped in the text report") {
  const std::string dir = hostile_checkout();
  auto r = test::run_cli({"--no-config", "--show-notes", "--fail-on", "never", "."}, {}, dir);
  CHECK_THAT(r.out, Catch::Contains("zero\\u{200b}width\\u{feff}\\u{e0041}tag"));
  // A file name that starts with a blank keeps its place as a path.
  CHECK_THAT(r.out, Catch::Contains("\n./ ::error title=forged::file.yaml:"));
  std::filesystem::remove_all(dir);
}
