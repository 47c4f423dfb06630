// Node pools from Node objects and AKS pool descriptions, and where a pod can be scheduled among them.
#include "immutalint/scheduling_pools.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "immutalint/ascii.hpp"
#include "immutalint/document_split.hpp"
#include "immutalint/yaml_parse.hpp"

namespace immutalint {

namespace {

/// "key=value:Effect" or "key:Effect", as az and kubectl write taints.
Taint parse_taint(std::string_view text) {
  Taint taint;
  const auto colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    taint.effect = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
  }
  const auto equals = text.find('=');
  taint.key = std::string(text.substr(0, equals));
  if (equals != std::string_view::npos) taint.value = std::string(text.substr(equals + 1));
  return taint;
}

bool same_taint(const Taint& a, const Taint& b) {
  return a.key == b.key && a.value == b.value && a.effect == b.effect;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Stands for a character that cannot be part of a name: an escape that gives no ASCII letter.
constexpr char kNotALetter = ' ';

/// The text with the escapes of double-quoted YAML and JSON strings applied wherever a backslash
/// is, as if the whole text were one such string: `\x4e`, `\u004e` and `\U0000004e` give their
/// character, an escaped line break joins the lines (with the next line's indentation), and any
/// other escape gives a character that is not a letter. Where a backslash is only a backslash
/// (plain, single-quoted or block scalars, comments), a letter of a name never follows one, so
/// the names written there read the same.
std::string apply_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char escape = text[i + 1];
    if (escape == '\n' || escape == '\r') {
      i += escape == '\r' && i + 2 < text.size() && text[i + 2] == '\n' ? 2 : 1;
      while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
      continue;
    }
    const std::size_t digits = escape == 'x' ? 2 : escape == 'u' ? 4 : escape == 'U' ? 8 : 0;
    std::uint32_t code = 0;
    std::size_t read = 0;
    while (read < digits && i + 2 + read < text.size() && hex_value(text[i + 2 + read]) >= 0) {
      code = code * 16 + static_cast<std::uint32_t>(hex_value(text[i + 2 + read]));
      ++read;
    }
    if (digits > 0 && read == digits) {
      out += code < 0x80 ? static_cast<char>(code) : kNotALetter;
      i += 1 + digits;
    } else {
      // `\n`, `\"`, `\\`, `\N` (next line), or a malformed escape: never a letter. Only the
      // escape's own letter is taken, so that what follows is read again.
      out += kNotALetter;
      ++i;
    }
  }
  return out;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_line_break(char c) {
  return c == '\n' || c == '\r';
}

/// True when what precedes `at` may start a scalar there: an opening quote, a flow indicator, or,
/// after blanks, a line start, an indicator (`:`, `-`, `?`, `,`, `[`, `{`), a tag or an anchor.
/// `From Node` and `"Mount Node"` cannot be the kind.
bool may_start_scalar(std::string_view text, std::size_t at) {
  if (at == 0) return true;
  const char before = text[at - 1];
  if (before == '"' || before == '\'' || before == ':' || before == ',' || before == '[' || before == '{') return true;
  // libyaml also breaks lines at NEL, LS and PS, which are not ASCII.
  if (!is_blank(before)) return is_line_break(before) || static_cast<unsigned char>(before) >= 0x80;
  std::size_t end = at - 1;  // one past the token before the blanks
  while (end > 0 && is_blank(text[end - 1])) --end;
  if (end == 0) return true;
  if (is_line_break(text[end - 1]) || static_cast<unsigned char>(text[end - 1]) >= 0x80) return true;
  if (std::string_view(":-?,[{|>").find(text[end - 1]) != std::string_view::npos) return true;
  std::size_t begin = end;
  while (begin > 0 && !is_blank(text[begin - 1]) && !is_line_break(text[begin - 1])) --begin;
  return text[begin] == '!' || text[begin] == '&';  // `!!str Node`, `&kind Node`
}

/// True when what follows `at` may end a scalar there: a closing quote, an escape (an escaped
/// line break), or, after blanks, a line break, a comment, a flow indicator or the end of the
/// text. `Node Exporter` and `NodePort` cannot be the kind.
bool may_end_scalar(std::string_view text, std::size_t at) {
  if (at == text.size() || text[at] == '"' || text[at] == '\'' || text[at] == '\\') return true;
  while (at < text.size() && is_blank(text[at])) ++at;
  if (at == text.size()) return true;
  const auto next = static_cast<unsigned char>(text[at]);
  return is_line_break(text[at]) || next == '#' || next == ',' || next == ']' || next == '}' || next >= 0x80;
}

/// True when `text` has `Node` where it may be a whole scalar, or `vmSize` in any letter case (the
/// property every az pool has; the reader ignores its case).
bool names_pool_kind_or_setting(std::string_view text) {
  for (auto at = text.find("Node"); at != std::string_view::npos; at = text.find("Node", at + 4)) {
    if (may_start_scalar(text, at) && may_end_scalar(text, at + 4)) return true;
  }
  // Found from its `z`, the rarest of its letters in manifests, so that the search runs at the
  // speed of memchr.
  constexpr std::string_view kVmSize = "vmsize";
  constexpr std::size_t kZ = 4;
  for (char z : {'z', 'Z'}) {
    for (auto at = text.find(z, kZ); at != std::string_view::npos; at = text.find(z, at + 1)) {
      if (at - kZ + kVmSize.size() > text.size()) break;
      const std::string_view word = text.substr(at - kZ, kVmSize.size());
      const bool same =
          std::equal(word.begin(), word.end(), kVmSize.begin(), [](char a, char b) { return ascii_lower(a) == b; });
      if (same) return true;
    }
  }
  return false;
}

/// True when an escape in the text may give a letter of a name read as it is written: a `\x`,
/// `\u` or `\U` escape of an ASCII letter, or an escaped line break between two letters. Other
/// escapes (`\n`, `\"`, `\u003c`) give no letter, and the text read as written already finds
/// what the escapes would: a name next to them, and a line break where one is a line break.
bool may_escape_a_letter(std::string_view text) {
  for (auto at = text.find('\\'); at != std::string_view::npos && at + 1 < text.size(); at = text.find('\\', at)) {
    const char escape = text[at + 1];
    const std::size_t digits = escape == 'x' ? 2 : escape == 'u' ? 4 : escape == 'U' ? 8 : 0;
    if (digits > 0 && at + 2 + digits <= text.size()) {
      std::uint32_t code = 0;
      bool hex = true;
      for (std::size_t i = 0; i < digits && hex; ++i) {
        const int value = hex_value(text[at + 2 + i]);
        hex = value >= 0;
        code = code * 16 + static_cast<std::uint32_t>(hex ? value : 0);
      }
      if (hex && code < 0x80 && std::isalpha(static_cast<int>(code))) return true;
    } else if (is_line_break(escape) && at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1]))) {
      // Past this escaped line break and those that follow it at once, with their indentation.
      std::size_t next = at;
      while (next + 1 < text.size() && text[next] == '\\' && is_line_break(text[next + 1])) {
        next += text[next + 1] == '\r' && next + 2 < text.size() && text[next + 2] == '\n' ? 3 : 2;
        while (next < text.size() && is_blank(text[next])) ++next;
      }
      if (next < text.size() && std::isalpha(static_cast<unsigned char>(text[next]))) return true;
    }
    at += 2;  // past the escape's letter: `\\` is one escape
  }
  return false;
}

}  // namespace

bool may_hold_pools(std::string_view document) {
  // `kind: Node` however it is written: plain, quoted, after any number of blanks or a comment
  // line, in a flow mapping, under a `"kind"` or `? kind` key. The kind is not looked for near
  // the value, since YAML leaves no bound on what may stand between them.
  // NUL bytes mean UTF-16 or UTF-32 text, which libyaml decodes but these searches cannot read.
  if (document.find('\0') != std::string_view::npos) return true;
  if (names_pool_kind_or_setting(document)) return true;
  // Double-quoted and JSON strings can spell any letter as an escape (`"N\u006fde"`) or split a
  // word over lines with an escaped line break; read the text with escapes applied.
  return may_escape_a_letter(document) && names_pool_kind_or_setting(apply_escapes(document));
}

void PoolCollector::add_node(const YamlTree& tree, const KubeObject& node, const std::string& file) {
  const NodeId metadata = tree.get(node.root, "metadata");
  NodeReport report;
  for (const auto& entry : tree.entries(tree.get(metadata, "labels"))) {
    if (auto value = tree.scalar(entry.value)) report.labels.emplace(entry.key, std::string(*value));
  }
  const NodeId info = tree.get(tree.get(node.root, "status"), "nodeInfo");
  report.os_image = std::string(tree.scalar(tree.get(info, "osImage")).value_or(""));
  report.kernel_version = std::string(tree.scalar(tree.get(info, "kernelVersion")).value_or(""));
  std::vector<Taint> taints;
  for (NodeId item : tree.items(tree.get(tree.get(node.root, "spec"), "taints"))) {
    auto text = [&](std::string_view key) { return std::string(tree.scalar(tree.get(item, key)).value_or("")); };
    taints.push_back({text("key"), text("value"), text("effect")});
  }
  std::string name;
  for (const std::string& label : rules_->pool_labels()) {
    if (auto it = report.labels.find(label); it != report.labels.end() && !it->second.empty()) {
      name = it->second;
      break;
    }
  }
  if (name.empty()) name = report.os_image.empty() ? std::string("(nodes without a pool label)") : report.os_image;

  auto [it, added] = groups_.try_emplace(name);
  Group& group = it->second;
  if (added || !group.from_nodes) {
    // The first node of the pool, or Node objects replacing an az description of it.
    group = Group{};
    group.from_nodes = true;
    group.pool.name = name;
    group.pool.file = file;
    group.pool.line = node.kind_span.begin.line;
    group.pool.labels = report.labels;
    group.pool.taints = taints;
    group.report = report;
  } else {
    // Only what every node of the pool carries can be relied on.
    std::erase_if(group.pool.labels, [&](const auto& label) {
      auto other = report.labels.find(label.first);
      return other == report.labels.end() || other->second != label.second;
    });
    std::erase_if(group.pool.taints, [&](const Taint& taint) {
      return std::none_of(taints.begin(), taints.end(), [&](const Taint& t) { return same_taint(t, taint); });
    });
    group.report.labels = group.pool.labels;
  }
  ++group.pool.nodes;
}

void PoolCollector::add_aks_pool(const NodePool& pool) {
  auto [it, added] = groups_.try_emplace(pool.name);
  Group& group = it->second;
  if (!added) return;  // Node objects, or an earlier description, already say what it is
  group.pool.name = pool.name;
  group.pool.file = pool.file;
  group.pool.line = pool.span.begin.line;
  // The labels AKS puts on every node of the pool, then the pool's own.
  auto& labels = group.pool.labels;
  labels["kubernetes.azure.com/agentpool"] = pool.name;
  labels["agentpool"] = pool.name;
  if (pool.os_type.present()) labels["kubernetes.io/os"] = ascii_lowered(pool.os_type.text);
  if (pool.os_sku.present()) labels[rules_->os_sku_label()] = pool.os_sku.text;
  if (pool.vm_size.present()) labels["node.kubernetes.io/instance-type"] = pool.vm_size.text;
  if (pool.mode.present()) labels["kubernetes.azure.com/mode"] = ascii_lowered(pool.mode.text);
  if (pool.node_image_version.present()) {
    labels["kubernetes.azure.com/node-image-version"] = pool.node_image_version.text;
  }
  for (const auto& [key, value] : pool.labels) labels[key] = value;
  for (const auto& taint : pool.taints) group.pool.taints.push_back(parse_taint(taint));
  group.report.labels = labels;
  group.report.os_image = "";
  group.pool.linux = pool.linux();
}

std::vector<SchedulingPool> PoolCollector::pools(const TargetSet& targets, std::span<const PoolPlan> plans) const {
  std::vector<SchedulingPool> found;
  for (const auto& [name, group] : groups_) {
    SchedulingPool pool = group.pool;
    const NodeOsMatch match = rules_->identify(group.report);
    auto sku = group.report.labels.find(rules_->os_sku_label());
    pool.os = !group.report.os_image.empty()     ? group.report.os_image
              : sku != group.report.labels.end() ? "osSku " + sku->second
                                                 : std::string("an OS it does not name");
    if (!match.rule) {
      pool.unknown_os = pool.linux;
      pool.target = pool.linux ? targets.find(kDefaultTarget) : nullptr;
      pool.identified_by = "no rule of targets/node-os.yaml matches: judged with the generic profile";
    } else {
      pool.linux = pool.linux && match.rule->linux;
      pool.target = pool.linux ? match.target : nullptr;
      pool.identified_by = fmt::format("{} [{}]", match.rule->describe(), match.rule->source);
      if (!match.rule->judged_as.empty()) pool.identified_by += "; " + match.rule->judged_as;
    }
    for (const PoolPlan& plan : plans) {
      if (plan.pool != pool.name || !plan.target) continue;
      pool.planned_from = pool.target ? pool.target->name() : std::string("no Linux target");
      pool.target = plan.target;
      pool.linux = true;
      pool.unknown_os = false;
      pool.identified_by = fmt::format("--plan-pool {}={}", plan.pool, plan.target->name());
      // Its nodes would carry the new SKU's labels, not the old ones.
      for (const std::string& label : rules_->os_sku_labels()) pool.labels.erase(label);
      for (const auto& label : plan.target->node_labels()) {
        if (label.key == rules_->os_sku_label() && !label.values.empty()) {
          pool.labels[label.key] = label.values.front();
        }
      }
    }
    found.push_back(std::move(pool));
  }
  return found;
}

std::vector<SchedulingPool> scan_pools(const InputSet& inputs, const NodeOsRules& rules, const TargetSet& targets,
                                       std::span<const PoolPlan> plans) {
  PoolCollector collector(rules);
  const auto read = [&](std::string_view text, std::uint32_t first_line, const std::string& file) {
    if (!may_hold_pools(text)) return;  // most of a large input is only split, never parsed
    for (const ParsedDocument& doc : parse_yaml_documents(text, first_line)) {
      if (doc.error || doc.empty) continue;
      const DocumentObjects objects = find_objects(doc.tree);
      if (!objects.kubernetes) {
        if (auto pools = read_node_pools(doc.tree, file)) {
          for (const auto& pool : pools->pools) collector.add_aks_pool(pool);
        }
        continue;
      }
      for (const auto& object : objects.objects) {
        if (object.ref.kind == "Node" && api_group(object.ref.api_version).empty()) {
          collector.add_node(doc.tree, object, file);
        }
      }
    }
  };
  for (const InputFile& file : inputs.files) {
    auto opened = open_input_file(file);
    if (!opened) continue;  // the lint run reports it
    split_documents(*opened, SplitLimits{}, [&](RawDocument&& raw) {
      if (raw.items) {
        // A large List: its items were moved out of the text; each is an object of its own.
        raw.items->for_each_item(SplitLimits{}.max_document_bytes, [&](SpilledItems::Item&& item) {
          read(item.text, item.first_line, file.display_path);
        });
      }
      read(raw.text, raw.first_line, file.display_path);
    });
    if (!file.is_stdin()) ::close(*opened);
  }
  return collector.pools(targets, plans);
}

std::optional<std::string> pool_block(const YamlTree& tree, const PodSpecView& pod, const SchedulingPool& pool) {
  // The pool's labels are known in full: a label it does not list, its nodes do not carry.
  const auto unmet = first_unmet(node_requirements(tree, pod), all_labels_known(pool.labels));
  if (unmet && unmet->in_node_selector) {
    auto has = pool.labels.find(unmet->key);
    return fmt::format("its nodeSelector asks for {}={}, {}", unmet->key, unmet->values.front(),
                       has == pool.labels.end() ? std::string("a label the nodes do not carry")
                                                : fmt::format("and the nodes carry {}={}", unmet->key, has->second));
  }
  if (unmet) {
    return fmt::format("its required node affinity asks for {} {} [{}]", unmet->key, unmet->op,
                       fmt::join(unmet->values, ", "));
  }
  const auto [tolerations_holder, tolerations_pointer] = pod.holder_of(tree, "tolerations");
  const NodeId tolerations = tree.get(tolerations_holder, "tolerations");
  for (const Taint& taint : pool.taints) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    if (!tolerates(tree, tolerations, taint)) {
      return fmt::format("it does not tolerate the pool's taint {}{}{}:{}", taint.key, taint.value.empty() ? "" : "=",
                         taint.value, taint.effect);
    }
  }
  return std::nullopt;
}

std::vector<std::string> unknown_planned_pools(std::span<const PoolPlan> plans,
                                               const std::vector<std::string>& pools_read) {
  std::vector<std::string> notices;
  for (const auto& plan : plans) {
    if (std::find(pools_read.begin(), pools_read.end(), plan.pool) != pools_read.end()) continue;
    notices.push_back(fmt::format(
        "--plan-pool names node pool {}, which no input describes (node pools are read from "
        "Node objects, with --target auto, and from `az aks nodepool list -o json` or `az aks show -o json`)",
        plan.pool));
  }
  return notices;
}

std::vector<const Target*> targets_of(std::span<const SchedulingPool> pools, const TargetSet& targets) {
  std::vector<const Target*> found;
  for (const Target& target : targets.all()) {
    const bool used = std::any_of(pools.begin(), pools.end(),
                                  [&](const SchedulingPool& pool) { return pool.linux && pool.target == &target; });
    if (used) found.push_back(&target);
  }
  return found;
}

}  // namespace immutalint
