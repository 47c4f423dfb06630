// Findings in a temporary file, in report order, with a small key each in memory.
#include "immutalint/finding_store.hpp"

#include "record_codec.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace immutalint {

namespace {

/// The writing side of `transfer`: each field's value goes to the encoder.
class FieldWriter {
 public:
  void text(const std::string& value) { out_.text(value); }
  void span(const Span& value) { out_.span(value); }
  void place(const Place& value) { out_.place(value); }
  void flag(bool value) { out_.number(value ? 1 : 0); }
  template <typename Enum>
  void choice(Enum value, Enum /*last*/) {
    out_.number(static_cast<std::uint32_t>(value));
  }
  template <typename T, typename Fields>
  void optional(const std::optional<T>& value, Fields&& fields) {
    out_.number(value ? 1 : 0);
    if (value) fields(*value);
  }
  template <typename T, typename Fields>
  void list(const std::vector<T>& items, std::size_t /*min_bytes*/, Fields&& fields) {
    out_.number(static_cast<std::uint32_t>(items.size()));
    for (const T& item : items) fields(item);
  }
  std::string take() { return out_.take(); }

 private:
  record::Encoder out_;
};

/// The reading side of `transfer`: each field is read back; damaged bytes stop it (`ok()`).
class FieldReader {
 public:
  explicit FieldReader(std::string_view bytes) : in_(bytes) {}
  void text(std::string& value) { value = in_.text(); }
  void span(Span& value) { value = in_.span(); }
  void place(Place& value) { value = in_.place(); }
  void flag(bool& value) { value = in_.number() == 1; }
  template <typename Enum>
  void choice(Enum& value, Enum last) {
    value = in_.template choice<Enum>(last);
  }
  template <typename T, typename Fields>
  void optional(std::optional<T>& value, Fields&& fields) {
    if (in_.number() != 1) return;
    T read{};
    fields(read);
    value = std::move(read);
  }
  /// `min_bytes`: the least an item takes, so that a damaged count cannot ask for more items
  /// than the bytes can hold.
  template <typename T, typename Fields>
  void list(std::vector<T>& items, std::size_t min_bytes, Fields&& fields) {
    for (std::uint32_t n = in_.count(min_bytes); n > 0 && in_.ok(); --n) {
      T item{};
      fields(item);
      items.push_back(std::move(item));
    }
  }
  bool done() { return in_.done(); }

 private:
  record::Decoder in_;
};

/// A finding's fields in their one order, for writing (`Io` = FieldWriter, `F` = const Finding)
/// and for reading back (FieldReader, Finding). Finding::cause_site is used before a finding is
/// stored and never stored.
template <typename Io, typename F>
void transfer(Io& io, F& finding) {
  // Every member of Finding, by name: a member added without a place here fails to build.
  [[maybe_unused]] auto& [check, severity, message, file, span, object, container, field, source, rendered, targets,
                          action, evidence, related, cause, joined_causes, shared_cause, cause_site, suppression] =
      finding;
  const auto object_fields = [&](auto& ref) {
    io.text(ref.api_version);
    io.text(ref.kind);
    io.text(ref.namespace_);
    io.text(ref.name);
  };
  io.text(check);
  io.choice(severity, Severity::Error);
  io.text(message);
  io.text(file);
  io.span(span);
  io.optional(object, object_fields);
  io.text(container);
  io.text(field);
  io.text(source);
  io.optional(rendered, [&](auto& at) {
    io.text(at.file);
    io.span(at.span);
  });
  io.list(targets, 24, [&](auto& target) {
    io.text(target.target);
    io.choice(target.verdict, Verdict::Breaks);
    io.text(target.why);
    io.text(target.source);
    io.choice(target.confidence, Confidence::Documented);
    io.text(target.check);
  });
  io.choice(action, Action::Installs);
  io.list(evidence, 28, [&](auto& item) {
    io.text(item.text);
    io.place(item.place);
  });
  io.list(related, 36, [&](auto& observation) {
    io.text(observation.check);
    io.choice(observation.verdict, Verdict::Breaks);
    io.text(observation.message);
    io.place(observation.place);
    io.optional(observation.object, object_fields);
  });
  io.text(cause);
  io.list(joined_causes, 4, [&](auto& joined) { io.text(joined); });
  io.text(shared_cause);
  io.optional(suppression, [&](auto& waiver) {
    io.choice(waiver.channel, SuppressionChannel::Config);
    io.text(waiver.reason);
    io.place(waiver.where);
    io.text(waiver.until);
    io.flag(waiver.expired);
  });
}

}  // namespace

std::string encode_finding(const Finding& finding) {
  FieldWriter out;
  transfer(out, finding);
  return out.take();
}

std::optional<Finding> decode_finding(std::string_view bytes) {
  FieldReader in(bytes);
  Finding finding;
  transfer(in, finding);
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
