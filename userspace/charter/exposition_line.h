// One line of a Prometheus text exposition: its lexing, its samples and TYPE words, and the
// name, quoting, UTF-8 and HELP-escape rules that parse_exposition and serialize_exposition
// share. Private to exposition.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prometheus/client_metric.h"
#include "prometheus/metric_type.h"
#include "westworld/charter/exposition.h"

namespace westworld::charter::exposition_detail {

using Labels = std::vector<prometheus::ClientMetric::Label>;

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_label_char(char c);
bool is_metric_char(char c);
bool is_control(char c);

// Metric names take is_metric_char, label names is_label_char; neither starts with a digit.
bool valid_name(std::string_view name, bool (*is_name_char)(char));

// `text` in quotes for an error message: its first 64 bytes, non-printable ones as \xNN.
std::string quoted(std::string_view text);

// A double in its shortest exact form, for messages.
std::string shortest(double value);

// A float as Go's strconv.ParseFloat reads it, minus hex floats and digit underscores.
std::optional<double> parse_float(std::string_view text);

// A HELP text as written in the exposition, and back.
std::string unescape_help(std::string_view raw);
std::string escape_help(std::string_view help);

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
  std::string_view metric_name();
  std::string_view label_name();
  // A double-quoted label value with the escapes \\, \" and \n.
  std::string label_value();

 private:
  template <typename Predicate>
  size_t skip_while(Predicate keep) {
    size_t start = pos_;
    while (!at_end() && keep(text_[pos_])) ++pos_;
    return pos_ - start;
  }
  std::string_view name_token(bool (*is_name_char)(char));

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

// name [{labels}] value [timestamp]
Sample parse_sample(Cursor& in, size_t max_labels);

// The type word of a TYPE line, which must end the line.
prometheus::MetricType parse_type(Cursor& in);

}  // namespace westworld::charter::exposition_detail
