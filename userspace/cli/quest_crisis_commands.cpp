// wwctl quest crises: the crises this node's agent opened and, with --mesh, those the mesh counts
// (open ones, and those closed in the last day), and the helpers the other quest commands use to
// say which crisis quests are open.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "agent_request.h"
#include "quest_cli.h"
#include "quest_crisis.h"

namespace westworld::cli::quest_cli {
namespace {

namespace fs = std::filesystem;

// How far back `quest crises` shows crises that have closed.
constexpr std::chrono::hours kRecentlyClosed{24};

std::string utc_seconds(common::UnixSeconds at) {
  return utc_time(static_cast<uint64_t>(at.time_since_epoch().count()) * 1'000'000'000ULL);
}

void print_crisis(const quests::Crisis& crisis, common::UnixSeconds now, const char* note = "") {
  const bool open = crisis.open_at(now);
  std::cout << std::right << std::setw(4)
            << (crisis.opener.empty() ? std::to_string(crisis.id) : std::string("-")) << "  "
            << std::left << std::setw(7) << quests::crisis_kind_name(crisis.kind) << std::setw(8)
            << (open ? "open" : "closed") << "opened " << utc_seconds(crisis.opened_at)
            << (open ? "  closes " : "  closed ") << utc_seconds(crisis.closes_at) << "  "
            << common::printable(crisis.subject) << " (";
  if (crisis.opener.empty())
    std::cout << "alert " << crisis.alert_id;
  else
    std::cout << "opened by " << crisis.opener << ", its alert " << crisis.alert_id;
  std::cout << ')' << note << '\n';
}

int list_crises(const CommonOptions& common, const SourceOptions& sources, bool json) {
  const common::UnixSeconds now = common::system_clock().now();
  const common::UnixSeconds since = now - kRecentlyClosed;
  const auto board = open_crisis_board(common);
  std::vector<quests::Crisis> crises;
  if (board) crises = board->closing_after(since);
  const auto mesh = open_quest_mesh(sources, common, now);
  // The mesh's, recent ones only: counted, then those a counted one superseded.
  std::vector<quests::Crisis> counted, superseded;
  if (mesh) {
    for (const quests::Crisis& crisis : mesh->crises.counted)
      if (crisis.closes_at > since) counted.push_back(crisis);
    for (const quests::Crisis& crisis : mesh->crises.superseded)
      if (crisis.closes_at > since) superseded.push_back(crisis);
  }
  const bool clean = !mesh || report_refused_crises(*mesh);
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const quests::Crisis& crisis : crises) out.push_back(crisis_json(crisis, now));
    for (const quests::Crisis& crisis : counted) out.push_back(crisis_json(crisis, now));
    for (const quests::Crisis& crisis : superseded) {
      nlohmann::json item = crisis_json(crisis, now);
      item["superseded"] = true;
      out.push_back(std::move(item));
    }
    std::cout << out.dump(2) << '\n';
    return clean ? kOk : kRefused;
  }
  if (crises.empty() && counted.empty() && superseded.empty())
    std::cout << "no crises open or closed in the last " << kRecentlyClosed.count() << " h\n";
  for (const quests::Crisis& crisis : crises) print_crisis(crisis, now);
  for (const quests::Crisis& crisis : counted) print_crisis(crisis, now);
  for (const quests::Crisis& crisis : superseded)
    print_crisis(crisis, now, "  superseded: opened while an earlier one was open");
  return clean ? kOk : kRefused;
}

}  // namespace

std::unique_ptr<quests::CrisisBoard> open_crisis_board(const CommonOptions& common) {
  const fs::path path = ledger_path(common);
  std::error_code error;
  if (!fs::exists(path, error)) return nullptr;
  return std::make_unique<quests::CrisisBoard>(path, false);
}

quests::ActivationLookup quest_activation(const quests::Quest& quest, const CommonOptions& common,
                                          common::UnixSeconds now, const QuestMesh* mesh) {
  if (!quest.opens_on) return quests::activation_of(quest, nullptr, now);
  const std::vector<quests::Crisis>* mesh_crises = mesh ? &mesh->crises.counted : nullptr;
  // Crises that cannot be read (another user's database) open no quest; `list` and `show` still
  // show the rest, and a claim is refused with the reason.
  try {
    const auto board = open_crisis_board(common);
    return quests::activation_of(quest, board.get(), now, mesh_crises);
  } catch (const std::exception& e) {
    return {std::nullopt, "the crises in " + ledger_path(common).string() +
                              " cannot be read: " + common::printable(e.what())};
  }
}

std::string crisis_quest_state(const quests::Quest& quest, const quests::ActivationLookup& found) {
  if (!quest.opens_on) return {};
  const std::string kind(quests::crisis_kind_name(*quest.opens_on));
  if (!found.activation || !found.activation->crisis)
    return "crisis quest: opens on a " + kind + " crisis; " + found.why_not;
  const quests::Crisis& crisis = *found.activation->crisis;
  // The quest closes with its crisis, or sooner when its own expiry is shorter.
  const common::UnixSeconds until = std::min(
      crisis.closes_at, quests::expires_at(quest, crisis.opened_at).value_or(crisis.closes_at));
  return "crisis quest: open until " + utc_seconds(until) + " (" + quests::crisis_name(crisis) +
         ", " + kind + " from " + common::printable(crisis.subject) + ")";
}

nlohmann::json crisis_json(const quests::Crisis& crisis, common::UnixSeconds now) {
  return {{"id", crisis.id},
          {"kind", quests::crisis_kind_name(crisis.kind)},
          {"subject", crisis.subject},
          {"alert", crisis.alert_id},
          {"opened_at", utc_seconds(crisis.opened_at)},
          {"opened_at_unix_s", crisis.opened_at.time_since_epoch().count()},
          {"closes_at", utc_seconds(crisis.closes_at)},
          {"closes_at_unix_s", crisis.closes_at.time_since_epoch().count()},
          {"open", crisis.open_at(now)},
          {"opener", crisis.opener.empty() ? nlohmann::json() : nlohmann::json(crisis.opener)}};
}

void register_crisis_commands(CLI::App& quest, const CommonOptions& common, int& exit_code) {
  auto json = std::make_shared<bool>(false);
  auto sources = std::make_shared<SourceOptions>();
  CLI::App* crises = quest.add_subcommand(
      "crises",
      "The crises this node's agent opened (a contained flood) and, with --mesh, those the mesh "
      "counts: open ones, and those closed in the last day. Exit 1 when a mesh record is refused");
  crises->add_flag("--json", *json, "JSON output");
  add_source_options(*crises, *sources, false);
  crises->callback([&common, json, sources, &exit_code] {
    exit_code = guarded([&] { return list_crises(common, *sources, *json); });
  });
}

}  // namespace westworld::cli::quest_cli
