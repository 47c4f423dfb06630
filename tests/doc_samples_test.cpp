// The sample runs shown in README.md and docs/*.md are what the tool prints: each ```console
// block whose first line runs immutalint is run again. A block without a "..." line must match
// the output exactly; one with "..." lines is an excerpt, whose other lines must appear in the
// output in that order. scripts/update-docs.sh regenerates the exact blocks.
#include <filesystem>
#include <sstream>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
namespace test = immutalint::test;

namespace {

struct Sample {
  std::string file;
  std::size_t line = 0;              // of the command
  std::vector<std::string> args;     // after the program name
  std::vector<std::string> printed;  // the lines shown below the command
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<Sample> samples_in(const std::string& relative) {
  const auto lines = lines_of(test::read_file(test::source_dir() + "/" + relative));
  std::vector<Sample> samples;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i] != "```console") continue;
    const std::string& command = lines[i + 1];
    std::istringstream words(command);
    std::string prompt;
    std::string program;
    words >> prompt >> program;
    if (prompt != "$" || (program != "immutalint" && program != "build/immutalint")) continue;
    Sample sample{relative, i + 2, {}, {}};
    for (std::string word; words >> word;) sample.args.push_back(word);
    for (std::size_t j = i + 2; j < lines.size() && lines[j] != "```"; ++j) sample.printed.push_back(lines[j]);
    samples.push_back(std::move(sample));
  }
  return samples;
}

/// True when `excerpt`'s lines other than "..." appear in `output` in order.
bool is_excerpt_of(const std::vector<std::string>& excerpt, const std::vector<std::string>& output) {
  std::size_t at = 0;
  for (const auto& line : excerpt) {
    if (line == "...") continue;
    while (at < output.size() && output[at] != line) ++at;
    if (at == output.size()) return false;
    ++at;
  }
  return true;
}

}  // namespace

TEST_CASE("the sample runs in README.md and docs print what the tool prints (regenerate with scripts/update-docs.sh)") {
  std::vector<std::string> files{"README.md"};
  for (const auto& entry : fs::directory_iterator(test::source_dir() + "/docs")) {
    if (entry.path().extension() == ".md") files.push_back("docs/" + entry.path().filename().string());
  }
  std::size_t checked = 0;
  for (const auto& file : files) {
    for (const auto& sample : samples_in(file)) {
      INFO(sample.file << ":" << sample.line);
      for (const auto& word : sample.args) REQUIRE(word.find_first_of("'\"\\$`") == std::string::npos);
      const auto run = test::run_cli(sample.args);
      const auto output = lines_of(run.out);
      const bool excerpt = std::find(sample.printed.begin(), sample.printed.end(), "...") != sample.printed.end();
      if (excerpt) {
        INFO(run.out);
        CHECK(is_excerpt_of(sample.printed, output));
      } else {
        std::string shown;
        for (const auto& line : sample.printed) shown += line + "\n";
        const std::string diff = test::unified_diff(shown, run.out, sample.file, "output");
        INFO(diff);
        CHECK(diff.empty());
      }
      ++checked;
    }
  }
  // The README's own sample is among them.
  CHECK(checked >= 4);
}
