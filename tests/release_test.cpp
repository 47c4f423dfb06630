// The release tarball (scripts/build-release.sh) packed from this tree's static binary
// (immutalint_static, cmake/packaging.cmake): what it holds, that the binary needs only the C
// library, runs from the unpacked tarball and in an empty root, and the kubectl plugin's man page.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

/// Runs a shell command line, capturing its standard output and standard error apart.
t::CommandResult run(const std::string& command) {
  const TempDir scratch;
  const std::string out = scratch.path + "/out";
  const std::string err = scratch.path + "/err";
  const int status =
      std::system(fmt::format("( {} ) </dev/null >{} 2>{}", command, t::shell_quote(out), t::shell_quote(err)).c_str());
  t::CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = t::read_file(out);
  result.err = t::read_file(err);
  return result;
}

std::string quote(const std::string& word) {
  return t::shell_quote(word);
}

/// CI=true, or any other value but false and 0 (as tests/test_support.cpp reads it).
bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false" && std::string(ci) != "0";
}

/// Ends the test case as skipped, saying why: under ctest by the skip marker (see
/// tests/CMakeLists.txt) and exit status 77, elsewhere with a warning. Call it before anything
/// needs cleaning up: under ctest the process ends here.
void skip(const std::string& reason) {
  const char* marker = std::getenv("IMMUTALINT_TEST_SKIP_MARKER");
  if (marker != nullptr && *marker != '\0') {
    std::fprintf(stdout, "%s %s\n", marker, reason.c_str());
    std::fflush(stdout);
    std::_Exit(77);
  }
  WARN("skipped: " << reason);
}

/// The build tree of this test binary, and its static release binary.
std::string build_dir() {
  return fs::path(IMMUTALINT_BINARY).parent_path().string();
}
std::string static_binary() {
  return build_dir() + "/immutalint-static";
}

/// The static binary is missing: cmake/packaging.cmake said why when the tree was configured.
/// Under CI that fails: the release is what users install.
bool static_binary_missing() {
  if (fs::is_regular_file(static_binary())) return false;
  const std::string reason = static_binary() +
                             " is missing: this tree has no static release binary (configuring it printed \"No static "
                             "release binary\" and the static archives it lacks)";
  if (running_in_ci()) FAIL(reason);
  skip(reason);
  return true;
}

/// The value of `name` in this tree's CMake cache, or "".
std::string cache_value(const std::string& name) {
  std::istringstream cache(t::read_file(build_dir() + "/CMakeCache.txt"));
  for (std::string line; std::getline(cache, line);) {
    const auto colon = line.find(':');
    const auto equals = line.find('=');
    if (colon != std::string::npos && equals != std::string::npos && colon < equals && line.substr(0, colon) == name) {
      return line.substr(equals + 1);
    }
  }
  return {};
}

/// The C library's shared objects on Linux: libc, libm, the merged libpthread, libdl and librt
/// stubs, and the dynamic loader.
const std::regex kGlibc(
    R"((libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux[-\w.]*\.so\.\d+))");

/// NEEDED entries of an ELF file.
std::vector<std::string> needed(const std::string& binary) {
  const auto dynamic = run("readelf -dW " + quote(binary));
  REQUIRE(dynamic.exit_code == 0);
  std::vector<std::string> names;
  static const std::regex entry(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  for (std::sregex_iterator it(dynamic.out.begin(), dynamic.out.end(), entry), end; it != end; ++it) {
    names.push_back((*it)[1].str());
  }
  return names;
}

/// "2.35" as a comparable number, 2035.
int glibc_version(const std::string& text) {
  const auto dot = text.find('.');
  return std::stoi(text.substr(0, dot)) * 1000 + std::stoi(text.substr(dot + 1));
}

}  // namespace

TEST_CASE("the release tarball holds a stripped immutalint that needs only the C library and lints the examples",
          "[release]") {
  if (static_binary_missing()) return;
  const TempDir work;
  const std::string name = std::string("immutalint-") + IMMUTALINT_VERSION + "-linux-x86_64";

  const std::string out = work.path + "/out";
  const auto packed =
      run(fmt::format("cd {} && SOURCE_DATE_EPOCH=1700000000 scripts/build-release.sh --tree {} --no-build {}",
                      quote(t::source_dir()), quote(build_dir()), quote(out)));
  INFO(packed.out << packed.err);
  REQUIRE(packed.exit_code == 0);
  const std::string tarball = out + "/" + name + ".tar.gz";
  CHECK(packed.out == tarball + "\n");
  REQUIRE(fs::is_regular_file(tarball));
  // Every entry under one folder, owned by root, dated SOURCE_DATE_EPOCH (2023-11-14 22:13:20 UTC):
  // the same sources give the same tarball, whoever packs it when.
  const auto listing = run("TZ=UTC tar --numeric-owner -tvzf " + quote(tarball));
  REQUIRE(listing.exit_code == 0);
  std::istringstream entries(listing.out);
  for (std::string entry; std::getline(entries, entry);) {
    INFO(entry);
    CHECK_THAT(entry,
               Catch::Contains(" 0/0 ") && Catch::Contains(" 2023-11-14 22:13 ") && Catch::Contains(" " + name + "/"));
  }
  const auto checksum = run(fmt::format("cd {} && sha256sum --check --strict {}.tar.gz.sha256", quote(out), name));
  INFO(checksum.out << checksum.err);
  CHECK(checksum.exit_code == 0);

  const std::string unpacked = work.path + "/unpacked";
  fs::create_directories(unpacked);
  REQUIRE(run(fmt::format("tar -xzf {} -C {}", quote(tarball), quote(unpacked))).exit_code == 0);
  const std::string root = unpacked + "/" + name;
  const std::string binary = root + "/bin/immutalint";
  for (const char* file :
       {"bin/immutalint", "bin/kubectl-immutalint", "share/man/man1/immutalint.1.gz",
        "share/man/man1/kubectl-immutalint.1.gz", "share/bash-completion/completions/immutalint",
        "share/zsh/site-functions/_immutalint", "share/fish/vendor_completions.d/immutalint.fish",
        "share/doc/immutalint/README.md", "share/doc/immutalint/LICENSE", "share/doc/immutalint/docs/checks.md",
        "share/doc/immutalint/examples/gpu-driver-installer.yaml"}) {
    INFO(file);
    CHECK(fs::is_regular_file(root + "/" + file));
  }
  for (const char* program : {"bin/immutalint", "bin/kubectl-immutalint"}) {
    INFO(program);
    CHECK((fs::status(root + "/" + program).permissions() & fs::perms::others_exec) != fs::perms::none);
  }

  // Stripped: no symbol table, no debug information.
  const auto sections = run("readelf -SW " + quote(binary));
  REQUIRE(sections.exit_code == 0);
  CHECK_THAT(sections.out, !Catch::Contains(".symtab") && !Catch::Contains(".debug_info"));

  // Hardened as the packaged binary is (IMMUTALINT_HARDENING): position-independent, full RELRO.
  if (cache_value("IMMUTALINT_HARDENING") == "ON") {
    const auto dynamic = run("readelf -hdlW " + quote(binary));
    INFO(dynamic.out);
    CHECK(std::regex_search(dynamic.out, std::regex(R"(Type:\s+DYN\b)")));
    CHECK(std::regex_search(dynamic.out, std::regex(R"(\(FLAGS\)\s+BIND_NOW\b)")));
    CHECK_THAT(dynamic.out, Catch::Contains("GNU_RELRO"));
  }

  // Only the C library is needed, and no glibc newer than 2.35 (Ubuntu 22.04).
  const auto libraries = needed(binary);
  CHECK(std::find(libraries.begin(), libraries.end(), "libc.so.6") != libraries.end());
  for (const auto& library : libraries) {
    INFO("NEEDED " << library);
    CHECK(std::regex_match(library, kGlibc));
  }
  const auto symbols = run("objdump -T " + quote(binary));
  REQUIRE(symbols.exit_code == 0);
  static const std::regex versioned(R"(\bGLIBC_(\d+\.\d+))");
  std::string newest = "2.0";
  for (std::sregex_iterator it(symbols.out.begin(), symbols.out.end(), versioned), end; it != end; ++it) {
    if (glibc_version((*it)[1].str()) > glibc_version(newest)) newest = (*it)[1].str();
  }
  INFO("newest glibc symbol version: " << newest);
  CHECK(glibc_version(newest) <= glibc_version("2.35"));

  // It runs from the unpacked tarball and reports on the packed examples what the tree's
  // dynamically linked immutalint reports.
  const auto version = run(quote(binary) + " --version");
  CHECK(version.exit_code == 0);
  CHECK(version.out == std::string("immutalint ") + IMMUTALINT_VERSION + "\n");
  const std::string lint = "cd " + quote(root + "/share/doc/immutalint") + " && {} --target all --format json examples";
  const auto released = run(fmt::format(fmt::runtime(lint), quote(binary)));
  const auto built = run(fmt::format(fmt::runtime(lint), quote(IMMUTALINT_BINARY)));
  INFO(released.err);
  CHECK(released.exit_code == 1);
  CHECK_THAT(released.out, Catch::Contains("\"check\": \"host-binary-install\""));
  CHECK(released.out == built.out);

  // The kubectl plugin runs the immutalint beside it.
  const std::string kubectl_dir = work.path + "/kubectl";
  t::write_file(kubectl_dir + "/kubectl",
                "#!/bin/sh\ncat " + quote(t::source_dir() + "/examples/gpu-driver-installer.yaml") + "\n");
  fs::permissions(kubectl_dir + "/kubectl", fs::perms::owner_all);
  const auto plugin = run(fmt::format("env -u IMMUTALINT PATH={}:/usr/bin:/bin {} --target talos --format json",
                                      quote(kubectl_dir), quote(root + "/bin/kubectl-immutalint")));
  INFO(plugin.err);
  CHECK(plugin.exit_code == 1);
  CHECK_THAT(plugin.out, Catch::Contains("\"check\": \"host-binary-install\""));

  // Man pages that format without a warning, and completions for each shell.
  if (run("command -v groff").exit_code == 0) {
    for (const char* page : {"immutalint.1.gz", "kubectl-immutalint.1.gz"}) {
      const auto rendered = run("gzip -dc " + quote(root + "/share/man/man1/" + page) + " | groff -man -Tutf8 -ww -z");
      INFO(page << ": " << rendered.err);
      CHECK((rendered.exit_code == 0 && rendered.err.empty()));
    }
  } else {
    WARN("groff is not installed: the man pages' formatting is not checked");
  }
  CHECK_THAT(t::read_file(root + "/share/bash-completion/completions/immutalint"),
             Catch::Contains("complete ") && Catch::Contains("immutalint"));
  CHECK_THAT(t::read_file(root + "/share/zsh/site-functions/_immutalint"), Catch::StartsWith("#compdef immutalint"));
  CHECK_THAT(t::read_file(root + "/share/fish/vendor_completions.d/immutalint.fish"),
             Catch::Contains("complete -c immutalint"));
}

TEST_CASE("the release binary runs in an empty root that holds only it and the C library", "[release]") {
  if (static_binary_missing()) return;
  if (geteuid() != 0) {
    skip(
        "chroot needs root: run the suite as root (as CI's container does) to run the release binary in an "
        "empty root");
    return;
  }
  // The dynamic loader the binary names, and where the loader finds each library it needs.
  const auto headers = run("readelf -lW " + quote(static_binary()));
  std::smatch interpreter;
  REQUIRE(std::regex_search(headers.out, interpreter, std::regex(R"(program interpreter: ([^\]]+)\])")));
  const auto resolved = run("ldd " + quote(static_binary()));
  REQUIRE(resolved.exit_code == 0);
  std::vector<std::string> copies = {interpreter[1].str()};
  std::istringstream ldd(resolved.out);
  for (std::string line; std::getline(ldd, line);) {
    std::smatch library;
    if (std::regex_search(line, library, std::regex(R"(^\s*(\S+) => (/\S+))"))) {
      INFO(line);
      CHECK(std::regex_match(library[1].str(), kGlibc));
      copies.push_back(library[2].str());
    }
  }

  const TempDir root;
  fs::copy_file(static_binary(), root.path + "/immutalint");
  for (const auto& file : copies) {
    fs::create_directories(root.path + fs::path(file).parent_path().string());
    fs::copy_file(fs::canonical(file), root.path + file);
  }
  fs::copy(t::source_dir() + "/examples", root.path + "/examples");
  // A sanitized tree's binary carries the sanitizers' runtime, which reads /proc (its options, the
  // memory map, the threads for the leak check); a release binary does not. For it, /proc is
  // mounted in the root, in a mount namespace of its own that ends with the command.
  const bool sanitized = cache_value("IMMUTALINT_SANITIZE") == "ON";
  const auto in_root = [&](const std::string& args) {
    if (!sanitized) return run("chroot " + quote(root.path) + " /immutalint " + args);
    return run(fmt::format("unshare --mount --propagation private sh -c {} sh {}",
                           quote("mount -t proc proc \"$1/proc\" && exec chroot \"$1\" /immutalint " + args),
                           quote(root.path)));
  };
  if (sanitized) fs::create_directory(root.path + "/proc");
  const auto version = in_root("--version");
  if (version.exit_code != 0 && (version.err.find("Operation not permitted") != std::string::npos ||
                                 version.err.find("Permission denied") != std::string::npos)) {
    // Root without CAP_SYS_CHROOT (or, for a sanitized tree, CAP_SYS_ADMIN), as in some containers.
    // Under ctest skip() ends the process: the root's copies go first.
    std::error_code ignored;
    fs::remove_all(root.path, ignored);
    skip(std::string(sanitized ? "unshare, mount and chroot are" : "chroot is") + " not permitted here (" +
         version.err.substr(0, version.err.find('\n')) + ")");
    return;
  }
  INFO(version.err);
  CHECK(version.out == std::string("immutalint ") + IMMUTALINT_VERSION + "\n");
  const auto lint = in_root("--target all /examples");
  INFO(lint.out << lint.err);
  CHECK(lint.exit_code == 1);
  CHECK_THAT(lint.out, Catch::Contains("/examples/gpu-driver-installer.yaml:35:13: error:") &&
                           Catch::Contains("[host-binary-install]"));
}

TEST_CASE("the kubectl plugin's man page documents every option of its help", "[release]") {
  const auto help = run(quote(t::source_dir() + "/scripts/kubectl-immutalint") + " --help");
  REQUIRE(help.exit_code == 0);
  // The tags of the page's tagged paragraphs (the line after each .TP): where options are described.
  std::string tags;
  {
    std::istringstream page(t::read_file(t::source_dir() + "/packaging/kubectl-immutalint.1.in"));
    bool tag_next = false;
    for (std::string line; std::getline(page, line);) {
      if (tag_next) tags += line + "\n";
      tag_next = line == ".TP";
    }
  }
  // "  -n, --namespace NS   ..." or "      --context NAME   ...", as the plugin's help lists them.
  static const std::regex option(R"(^\s+(?:(-\w),\s+)?(--[\w-]+))");
  std::istringstream lines(help.out);
  int options = 0;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, option)) continue;
    ++options;
    for (std::size_t group = 1; group <= 2; ++group) {
      if (!match[group].matched) continue;
      // In roff source every '-' of an option is written \-; the option stands alone (-n is not
      // the end of \-\-namespace).
      std::string pattern = R"((^|[^-]))";
      for (char c : match[group].str()) pattern += c == '-' ? std::string(R"(\\-)") : std::string(1, c);
      pattern += R"((?![\w\\]))";
      INFO(line);
      CHECK(std::regex_search(tags, std::regex(pattern)));
    }
  }
  CHECK(options >= 4);
}
