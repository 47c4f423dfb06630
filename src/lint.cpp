// The pipeline: parse -> objects -> pod spec -> evidence -> checks -> suppressions, per
// document on worker threads; then, once the whole input is known, a second phase for what
// depends on other documents, the verdict ladder, and one finding per cause. Findings are
// sorted at the end, which makes the output independent of scheduling. What one thread does
// with a document is in src/session_reading.cpp and src/session_judging.cpp (lint_session.hpp);
// this file makes the linter, runs the threads, and holds the whole-input phase and the finish.
#include "immutalint/lint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <numeric>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "checks/duplicate-object.hpp"
#include "immutalint/cause_folding.hpp"
#include "immutalint/cpus.hpp"
#include "immutalint/device_claims.hpp"
#include "immutalint/finding_store.hpp"
#include "immutalint/kube_object.hpp"
#include "immutalint/list_reassembly.hpp"
#include "immutalint/node_os.hpp"
#include "immutalint/pod_spec.hpp"
#include "immutalint/shared_causes.hpp"
#include "immutalint/spool.hpp"
#include "immutalint/suppression.hpp"
#include "job_queue.hpp"
#include "lint_session.hpp"

namespace immutalint {

void count_by_severity(LintResult& result) {
  result.summary.errors = result.summary.warnings = result.summary.notes = result.summary.suppressed = 0;
  result.findings.for_each([&](const Finding& finding) {
    if (finding.suppressed()) {
      ++result.summary.suppressed;
      return;
    }
    switch (finding.severity) {
      case Severity::Error: ++result.summary.errors; break;
      case Severity::Warning: ++result.summary.warnings; break;
      case Severity::Note: ++result.summary.notes; break;
    }
  });
}

void Summary::add(const Summary& other) {
  files += other.files;
  documents += other.documents;
  objects += other.objects;
  workloads += other.workloads;
  skipped += other.skipped;
  suppressed += other.suppressed;
  baselined += other.baselined;
  folded += other.folded;
  errors += other.errors;
  warnings += other.warnings;
  notes += other.notes;
}

Result<Linter> Linter::create(const Catalogue& catalogue, LintOptions options) {
  // Checks named by a former id are the checks they were renamed to.
  for (auto* list : {&options.only, &options.disabled}) {
    for (auto& id : *list) {
      const CheckInfo* info = catalogue.resolve(id);
      if (!info) return Error{fmt::format("unknown check id '{}' (see --list-checks)", id)};
      id = info->id;
    }
  }
  auto wanted = [&](std::string_view id) {
    if (std::find(options.disabled.begin(), options.disabled.end(), id) != options.disabled.end()) return false;
    return options.only.empty() || std::find(options.only.begin(), options.only.end(), id) != options.only.end();
  };
  for (const auto& kind : options.workload_kinds) {
    if (auto why = check_custom_workload_kind(kind)) return Error{fmt::format("workload kind {}", *why)};
  }
  if (options.targets.empty()) {
    const auto& builtin = TargetSet::builtin();
    if (!builtin) return builtin.error();
    const Target* fallback = builtin->find(kDefaultTarget);
    if (!fallback) return Error{fmt::format("the built-in target profiles have no `{}` profile", kDefaultTarget)};
    options.targets.push_back(fallback);
  }
  const auto& evidence = EvidenceCatalogue::builtin();
  if (!evidence) return evidence.error();
  const auto& components = ComponentCatalogue::builtin();
  if (!components) return components.error();
  Linter linter(catalogue, *evidence, options);
  linter.components_ = &*components;
  linter.known_components_ = wanted(check_id(CheckRole::DocumentedOutcome));
  for (const auto& factory : check_registry()) {
    const CheckInfo* info = catalogue.find(factory.id);
    if (!info) return Error{fmt::format("check '{}' has no entry in the catalogue", factory.id)};
    if (!factory.make || !wanted(factory.id)) continue;  // a stage makes the findings of the others
    // Parameters are read once, when the check is made, from a copy of its entry that records
    // what it reads: a missing or unused one is a catalogue error. The shared catalogue itself
    // is never written, so linters can be made on several threads.
    CheckInfo reading = *info;
    reading.params.forget_reads();
    auto check = factory.make(reading);
    if (auto missing = reading.params.missing(); !missing.empty()) {
      return Error{fmt::format("checks/{}.yaml: parameter `{}` is missing", info->id, missing.front())};
    }
    if (auto unread = reading.params.unread(); !unread.empty()) {
      return Error{fmt::format("checks/{}.yaml: parameter `{}` is not used by the check", info->id, unread.front())};
    }
    if (auto unknown = reading.params.unknown_facts(); !unknown.empty()) {
      return Error{
          fmt::format("checks/{}.yaml: `{}` is no fact of targets/vocabulary.yaml", info->id, unknown.front())};
    }
    linter.checks_.push_back({info, std::move(check), factory.role});
  }
  linter.duplicate_keys_ = wanted(check_id(CheckRole::DuplicateKey));
  if (wanted(check_id(CheckRole::NodePools))) {
    const auto& node_os = NodeOsRules::builtin();
    if (!node_os) return node_os.error();
    linter.node_pool_blocker_.emplace(*evidence, node_os->os_sku_label());
  }
  for (auto id : {check_id(CheckRole::UnusedWaiver), check_id(CheckRole::ReasonlessWaiver)}) {
    if (wanted(id)) linter.waiver_checks_.emplace_back(id);
  }
  return linter;
}

std::vector<std::string> Linter::enabled_checks() const {
  std::vector<std::string> ids{std::string(check_id(CheckRole::InvalidInput))};
  if (!disabled(options_, check_id(CheckRole::AnalysisIncomplete)))
    ids.emplace_back(check_id(CheckRole::AnalysisIncomplete));
  if (duplicate_keys_) ids.emplace_back(check_id(CheckRole::DuplicateKey));
  if (enabled_by(options_, check_id(CheckRole::DuplicateObject)))
    ids.emplace_back(check_id(CheckRole::DuplicateObject));
  if (node_pool_blocker_) ids.emplace_back(check_id(CheckRole::NodePools));
  if (known_components_) ids.emplace_back(check_id(CheckRole::DocumentedOutcome));
  ids.insert(ids.end(), waiver_checks_.begin(), waiver_checks_.end());
  for (const auto& enabled : checks_) ids.push_back(enabled.info->id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

Finding Linter::input_finding(std::string_view check, const std::string& file, Span span, std::string message) const {
  Finding finding;
  finding.check = std::string(check);
  finding.file = file;
  finding.span = span;
  finding.message = std::move(message);
  finding.severity = catalogue_->find(check)->severity;
  return finding;
}

Finding Linter::make_finding(const CheckInfo& info, Observation observation, const std::string& file,
                             const ObjectRef& object, const std::string& source,
                             std::span<const Target* const> targets) const {
  Finding finding;
  finding.check = info.id;
  finding.message = std::move(observation.message);
  finding.span = observation.span;
  finding.field = std::move(observation.field);
  finding.container = std::move(observation.container);
  finding.action = observation.action;
  finding.evidence = std::move(observation.evidence);
  finding.cause = observation.cause.empty() ? finding.field : std::move(observation.cause);
  finding.joined_causes = std::move(observation.joined_causes);
  finding.shared_cause = std::move(observation.shared_cause);
  if (observation.config_map) {
    // Reported where the script is, naming the workload that runs it.
    finding.file = observation.config_map->file;
    finding.object = observation.config_map->ref;
    finding.source = observation.config_map->source;
    finding.message += fmt::format(" (run by {})", object.describe());
  } else {
    finding.file = file;
    finding.object = object;
    finding.source = source;
  }
  if (info.targets_rule.empty()) {
    for (const Target* target : targets) {
      StaticVerdict row = info.static_verdict(*target);
      if (row.verdict != Verdict::Ready) {
        finding.targets.push_back(
            {target->name(), row.verdict, std::move(row.why), std::move(row.source), row.confidence, {}});
      }
    }
  } else {
    finding.targets = std::move(observation.targets);
  }
  apply_ladder(finding, info.kind);
  return finding;
}

void Linter::finish(std::vector<std::unique_ptr<Session>>& sessions, Spool& spool, LintResult& result) const {
  // Merge what the sessions saw, in session order; nothing below depends on that order.
  InputIndex index(spool);
  std::vector<Deferred*> deferred;
  std::vector<SpilledFinding> spilled;
  std::vector<std::uint64_t> controllers;
  std::vector<OwnedObject> owned;
  for (auto& session : sessions) {
    auto& part = session->result();
    controllers.insert(controllers.end(), session->controllers().begin(), session->controllers().end());
    owned.insert(owned.end(), session->owned().begin(), session->owned().end());
    session->controllers() = {};
    session->owned() = {};
    result.summary.add(part.summary);
    const std::size_t first_workload = result.workloads.size();
    std::move(part.workloads.begin(), part.workloads.end(), std::back_inserter(result.workloads));
    std::move(part.notices.begin(), part.notices.end(), std::back_inserter(result.notices));
    std::move(part.waivers.begin(), part.waivers.end(), std::back_inserter(result.waivers));
    std::move(part.node_pools.begin(), part.node_pools.end(), std::back_inserter(result.node_pools));
    index.merge(std::move(session->index()));
    for (auto& item : session->deferred()) {
      if (item.workload != Deferred::kNotListed) item.workload += first_workload;
      deferred.push_back(&item);
    }
    auto& findings = session->spilled();
    spilled.insert(spilled.end(), findings.begin(), findings.end());
    findings = {};
  }
  auto spill = [&](const Finding& finding) {
    spilled.push_back(SpilledFinding{fold_group(finding), 0, 0, spool.put(encode_finding(finding))});
  };

  // An object defined more than once: kubectl apply keeps the last definition, which the index
  // holds, and each earlier one is reported. The copies one file makes of another's objects (an
  // alternative install, a second render) are one cause: one finding per pair of files, at the
  // first replaced object, with the others as its evidence.
  if (enabled_by(options_, check_id(CheckRole::DuplicateObject)))
    checks::report_replaced_definitions(index, *catalogue_->find(check_id(CheckRole::DuplicateObject)), spill);

  // A cluster dump holds a Deployment, its ReplicaSets and their Pods: what is owned by a
  // controller in the input is reported once, on the controller.
  std::sort(controllers.begin(), controllers.end());
  std::vector<std::uint64_t> folded;
  for (const OwnedObject& object : owned) {
    if (!std::binary_search(controllers.begin(), controllers.end(), object.controller)) continue;
    folded.push_back(object.self);
    if (object.workload) --result.summary.workloads;
  }
  controllers = {};
  std::sort(folded.begin(), folded.end());
  folded.erase(std::unique(folded.begin(), folded.end()), folded.end());
  result.summary.folded = folded.size();
  const auto is_folded = [&](const ObjectRef& object) {
    return std::binary_search(folded.begin(), folded.end(),
                              ownership_key(object.api_version, object.kind, object.namespace_, object.name));
  };

  // Second phase: workloads that run a script from a ConfigMap, or mount one holding settings
  // the evidence catalogue reads, are checked again now that every ConfigMap is known; what
  // they give replaces their first pass. The others keep what the first pass found.
  std::set<std::pair<std::uint32_t, std::uint32_t>> replaced;  // (session, tag) of first passes replaced
  std::map<std::uint64_t, std::vector<Deferred*>> by_chunk;    // spool offset -> its workloads, in input order
  for (Deferred* item : deferred) {
    const auto& scripts_from = item->scripts_from;
    const bool needs_index = std::any_of(item->config_maps.begin(), item->config_maps.end(), [&](const auto& map) {
      const bool runs = std::binary_search(scripts_from.begin(), scripts_from.end(), map.second);
      return (runs && index.config_map_has_scripts(map.first, map.second)) ||
             index.config_map_has_config(map.first, map.second);
    });
    const bool claims_block =
        !item->device_claims.empty() &&
        std::any_of(options_.targets.begin(), options_.targets.end(), [&](const Target* target) {
          return device_claim_block(item->device_claims, item->pod_namespace, index, *target).has_value();
        });
    if (needs_index || claims_block) by_chunk[item->text.offset].push_back(item);
  }
  for (auto& [offset, items] : by_chunk) {
    const std::optional<std::string> text = spool.get(items.front()->text);
    if (!text) {
      // The temporary file failed under us: keep the first pass and say what was not done.
      spill(input_finding(check_id(CheckRole::InvalidInput), items.front()->display_path,
                          Span{{items.front()->first_line, 1}, {items.front()->first_line, 1}},
                          "this document could not be read back from the temporary file; its workloads were checked "
                          "without the ConfigMaps of other documents"));
      continue;
    }
    Session second(*this, spool, 0);
    std::vector<CheckedWorkload> checked = second.recheck(*text, items, index);
    auto& notices = second.result().notices;
    std::move(notices.begin(), notices.end(), std::back_inserter(result.notices));
    index.forget_read_back();
    for (std::size_t i = 0; i < items.size(); ++i) {
      replaced.emplace(items[i]->session, items[i]->tag);
      for (const auto& finding : checked[i].findings) spill(finding);
      if (checked[i].judged) items[i]->rechecked_landing = std::move(checked[i].landing);
    }
  }
  // Where a workload can be scheduled may have narrowed: its pods' landings, joined again.
  std::map<std::size_t, std::set<const Target*>> relisted;  // workload -> targets reached
  for (const Deferred* item : deferred) {
    if (item->workload != Deferred::kNotListed && item->rechecked_landing) relisted[item->workload];
  }
  for (const Deferred* item : deferred) {
    auto it = relisted.find(item->workload);
    if (it == relisted.end()) continue;
    const auto& landing = item->rechecked_landing ? *item->rechecked_landing : item->first_landing;
    it->second.insert(landing.begin(), landing.end());
    it->second.insert(item->settled_landing.begin(), item->settled_landing.end());
  }
  for (const auto& [workload, reached] : relisted) {
    auto& unreachable = result.workloads[workload].unreachable;
    unreachable.clear();
    for (const Target* target : options_.targets) {
      if (!reached.count(target)) unreachable.push_back(target->name());
    }
  }
  if (!folded.empty()) std::erase_if(result.workloads, [&](const WorkloadRef& w) { return is_folded(w.object); });

  // Last phase, one fold group at a time, so that only a group's findings are in memory: checks
  // whose verdicts depend on other documents revise their findings (a check may withdraw one),
  // findings on one cause fold into one, and what remains goes to the store in report order.
  // Findings on a cause that spans objects are held until every workload it affects is known.
  std::sort(spilled.begin(), spilled.end(), [](const SpilledFinding& a, const SpilledFinding& b) {
    return std::tie(a.group, a.ref.offset) < std::tie(b.group, b.ref.offset);
  });
  std::size_t unreadable = 0;
  std::vector<Finding> group;
  SharedCauses shared;  // causes that span objects are reported once the whole input is known
  for (std::size_t i = 0; i < spilled.size();) {
    group.clear();
    std::size_t j = i;
    for (; j < spilled.size() && spilled[j].group == spilled[i].group; ++j) {
      const SpilledFinding& item = spilled[j];
      if (item.deferred != 0 && replaced.count({item.session, item.deferred})) continue;
      auto bytes = spool.get(item.ref);
      auto finding = bytes ? decode_finding(*bytes) : std::nullopt;
      if (!finding) {
        ++unreadable;
        continue;
      }
      // An owned object defined twice is still defined twice.
      if (finding->object && !folded.empty() && finding->check != check_id(CheckRole::DuplicateObject) &&
          is_folded(*finding->object))
        continue;
      auto it = std::find_if(checks_.begin(), checks_.end(),
                             [&](const EnabledCheck& e) { return e.info->id == finding->check; });
      if (it != checks_.end()) {
        if (!it->check->revise(index, *finding)) continue;
        apply_ladder(*finding, it->info->kind);
      }
      group.push_back(std::move(*finding));
    }
    i = j;
    fold_causes(group, *catalogue_, options_.targets);
    for (auto& finding : group) {
      if (!shared.take(finding)) result.findings.add(finding);
    }
  }
  for (const auto& finding : shared.fold()) result.findings.add(finding);
  if (unreadable > 0) {
    result.findings.add(
        input_finding(check_id(CheckRole::InvalidInput), "-", Span{{1, 1}, {1, 1}},
                      fmt::format("{} findings could not be read back from the temporary file", unreadable)));
  }
  spilled = {};
  result.findings.seal();

  std::sort(result.workloads.begin(), result.workloads.end());
  std::sort(result.waivers.begin(), result.waivers.end(), [](const Waiver& a, const Waiver& b) {
    return std::tie(a.where.file, a.where.span.begin, a.checks) < std::tie(b.where.file, b.where.span.begin, b.checks);
  });
  std::vector<std::string> pools_read = result.node_pools;
  for (const SchedulingPool& pool : options_.pools) pools_read.push_back(pool.name);  // from Node objects too
  for (auto& notice : unknown_planned_pools(options_.pool_plans, pools_read))
    result.notices.push_back(std::move(notice));
  std::sort(result.notices.begin(), result.notices.end());
  result.notices.erase(std::unique(result.notices.begin(), result.notices.end()), result.notices.end());
  for (const Target* target : options_.targets) result.targets.push_back(target->name());
  result.pools = options_.pools;

  // Stage 5: what the authors and the configuration say about the findings.
  SuppressionSettings settings = options_.suppressions;
  settings.enabled = enabled_checks();
  if (settings.today.empty()) settings.today = today_utc();
  apply_suppressions(result, *catalogue_, settings);
}

LintResult Linter::lint(const InputSet& inputs) const {
  // More threads than documents in flight only cost memory; a few hundred is beyond any machine's
  // use here, and asking for 100,000 would fail to create them.
  constexpr unsigned kMaxJobs = 256;
  const unsigned jobs = std::min(options_.jobs > 0 ? options_.jobs : usable_cpus(), kMaxJobs);
  Spool spool;  // documents and ConfigMap entries kept for the second phase
  std::vector<std::unique_ptr<Session>> sessions;
  sessions.push_back(std::make_unique<Session>(*this, spool, 0));  // the reading thread's: files it cannot read
  Session& reader = *sessions.front();
  for (const auto& problem : inputs.problems) reader.file_problem(problem.display_path, problem.message, 1);

  // With one job everything happens on this thread; otherwise this thread reads and splits
  // while workers parse and check.
  struct Job {
    RawDocument document;
    std::size_t file = 0;
  };
  auto job_bytes = [](const Job& job) { return job.document.text.size(); };
  std::vector<std::thread> workers;
  std::optional<JobQueue<Job, decltype(job_bytes)>> queue;
  if (jobs > 1) {
    queue.emplace(std::max<std::size_t>(8u << 20, options_.split.read_block_bytes * 2), job_bytes);
    for (unsigned i = 0; i < jobs; ++i) {
      sessions.push_back(std::make_unique<Session>(*this, spool, static_cast<std::uint32_t>(sessions.size())));
      try {
        workers.emplace_back([&, session = sessions.back().get()] {
          while (auto job = queue->pop())
            session->process(job->document, job->file, inputs.files[job->file].display_path);
        });
      } catch (const std::system_error&) {
        // The system gives no more threads: work with those it gave, or on this one.
        sessions.pop_back();
        break;
      }
    }
    if (workers.empty()) queue.reset();
  }

  for (std::size_t index = 0; index < inputs.files.size(); ++index) {
    const InputFile& file = inputs.files[index];
    reader.count_file();
    const auto opened = open_input_file(file);
    if (!opened) {
      reader.file_problem(file.display_path, opened.error().message, 1);
      continue;
    }
    const int fd = *opened;
    const auto take = [&](RawDocument&& document) {
      if (queue) {
        queue->push(Job{std::move(document), index});
      } else {
        reader.process(document, index, file.display_path);
      }
    };
    const auto cannot_read_back = [&](std::uint32_t line, std::string message) {
      reader.file_problem(file.display_path, std::move(message), line);
    };
    auto problem = split_documents(fd, options_.split, [&](RawDocument&& document) {
      hand_over_document(std::move(document), options_.split, options_.parse, take, cannot_read_back);
    });
    if (!file.is_stdin()) ::close(fd);
    if (problem) reader.file_problem(file.display_path, problem->message, problem->line);
  }

  if (queue) queue->close();
  for (auto& worker : workers) worker.join();
  LintResult result;
  finish(sessions, spool, result);
  settle(result);
  return result;
}

void Linter::settle(LintResult& result) const {
  if (result.summary.objects == 0 && result.node_pools.empty()) {
    // Judged before the baseline, which may leave out what could not be read.
    bool invalid = false;
    const std::string_view invalid_input = check_id(CheckRole::InvalidInput);
    result.findings.for_each([&](const Finding& finding) { invalid = invalid || finding.check == invalid_input; });
    result.holds_nothing = !invalid;
  }
  if (!options_.helm_charts.empty()) {
    // Rendered charts are small: their findings are mapped onto the templates in memory.
    std::vector<Finding> findings = result.findings.all();
    result.template_refusals = map_findings_to_templates(findings, options_.helm_charts);
    FindingStore mapped;
    for (const auto& finding : findings) mapped.add(finding);
    mapped.seal();
    result.findings = std::move(mapped);
  }
  if (options_.baseline) {
    result.summary.baselined = apply_baseline(result.findings, *options_.baseline);
    count_by_severity(result);
  }
}

LintResult Linter::lint_text(std::string_view text, const std::string& display_path) const {
  Spool spool;
  std::vector<std::unique_ptr<Session>> sessions;
  sessions.push_back(std::make_unique<Session>(*this, spool, 0));
  Session& session = *sessions.front();
  session.count_file();
  const auto take = [&](RawDocument&& document) { session.process(document, 0, display_path); };
  const auto cannot_read_back = [&](std::uint32_t line, std::string message) {
    session.file_problem(display_path, std::move(message), line);
  };
  auto problem = split_documents(text, options_.split, [&](RawDocument&& document) {
    hand_over_document(std::move(document), options_.split, options_.parse, take, cannot_read_back);
  });
  if (problem) session.file_problem(display_path, problem->message, problem->line);
  LintResult result;
  finish(sessions, spool, result);
  settle(result);
  return result;
}

}  // namespace immutalint
