#include "westworld/charter/exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>

#include "prometheus/text_serializer.h"

namespace westworld::charter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_label_char(char c) { return is_letter(c) || is_digit(c); }
bool is_metric_char(char c) { return is_label_char(c) || c == ':'; }

// Metric names take is_metric_char, label names is_label_char; neither starts with a digit.
bool valid_name(std::string_view name, bool (*is_name_char)(char)) {
  return !name.empty() && !is_digit(name[0]) && std::all_of(name.begin(), name.end(), is_name_char);
}

// Exporter text inside an error message: printable ASCII only and short, since the message
// is logged and the exporter is not trusted.
std::string quoted(std::string_view text) {
  constexpr size_t kShown = 64;
  std::string out = "'";
  for (char c : text.substr(0, kShown)) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    }
  }
  return out + (text.size() > kShown ? "...'" : "'");
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. Prometheus
// rejects a scrape with anything else, so the gate must not pass it on.
bool valid_utf8(std::string_view text) {
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  for (size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80           ? 1
                    : (lead >> 5) == 0x6  ? 2
                    : (lead >> 4) == 0xe  ? 3
                    : (lead >> 3) == 0x1e ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return false;
    uint32_t code = length == 1 ? lead : lead & (0x7f >> length);
    for (size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

// A double in its shortest exact form, for messages.
std::string shortest(double value) {
  char text[32];
  return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
}

bool is_control(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

bool same_ignoring_case(std::string_view text, std::string_view lower) {
  return std::equal(text.begin(), text.end(), lower.begin(), lower.end(),
                    [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a + 32 : a) == b; });
}

// A float as Go's strconv.ParseFloat reads it, minus hex floats and digit underscores.
// from_chars is locale-independent; it takes no sign and would take "inf" itself, so the
// sign and the special words are handled here first.
std::optional<double> parse_float(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (same_ignoring_case(body, "inf") || same_ignoring_case(body, "infinity")) {
    return negative ? -kInf : kInf;
  }
  if (body.size() == text.size() && same_ignoring_case(body, "nan")) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (body.empty() || !(is_digit(body[0]) || body[0] == '.')) return std::nullopt;
  double value = 0;
  const char* last = body.data() + body.size();
  auto [end, status] = std::from_chars(body.data(), last, value, std::chars_format::general);
  if (status != std::errc() || end != last) return std::nullopt;
  return negative ? -value : value;
}

std::optional<int64_t> parse_timestamp(std::string_view text) {
  bool sign = !text.empty() && (text[0] == '+' || text[0] == '-');
  std::string_view digits = text.substr(sign ? 1 : 0);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) return std::nullopt;
  if (text[0] == '+') text.remove_prefix(1);  // Go's ParseInt takes it; from_chars does not
  int64_t value = 0;
  const char* last = text.data() + text.size();
  auto [end, status] = std::from_chars(text.data(), last, value);
  if (status != std::errc() || end != last) return std::nullopt;
  return value;
}

// HELP text escapes: `\\` and `\n`; any other backslash stays as written, as in Prometheus.
std::string unescape_help(std::string_view raw) {
  std::string help;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '\\' || raw[i + 1] == 'n')) {
      help += raw[++i] == 'n' ? '\n' : '\\';
    } else {
      help += raw[i];
    }
  }
  return help;
}

std::string escape_help(std::string_view help) {
  std::string escaped;
  for (char c : help) escaped += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : std::string(1, c);
  return escaped;
}

// One line of the exposition under a read position; every failure names the line.
class Cursor {
 public:
  Cursor(std::string_view text, size_t line) : text_(text), line_(line) {}

  size_t line() const { return line_; }
  bool at_end() const { return pos_ == text_.size(); }
  bool next_is(char c) const { return !at_end() && text_[pos_] == c; }
  bool consume(char c) { return next_is(c) ? (++pos_, true) : false; }
  [[noreturn]] void fail(const std::string& why) const { throw ExpositionError(line_, why); }

  // Skips spaces and tabs; true when there were any.
  bool skip_blanks() { return skip_while(is_blank) > 0; }
  // Everything up to the next blank or the end of the line.
  std::string_view word() {
    size_t start = pos_;
    skip_while([](char c) { return !is_blank(c); });
    return text_.substr(start, pos_ - start);
  }
  std::string_view rest() { return text_.substr(std::exchange(pos_, text_.size())); }

  // A metric name, which must end at a blank, a '{' or the end of the line.
  std::string_view metric_name() {
    size_t start = pos_;
    std::string_view name = name_token(is_metric_char);
    if (!name.empty() && (at_end() || is_blank(text_[pos_]) || next_is('{'))) return name;
    skip_while([](char c) { return !is_blank(c) && c != '{'; });
    std::string_view token = text_.substr(start, pos_ - start);
    fail(token.empty() ? "expected a metric name" : "bad metric name " + quoted(token));
  }

  std::string_view label_name() {
    std::string_view name = name_token(is_label_char);
    if (name.empty()) fail("expected a label name at " + quoted(text_.substr(pos_)));
    return name;
  }

  // A double-quoted label value with the escapes \\, \" and \n.
  std::string label_value() {
    if (!consume('"')) fail("expected '\"' to open a label value");
    std::string value;
    for (;;) {
      if (at_end()) fail("unterminated label value");
      char c = text_[pos_++];
      if (c == '"') break;
      if (is_control(c)) fail("control character in a label value");
      if (c != '\\') {
        value += c;
        continue;
      }
      if (at_end()) fail("unterminated label value");
      char escaped = text_[pos_++];
      if (escaped != '\\' && escaped != '"' && escaped != 'n') {
        fail("bad escape " + quoted(std::string{'\\', escaped}) + " in a label value");
      }
      value += escaped == 'n' ? '\n' : escaped;
    }
    if (!valid_utf8(value)) fail("label value is not UTF-8");
    return value;
  }

 private:
  template <typename Predicate>
  size_t skip_while(Predicate keep) {
    size_t start = pos_;
    while (!at_end() && keep(text_[pos_])) ++pos_;
    return pos_ - start;
  }
  std::string_view name_token(bool (*is_name_char)(char)) {
    size_t start = pos_;
    if (!at_end() && !is_digit(text_[pos_])) skip_while(is_name_char);
    return text_.substr(start, pos_ - start);
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_;
};

struct Sample {
  std::string name;
  Labels labels;
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

Labels parse_labels(Cursor& in, size_t max_labels) {
  Labels labels;
  for (;;) {
    in.skip_blanks();
    if (in.consume('}')) return labels;
    if (labels.size() == max_labels) {
      in.fail("more than " + std::to_string(max_labels) + " labels on one sample (the limit)");
    }
    std::string name(in.label_name());
    if (name.starts_with("__")) in.fail("label name " + quoted(name) + " is reserved");
    for (const auto& label : labels) {
      if (label.name == name) in.fail("duplicate label " + quoted(name));
    }
    in.skip_blanks();
    if (!in.consume('=')) in.fail("expected '=' after label " + quoted(name));
    in.skip_blanks();
    labels.push_back({name, in.label_value()});
    in.skip_blanks();
    if (!in.consume(',') && !in.next_is('}')) in.fail("expected ',' or '}' after a label value");
  }
}

// name [{labels}] value [timestamp]
Sample parse_sample(Cursor& in, size_t max_labels) {
  Sample sample;
  sample.name = in.metric_name();
  bool spaced = in.skip_blanks();
  if (in.consume('{')) {
    sample.labels = parse_labels(in, max_labels);
    spaced = in.skip_blanks();
  }
  if (in.at_end()) in.fail("sample " + quoted(sample.name) + " has no value");
  if (!spaced) in.fail("expected a blank before the value of " + quoted(sample.name));
  std::string_view value = in.word();
  auto parsed = parse_float(value);
  if (!parsed) in.fail("bad value " + quoted(value));
  sample.value = *parsed;
  in.skip_blanks();
  if (in.at_end()) return sample;
  std::string_view timestamp = in.word();
  sample.timestamp_ms = parse_timestamp(timestamp);
  if (!sample.timestamp_ms) in.fail("bad timestamp " + quoted(timestamp) + " (integer ms)");
  in.skip_blanks();
  if (!in.at_end()) in.fail("trailing text " + quoted(in.rest()) + " after the sample");
  return sample;
}

MetricType parse_type(Cursor& in) {
  std::string_view type = in.word();
  in.skip_blanks();
  if (!in.at_end()) in.fail("trailing text " + quoted(in.rest()) + " after the type");
  if (type == "counter") return MetricType::Counter;
  if (type == "gauge") return MetricType::Gauge;
  if (type == "histogram") return MetricType::Histogram;
  if (type == "summary") return MetricType::Summary;
  if (type == "untyped" || type == "unknown") return MetricType::Untyped;
  if (type == "info" || type == "stateset" || type == "gaugehistogram") {
    in.fail("unsupported OpenMetrics type " + quoted(type) + ": prometheus-cpp cannot hold it");
  }
  in.fail(type.empty() ? "TYPE line has no type" : "unknown metric type " + quoted(type));
}

// What a sample is to its family, by the suffix its name adds to the family's name.
enum class Role { value, created, bucket, sum, count, quantile };
struct Member {
  std::string_view suffix;
  Role role;
};
constexpr Member kCounter[] = {
    {"", Role::value}, {"_total", Role::value}, {"_created", Role::created}};
constexpr Member kPlain[] = {{"", Role::value}};
constexpr Member kHistogram[] = {
    {"_bucket", Role::bucket}, {"_sum", Role::sum}, {"_count", Role::count}};
constexpr Member kSummary[] = {{"", Role::quantile}, {"_sum", Role::sum}, {"_count", Role::count}};

std::span<const Member> members(const std::string& family, MetricType type) {
  switch (type) {
    case MetricType::Counter:  // OpenMetrics names F_total; a family already so named has no more
      return family.ends_with("_total") ? std::span(kCounter).first(1) : std::span(kCounter);
    case MetricType::Histogram:
      return kHistogram;
    case MetricType::Summary:
      return kSummary;
    case MetricType::Gauge:
    case MetricType::Untyped:
      break;
  }
  return kPlain;
}

// One family's lines, grouped into one ClientMetric per label set (without `le` and
// `quantile`) in first-seen order, and checked as they arrive.
class FamilyBuilder {
 public:
  explicit FamilyBuilder(std::string name) { family_.name = std::move(name); }

  const std::string& name() const { return family_.name; }

  void set_help(const Cursor& in, std::string help) {
    if (has_help_) in.fail("second HELP line for " + quoted(name()));
    if (std::any_of(help.begin(), help.end(), [](char c) { return is_control(c) && c != '\n'; })) {
      in.fail("control character in the HELP text");
    }
    if (!valid_utf8(help)) in.fail("HELP text is not UTF-8");
    has_help_ = true;
    family_.help = std::move(help);
  }

  void set_type(const Cursor& in, MetricType type) {
    if (has_type_) in.fail("second TYPE line for " + quoted(name()));
    if (sampled_) in.fail("TYPE line for " + quoted(name()) + " after its samples");
    has_type_ = true;
    family_.type = type;
  }

  std::optional<Role> role_of(std::string_view sample_name) const {
    for (const Member& member : members(name(), family_.type)) {
      if (sample_name.size() == name().size() + member.suffix.size() &&
          sample_name.starts_with(name()) && sample_name.ends_with(member.suffix)) {
        return member.role;
      }
    }
    return std::nullopt;
  }

  std::vector<std::string> sample_names() const {
    std::vector<std::string> names{name()};
    for (const Member& member : members(name(), family_.type))
      names.push_back(name() + std::string(member.suffix));
    return names;
  }

  void add(const Cursor& in, const Sample& sample, Role role) {
    sampled_ = true;
    if (role == Role::created) return;  // a creation time: prometheus-cpp has no field for it
    Labels labels = sample.labels;
    std::optional<double> bound = take_bound(in, sample.name, labels, role);
    Series& series = series_for(in, std::move(labels), sample.timestamp_ms);
    if (!series.seen.emplace(role, bound.value_or(0)).second) {
      in.fail("duplicate series " + quoted(sample.name) + " with the same labels");
    }
    ClientMetric& metric = series.metric;
    bool histogram = family_.type == MetricType::Histogram;
    switch (role) {
      case Role::value:
        value_of(metric) = sample.value;
        break;
      case Role::sum:
        (histogram ? metric.histogram.sample_sum : metric.summary.sample_sum) = sample.value;
        break;
      case Role::count:
        series.count_line = in.line();
        (histogram ? metric.histogram.sample_count : metric.summary.sample_count) =
            count_of(in, sample.value);
        break;
      case Role::bucket:
        add_bucket(in, metric.histogram.bucket, {count_of(in, sample.value), *bound});
        break;
      case Role::quantile:
        metric.summary.quantile.push_back({*bound, sample.value});
        break;
      case Role::created:
        break;
    }
  }

  // The family, once its last line is read; a histogram's whole shape is checked here.
  MetricFamily finish() {
    for (Series& series : series_) {
      if (family_.type == MetricType::Histogram) check_histogram(series);
      family_.metric.push_back(std::move(series.metric));
    }
    return std::move(family_);
  }

 private:
  struct Series {
    ClientMetric metric;
    size_t first_line = 0;
    size_t count_line = 0;
    std::optional<int64_t> timestamp_ms;
    std::set<std::pair<Role, double>> seen;  // role and `le`/`quantile`: no sample twice
  };

  double& value_of(ClientMetric& metric) const {
    if (family_.type == MetricType::Counter) return metric.counter.value;
    if (family_.type == MetricType::Gauge) return metric.gauge.value;
    return metric.untyped.value;
  }

  // Takes `le` from a bucket's labels or `quantile` from a quantile's, as a number; no other
  // sample of a histogram or summary may carry them.
  std::optional<double> take_bound(const Cursor& in, const std::string& sample_name, Labels& labels,
                                   Role role) const {
    const char* name = family_.type == MetricType::Histogram ? "le"
                       : family_.type == MetricType::Summary ? "quantile"
                                                             : nullptr;
    if (!name) return std::nullopt;
    auto found = std::find_if(labels.begin(), labels.end(),
                              [&](const auto& label) { return label.name == name; });
    bool needed = role == Role::bucket || role == Role::quantile;
    if (needed != (found != labels.end())) {
      in.fail(quoted(sample_name) + (needed ? " needs a '" : " must not have a '") + name +
              "' label");
    }
    if (!needed) return std::nullopt;
    auto bound = parse_float(found->value);
    if (!bound || std::isnan(*bound))
      in.fail("bad '" + std::string(name) + "' " + quoted(found->value));
    labels.erase(found);
    return bound;
  }

  // Buckets arrive in rising `le` order with counts that never fall.
  static void add_bucket(const Cursor& in, std::vector<ClientMetric::Bucket>& buckets,
                         ClientMetric::Bucket bucket) {
    if (!buckets.empty() && bucket.upper_bound < buckets.back().upper_bound) {
      in.fail("bucket le=" + shortest(bucket.upper_bound) + " is below the previous bucket");
    }
    if (!buckets.empty() && bucket.cumulative_count < buckets.back().cumulative_count) {
      in.fail("bucket counts decrease at le=" + shortest(bucket.upper_bound));
    }
    buckets.push_back(bucket);
  }

  // A cumulative count: prometheus-cpp stores it as uint64, so it must be one exactly.
  static uint64_t count_of(const Cursor& in, double value) {
    if (!(value >= 0) || value >= 0x1p64 || value != std::floor(value)) {
      in.fail("count " + shortest(value) + " is not a non-negative integer");
    }
    return static_cast<uint64_t>(value);
  }

  Series& series_for(const Cursor& in, Labels labels, std::optional<int64_t> timestamp_ms) {
    Labels key = labels;
    std::sort(key.begin(), key.end());
    auto [found, added] = index_.try_emplace(std::move(key), series_.size());
    if (added) {
      Series& series = series_.emplace_back();
      series.metric.label = std::move(labels);
      series.first_line = in.line();
      series.timestamp_ms = timestamp_ms;
      series.metric.timestamp_ms = timestamp_ms.value_or(0);
    }
    Series& series = series_[found->second];
    if (series.timestamp_ms != timestamp_ms) {
      in.fail("samples of one " + quoted(name()) + " series have different timestamps");
    }
    return series;
  }

  void check_histogram(Series& series) const {
    auto& histogram = series.metric.histogram;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    if (histogram.bucket.empty() || histogram.bucket.back().upper_bound != kInf) {
      throw ExpositionError(series.first_line,
                            "histogram " + quoted(name()) + " has no +Inf bucket");
    }
    uint64_t total = histogram.bucket.back().cumulative_count;
    if (series.count_line == 0) {
      histogram.sample_count = total;
    } else if (histogram.sample_count != total) {
      throw ExpositionError(series.count_line,
                            quoted(name() + "_count") + " is not the +Inf bucket's count");
    }
  }

  MetricFamily family_;
  bool has_help_ = false;
  bool has_type_ = false;
  bool sampled_ = false;
  std::vector<Series> series_;
  std::map<Labels, size_t> index_;  // sorted labels -> series_
};

// The whole exposition, line by line; families must be contiguous.
class ExpositionReader {
 public:
  explicit ExpositionReader(const ExpositionLimits& limits) : limits_(limits) {}

  void read_line(std::string_view text, size_t number) {
    Cursor in(text, number);
    in.skip_blanks();
    if (in.at_end()) return;
    if (ended_) in.fail("text after # EOF");
    if (in.consume('#')) {
      read_comment(in);
    } else {
      read_sample(in);
    }
  }

  std::vector<MetricFamily> finish() {
    close_family();
    return std::move(families_);
  }

 private:
  // # HELP name text | # TYPE name type | # UNIT name unit | # EOF | any other comment
  void read_comment(Cursor& in) {
    if (!in.skip_blanks()) return;
    std::string keyword(in.word());
    if (keyword == "EOF") {
      in.skip_blanks();
      if (!in.at_end()) in.fail("text after # EOF");
      ended_ = true;
      return;
    }
    if (keyword != "HELP" && keyword != "TYPE" && keyword != "UNIT") return;
    if (!in.skip_blanks()) in.fail(keyword + " line has no metric name");
    std::string name(in.metric_name());
    if (!in.skip_blanks() && !in.at_end()) in.fail("expected a blank after " + quoted(name));
    if (keyword == "UNIT") return;  // prometheus-cpp has no field for it
    FamilyBuilder& family =
        current_ && current_->name() == name ? *current_ : open_family(in, name);
    if (keyword == "HELP") {
      family.set_help(in, unescape_help(in.rest()));
    } else {
      family.set_type(in, parse_type(in));
    }
  }

  void read_sample(Cursor& in) {
    if (++samples_ > limits_.max_samples) {
      in.fail("more than " + std::to_string(limits_.max_samples) + " samples (the limit)");
    }
    Sample sample = parse_sample(in, limits_.max_labels_per_sample);
    reject_closed(in, sample.name);
    std::optional<Role> role = current_ ? current_->role_of(sample.name) : std::nullopt;
    if (!role) {
      // Not the current family's: an untyped family of its own, as in Prometheus.
      open_family(in, sample.name);
      role = Role::value;
    }
    current_->add(in, sample, *role);
  }

  void reject_closed(const Cursor& in, const std::string& name) const {
    if (auto found = closed_names_.find(name); found != closed_names_.end()) {
      in.fail(quoted(name) + " belongs to family " + quoted(found->second) +
              ", which ended above: a family's lines must be contiguous");
    }
  }

  FamilyBuilder& open_family(const Cursor& in, const std::string& name) {
    close_family();
    reject_closed(in, name);
    if (++families_opened_ > limits_.max_families) {
      in.fail("more than " + std::to_string(limits_.max_families) + " metric families (the limit)");
    }
    return current_.emplace(name);
  }

  void close_family() {
    if (!current_) return;
    for (auto& sample_name : current_->sample_names())
      closed_names_.emplace(sample_name, current_->name());
    families_.push_back(current_->finish());
    current_.reset();
  }

  const ExpositionLimits& limits_;
  std::vector<MetricFamily> families_;
  std::optional<FamilyBuilder> current_;
  std::unordered_map<std::string, std::string> closed_names_;  // sample name -> its family
  size_t families_opened_ = 0;
  size_t samples_ = 0;
  bool ended_ = false;
};

std::string why_with_line(size_t line, const std::string& why) {
  return line == 0 ? "exposition: " + why : "exposition line " + std::to_string(line) + ": " + why;
}

}  // namespace

ExpositionError::ExpositionError(size_t line, const std::string& why)
    : std::runtime_error(why_with_line(line, why)), line_(line) {}

std::vector<MetricFamily> parse_exposition(std::string_view text, const ExpositionLimits& limits) {
  if (text.size() > limits.max_bytes) {
    throw ExpositionError(0, std::to_string(text.size()) + " bytes, more than the limit of " +
                                 std::to_string(limits.max_bytes));
  }
  ExpositionReader reader(limits);
  size_t number = 0;
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    reader.read_line(line, ++number);
    start = end + 1;
  }
  return reader.finish();
}

std::string serialize_exposition(const std::vector<MetricFamily>& families) {
  std::vector<MetricFamily> escaped = families;
  for (auto& family : escaped) {
    if (!valid_name(family.name, is_metric_char)) {
      throw std::invalid_argument("bad metric family name " + quoted(family.name));
    }
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (!valid_name(label.name, is_label_char)) {
          throw std::invalid_argument("bad label name " + quoted(label.name) + " in " +
                                      quoted(family.name));
        }
      }
    }
    family.help = escape_help(family.help);
  }
  return prometheus::TextSerializer().Serialize(escaped);
}

}  // namespace westworld::charter
