// The campaign file as a whole: its document, the top-level fields, and a directory of them.
// The same reader, limits and diagnostics as a quest file (quest_loader.cpp).
#include "westworld/quests/campaign_loader.h"

#include <algorithm>
#include <filesystem>

#include "campaign_sections.h"
#include "westworld/common/printable.h"
#include "westworld/policy/policy_file.h"
#include "yaml_directory.h"

namespace westworld::quests {
namespace {

using policy::Diagnostic;
using policy::location_of;
using policy::Severity;

// A campaign is a page of YAML; a megabyte is far past any real one.
constexpr size_t kMaxCampaignBytes = size_t{1} << 20;
constexpr int kSupportedVersion = 1;

void load_version(const Field& field, DiagnosticSink& sink) {
  auto version = read_scalar(field, sink);
  if (version && *version != std::to_string(kSupportedVersion)) {
    sink.error(field.value_at, "unsupported campaign version '" + *version +
                                   "'; this Westworld reads version " +
                                   std::to_string(kSupportedVersion));
  }
}

void load_document(const YAML::Node& root, const std::vector<Quest>& quests, Campaign& campaign,
                   DiagnosticSink& sink) {
  if (root.IsNull()) {
    sink.error({1, 1}, "the campaign is empty; it needs version, id, title and stages");
    return;
  }
  auto fields =
      read_fields(Value("campaign", root), {"version", "id", "title", "category", "stages"}, sink);
  if (!fields) return;
  require_fields(*fields, "campaign", location_of(root), {"version", "id", "title", "stages"},
                 sink);
  for (const Field& field : *fields) {
    if (field.key == "version") {
      load_version(field, sink);
    } else if (field.key == "id") {
      campaign.id = read_id(field, sink).value_or("");
    } else if (field.key == "title") {
      campaign.title = read_title(field, sink).value_or("");
    } else if (field.key == "category") {
      campaign.category = read_category(field, sink);
    } else if (field.key == "stages") {
      load_stages(field, quests, campaign.stages, sink);
    }
  }
}

}  // namespace

CampaignLoad load_campaign_text(const std::string& yaml_text, const std::string& display_name,
                                const std::vector<Quest>& quests) {
  DiagnosticSink sink(display_name);
  CampaignLoad result;
  if (yaml_text.size() > kMaxCampaignBytes) {
    sink.error({}, "the campaign is " + std::to_string(yaml_text.size()) + " bytes; at most " +
                       std::to_string(kMaxCampaignBytes) + " are accepted");
    result.diagnostics = sink.take_in_file_order();
    return result;
  }
  Campaign campaign;
  if (auto root = policy::load_one_document(yaml_text, "a campaign", sink)) {
    load_document(*root, quests, campaign, sink);
  }
  if (sink.error_count() == 0) result.campaign = std::move(campaign);
  result.diagnostics = sink.take_in_file_order();
  return result;
}

CampaignLoad load_campaign_file(const std::string& path, const std::vector<Quest>& quests) {
  std::vector<Diagnostic> diagnostics;
  const std::optional<std::string> text = detail::read_yaml_file(path, diagnostics);
  if (!text) return {std::nullopt, std::move(diagnostics)};
  return load_campaign_text(*text, path, quests);
}

CampaignSetLoad load_campaign_directory(const std::string& directory,
                                        const std::vector<Quest>& quests) {
  CampaignSetLoad result;
  detail::load_yaml_directory(
      directory, "campaign",
      [&quests](const std::string& path) {
        CampaignLoad load = load_campaign_file(path, quests);
        return std::pair{std::move(load.campaign), std::move(load.diagnostics)};
      },
      result.campaigns, result.diagnostics);
  return result;
}

}  // namespace westworld::quests
