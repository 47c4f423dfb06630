// Baseline for bench/run.sh: the least any YAML reader of the same input can do with libyaml,
// pulling its events and dropping them. immutalint parses with libyaml too, so this is the floor
// its own work is measured against (issue target: at or under 1.0x this, in wall time).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <yaml.h>

#include "input_files.hpp"

namespace fs = std::filesystem;

namespace {

struct Totals {
  long long documents = 0;
  long long events = 0;
  long long errors = 0;
  long long bytes = 0;
};

// Streams the file through libyaml (it reads in blocks of its own), counting events. A syntax
// error ends the file, as it ends libyaml's stream.
void pull_events(const fs::path& path, Totals& totals) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    ++totals.errors;
    return;
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_owner(file, &std::fclose);
  totals.bytes += static_cast<long long>(fs::file_size(path));
  yaml_parser_t parser{};
  if (!yaml_parser_initialize(&parser)) return;
  const std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> parser_owner(&parser, &yaml_parser_delete);
  yaml_parser_set_input_file(&parser, file);
  for (;;) {
    yaml_event_t event{};
    if (!yaml_parser_parse(&parser, &event)) {
      ++totals.errors;
      return;
    }
    const yaml_event_type_t type = event.type;
    yaml_event_delete(&event);
    ++totals.events;
    if (type == YAML_DOCUMENT_START_EVENT) ++totals.documents;
    if (type == YAML_STREAM_END_EVENT) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: libyaml_events FILE|DIR...\n");
    return 2;
  }
  Totals totals;
  for (int i = 1; i < argc; ++i) {
    for (const auto& path : bench::input_files(argv[i])) pull_events(path, totals);
  }
  std::printf("%lld documents, %lld events, %lld errors, %lld bytes\n", totals.documents, totals.events, totals.errors,
              totals.bytes);
  return 0;
}
