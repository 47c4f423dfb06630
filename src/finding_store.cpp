// Findings in a temporary file, in report order, with a small key each in memory.
#include "immutalint/finding_store.hpp"

#include "record_codec.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace immutalint {

namespace {

void encode_object(record::Encoder& out, const std::optional<ObjectRef>& object) {
  out.number(object ? 1 : 0);
  if (object) {
    out.text(object->api_version);
    out.text(object->kind);
    out.text(object->namespace_);
    out.text(object->name);
  }
}

std::optional<ObjectRef> decode_object(record::Decoder& in) {
  if (in.number() != 1) return std::nullopt;
  ObjectRef object;
  object.api_version = in.text();
  object.kind = in.text();
  object.namespace_ = in.text();
  object.name = in.text();
  return object;
}

}  // namespace

std::string encode_finding(const Finding& finding) {
  record::Encoder out;
  out.text(finding.check);
  out.number(static_cast<std::uint32_t>(finding.severity));
  out.text(finding.message);
  out.text(finding.file);
  out.span(finding.span);
  encode_object(out, finding.object);
  out.text(finding.container);
  out.text(finding.field);
  out.text(finding.source);
  out.number(finding.rendered ? 1 : 0);
  if (finding.rendered) {
    out.text(finding.rendered->file);
    out.span(finding.rendered->span);
  }
  out.number(static_cast<std::uint32_t>(finding.targets.size()));
  for (const auto& target : finding.targets) {
    out.text(target.target);
    out.number(static_cast<std::uint32_t>(target.verdict));
    out.text(target.why);
    out.text(target.source);
    out.number(static_cast<std::uint32_t>(target.confidence));
    out.text(target.check);
  }
  out.number(static_cast<std::uint32_t>(finding.action));
  out.number(static_cast<std::uint32_t>(finding.evidence.size()));
  for (const auto& item : finding.evidence) {
    out.text(item.text);
    out.place(item.place);
  }
  out.number(static_cast<std::uint32_t>(finding.related.size()));
  for (const auto& related : finding.related) {
    out.text(related.check);
    out.number(static_cast<std::uint32_t>(related.verdict));
    out.text(related.message);
    out.place(related.place);
    encode_object(out, related.object);
  }
  out.text(finding.cause);
  out.number(static_cast<std::uint32_t>(finding.joined_causes.size()));
  for (const auto& cause : finding.joined_causes) out.text(cause);
  out.text(finding.shared_cause);
  out.number(finding.suppression ? 1 : 0);
  if (finding.suppression) {
    out.number(static_cast<std::uint32_t>(finding.suppression->channel));
    out.text(finding.suppression->reason);
    out.place(finding.suppression->where);
    out.text(finding.suppression->until);
    out.number(finding.suppression->expired ? 1 : 0);
  }
  return out.take();
}

std::optional<Finding> decode_finding(std::string_view bytes) {
  record::Decoder in(bytes);
  Finding finding;
  finding.check = in.text();
  finding.severity = in.choice(Severity::Error);
  finding.message = in.text();
  finding.file = in.text();
  finding.span = in.span();
  finding.object = decode_object(in);
  finding.container = in.text();
  finding.field = in.text();
  finding.source = in.text();
  if (in.number() == 1) {
    RenderedLocation rendered;
    rendered.file = in.text();
    rendered.span = in.span();
    finding.rendered = std::move(rendered);
  }
  for (std::uint32_t n = in.count(24); n > 0 && in.ok(); --n) {
    TargetVerdict target;
    target.target = in.text();
    target.verdict = in.choice(Verdict::Breaks);
    target.why = in.text();
    target.source = in.text();
    target.confidence = in.choice(Confidence::Documented);
    target.check = in.text();
    finding.targets.push_back(std::move(target));
  }
  finding.action = in.choice(Action::Installs);
  for (std::uint32_t n = in.count(28); n > 0 && in.ok(); --n) {
    EvidenceItem item;
    item.text = in.text();
    item.place = in.place();
    finding.evidence.push_back(std::move(item));
  }
  for (std::uint32_t n = in.count(36); n > 0 && in.ok(); --n) {
    RelatedObservation related;
    related.check = in.text();
    related.verdict = in.choice(Verdict::Breaks);
    related.message = in.text();
    related.place = in.place();
    related.object = decode_object(in);
    finding.related.push_back(std::move(related));
  }
  finding.cause = in.text();
  for (std::uint32_t n = in.count(4); n > 0 && in.ok(); --n) finding.joined_causes.push_back(in.text());
  finding.shared_cause = in.text();
  if (in.number() == 1) {
    Suppression suppression;
    suppression.channel = in.choice(SuppressionChannel::Config);
    suppression.reason = in.text();
    suppression.where = in.place();
    suppression.until = in.text();
    suppression.expired = in.number() == 1;
    finding.suppression = std::move(suppression);
  }
  if (!in.done()) return std::nullopt;
  return finding;
}

FindingStore::FindingStore() : spool_(std::make_unique<Spool>()) {}
FindingStore::FindingStore(FindingStore&&) noexcept = default;
FindingStore& FindingStore::operator=(FindingStore&&) noexcept = default;
FindingStore::~FindingStore() = default;

std::uint32_t FindingStore::intern(std::deque<std::string>& names,
                                   std::unordered_map<std::string_view, std::uint32_t>& index,
                                   const std::string& name) {
  if (auto it = index.find(name); it != index.end()) return it->second;
  names.push_back(name);
  const auto id = static_cast<std::uint32_t>(names.size() - 1);
  index.emplace(names.back(), id);
  return id;
}

void FindingStore::add(const Finding& finding) {
  Key key;
  key.file = intern(files_, file_index_, finding.file);
  key.check = intern(checks_, check_index_, finding.check);
  key.span = finding.span;
  key.ref = spool_->put(encode_finding(finding));
  keys_.push_back(key);
  sealed_ = false;
}

std::optional<Finding> FindingStore::read(const Key& key) const {
  auto bytes = spool_->get(key.ref);
  if (!bytes) return std::nullopt;
  return decode_finding(*bytes);
}

void FindingStore::seal() {
  if (sealed_) return;
  // Rank file names and check ids once, so that sorting compares numbers.
  auto ranks = [](const std::deque<std::string>& names) {
    std::vector<std::uint32_t> order(names.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
    std::vector<std::uint32_t> rank(names.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    return rank;
  };
  const auto file_rank = ranks(files_);
  const auto check_rank = ranks(checks_);
  std::sort(keys_.begin(), keys_.end(), [&](const Key& a, const Key& b) {
    const auto head = [&](const Key& k) {
      return std::make_tuple(file_rank[k.file], k.span.begin, check_rank[k.check], k.span.end);
    };
    if (head(a) != head(b)) return head(a) < head(b);
    // The same place and check: the remaining fields decide, as report_order says, and what is
    // left, byte for byte, so that the order never depends on the order of adding.
    const auto bytes_a = spool_->get(a.ref);
    const auto bytes_b = spool_->get(b.ref);
    if (!bytes_a || !bytes_b) return bytes_b.has_value() && !bytes_a.has_value();
    const auto fa = decode_finding(*bytes_a);
    const auto fb = decode_finding(*bytes_b);
    if (fa && fb && report_order(*fa, *fb)) return true;
    if (fa && fb && report_order(*fb, *fa)) return false;
    return *bytes_a < *bytes_b;
  });
  sealed_ = true;
}

void FindingStore::for_each(const std::function<void(const Finding&)>& visit) const {
  for (const auto& key : keys_) {
    auto finding = read(key);
    if (!finding) {
      ++unreadable_;
      continue;
    }
    visit(*finding);
  }
}

std::vector<Finding> FindingStore::all() const {
  std::vector<Finding> findings;
  findings.reserve(keys_.size());
  for_each([&](const Finding& finding) { findings.push_back(finding); });
  return findings;
}

}  // namespace immutalint
