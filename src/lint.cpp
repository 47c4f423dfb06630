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
#include <mutex>
#include <thread>

#include <fmt/format.h>

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

std::size_t Summary::count(Severity severity) const {
  switch (severity) {
    case Severity::Error: return errors;
    case Severity::Warning: return warnings;
    case Severity::Note: return notes;
  }
  return 0;
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
  Linter linter(catalogue, options);
  for (const auto& factory : check_registry()) {
    const CheckInfo* info = catalogue.find(factory.id);
    if (!info) return Error{fmt::format("check '{}' has no entry in the catalogue", factory.id)};
    if (wanted(factory.id)) linter.checks_.push_back({info, factory.make()});
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
  Finding make(std::string_view check, const std::string& file, Span span, std::string message) const {
    Finding finding;
    finding.check = std::string(check);
    finding.severity = linter_.catalogue_->find(check)->severity;
    finding.file = file;
    finding.span = span;
    finding.message = std::move(message);
    return finding;
  }

  void add(Finding finding) {
    switch (finding.severity) {
      case Severity::Error: ++result_.summary.errors; break;
      case Severity::Warning: ++result_.summary.warnings; break;
      case Severity::Note: ++result_.summary.notes; break;
    }
    result_.findings.push_back(std::move(finding));
  }

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

    std::vector<Observation> observations;
    for (const auto& object : objects.objects) {
      ++result_.summary.objects;
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
      const CheckContext context{tree, object, *workload.pod};
      for (const auto& enabled : linter_.checks_) {
        observations.clear();
        enabled.check->inspect(context, observations);
        for (auto& observation : observations) {
          Finding finding = make(enabled.info->id, file, observation.span, std::move(observation.message));
          finding.field = std::move(observation.field);
          finding.container = std::move(observation.container);
          finding.source = source;
          add_for_object(tree, &object, std::move(finding));
        }
      }
    }
  }

  const Linter& linter_;
  LintResult result_;
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

void sort_findings(LintResult& result) { std::sort(result.findings.begin(), result.findings.end(), report_order); }

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
  sort_findings(result);
  return result;
}

LintResult Linter::lint_text(std::string_view text, const std::string& display_path) const {
  Session session(*this);
  session.count_file();
  auto problem = split_documents(text, options_.split, [&](RawDocument&& document) { session.process(document, display_path); });
  if (problem) session.file_problem(display_path, problem->message, problem->line);
  LintResult result = std::move(session.result());
  sort_findings(result);
  return result;
}

}  // namespace immutalint
