// The Debian package CPack builds: control fields, dependencies, contents, copyright and changelog,
// the hardening of the binary it installs, and no lintian error.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "test_support.hpp"

namespace fs = std::filesystem;
namespace t = immutalint::test;

namespace {

/// A temporary directory removed however the test case ends.
struct TempDir {
  std::string path = t::make_temp_dir();
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

/// `word` quoted for sh.
std::string quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs a shell command line, capturing its standard output and standard error apart.
t::CommandResult run(const std::string& command) {
  const TempDir scratch;
  const std::string out = scratch.path + "/out";
  const std::string err = scratch.path + "/err";
  const int status = std::system(fmt::format("( {} ) </dev/null >{} 2>{}", command, quote(out), quote(err)).c_str());
  t::CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = t::read_file(out);
  result.err = t::read_file(err);
  return result;
}

/// The value of `name` in the CMake cache of `build_dir`, or `fallback`.
std::string cache_value(const std::string& build_dir, const std::string& name, const std::string& fallback = {}) {
  std::istringstream cache(t::read_file(build_dir + "/CMakeCache.txt"));
  for (std::string line; std::getline(cache, line);) {
    const auto colon = line.find(':');
    const auto equals = line.find('=');
    if (colon != std::string::npos && equals != std::string::npos && colon < equals && line.substr(0, colon) == name) {
      return line.substr(equals + 1);
    }
  }
  return fallback;
}

/// The cpack of the CMake that configured `build_dir`, so that both are the same version.
std::string cpack_command(const std::string& build_dir) {
  return cache_value(build_dir, "CMAKE_CPACK_COMMAND", "cpack");
}

/// A CMake boolean that is true.
bool cmake_true(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return value == "ON" || value == "1" || value == "TRUE" || value == "YES" || value == "Y";
}

/// "Field: value" lines of `dpkg-deb -f` as a map.
std::map<std::string, std::string> control_fields(const std::string& text) {
  std::map<std::string, std::string> fields;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(": ");
    if (colon != std::string::npos) fields[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return fields;
}

/// Package names in a Depends field, without version constraints; alternatives count as listed.
std::set<std::string> package_names(const std::string& depends) {
  std::set<std::string> names;
  static const std::regex name(R"((?:^|[,|])\s*([a-z0-9][a-z0-9+.-]*))");
  for (std::sregex_iterator it(depends.begin(), depends.end(), name), end; it != end; ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

/// The shared libraries `binary` needs directly (NEEDED), each with the path ldd resolves it to.
std::map<std::string, std::string> needed_libraries(const std::string& binary) {
  const auto dynamic = run("objdump -p " + quote(binary));
  REQUIRE(dynamic.exit_code == 0);
  const auto resolved = run("ldd " + quote(binary));
  REQUIRE(resolved.exit_code == 0);
  std::map<std::string, std::string> paths;  // soname -> path, from "soname => path (address)"
  std::istringstream ldd(resolved.out);
  for (std::string line; std::getline(ldd, line);) {
    std::istringstream words(line);
    std::string soname;
    std::string arrow;
    std::string path;
    if (words >> soname >> arrow >> path && arrow == "=>") paths[soname] = path;
  }
  std::map<std::string, std::string> needed;
  std::istringstream headers(dynamic.out);
  for (std::string line; std::getline(headers, line);) {
    std::istringstream words(line);
    std::string tag;
    std::string soname;
    if (words >> tag >> soname && tag == "NEEDED") needed[soname] = paths.count(soname) ? paths[soname] : "";
  }
  return needed;
}

/// The installed Debian package that owns `path`. With merged /usr, dpkg may have recorded the
/// file under /lib or /usr/lib whichever ldd printed, so both spellings are asked for.
std::string owning_package(const std::string& path) {
  const std::string other = path.rfind("/usr/", 0) == 0 ? path.substr(4) : "/usr" + path;
  for (const auto& candidate : {path, other}) {
    const auto owner = run("dpkg-query -S " + quote(candidate));
    if (owner.exit_code == 0) return owner.out.substr(0, owner.out.find(':'));
  }
  return {};
}

}  // namespace

TEST_CASE("cpack builds a Debian package that installs a working immutalint with its man page and examples",
          "[package]") {
  // The test binary is configured with the path of the built immutalint, in the build tree's root.
  const std::string build_dir = fs::path(IMMUTALINT_BINARY).parent_path().string();
  REQUIRE(fs::exists(build_dir + "/CPackConfig.cmake"));
  const TempDir work;

  // -B puts the package and CPack's staging tree in the temporary directory, not the build tree.
  // With a Makefile generator cpack would first make the tree's preinstall target, i.e. build
  // everything, racing any build running in that tree; naming Ninja, which has no preinstall
  // target, skips that step. The install itself runs cmake_install.cmake, whatever the generator.
  {
    const auto cpack = run(fmt::format("cd {} && {} --config {} -G DEB -B {} -D CPACK_CMAKE_GENERATOR=Ninja",
                                       quote(work.path), quote(cpack_command(build_dir)),
                                       quote(build_dir + "/CPackConfig.cmake"), quote(work.path + "/out")));
    INFO(cpack.out << cpack.err);
    REQUIRE(cpack.exit_code == 0);
  }
  std::vector<std::string> debs;
  for (const auto& entry : fs::directory_iterator(work.path + "/out")) {
    if (entry.path().extension() == ".deb") debs.push_back(entry.path().string());
  }
  REQUIRE(debs.size() == 1);
  const std::string deb = debs.front();

  const auto control = run("dpkg-deb -f " + quote(deb) + " Package Version Section Maintainer Depends");
  REQUIRE(control.exit_code == 0);
  auto fields = control_fields(control.out);
  CHECK(fields["Package"] == "immutalint");
  CHECK(fields["Version"] == IMMUTALINT_VERSION);
  CHECK(fields["Section"] == "devel");
  // The configured IMMUTALINT_PACKAGE_MAINTAINER, "Name <address>".
  INFO("Maintainer: " << fields["Maintainer"]);
  CHECK(fields["Maintainer"] == cache_value(build_dir, "IMMUTALINT_PACKAGE_MAINTAINER"));
  CHECK(std::regex_match(fields["Maintainer"], std::regex(R"([^<>]*[^<> ] <[^<>@ ]+@[^<> ]+>)")));
  const auto depends = package_names(fields["Depends"]);
  INFO("Depends: " << fields["Depends"]);
  CHECK(depends.count("libyaml-0-2") == 1);
  CHECK(depends.count("libre2-9") == 1);

  const std::string root = work.path + "/root";
  REQUIRE(run("dpkg-deb -x " + quote(deb) + " " + quote(root)).exit_code == 0);
  const std::string binary = root + "/usr/bin/immutalint";
  const std::string docdir = root + "/usr/share/doc/immutalint";
  REQUIRE(fs::is_regular_file(binary));

  // Every library the packaged binary loads must come from a package listed in Depends.
  for (const auto& [soname, path] : needed_libraries(binary)) {
    INFO(soname << " => " << path);
    REQUIRE_FALSE(path.empty());
    const std::string owner = owning_package(path);
    INFO("owned by " << owner);
    REQUIRE_FALSE(owner.empty());
    CHECK(depends.count(owner) == 1);
  }

  // The man page, generated from --help, documents every long option.
  const std::string manpage = root + "/usr/share/man/man1/immutalint.1.gz";
  REQUIRE(fs::is_regular_file(manpage));
  const auto man = run("gzip -dc " + quote(manpage));
  REQUIRE(man.exit_code == 0);
  for (const char* section :
       {".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH \"EXIT STATUS\"", ".SH \"SEE ALSO\""}) {
    CHECK_THAT(man.out, Catch::Contains(section));
  }
  const auto help = t::run_cli({"--help"});
  static const std::regex long_option(R"(^\s+(?:-\w,\s+)?--([\w-]+))");
  std::istringstream help_lines(help.out);
  int options = 0;
  for (std::string line; std::getline(help_lines, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, long_option)) continue;
    ++options;
    std::string escaped = "\\-\\-";
    for (char c : match[1].str()) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
    CHECK_THAT(man.out, Catch::Contains(escaped));
  }
  CHECK(options > 5);
  // No option states its default twice ("(default generic) (default: generic)"): each option's
  // description, up to the next option, says "default" at most once.
  std::istringstream described(help.out);
  std::string option_text;
  const auto check_defaults = [](const std::string& text) {
    std::size_t count = 0;
    for (auto at = text.find("default"); at != std::string::npos; at = text.find("default", at + 1)) ++count;
    INFO(text);
    CHECK(count <= 1);
  };
  for (std::string line; std::getline(described, line);) {
    if (std::regex_search(line, long_option)) {
      check_defaults(option_text);
      option_text = line;
    } else if (line.empty()) {
      check_defaults(option_text);
      option_text.clear();
    } else if (!option_text.empty()) {
      option_text += " " + line;
    }
  }
  check_defaults(option_text);
  // groff is usually present (man-db needs it); it must format the page without a warning.
  if (run("command -v groff").exit_code == 0) {
    const auto rendered = run("gzip -dc " + quote(manpage) + " | groff -man -Tutf8 -ww -z");
    CHECK(rendered.exit_code == 0);
    CHECK(rendered.err.empty());
  } else {
    WARN("groff is not installed: the man page's formatting is not checked");
  }

  CHECK(fs::is_regular_file(docdir + "/README.md"));
  CHECK(fs::is_regular_file(docdir + "/docs/checks.md"));
  for (const auto& entry : fs::directory_iterator(t::source_dir() + "/examples")) {
    INFO(entry.path().filename());
    CHECK(fs::is_regular_file(docdir + "/examples/" + entry.path().filename().string()));
  }

  // The copyright file (machine-readable, Apache-2.0) and the Debian changelog, whose latest entry
  // is this version: a native package (no Debian revision) has it as changelog.gz (Policy 12.7).
  const std::string copyright = t::read_file(docdir + "/copyright");
  CHECK_THAT(copyright,
             Catch::StartsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
  CHECK_THAT(copyright,
             Catch::Contains("License: Apache-2.0") && Catch::Contains("/usr/share/common-licenses/Apache-2.0"));
  CHECK_THAT(copyright, Catch::Contains("Upstream-Contact: " + fields["Maintainer"]));
  const bool native = fields["Version"].find('-') == std::string::npos;
  const std::string changelog_gz = docdir + (native ? "/changelog.gz" : "/changelog.Debian.gz");
  REQUIRE(fs::is_regular_file(changelog_gz));
  const auto changelog = run("gzip -dc " + quote(changelog_gz));
  REQUIRE(changelog.exit_code == 0);
  CHECK_THAT(changelog.out, Catch::StartsWith("immutalint (" + fields["Version"] + ") "));
  CHECK_THAT(changelog.out, Catch::Contains("\n -- " + fields["Maintainer"] + "  "));

  // Hardening (cmake/packaging.cmake, IMMUTALINT_HARDENING): a position-independent executable with
  // full RELRO, and fortified calls where the tree optimizes without sanitizers or fuzzing.
  if (cmake_true(cache_value(build_dir, "IMMUTALINT_HARDENING", "OFF"))) {
    const auto header = run("readelf -hW " + quote(binary));
    const auto segments = run("readelf -lW " + quote(binary));
    const auto dynamic = run("readelf -dW " + quote(binary));
    REQUIRE((header.exit_code == 0 && segments.exit_code == 0 && dynamic.exit_code == 0));
    INFO(header.out << dynamic.out);
    CHECK(std::regex_search(header.out, std::regex(R"(Type:\s+DYN\b)")));
    CHECK(std::regex_search(dynamic.out, std::regex(R"(\(FLAGS_1\)\s+Flags:[^\n]*\bPIE\b)")));
    CHECK(std::regex_search(dynamic.out, std::regex(R"(\(FLAGS\)\s+BIND_NOW\b)")));
    CHECK_THAT(segments.out, Catch::Contains("GNU_RELRO"));
    const std::string build_type = cache_value(build_dir, "CMAKE_BUILD_TYPE");
    if (!cmake_true(cache_value(build_dir, "IMMUTALINT_SANITIZE", "OFF")) &&
        !cmake_true(cache_value(build_dir, "IMMUTALINT_FUZZ", "OFF")) &&
        (build_type == "Release" || build_type == "RelWithDebInfo" || build_type == "MinSizeRel")) {
      const auto symbols = run("readelf --dyn-syms -W " + quote(binary));
      REQUIRE(symbols.exit_code == 0);
      CHECK(std::regex_search(symbols.out, std::regex(R"(\b__\w+_chk\b)")));
    }
  } else {
    WARN("IMMUTALINT_HARDENING is OFF in " << build_dir << ": the binary's hardening is not checked");
  }

  // lintian, Debian's package checker (scripts/install-deps.sh installs it): no error. Warnings and
  // information tags are shown here but do not fail the test.
  REQUIRE(run("command -v lintian").exit_code == 0);
  {
    const auto lintian = run("lintian --tag-display-limit 0 --display-info " + quote(deb));
    INFO("lintian " << lintian.exit_code << ":\n" << lintian.out << lintian.err);
    CHECK(lintian.exit_code != 2);  // 2: lintian itself failed
    std::istringstream tags(lintian.out);
    for (std::string line; std::getline(tags, line);) CHECK_FALSE(line.rfind("E:", 0) == 0);
    CHECK(lintian.exit_code == 0);
  }

  // The installed binary runs from the package's layout, on the packaged examples.
  const auto version = run(quote(binary) + " --version");
  CHECK(version.exit_code == 0);
  CHECK(version.out == std::string("immutalint ") + IMMUTALINT_VERSION + "\n");
  const auto lint = run("NO_COLOR=1 " + quote(binary) + " " + quote(docdir + "/examples"));
  CHECK(lint.exit_code == 1);
  CHECK_THAT(lint.out, Catch::Contains("[host-binary-install]"));
}
