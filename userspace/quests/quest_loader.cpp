// The quest file as a whole: its document, the top-level fields, and a directory of them.
#include "westworld/quests/quest_loader.h"

#include <algorithm>
#include <filesystem>

#include "quest_sections.h"
#include "quest_units.h"
#include "westworld/common/printable.h"
#include "westworld/policy/policy_file.h"
#include "yaml_directory.h"

namespace westworld::quests {
namespace {

using policy::Diagnostic;
using policy::location_of;
using policy::Severity;

// A quest is a page of YAML; a megabyte is far past any real one.
constexpr size_t kMaxQuestBytes = size_t{1} << 20;
constexpr int kSupportedVersion = 1;

// A repeat shorter than an hour would let a member farm a step; longer than a year is a quest
// that does not repeat.
constexpr int64_t kMinRepeatMs = 3'600'000;
constexpr int64_t kMaxRepeatMs = 366 * 86'400'000LL;
// A crisis lasts hours; a campaign a season. Past ten years is a typo.
constexpr int64_t kMinExpiryMs = 60'000;
constexpr int64_t kMaxExpiryMs = 3660 * 86'400'000LL;

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

void load_version(const Field& field, DiagnosticSink& sink) {
  auto version = read_scalar(field, sink);
  if (version && *version != std::to_string(kSupportedVersion)) {
    sink.error(field.value_at, "unsupported quest version '" + *version +
                                   "'; this Westworld reads version " +
                                   std::to_string(kSupportedVersion));
  }
}

std::optional<Expiry> read_expiry(const Field& field, DiagnosticSink& sink) {
  auto text = read_scalar(field, sink);
  if (!text) return std::nullopt;
  if (auto instant = parse_utc_instant(*text)) return Expiry{instant, std::nullopt};
  auto ms = parse_duration_ms(*text);
  if (!ms) {
    sink.error(field.value_at,
               "expires must be a UTC date such as 2026-12-31 or "
               "2026-12-31T18:00:00Z, or a duration from activation such as "
               "12h, not '" +
                   *text + "'");
    return std::nullopt;
  }
  if (*ms < kMinExpiryMs || *ms > kMaxExpiryMs || *ms % 1000 != 0) {
    sink.error(field.value_at, "expires must be whole seconds between " +
                                   format_duration_ms(kMinExpiryMs) + " and " +
                                   format_duration_ms(kMaxExpiryMs) + ", not " + *text);
    return std::nullopt;
  }
  return Expiry{std::nullopt, std::chrono::seconds(*ms / 1000)};
}

std::optional<std::chrono::seconds> read_repeat(const Field& field, DiagnosticSink& sink) {
  auto text = read_scalar(field, sink);
  if (!text) return std::nullopt;
  auto ms = parse_duration_ms(*text);
  if (!ms) {
    sink.error(field.value_at,
               "repeat must be a period such as 7d or 24h (units m, h or d), "
               "not '" +
                   *text + "'");
    return std::nullopt;
  }
  if (*ms < kMinRepeatMs || *ms > kMaxRepeatMs || *ms % 1000 != 0) {
    sink.error(field.value_at, "repeat must be whole seconds between " +
                                   format_duration_ms(kMinRepeatMs) + " and " +
                                   format_duration_ms(kMaxRepeatMs) + ", not " + *text);
    return std::nullopt;
  }
  return std::chrono::seconds(*ms / 1000);
}

std::optional<CrisisKind> read_opens_on(const Field& field, DiagnosticSink& sink) {
  auto text = read_scalar(field, sink);
  if (!text) return std::nullopt;
  auto kind = parse_crisis_kind(*text);
  if (!kind)
    sink.error(field.value_at, "unknown opens_on '" + *text + "'; expected " + crisis_kind_names() +
                                   " (the crises this node's agent opens)");
  return kind;
}

// A duration `expires` counts from an activation, and only a crisis opens a quest after its
// load: the two come together or not at all. A repeat would mean nothing, since a crisis quest
// is claimed once per crisis. Checked only over fields that loaded, so one mistake is reported
// once.
void check_crisis_fields(const Quest& quest, const std::vector<Field>& fields,
                         DiagnosticSink& sink) {
  auto field_of = [&](std::string_view key) -> const Field* {
    for (const Field& field : fields)
      if (field.key == key) return &field;
    return nullptr;
  };
  const Field* opens_on = field_of("opens_on");
  const Field* expires = field_of("expires");
  const Field* repeat = field_of("repeat");
  const bool after_activation = quest.expires && quest.expires->after_activation;
  if (quest.opens_on) {
    if (!expires)
      sink.error(opens_on->key_at,
                 "opens_on needs a duration expires, such as expires: 12h: a crisis quest closes "
                 "that long after its crisis opens");
    else if (quest.expires && quest.expires->at)
      sink.error(expires->value_at,
                 "a quest with opens_on expires a duration after its crisis opens, such as 12h, "
                 "not at a fixed date");
    if (repeat && quest.repeat)
      sink.error(repeat->key_at,
                 "a quest with opens_on cannot repeat: it is claimable once per crisis");
  } else if (after_activation && !opens_on) {
    const int64_t ms = quest.expires->after_activation->count() * 1000;
    sink.error(expires->value_at, "expires " + format_duration_ms(ms) +
                                      " counts from a crisis; give opens_on (" +
                                      crisis_kind_names() + ") or a fixed date such as 2026-12-31");
  }
  // A criterion that counts from a crisis has nothing to count from in a standing quest.
  if (!quest.opens_on)
    for (const Step& step : quest.steps)
      for (const Criterion& criterion : step.criteria)
        if (criterion.kind == CriterionKind::twin_experiments_in_crisis)
          sink.error(criterion.where,
                     "twin_experiments_in_crisis counts the reports since a crisis opened; only a "
                     "quest with opens_on can use it");
}

void load_document(const YAML::Node& root, Quest& quest, DiagnosticSink& sink) {
  if (root.IsNull()) {
    sink.error({1, 1}, "the quest is empty; it needs version, id, title, category and steps");
    return;
  }
  auto fields = read_fields(
      Value("quest", root),
      {"version", "id", "title", "category", "steps", "expires", "repeat", "opens_on"}, sink);
  if (!fields) return;
  require_fields(*fields, "quest", location_of(root),
                 {"version", "id", "title", "category", "steps"}, sink);
  for (const Field& field : *fields) {
    if (field.key == "version") {
      load_version(field, sink);
    } else if (field.key == "id") {
      quest.id = read_id(field, sink).value_or("");
    } else if (field.key == "title") {
      quest.title = read_title(field, sink).value_or("");
    } else if (field.key == "category") {
      if (auto category = read_category(field, sink)) quest.category = *category;
    } else if (field.key == "steps") {
      load_steps(field, quest.steps, sink);
    } else if (field.key == "expires") {
      quest.expires = read_expiry(field, sink);
    } else if (field.key == "repeat") {
      quest.repeat = read_repeat(field, sink);
    } else if (field.key == "opens_on") {
      quest.opens_on = read_opens_on(field, sink);
    }
  }
  check_crisis_fields(quest, *fields, sink);
}

}  // namespace

std::optional<std::string> read_id(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  const bool valid = !text->empty() && text->size() <= kMaxIdLength &&
                     std::all_of(text->begin(), text->end(), is_id_char);
  if (!valid) {
    sink.error(value.at, value.name + " must be 1 to " + std::to_string(kMaxIdLength) +
                             " lowercase letters, digits, '_' or '-', not '" + *text + "'");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> read_title(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  if (text->empty() || text->size() > kMaxTitleLength) {
    sink.error(value.at,
               value.name + " must be 1 to " + std::to_string(kMaxTitleLength) + " bytes of text");
    return std::nullopt;
  }
  return text;
}

std::optional<Category> read_category(const Field& field, DiagnosticSink& sink) {
  auto text = read_scalar(field, sink);
  auto category = text ? parse_category(*text) : std::nullopt;
  if (text && !category)
    sink.error(field.value_at,
               "unknown category '" + *text + "'; expected one of " + category_names());
  return category;
}

QuestLoad load_quest_text(const std::string& yaml_text, const std::string& display_name) {
  DiagnosticSink sink(display_name);
  QuestLoad result;
  if (yaml_text.size() > kMaxQuestBytes) {
    sink.error({}, "the quest is " + std::to_string(yaml_text.size()) + " bytes; at most " +
                       std::to_string(kMaxQuestBytes) + " are accepted");
    result.diagnostics = sink.take_in_file_order();
    return result;
  }
  Quest quest;
  if (auto root = policy::load_one_document(yaml_text, "a quest", sink)) {
    load_document(*root, quest, sink);
  }
  if (sink.error_count() == 0) result.quest = std::move(quest);
  result.diagnostics = sink.take_in_file_order();
  return result;
}

QuestLoad load_quest_file(const std::string& path) {
  std::vector<Diagnostic> diagnostics;
  const std::optional<std::string> text = detail::read_yaml_file(path, diagnostics);
  if (!text) return {std::nullopt, std::move(diagnostics)};
  return load_quest_text(*text, path);
}

QuestSetLoad load_quest_directory(const std::string& directory) {
  QuestSetLoad result;
  detail::load_yaml_directory(
      directory, "quest",
      [](const std::string& path) {
        QuestLoad load = load_quest_file(path);
        return std::pair{std::move(load.quest), std::move(load.diagnostics)};
      },
      result.quests, result.diagnostics);
  return result;
}

}  // namespace westworld::quests
