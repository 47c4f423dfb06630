// The pipeline, per document: parse -> objects -> pod spec -> checks -> suppressions.
// Documents are independent, so workers take them from a bounded queue; findings are sorted
// at the end, which makes the output independent of scheduling.
#include "immutalint/lint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>

#include "immutalint/kube_object.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/suppression.hpp"

namespace immutalint {

void Summary::add(const Summary& other) {
  files += other.files;
  documents += other.documents;
  objects += other.objects;
  workloads += other.workloads;
  skipped += other.skipped;
  suppressed += other.suppressed;
  errors += other.errors;
  warnings += other.warnings;
  notes += other.notes;
}

Result<Linter> Linter::create(const Catalogue& catalogue, LintOptions options) {
  for (const auto* list : {&options.only, &options.disabled}) {
    for (const auto& id : *list) {
      if (!catalogue.find(id)) return Error{fmt::format("unknown check id '{}' (see --list-checks)", id)};
    }
  }
  auto wanted = [&](std::string_view id) {
    if (std::find(options.disabled.begin(), options.disabled.end(), id) != options.disabled.end()) return false;
    return options.only.empty() || std::find(options.only.begin(), options.only.end(), id) != options.only.end();
  };
  if (options.targets.empty()) {
    const auto& builtin = TargetSet::builtin();
    if (!builtin) return builtin.error();
    const Target* generic = builtin->find("generic");
    if (!generic) return Error{"the built-in target profiles have no `generic` profile"};
    options.targets.push_back(generic);
  }
  Linter linter(catalogue, options);
  for (const auto& factory : check_registry()) {
    const CheckInfo* info = catalogue.find(factory.id);
    if (!info) return Error{fmt::format("check '{}' has no entry in the catalogue", factory.id)};
    if (wanted(factory.id)) linter.checks_.push_back({info, factory.make(*info)});
  }
  linter.duplicate_keys_ = wanted(kDuplicateKeyCheck);
  for (auto id : {kInvalidInputCheck, kDuplicateKeyCheck}) {
    if (!catalogue.find(id)) return Error{fmt::format("check '{}' has no entry in the catalogue", id)};
  }
  return linter;
}

std::vector<std::string> Linter::enabled_checks() const {
  std::vector<std::string> ids{std::string(kInvalidInputCheck)};
  if (duplicate_keys_) ids.emplace_back(kDuplicateKeyCheck);
  for (const auto& enabled : checks_) ids.push_back(enabled.info->id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

namespace {

// The pod through which ConfigMap scripts are checked; the script becomes its `args`.
constexpr std::string_view kScriptPodHeader =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: script}\nspec:\n  containers:\n  - name: script\n"
    "    command: [/bin/sh, -c]\n    args:\n    - |-\n";
constexpr std::uint32_t kScriptPodHeaderLines = 9;

/// Cheap filter before a ConfigMap value is scanned as a script: it names, as a word, a tool
/// that reaches into the host. One RE2 pass; most ConfigMap data (dashboards, rules) fails it.
bool looks_like_host_script(std::string_view text) {
  static const re2::RE2 kHostTools(
      R"(\b(nsenter|chroot|apt|apt-get|yum|dnf|tdnf|zypper|rpm|dpkg|apk|systemctl|modprobe|insmod|reboot|shutdown|telinit)\b)");
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), kHostTools);
}

/// A finding in a ConfigMap script, reported only if a workload of the input mounts it.
struct ScriptFinding {
  std::string namespace_;
  std::string config_map;
  Finding finding;
};

/// Workloads that mount a ConfigMap, by ConfigMap name: (namespace, "Kind namespace/name").
using ConfigMapUsers = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

/// Keeps the ConfigMap script findings whose ConfigMap a workload of the input mounts (in the
/// same namespace, or where either leaves it unset), naming those workloads.
void apply_config_map_mounts(LintResult& result, std::vector<ScriptFinding>& pending, const ConfigMapUsers& users) {
  for (auto& script : pending) {
    auto it = users.find(script.config_map);
    if (it == users.end()) continue;
    std::vector<std::string> names;
    for (const auto& [ns, workload] : it->second) {
      const bool same = ns == script.namespace_ || ns.empty() || script.namespace_.empty();
      if (same && std::find(names.begin(), names.end(), workload) == names.end()) names.push_back(workload);
    }
    if (names.empty()) continue;
    std::sort(names.begin(), names.end());  // workers add users in any order
    script.finding.message += fmt::format(" (ConfigMap {} is mounted by {})", script.config_map, fmt::join(names, ", "));
    result.findings.push_back(std::move(script.finding));
  }
  pending.clear();
}

}  // namespace

/// The work of one lint run on one thread: turns documents into findings and counts.
class Linter::Session {
 public:
  explicit Session(const Linter& linter) : linter_(linter) {}

  LintResult& result() { return result_; }

  void count_file() { ++result_.summary.files; }

  /// A problem with a whole file or path (unreadable, not text).
  void file_problem(const std::string& file, std::string message, std::uint32_t line) {
    Finding finding = make(kInvalidInputCheck, file, Span{{line, 1}, {line, 1}}, std::move(message));
    add(std::move(finding));
  }

  void process(const RawDocument& raw, const std::string& file) {
    if (raw.skipped_bytes > 0) {
      file_problem(file,
                   fmt::format("document is {} bytes, more than the {} MiB limit; it was not linted",
                               raw.skipped_bytes, linter_.options_.split.max_document_bytes >> 20),
                   raw.first_line);
      return;
    }
    const std::string source = helm_source_of(raw.text);
    for (ParsedDocument& doc : parse_yaml_documents(raw.text, raw.first_line, linter_.options_.parse)) {
      if (doc.empty && !doc.error) continue;
      ++result_.summary.documents;
      if (doc.error) {
        Finding finding = make(kInvalidInputCheck, file, Span{doc.error->mark, doc.error->mark}, doc.error->message);
        finding.source = source;
        add(std::move(finding));
        continue;
      }
      process_document(doc, file, source);
    }
  }

 private:
  /// A finding of a check that judges every target from its catalogue table.
  Finding make(std::string_view check, const std::string& file, Span span, std::string message) const {
    Finding finding = make_unjudged(check, file, span, std::move(message));
    const CheckInfo& info = *linter_.catalogue_->find(check);
    for (const Target* target : linter_.options_.targets) {
      StaticVerdict verdict = info.static_verdict(*target);
      if (verdict.verdict != Verdict::Ready) finding.targets.push_back({target->name(), verdict.verdict, std::move(verdict.why)});
    }
    set_severity(finding, info);
    return finding;
  }

  /// A finding without verdicts, for checks that judge each target themselves.
  static Finding make_unjudged(std::string_view check, const std::string& file, Span span, std::string message) {
    Finding finding;
    finding.check = std::string(check);
    finding.file = file;
    finding.span = span;
    finding.message = std::move(message);
    return finding;
  }

  /// The worst verdict over the selected targets sets the severity.
  static void set_severity(Finding& finding, const CheckInfo& info) {
    if (finding.targets.empty()) {
      finding.severity = info.severity;
      return;
    }
    Verdict worst = Verdict::Ready;
    for (const auto& target : finding.targets) worst = std::max(worst, target.verdict);
    finding.severity = severity_of(worst);
  }

  void add(Finding finding) { result_.findings.push_back(std::move(finding)); }

  /// Adds a finding about `object` unless its annotations accept the check.
  void add_for_object(const YamlTree& tree, const KubeObject* object, Finding finding) {
    if (object) {
      if (is_suppressed(tree, *object, finding.check)) {
        ++result_.summary.suppressed;
        return;
      }
      finding.object = object->ref;
    }
    add(std::move(finding));
  }

  /// The object of the document that holds a document-relative pointer (List items are
  /// objects of their own), and the pointer made relative to it.
  std::pair<const KubeObject*, std::string> owner_of(const DocumentObjects& objects, const std::string& pointer) const {
    const KubeObject* best = nullptr;
    for (const auto& object : objects.objects) {
      const auto& prefix = object.pointer;
      const bool inside = pointer.starts_with(prefix) && (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
      if (inside && (!best || prefix.size() > best->pointer.size())) best = &object;
    }
    return {best, best ? pointer.substr(best->pointer.size()) : pointer};
  }

  void process_document(const ParsedDocument& doc, const std::string& file, const std::string& source) {
    const YamlTree& tree = doc.tree;
    const DocumentObjects objects = find_objects(tree);
    if (!objects.kubernetes) return;  // some other YAML: a CI workflow, Helm values, ...

    for (const auto& problem : objects.problems) {
      auto [owner, field] = owner_of(objects, problem.pointer);
      Finding finding = make(kInvalidInputCheck, file, problem.span, problem.message);
      finding.field = field;
      finding.source = source;
      add_for_object(tree, owner, std::move(finding));
    }
    if (linter_.duplicate_keys_) {
      for (const auto& dup : doc.duplicates) {
        auto [owner, field] = owner_of(objects, dup.pointer);
        Finding finding = make(kDuplicateKeyCheck, file, dup.repeat,
                               fmt::format("key \"{}\" is repeated (first at line {}); Kubernetes keeps only this "
                                           "last value",
                                           dup.key, dup.first.line));
        finding.field = field;
        finding.source = source;
        add_for_object(tree, owner, std::move(finding));
      }
    }

    for (const auto& object : objects.objects) {
      ++result_.summary.objects;
      note_namespace(tree, object);
      scan_config_map(tree, object, file, source);
      Workload workload = read_workload(tree, object);
      for (const auto& problem : workload.problems) {
        Finding finding = make(kInvalidInputCheck, file, problem.span, problem.message);
        finding.field = problem.pointer;
        finding.source = source;
        add_for_object(tree, &object, std::move(finding));
      }
      if (!workload.pod) continue;
      if (runs_only_on_windows(tree, *workload.pod)) {
        ++result_.summary.skipped;
        continue;
      }
      ++result_.summary.workloads;
      result_.workloads.push_back({file, object.kind_span.begin.line, object.ref});
      note_config_map_mounts(tree, object, *workload.pod);
      for (auto& finding : run_checks(CheckContext{tree, object, *workload.pod, linter_.options_.targets}, file)) {
        finding.source = source;
        add_for_object(tree, &object, std::move(finding));
      }
    }
  }

  /// Runs every enabled check on one workload; findings carry their verdicts and severity.
  std::vector<Finding> run_checks(const CheckContext& context, const std::string& file) const {
    std::vector<Finding> findings;
    std::vector<Observation> observations;
    for (const auto& enabled : linter_.checks_) {
      observations.clear();
      enabled.check->inspect(context, observations);
      for (auto& observation : observations) {
        Finding finding;
        if (enabled.check->judges_targets()) {
          finding = make_unjudged(enabled.info->id, file, observation.span, std::move(observation.message));
          finding.targets = std::move(observation.verdicts);
          set_severity(finding, *enabled.info);
        } else {
          finding = make(enabled.info->id, file, observation.span, std::move(observation.message));
        }
        if (finding.targets.empty()) continue;  // ready on every selected target
        finding.field = std::move(observation.field);
        finding.container = std::move(observation.container);
        findings.push_back(std::move(finding));
      }
    }
    return findings;
  }

  /// Remembers which ConfigMaps a workload mounts, so that scripts found in them are reported.
  void note_config_map_mounts(const YamlTree& tree, const KubeObject& object, const PodSpecView& pod) {
    for (const auto& volume : pod.volumes) {
      auto name = tree.scalar(tree.get(tree.get(volume.node, "configMap"), "name"));
      if (!name || uses_of_volume(pod, volume.name).empty()) continue;
      config_map_users_[std::string(*name)].push_back({object.ref.namespace_, describe_object(object.ref)});
    }
  }

  /// Scripts in a ConfigMap's data are scanned like container commands: through a pod that
  /// runs them, so that the same checks and patterns apply. Findings wait for the end of the
  /// run, when it is known whether a workload mounts the ConfigMap.
  void scan_config_map(const YamlTree& tree, const KubeObject& object, const std::string& file,
                       const std::string& source) {
    if (object.ref.kind != "ConfigMap" || !api_group(object.ref.api_version).empty()) return;
    for (const auto& entry : tree.entries(tree.get(object.root, "data"))) {
      auto text = tree.scalar(entry.value);
      if (!text || !looks_like_host_script(*text)) continue;
      std::string pod = std::string(kScriptPodHeader);
      std::size_t start = 0;
      while (start < text->size()) {
        const auto end = text->find('\n', start);
        pod += "        ";
        pod.append(text->substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        pod += '\n';
        if (end == std::string_view::npos) break;
        start = end + 1;
      }
      auto documents = parse_yaml_documents(pod, 1, linter_.options_.parse);
      if (documents.size() != 1 || documents[0].error) continue;
      const YamlTree& script_tree = documents[0].tree;
      const DocumentObjects script_objects = find_objects(script_tree);
      if (script_objects.objects.size() != 1) continue;
      const Workload script_pod = read_workload(script_tree, script_objects.objects[0]);
      if (!script_pod.pod) continue;
      const YamlNode& value = tree.node(entry.value);
      for (auto& finding : run_checks(CheckContext{script_tree, script_objects.objects[0], *script_pod.pod,
                                                   linter_.options_.targets},
                                      file)) {
        // Back from the synthetic pod to the script's own line in the ConfigMap.
        const std::uint32_t script_line = finding.span.begin.line > kScriptPodHeaderLines
                                              ? finding.span.begin.line - kScriptPodHeaderLines
                                              : 1;
        const std::uint32_t line = value.style == ScalarStyle::Block ? value.span.begin.line + script_line
                                                                     : value.span.begin.line;
        finding.span = Span{{line, 1}, {line, 1}};
        if (value.style != ScalarStyle::Block) finding.span = tree.span_of(entry);
        finding.field = "/data/" + json_pointer_token(entry.key);
        finding.container.clear();
        const std::string synthetic = "container \"script\"";
        if (auto at = finding.message.find(synthetic); at != std::string::npos) {
          finding.message.replace(at, synthetic.size(), fmt::format("the script \"{}\"", entry.key));
        }
        finding.source = source;
        finding.object = object.ref;
        if (is_suppressed(tree, object, finding.check)) {
          ++result_.summary.suppressed;
          continue;
        }
        script_findings_.push_back({object.ref.namespace_, object.ref.name, std::move(finding)});
      }
    }
  }

 public:
  std::vector<ScriptFinding>& script_findings() { return script_findings_; }
  ConfigMapUsers& config_map_users() { return config_map_users_; }

 private:
  std::vector<ScriptFinding> script_findings_;
  ConfigMapUsers config_map_users_;

  /// Records whether a Namespace allows privileged pods (Pod Security enforce label).
  void note_namespace(const YamlTree& tree, const KubeObject& object) {
    if (object.ref.kind != "Namespace" || object.ref.name.empty()) return;
    const NodeId labels = tree.get(tree.get(object.root, "metadata"), "labels");
    auto level = tree.scalar(tree.get(labels, "pod-security.kubernetes.io/enforce"));
    namespaces_[object.ref.name] = level && *level == "privileged";
  }

 public:
  /// Namespaces seen in the input, and whether each allows privileged pods.
  std::map<std::string, bool>& namespaces() { return namespaces_; }

 private:
  const Linter& linter_;
  LintResult result_;
  std::map<std::string, bool> namespaces_;
};

namespace {

/// A document on its way to a worker.
struct Job {
  RawDocument document;
  std::size_t file = 0;  // index into the input list
};

/// A queue that blocks its producer while it holds more than `capacity` bytes, so memory stays
/// bounded however large the input is.
class JobQueue {
 public:
  explicit JobQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(Job job) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return jobs_.empty() || bytes_ < capacity_; });
    bytes_ += job.document.text.size();
    jobs_.push_back(std::move(job));
    not_empty_.notify_one();
  }

  /// The next job, or nullopt once the queue is closed and drained.
  std::optional<Job> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !jobs_.empty() || closed_; });
    if (jobs_.empty()) return std::nullopt;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    bytes_ -= job.document.text.size();
    not_full_.notify_one();
    return job;
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Job> jobs_;
  std::size_t bytes_ = 0;
  std::size_t capacity_;
  bool closed_ = false;
};

/// Opens a file for reading; standard input is fd 0.
int open_input(const InputFile& file) {
  if (file.is_stdin()) return STDIN_FILENO;
  return ::open(file.fs_path.c_str(), O_RDONLY | O_CLOEXEC);
}

constexpr std::string_view kPodSecurityCheck = "talos-pod-security";

/// Pod Security findings depend on the Namespace manifests of the whole input: a namespace
/// labelled privileged accepts the pod; one present without the label certainly refuses it.
void apply_namespace_labels(LintResult& result, const std::map<std::string, bool>& namespaces) {
  std::erase_if(result.findings, [&](Finding& finding) {
    if (finding.check != kPodSecurityCheck || !finding.object) return false;
    const std::string ns = finding.object->namespace_.empty() ? "default" : finding.object->namespace_;
    auto it = namespaces.find(ns);
    if (it == namespaces.end()) return false;
    if (it->second) return true;
    for (auto& target : finding.targets) {
      target.verdict = Verdict::Breaks;
      target.why += fmt::format("; the Namespace \"{}\" in this input has no privileged enforce label", ns);
    }
    finding.severity = Severity::Error;
    return false;
  });
}

/// Puts findings and workloads in report order, counts severities and names the targets judged.
void finish(LintResult& result, const std::vector<const Target*>& targets) {
  result.summary.errors = result.summary.warnings = result.summary.notes = 0;
  for (const auto& finding : result.findings) {
    switch (finding.severity) {
      case Severity::Error: ++result.summary.errors; break;
      case Severity::Warning: ++result.summary.warnings; break;
      case Severity::Note: ++result.summary.notes; break;
    }
  }
  std::sort(result.findings.begin(), result.findings.end(), report_order);
  std::sort(result.workloads.begin(), result.workloads.end());
  for (const Target* target : targets) result.targets.push_back(target->name());
}

}  // namespace

LintResult Linter::lint(const InputSet& inputs) const {
  const unsigned jobs = options_.jobs > 0 ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
  Session reader(*this);  // the reading thread's own findings: files it cannot read
  for (const auto& problem : inputs.problems) reader.file_problem(problem.display_path, problem.message, 1);

  // With one job everything happens on this thread; otherwise this thread reads and splits
  // while workers parse and check.
  std::vector<std::unique_ptr<Session>> sessions;
  std::vector<std::thread> workers;
  std::optional<JobQueue> queue;
  if (jobs > 1) {
    queue.emplace(std::max<std::size_t>(8u << 20, options_.split.read_block_bytes * 2));
    for (unsigned i = 0; i < jobs; ++i) {
      sessions.push_back(std::make_unique<Session>(*this));
      workers.emplace_back([&, session = sessions.back().get()] {
        while (auto job = queue->pop()) session->process(job->document, inputs.files[job->file].display_path);
      });
    }
  }

  for (std::size_t index = 0; index < inputs.files.size(); ++index) {
    const InputFile& file = inputs.files[index];
    reader.count_file();
    const int fd = open_input(file);
    if (fd < 0) {
      reader.file_problem(file.display_path, fmt::format("cannot open: {}", std::strerror(errno)), 1);
      continue;
    }
    auto problem = split_documents(fd, options_.split, [&](RawDocument&& document) {
      if (queue) {
        queue->push(Job{std::move(document), index});
      } else {
        reader.process(document, file.display_path);
      }
    });
    if (!file.is_stdin()) ::close(fd);
    if (problem) reader.file_problem(file.display_path, problem->message, problem->line);
  }

  if (queue) queue->close();
  for (auto& worker : workers) worker.join();
  LintResult result = std::move(reader.result());
  for (auto& session : sessions) {
    auto& part = session->result();
    result.summary.add(part.summary);
    std::move(part.findings.begin(), part.findings.end(), std::back_inserter(result.findings));
  }
  std::map<std::string, bool> namespaces = std::move(reader.namespaces());
  std::vector<ScriptFinding> scripts = std::move(reader.script_findings());
  ConfigMapUsers users = std::move(reader.config_map_users());
  for (auto& session : sessions) {
    auto& part = session->result().workloads;
    std::move(part.begin(), part.end(), std::back_inserter(result.workloads));
    namespaces.merge(session->namespaces());
    std::move(session->script_findings().begin(), session->script_findings().end(), std::back_inserter(scripts));
    for (auto& [name, list] : session->config_map_users()) {
      auto& into = users[name];
      into.insert(into.end(), list.begin(), list.end());
    }
  }
  apply_config_map_mounts(result, scripts, users);
  apply_namespace_labels(result, namespaces);
  finish(result, options_.targets);
  return result;
}

LintResult Linter::lint_text(std::string_view text, const std::string& display_path) const {
  Session session(*this);
  session.count_file();
  auto problem = split_documents(text, options_.split, [&](RawDocument&& document) { session.process(document, display_path); });
  if (problem) session.file_problem(display_path, problem->message, problem->line);
  LintResult result = std::move(session.result());
  apply_config_map_mounts(result, session.script_findings(), session.config_map_users());
  apply_namespace_labels(result, session.namespaces());
  finish(result, options_.targets);
  return result;
}

}  // namespace immutalint
