// ww-mesh-load: how far one etcd cluster carries a mesh. Runs N simulated routers (the
// agent's real mesh membership, without a data plane) against a fresh 3-member etcd on
// loopback, for each N asked, and reports etcd's CPU and memory, the request rate, the
// watch latency from a publish to each router, and the publish-to-all time.
//
//   ww-mesh-load --routers 100,1000 [-o results.json]
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "etcd_cluster.h"
#include "process_usage.h"
#include "simulated_router.h"
#include "westworld/harness/polling.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/policy_bundle.h"

namespace {

using namespace westworld;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

struct Settings {
  std::vector<int> routers{100, 1000};
  int members = 3;
  int report_ms = 2000;
  int lease_ttl_s = 10;
  int measure_s = 20;
  int publishes = 3;
  std::string output;
};

struct Round {
  int routers = 0;
  double start_s = 0;  // until every router registered
  double etcd_cpu_percent = 0;
  uint64_t etcd_rss_kib = 0;  // summed over members
  double requests_per_s = 0;
  uint64_t request_errors = 0;
  double tool_cpu_percent = 0;
  uint64_t tool_rss_kib = 0;
  std::vector<double> latency_ms;  // publish to each router, every publish
  std::vector<double> all_ms;      // publish to the last router, per publish
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * (values.size() - 1)));
  return values[index];
}

void raise_file_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

Round run_round(const Settings& settings, int count) {
  Round round;
  round.routers = count;
  harness::EtcdCluster etcd(harness::EtcdClusterOptions::of(settings.members));
  mesh::EtcdOptions client;
  client.endpoints = mesh::parse_endpoints(etcd.endpoints());
  client.timeout = 5s;
  mesh_load::RequestCounter counter;
  std::vector<std::unique_ptr<mesh_load::SimulatedRouter>> routers;
  const auto started = Steady::now();
  for (int i = 0; i < count; ++i) {
    mesh::MeshMemberOptions options;
    options.node_id = "sim" + std::to_string(i);
    options.mesh_name = "load";
    options.report_interval = std::chrono::milliseconds(settings.report_ms);
    options.lease_ttl = std::chrono::seconds(settings.lease_ttl_s);
    routers.push_back(std::make_unique<mesh_load::SimulatedRouter>(client, options, counter));
    routers.back()->start();
    if ((i + 1) % 250 == 0) std::cerr << "  started " << (i + 1) << "/" << count << " routers\n";
  }
  mesh::EtcdGateway observer(client);
  const mesh::MeshKeys keys("load");
  if (!harness::eventually(
          std::chrono::seconds(60 + count / 20),
          [&] { return observer.count(keys.routers()) == count; }, 250ms))
    throw std::runtime_error("not every simulated router registered in time");
  round.start_s = std::chrono::duration<double>(Steady::now() - started).count();
  std::cerr << "  all " << count << " registered after " << round.start_s << " s; measuring "
            << settings.measure_s << " s\n";

  auto etcd_usage = [&] {
    mesh_load::ProcessUsage sum;
    for (int m = 0; m < etcd.size(); ++m) {
      const auto u = mesh_load::process_usage(etcd.pid(m));
      sum.cpu_s += u.cpu_s;
      sum.rss_kib += u.rss_kib;
    }
    return sum;
  };
  const auto etcd_before = etcd_usage();
  const auto tool_before = mesh_load::process_usage(getpid());
  const uint64_t requests_before = counter.requests.load();
  const auto window_start = Steady::now();
  std::this_thread::sleep_for(std::chrono::seconds(settings.measure_s));  // a measuring window
  const double window = std::chrono::duration<double>(Steady::now() - window_start).count();
  const auto etcd_after = etcd_usage();
  const auto tool_after = mesh_load::process_usage(getpid());
  round.etcd_cpu_percent = 100 * (etcd_after.cpu_s - etcd_before.cpu_s) / window;
  round.etcd_rss_kib = etcd_after.rss_kib;
  round.tool_cpu_percent = 100 * (tool_after.cpu_s - tool_before.cpu_s) / window;
  round.tool_rss_kib = tool_after.rss_kib;
  round.requests_per_s = static_cast<double>(counter.requests.load() - requests_before) / window;

  for (int p = 0; p < settings.publishes; ++p) {
    mesh::PolicyBundle bundle;
    bundle.target = std::string(mesh::kAllRouters);
    char digest[65];
    std::snprintf(digest, sizeof digest, "%064x", p + 1);
    bundle.digest = digest;
    bundle.publisher = "ww-mesh-load";
    bundle.request.policy = "version: 1\ncharter:\n  default: allow\n";
    const auto current = observer.get(keys.target(mesh::kAllRouters));
    const auto published = Steady::now();
    if (!publish_bundle(observer, keys, bundle,
                        current.kvs.empty() ? 0 : current.kvs[0].mod_revision))
      throw std::runtime_error("publish raced with itself");
    std::vector<double> latencies;
    const bool all = harness::eventually(
        60s,
        [&] {
          latencies.clear();
          for (const auto& router : routers) {
            const auto at = router->arrival(bundle.digest);
            if (!at) return false;
            latencies.push_back(std::chrono::duration<double, std::milli>(*at - published).count());
          }
          return true;
        },
        20ms);
    if (!all) throw std::runtime_error("a publish did not reach every router within 60 s");
    round.all_ms.push_back(*std::max_element(latencies.begin(), latencies.end()));
    round.latency_ms.insert(round.latency_ms.end(), latencies.begin(), latencies.end());
  }
  round.request_errors = counter.errors.load();
  std::cerr << "  stopping\n";
  routers.clear();
  return round;
}

nlohmann::json to_json(const Round& r) {
  return {{"routers", r.routers},
          {"registration_s", r.start_s},
          {"etcd_cpu_percent", r.etcd_cpu_percent},
          {"etcd_rss_mib", static_cast<double>(r.etcd_rss_kib) / 1024},
          {"requests_per_s", r.requests_per_s},
          {"request_errors", r.request_errors},
          {"simulator_cpu_percent", r.tool_cpu_percent},
          {"simulator_rss_mib", static_cast<double>(r.tool_rss_kib) / 1024},
          {"watch_latency_ms_p50", percentile(r.latency_ms, 0.5)},
          {"watch_latency_ms_p99", percentile(r.latency_ms, 0.99)},
          {"publish_to_all_ms_max", percentile(r.all_ms, 1.0)},
          {"publish_to_all_ms", r.all_ms}};
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"ww-mesh-load: N simulated routers against a fresh 3-member etcd, per N"};
  app.add_option("--routers", settings.routers, "Router counts, one round each")->delimiter(',');
  app.add_option("--members", settings.members, "etcd members")->capture_default_str();
  app.add_option("--report-ms", settings.report_ms, "Status report interval (the agent's)")
      ->capture_default_str();
  app.add_option("--lease-ttl", settings.lease_ttl_s, "Registration lease TTL, seconds")
      ->capture_default_str();
  app.add_option("--measure-s", settings.measure_s, "Seconds of steady state measured")
      ->capture_default_str();
  app.add_option("--publishes", settings.publishes, "Bundles published per round")
      ->capture_default_str();
  app.add_option("-o,--output", settings.output, "Write the results as JSON here");
  CLI11_PARSE(app, argc, argv);
  raise_file_limit();

  nlohmann::json results = nlohmann::json::array();
  std::cout << std::left << std::setw(8) << "routers" << std::setw(10) << "etcd CPU"
            << std::setw(11) << "etcd RSS" << std::setw(10) << "req/s" << std::setw(13)
            << "watch p50" << std::setw(13) << "watch p99"
            << "publish->all\n";
  for (int count : settings.routers) {
    std::cerr << count << " routers:\n";
    try {
      const Round round = run_round(settings, count);
      results.push_back(to_json(round));
      std::cout << std::fixed << std::setprecision(1) << std::setw(8) << count << std::setw(10)
                << (std::to_string(static_cast<int>(round.etcd_cpu_percent)) + "%") << std::setw(11)
                << (std::to_string(round.etcd_rss_kib / 1024) + " MiB") << std::setw(10)
                << round.requests_per_s << std::setw(13)
                << (std::to_string(static_cast<int>(percentile(round.latency_ms, 0.5))) + " ms")
                << std::setw(13)
                << (std::to_string(static_cast<int>(percentile(round.latency_ms, 0.99))) + " ms")
                << static_cast<int>(percentile(round.all_ms, 1.0)) << " ms\n";
    } catch (const std::exception& e) {
      std::cerr << "  " << count << " routers: stopped: " << e.what() << '\n';
      results.push_back({{"routers", count}, {"error", e.what()}});
      break;  // larger rounds would fail the same way
    }
  }
  if (!settings.output.empty()) {
    std::ofstream out(settings.output);
    out << results.dump(2) << '\n';
  }
  return 0;
}
