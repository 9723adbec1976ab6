// Policies larger than one rule word (64 rules) and one summary word (64 rule words, 4096
// rules): the kernel's AND walk must find the first match across word and summary
// boundaries. The random agreement test never gets that far, with at most 50 rules.
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

constexpr uint32_t kPerPortRules = 4200;  // rule i matches udp port 10000 + i
constexpr uint32_t kRangeRule = kPerPortRules;
constexpr uint32_t kSourceRule = kPerPortRules + 1;
constexpr uint32_t kLateRangeRule = kPerPortRules + 2;

uint16_t port_of(uint32_t rule) { return static_cast<uint16_t>(10000 + rule); }
bool denies(uint32_t rule) { return rule % 3 == 0; }

std::string large_policy() {
  std::ostringstream yaml;
  yaml << "version: 1\ncharter:\n  default: allow\n  flows:\n";
  for (uint32_t i = 0; i < kPerPortRules; ++i) {
    yaml << "    - {name: r" << i << ", action: " << (denies(i) ? "deny" : "allow")
         << ", proto: udp, dst_ports: [" << port_of(i) << "]}\n";
  }
  yaml << "    - {name: range, action: deny, proto: udp, dst_ports: [20000-20010]}\n";
  yaml << "    - {name: from-net, action: deny, proto: udp, src: [10.99.0.0/16]}\n";
  // Overlaps rules 60-4199, which must win wherever they match, and runs on past them.
  yaml << "    - {name: late-range, action: deny, proto: udp, dst_ports: [10060-14259]}\n";
  return yaml.str();
}

class LargePolicyTest : public GuardTest {};

TEST_F(LargePolicyTest, FirstMatchIsFoundAcrossRuleAndSummaryWords) {
  apply(large_policy());
  for (uint32_t rule : {0u, 1u, 63u, 64u, 65u, 127u, 128u, 1000u, 4095u, 4096u, 4097u, 4159u, 4160u,
                        kPerPortRules - 1}) {
    SCOPED_TRACE("rule " + std::to_string(rule));
    expect_decision(kIngress, udp4("10.1.1.1", "192.0.2.1", 999, port_of(rule)),
                    denies(rule) ? Verdict::drop : Verdict::pass, rule);
  }
  struct Case {
    std::string name;
    Frame frame;
    Verdict verdict;
    std::optional<uint32_t> rule;
  };
  const std::vector<Case> cases = {
      {"range rule after 4200 others", udp4("10.1.1.1", "192.0.2.1", 999, 20005), Verdict::drop,
       kRangeRule},
      {"source rule", udp4("10.99.1.1", "192.0.2.1", 999, 30000), Verdict::drop, kSourceRule},
      {"source rule, but a per-port rule comes first",
       udp4("10.99.1.1", "192.0.2.1", 999, port_of(4097)), Verdict::pass, 4097},
      {"late range only", udp4("10.1.1.1", "192.0.2.1", 999, 14250), Verdict::drop, kLateRangeRule},
      {"nothing", udp4("10.1.1.1", "192.0.2.1", 999, 30000), Verdict::pass, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    expect_decision(kIngress, c.frame, c.verdict, c.rule);
  }
}

}  // namespace
}  // namespace westworld::bpf_test
