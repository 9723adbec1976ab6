// The agent's trust gate: tokens, peer signatures and nonces on the policy-apply path,
// and the audit record of every apply, with real key files, a real nonce store and a
// real audit log in a scratch directory.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "test_support.h"
#include "westworld/agent/trust_gate.h"
#include "westworld/capability/macaroon_v2.h"
#include "westworld/capability/secret_file.h"

namespace westworld::agent {
namespace {

using namespace westworld::capability;
using nlohmann::json;
using trust_test::TempDir;

constexpr int kPeers = 5;

UnixSeconds at(const char* rfc3339) { return *parse_rfc3339_utc(rfc3339); }

std::string fresh_nonce() {
  ChangeNonce nonce;
  random_bytes(nonce);
  return to_hex(nonce);
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class TrustGateTest : public ::testing::Test {
 protected:
  TrustGateTest() : clock(at("2026-06-01T00:00:00Z")) {
    create_root_key_file(dir / "root.key", generate_root_key());
    root_key = read_root_key_file(dir / "root.key");
    std::string peers = "# id  ed25519 public key\n\n";
    for (int i = 0; i < kPeers; ++i) {
      peer_keys.push_back(Ed25519KeyPair::generate());
      peers += "p" + std::to_string(i) + " " + to_base64(peer_keys.back().public_key()) + "\n";
    }
    trust_test::write_file(dir / "peers", peers);
    ::chmod((dir / "peers").c_str(), 0644);
    audit_signer.emplace(audit::NoteSigner::generate("westworld.test/audit"));
    write_new_secret_file(dir / "audit.key", audit_signer->private_key() + "\n");

    options = {(dir / "root.key").string(), "n1",
               (dir / "peers").string(),    100,
               (dir / "nonces").string(),   (dir / "audit.db").string(),
               (dir / "audit.key").string()};
  }

  Macaroon token(std::vector<std::string> caveats, const std::string& id = "op-1") {
    Macaroon t = Macaroon::mint(root_key.view(), as_bytes(id), "westworld");
    for (const auto& c : caveats) t.add_first_party_caveat(c);
    return t;
  }
  Macaroon good_token(const std::string& id = "op-1") {
    return token({"action = policy.apply", "node = n1", "valid_until = 2026-12-01T00:00:00Z"}, id);
  }

  ChangeRequest change(const std::string& nonce_hex) {
    ChangeRequest c{std::string(kPolicyApplyAction), {"n1"}, {}, {}, 1780000000};
    std::copy_n(trust_test::unhex(digest).begin(), 32, c.policy_digest.begin());
    std::copy_n(trust_test::unhex(nonce_hex).begin(), 32, c.nonce.begin());
    return c;
  }

  // Approvals by the given peers, sorted by signer key as the agent requires.
  std::vector<control::PeerApproval> signatures(const std::string& nonce_hex,
                                                std::vector<int> signers) {
    std::vector<PeerSignature> sigs;
    for (int i : signers) sigs.push_back(sign_change(change(nonce_hex), peer_keys[i]));
    std::sort(sigs.begin(), sigs.end(), [](auto& a, auto& b) { return a.signer < b.signer; });
    std::vector<control::PeerApproval> out;
    for (const auto& s : sigs) out.push_back({to_base64(s.signer), to_base64(s.signature)});
    return out;
  }

  control::ApplyCredentials request(const Macaroon& t, const std::string& nonce_hex,
                                    std::vector<control::PeerApproval> sigs = {}) {
    control::ApplyCredentials c;
    c.token = serialize_v2_text(t);
    c.nonce = nonce_hex;
    c.time = 1780000000;
    c.signatures = std::move(sigs);
    return c;
  }

  audit::AuditLog reopened_log() { return audit::AuditLog::open_existing(dir / "audit.db"); }

  TempDir dir;
  FixedClock clock;
  RootKey root_key;
  std::vector<Ed25519KeyPair> peer_keys;
  std::optional<audit::NoteSigner> audit_signer;
  TrustOptions options;
  const std::string digest = to_hex(sha256(as_bytes("compiled policy")));
};

TEST_F(TrustGateTest, OpenModeAllowsEveryApplyAndStillAudits) {
  options.root_key_path.clear();
  TrustGate gate(options, clock);
  EXPECT_TRUE(gate.open_mode());
  EXPECT_TRUE(mentions(gate.open_mode_warning(), "OPEN MODE")) << gate.open_mode_warning();
  const ApplyDecision decision = gate.check_apply({}, digest);
  ASSERT_TRUE(decision.allowed);
  EXPECT_EQ(gate.record_apply(decision, digest), 0u);
  EXPECT_TRUE(reopened_log().verify(audit_signer->verifier()).ok);
  EXPECT_TRUE(mentions(reopened_log().entry(0).leaf, "\"token_id\":\"open-mode\""));

  options.audit_log_path.clear();
  options.audit_key_path.clear();
  TrustGate unaudited(options, clock);
  EXPECT_EQ(unaudited.record_apply(unaudited.check_apply({}, digest), digest), std::nullopt);
}

TEST_F(TrustGateTest, ValidTokenAllowsAndTheAuditLogVerifies) {
  TrustGate gate(options, clock);
  EXPECT_FALSE(gate.open_mode());
  EXPECT_EQ(gate.open_mode_warning(), "");
  const ApplyDecision decision = gate.check_apply(request(good_token(), fresh_nonce()), digest);
  ASSERT_TRUE(decision.allowed) << decision.reason;
  EXPECT_EQ(decision.token_id, "op-1");
  EXPECT_EQ(gate.record_apply(decision, digest), 0u);

  const audit::AuditLog log = reopened_log();
  ASSERT_EQ(log.size(), 1u);
  const json record = json::parse(log.entry(0).leaf);
  EXPECT_EQ(record["type"], "policy_apply");
  EXPECT_EQ(record["fields"]["digest"], digest);
  EXPECT_EQ(record["fields"]["token_id"], "op-1");
  const audit::LogVerification verified = log.verify(audit_signer->verifier());
  EXPECT_TRUE(verified.ok) << verified.reason;
}

TEST_F(TrustGateTest, TokenFromAnotherRootKeyIsRefused) {
  TrustGate gate(options, clock);
  const RootKey other = generate_root_key();
  Macaroon forged = Macaroon::mint(other.view(), as_bytes("op-1"));
  forged.add_first_party_caveat("action = policy.apply");
  const ApplyDecision d = gate.check_apply(request(forged, fresh_nonce()), digest);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(mentions(d.reason, "token rejected")) << d.reason;
}

TEST_F(TrustGateTest, EachFailingCaveatIsNamed) {
  TrustGate gate(options, clock);
  const auto refusal = [&](const Macaroon& t) {
    const ApplyDecision d = gate.check_apply(request(t, fresh_nonce()), digest);
    EXPECT_FALSE(d.allowed);
    return d.reason;
  };
  EXPECT_TRUE(mentions(refusal(token({"valid_until = 2026-05-01T00:00:00Z"})),
                       "caveat 'valid_until = 2026-05-01T00:00:00Z' failed"));
  EXPECT_TRUE(mentions(refusal(token({"action = policy.apply", "node = n2"})),
                       "caveat 'node = n2' failed"));
  EXPECT_TRUE(
      mentions(refusal(token({"action = quarantine"})), "caveat 'action = quarantine' failed"));
  EXPECT_TRUE(mentions(refusal(token({"affects_network_ppm_le = 9999"})),
                       "caveat 'affects_network_ppm_le = 9999' failed"));

  clock.set(at("2026-12-01T00:00:00Z"));  // the good token expires at this instant
  EXPECT_TRUE(mentions(refusal(good_token()), "valid_until"));
}

TEST_F(TrustGateTest, MassChangeInASmallMeshNeedsThreePeerSignatures) {
  options.mesh_size = 5;  // one node is 20% of the mesh
  TrustGate gate(options, clock);
  std::string nonce = fresh_nonce();
  ApplyDecision d = gate.check_apply(request(good_token(), nonce), digest);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(mentions(d.reason, "too_few_signatures")) << d.reason;
  EXPECT_TRUE(mentions(d.reason, "needs 3 peer signatures, got 0")) << d.reason;

  d = gate.check_apply(request(good_token(), nonce, signatures(nonce, {1, 2})), digest);
  EXPECT_TRUE(mentions(d.reason, "got 2")) << d.reason;

  d = gate.check_apply(request(good_token(), nonce, signatures(nonce, {1, 2, 4})), digest);
  ASSERT_TRUE(d.allowed) << d.reason;
  std::sort(d.signers.begin(), d.signers.end());
  EXPECT_EQ(d.signers, (std::vector<std::string>{"p1", "p2", "p4"}));
  ASSERT_EQ(gate.record_apply(d, digest), 0u);
  const json record = json::parse(reopened_log().entry(0).leaf);
  EXPECT_EQ(record["fields"]["signers"].size(), 3u);
}

TEST_F(TrustGateTest, SignaturesOverAnotherPolicyOrByStrangersAreRefused) {
  options.mesh_size = 5;
  TrustGate gate(options, clock);
  const std::string nonce = fresh_nonce();
  const std::string other_digest = to_hex(sha256(as_bytes("another policy")));
  ApplyDecision d =
      gate.check_apply(request(good_token(), nonce, signatures(nonce, {0, 1, 2})), other_digest);
  EXPECT_TRUE(mentions(d.reason, "bad_signature")) << d.reason;

  const Ed25519KeyPair stranger = Ed25519KeyPair::generate();
  const PeerSignature s = sign_change(change(nonce), stranger);
  const std::vector<control::PeerApproval> strange = {
      {to_base64(s.signer), to_base64(s.signature)}};
  d = gate.check_apply(request(good_token(), nonce, strange), digest);
  EXPECT_TRUE(mentions(d.reason, "not_a_peer")) << d.reason;
}

TEST_F(TrustGateTest, TheRequesterCannotApproveItsOwnChange) {
  options.mesh_size = 5;
  TrustGate gate(options, clock);
  const std::string nonce = fresh_nonce();
  const ApplyDecision d =
      gate.check_apply(request(good_token("p0"), nonce, signatures(nonce, {0, 1, 2})), digest);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(mentions(d.reason, "self_signature")) << d.reason;
}

TEST_F(TrustGateTest, ANonceIsSpentOnceAndOnlyByAnAuthorisedRequest) {
  const std::string nonce = fresh_nonce();
  {
    TrustGate gate(options, clock);
    const ApplyDecision refused = gate.check_apply(request(token({"node = n9"}), nonce), digest);
    ASSERT_FALSE(refused.allowed);
    ASSERT_TRUE(gate.check_apply(request(good_token(), nonce), digest).allowed);
    const ApplyDecision replay = gate.check_apply(request(good_token(), nonce), digest);
    EXPECT_FALSE(replay.allowed);
    EXPECT_TRUE(mentions(replay.reason, "replayed_nonce")) << replay.reason;
  }
  TrustGate restarted(options, clock);  // the store is a file: restarts remember
  const ApplyDecision replay = restarted.check_apply(request(good_token(), nonce), digest);
  EXPECT_TRUE(mentions(replay.reason, "replayed_nonce")) << replay.reason;
}

TEST_F(TrustGateTest, MalformedRequestsAreRefusedWithTheFieldNamed) {
  TrustGate gate(options, clock);
  // Wrong JSON types never get this far: the protocol's codec refuses them (codec tests).
  control::ApplyCredentials r = request(good_token(), fresh_nonce());
  r.token.reset();
  EXPECT_TRUE(mentions(gate.check_apply(r, digest).reason, "capability token"));
  r = request(good_token(), "abc");
  EXPECT_TRUE(mentions(gate.check_apply(r, digest).reason, "nonce"));
  r = request(good_token(), fresh_nonce());
  r.time.reset();
  EXPECT_TRUE(mentions(gate.check_apply(r, digest).reason, "time"));
  r = request(good_token(), fresh_nonce(), {{"x", "y"}});
  EXPECT_TRUE(mentions(gate.check_apply(r, digest).reason, "signature 1"));
  r = request(good_token(), fresh_nonce());
  r.token = "not a token";
  EXPECT_TRUE(mentions(gate.check_apply(r, digest).reason, "not a V2 macaroon"));
}

// The agent checks the caller before it parses the policy, so these checks need no digest
// and spend nothing; the nonce goes with the change, once the policy is compiled.
TEST_F(TrustGateTest, TheCallerIsCheckedWithoutThePolicyAndSpendsNothing) {
  TrustGate gate(options, clock);
  const std::string nonce = fresh_nonce();
  const CallerCheck stranger = gate.check_credentials(request(token({"node = n2"}), nonce));
  ASSERT_FALSE(stranger.ok());
  EXPECT_TRUE(mentions(*stranger.refusal, "token rejected")) << *stranger.refusal;
  EXPECT_FALSE(gate.check_change(stranger, digest).allowed) << "a refused caller stays refused";

  const CallerCheck caller = gate.check_credentials(request(good_token(), nonce));
  ASSERT_TRUE(caller.ok()) << *caller.refusal;
  EXPECT_EQ(caller.token_id, "op-1");
  ASSERT_TRUE(gate.check_credentials(request(good_token(), nonce)).ok()) << "nothing was spent";
  EXPECT_TRUE(gate.check_change(caller, digest).allowed);
  const ApplyDecision replay = gate.check_change(caller, digest);
  EXPECT_FALSE(replay.allowed);
  EXPECT_TRUE(mentions(replay.reason, "replayed_nonce")) << replay.reason;

  options.root_key_path.clear();
  options.audit_log_path.clear();
  options.audit_key_path.clear();
  TrustGate open(options, clock);
  const CallerCheck anyone = open.check_credentials({});
  ASSERT_TRUE(anyone.ok());
  EXPECT_EQ(anyone.token_id, kOpenModeTokenId);
}

TEST_F(TrustGateTest, AuthorizeAuditsAllowedAppliesOnly) {
  TrustGate gate(options, clock);
  const ApplyDecision refused =
      gate.authorize_apply(request(token({"node = n2"}), fresh_nonce()), digest);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.audit_index, std::nullopt);
  const ApplyDecision allowed = gate.authorize_apply(request(good_token(), fresh_nonce()), digest);
  ASSERT_TRUE(allowed.allowed) << allowed.reason;
  EXPECT_EQ(allowed.audit_index, 0u);
  EXPECT_EQ(reopened_log().size(), 1u);
}

#ifdef WW_WWCTL
constexpr const char* kWwctl = WW_WWCTL;
#else
constexpr const char* kWwctl = nullptr;
#endif

// `wwctl peer keygen` and `wwctl policy sign` produce what the gate accepts.
TEST_F(TrustGateTest, SignaturesFromWwctlPolicySignAreAccepted) {
  if (!kWwctl) GTEST_SKIP() << "wwctl is not part of this build";
  const auto wwctl = [](std::vector<std::string> args) {
    args.insert(args.begin(), kWwctl);
    const trust_test::ProcessResult r = trust_test::run_process(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  std::string peers;
  for (const char* id : {"q1", "q2", "q3"})
    peers += wwctl({"peer", "keygen", (dir / id).string(), "--peer", id});
  trust_test::write_file(dir / "peers", peers);
  ::chmod((dir / "peers").c_str(), 0644);
  const std::string policy = (dir / "policy.yaml").string();
  trust_test::write_file(policy, "version: 1\ncharter:\n  default: allow\n");
  const std::string compiled_digest = json::parse(wwctl({"policy", "compile", policy}))["digest"];

  const std::string nonce = fresh_nonce();
  std::vector<control::PeerApproval> sigs;
  for (const char* id : {"q1", "q2", "q3"}) {
    const json file =
        json::parse(wwctl({"policy", "sign", policy, "--key", (dir / id).string(), "--peer", id,
                           "--node", "n1", "--nonce", nonce, "--time", "2026-06-01T00:00:00Z"}));
    EXPECT_EQ(file["policy_digest"], compiled_digest);
    sigs.push_back({file["peer"].get<std::string>(), file["signature"].get<std::string>()});
  }
  std::sort(sigs.begin(), sigs.end(), [](const auto& a, const auto& b) {
    return *from_base64(a.peer) < *from_base64(b.peer);
  });
  options.mesh_size = 5;
  TrustGate gate(options, clock);
  control::ApplyCredentials r = request(good_token(), nonce, sigs);
  r.time = at("2026-06-01T00:00:00Z").time_since_epoch().count();
  const ApplyDecision d = gate.check_apply(r, compiled_digest);
  EXPECT_TRUE(d.allowed) << d.reason;
}

std::string construction_error(const TrustOptions& options) {
  try {
    TrustGate gate(options);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(TrustGateTest, LoadingErrorsSayWhatIsWrongInOneLine) {
  TrustOptions o = options;
  o.root_key_path = (dir / "missing.key").string();
  EXPECT_TRUE(mentions(construction_error(o), "missing.key")) << construction_error(o);

  ::chmod((dir / "root.key").c_str(), 0644);
  EXPECT_TRUE(mentions(construction_error(options), "chmod 600")) << construction_error(options);
  ::chmod((dir / "root.key").c_str(), 0600);

  trust_test::write_file(dir / "bad-peers",
                         "# ok\np0 " + to_base64(peer_keys[0].public_key()) + "\np1 not-a-key\n");
  ::chmod((dir / "bad-peers").c_str(), 0644);
  o = options;
  o.peers_path = (dir / "bad-peers").string();
  EXPECT_TRUE(mentions(construction_error(o), "bad-peers:3: 'not-a-key'")) << construction_error(o);
  ::chmod((dir / "bad-peers").c_str(), 0666);
  EXPECT_TRUE(mentions(construction_error(o), "writable")) << construction_error(o);

  o = options;
  o.node_id.clear();
  EXPECT_TRUE(mentions(construction_error(o), "--node-id")) << construction_error(o);
  o = options;
  o.mesh_size = 0;
  EXPECT_TRUE(mentions(construction_error(o), "--mesh-size")) << construction_error(o);
  o = options;
  o.audit_key_path.clear();
  EXPECT_TRUE(mentions(construction_error(o), "--audit-key")) << construction_error(o);
}

TEST_F(TrustGateTest, PeersFileRejectsDuplicates) {
  const std::string key = to_base64(peer_keys[0].public_key());
  trust_test::write_file(dir / "dup", "a " + key + "\nb " + key + "  # same key\n");
  ::chmod((dir / "dup").c_str(), 0644);
  try {
    load_peers_file(dir / "dup");
    FAIL() << "a key listed twice was accepted";
  } catch (const std::exception& e) {
    EXPECT_TRUE(mentions(e.what(), "dup:2:")) << e.what();
  }
}

}  // namespace
}  // namespace westworld::agent
