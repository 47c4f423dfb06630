// Baseline for bench/run.sh: parse the same input with yaml-cpp alone, one document at a time.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "input_files.hpp"

namespace fs = std::filesystem;

namespace {

struct Totals {
  long long documents = 0;
  long long errors = 0;
  long long bytes = 0;
};

// A line starting "---" followed by whitespace or end of line cannot occur inside a scalar.
bool is_separator(std::string_view line) {
  if (!line.starts_with("---")) return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

void parse(const std::string& document, Totals& totals) {
  if (document.empty()) return;  // nothing before a leading "---"
  ++totals.documents;
  try {
    const YAML::Node node = YAML::Load(document);
    (void)node;
  } catch (const YAML::Exception&) {
    ++totals.errors;
  }
}

// Reads line by line so memory holds one document, never the whole stream: LoadAll on a
// whole stream costs ~17x the input.
bool parse_file(const fs::path& path, Totals& totals) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string document;
  std::string line;
  while (std::getline(in, line)) {
    totals.bytes += static_cast<long long>(line.size()) + (in.eof() ? 0 : 1);
    if (is_separator(line)) {
      parse(document, totals);
      document.clear();
    }
    document += line;
    document += '\n';
  }
  parse(document, totals);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: yaml_cpp_parse FILE_OR_DIR...\n");
    return 2;
  }
  Totals totals;
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (!fs::exists(argv[i], ec)) {
      std::fprintf(stderr, "yaml_cpp_parse: %s: no such file or directory\n", argv[i]);
      status = 1;
      continue;
    }
    for (const auto& file : bench::input_files(argv[i])) {
      if (!parse_file(file, totals)) {
        std::fprintf(stderr, "yaml_cpp_parse: %s: cannot read\n", file.c_str());
        status = 1;
      }
    }
  }
  std::printf("documents %lld errors %lld bytes %lld\n", totals.documents, totals.errors, totals.bytes);
  return status;
}
