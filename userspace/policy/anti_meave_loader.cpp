#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "match_fields.h"
#include "sections.h"
#include "westworld/abi.h"
#include "westworld/policy/limits.h"

namespace westworld::policy {
namespace {

constexpr uint64_t kMaxCount = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kMaxShareWindowMs = 10000;

void load_identity(const Value& value, Policy& policy, DiagnosticSink& sink) {
  auto fields = read_fields(value, {"ipv4_prefix", "ipv6_prefix"}, sink);
  if (!fields) return;
  for (const Field& field : *fields) {
    bool ipv4 = field.key == "ipv4_prefix";
    auto length = read_integer(field, 1, ipv4 ? 32 : 128, sink);
    if (!length) continue;
    (ipv4 ? policy.identity_ipv4_prefix : policy.identity_ipv6_prefix) =
        static_cast<uint8_t>(*length);
  }
}

struct PrefixOwner {
  std::string class_name;
  int line;
};

// Classes are looked up by longest prefix, so one prefix in two classes
// would make the class of a source depend on insertion order.
void check_prefixes_unique(const QuotaClass& quota_class, SourceLocation src_at,
                           std::map<Cidr, PrefixOwner>& owners, DiagnosticSink& sink) {
  for (const Cidr& prefix : quota_class.src) {
    auto [owner, inserted] =
        owners.emplace(prefix, PrefixOwner{quota_class.name, quota_class.where.line});
    if (!inserted) {
      sink.error(src_at, "prefix " + prefix.to_string() + " is already in class '" +
                             owner->second.class_name + "' (line " +
                             std::to_string(owner->second.line) + ")");
    }
  }
}

void load_classes(const Field& classes, Policy& policy, DiagnosticSink& sink) {
  auto items = read_list(classes, sink);
  if (!items) return;
  if (items->size() > WW_MAX_CLASSES - 1) {
    sink.error(classes.key_at, "too many classes (" + std::to_string(items->size()) +
                                   "); the data plane holds at most " +
                                   std::to_string(WW_MAX_CLASSES - 1) +
                                   " besides the default quota");
    return;
  }
  size_t entries = 0;
  for (const YAML::Node& item : *items) entries += count_list_entries(item, {"src"});
  if (entries > kMaxMatchEntries) {
    sink.error(classes.key_at, "the classes' src lists hold " + std::to_string(entries) +
                                   " entries in all (each use of a YAML alias counts); at most " +
                                   std::to_string(kMaxMatchEntries) + " are accepted");
    return;
  }
  std::unordered_map<std::string, int> first_use;
  std::map<Cidr, PrefixOwner> prefix_owners;
  for (const YAML::Node& item : *items) {
    size_t errors_before = sink.error_count();
    QuotaClass quota_class;
    quota_class.where = location_of(item);
    auto fields = read_fields(Value("class", item), {"name", "src", "quota", "protected"}, sink);
    if (!fields) continue;
    require_fields(*fields, "class", quota_class.where, {"name", "src", "quota"}, sink);
    SourceLocation src_at;
    for (const Field& field : *fields) {
      if (field.key == "name") {
        auto name = read_name(field, "class", sink);
        if (!name) continue;
        quota_class.name = *name;
        auto [earlier, inserted] = first_use.emplace(*name, field.value_at.line);
        if (*name == "default") {
          sink.error(field.value_at, "class name 'default' is reserved for the default quota");
        } else if (!inserted) {
          sink.error(field.value_at, "duplicate class name '" + *name + "' (first used on line " +
                                         std::to_string(earlier->second) + ")");
        }
      } else if (field.key == "src") {
        src_at = field.value_at;
        auto cidrs = read_cidr_list(field, sink);
        if (cidrs && cidrs->empty()) {
          sink.error(field.value_at, "src is empty; a class needs at least one prefix");
        }
        if (cidrs) quota_class.src = *cidrs;
      } else if (field.key == "protected") {
        quota_class.is_protected = read_bool(field, sink).value_or(false);
      } else if (auto quota = load_quota(field, sink)) {
        quota_class.quota = *quota;
      }
    }
    if (!quota_class.name.empty()) {
      check_prefixes_unique(quota_class, src_at, prefix_owners, sink);
    }
    if (sink.error_count() == errors_before) policy.classes.push_back(std::move(quota_class));
  }
  if (prefix_owners.size() > WW_MAX_PREFIXES) {
    sink.error(classes.key_at, "the classes use " + std::to_string(prefix_owners.size()) +
                                   " prefixes; the data plane holds at most " +
                                   std::to_string(WW_MAX_PREFIXES));
  }
}

void load_max_share(const Field& field, Policy& policy, DiagnosticSink& sink) {
  auto share = read_number(field, sink);
  if (!share) return;
  constexpr double kPartsPerMillion = 1e6;
  if (*share <= 0 || *share > 1) {
    sink.error(field.value_at, "max_share must be a fraction in (0, 1], not " +
                                   field.value.Scalar() + "; omit it to disable the share cap");
  } else if (std::round(*share * kPartsPerMillion) < 1) {
    // The data plane counts the share in parts per million.
    sink.error(field.value_at, "max_share must be at least 0.000001, not " + field.value.Scalar());
  } else {
    policy.max_share = *share;
  }
}

}  // namespace

void load_anti_meave(const Value& anti_meave, Policy& policy, DiagnosticSink& sink) {
  auto fields =
      read_fields(anti_meave,
                  {"identity", "quota", "classes", "max_share", "share_floor_pps",
                   "share_window_ms", "on_exceed", "max_sources", "detect", "reverse_path"},
                  sink);
  if (!fields) return;
  for (const Field& field : *fields) {
    if (field.key == "identity") {
      load_identity(field, policy, sink);
    } else if (field.key == "quota") {
      if (auto quota = load_quota(field, sink)) policy.quota = *quota;
    } else if (field.key == "classes") {
      load_classes(field, policy, sink);
    } else if (field.key == "max_share") {
      load_max_share(field, policy, sink);
    } else if (field.key == "share_floor_pps") {
      policy.share_floor_pps = read_integer(field, 0, kMaxCount, sink).value_or(0);
    } else if (field.key == "share_window_ms") {
      auto window = read_integer(field, 1, kMaxShareWindowMs, sink);
      if (window) policy.share_window_ms = static_cast<uint32_t>(*window);
    } else if (field.key == "detect") {
      load_detect(field, policy.detect, sink);
    } else if (field.key == "on_exceed") {
      auto on_exceed =
          read_enum<OnExceed>(field, {{"drop", OnExceed::drop}, {"count", OnExceed::count}}, sink);
      if (on_exceed) policy.on_exceed = *on_exceed;
    } else if (field.key == "reverse_path") {
      auto mode = read_enum<ReversePath>(field,
                                         {{"off", ReversePath::off},
                                          {"loose", ReversePath::loose},
                                          {"strict", ReversePath::strict}},
                                         sink);
      if (mode) policy.reverse_path = *mode;
    } else {
      auto limit = read_integer(field, 1, std::numeric_limits<uint32_t>::max(), sink);
      if (limit) policy.max_sources = *limit;
    }
  }
}

}  // namespace westworld::policy
