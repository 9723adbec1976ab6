// wwctl gov init|propose|vote: founding a mesh's governance, proposing a policy, voting.
// Everything is signed here with the member's key and checked here as the routers will
// check it, so a mistake is reported now rather than as a refusal on every router.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "duration.h"
#include "gov_cli.h"
#include "override_file.h"
#include "peer_key.h"
#include "text_input.h"
#include "westworld/capability/bytes.h"
#include "westworld/capability/caveat.h"
#include "westworld/capability/clock.h"
#include "westworld/capability/macaroon_v2.h"
#include "westworld/capability/secret_file.h"
#include "westworld/charter/emergency_override.h"
#include "westworld/charter/restoration.h"
#include "westworld/common/printable.h"
#include "westworld/control/override_message.h"
#include "westworld/cradle/report_codec.h"
#include "westworld/governance/experiment_check.h"
#include "westworld/governance/gates.h"
#include "westworld/governance/waves.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/policy_file.h"

namespace westworld::cli {
namespace {

using namespace governance;

// A token given as a file, or inline.
std::string read_text_or_inline(const std::string& text) {
  std::error_code not_a_file;  // a token is longer than a file name may be
  return trimmed(std::filesystem::is_regular_file(text, not_a_file) ? read_text(text) : text);
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// --------------------------------------------------------------------------- init

struct InitOptions {
  std::string members;
  std::string standard_window = "72h", emergency_window = "2h";
  std::string min_window = "10m", max_window = "14d", bake = "30m", sample_interval = "10s";
  uint32_t support_ppm = 500'000, participation_ppm = 150'000;
  uint32_t emergency_support_ppm = 500'000, emergency_participation_ppm = 670'000;
  uint32_t experiment_above_ppm = 100'000;
  uint32_t min_samples = 3, nodata_limit = 30;
};

int run_init(const InitOptions& o, const GovOptions& gov, const CommonOptions& common) {
  Genesis genesis;
  genesis.mesh = gov.mesh.mesh_name;
  genesis.members = parse_members(read_text(o.members), o.members);
  GovernanceSettings& s = genesis.settings;
  s.standard = {{o.support_ppm, o.participation_ppm},
                parse_duration(o.standard_window, "--standard-window")};
  s.emergency = {{o.emergency_support_ppm, o.emergency_participation_ppm},
                 parse_duration(o.emergency_window, "--emergency-window")};
  s.min_window = parse_duration(o.min_window, "--min-window");
  s.max_window = parse_duration(o.max_window, "--max-window");
  s.default_bake = parse_duration(o.bake, "--bake", true);
  s.sample_interval = parse_duration(o.sample_interval, "--sample-interval");
  s.experiment_above_ppm = o.experiment_above_ppm;
  s.min_samples = o.min_samples;
  s.nodata_limit = o.nodata_limit;
  if (auto error = settings_error(s)) throw std::runtime_error("the settings: " + *error);
  for (const Member& m : genesis.members.members) mesh::check_mesh_name(m.id, "member id");

  mesh::EtcdGateway store = open_store(gov.mesh, common);
  const mesh::MeshKeys keys(gov.mesh.mesh_name);
  GovernanceStore gov_store(store, keys);
  const std::string digest = hex_id(genesis_digest(genesis));
  if (!gov_store.init(genesis)) {
    const std::optional<Genesis> stored = gov_store.genesis();
    const std::string stored_digest = stored ? hex_id(genesis_digest(*stored)) : "(unreadable)";
    std::cerr << "wwctl: error: mesh '" << gov.mesh.mesh_name
              << "' has a governance genesis already (" << stored_digest
              << (stored_digest == digest ? ", the same one" : ", another one")
              << "); it changes only by a passed proposal\n";
    return stored_digest == digest ? EXIT_SUCCESS : EXIT_FAILURE;
  }
  if (s.experiment_above_ppm >= kPpm)
    std::cerr << "WARNING: the experiment rule is OFF: proposals for the whole mesh pass without "
                 "a twin experiment report\n";
  std::cerr << "governance of mesh '" << gov.mesh.mesh_name << "' founded with "
            << genesis.members.members.size() << " members (total power "
            << genesis.members.total_power() << "); start every router with --gov-genesis:\n";
  std::cout << digest << '\n';
  return EXIT_SUCCESS;
}

// --------------------------------------------------------------------------- propose

struct ProposeOptions {
  std::string policy;
  std::string members;            // a change_members proposal instead of a policy
  std::string override_file;      // a charter_override: the override file to allow
  std::string restore;            // a charter_restore: the offender ...
  std::string restore_node;       // ... quarantined on this node ...
  int64_t restore_violation = 0;  // ... by this violation
  std::string title;
  std::string kind;  // standard, or emergency for an override
  std::vector<std::string> targets{std::string(kAllTargets)};
  std::string experiment;
  std::string waves;
  std::string window;
  std::string bake;
  std::vector<std::string> gates;
  std::string key;
  std::string member;
};

// The policy file's compiled digest, or a nonzero exit after printing the loader's errors.
std::optional<std::pair<std::string, capability::Digest>> compile_policy(const std::string& path) {
  std::string text;
  try {
    text = policy::read_policy_file(path);
  } catch (const policy::PolicyFileError& e) {
    std::cerr << common::printable(path) << ": error: " << e.what() << '\n';
    return std::nullopt;
  }
  policy::LoadResult loaded = policy::load_policy_text(text, path);
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.policy) return std::nullopt;
  const auto digest =
      capability::fixed_bytes<32>(capability::from_hex(policy::compile(*loaded.policy).digest_hex));
  return std::pair{std::move(text), *digest};
}

// The member signing, checked against the mesh's members now: the key file must be that
// member's.
capability::Ed25519KeyPair member_key(const Genesis& genesis, const MemberSet& members,
                                      const std::string& member, const std::string& key_path) {
  const Member* m = members.find(member);
  if (!m)
    throw std::runtime_error("--member '" + member + "' is not a member of mesh '" + genesis.mesh +
                             "'");
  capability::Ed25519KeyPair key = read_peer_key(key_path);
  if (key.public_key() != m->key)
    throw std::runtime_error(key_path + " is not the key of member '" + member +
                             "' (its public key differs from the members')");
  return key;
}

// What a proposal deploys or does, with the text that rides beside it.
struct ProposalPayload {
  ProposalAction action = ProposalAction::deploy_policy;
  capability::Digest digest{};  // the compiled policy, or the subject
  std::string policy_text;
  std::string members_text;
  std::vector<std::string> targets;  // the nodes an action concerns; empty: --targets
  std::string describe() const {
    return std::string(action == ProposalAction::deploy_policy ? "policy" : to_string(action)) +
           " " + hex_id(digest).substr(0, 16);
  }
};

// The payload of `wwctl gov propose`: POLICY, --members, --override or --restore, exactly one.
std::optional<ProposalPayload> proposal_payload(const ProposeOptions& o) {
  const int given =
      !o.policy.empty() + !o.members.empty() + !o.override_file.empty() + !o.restore.empty();
  if (given != 1)
    throw std::runtime_error(
        "give exactly one of: a POLICY file, --members FILE (a new member set), --override "
        "FILE (an emergency override of charter rules), --restore OFFENDER (lift a charter "
        "quarantine)");
  ProposalPayload payload;
  if (!o.override_file.empty()) {
    // The members decide on the override's digest; the affected nodes verify it themselves.
    const control::OverrideMessage message =
        control::from_message(read_override_file(o.override_file));
    payload.action = ProposalAction::charter_override;
    payload.digest = charter::override_digest(message.override_);
    payload.targets = message.override_.affected_nodes;
    return payload;
  }
  if (!o.restore.empty()) {
    if (o.restore_node.empty() || o.restore_violation <= 0)
      throw std::runtime_error(
          "--restore needs --on NODE and --violation N (the violation holding the quarantine, "
          "as `wwctl charter report` on that node shows it)");
    mesh::check_mesh_name(o.restore_node, "--on node");
    payload.action = ProposalAction::charter_restore;
    payload.digest = charter::restore_digest(o.restore_node, o.restore, o.restore_violation);
    payload.targets = {o.restore_node};
    return payload;
  }
  if (!o.members.empty()) {
    payload.action = ProposalAction::change_members;
    payload.members_text = read_text(o.members);
    const MemberSet members = parse_members(payload.members_text, o.members);
    for (const Member& m : members.members) mesh::check_mesh_name(m.id, "member id");
    payload.digest = members_digest(members);
    return payload;
  }
  auto compiled = compile_policy(o.policy);
  if (!compiled) return std::nullopt;
  payload.policy_text = std::move(compiled->first);
  payload.digest = compiled->second;
  return payload;
}

int run_propose(const ProposeOptions& o, const GovOptions& gov, const CommonOptions& common) {
  const std::optional<ProposalPayload> payload = proposal_payload(o);
  if (!payload) return EXIT_FAILURE;
  const bool deploys = payload->action == ProposalAction::deploy_policy;
  if (!deploys &&
      (!o.waves.empty() || !o.gates.empty() || !o.bake.empty() || !o.experiment.empty()))
    throw std::runtime_error(
        "--waves, --gate, --bake and --experiment are for a policy: a member change takes "
        "effect when its window closes, an override or a restoration when its node is given "
        "the decision");
  const bool needs_emergency = payload->action == ProposalAction::charter_override;
  const std::string kind_text =
      o.kind.empty() ? (needs_emergency ? "emergency" : "standard") : o.kind;
  if (needs_emergency && kind_text != "emergency")
    throw std::runtime_error(
        "an emergency override is allowed only by an emergency decision (its 67% quorum): "
        "--kind emergency");
  mesh::EtcdGateway store = open_store(gov.mesh, common);
  const mesh::MeshKeys keys(gov.mesh.mesh_name);
  GovernanceStore gov_store(store, keys);
  const Genesis genesis = load_genesis(gov_store, gov);
  const common::UnixSeconds now{std::chrono::seconds(now_unix())};
  const MemberHistory history = member_history(gov_store, genesis, now);
  const MemberSet& members = history.current(now).members;
  const capability::Ed25519KeyPair key = member_key(genesis, members, o.member, o.key);

  Proposal p;
  p.mesh = genesis.mesh;
  const auto kind = parse_proposal_kind(kind_text);
  if (!kind) throw std::runtime_error("--kind '" + kind_text + "': standard or emergency");
  p.kind = *kind;
  p.action = payload->action;
  (deploys ? p.policy_digest : p.subject) = payload->digest;
  p.targets = payload->targets.empty() ? o.targets : payload->targets;
  for (const std::string& t : p.targets)
    if (t != kAllTargets) mesh::check_mesh_name(t, "--targets node");
  if (deploys) {
    p.waves = o.waves.empty() ? kDefaultWaves : split_commas(o.waves);
    if (auto error = wave_plan_error(p.waves)) throw std::runtime_error("--waves: " + *error);
    p.gates = o.gates.empty() ? kDefaultGates : o.gates;
    if (auto error = gates_error(p.gates)) throw std::runtime_error("--gate: " + *error);
  }
  std::string experiment_text;
  if (!o.experiment.empty()) {
    // Its digest is signed into the proposal; the report rides beside it for routers to check.
    experiment_text = read_text(o.experiment);
    const cradle::ReportCheck check = cradle::verify_report_text(experiment_text, std::nullopt);
    if (!check.ok) throw std::runtime_error("--experiment " + o.experiment + ": " + check.problem);
    const auto digest = capability::fixed_bytes<32>(capability::from_hex(check.digest));
    if (!digest) throw std::runtime_error("--experiment " + o.experiment + ": no digest");
    p.experiment_report = *digest;
  }
  p.proposer = o.member;
  p.created = now;
  p.window =
      o.window.empty() ? genesis.settings.of(p.kind).window : parse_duration(o.window, "--window");
  p.members_digest = members_digest(members);
  p.title = o.title;
  if (deploys)
    p.bake =
        o.bake.empty() ? genesis.settings.default_bake : parse_duration(o.bake, "--bake", true);

  // The 10% rule for named targets is checked against the routers registered now.
  const bool whole_mesh =
      std::find(p.targets.begin(), p.targets.end(), kAllTargets) != p.targets.end();
  if (deploys && !whole_mesh && genesis.settings.experiment_above_ppm < kPpm) {
    const auto registered =
        static_cast<uint64_t>(std::max<int64_t>(1, store.count(keys.routers())));
    if (p.targets.size() * kPpm > genesis.settings.experiment_above_ppm * registered)
      throw std::runtime_error(std::to_string(p.targets.size()) + " of " +
                               std::to_string(registered) +
                               " registered routers is more than this mesh allows without a "
                               "passing twin experiment report");
  }
  const SignedProposal signed_proposal = sign_proposal(p, key);
  const ProposalRecord record{signed_proposal, payload->policy_text, experiment_text,
                              payload->members_text};
  if (auto error = admission_error(signed_proposal, genesis, history))
    throw std::runtime_error("the proposal would be refused: " + *error);
  if (auto error = experiment_error(record, genesis, members))
    throw std::runtime_error("the proposal would be refused: " + *error);
  if (!gov_store.add_proposal(record)) {
    std::cerr << "wwctl: error: this exact proposal exists already\n";
    return EXIT_FAILURE;
  }
  const std::string id = hex_id(proposal_id(p));
  std::cerr << "proposed '" << common::printable(p.title) << "' (" << to_string(p.kind) << ", "
            << payload->describe() << ", voting closes "
            << capability::format_rfc3339_utc(p.created + p.window) << "):\n";
  std::cout << id << '\n';
  return EXIT_SUCCESS;
}

// --------------------------------------------------------------------------- vote

struct VoteOptions {
  std::string id;
  std::string choice;
  std::string key;
  std::string member;
};

int run_vote(const VoteOptions& o, const GovOptions& gov, const CommonOptions& common) {
  const auto choice = parse_choice(o.choice);
  if (!choice) throw std::runtime_error("choice '" + o.choice + "': yes, no or abstain");
  mesh::EtcdGateway store = open_store(gov.mesh, common);
  const mesh::MeshKeys keys(gov.mesh.mesh_name);
  GovernanceStore gov_store(store, keys);
  const Genesis genesis = load_genesis(gov_store, gov);
  const common::UnixSeconds now{std::chrono::seconds(now_unix())};
  const Decision before = decide(gov_store, genesis, o.id, now);
  const Proposal& p = before.record.proposal.proposal;
  // The proposal's snapshot decides who votes, even if the members have changed since.
  const capability::Ed25519KeyPair key = member_key(genesis, before.members, o.member, o.key);

  Vote v;
  v.mesh = p.mesh;
  v.proposal = proposal_id(p);
  v.kind = p.kind;
  v.choice = *choice;
  v.voter = o.member;
  v.at = now;
  const SignedVote signed_vote = sign_vote(v, key);
  const VoteVerdict verdict = check_vote(signed_vote, before.record.proposal, before.members, {});
  if (!verdict.ok()) {
    std::cerr << "wwctl: error: the vote would not count (" << to_string(verdict.refusal)
              << "): " << verdict.detail << '\n';
    return EXIT_FAILURE;
  }
  if (!gov_store.add_vote(signed_vote)) {
    std::cerr << "wwctl: error: member '" << o.member
              << "' has voted on this proposal already (duplicate): one vote per member, never "
                 "replaced\n";
    return EXIT_FAILURE;
  }
  const Decision after = decide(gov_store, genesis, o.id, now);
  std::cout << "voted " << to_string(*choice) << " on " << o.id.substr(0, 16) << ": "
            << describe(after.tally) << '\n';
  return EXIT_SUCCESS;
}

// --------------------------------------------------------------------------- discharge

struct DischargeOptions {
  std::string id;
  std::string token;
  std::string key;
  std::string valid_for = "24h";
};

// The discharge of `requires_dao_vote = ID` for a token, minted only once proposal ID has
// passed, and only for a caveat that names that proposal: a vote on one change never
// discharges a token asking for another.
int run_discharge(const DischargeOptions& o, const GovOptions& gov, const CommonOptions& common) {
  const capability::Macaroon token = capability::parse_v2_text(read_text_or_inline(o.token));
  const std::string caveat_id = std::string(capability::kDaoVoteCaveat) + " = " + o.id;
  const bool asked =
      std::any_of(token.caveats().begin(), token.caveats().end(), [&](const auto& c) {
        return c.is_third_party() && capability::to_string(c.identifier) == caveat_id;
      });
  if (!asked)
    throw std::runtime_error("the token has no third-party caveat '" + caveat_id +
                             "': a discharge is bound to the proposal its caveat names");
  mesh::EtcdGateway store = open_store(gov.mesh, common);
  const mesh::MeshKeys keys(gov.mesh.mesh_name);
  GovernanceStore gov_store(store, keys);
  const Genesis genesis = load_genesis(gov_store, gov);
  const common::UnixSeconds now{std::chrono::seconds(now_unix())};
  const Decision decision = decide(gov_store, genesis, o.id, now);
  if (!decision.tally.passed) {
    std::cerr << "wwctl: error: proposal " << o.id.substr(0, 16)
              << " has not passed: " << describe(decision.tally) << "; no discharge\n";
    return EXIT_FAILURE;
  }
  const capability::RootKey key = capability::read_root_key_file(o.key);
  capability::Macaroon discharge =
      capability::Macaroon::mint(key.view(), capability::as_bytes(caveat_id), "governance");
  // Short-lived: a discharge outliving its purpose is a standing permission.
  discharge.add_first_party_caveat(
      "valid_until = " +
      capability::format_rfc3339_utc(now + parse_duration(o.valid_for, "--valid-for")));
  std::cerr << "proposal " << o.id.substr(0, 16) << " passed (" << describe(decision.tally)
            << "); discharge bound to the token:\n";
  std::cout << capability::serialize_v2_text(discharge.bound_to(token)) << '\n';
  return EXIT_SUCCESS;
}

}  // namespace

void add_gov_options(CLI::App& command, GovOptions& options, bool json_output) {
  add_mesh_options(command, options.mesh);
  command.add_option("--gov-genesis", options.genesis,
                     "The genesis digest the routers were started with: refuse any other");
  if (json_output) command.add_flag("--json", options.as_json, "Print JSON");
}

governance::Genesis load_genesis(governance::GovernanceStore& store, const GovOptions& options) {
  if (!options.genesis.empty()) {
    const auto digest = capability::fixed_bytes<32>(capability::from_hex(options.genesis));
    if (!digest) throw std::runtime_error("--gov-genesis '" + options.genesis + "': 64 hex digits");
    return trusted_genesis(store, *digest);
  }
  const std::optional<Genesis> genesis = store.genesis();
  if (!genesis)
    throw std::runtime_error("mesh '" + options.mesh.mesh_name +
                             "' has no governance (wwctl gov init --members FILE)");
  std::cerr << "note: using the mesh's genesis " << hex_id(genesis_digest(*genesis)).substr(0, 16)
            << " unchecked (give --gov-genesis to check it)\n";
  return *genesis;
}

void register_gov_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* gov = app.add_subcommand(
      "gov", "Governance: members, signed proposals and votes, canary rollouts (in etcd)");
  gov->require_subcommand(1);
  auto options = std::make_shared<GovOptions>();

  CLI::App* init = gov->add_subcommand(
      "init", "Found the mesh's governance from a members file; prints the --gov-genesis digest");
  auto i = std::make_shared<InitOptions>();
  add_gov_options(*init, *options, false);
  init->add_option("--members", i->members, "Members file: `ID BASE64-ED25519-KEY [POWER]` lines")
      ->required()
      ->check(CLI::ExistingFile);
  init->add_option("--standard-window", i->standard_window, "Voting window of a standard proposal")
      ->capture_default_str();
  init->add_option("--emergency-window", i->emergency_window,
                   "Voting window of an emergency proposal (and its cap)")
      ->capture_default_str();
  init->add_option("--min-window", i->min_window, "Shortest --window a proposal may ask for")
      ->capture_default_str();
  init->add_option("--max-window", i->max_window, "Longest --window a proposal may ask for")
      ->capture_default_str();
  init->add_option("--bake", i->bake, "Default bake time per wave")->capture_default_str();
  init->add_option("--support-ppm", i->support_ppm,
                   "Standard: yes/(yes+no) must exceed this (parts per million)")
      ->capture_default_str();
  init->add_option("--participation-ppm", i->participation_ppm,
                   "Standard: cast power/total must reach this")
      ->capture_default_str();
  init->add_option("--emergency-support-ppm", i->emergency_support_ppm, "Emergency support")
      ->capture_default_str();
  init->add_option("--emergency-participation-ppm", i->emergency_participation_ppm,
                   "Emergency quorum (the original design's 67%)")
      ->capture_default_str();
  init->add_option("--experiment-above-ppm", i->experiment_above_ppm,
                   "A proposal for more than this share of the mesh needs a passing twin report; "
                   "1000000 turns the rule off (loudly)")
      ->capture_default_str();
  init->add_option("--sample-interval", i->sample_interval, "How often the gates sample routers")
      ->capture_default_str();
  init->add_option("--min-samples", i->min_samples, "Good samples a wave needs to be promoted")
      ->capture_default_str();
  init->add_option("--nodata-limit", i->nodata_limit,
                   "Samples in a row without data that abort a rollout")
      ->capture_default_str();
  init->callback([i, options, &common, &exit_code] { exit_code = run_init(*i, *options, common); });

  CLI::App* propose = gov->add_subcommand(
      "propose", "Propose a policy (or a new member set) for the members' vote; prints its id");
  auto p = std::make_shared<ProposeOptions>();
  add_gov_options(*propose, *options, false);
  propose->add_option("POLICY", p->policy, "Policy file (or --members)");
  propose
      ->add_option("--members", p->members,
                   "Propose this members file as the new member set instead of a policy; it "
                   "takes effect when the voting window closes, if passed")
      ->check(CLI::ExistingFile);
  propose->add_option("--title", p->title, "What voters read")->required();
  propose->add_option("--key", p->key, "Your member key (wwctl peer keygen)")->required();
  propose->add_option("--member", p->member, "Your member id")->required();
  propose->add_option("--kind", p->kind,
                      "standard or emergency (default: standard; an --override is emergency)");
  propose
      ->add_option("--override", p->override_file,
                   "Propose allowing this emergency override (an override file from `wwctl "
                   "charter override -o`) instead of a policy; targets its affected nodes")
      ->check(CLI::ExistingFile);
  propose->add_option(
      "--restore", p->restore,
      "Propose lifting this offender's charter quarantine (with --on, --violation)");
  propose->add_option("--on", p->restore_node, "--restore: the node holding the quarantine");
  propose->add_option("--violation", p->restore_violation,
                      "--restore: the violation holding it (`wwctl charter report` on that node)");
  propose->add_option("--targets", p->targets, "all, or node ids")->capture_default_str();
  propose->add_option("--experiment", p->experiment,
                      "A passing twin report (`wwctl cradle run` of this policy, signed by a "
                      "member): needed above the mesh's experiment rule");
  propose->add_option("--waves", p->waves, "Rollout waves (default 1,10%,50%,100%)");
  propose->add_option("--window", p->window, "Voting window (default: the mesh's for the kind)");
  propose->add_option("--bake", p->bake, "Bake time per wave (default: the mesh's, 30m)");
  propose->add_option("--gate", p->gates,
                      "A health gate 'SIGNAL OP N' (repeat; default: rule and default drop rates "
                      "<= 20/s, no new quarantine, no restart)");
  propose->callback(
      [p, options, &common, &exit_code] { exit_code = run_propose(*p, *options, common); });

  CLI::App* vote = gov->add_subcommand("vote", "Vote on a proposal with your member key");
  auto v = std::make_shared<VoteOptions>();
  add_gov_options(*vote, *options, false);
  vote->add_option("ID", v->id, "Proposal id")->required();
  vote->add_option("CHOICE", v->choice, "yes, no or abstain")->required();
  vote->add_option("--key", v->key, "Your member key")->required();
  vote->add_option("--member", v->member, "Your member id")->required();
  vote->callback([v, options, &common, &exit_code] { exit_code = run_vote(*v, *options, common); });

  CLI::App* discharge = gov->add_subcommand(
      "discharge", "For a passed proposal: the discharge of a token's requires_dao_vote = ID");
  auto d = std::make_shared<DischargeOptions>();
  add_gov_options(*discharge, *options, false);
  discharge->add_option("ID", d->id, "The passed proposal's id")->required();
  discharge->add_option("--for", d->token, "The token (file or text) the discharge binds to")
      ->required();
  discharge->add_option("--key", d->key, "The caveat key shared with the token's issuer")
      ->required();
  discharge->add_option("--valid-for", d->valid_for, "How long the discharge holds")
      ->capture_default_str();
  discharge->callback(
      [d, options, &common, &exit_code] { exit_code = run_discharge(*d, *options, common); });

  register_gov_view_commands(*gov, common, exit_code);
}

}  // namespace westworld::cli
