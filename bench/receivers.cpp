#include "receivers.h"

#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include <sstream>

#include "nft_translator.h"
#include "westworld/dataplane/attach.h"
#include "westworld/dataplane/error.h"
#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"

namespace westworld::bench {
namespace {

using harness::in_namespace;
using harness::NetnsScope;
using harness::run_checked;
using harness::run_command;

// ethtool -S of one veth, names prefixed with the veth's role.
void read_ethtool(const std::string& netns, const std::string& iface, const std::string& prefix,
                  std::map<std::string, uint64_t>& out) {
  std::istringstream lines(run_checked(in_namespace(netns, {"ethtool", "-S", iface})));
  std::string line;
  while (std::getline(lines, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    if (name == "NIC statistics" || name == "peer_ifindex") continue;
    try {
      out[prefix + name] = std::stoull(line.substr(colon + 1));
    } catch (const std::exception&) {
    }
  }
}

std::map<std::string, uint64_t> interface_counts(const LiveTopology& t) {
  std::map<std::string, uint64_t> out;
  read_ethtool(t.rx_netns, t.rx_iface, "rx.", out);
  read_ethtool(t.tx_netns, t.tx_iface, "tx.", out);
  return out;
}

// Frames the receiver's veth took off its ring: what any receiver processed.
uint64_t frames_received(const std::map<std::string, uint64_t>& iface) {
  auto it = iface.find("rx.rx_queue_0_xdp_packets");
  return it == iface.end() ? 0 : it->second;
}

void attach_xdp(const LiveTopology& t, int prog_fd) {
  NetnsScope scope(t.rx_netns);
  if (int err =
          bpf_xdp_attach(static_cast<int>(t.rx_ifindex), prog_fd, XDP_FLAGS_DRV_MODE, nullptr))
    throw dataplane::Error(
        dataplane::describe_errno("cannot attach XDP natively to " + t.rx_iface, err));
}

void detach_xdp(const LiveTopology& t) {
  NetnsScope scope(t.rx_netns);
  bpf_xdp_detach(static_cast<int>(t.rx_ifindex), XDP_FLAGS_DRV_MODE, nullptr);
}

class EmptyReceiver : public Receiver {
 public:
  EmptyReceiver(const LiveTopology& t, int fd) : t_(t), fd_(fd) {}
  const char* name() const override { return "empty"; }
  void attach() override { attach_xdp(t_, fd_); }
  void detach() override { detach_xdp(t_); }
  ReceiverCounts counts() const override {
    ReceiverCounts c;
    c.interface = interface_counts(t_);
    c.processed = c.delivered = frames_received(c.interface);  // it passes everything
    return c;
  }

 private:
  LiveTopology t_;
  int fd_;
};

class GuardReceiver : public Receiver {
 public:
  GuardReceiver(const LiveTopology& t, const dataplane::Guard& guard) : t_(t), guard_(guard) {}
  const char* name() const override { return "guard"; }
  // The agent's own attach path (libxdp, native mode), as deployed.
  void attach() override {
    NetnsScope scope(t_.rx_netns);
    dataplane::attach(guard_, t_.rx_iface, dataplane::XdpMode::native);
  }
  void detach() override {
    NetnsScope scope(t_.rx_netns);
    dataplane::detach(guard_, t_.rx_ifindex);
  }
  ReceiverCounts counts() const override {
    ReceiverCounts c;
    c.interface = interface_counts(t_);
    c.guard = read_guard_verdicts(guard_.maps());
    c.processed = c.guard.seen;
    c.delivered = c.guard.passed;
    c.dropped = c.guard.dropped;
    return c;
  }

 private:
  LiveTopology t_;
  const dataplane::Guard& guard_;
};

class NftReceiver : public Receiver {
 public:
  NftReceiver(const LiveTopology& t, const std::string& ruleset) : t_(t), ruleset_(ruleset) {}
  const char* name() const override { return "nftables"; }
  void attach() override { run_checked(in_namespace(t_.rx_netns, {"nft", "-f", ruleset_})); }
  void detach() override {
    run_command(in_namespace(t_.rx_netns, {"nft", "delete", "table", "netdev", kNftTable}));
  }
  ReceiverCounts counts() const override {
    ReceiverCounts c;
    c.interface = interface_counts(t_);
    const nlohmann::json listing = nlohmann::json::parse(run_checked(in_namespace(
        t_.rx_netns, {"nft", "-j", "list", "counters", "table", "netdev", kNftTable})));
    for (const auto& item : listing.value("nftables", nlohmann::json::array())) {
      if (!item.contains("counter")) continue;
      const auto& counter = item["counter"];
      const uint64_t packets = counter.value("packets", uint64_t{0});
      if (counter.value("name", "") == "ww_delivered") c.delivered = packets;
      if (counter.value("name", "") == "ww_dropped") c.dropped = packets;
    }
    c.processed = c.delivered + c.dropped;
    return c;
  }

 private:
  LiveTopology t_;
  std::string ruleset_;
};

}  // namespace

ReceiverCounts operator-(const ReceiverCounts& after, const ReceiverCounts& before) {
  ReceiverCounts d;
  d.processed = after.processed - before.processed;
  d.delivered = after.delivered - before.delivered;
  d.dropped = after.dropped - before.dropped;
  d.guard = after.guard - before.guard;
  for (const auto& [name, value] : after.interface) {
    auto it = before.interface.find(name);
    d.interface[name] = value - (it == before.interface.end() ? 0 : it->second);
  }
  return d;
}

std::unique_ptr<Receiver> make_empty_receiver(const LiveTopology& t, int fd) {
  return std::make_unique<EmptyReceiver>(t, fd);
}

std::unique_ptr<Receiver> make_guard_receiver(const LiveTopology& t, const dataplane::Guard& g) {
  return std::make_unique<GuardReceiver>(t, g);
}

std::unique_ptr<Receiver> make_nft_receiver(const LiveTopology& t, const std::string& ruleset) {
  return std::make_unique<NftReceiver>(t, ruleset);
}

void check_nft_ruleset(const LiveTopology& t, const std::string& ruleset) {
  run_checked(in_namespace(t.rx_netns, {"nft", "-c", "-f", ruleset}));
}

void clear_receiver(const LiveTopology& t) {
  run_command(in_namespace(t.rx_netns, {"nft", "delete", "table", "netdev", kNftTable}));
  detach_xdp(t);
}

}  // namespace westworld::bench
