// wwctl quest list|show|progress|claim (the ledger's views: quest_ledger_commands.cpp): quests
// judged against evidence this node collects from its own running agent and signs with its own
// key. Nothing is granted on evidence that does not verify under the claiming node's key.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "agent_request.h"
#include "peer_key.h"
#include "quest_cli.h"
#include "quest_crisis.h"
#include "westworld/quests/alert_evidence.h"
#include "westworld/quests/evaluate.h"
#include "westworld/quests/evidence_collector.h"
#include "westworld/quests/evidence_signing.h"
#include "westworld/quests/ledger.h"
#include "westworld/quests/quest_loader.h"

namespace westworld::cli {
namespace quest_cli {

namespace fs = std::filesystem;

std::string default_quest_dir() {
  std::error_code error;
  if (fs::is_directory("/etc/westworld/quests", error)) return "/etc/westworld/quests";
  return "policies/quests";
}

std::optional<std::vector<quests::Quest>> load_quests(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    std::cerr << "wwctl: error: the quest directory " << dir
              << " does not exist or is not a directory (give --dir)\n";
    return std::nullopt;
  }
  quests::QuestSetLoad loaded = quests::load_quest_directory(dir);
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.diagnostics.empty()) {
    std::cerr << "wwctl: error: the quests in " << dir << " have errors\n";
    return std::nullopt;
  }
  return std::move(loaded.quests);
}

const quests::Quest* find_quest(const std::vector<quests::Quest>& all, const std::string& id,
                                const std::string& dir) {
  for (const quests::Quest& quest : all)
    if (quest.id == id) return &quest;
  std::cerr << "wwctl: error: no quest '" << id << "' in " << dir << " (there are:";
  for (const quests::Quest& quest : all) std::cerr << ' ' << quest.id;
  std::cerr << ")\n";
  return nullptr;
}

fs::path ledger_path(const CommonOptions& common) {
  return fs::path(common.data_dir) / "quests.db";
}

std::string host_node() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0')
    throw std::runtime_error("this host has no name; give --node");
  return name;
}

std::string reward_text(const quests::Reward& reward) {
  std::string text;
  auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (reward.points > 0) add(std::to_string(reward.points) + " points");
  if (!reward.badge.empty()) add("badge " + reward.badge);
  if (!reward.role.empty()) add("role " + reward.role);
  return text;
}

void print_evaluation(const quests::StepEvaluation& evaluation, const std::string& indent) {
  if (evaluation.criteria.empty()) std::cout << indent << evaluation.reason << '\n';
  for (const quests::CriterionResult& c : evaluation.criteria) {
    std::cout << indent << std::left << std::setw(40) << c.criterion.text() << std::setw(18)
              << quests::outcome_name(c.outcome) << c.reason << '\n';
  }
}

quests::Evidence collect(const EvidenceContext& context, std::string& node) {
  const control::StatusReply status = quests::read_agent_status(agent_client(context.common));
  if (node.empty()) node = status.mesh ? status.mesh->node_id : host_node();
  const common::UnixSeconds now = common::system_clock().now();
  quests::Evidence evidence = quests::evidence_from_status(status, node, now);
  quests::add_alert_evidence(evidence, quests::read_agent_alerts(agent_client(context.common)));
  const std::string running = status.guard.policy.valid ? status.guard.policy.digest : "";
  add_source_evidence(evidence, context.sources, context.mesh, context.node_key, running, now,
                      context.crisis_opened);
  return evidence;
}

}  // namespace quest_cli

namespace {

using namespace quest_cli;

// "7d", "12h", "1h30m": as the quest files write durations.
std::string duration_text(std::chrono::seconds duration) {
  int64_t left = duration.count();
  std::string text;
  for (const auto& [unit, seconds] : {std::pair{"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}}) {
    if (left >= seconds) text += std::to_string(left / seconds) + unit;
    left %= seconds;
  }
  return text.empty() ? "0s" : text;
}

int list_quests(const CommonOptions& common, const std::string& dir) {
  const auto all = load_quests(dir);
  if (!all) return kCouldNotRun;
  const common::UnixSeconds now = common::system_clock().now();
  for (const quests::Quest& quest : *all) {
    std::cout << std::left << std::setw(22) << quest.id << std::setw(18)
              << quests::category_name(quest.category) << quest.steps.size()
              << (quest.steps.size() == 1 ? " step   " : " steps  ") << quest.title;
    if (quest.opens_on)
      std::cout << "  [" << crisis_quest_state(quest, quest_activation(quest, common, now)) << ']';
    std::cout << '\n';
  }
  return kOk;
}

int show_quest(const CommonOptions& common, const std::string& dir, const std::string& id) {
  const auto all = load_quests(dir);
  if (!all) return kCouldNotRun;
  const quests::Quest* quest = find_quest(*all, id, dir);
  if (!quest) return kCouldNotRun;
  std::cout << quest->id << ": " << quest->title << '\n'
            << "category:  " << quests::category_name(quest->category) << '\n';
  if (quest->repeat)
    std::cout << "repeats:   every " << duration_text(*quest->repeat) << '\n';
  else if (quest->opens_on)
    std::cout << "repeats:   once per crisis\n";
  else
    std::cout << "repeats:   no (once ever)\n";
  if (quest->expires && quest->expires->at)
    std::cout << "expires:   "
              << utc_time(static_cast<uint64_t>(quest->expires->at->time_since_epoch().count()) *
                          1'000'000'000ULL)
              << '\n';
  if (quest->opens_on && quest->expires && quest->expires->after_activation) {
    std::cout << "opens on:  a " << quests::crisis_kind_name(*quest->opens_on)
              << " crisis on this node or, on a mesh, on any member's router (a detector's alert "
                 "contained by a quarantine)\n"
              << "expires:   " << duration_text(*quest->expires->after_activation)
              << " after its crisis opens\n"
              << "now:       "
              << crisis_quest_state(*quest,
                                    quest_activation(*quest, common, common::system_clock().now()))
              << '\n';
  }
  for (const quests::Step& step : quest->steps) {
    std::cout << "step " << step.id << ": " << step.title << "  [" << reward_text(step.reward)
              << "]\n";
    for (const quests::Criterion& criterion : step.criteria)
      std::cout << "  " << criterion.text() << '\n';
  }
  return kOk;
}

nlohmann::json evaluation_json(const quests::StepEvaluation& evaluation) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const quests::CriterionResult& c : evaluation.criteria)
    criteria.push_back({{"criterion", c.criterion.text()},
                        {"outcome", quests::outcome_name(c.outcome)},
                        {"reason", c.reason}});
  return {{"outcome", quests::outcome_name(evaluation.outcome)},
          {"reason", evaluation.reason},
          {"criteria", criteria}};
}

struct ProgressArgs {
  std::string node;
  std::string key;  // optional: selects the node's own twin reports
  SourceOptions sources;
  bool json = false;
};

int show_progress(const CommonOptions& common, const std::string& dir, ProgressArgs args) {
  const auto all = load_quests(dir);
  if (!all) return kCouldNotRun;
  const bool json = args.json;
  std::string& node = args.node;
  const common::Clock& clock = common::system_clock();
  const auto mesh = open_quest_mesh(args.sources, common, clock.now());
  // Which crisis, if any, opens each crisis quest now (standing quests are always open); the
  // evidence counts the twin reports since the newest such crisis.
  std::map<std::string, quests::ActivationLookup> activations;
  EvidenceContext context{common, args.sources, mesh.get(), std::nullopt, std::nullopt};
  for (const quests::Quest& quest : *all) {
    if (!quest.opens_on) continue;
    const auto& found = activations[quest.id] =
        quest_activation(quest, common, clock.now(), mesh.get());
    if (found.activation &&
        (!context.crisis_opened || found.activation->at > *context.crisis_opened))
      context.crisis_opened = found.activation->at;
  }
  if (!args.key.empty()) context.node_key = read_peer_key(args.key).public_key();
  const quests::Evidence evidence = collect(context, node);
  nlohmann::json out = {{"node", node}, {"quests", nlohmann::json::array()}};
  if (!json)
    std::cout << "node " << node << ", evidence from the agent at " << common.control_path << '\n';
  for (const quests::Quest& quest : *all) {
    nlohmann::json steps = nlohmann::json::array();
    std::optional<quests::ActivationLookup> activation;
    if (quest.opens_on) activation = activations.at(quest.id);
    if (!json) {
      std::cout << '\n' << quest.id << ": " << quest.title << '\n';
      if (activation && quest.opens_on)
        std::cout << "  (" << crisis_quest_state(quest, *activation) << ")\n";
    }
    for (const quests::Step& step : quest.steps) {
      const quests::StepEvaluation evaluation = quests::evaluate(step, evidence, node, clock);
      if (json) {
        nlohmann::json item = evaluation_json(evaluation);
        item["step"] = step.id;
        steps.push_back(std::move(item));
        continue;
      }
      std::cout << "  step " << step.id << ": " << quests::outcome_name(evaluation.outcome) << '\n';
      print_evaluation(evaluation, "    ");
    }
    if (json) {
      nlohmann::json item = {{"quest", quest.id},
                             {"claimable_here", !activation || activation->activation.has_value()},
                             {"steps", steps}};
      if (activation) {
        item["opens_on"] = quests::crisis_kind_name(*quest.opens_on);
        item["crisis"] = activation->activation && activation->activation->crisis
                             ? crisis_json(*activation->activation->crisis, clock.now())
                             : nlohmann::json();
        if (!activation->activation) item["not_open"] = activation->why_not;
      }
      out["quests"].push_back(std::move(item));
    }
  }
  if (json) std::cout << out.dump(2) << '\n';
  return kOk;
}

}  // namespace

void register_quest_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* quest = app.add_subcommand(
      "quest", "Quests: progress from this node's own signed evidence, claims, the ledger");
  quest->require_subcommand(1);
  auto dir = std::make_shared<std::string>(default_quest_dir());
  auto add_dir = [dir](CLI::App* command) {
    command->add_option("--dir", *dir, "Directory of quest files")->capture_default_str();
  };

  CLI::App* list = quest->add_subcommand("list", "The quests");
  add_dir(list);
  list->callback([&common, dir, &exit_code] {
    exit_code = guarded([&] { return list_quests(common, *dir); });
  });

  CLI::App* show = quest->add_subcommand("show", "A quest's steps, criteria and rewards");
  auto show_id = std::make_shared<std::string>();
  show->add_option("id", *show_id, "Quest id")->required();
  add_dir(show);
  show->callback([&common, dir, show_id, &exit_code] {
    exit_code = guarded([&] { return show_quest(common, *dir, *show_id); });
  });

  auto progress_args = std::make_shared<ProgressArgs>();
  CLI::App* progress = quest->add_subcommand(
      "progress", "Each quest's steps: met, not met or missing evidence, from the running agent");
  progress->add_option("--node", progress_args->node,
                       "The node (default: the agent's mesh node id, else this host's name)");
  progress->add_option("--key", progress_args->key,
                       "The node's key: counts the twin reports it signed (with --reports)");
  progress->add_flag("--json", progress_args->json, "JSON output");
  add_source_options(*progress, progress_args->sources, true);
  add_dir(progress);
  progress->callback([&common, dir, progress_args, &exit_code] {
    exit_code = guarded([&] { return show_progress(common, *dir, *progress_args); });
  });

  register_quest_claim_commands(*quest, common, dir, exit_code);
  register_quest_ledger_commands(*quest, common, exit_code);
  register_campaign_commands(*quest, common, exit_code);
  register_crisis_commands(*quest, common, exit_code);
}

}  // namespace westworld::cli
