// Wrappers (nsenter, chroot, sudo, env, timeout, ...) are read with their options as getopt
// reads them: combined short options and attached values included, so that the command they
// run is the one judged.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "immutalint/shell.hpp"

using namespace immutalint;

namespace {

/// The commands of a script, each as its words.
std::vector<std::vector<std::string>> commands_of(const std::string& script) {
  std::vector<std::vector<std::string>> out;
  for (const ShellCommand& command : read_script(script, 0, {})) {
    std::vector<std::string> words;
    for (const ShellWord& word : command.argv) words.push_back(word.text);
    out.push_back(words);
  }
  return out;
}

}  // namespace

TEST_CASE("nsenter with combined short options enters the host and runs its command there") {
  // As GKE's TCPXO installer writes it: -a (all namespaces) and -t 1 in one word.
  const auto commands = read_script("nsenter -at 1 -- sh -c 'modprobe import-helper'", 0, {});
  REQUIRE(commands.size() == 1);
  CHECK(commands[0].program() == "modprobe");
  CHECK(commands[0].host_namespace);
  CHECK(commands[0].entered_by == "nsenter -at 1 --");

  // The namespace options take an optional file written attached (-m/proc/1/ns/mnt), so -t
  // cannot follow them in one word; -a takes none.
  for (const std::string prefix : {"nsenter -at1", "nsenter -t 1 -m", "nsenter -t1 -m -u -i -n", "nsenter -Sroot -at 1",
                                   "nsenter --target=1 --mount"}) {
    INFO(prefix);
    const auto entered = read_script(prefix + " modprobe br_netfilter", 0, {});
    REQUIRE(entered.size() == 1);
    CHECK(entered[0].program() == "modprobe");
    CHECK(entered[0].host_namespace);
  }
  // -n alone enters only the network namespace: the files seen are still the container's.
  const auto network_only = read_script("nsenter -t 1 -n ip link", 0, {});
  REQUIRE(network_only.size() == 1);
  CHECK(network_only[0].program() == "ip");
  CHECK_FALSE(network_only[0].host_namespace);
}

TEST_CASE("wrappers with combined options or attached values run the command after them") {
  using Words = std::vector<std::vector<std::string>>;
  CHECK(commands_of("sudo -Eu root cp a /host/usr/bin/b") == Words{{"cp", "a", "/host/usr/bin/b"}});
  CHECK(commands_of("sudo -uroot -- cp a b") == Words{{"cp", "a", "b"}});
  CHECK(commands_of("timeout -s9 30 cp a b") == Words{{"cp", "a", "b"}});
  CHECK(commands_of("timeout --signal=KILL 30 cp a b") == Words{{"cp", "a", "b"}});
  CHECK(commands_of("env -iuHOME cp a b") == Words{{"cp", "a", "b"}});
  CHECK(commands_of("nice -n10 ionice -c2 -n7 cp a b") == Words{{"cp", "a", "b"}});
  CHECK(commands_of("runuser -u root -- cp a b") == Words{{"cp", "a", "b"}});
  CHECK(commands_of("setsid -fw cp a b") == Words{{"cp", "a", "b"}});
  const auto chrooted = read_script("chroot --userspec=0:0 /host cp a /usr/bin/b", 0, {});
  REQUIRE(chrooted.size() == 1);
  CHECK(chrooted[0].program() == "cp");
  REQUIRE(chrooted[0].chroot);
  CHECK(*chrooted[0].chroot == "/host");
}
