// One criterion: "peers >= 3". The name must be in the catalogue, the operator one of five,
// and the value in the criterion's own unit, so `uptime >= 7` (seconds? days?) and
// `peers >= 3d` are refused rather than guessed at.
#include <charconv>
#include <sstream>

#include "quest_sections.h"
#include "quest_units.h"

namespace westworld::quests {
namespace {

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream stream(text);
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

std::optional<int64_t> parse_count(std::string_view text) {
  int64_t number = 0;
  auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || end != text.data() + text.size() || status != std::errc() || number < 0)
    return std::nullopt;
  return number;
}

std::optional<int64_t> parse_boolean(std::string_view text) {
  if (text == "true") return 1;
  if (text == "false") return 0;
  return std::nullopt;
}

std::string_view unit_forms(CriterionUnit unit) {
  switch (unit) {
    case CriterionUnit::duration:
      return "a duration: an integer with a unit ms, s, m, h or d, such as 7d or 30s";
    case CriterionUnit::count:
      return "a count: a plain integer such as 3";
    case CriterionUnit::boolean:
      return "true or false";
  }
  return "?";
}

}  // namespace

std::optional<Criterion> read_criterion(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  const std::vector<std::string> words = words_of(*text);
  if (words.size() != 3) {
    sink.error(value.at, "a criterion is NAME OP VALUE, such as 'peers >= 3', not '" + *text +
                             "' (quote it if it starts with > or contains ': ')");
    return std::nullopt;
  }
  const CatalogueEntry* entry = find_criterion(words[0]);
  if (!entry) {
    sink.error(value.at,
               "unknown criterion '" + words[0] + "'; the catalogue has " + criterion_names());
    return std::nullopt;
  }
  Criterion criterion;
  criterion.kind = entry->kind;
  criterion.where = value.at;
  auto op = common::parse_comparison(words[1]);
  if (!op) {
    sink.error(value.at, "unknown operator '" + words[1] + "' in '" + *text +
                             "'; expected <, <=, ==, >= or >");
    return std::nullopt;
  }
  criterion.op = *op;
  if (entry->unit == CriterionUnit::boolean && *op != CompareOp::eq) {
    sink.error(value.at, std::string(entry->name) + " is a boolean: compare it with == true or " +
                             "== false, not " + words[1]);
    return std::nullopt;
  }
  std::optional<int64_t> threshold;
  switch (entry->unit) {
    case CriterionUnit::duration:
      threshold = parse_duration_ms(words[2]);
      break;
    case CriterionUnit::count:
      threshold = parse_count(words[2]);
      break;
    case CriterionUnit::boolean:
      threshold = parse_boolean(words[2]);
      break;
  }
  if (!threshold) {
    sink.error(value.at, std::string(entry->name) + " is " + std::string(unit_forms(entry->unit)) +
                             ", not '" + words[2] + "'");
    return std::nullopt;
  }
  criterion.threshold = *threshold;
  return criterion;
}

}  // namespace westworld::quests
