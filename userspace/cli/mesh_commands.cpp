// wwctl mesh nodes|publish|status: the mesh's shared state in etcd, read and written
// directly (no agent needed). Publishing writes a bundle; every router verifies it itself.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent_request.h"
#include "apply_credentials.h"
#include "commands.h"
#include "mesh_access.h"
#include "westworld/common/printable.h"
#include "westworld/mesh/etcd_flags.h"
#include "westworld/mesh/etcd_gateway.h"
#include "westworld/mesh/mesh_view.h"
#include "westworld/mesh/policy_bundle.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/policy_file.h"

namespace westworld::cli {
namespace {

using nlohmann::json;

std::string short_digest(const std::string& digest) {
  return digest.empty() ? "-" : digest.substr(0, 16);
}

json node_json(const mesh::NodeView& node) {
  const mesh::RouterRecord& r = node.record;
  json out{{"id", r.id},
           {"alive", node.alive},
           {"heartbeat_age_s", node.heartbeat_age_s},
           {"applied_digest", r.applied_digest},
           {"generation", r.generation},
           {"address", r.address},
           {"version", r.version},
           {"xdp_mode", r.xdp_mode},
           {"target", mesh::target_state_name(node.target)},
           {"target_digest", node.target_digest},
           {"drops", r.drops},
           {"quarantines", r.quarantines},
           {"alerts", r.alerts},
           {"refusals", r.refusals},
           {"insecure_open_mesh", r.insecure_open_mesh}};
  if (r.last_refusal)
    out["last_refusal"] = {{"key", r.last_refusal->key},
                           {"revision", r.last_refusal->revision},
                           {"reason", r.last_refusal->reason},
                           {"at", r.last_refusal->at}};
  if (!node.unreadable.empty()) out["unreadable"] = node.unreadable;
  return out;
}

void print_nodes(const mesh::MeshView& view) {
  std::cout << std::left << std::setw(14) << "ID" << std::setw(18) << "ADDRESS" << std::setw(11)
            << "HEARTBEAT" << std::setw(7) << "STATE" << std::setw(18) << "APPLIED" << std::setw(9)
            << "TARGET"
            << "NOTE\n";
  for (const mesh::NodeView& node : view.nodes) {
    const mesh::RouterRecord& r = node.record;
    std::string note;
    if (!node.unreadable.empty()) note = "UNREADABLE: " + node.unreadable;
    if (node.target == mesh::TargetState::refused && r.last_refusal)
      note = "refused: " + r.last_refusal->reason;
    if (r.insecure_open_mesh) note = "INSECURE OPEN MESH" + (note.empty() ? "" : "; " + note);
    std::cout << std::setw(14) << common::printable(r.id) << std::setw(18)
              << common::printable(r.address.empty() ? "-" : r.address) << std::setw(11)
              << (std::to_string(node.heartbeat_age_s) + "s ago") << std::setw(7)
              << (node.alive ? "alive" : "STALE") << std::setw(18) << short_digest(r.applied_digest)
              << std::setw(9) << mesh::target_state_name(node.target) << common::printable(note)
              << '\n';
  }
  if (view.nodes.empty()) std::cout << "(no router registered)\n";
}

int run_nodes(const MeshOptions& options, const CommonOptions& common, bool as_json) {
  mesh::EtcdGateway store = open_store(options, common);
  const mesh::MeshView view = read_mesh_view(store, mesh::MeshKeys(options.mesh_name), now_unix());
  if (as_json) {
    json nodes = json::array();
    for (const mesh::NodeView& node : view.nodes) nodes.push_back(node_json(node));
    std::cout << nodes.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  } else {
    print_nodes(view);
  }
  return EXIT_SUCCESS;
}

struct PublishOptions {
  std::string file;
  std::string to;
  bool all = false;
  std::string publisher;
  double wait_s = 0;
};

// Waits until every alive router the bundle addresses runs `digest`, printing progress;
// false when some router refused it or time ran out.
bool wait_for_routers(mesh::KvStore& store, const mesh::MeshKeys& keys, const std::string& target,
                      const std::string& digest, double wait_s) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(static_cast<int64_t>(wait_s * 1000));
  std::string last_line;
  for (;;) {
    const mesh::MeshView view = read_mesh_view(store, keys, now_unix());
    size_t addressed = 0, done = 0, refused = 0;
    for (const mesh::NodeView& node : view.nodes) {
      if (!node.alive || (target != mesh::kAllRouters && node.record.id != target)) continue;
      ++addressed;
      if (node.record.applied_digest == digest) ++done;
      if (node.target == mesh::TargetState::refused) {
        ++refused;
        std::cerr << node.record.id
                  << " refused it: " << common::printable(node.record.last_refusal->reason) << '\n';
      }
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string line =
        std::to_string(done) + "/" + std::to_string(addressed) + " routers enforce it";
    if (line != last_line)
      std::cerr << std::fixed << std::setprecision(2) << elapsed << " s: " << line << '\n';
    last_line = line;
    if (refused) return false;
    if (addressed > 0 && done == addressed) {
      std::cout << "all " << addressed << " routers enforce " << digest.substr(0, 16) << " after "
                << std::fixed << std::setprecision(2) << elapsed << " s\n";
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::cerr << "wwctl: error: after " << wait_s << " s " << line << '\n';
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int run_publish(const PublishOptions& publish, const ApplyCredentialOptions& credentials,
                const MeshOptions& options, const CommonOptions& common) {
  const std::string target = publish.all ? std::string(mesh::kAllRouters) : publish.to;
  std::string text;
  try {
    text = policy::read_policy_file(publish.file);
  } catch (const policy::PolicyFileError& e) {
    std::cerr << common::printable(publish.file) << ": error: " << e.what() << '\n';
    return EXIT_FAILURE;
  }
  policy::LoadResult loaded = policy::load_policy_text(text, publish.file);
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.policy) return EXIT_FAILURE;  // nothing is published

  mesh::PolicyBundle bundle;
  bundle.target = target;
  bundle.digest = policy::compile(*loaded.policy).digest_hex;
  bundle.published = now_unix();
  bundle.publisher = publish.publisher;
  bundle.request.policy = std::move(text);
  bundle.request.source = publish.file;
  bundle.request.credentials = build_apply_credentials(credentials, publish.file);

  mesh::EtcdGateway store = open_store(options, common);
  const mesh::MeshKeys keys(options.mesh_name);
  const mesh::RangeReply current = store.get(keys.target(target));
  const mesh::Revision seen = current.kvs.empty() ? 0 : current.kvs[0].mod_revision;
  const std::optional<mesh::Revision> written = publish_bundle(store, keys, bundle, seen);
  if (!written) {
    std::cerr << "wwctl: error: " << keys.target(target)
              << " changed while publishing (another publisher?); nothing was written, re-run\n";
    return EXIT_FAILURE;
  }
  std::cout << "published " << publish.file << " (digest " << bundle.digest.substr(0, 16) << ") to "
            << target << " at revision " << *written
            << "; each router applies it after verifying its credentials\n";
  if (publish.wait_s > 0 && !wait_for_routers(store, keys, target, bundle.digest, publish.wait_s))
    return EXIT_FAILURE;
  return EXIT_SUCCESS;
}

// The router whose registration `mesh status` shows: --node, else the local agent's own id
// when an agent in a mesh answers on the control socket (quietly none otherwise).
std::string own_node_id(const std::string& node, const CommonOptions& common) {
  if (!node.empty()) return node;
  CommonOptions quick = common;
  quick.timeout_s = std::min(common.timeout_s, 2.0);
  const auto reply = agent_client(quick).call(control::StatusRequest{});
  if (!reply || !reply->ok() || !reply->value().mesh) return "";
  return reply->value().mesh->node_id;
}

void print_registration(const mesh::MeshView& view, const std::string& id) {
  const auto it = std::find_if(view.nodes.begin(), view.nodes.end(),
                               [&](const mesh::NodeView& n) { return n.record.id == id; });
  std::cout << "this router: " << common::printable(id);
  if (it == view.nodes.end()) {
    std::cout << " is NOT registered (its agent is down, cannot reach etcd, or its lease "
                 "expired)\n";
    return;
  }
  const mesh::NodeView& n = *it;
  std::cout << " registered, " << (n.alive ? "alive" : "STALE") << ", heartbeat "
            << n.heartbeat_age_s << " s ago, applied " << short_digest(n.record.applied_digest)
            << ", target " << mesh::target_state_name(n.target) << '\n';
}

int run_status(const MeshOptions& options, const std::string& node, const CommonOptions& common) {
  mesh::EtcdGateway store = open_store(options, common);
  const mesh::MeshKeys keys(options.mesh_name);
  const auto status = store.cluster_status();
  std::cout << "endpoints:  " << options.endpoints << '\n'
            << "answering:  " << status.endpoint << " (member " << status.member_id << ", etcd "
            << status.version << ")\n"
            << "leader:     " << status.leader_id << '\n'
            << "revision:   " << status.revision << '\n'
            << "mesh:       " << keys.root() << '\n'
            << "routers:    " << store.count(keys.routers()) << " registered\n"
            << "targets:    " << store.count(keys.targets()) << " bundle(s)\n";
  const std::string own = own_node_id(node, common);
  if (!own.empty()) print_registration(mesh::read_mesh_view(store, keys, now_unix()), own);
  return EXIT_SUCCESS;
}

}  // namespace

void register_mesh_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* mesh_cmd =
      app.add_subcommand("mesh", "The mesh's shared state in etcd: routers and published policies");
  mesh_cmd->require_subcommand(1);
  auto options = std::make_shared<MeshOptions>();

  CLI::App* nodes = mesh_cmd->add_subcommand(
      "nodes", "Registered routers: heartbeat, applied policy, where they stand on its target");
  add_mesh_options(*nodes, *options);
  auto as_json = std::make_shared<bool>(false);
  nodes->add_flag("--json", *as_json, "A JSON list of objects");
  nodes->callback([options, as_json, &common, &exit_code] {
    exit_code = run_nodes(*options, common, *as_json);
  });

  CLI::App* publish_cmd = mesh_cmd->add_subcommand(
      "publish", "Publish a policy with its credentials; routers verify before applying");
  auto publish = std::make_shared<PublishOptions>();
  add_mesh_options(*publish_cmd, *options);
  publish_cmd->add_option("FILE", publish->file, "Policy file")->required();
  auto* to = publish_cmd->add_option("--to", publish->to, "One router's id");
  auto* all = publish_cmd->add_flag("--all", publish->all, "Every router of the mesh");
  to->excludes(all);
  publish_cmd->add_option("--publisher", publish->publisher, "Your name, for people reading it");
  publish_cmd
      ->add_option("--wait", publish->wait_s,
                   "Wait up to SECONDS until every alive addressed router enforces it")
      ->check(CLI::Range(0.0, 86400.0));
  auto credentials = add_apply_credential_options(*publish_cmd);
  publish_cmd->callback([publish, credentials, options, &common, &exit_code] {
    if (publish->to.empty() && !publish->all)
      throw CLI::ValidationError("publish", "say where: --to NODE or --all");
    exit_code = run_publish(*publish, *credentials, *options, common);
  });

  CLI::App* status =
      mesh_cmd->add_subcommand("status", "The etcd cluster: endpoints, leader, revision, counts");
  add_mesh_options(*status, *options);
  auto status_node = std::make_shared<std::string>();
  status->add_option("--node", *status_node,
                     "Also show this router's registration (default: the local agent's, if it "
                     "runs in a mesh)");
  status->callback([options, status_node, &common, &exit_code] {
    exit_code = run_status(*options, *status_node, common);
  });
}

}  // namespace westworld::cli
