// Without libFuzzer, the fuzz targets link to this main. It feeds each file named on the command
// line (or each file under each directory) to the target once, so every test run replays the seed
// corpus and the reproducers of past crashes. With `--mutate N` it then feeds N inputs made by
// mutating those files, with the target's dictionary (`--dict FILE`, libFuzzer's format): a
// fuzzing smoke that needs no coverage instrumentation and is the same on every run for the same
// `--seed`. An input that crashes under the sanitizers is written to `crash-<target>-<N>` in the
// working directory before the program dies.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Present when a sanitizer runtime is linked: called before the sanitizer ends the program.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

/// The input being run and its name, for the death callback.
std::string g_current;
std::string g_crash_name;

void save_current_input() {
  if (g_crash_name.empty()) return;
  if (std::FILE* out = std::fopen(g_crash_name.c_str(), "wb")) {
    std::fwrite(g_current.data(), 1, g_current.size(), out);
    std::fclose(out);
    std::fprintf(stderr, "the crashing input is in %s\n", g_crash_name.c_str());
  }
}

void run(const std::string& bytes) {
  g_current = bytes;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(g_current.data()), g_current.size());
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The tokens of a libFuzzer dictionary: one quoted string per line, with \\, \" and \xNN escapes.
std::vector<std::string> read_dictionary(const fs::path& path) {
  std::vector<std::string> tokens;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const std::size_t open = line.find('"');
    const std::size_t close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
    std::string token;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (line[i] == '\\' && i + 1 < close && line[i + 1] == 'x' && i + 3 < close) {
        token += static_cast<char>(std::strtol(line.substr(i + 2, 2).c_str(), nullptr, 16));
        i += 3;
      } else if (line[i] == '\\' && i + 1 < close) {
        token += line[++i];
      } else {
        token += line[i];
      }
    }
    if (!token.empty()) tokens.push_back(std::move(token));
  }
  return tokens;
}

/// Byte-level mutations in the manner of libFuzzer's: flips, insertions and deletions, copies of
/// a part of the input, splices with another input, dictionary tokens. Inputs are kept under
/// `max_len` bytes.
class Mutator {
 public:
  Mutator(std::uint64_t seed, const std::vector<std::string>& inputs, std::vector<std::string> dictionary,
          std::size_t max_len)
      : random_(seed), inputs_(inputs), dictionary_(std::move(dictionary)), max_len_(max_len) {}

  std::string next() {
    std::string data = inputs_[pick(inputs_.size())];
    const std::size_t rounds = 1 + pick(4);
    for (std::size_t round = 0; round < rounds; ++round) mutate(data);
    if (data.size() > max_len_) data.resize(max_len_);
    return data;
  }

 private:
  std::size_t pick(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

  void mutate(std::string& data) {
    const std::size_t at = pick(data.size() + 1);
    switch (pick(7)) {
      case 0:  // flip a bit
        if (!data.empty()) data[std::min(at, data.size() - 1)] ^= static_cast<char>(1 << pick(8));
        break;
      case 1:  // a random byte
        data.insert(at, 1, static_cast<char>(pick(256)));
        break;
      case 2:  // delete a range
        data.erase(at, pick(16) + 1);
        break;
      case 3: {  // copy a part of the input elsewhere, possibly many times
        if (data.empty()) break;
        const std::size_t from = pick(data.size());
        const std::string part = data.substr(from, pick(64) + 1);
        const std::size_t times = pick(8) == 0 ? pick(64) + 1 : 1;
        for (std::size_t i = 0; i < times; ++i) data.insert(std::min(at, data.size()), part);
        break;
      }
      case 4: {  // splice with another input
        const std::string& other = inputs_[pick(inputs_.size())];
        data = data.substr(0, at) + other.substr(pick(other.size() + 1));
        break;
      }
      default:  // a dictionary token
        if (!dictionary_.empty()) data.insert(at, dictionary_[pick(dictionary_.size())]);
        break;
    }
  }

  std::mt19937_64 random_;
  const std::vector<std::string>& inputs_;
  std::vector<std::string> dictionary_;
  std::size_t max_len_;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  std::size_t mutations = 0;
  std::uint64_t seed = 1;
  std::size_t max_len = 65536;
  std::vector<std::string> dictionary;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 < argc && arg == "--mutate") {
      mutations = std::strtoull(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && arg == "--seed") {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && arg == "--max-len") {
      max_len = std::strtoull(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && arg == "--dict") {
      for (auto& token : read_dictionary(argv[++i])) dictionary.push_back(std::move(token));
    } else if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.emplace_back(arg);
    }
  }
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(save_current_input);
  const std::string target = fs::path(argv[0]).filename().string();
  std::vector<std::string> inputs;
  for (const auto& file : files) {
    g_crash_name = "crash-" + target + "-seed";
    inputs.push_back(read_bytes(file));
    run(inputs.back());
  }
  std::printf("replayed %zu inputs\n", files.size());
  if (files.empty()) return 1;
  Mutator mutator(seed, inputs, std::move(dictionary), max_len);
  for (std::size_t n = 0; n < mutations; ++n) {
    g_crash_name = "crash-" + target + "-" + std::to_string(n);
    run(mutator.next());
  }
  if (mutations > 0)
    std::printf("ran %zu mutated inputs (seed %llu)\n", mutations, static_cast<unsigned long long>(seed));
  return 0;
}
