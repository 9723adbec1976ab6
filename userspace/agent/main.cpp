// westworld-agent: loads the guard onto interfaces and keeps it there.
//
// Enforcement outlives the agent: programs and maps are pinned, so stopping
// or killing the agent leaves the last policy in force, and the next agent
// re-adopts it without a gap. Only `wwctl detach` removes the guard.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "westworld/agent/agent.h"
#include "westworld/agent/bypass_watch.h"
#include "westworld/agent/charter_reporter.h"
#include "westworld/agent/charter_restorer.h"
#include "westworld/agent/charter_violations.h"
#include "westworld/agent/control_server.h"
#include "westworld/agent/crisis_publisher.h"
#include "westworld/agent/default_audit.h"
#include "westworld/agent/event_stream.h"
#include "westworld/agent/flow_violations.h"
#include "westworld/agent/mesh_router.h"
#include "westworld/agent/metrics.h"
#include "westworld/agent/metrics_server.h"
#include "westworld/agent/override_keeper.h"
#include "westworld/agent/policy_freeze.h"
#include "westworld/agent/quest_settler.h"
#include "westworld/agent/trust_gate.h"
#include "westworld/agent/watchman.h"
#include "westworld/capability/bytes.h"
#include "westworld/capability/secret_file.h"
#include "westworld/charter/telemetry_gate.h"
#include "westworld/charter/violation_ledger.h"
#include "westworld/control/dispatcher.h"
#include "westworld/control/protocol.h"
#include "westworld/dataplane/bpffs.h"
#include "westworld/dataplane/library_log.h"
#include "westworld/dataplane/telemetry_guard.h"
#include "westworld/governance/prometheus_query.h"
#include "westworld/mesh/etcd_flags.h"
#include "westworld/mesh/etcd_gateway.h"
#include "westworld/mesh/mesh_member.h"
#include "westworld/quests/crisis_board.h"

namespace {

using namespace westworld;
constexpr const char* kDefaultMetricsAddress = "127.0.0.1:9477";

// The command table: every request type the agent serves, bound to what answers it.
control::Dispatcher make_dispatcher(agent::Agent& agent, agent::Watchman& watchman,
                                    boost::asio::io_context& io,
                                    std::function<std::optional<control::MeshSummary>()> mesh,
                                    const charter::ViolationLedger& ledger,
                                    const std::string& gate_address,
                                    agent::OverrideKeeper& overrides,
                                    agent::CharterRestorer& restorer,
                                    agent::QuestSettler& quest_settler) {
  using namespace control;
  Dispatcher d;
  d.on<PingRequest>([](const PingRequest&) -> Result<PingReply> {
    return PingReply{kProtocolVersion, WW_VERSION};
  });
  // `mesh` is moved into the handler: the parameter itself dies when this function returns.
  d.on<StatusRequest>(
      [&agent, &watchman, mesh = std::move(mesh)](const StatusRequest&) -> Result<StatusReply> {
        StatusReply status = agent.status();
        status.watchman = watchman.summary();
        status.mesh = mesh();
        return status;
      });
  d.on<ApplyRequest>([&](const ApplyRequest& r) { return agent.apply(r); });
  d.on<ReloadRequest>([&](const ReloadRequest&) { return agent.reload(); });
  d.on<DetachRequest>([&](const DetachRequest& r) {
    auto reply = agent.detach(r.iface);
    if (!agent.has_attachments()) boost::asio::post(io, [&io] { io.stop(); });
    return reply;
  });
  d.on<QuarantineAddRequest>([&](const QuarantineAddRequest& r) { return watchman.quarantine(r); });
  d.on<QuarantineDelRequest>([&](const QuarantineDelRequest& r) { return watchman.release(r); });
  d.on<QuarantineListRequest>([&](const QuarantineListRequest&) -> Result<QuarantineListReply> {
    return watchman.quarantines();
  });
  d.on<AlertsRequest>(
      [&](const AlertsRequest& r) -> Result<AlertsReply> { return watchman.alerts(r.limit); });
  d.on<TopRequest>([&](const TopRequest& r) -> Result<TopReply> { return watchman.top(r.limit); });
  d.on<UnfreezeRequest>(
      [&](const UnfreezeRequest&) -> Result<UnfreezeReply> { return watchman.unfreeze(); });
  d.on<CharterViolationsRequest>(
      [&ledger, gate_address](const CharterViolationsRequest& r) -> Result<CharterViolationsReply> {
        return agent::charter_violations(ledger, r.limit, gate_address);
      });
  d.on<CharterOverrideRequest>(
      [&overrides](const CharterOverrideRequest& r) { return overrides.submit(r); });
  d.on<CharterOverridesRequest>(
      [&overrides](const CharterOverridesRequest& r) { return overrides.list(r.limit); });
  d.on<CharterRestoreRequest>(
      [&restorer](const CharterRestoreRequest& r) { return restorer.restore(r); });
  d.on<QuestSettleRequest>(
      [&quest_settler](const QuestSettleRequest&) { return quest_settler.settle(); });
  return d;
}

struct MeshFlags {
  mesh::EtcdFlags etcd;
  std::string address;
  unsigned lease_ttl_s = 10;
  bool insecure_open_mesh = false;
  std::string gov_genesis;  // hex SHA-256 of the governance genesis
  bool gov_coordinator = true;
  std::string gov_prometheus;  // where the coordinator asks prometheus(QUERY) gates
  std::string node_key;        // the member key crises are published with
};

void add_mesh_options(CLI::App& app, MeshFlags& flags) {
  mesh::add_etcd_flags(app, flags.etcd,
                       "Join a mesh: etcd endpoints http(s)://HOST:PORT[,...]. Needs the trust "
                       "gate (--trust-root-key, --node-id, --peers) unless --insecure-open-mesh",
                       false);
  app.add_option("--mesh-address", flags.address,
                 "The address other members see for this router (informational)");
  app.add_option("--mesh-lease-ttl", flags.lease_ttl_s,
                 "Seconds a dead router stays registered (its lease TTL)")
      ->check(CLI::Range(2u, 3600u))
      ->capture_default_str();
  app.add_flag("--insecure-open-mesh", flags.insecure_open_mesh,
               "Join a mesh with an open trust gate: whoever can write to etcd then steers "
               "this router. For labs only; logged every minute");
  app.add_option("--gov-genesis", flags.gov_genesis,
                 "Follow the mesh's governance: the SHA-256 `wwctl gov init` printed. The router "
                 "then applies only policies whose proposal it verified as passed, and needs no "
                 "--insecure-open-mesh");
  app.add_option("--node-key", flags.node_key,
                 "This router's member key (wwctl peer keygen, mode 0600): with it, each crisis "
                 "its detectors open (a contained flood) is published, signed, to the mesh, so "
                 "every member that helped may claim the crisis quests. Without it crises stay "
                 "on this router");
  CLI::Option* no_coordinator =
      app.add_flag("!--no-gov-coordinator", flags.gov_coordinator,
                   "Never take the rollout coordinator's role (by default any router may, one at "
                   "a time)");
  app.add_option("--gov-prometheus", flags.gov_prometheus,
                 "As the rollout coordinator, ask prometheus(QUERY) gates of this Prometheus: "
                 "http://IP[:PORT][/PREFIX], e.g. http://127.0.0.1:9090. Without it such gates "
                 "are no data, and rollouts that have them abort")
      ->check(CLI::Validator(
          [](std::string& url) {
            try {
              governance::parse_prometheus_url(url);
              return std::string();
            } catch (const std::invalid_argument& e) {
              return std::string(e.what());
            }
          },
          "URL"))
      ->needs("--gov-genesis")
      ->excludes(no_coordinator);
}

// The governance genesis digest, from --gov-genesis.
std::optional<capability::Digest> gov_genesis(const MeshFlags& flags) {
  if (flags.gov_genesis.empty()) return std::nullopt;
  const auto digest = capability::fixed_bytes<32>(capability::from_hex(flags.gov_genesis));
  if (!digest)
    throw std::runtime_error("--gov-genesis '" + flags.gov_genesis +
                             "' is not a SHA-256 (64 hex digits, as wwctl gov init prints it)");
  if (flags.etcd.endpoints.empty()) throw std::runtime_error("--gov-genesis needs --mesh");
  return digest;
}

// The mesh link, when --mesh is given: the etcd client and the member loop on its thread;
// with --gov-genesis also the rollout follower and (unless refused) a coordinator, each on
// its own etcd client so a slow coordinator pass never delays the member's watch.
struct MeshLink {
  mesh::EtcdGateway store;
  agent::MeshRouter router;
  mesh::MeshKeys keys;
  std::optional<governance::RolloutFollower> follower;
  std::optional<mesh::EtcdGateway> coordinator_store;
  std::optional<governance::Coordinator> coordinator;
  std::optional<mesh::MeshMember> member;

  MeshLink(const mesh::EtcdOptions& etcd, boost::asio::io_context& io, agent::Agent& agent,
           agent::TrustGate& trust, agent::Watchman& watchman, mesh::MeshMemberOptions options,
           const MeshFlags& flags, const std::string& state_dir)
      : store(etcd),
        router(io, agent, trust, [&watchman] { return watchman.summary(); }),
        keys(options.mesh_name) {
    if (const std::optional<capability::Digest> genesis = gov_genesis(flags)) {
      follower.emplace(store, keys, *genesis, options.node_id, router, common::system_clock(),
                       state_dir + "/gov-rollbacks.json");
      options.follower = &*follower;
      if (flags.gov_coordinator) {
        coordinator_store.emplace(etcd);
        coordinator.emplace(*coordinator_store, keys, *genesis,
                            governance::CoordinatorOptions{options.node_id, options.lease_ttl,
                                                           flags.gov_prometheus},
                            common::system_clock(), &router);
      }
    }
    member.emplace(store, router, std::move(options), common::system_clock());
  }
  void start() {
    member->start();
    if (coordinator) coordinator->start();
  }
};

// A collector's packets to an exporter's port are dropped as direct scrapes, so the gate must
// listen on another port or its collectors could never reach it.
void check_gate_port(uint16_t gate_port, const policy::TelemetrySettings& telemetry) {
  for (const policy::Exporter& exporter : telemetry.exporters)
    if (gate_port != 0 && exporter.port == gate_port)
      throw std::runtime_error("--telemetry-gate port " + std::to_string(gate_port) +
                               " is also the port of exporter " + exporter.url +
                               ": collectors' scrapes of it would be dropped as direct scrapes "
                               "of the exporter; choose another port");
}

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("router");
}

// The crises beside the quest ledger (DATA_DIR/quests.db), or none, said loudly, when the file
// cannot be opened: a router that cannot record crises still enforces and still quarantines.
std::optional<quests::CrisisBoard> open_crisis_board(const std::string& data_dir) {
  const std::string path = data_dir + "/quests.db";
  try {
    return std::optional<quests::CrisisBoard>(std::in_place, path, true);
  } catch (const std::exception& e) {
    spdlog::error("crises will not be recorded ({}): {}", path, e.what());
    return std::nullopt;
  }
}

// The watchman's contained flood opens a flood crisis, unless one is open (crisis_board.h).
void open_flood_crisis(quests::CrisisBoard& board, const anomaly::Alert& alert) {
  const auto at = std::chrono::floor<std::chrono::seconds>(
      std::chrono::sys_time<std::chrono::nanoseconds>(std::chrono::nanoseconds(alert.unix_ns)));
  const quests::CrisisOpening opening =
      board.open(quests::CrisisKind::flood, alert.subject, alert.id, at);
  if (opening.opened)
    spdlog::warn(
        "crisis {} opened: alert {} contained a flood from {}; its quests are open for {} h",
        opening.crisis.id, alert.id, alert.subject,
        std::chrono::duration_cast<std::chrono::hours>(quests::kCrisisWindow).count());
}

// Refuses a mesh the trust gate does not guard, unless the operator insisted.
void check_mesh_trust(const MeshFlags& flags, const agent::TrustGate& trust,
                      const agent::TrustOptions& options) {
  if (!flags.node_key.empty() && flags.etcd.endpoints.empty())
    throw std::runtime_error("--node-key publishes crises to a mesh: give --mesh too");
  if (flags.etcd.endpoints.empty()) return;
  if (options.node_id.empty()) throw std::runtime_error("--mesh needs --node-id");
  if (trust.open_mode() && !flags.insecure_open_mesh && flags.gov_genesis.empty())
    throw std::runtime_error(
        "--mesh without the trust gate would let whoever can write to etcd steer this router: "
        "give --gov-genesis (follow governance), or --trust-root-key, --peers and --mesh-size, "
        "or --insecure-open-mesh for a lab");
}

}  // namespace

int main(int argc, char** argv) {
  agent::AgentOptions options;
  std::string mode = "auto";
  std::string log_level = "info";
  std::string netns;
  std::string metrics_address = kDefaultMetricsAddress;
  options.control_path = control::kDefaultSocketPath;
  options.state_dir = control::kDefaultStateDir;
  options.pin_root = dataplane::kDefaultPinRoot;

  CLI::App app{
      "westworld-agent: enforces a Westworld policy with XDP (ingress) and tc (egress) on the\n"
      "given interfaces. Programs stay attached when the agent stops; `wwctl detach` removes "
      "them."};
  app.add_option("--policy", options.policy_path, "Policy file (YAML, format v1)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--iface", options.ifaces, "Interface to protect (repeat for several)")
      ->required();
  app.add_option("--xdp-mode", mode, "XDP attach mode")
      ->check(CLI::IsMember({"auto", "native", "generic"}))
      ->capture_default_str();
  app.add_option("--control", options.control_path, "Control socket path")->capture_default_str();
  app.add_option("--state-dir", options.state_dir, "Where the running policy's record is kept")
      ->capture_default_str();
  app.add_option("--pin-root", options.pin_root, "bpffs directory for maps and programs")
      ->capture_default_str();
  app.add_option("--netns", netns,
                 "Enter this network namespace (/run/netns/NAME) for the interfaces, keeping the "
                 "host's bpffs; use it instead of `ip netns exec`");
  app.add_option("--metrics", metrics_address,
                 "Serve Prometheus metrics at http://ADDR:PORT/metrics (inside --netns), or "
                 "'off'")
      ->capture_default_str();
  std::string gate_address = "off";
  app.add_option("--telemetry-gate", gate_address,
                 "Serve the charter's whitelisted telemetry to the policy's collectors at "
                 "http://ADDR:PORT/metrics (inside --netns), or 'off'")
      ->capture_default_str();
  agent::TrustOptions trust;
  app.add_option(
      "--trust-root-key", trust.root_key_path,
      "Macaroon root key (mode 0600): applies then need a token, and mass changes 3 peer "
      "signatures; without it any caller may apply anything (open mode)");
  app.add_option("--node-id", trust.node_id, "This node's id in tokens and peer signatures");
  app.add_option("--peers", trust.peers_path, "Peers file: one `ID BASE64-ED25519-KEY` per line");
  app.add_option("--mesh-size", trust.mesh_size, "Nodes in the mesh (10% rule, ppm caveats)");
  app.add_option("--nonce-store", trust.nonce_store_path,
                 "Spent change nonces (default: STATE_DIR/spent-nonces)");
  std::string data_dir = control::kDefaultDataDir;
  app.add_option("--data-dir", data_dir,
                 "Where what must outlive a reboot is kept: the audit log and its key")
      ->capture_default_str();
  app.add_option("--audit-log", trust.audit_log_path,
                 "Audit log every start and apply is appended to (default: DATA_DIR/audit.db)");
  app.add_option("--audit-key", trust.audit_key_path,
                 "The audit log's key (default: DATA_DIR/audit.key, made on first start)");
  bool no_audit = false;
  app.add_flag("--no-audit", no_audit,
               "Run WITHOUT the audit log: policy changes leave no tamper-evident record. "
               "Logged loudly; for labs only");
  std::string operators_path;
  app.add_option("--operators", operators_path,
                 "Operators file (the peers file's format): who may sign an emergency override "
                 "lifting charter rules here. Without it no override can pass");
  std::size_t override_quorum = 0;
  app.add_option("--override-quorum", override_quorum,
                 "Operator signatures an emergency override needs (default: two thirds of the "
                 "operators, at least 2)");
  MeshFlags mesh_flags;
  add_mesh_options(app, mesh_flags);
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  // Logs go to stderr (journald picks them up under systemd); stdout stays free.
  spdlog::set_default_logger(spdlog::stderr_color_mt("westworld"));
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  dataplane::install_library_log([](const std::string& line) { spdlog::debug("{}", line); });

  try {
    options.policy_path = std::filesystem::absolute(options.policy_path).string();
    if (!netns.empty()) dataplane::enter_netns(netns);  // before any thread exists
    options.xdp_mode = dataplane::parse_xdp_mode(mode);
    // A typo in --metrics fails before anything is loaded or attached.
    if (metrics_address != "off") agent::parse_listen_address(metrics_address);
    if (gate_address != "off") agent::parse_listen_address(gate_address, "--telemetry-gate");

    boost::asio::io_context io;
    // The freeze is read first: it also decides whether the file may replace
    // the running policy at start.
    agent::PolicyFreeze freeze(options.state_dir);
    options.frozen = freeze.reason();
    if (trust.nonce_store_path.empty())
      trust.nonce_store_path = options.state_dir + "/spent-nonces";
    if (no_audit) {
      if (!trust.audit_log_path.empty() || !trust.audit_key_path.empty())
        throw std::runtime_error("--no-audit contradicts --audit-log / --audit-key");
      spdlog::warn(
          "NO AUDIT LOG (--no-audit): starts, applies and mesh changes on this router leave no "
          "tamper-evident record");
    } else {
      const agent::DefaultAudit audit = agent::use_default_audit(
          trust, data_dir, trust.node_id.empty() ? host_name() : trust.node_id);
      if (audit.key_created)
        spdlog::info("audit log: made its key {} (0600); verifier key, also in {}: {}",
                     trust.audit_key_path, audit.vkey_path, audit.vkey);
      spdlog::info("audit log: {}", trust.audit_log_path);
    }
    agent::TrustGate trust_gate(trust);  // a bad key or peers file stops us before attaching
    if (trust_gate.open_mode()) spdlog::warn("{}", trust_gate.open_mode_warning());
    check_mesh_trust(mesh_flags, trust_gate, trust);
    // Read now, so a bad key file stops the agent before anything is attached.
    std::optional<capability::Ed25519KeyPair> member_key;
    if (!mesh_flags.node_key.empty())
      member_key.emplace(capability::read_peer_key(mesh_flags.node_key));
    const std::optional<mesh::EtcdOptions> etcd =
        mesh_flags.etcd.endpoints.empty() ? std::nullopt
                                          : std::optional(mesh::etcd_options(mesh_flags.etcd));
    // Emergency overrides outlive restarts: the agent starts with the rules they lift now.
    agent::create_data_dir(data_dir);
    const std::string node_id = trust.node_id.empty() ? host_name() : trust.node_id;
    const charter::OperatorQuorum operators =
        agent::load_operator_quorum(operators_path, override_quorum);
    charter::OverrideStore override_store = charter::OverrideStore::open(data_dir + "/charter.db");
    // Decisions of the mesh's governance (overrides, restorations), read on a client of
    // their own; none without --gov-genesis.
    agent::MeshDecisions decisions;
    if (const std::optional<capability::Digest> genesis = gov_genesis(mesh_flags))
      decisions = agent::MeshDecisions(*etcd, mesh_flags.etcd.mesh_name, *genesis);
    options.lifted_rules =
        agent::lifts_at(override_store, operators, decisions, node_id, common::system_clock().now())
            .rules;
    agent::Agent agent(options, trust_gate);
    agent::EventStream events(io, agent.guard().maps());
    agent::Metrics metrics;
    std::optional<quests::CrisisBoard> crises = open_crisis_board(data_dir);
    agent::Watchman::ContainedFloodSink on_contained_flood;
    if (crises)
      on_contained_flood = [&crises](const anomaly::Alert& alert) {
        open_flood_crisis(*crises, alert);
      };
    std::optional<agent::CrisisPublisher> crisis_publisher;
    if (crises && etcd && member_key) {
      spdlog::info("crises: published to mesh '{}' signed by {} (member key {})",
                   mesh_flags.etcd.mesh_name, node_id,
                   capability::to_base64(member_key->public_key()));
      crisis_publisher.emplace(std::make_unique<mesh::EtcdGateway>(*etcd),
                               mesh_flags.etcd.mesh_name, node_id, std::move(*member_key), *crises,
                               common::system_clock());
      member_key.reset();
      on_contained_flood = [&crises, &crisis_publisher](const anomaly::Alert& alert) {
        open_flood_crisis(*crises, alert);
        crisis_publisher->wake();
      };
      crisis_publisher->start();
    } else if (etcd) {
      spdlog::info(
          "crises this router opens stay on it: give --node-key to publish them to the mesh");
    }
    agent::Watchman watchman(
        io, agent, freeze, metrics, [&events] { return events.received(); }, common::system_clock(),
        std::move(on_contained_flood));
    std::optional<MeshLink> mesh_link;
    if (etcd) {
      mesh::MeshMemberOptions member;
      member.node_id = trust.node_id;
      member.mesh_name = mesh_flags.etcd.mesh_name;
      member.address = mesh_flags.address;
      member.version = WW_VERSION;
      member.insecure_open_mesh = trust_gate.open_mode() && mesh_flags.gov_genesis.empty();
      member.lease_ttl = std::chrono::seconds(mesh_flags.lease_ttl_s);
      mesh_link.emplace(*etcd, io, agent, trust_gate, watchman, member, mesh_flags,
                        options.state_dir);
      spdlog::info("joining mesh '{}' as {} through {}", mesh_flags.etcd.mesh_name, trust.node_id,
                   mesh_flags.etcd.endpoints);
      mesh_link->start();
      if (mesh_link->follower)
        spdlog::info("following the mesh's governance (genesis {}){}",
                     mesh_flags.gov_genesis.substr(0, 16),
                     mesh_link->coordinator ? "; may coordinate rollouts" : "");
    }
    boost::asio::steady_timer open_mesh_warning(io);
    std::function<void()> warn_open_mesh = [&] {
      spdlog::warn(
          "INSECURE OPEN MESH: this router applies any policy written to etcd under {} without "
          "checking who approved it",
          mesh_link->member->keys().targets());
      open_mesh_warning.expires_after(std::chrono::minutes(1));
      open_mesh_warning.async_wait([&](boost::system::error_code ec) {
        if (!ec) warn_open_mesh();
      });
    };
    if (mesh_link && trust_gate.open_mode() && !mesh_link->follower) warn_open_mesh();
    auto mesh_summary = [&]() -> std::optional<control::MeshSummary> {
      if (!mesh_link) return std::nullopt;
      const mesh::MeshLinkStatus link = mesh_link->member->status();
      control::MeshSummary summary{mesh_flags.etcd.mesh_name,
                                   trust.node_id,
                                   mesh_flags.etcd.endpoints,
                                   link.connected,
                                   link.last_error,
                                   link.disconnected_since,
                                   link.outages,
                                   link.registered_routers,
                                   trust_gate.mesh_size(),
                                   link.bundles_applied,
                                   link.refusals,
                                   link.last_refusal ? link.last_refusal->reason : "",
                                   trust_gate.open_mode()};
      return summary;
    };
    std::optional<agent::MetricsServer> metrics_server;
    if (metrics_address != "off") {
      metrics_server.emplace(io, metrics_address, [&] {
        if (auto mesh = mesh_summary()) metrics.update(*mesh);
        return metrics.serialize();
      });
      spdlog::info("serving metrics on http://{}/metrics", metrics_address);
    }
    // The charter: violations are recorded whether or not the gate runs here.
    charter::ViolationLedger ledger =
        charter::ViolationLedger::open(data_dir + "/charter.db", common::system_clock());
    agent::CharterReporter charter_reporter(metrics.registry(), trust_gate);
    std::optional<charter::TelemetryGate> gate;
    std::optional<agent::MetricsServer> gate_server;
    if (gate_address != "off") {
      gate.emplace(
          io, [&agent] { return agent.policy().telemetry; }, ledger, charter_reporter,
          common::system_clock());
      agent::MetricsServerOptions gate_options;
      gate_options.flag = "--telemetry-gate";
      gate_server.emplace(
          io, gate_address,
          agent::MetricsServer::Serve([&gate](const boost::asio::ip::address& peer,
                                              std::function<void(agent::MetricsPage)> reply) {
            gate->scrape(peer, [reply](unsigned status, std::string body) {
              reply({status, std::move(body)});
            });
          }),
          gate_options);
      spdlog::info("telemetry gate on http://{}/metrics", gate_address);
      if (!agent.policy().telemetry.present)
        spdlog::warn(
            "telemetry gate: the running policy has no charter.telemetry section; "
            "the gate serves nothing until one is applied");
    }
    // The kernel lets telemetry to collectors leave from the gate's port only (none: no gate).
    const uint16_t gate_port = gate_server ? gate_server->endpoint().port() : 0;
    check_gate_port(gate_port, agent.policy().telemetry);
    dataplane::write_telemetry_gate_port(agent.guard().maps(), gate_port);
    agent::BypassWatch bypass_watch(io, agent.guard().maps(), ledger, charter_reporter);
    // Flow rules marked `violation: true`: the kernel names each offending source.
    agent::FlowViolations flow_violations(agent, watchman, ledger, charter_reporter);
    events.on_violation([&flow_violations](const ww_event& e) { flow_violations.seen(e); });
    agent::OverrideKeeper override_keeper(io, agent, trust_gate, override_store, operators,
                                          decisions, node_id, metrics.registry());
    agent::CharterRestorer restorer(ledger, watchman, trust_gate, decisions, node_id);
    if (operators.quorum != 0)
      spdlog::info("emergency overrides: {} of the {} operators in {} must sign", operators.quorum,
                   operators.operators.size(), operators_path);
    agent::QuestSettler quest_settler(data_dir + "/quests.db", trust_gate);
    const control::Dispatcher dispatcher =
        make_dispatcher(agent, watchman, io, mesh_summary, ledger, gate_address, override_keeper,
                        restorer, quest_settler);
    agent::ControlServer control(io, options.control_path, [&](std::string_view request_line) {
      return dispatcher.handle(request_line);
    });

    boost::asio::signal_set stop_signals(io, SIGTERM, SIGINT);
    stop_signals.async_wait([&](boost::system::error_code ec, int signo) {
      if (ec) return;
      spdlog::info("signal {}: stopping; the guard stays attached and enforcing", signo);
      io.stop();
    });
    boost::asio::signal_set reload_signal(io, SIGHUP);
    std::function<void()> wait_reload = [&] {
      reload_signal.async_wait([&](boost::system::error_code ec, int) {
        if (ec) return;
        spdlog::info("SIGHUP: reloading {}", agent.options().policy_path);
        agent.reload();
        wait_reload();
      });
    };
    wait_reload();

    spdlog::info("serving control on {}", options.control_path);
    io.run();
    return EXIT_SUCCESS;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return EXIT_FAILURE;
  }
}
