// Reads `.immutalint.yaml`: every key is checked, and every problem names its line and column.
#include "immutalint/config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <span>
#include <unordered_set>

#include <fmt/format.h>
#include <re2/re2.h>

#include "immutalint/check.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/report.hpp"
#include "immutalint/suggest.hpp"
#include "immutalint/text_list.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxConfigBytes = 1u << 20;

/// The top-level keys, in the order the messages list them.
constexpr std::string_view kKeys[] = {
    "targets",     "fail-on", "format",  "inline-ignores", "discover-pod-templates", "show-notes", "all-rows",
    "allow-empty", "checks",  "exclude", "ignores",        "workload-kinds"};

/// One mistake in the file. Thrown inside the reader to abandon the setting it is in; the
/// reader records it and goes on with the next setting, so that one run lists every mistake.
struct ConfigProblem {
  Mark at;
  std::string message;
};

/// "a, b, c and d".
std::string and_list(std::span<const std::string_view> words) {
  if (words.size() < 2) return words.empty() ? std::string() : std::string(words.front());
  return fmt::format("{} and {}", fmt::join(words.first(words.size() - 1), ", "), words.back());
}

class ConfigReader {
 public:
  ConfigReader(const YamlTree& tree, std::string path, const Catalogue& catalogue, const TargetSet& targets)
      : tree_(tree), path_(std::move(path)), catalogue_(catalogue), targets_(targets) {}

  Config read() {
    Config config;
    config.path = path_;
    config.dir = fs::path(path_).parent_path().generic_string();
    const NodeId root = tree_.root();
    if (tree_.is_null(root)) return config;  // an empty file says nothing
    if (!tree_.is_mapping(root)) {
      problems_.push_back({tree_.node(root).span.begin, "the configuration must be a mapping of settings"});
      return config;
    }
    for (const MapEntry& entry : tree_.entries(root)) {
      attempt([&] { read_key(entry, config); });
    }
    return config;
  }

  /// The mistakes found, in the order of the file.
  std::vector<ConfigProblem> take_problems() {
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const ConfigProblem& a, const ConfigProblem& b) { return a.at < b.at; });
    return std::move(problems_);
  }

 private:
  void read_key(const MapEntry& entry, Config& config) {
    const std::string& key = entry.key;
    if (key == "targets") {
      config.targets = Setting<std::string>{read_targets(entry), origin(entry)};
    } else if (key == "fail-on") {
      config.fail_on = Setting<std::string>{one_of(entry, {"error", "warning", "note", "never"}), origin(entry)};
    } else if (key == "format") {
      config.format = Setting<std::string>{one_of(entry, report_format_names()), origin(entry)};
    } else if (key == "inline-ignores") {
      config.inline_ignores = Setting<bool>{boolean(entry), origin(entry)};
    } else if (key == "discover-pod-templates") {
      config.discover_pod_templates = Setting<bool>{boolean(entry), origin(entry)};
    } else if (key == "show-notes") {
      config.show_notes = Setting<bool>{boolean(entry), origin(entry)};
    } else if (key == "all-rows") {
      config.all_rows = Setting<bool>{boolean(entry), origin(entry)};
    } else if (key == "allow-empty") {
      config.allow_empty = Setting<bool>{boolean(entry), origin(entry)};
    } else if (key == "checks") {
      read_checks(entry, config);
    } else if (key == "exclude") {
      for (const auto& [glob, at] : strings(entry, false)) config.exclude.push_back({glob, origin(at)});
    } else if (key == "ignores") {
      read_ignores(entry, config);
    } else if (key == "workload-kinds") {
      read_workload_kinds(entry, config);
    } else if (auto match = closest_match(key, kKeys)) {
      fail(entry.key_span.begin, fmt::format("unknown key `{}` (did you mean {}?)", key, *match));
    } else {
      fail(entry.key_span.begin, fmt::format("unknown key `{}`; the keys are {}", key, and_list(kKeys)));
    }
  }

  [[noreturn]] void fail(Mark at, std::string message) const { throw ConfigProblem{at, std::move(message)}; }

  /// Runs `read_one`; a mistake in it is recorded, and reading goes on after it.
  template <typename ReadOne>
  void attempt(ReadOne&& read_one) {
    try {
      read_one();
    } catch (ConfigProblem& problem) {
      problems_.push_back(std::move(problem));
    }
  }
  Mark value_mark(const MapEntry& entry) const {
    return entry.value == kNoNode ? entry.key_span.begin : tree_.node(entry.value).span.begin;
  }
  std::string origin(const MapEntry& entry) const { return fmt::format("{}:{}", path_, entry.key_span.begin.line); }
  std::string origin(Mark at) const { return fmt::format("{}:{}", path_, at.line); }

  /// A scalar value; anything else is a problem.
  std::string text(const MapEntry& entry) const {
    auto value = tree_.scalar(entry.value);
    if (!value || tree_.is_null(entry.value)) {
      fail(value_mark(entry), fmt::format("`{}` must be a string, not {}", entry.key, tree_.describe(entry.value)));
    }
    return std::string(*value);
  }

  std::string one_of(const MapEntry& entry, std::initializer_list<std::string_view> allowed) const {
    return one_of(entry, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  std::string one_of(const MapEntry& entry, std::span<const std::string_view> allowed) const {
    std::string value = text(entry);
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      fail(value_mark(entry), fmt::format("`{}` must be one of {}, not \"{}\"{}", entry.key, fmt::join(allowed, ", "),
                                          value, did_you_mean(value, allowed)));
    }
    return value;
  }

  bool boolean(const MapEntry& entry) const {
    auto value = tree_.scalar(entry.value);
    if (value == "true") return true;
    if (value == "false") return false;
    fail(value_mark(entry), fmt::format("`{}` must be true or false", entry.key));
  }

  /// The items of a sequence, each node once: an alias repeats a node written once, and
  /// reading it again would only multiply the same setting (or waiver) without saying more.
  std::vector<NodeId> distinct_items(NodeId sequence) const {
    std::vector<NodeId> items;
    std::unordered_set<NodeId> seen;
    for (NodeId item : tree_.items(sequence)) {
      if (seen.insert(item).second) items.push_back(item);
    }
    return items;
  }

  /// A string or a list of strings, each with where it was written. A bad item is recorded and
  /// left out.
  std::vector<std::pair<std::string, Mark>> strings(const MapEntry& entry, bool scalar_allowed) {
    std::vector<std::pair<std::string, Mark>> found;
    if (tree_.is_scalar(entry.value) && scalar_allowed) {
      found.emplace_back(text(entry), value_mark(entry));
      return found;
    }
    if (!tree_.is_sequence(entry.value)) {
      fail(value_mark(entry),
           fmt::format("`{}` must be {}a list of strings", entry.key, scalar_allowed ? "a string or " : ""));
    }
    for (NodeId item : distinct_items(entry.value)) {
      attempt([&] {
        auto value = tree_.scalar(item);
        if (!value || tree_.is_null(item) || value->empty()) {
          fail(tree_.node(item).span.begin, fmt::format("every item of `{}` must be a non-empty string", entry.key));
        }
        found.emplace_back(std::string(*value), tree_.node(item).span.begin);
      });
    }
    return found;
  }

  /// The names, as --target takes them: "a,b", "all" or "auto". A string may list several,
  /// separated by commas; each unknown name is a mistake of its own.
  std::string read_targets(const MapEntry& entry) {
    std::vector<std::string> names;
    for (const auto& [text, at] : strings(entry, true)) {
      for (auto& name : split_list(text)) {
        if (auto problem = unknown_target(name, targets_)) {
          problems_.push_back({at, *problem});
        } else {
          names.push_back(std::move(name));
        }
      }
    }
    if (names.empty()) fail(value_mark(entry), "`targets` needs at least one target name");
    if (auto problem = target_list_problem(names)) fail(value_mark(entry), *problem);
    return fmt::format("{}", fmt::join(names, ","));
  }

  /// A check id the catalogue knows, by its current id.
  std::string check_id(std::string_view id, Mark at) const {
    if (auto problem = unknown_check(id, catalogue_)) fail(at, *problem);
    return catalogue_.resolve(id)->id;
  }

  void read_checks(const MapEntry& entry, Config& config) {
    if (!tree_.is_mapping(entry.value)) {
      fail(value_mark(entry), "`checks` must be a mapping of check ids to off, on, note, warning or error");
    }
    for (const MapEntry& check : tree_.entries(entry.value)) {
      attempt([&] {
        std::string id;
        attempt([&] { id = check_id(check.key, check.key_span.begin); });
        const std::string value = one_of(check, {"off", "on", "note", "warning", "error"});
        if (id.empty()) return;
        if (id == immutalint::check_id(CheckRole::InvalidInput) && value == "off") {
          fail(value_mark(check), "invalid-input cannot be turned off: broken input is always reported");
        }
        config.checks.push_back({id, value, origin(check)});
      });
    }
  }

  void read_ignores(const MapEntry& entry, Config& config) {
    if (!tree_.is_sequence(entry.value)) fail(value_mark(entry), "`ignores` must be a list of waivers");
    for (NodeId item : distinct_items(entry.value)) {
      attempt([&] { read_ignore(item, config); });
    }
  }

  void read_ignore(NodeId item, Config& config) {
    const Mark at = tree_.node(item).span.begin;
    if (!tree_.is_mapping(item)) fail(at, "each entry of `ignores` must be a mapping");
    Waiver waiver;
    waiver.channel = SuppressionChannel::Config;
    waiver.where = Place{path_, tree_.node(item).span, {}};
    bool named_checks = false;
    for (const MapEntry& field : tree_.entries(item)) {
      attempt([&] { read_ignore_field(field, waiver, named_checks); });
    }
    if (!named_checks) fail(at, "an ignores entry needs `check`: the check id, or a list of them");
    if (waiver.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      fail(at, "an ignores entry needs `reason`: why the finding is accepted");
    }
    config.ignores.push_back(std::move(waiver));
  }

  void read_ignore_field(const MapEntry& field, Waiver& waiver, bool& named_checks) {
    const std::string& key = field.key;
    if (key == "check") {
      named_checks = true;
      // A plain pair rather than a structured binding: clang (the fuzzing build) cannot capture
      // a binding in a lambda before C++20's P1091 support.
      for (const auto& entry : strings(field, true)) {
        attempt([&] { waiver.checks.push_back(check_id(entry.first, entry.second)); });
      }
    } else if (key == "reason") {
      waiver.reason = text(field);
    } else if (key == "files") {
      for (const auto& [glob, mark] : strings(field, true)) waiver.files.push_back(glob);
    } else if (key == "kind") {
      waiver.kind = text(field);
    } else if (key == "namespace") {
      waiver.namespace_ = text(field);
    } else if (key == "name") {
      waiver.name = text(field);
    } else if (key == "container") {
      waiver.containers.push_back(text(field));
    } else if (key == "until") {
      waiver.until = text(field);
      if (const auto date = parse_date(waiver.until); !date) {
        fail(value_mark(field), "`until` must be a date written YYYY-MM-DD");
      } else if (!date->ok()) {
        fail(value_mark(field), fmt::format("`until` must be a day of the calendar, and {} is not", waiver.until));
      }
    } else {
      static constexpr std::string_view kIgnoreKeys[] = {"check",     "reason", "files",     "kind",
                                                         "namespace", "name",   "container", "until"};
      fail(
          field.key_span.begin,
          fmt::format("unknown key `{}` in an ignores entry{}", key,
                      did_you_mean(key, kIgnoreKeys,
                                   "; the keys are check, reason, files, kind, namespace, name, container and until")));
    }
  }

  /// A date written YYYY-MM-DD, which may still be no day of the calendar (2024-02-30).
  static std::optional<std::chrono::year_month_day> parse_date(const std::string& text) {
    static const re2::RE2 pattern(R"((\d{4})-(\d{2})-(\d{2}))");
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    if (!re2::RE2::FullMatch(text, pattern, &year, &month, &day)) return std::nullopt;
    return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  }

  void read_workload_kinds(const MapEntry& entry, Config& config) {
    if (!tree_.is_sequence(entry.value)) fail(value_mark(entry), "`workload-kinds` must be a list");
    for (NodeId item : distinct_items(entry.value)) {
      attempt([&] { read_workload_kind(item, config); });
    }
  }

  void read_workload_kind(NodeId item, Config& config) {
    const Mark at = tree_.node(item).span.begin;
    if (!tree_.is_mapping(item)) fail(at, "each entry of `workload-kinds` must be a mapping");
    ConfiguredWorkloadKind kind;
    kind.origin = origin(at);
    const std::size_t known_problems = problems_.size();
    for (const MapEntry& field : tree_.entries(item)) {
      attempt([&] {
        if (field.key == "apiVersion") {
          kind.api_version = text(field);
        } else if (field.key == "kind") {
          kind.kind = text(field);
        } else if (field.key == "pod-templates") {
          for (const auto& [path, mark] : strings(field, false)) {
            if (auto problem = check_pod_template_path(path)) fail(mark, *problem);
            kind.pod_templates.push_back(path);
          }
        } else {
          fail(
              field.key_span.begin,
              fmt::format("unknown key `{}` in a workload-kinds entry; the keys are apiVersion, kind and pod-templates",
                          field.key));
        }
      });
    }
    // A field with a mistake is said once; the entry is then not judged as a whole.
    if (problems_.size() > known_problems) return;
    if (kind.api_version.empty() || kind.kind.empty() || kind.pod_templates.empty()) {
      fail(at, "a workload-kinds entry needs apiVersion, kind and at least one path in pod-templates");
    }
    if (auto problem = check_custom_workload_kind(kind.declared())) fail(at, *problem);
    config.workload_kinds.push_back(std::move(kind));
  }

  const YamlTree& tree_;
  std::string path_;
  const Catalogue& catalogue_;
  const TargetSet& targets_;
  std::vector<ConfigProblem> problems_;
};

/// Every problem as `FILE:LINE:COL: message`, one per line, at most kMaxConfigProblems.
Error config_error(const std::string& path, const std::vector<ConfigProblem>& problems) {
  std::string message;
  const std::size_t shown = std::min(problems.size(), kMaxConfigProblems);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) message += '\n';
    message += fmt::format("{}:{}:{}: {}", path, problems[i].at.line, problems[i].at.column, problems[i].message);
  }
  if (problems.size() > shown) {
    message += fmt::format("\n{}: {} more mistakes not shown", path, problems.size() - shown);
  }
  return Error{std::move(message)};
}

}  // namespace

std::optional<fs::path> find_config(const fs::path& start) {
  std::error_code error;
  const fs::path first = fs::absolute(start, error).lexically_normal();
  if (error) return std::nullopt;
  // The search climbs to the repository root only: without one, above the starting folder
  // lie folders that others may write (a shared /tmp, a runner's work folder), and their
  // settings must not apply to this checkout.
  fs::path last = first;
  for (fs::path dir = first;; dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", error)) {
      last = dir;
      break;
    }
    if (dir == dir.parent_path() || !dir.has_relative_path()) break;
  }
  for (fs::path dir = first;; dir = dir.parent_path()) {
    const fs::path candidate = dir / kConfigFileName;
    if (fs::is_regular_file(candidate, error)) return candidate;
    if (dir == last || dir == dir.parent_path() || !dir.has_relative_path()) break;
  }
  return std::nullopt;
}

Result<Config> parse_config(std::string_view text, const std::string& path, const Catalogue& catalogue,
                            const TargetSet& targets) {
  auto documents = parse_yaml_documents(text, 1);
  std::vector<ParsedDocument*> content;
  for (auto& doc : documents) {
    // After a syntax error nothing further can be read: that error is the one to fix.
    if (doc.error) return config_error(path, {{doc.error->mark, doc.error->message}});
    if (!doc.empty) content.push_back(&doc);
  }
  if (content.empty()) {
    Config config;
    config.path = path;
    config.dir = fs::path(path).parent_path().generic_string();
    return config;
  }
  std::vector<ConfigProblem> problems;
  if (content.size() > 1) {
    problems.push_back({Mark{content[1]->start.line, 1}, "the configuration is one YAML document, not several"});
  }
  const ParsedDocument& doc = *content.front();
  for (const auto& dup : doc.duplicates) {
    problems.push_back({dup.repeat.begin, fmt::format("key \"{}\" is repeated (first at line {}); say it once", dup.key,
                                                      dup.first.line)});
  }
  ConfigReader reader(doc.tree, path, catalogue, targets);
  Config config = reader.read();
  for (auto& problem : reader.take_problems()) problems.push_back(std::move(problem));
  if (problems.empty()) return config;
  std::stable_sort(problems.begin(), problems.end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) { return a.at < b.at; });
  return config_error(path, problems);
}

Result<Config> load_config(const std::string& path, const Catalogue& catalogue, const TargetSet& targets) {
  const auto cannot_read = [&](int error) {
    return Error{fmt::format("cannot read the configuration {}: {}", path, std::strerror(error))};
  };
  const auto too_large = [&] {
    return Error{fmt::format("{}:1:1: the configuration file is larger than 1 MiB", path)};
  };
  // O_NONBLOCK: a FIFO in the file's place must not wait for a writer; it is refused below.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return cannot_read(errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    return cannot_read(error);
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return Error{fmt::format("cannot read the configuration {}: not a regular file", path)};
  }
  // The size first, and never more than the limit read: a huge file is refused at once.
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxConfigBytes) {
    ::close(fd);
    return too_large();
  }
  std::string text(kMaxConfigBytes + 1, '\0');
  std::size_t size = 0;
  while (size < text.size()) {
    const ssize_t got = ::read(fd, text.data() + size, text.size() - size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      return cannot_read(error);
    }
    if (got == 0) break;
    size += static_cast<std::size_t>(got);
  }
  ::close(fd);
  text.resize(size);
  if (text.size() > kMaxConfigBytes) return too_large();  // it grew since its size was read
  return parse_config(text, path, catalogue, targets);
}

std::optional<std::string> unknown_target(std::string_view name, const TargetSet& targets) {
  if (name == "all" || name == kAutoTarget || targets.find(name)) return std::nullopt;
  std::vector<std::string> known = {"all", std::string(kAutoTarget)};
  for (const Target& target : targets.all()) {
    known.push_back(target.name());
    known.insert(known.end(), target.aliases().begin(), target.aliases().end());
  }
  return fmt::format("unknown target '{}'{}", name, did_you_mean(name, known, " (see immutalint --list-targets)"));
}

std::optional<std::string> target_list_problem(const std::vector<std::string>& names) {
  if (names.size() < 2) return std::nullopt;
  for (const std::string_view alone : {std::string_view("all"), kAutoTarget}) {
    if (std::find(names.begin(), names.end(), alone) != names.end()) {
      return fmt::format("'{}' stands alone: it cannot be listed with other targets", alone);
    }
  }
  return std::nullopt;
}

std::optional<std::string> unknown_check(std::string_view id, const Catalogue& catalogue) {
  if (catalogue.resolve(id)) return std::nullopt;
  std::vector<std::string> known;
  for (const CheckInfo& check : catalogue.checks()) known.push_back(check.id);
  return fmt::format("unknown check id '{}'{}", id, did_you_mean(id, known, " (see immutalint --list-checks)"));
}

}  // namespace immutalint
