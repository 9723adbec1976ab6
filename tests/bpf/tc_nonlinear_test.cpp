// tc egress sees real sk_buffs, and their headers need not sit in the linear part that direct
// packet access reads: a packet socket sending a frame larger than a page keeps only the
// Ethernet header linear and puts the IP header in a page fragment. BPF_PROG_TEST_RUN always
// builds linear skbs, so this test sends such a frame for real, through loopback in a network
// namespace of its own, and checks that the guard read the headers behind the fragment
// boundary instead of dropping the frame as truncated.
#include <arpa/inet.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

// Larger than a page, so the packet socket builds a paged skb (see packet_alloc_skb()).
constexpr size_t kPayloadBytes = 5000;
constexpr uint16_t kProbePort = 7777;

constexpr const char* kProbePolicy = R"(
version: 1
charter:
  default: allow
  flows:
    - {name: egress-probe, action: allow, direction: egress, proto: udp, dst_ports: [7777]}
)";

// Network namespaces are per thread: one thread unshares, does everything there, and takes
// the namespace (its loopback, its qdisc and the attached program) with it when it ends.
template <typename Body>
void in_fresh_network_namespace(Body&& body) {
  std::thread thread([&body] {
    if (::unshare(CLONE_NEWNET) != 0) {
      ADD_FAILURE() << "unshare(CLONE_NEWNET): " << std::strerror(errno);
      return;
    }
    body();
  });
  thread.join();
}

void bring_up(const char* name) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ifreq request{};
  std::strncpy(request.ifr_name, name, IFNAMSIZ - 1);
  EXPECT_EQ(::ioctl(fd, SIOCGIFFLAGS, &request), 0) << std::strerror(errno);
  request.ifr_flags |= IFF_UP;
  EXPECT_EQ(::ioctl(fd, SIOCSIFFLAGS, &request), 0) << std::strerror(errno);
  ::close(fd);
}

void send_frame(int ifindex, const Frame& frame) {
  const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);  // protocol 0: send only
  ASSERT_GE(fd, 0) << std::strerror(errno);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_IP);
  to.sll_ifindex = ifindex;
  to.sll_halen = ETH_ALEN;
  std::memcpy(to.sll_addr, frame.data(), ETH_ALEN);  // the frame's destination MAC
  EXPECT_EQ(
      ::sendto(fd, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
      static_cast<ssize_t>(frame.size()))
      << std::strerror(errno);
  ::close(fd);
}

class TcNonLinearTest : public GuardTest {};

TEST_F(TcNonLinearTest, HeadersInAPageFragmentAreParsedNotDroppedAsTruncated) {
  apply(kProbePolicy);
  const Frame frame = udp4("192.0.2.1", "198.51.100.9", 40000, kProbePort, kPayloadBytes);
  const int tc_fd = guard().programs().tc.get();

  const CounterSnapshot before = counters();
  const dataplane::CounterSum probe_before = rule_counter(0);
  in_fresh_network_namespace([&] {
    bring_up("lo");
    const int lo = static_cast<int>(::if_nametoindex("lo"));
    ASSERT_GT(lo, 0);
    LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = lo, .attach_point = BPF_TC_EGRESS);
    ASSERT_EQ(bpf_tc_hook_create(&hook), 0) << "clsact on lo";
    LIBBPF_OPTS(bpf_tc_opts, attach, .prog_fd = tc_fd);
    ASSERT_EQ(bpf_tc_attach(&hook, &attach), 0) << "tc egress on lo";
    // The egress hook runs inside sendto(), so the counters are final when it returns.
    send_frame(lo, frame);
  });

  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_TRUNCATED, kEgress), 0u)
      << "the headers behind the linear part were not pulled";
  EXPECT_EQ(delta.stat(WW_STAT_SEEN, kEgress), 1u);
  EXPECT_EQ(delta.stat(WW_STAT_PASS, kEgress), 1u);
  EXPECT_EQ(delta.stat_bytes(WW_STAT_PASS, kEgress), frame.size());
  const dataplane::CounterSum probe = rule_counter(0);
  EXPECT_EQ(probe.packets - probe_before.packets, 1u) << "the UDP port behind the fragment";
  EXPECT_EQ(probe.bytes - probe_before.bytes, frame.size());
}

}  // namespace
}  // namespace westworld::bpf_test
