// wwctl gov list|show|tally|rollout: what the members decided, recomputed here from the
// signed records (nothing trusts a stored count), and the rollouts' live state, which
// operators may pause, resume or abort (an abort rolls every released router back).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "gov_cli.h"
#include "westworld/capability/clock.h"
#include "westworld/common/printable.h"
#include "westworld/governance/rollout.h"
#include "westworld/governance/rollout_follower.h"

namespace westworld::cli {
namespace {

using namespace governance;
using nlohmann::json;

common::UnixSeconds now_seconds() { return common::UnixSeconds{std::chrono::seconds(now_unix())}; }

json tally_json(const Decision& d, const Genesis& genesis) {
  const Tally& t = d.tally;
  const Proposal& p = d.record.proposal.proposal;
  const Thresholds& thresholds = genesis.settings.of(p.kind).thresholds;
  json refused = json::array();
  for (const auto& [voter, why] : t.refused)
    refused.push_back({{"voter", voter}, {"refusal", to_string(why)}});
  json unreadable = json::array();
  for (const UnreadableRecord& r : d.unreadable_votes)
    unreadable.push_back({{"key", r.key}, {"error", r.error}});
  return {{"proposal", d.id},
          {"yes", t.yes},
          {"no", t.no},
          {"abstain", t.abstain},
          {"total", t.total},
          {"open", t.open},
          {"passed", t.passed},
          {"decided", t.decided},
          {"support_ppm", thresholds.support_ppm},
          {"min_participation", min_participation(thresholds, t.total)},
          {"closes", capability::format_rfc3339_utc(p.created + p.window)},
          {"refused", std::move(refused)},
          {"unreadable", std::move(unreadable)}};
}

std::string outcome(const Tally& t) {
  if (t.passed) return t.open ? "passed (early: the missing votes cannot change it)" : "passed";
  if (t.decided) return "failed";
  return "open";
}

// The rollout state stored for `id`, if any (with its revision for compare-and-swap).
std::optional<std::pair<RolloutState, mesh::Revision>> read_rollout(mesh::KvStore& store,
                                                                    const mesh::MeshKeys& keys,
                                                                    const std::string& id) {
  const mesh::RangeReply reply = store.get(keys.rollout(id));
  if (reply.kvs.empty()) return std::nullopt;
  return std::pair{decode_rollout(reply.kvs.front().value), reply.kvs.front().mod_revision};
}

// The stored state as people and scripts read it: without the format tag and the gates'
// raw baselines.
json rollout_json(const RolloutState& s) {
  json out = json::parse(encode_rollout(s));
  out.erase("format");
  out.erase("last_samples");
  return out;
}

void print_rollout(const RolloutState& s) {
  std::cout << "rollout " << s.proposal.substr(0, 16) << ": " << to_string(s.state)
            << (s.reason.empty() ? "" : " (" + common::printable(s.reason) + ")")
            << ", coordinator " << common::printable(s.coordinator) << '\n';
  for (size_t i = 0; i < s.waves.size(); ++i) {
    const WaveState& w = s.waves[i];
    std::string nodes;
    for (const std::string& n : w.nodes) nodes += (nodes.empty() ? "" : ",") + n;
    const char* mark = w.state == WavePhase::succeeded ? "[ok]  "
                       : w.state == WavePhase::failed  ? "[FAIL]"
                       : w.state == WavePhase::baking  ? "[..]  "
                                                       : "[  ]  ";
    std::cout << "  " << mark << " wave " << i + 1 << " " << std::left << std::setw(9)
              << to_string(w.state) << " " << std::setw(3) << w.samples << " samples  "
              << common::printable(nodes) << (w.verdict.empty() ? "" : "  — ")
              << common::printable(w.verdict) << '\n';
  }
}

struct Context {
  mesh::EtcdGateway store;
  mesh::MeshKeys keys;
  GovernanceStore gov;
  Genesis genesis;

  Context(const GovOptions& options, const CommonOptions& common)
      : store(open_store(options.mesh, common)), keys(options.mesh.mesh_name), gov(store, keys) {
    genesis = load_genesis(gov, options);
  }
};

int run_tally(const std::string& id, const GovOptions& options, const CommonOptions& common) {
  Context c(options, common);
  const Decision d = decide(c.gov, c.genesis, id, now_seconds());
  if (options.as_json) {
    std::cout << tally_json(d, c.genesis).dump(2, ' ', false, json::error_handler_t::replace)
              << '\n';
    return EXIT_SUCCESS;
  }
  const Tally& t = d.tally;
  const Thresholds& th = c.genesis.settings.of(d.record.proposal.proposal.kind).thresholds;
  std::cout << "yes " << t.yes << "  no " << t.no << "  abstain " << t.abstain << "  of " << t.total
            << " (participation needs " << min_participation(th, t.total)
            << ", support must exceed " << th.support_ppm / 10'000.0 << "%)\n"
            << "outcome: " << outcome(t) << '\n';
  for (const auto& [voter, why] : t.refused)
    std::cout << "  not counted: " << common::printable(voter) << " (" << to_string(why) << ")\n";
  for (const UnreadableRecord& r : d.unreadable_votes)
    std::cout << "  damaged record: " << common::printable(r.key) << ": "
              << common::printable(r.error) << '\n';
  return EXIT_SUCCESS;
}

int run_show(const std::string& id, const GovOptions& options, const CommonOptions& common) {
  Context c(options, common);
  const Decision d = decide(c.gov, c.genesis, id, now_seconds());
  const Proposal& p = d.record.proposal.proposal;
  const auto rollout = read_rollout(c.store, c.keys, id);
  if (options.as_json) {
    json out{{"id", id},
             {"title", p.title},
             {"kind", to_string(p.kind)},
             {"action", to_string(p.action)},
             {"proposer", p.proposer},
             {"policy_digest", hex_id(p.policy_digest)},
             {"targets", p.targets},
             {"waves", p.waves},
             {"gates", p.gates},
             {"bake_s", p.bake.count()},
             {"created", capability::format_rfc3339_utc(p.created)},
             {"window_s", p.window.count()},
             {"tally", tally_json(d, c.genesis)}};
    if (p.action != ProposalAction::deploy_policy) out["subject"] = hex_id(p.subject);
    if (rollout) out["rollout"] = rollout_json(rollout->first);
    std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
    return EXIT_SUCCESS;
  }
  std::string targets, gates;
  for (const auto& t : p.targets) targets += (targets.empty() ? "" : ",") + t;
  for (const auto& g : p.gates) gates += (gates.empty() ? "" : "; ") + g;
  std::cout << "proposal " << id << "\n"
            << "  title:    " << common::printable(p.title) << "\n"
            << "  kind:     " << to_string(p.kind) << ", by " << common::printable(p.proposer)
            << ", " << capability::format_rfc3339_utc(p.created) << " for " << p.window.count()
            << " s\n"
            << "  targets:  " << common::printable(targets) << "\n";
  if (p.action == ProposalAction::deploy_policy) {
    std::cout << "  policy:   " << hex_id(p.policy_digest) << "\n"
              << "  rollout:  waves ";
    for (const auto& w : p.waves) std::cout << w << ' ';
    std::cout << "bake " << p.bake.count() << " s; gates " << common::printable(gates) << "\n";
  } else {
    std::cout << "  action:   " << to_string(p.action) << " " << hex_id(p.subject) << "\n";
  }
  std::cout << "  votes:    " << describe(d.tally) << "\n";
  if (rollout) print_rollout(rollout->first);
  return EXIT_SUCCESS;
}

// The member sets the mesh has had, derived from the genesis and the passed member changes.
int run_members(bool as_file, const GovOptions& options, const CommonOptions& common) {
  Context c(options, common);
  const common::UnixSeconds now = now_seconds();
  const MemberHistory history = member_history(c.gov, c.genesis, now);
  if (as_file) {  // the current set, ready to edit into the next change
    std::cout << format_members(history.current(now).members);
    return EXIT_SUCCESS;
  }
  json out = json::array();
  for (const MemberEpoch& epoch : history.epochs()) {
    const bool current = &epoch == &history.current(now);
    if (options.as_json) {
      json members = json::array();
      for (const Member& m : epoch.members.members)
        members.push_back(
            {{"id", m.id}, {"key", capability::to_base64(m.key)}, {"power", m.power}});
      out.push_back({{"digest", hex_id(epoch.digest)},
                     {"since", epoch.since ? capability::format_rfc3339_utc(*epoch.since) : ""},
                     {"proposal", epoch.proposal},
                     {"current", current},
                     {"members", std::move(members)}});
      continue;
    }
    std::cout << (current ? "* " : "  ") << "members " << hex_id(epoch.digest).substr(0, 16)
              << (epoch.since ? " since " + capability::format_rfc3339_utc(*epoch.since) +
                                    " (proposal " + epoch.proposal.substr(0, 16) + ")"
                              : " (genesis)")
              << ", total power " << epoch.members.total_power() << '\n';
    for (const Member& m : epoch.members.members)
      std::cout << "    " << common::printable(m.id) << "  power " << m.power << '\n';
  }
  if (options.as_json) std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  return EXIT_SUCCESS;
}

int run_list(const GovOptions& options, const CommonOptions& common) {
  Context c(options, common);
  json out = json::array();
  if (!options.as_json)
    std::cout << std::left << std::setw(18) << "ID" << std::setw(10) << "KIND" << std::setw(10)
              << "VOTE" << std::setw(11) << "ROLLOUT"
              << "TITLE\n";
  const common::UnixSeconds now = now_seconds();
  const MemberHistory history = member_history(c.gov, c.genesis, now);
  for (const auto& [id, entry] : c.gov.proposals()) {
    std::string vote = "damaged", rollout = "-", title, kind = "-";
    if (const auto* record = std::get_if<ProposalRecord>(&entry)) {
      title = record->proposal.proposal.title;
      kind = to_string(record->proposal.proposal.kind);
      try {
        vote = outcome(decide(c.gov, c.genesis, history, id, now).tally);
        vote = vote.substr(0, vote.find(' '));
      } catch (const DecisionError& e) {
        vote = "refused";
        title += " (" + std::string(e.what()) + ")";
      }
    } else {
      title = std::get<UnreadableRecord>(entry).error;
    }
    if (const auto r = read_rollout(c.store, c.keys, id)) rollout = to_string(r->first.state);
    if (options.as_json) {
      out.push_back(
          {{"id", id}, {"kind", kind}, {"vote", vote}, {"rollout", rollout}, {"title", title}});
    } else {
      std::cout << std::setw(18) << id.substr(0, 16) << std::setw(10) << kind << std::setw(10)
                << vote << std::setw(11) << rollout << common::printable(title) << '\n';
    }
  }
  if (options.as_json) std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  return EXIT_SUCCESS;
}

bool finished(RolloutPhase phase) {
  return phase == RolloutPhase::succeeded || phase == RolloutPhase::aborted;
}

int run_rollout_status(const std::string& id, double watch_s, const GovOptions& options,
                       const CommonOptions& common) {
  mesh::EtcdGateway store = open_store(options.mesh, common);
  const mesh::MeshKeys keys(options.mesh.mesh_name);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(watch_s * 1000));
  std::string last;
  for (;;) {
    const auto rollout = read_rollout(store, keys, id);
    if (options.as_json) {
      const json out = rollout
                           ? rollout_json(rollout->first)
                           : json{{"proposal", id}, {"state", "waiting"}, {"waves", json::array()}};
      std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
      return EXIT_SUCCESS;
    }
    const std::string now = rollout ? encode_rollout(rollout->first) : "";
    if (now != last) {
      if (rollout)
        print_rollout(rollout->first);
      else
        std::cout << "rollout " << id.substr(0, 16)
                  << ": waiting (the proposal has not passed, or no coordinator runs)\n";
      last = now;
    }
    if ((rollout && finished(rollout->first.state)) || std::chrono::steady_clock::now() >= deadline)
      return EXIT_SUCCESS;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// pause, resume, abort: one compare-and-swap on the rollout state.
int run_rollout_control(const std::string& action, const std::string& id, const std::string& reason,
                        const GovOptions& options, const CommonOptions& common) {
  mesh::EtcdGateway store = open_store(options.mesh, common);
  const mesh::MeshKeys keys(options.mesh.mesh_name);
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto rollout = read_rollout(store, keys, id);
    if (!rollout) throw std::runtime_error("no rollout for proposal " + id + " (not passed yet?)");
    RolloutState& s = rollout->first;
    const RolloutPhase was = s.state;
    if (action == "pause" && was == RolloutPhase::running) {
      s.state = RolloutPhase::paused;
    } else if (action == "resume" && was == RolloutPhase::paused) {
      s.state = RolloutPhase::running;
    } else if (action == "abort" && !finished(was)) {
      s.state = RolloutPhase::aborted;
    } else {
      std::cerr << "wwctl: error: cannot " << action << " a rollout that is " << to_string(was)
                << '\n';
      return EXIT_FAILURE;
    }
    s.reason = action == "resume" ? "" : "by an operator: " + (reason.empty() ? action : reason);
    s.updated = now_unix();
    const std::string key = keys.rollout(id);
    if (store
            .txn({{mesh::Compare::unchanged_since(key, rollout->second)},
                  {mesh::Put{key, encode_rollout(s)}}})
            .succeeded) {
      std::cout << "rollout " << id.substr(0, 16) << ": " << to_string(was) << " -> "
                << to_string(s.state)
                << (s.state == RolloutPhase::aborted
                        ? "; every released router returns to the policy it ran before"
                        : "")
                << '\n';
      return EXIT_SUCCESS;
    }
  }
  std::cerr << "wwctl: error: the rollout kept changing under us; try again\n";
  return EXIT_FAILURE;
}

}  // namespace

void register_gov_view_commands(CLI::App& gov, const CommonOptions& common, int& exit_code) {
  auto options = std::make_shared<GovOptions>();
  auto id = std::make_shared<std::string>();

  CLI::App* list = gov.add_subcommand("list", "Proposals, their vote and rollout");
  add_gov_options(*list, *options, true);
  list->callback([options, &common, &exit_code] { exit_code = run_list(*options, common); });

  CLI::App* members = gov.add_subcommand(
      "members", "The member sets: the genesis, then each set a passed proposal put in place");
  add_gov_options(*members, *options, true);
  auto as_file = std::make_shared<bool>(false);
  members->add_flag(
      "--file", *as_file,
      "Print the current set as a members file (edit it, then gov propose --members)");
  members->callback([as_file, options, &common, &exit_code] {
    exit_code = run_members(*as_file, *options, common);
  });

  CLI::App* show = gov.add_subcommand("show", "One proposal: what it deploys, votes, rollout");
  add_gov_options(*show, *options, true);
  show->add_option("ID", *id, "Proposal id")->required();
  show->callback(
      [id, options, &common, &exit_code] { exit_code = run_show(*id, *options, common); });

  CLI::App* tally = gov.add_subcommand("tally", "The tally, recomputed from the signed votes");
  add_gov_options(*tally, *options, true);
  tally->add_option("ID", *id, "Proposal id")->required();
  tally->callback(
      [id, options, &common, &exit_code] { exit_code = run_tally(*id, *options, common); });

  CLI::App* rollout = gov.add_subcommand("rollout", "A passed proposal's canary rollout");
  rollout->require_subcommand(1);
  CLI::App* status = rollout->add_subcommand("status", "Waves and gates (live with --watch)");
  add_gov_options(*status, *options, true);
  status->add_option("ID", *id, "Proposal id")->required();
  auto watch = std::make_shared<double>(0);
  status->add_option("--watch", *watch, "Follow it for up to SECONDS, until it finishes")
      ->check(CLI::Range(0.0, 86400.0));
  status->callback([id, watch, options, &common, &exit_code] {
    exit_code = run_rollout_status(*id, *watch, *options, common);
  });
  auto reason = std::make_shared<std::string>();
  for (const char* action : {"pause", "resume", "abort"}) {
    CLI::App* command = rollout->add_subcommand(
        action, std::string(action) == "abort"
                    ? "Abort: every released router returns to its previous policy"
                : std::string(action) == "pause" ? "Stop promoting waves (routers keep theirs)"
                                                 : "Resume promoting waves");
    add_gov_options(*command, *options, false);
    command->add_option("ID", *id, "Proposal id")->required();
    if (std::string(action) != "resume") command->add_option("--reason", *reason, "Why");
    command->callback([action, id, reason, options, &common, &exit_code] {
      exit_code = run_rollout_control(action, *id, *reason, *options, common);
    });
  }
}

}  // namespace westworld::cli
