// Reads `.immutalint.yaml`: every key is checked, and every problem names its line and column.
#include "immutalint/config.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <unordered_set>

#include <fmt/format.h>
#include <re2/re2.h>

#include "immutalint/check.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxConfigBytes = 1u << 20;

/// Thrown inside the reader only; load_config turns it into an Error.
struct ConfigProblem {
  std::string message;
};

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
    if (!tree_.is_mapping(root)) fail(tree_.node(root).span.begin, "the configuration must be a mapping of settings");
    for (const MapEntry& entry : tree_.entries(root)) {
      const std::string& key = entry.key;
      if (key == "targets") {
        config.targets = Setting<std::string>{read_targets(entry), origin(entry)};
      } else if (key == "fail-on") {
        config.fail_on = Setting<std::string>{one_of(entry, {"error", "warning", "note", "never"}), origin(entry)};
      } else if (key == "format") {
        config.format = Setting<std::string>{
            one_of(entry, {"text", "json", "sarif", "github", "matrix", "matrix-markdown", "html"}), origin(entry)};
      } else if (key == "inline-ignores") {
        config.inline_ignores = Setting<bool>{boolean(entry), origin(entry)};
      } else if (key == "discover-pod-templates") {
        config.discover_pod_templates = Setting<bool>{boolean(entry), origin(entry)};
      } else if (key == "checks") {
        read_checks(entry, config);
      } else if (key == "exclude") {
        for (const auto& [glob, at] : strings(entry, false)) config.exclude.push_back({glob, origin(at)});
      } else if (key == "ignores") {
        read_ignores(entry, config);
      } else if (key == "workload-kinds") {
        read_workload_kinds(entry, config);
      } else {
        fail(entry.key_span.begin,
             fmt::format("unknown key `{}`; the keys are targets, fail-on, format, inline-ignores, "
                         "discover-pod-templates, checks, exclude, ignores and workload-kinds",
                         key));
      }
    }
    return config;
  }

 private:
  [[noreturn]] void fail(Mark at, std::string message) const {
    throw ConfigProblem{fmt::format("{}:{}:{}: {}", path_, at.line, at.column, message)};
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
    std::string value = text(entry);
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      fail(value_mark(entry),
           fmt::format("`{}` must be one of {}, not \"{}\"", entry.key, fmt::join(allowed, ", "), value));
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

  /// A string or a list of strings, each with where it was written.
  std::vector<std::pair<std::string, Mark>> strings(const MapEntry& entry, bool scalar_allowed) const {
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
      auto value = tree_.scalar(item);
      if (!value || tree_.is_null(item) || value->empty()) {
        fail(tree_.node(item).span.begin, fmt::format("every item of `{}` must be a non-empty string", entry.key));
      }
      found.emplace_back(std::string(*value), tree_.node(item).span.begin);
    }
    return found;
  }

  std::string read_targets(const MapEntry& entry) const {
    std::vector<std::string> names;
    for (const auto& [name, at] : strings(entry, true)) names.push_back(name);
    std::string spec = fmt::format("{}", fmt::join(names, ","));
    if (spec == kAutoTarget) return spec;
    if (auto selected = targets_.select(spec); !selected) fail(value_mark(entry), selected.error().message);
    return spec;
  }

  /// A check id the catalogue knows, by its current id.
  std::string check_id(std::string_view id, Mark at) const {
    const CheckInfo* info = catalogue_.resolve(id);
    if (!info) fail(at, fmt::format("unknown check id '{}' (see immutalint --list-checks)", id));
    return info->id;
  }

  void read_checks(const MapEntry& entry, Config& config) const {
    if (!tree_.is_mapping(entry.value)) {
      fail(value_mark(entry), "`checks` must be a mapping of check ids to off, on, note, warning or error");
    }
    for (const MapEntry& check : tree_.entries(entry.value)) {
      const std::string id = check_id(check.key, check.key_span.begin);
      const std::string value = one_of(check, {"off", "on", "note", "warning", "error"});
      if (id == kInvalidInputCheck && value == "off") {
        fail(value_mark(check), "invalid-input cannot be turned off: broken input is always reported");
      }
      config.checks.push_back({id, value, origin(check)});
    }
  }

  void read_ignores(const MapEntry& entry, Config& config) const {
    if (!tree_.is_sequence(entry.value)) fail(value_mark(entry), "`ignores` must be a list of waivers");
    for (NodeId item : distinct_items(entry.value)) {
      const Mark at = tree_.node(item).span.begin;
      if (!tree_.is_mapping(item)) fail(at, "each entry of `ignores` must be a mapping");
      Waiver waiver;
      waiver.channel = SuppressionChannel::Config;
      waiver.where = Place{path_, tree_.node(item).span, {}};
      for (const MapEntry& field : tree_.entries(item)) {
        const std::string& key = field.key;
        if (key == "check") {
          for (const auto& [id, mark] : strings(field, true)) waiver.checks.push_back(check_id(id, mark));
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
          fail(field.key_span.begin,
               fmt::format("unknown key `{}` in an ignores entry; the keys are check, reason, files, kind, namespace, "
                           "name, container and until",
                           key));
        }
      }
      if (waiver.checks.empty()) fail(at, "an ignores entry needs `check`: the check id, or a list of them");
      if (waiver.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        fail(at, "an ignores entry needs `reason`: why the finding is accepted");
      }
      config.ignores.push_back(std::move(waiver));
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

  void read_workload_kinds(const MapEntry& entry, Config& config) const {
    if (!tree_.is_sequence(entry.value)) fail(value_mark(entry), "`workload-kinds` must be a list");
    for (NodeId item : distinct_items(entry.value)) {
      const Mark at = tree_.node(item).span.begin;
      if (!tree_.is_mapping(item)) fail(at, "each entry of `workload-kinds` must be a mapping");
      ConfiguredWorkloadKind kind;
      kind.origin = origin(at);
      for (const MapEntry& field : tree_.entries(item)) {
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
      }
      if (kind.api_version.empty() || kind.kind.empty() || kind.pod_templates.empty()) {
        fail(at, "a workload-kinds entry needs apiVersion, kind and at least one path in pod-templates");
      }
      if (auto problem = check_custom_workload_kind(kind.declared())) fail(at, *problem);
      config.workload_kinds.push_back(std::move(kind));
    }
  }

  const YamlTree& tree_;
  std::string path_;
  const Catalogue& catalogue_;
  const TargetSet& targets_;
};

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
    if (doc.error) {
      return Error{fmt::format("{}:{}:{}: {}", path, doc.error->mark.line, doc.error->mark.column, doc.error->message)};
    }
    if (!doc.empty) content.push_back(&doc);
  }
  if (content.size() > 1) {
    return Error{
        fmt::format("{}:{}:1: the configuration is one YAML document, not several", path, content[1]->start.line)};
  }
  if (content.empty()) {
    Config config;
    config.path = path;
    config.dir = fs::path(path).parent_path().generic_string();
    return config;
  }
  const ParsedDocument& doc = *content.front();
  if (!doc.duplicates.empty()) {
    const auto& dup = doc.duplicates.front();
    return Error{fmt::format("{}:{}:{}: key \"{}\" is repeated (first at line {}); say it once", path,
                             dup.repeat.begin.line, dup.repeat.begin.column, dup.key, dup.first.line)};
  }
  try {
    return ConfigReader(doc.tree, path, catalogue, targets).read();
  } catch (const ConfigProblem& problem) {
    return Error{problem.message};
  }
}

Result<Config> load_config(const std::string& path, const Catalogue& catalogue, const TargetSet& targets) {
  std::error_code error;
  if (!fs::is_regular_file(path, error))
    return Error{fmt::format("{}: the configuration file does not exist or is not a file", path)};
  const auto too_large = [&] {
    return Error{fmt::format("{}:1:1: the configuration file is larger than 1 MiB", path)};
  };
  // The size first, and never more than the limit read: a huge file is refused at once.
  if (const auto size = fs::file_size(path, error); !error && size > kMaxConfigBytes) return too_large();
  std::ifstream in(path, std::ios::binary);
  std::string text(kMaxConfigBytes + 1, '\0');
  if (in) in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad() || (!in && !in.eof())) return Error{fmt::format("{}: the configuration file cannot be read", path)};
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) return too_large();  // it grew since its size was read
  return parse_config(text, path, catalogue, targets);
}

}  // namespace immutalint
