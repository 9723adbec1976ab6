#include "westworld/governance/records.h"

#include "westworld/governance/json_fields.h"

namespace westworld::governance {
namespace {

using detail::JsonFields;
using nlohmann::json;

std::int64_t unix_seconds(common::UnixSeconds time) { return time.time_since_epoch().count(); }

json kind_settings(const KindSettings& kind) {
  return {{"support_ppm", kind.thresholds.support_ppm},
          {"min_participation_ppm", kind.thresholds.min_participation_ppm},
          {"window_s", kind.window.count()}};
}

KindSettings read_kind_settings(const json& value, const std::string& what) {
  const JsonFields fields(value, what, {"support_ppm", "min_participation_ppm", "window_s"});
  auto ppm = [&](const char* name) {
    const std::uint64_t v = fields.natural(name);
    if (v > kPpm) fields.fail(name, "must be at most 1000000 (100%)");
    return static_cast<std::uint32_t>(v);
  };
  return {{ppm("support_ppm"), ppm("min_participation_ppm")},
          std::chrono::seconds(fields.natural("window_s"))};
}

}  // namespace

std::string hex_id(const capability::Digest& digest) { return capability::to_hex(digest); }

std::string encode_genesis(const Genesis& g) {
  json members = json::array();
  for (const Member& m : g.members.members)
    members.push_back({{"id", m.id}, {"key", capability::to_base64(m.key)}, {"power", m.power}});
  const GovernanceSettings& s = g.settings;
  return json{{"format", kGenesisFormat},
              {"mesh", g.mesh},
              {"members", std::move(members)},
              {"standard", kind_settings(s.standard)},
              {"emergency", kind_settings(s.emergency)},
              {"min_window_s", s.min_window.count()},
              {"max_window_s", s.max_window.count()},
              {"default_bake_s", s.default_bake.count()},
              {"experiment_above_ppm", s.experiment_above_ppm},
              {"sample_interval_s", s.sample_interval.count()},
              {"min_samples", s.min_samples},
              {"nodata_limit", s.nodata_limit}}
      .dump();
}

Genesis decode_genesis(std::string_view text) {
  const JsonFields fields(
      text, "governance genesis", kGenesisFormat,
      {"mesh", "members", "standard", "emergency", "min_window_s", "max_window_s", "default_bake_s",
       "experiment_above_ppm", "sample_interval_s", "min_samples", "nodata_limit"});
  Genesis g;
  g.mesh = fields.string("mesh");
  const json& members = fields.raw("members");
  if (!members.is_array() || members.empty())
    fields.fail("members", "must be a non-empty list of members");
  for (std::size_t i = 0; i < members.size(); ++i) {
    const JsonFields m(members[i], "governance genesis, members[" + std::to_string(i) + "]",
                       {"id", "key", "power"});
    const auto key = capability::parse_ed25519_public_key(m.string("key"));
    if (!key) m.fail("key", "is not an Ed25519 public key in base64");
    const std::uint64_t power = m.natural("power");
    if (power == 0) m.fail("power", "must be at least 1");
    if (g.members.find(m.string("id"))) m.fail("id", "'" + m.string("id") + "' appears twice");
    for (const Member& other : g.members.members)
      if (other.key == *key) m.fail("key", "is also the key of member '" + other.id + "'");
    g.members.members.push_back({m.string("id"), *key, power});
  }
  GovernanceSettings& s = g.settings;
  s.standard = read_kind_settings(fields.raw("standard"), "governance genesis, standard");
  s.emergency = read_kind_settings(fields.raw("emergency"), "governance genesis, emergency");
  s.min_window = std::chrono::seconds(fields.natural("min_window_s"));
  s.max_window = std::chrono::seconds(fields.natural("max_window_s"));
  s.default_bake = std::chrono::seconds(fields.natural("default_bake_s"));
  s.experiment_above_ppm = detail::small_natural(fields, "experiment_above_ppm");
  s.sample_interval = std::chrono::seconds(fields.natural("sample_interval_s"));
  s.min_samples = detail::small_natural(fields, "min_samples");
  s.nodata_limit = detail::small_natural(fields, "nodata_limit");
  if (auto error = settings_error(s)) fields.fail("the settings", *error);
  return g;
}

std::string encode_proposal(const ProposalRecord& record) {
  const Proposal& p = record.proposal.proposal;
  json doc{{"format", kProposalFormat},
           {"mesh", p.mesh},
           {"kind", to_string(p.kind)},
           {"policy_digest", hex_id(p.policy_digest)},
           {"targets", p.targets},
           {"waves", p.waves},
           {"proposer", p.proposer},
           {"created", unix_seconds(p.created)},
           {"window_s", p.window.count()},
           {"members_digest", hex_id(p.members_digest)},
           {"title", p.title},
           {"bake_s", p.bake.count()},
           {"gates", p.gates},
           {"signature", capability::to_base64(record.proposal.signature)},
           {"policy", record.policy_text}};
  if (p.experiment_report) doc["experiment_report"] = hex_id(*p.experiment_report);
  if (!record.experiment_report_text.empty()) doc["experiment"] = record.experiment_report_text;
  if (p.action != ProposalAction::deploy_policy) {
    doc["action"] = to_string(p.action);
    doc["subject"] = hex_id(p.subject);
  }
  if (!record.members_text.empty()) doc["members"] = record.members_text;
  return doc.dump();
}

ProposalRecord decode_proposal(std::string_view text) {
  const JsonFields fields(
      text, "governance proposal", kProposalFormat,
      {"mesh", "kind", "policy_digest", "targets", "waves", "proposer", "created", "window_s",
       "members_digest", "title", "bake_s", "gates", "signature", "policy", "experiment_report",
       "experiment", "action", "subject", "members"},
      {"experiment_report", "experiment", "action", "subject", "members"});
  ProposalRecord record;
  Proposal& p = record.proposal.proposal;
  p.mesh = fields.string("mesh");
  const auto kind = parse_proposal_kind(fields.string("kind"));
  if (!kind) fields.fail("kind", "must be 'standard' or 'emergency'");
  p.kind = *kind;
  p.policy_digest = fields.hex<32>("policy_digest");
  p.targets = fields.strings("targets");
  p.waves = fields.strings("waves");
  p.proposer = fields.string("proposer");
  p.created = common::UnixSeconds(std::chrono::seconds(fields.integer("created")));
  p.window = std::chrono::seconds(fields.natural("window_s"));
  p.members_digest = fields.hex<32>("members_digest");
  p.title = fields.string("title");
  p.bake = std::chrono::seconds(fields.natural("bake_s"));
  p.gates = fields.strings("gates");
  if (fields.has("experiment_report")) p.experiment_report = fields.hex<32>("experiment_report");
  record.proposal.signature = fields.base64<64>("signature");
  record.policy_text = fields.string("policy");
  if (fields.has("experiment")) record.experiment_report_text = fields.string("experiment");
  if (fields.has("action")) {
    const auto action = parse_proposal_action(fields.string("action"));
    if (!action || *action == ProposalAction::deploy_policy)
      fields.fail("action", "must be 'change_members', 'charter_override' or 'charter_restore'");
    p.action = *action;
    if (!fields.has("subject")) fields.fail("subject", "is required with an action");
    p.subject = fields.hex<32>("subject");
  } else if (fields.has("subject")) {
    fields.fail("subject", "is only for an action other than deploy_policy");
  }
  if (fields.has("members")) {
    if (p.action != ProposalAction::change_members)
      fields.fail("members", "is only for a change_members proposal");
    record.members_text = fields.string("members");
  }
  return record;
}

std::string encode_vote(const SignedVote& s) {
  const Vote& v = s.vote;
  return json{{"format", kVoteFormat},          {"mesh", v.mesh},
              {"proposal", hex_id(v.proposal)}, {"kind", to_string(v.kind)},
              {"choice", to_string(v.choice)},  {"voter", v.voter},
              {"at", unix_seconds(v.at)},       {"signature", capability::to_base64(s.signature)}}
      .dump();
}

SignedVote decode_vote(std::string_view text) {
  const JsonFields fields(text, "governance vote", kVoteFormat,
                          {"mesh", "proposal", "kind", "choice", "voter", "at", "signature"});
  SignedVote s;
  Vote& v = s.vote;
  v.mesh = fields.string("mesh");
  v.proposal = fields.hex<32>("proposal");
  const auto kind = parse_proposal_kind(fields.string("kind"));
  if (!kind) fields.fail("kind", "must be 'standard' or 'emergency'");
  v.kind = *kind;
  const auto choice = parse_choice(fields.string("choice"));
  if (!choice) fields.fail("choice", "must be 'yes', 'no' or 'abstain'");
  v.choice = *choice;
  v.voter = fields.string("voter");
  v.at = common::UnixSeconds(std::chrono::seconds(fields.integer("at")));
  s.signature = fields.base64<64>("signature");
  return s;
}

}  // namespace westworld::governance
