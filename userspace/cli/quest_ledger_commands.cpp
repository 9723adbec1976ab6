// wwctl quest leaderboard|badges|ledger|settle: views of the rewards ledger at
// DATA_DIR/quests.db, and its settlement (through the agent, which owns the audit log). A
// ledger that does not exist yet is an empty one (nothing was claimed on this node), not an
// error.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "agent_request.h"
#include "quest_cli.h"
#include "westworld/harness/command.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/tool_paths.h"
#include "westworld/quests/ledger.h"
#include "westworld/quests/settlement_audit.h"

namespace westworld::cli::quest_cli {
namespace {

namespace fs = std::filesystem;

// The ledger, or nullptr (with a note) when nothing was ever claimed here.
std::unique_ptr<quests::Ledger> open_ledger(const CommonOptions& common) {
  const fs::path path = ledger_path(common);
  std::error_code error;
  if (!fs::exists(path, error)) {
    std::cerr << "wwctl: no ledger at " << path.string()
              << " yet: nothing was claimed with this --data-dir\n";
    return nullptr;
  }
  return std::make_unique<quests::Ledger>(path, false, common::system_clock());
}

// Node names are the members' own words; quotes in them would end gnuplot's string.
std::string gnuplot_quoted(std::string text) {
  for (char& c : text)
    if (c == '"' || c == '\\') c = '\'';
  return "\"" + text + "\"";
}

// A bar chart of `standings` into `png`; false (with why) when gnuplot is absent or fails.
bool plot_leaderboard(const std::vector<quests::Standing>& standings, const std::string& title,
                      const fs::path& png) {
  if (!harness::have_tool("gnuplot")) {
    std::cerr << "wwctl: --png skipped: gnuplot is not installed\n";
    return false;
  }
  const fs::path dir = harness::make_tagged_directory("wwquestplot");
  const fs::path data = dir / "standings.dat", script = dir / "plot.gp";
  {
    std::ofstream out(data);
    for (size_t i = 0; i < standings.size(); ++i)
      out << i << ' ' << standings[i].points << ' ' << gnuplot_quoted(standings[i].node) << '\n';
  }
  std::ofstream(script) << "set terminal pngcairo size 900,500 noenhanced\n"
                        << "set output " << gnuplot_quoted(png.string()) << '\n'
                        << "set title " << gnuplot_quoted(title) << '\n'
                        << "set style fill solid 0.8\nset boxwidth 0.6\nset grid ytics\n"
                        << "set ylabel 'points'\nset yrange [0:*]\nset xtics rotate by -30\n"
                        << "plot " << gnuplot_quoted(data.string())
                        << " using 1:2:xtic(3) with boxes notitle\n";
  const harness::CommandResult result =
      harness::run_command({harness::system_tool("gnuplot"), script.string()});
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  if (!result.ok()) {
    std::cerr << "wwctl: --png failed: gnuplot: " << result.err << '\n';
    return false;
  }
  std::cout << "wrote " << png.string() << '\n';
  return true;
}

struct LeaderboardArgs {
  std::string category;
  std::string campaign;
  CampaignSources sources;  // where --campaign is read from
  bool json = false;
  std::string png;
};

int leaderboard(const CommonOptions& common, const LeaderboardArgs& args) {
  std::optional<quests::Category> category;
  if (!args.category.empty()) {
    category = quests::parse_category(args.category);
    if (!category) {
      std::cerr << "wwctl: error: --category " << args.category
                << " is not a category (one of: " << quests::category_names() << ")\n";
      return kCouldNotRun;
    }
  }
  // A campaign's points are those of its quests and its stage rewards, whatever their category.
  std::optional<std::vector<std::string>> campaign_quests;
  if (!args.campaign.empty()) {
    if (category) {
      std::cerr << "wwctl: error: give --category or --campaign, not both\n";
      return kCouldNotRun;
    }
    const auto campaign = load_campaign(args.campaign, args.sources);
    if (!campaign) return kCouldNotRun;
    campaign_quests = quests::leaderboard_quests(*campaign);
  }
  const auto ledger = open_ledger(common);
  std::vector<quests::Standing> standings;
  if (ledger)
    standings = campaign_quests ? ledger->leaderboard_of_quests(*campaign_quests)
                                : ledger->leaderboard(category);
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const quests::Standing& s : standings)
      out.push_back({{"node", s.node}, {"points", s.points}});
    std::cout << out.dump(2) << '\n';
  } else {
    size_t rank = 0;
    for (const quests::Standing& s : standings)
      std::cout << std::right << std::setw(4) << ++rank << "  " << std::left << std::setw(32)
                << s.node << std::right << std::setw(10) << s.points << " points\n";
  }
  if (!args.png.empty()) {
    if (standings.empty()) {
      std::cerr << "wwctl: --png skipped: no standings to plot\n";
    } else {
      const std::string title =
          "quest leaderboard" + (args.category.empty() ? std::string() : ": " + args.category) +
          (args.campaign.empty() ? std::string() : ": campaign " + args.campaign);
      // A missing gnuplot skips the picture, not the command; a failing one did not do its job.
      if (!plot_leaderboard(standings, title, args.png) && harness::have_tool("gnuplot"))
        return kCouldNotRun;
    }
  }
  return kOk;
}

int badges(const CommonOptions& common, std::string node) {
  if (node.empty()) node = host_node();
  const auto ledger = open_ledger(common);
  if (!ledger) return kOk;
  const std::vector<quests::Award> awards = ledger->awards(node);
  if (awards.empty()) std::cout << node << " has no badges or roles yet\n";
  for (const quests::Award& award : awards)
    std::cout << std::left << std::setw(6) << award.kind << ' ' << std::setw(24) << award.name
              << " from " << award.quest << " (transaction " << award.transaction << ")\n";
  return kOk;
}

// The ledger's batches against the audit log's quest_settlement entries; the problems.
std::vector<std::string> unpublished_batches(quests::Ledger& ledger, const fs::path& audit_log) {
  const std::vector<quests::Batch> batches = ledger.batches();
  std::error_code error;
  if (!fs::exists(audit_log, error)) {
    if (batches.empty()) return {};
    return {"no audit log at " + audit_log.string() + " to check the " +
            std::to_string(batches.size()) + " settled batches against (give --audit-log)"};
  }
  const audit::AuditLog log = audit::AuditLog::open_existing(audit_log);
  return quests::settlement_mismatches(batches, quests::published_settlements(log));
}

int history(const CommonOptions& common, std::string node, bool verify,
            const std::string& audit_log) {
  if (node.empty()) node = host_node();
  const auto ledger = open_ledger(common);
  if (!ledger) return kOk;
  const std::vector<quests::HistoryItem> items = ledger->history(node);
  if (items.empty())
    std::cout << node << " has no claims in " << ledger_path(common).string() << '\n';
  for (const quests::HistoryItem& item : items) {
    std::cout << std::right << std::setw(6) << item.transaction << "  "
              << utc_time(static_cast<uint64_t>(item.granted_at.time_since_epoch().count()) *
                          1'000'000'000ULL)
              << "  " << std::left << std::setw(30) << (item.quest + "/" + item.step) << " period "
              << std::setw(8) << item.period << std::right << std::setw(8) << item.points
              << " points\n";
  }
  if (!verify) return kOk;
  std::vector<std::string> problems;
  for (const quests::LedgerProblem& problem : ledger->verify())
    problems.push_back((problem.transaction != 0
                            ? "transaction " + std::to_string(problem.transaction) + ": "
                            : std::string()) +
                       problem.description);
  const fs::path log =
      audit_log.empty() ? fs::path(common.data_dir) / "audit.db" : fs::path(audit_log);
  for (std::string& problem : unpublished_batches(*ledger, log)) problems.push_back(problem);
  if (problems.empty()) {
    std::cout << "verify: the ledger reconciles (every transaction sums to zero, every settled "
                 "batch matches its digest and what the audit log at "
              << log.string() << " published)\n";
    return kOk;
  }
  for (const std::string& problem : problems) std::cout << "verify: " << problem << '\n';
  std::cerr << "wwctl: the ledger " << ledger_path(common).string() << " does not reconcile ("
            << problems.size() << " problems)\n";
  return kRefused;
}

int settle(const CommonOptions& common) {
  const auto reply =
      ask_agent(common, control::QuestSettleRequest{}, "it commits the batch to its audit log");
  if (!reply) return kCouldNotRun;
  if (!reply->settled) {
    std::cout << "nothing to settle: every grant is in a batch already\n";
    return kOk;
  }
  std::cout << "batch " << reply->batch << ": transactions " << reply->first_transaction << "-"
            << reply->last_transaction << ", " << reply->entries << " entries, " << reply->minted
            << " points minted\ndigest " << reply->digest << "\naudit entry "
            << reply->audit_index.value_or(0) << '\n';
  return kOk;
}

}  // namespace

void register_quest_ledger_commands(CLI::App& quest, const CommonOptions& common, int& exit_code) {
  auto board = std::make_shared<LeaderboardArgs>();
  CLI::App* leaderboard_cmd = quest.add_subcommand("leaderboard", "Points per node, highest first");
  leaderboard_cmd->add_option("--category", board->category,
                              "Only this category's quests (" + quests::category_names() + ")");
  leaderboard_cmd->add_option("--campaign", board->campaign,
                              "Only this campaign's quests and stage rewards");
  add_campaign_source_options(*leaderboard_cmd, board->sources);
  leaderboard_cmd->add_flag("--json", board->json, "JSON output");
  leaderboard_cmd->add_option("--png", board->png, "Also draw it into this PNG (gnuplot)");
  leaderboard_cmd->callback([&common, board, &exit_code] {
    exit_code = guarded([&] { return leaderboard(common, *board); });
  });

  auto badge_node = std::make_shared<std::string>();
  CLI::App* badges_cmd = quest.add_subcommand("badges", "A node's badges and roles");
  badges_cmd->add_option("--node", *badge_node, "The node (default: this host's name)");
  badges_cmd->callback([&common, badge_node, &exit_code] {
    exit_code = guarded([&] { return badges(common, *badge_node); });
  });

  struct LedgerArgs {
    std::string node;
    bool verify = false;
    std::string audit_log;  // default DATA_DIR/audit.db, the agent's
  };
  auto ledger_args = std::make_shared<LedgerArgs>();
  CLI::App* ledger_cmd = quest.add_subcommand("ledger", "A node's claims, oldest first");
  ledger_cmd->add_option("--node", ledger_args->node, "The node (default: this host's name)");
  ledger_cmd->add_flag("--verify", ledger_args->verify,
                       "Also check that the whole ledger reconciles (exit 1 when not)");
  ledger_cmd->add_option("--audit-log", ledger_args->audit_log,
                         "The audit log the settlements were published in (default: "
                         "DATA_DIR/audit.db, the agent's)");
  ledger_cmd->callback([&common, ledger_args, &exit_code] {
    exit_code = guarded([&] {
      return history(common, ledger_args->node, ledger_args->verify, ledger_args->audit_log);
    });
  });

  CLI::App* settle_cmd = quest.add_subcommand(
      "settle", "Close the unsettled grants into a batch the agent commits to its audit log");
  settle_cmd->callback(
      [&common, &exit_code] { exit_code = guarded([&] { return settle(common); }); });
}

}  // namespace westworld::cli::quest_cli
