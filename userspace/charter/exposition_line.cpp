#include "exposition_line.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>

#include "westworld/common/printable.h"

namespace westworld::charter::exposition_detail {
namespace {

using prometheus::MetricType;

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool same_ignoring_case(std::string_view text, std::string_view lower) {
  return std::equal(text.begin(), text.end(), lower.begin(), lower.end(),
                    [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a + 32 : a) == b; });
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

}  // namespace

bool is_label_char(char c) { return is_letter(c) || is_digit(c); }
bool is_metric_char(char c) { return is_label_char(c) || c == ':'; }

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

std::string shortest(double value) {
  char text[32];
  return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
}

bool is_control(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
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

std::string_view Cursor::metric_name() {
  size_t start = pos_;
  std::string_view name = name_token(is_metric_char);
  if (!name.empty() && (at_end() || is_blank(text_[pos_]) || next_is('{'))) return name;
  skip_while([](char c) { return !is_blank(c) && c != '{'; });
  std::string_view token = text_.substr(start, pos_ - start);
  fail(token.empty() ? "expected a metric name" : "bad metric name " + quoted(token));
}

std::string_view Cursor::label_name() {
  std::string_view name = name_token(is_label_char);
  if (name.empty()) fail("expected a label name at " + quoted(text_.substr(pos_)));
  return name;
}

std::string Cursor::label_value() {
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
  if (!common::is_utf8(value)) fail("label value is not UTF-8");
  return value;
}

std::string_view Cursor::name_token(bool (*is_name_char)(char)) {
  size_t start = pos_;
  if (!at_end() && !is_digit(text_[pos_])) skip_while(is_name_char);
  return text_.substr(start, pos_ - start);
}

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

}  // namespace westworld::charter::exposition_detail
