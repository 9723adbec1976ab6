#include "westworld/charter/exposition.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>

#include "exposition_line.h"
#include "prometheus/text_serializer.h"
#include "westworld/common/printable.h"

namespace westworld::charter {
namespace {

using namespace exposition_detail;
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

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
    if (!common::is_utf8(help)) in.fail("HELP text is not UTF-8");
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
