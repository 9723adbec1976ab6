#include "nft_translator.h"

#include <sstream>
#include <stdexcept>
#include <vector>

namespace westworld::bench {
namespace {

using policy::Cidr;
using policy::Family;
using policy::FlowRule;
using policy::Protocol;

constexpr const char* kDrop = "counter name ww_dropped drop";
constexpr const char* kToQuota = "goto ww_quota";
constexpr const char* kAudit = "counter name ww_audited goto ww_quota";

std::string address_match(const char* selector, const std::vector<Cidr>& cidrs, Family family) {
  std::vector<std::string> items;
  for (const Cidr& c : cidrs) {
    if (c.family != family) continue;
    const bool host = c.length == (family == Family::ipv4 ? 32 : 128);
    std::string text = c.to_string();
    items.push_back(host ? text.substr(0, text.find('/')) : text);
  }
  std::string out = std::string(family == Family::ipv4 ? "ip " : "ip6 ") + selector + " ";
  if (items.size() == 1) return out + items.front() + " ";
  out += "{ ";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + " } ";
}

std::string port_match(const char* protocol, const char* selector,
                       const std::vector<policy::PortRange>& ranges) {
  if (ranges.empty()) return "";
  std::vector<std::string> items;
  for (const auto& r : ranges) {
    items.push_back(r.first == r.last ? std::to_string(r.first)
                                      : std::to_string(r.first) + "-" + std::to_string(r.last));
  }
  std::string out = std::string(protocol) + " " + selector + " ";
  if (items.size() == 1) return out + items.front() + " ";
  out += "{ ";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + " } ";
}

bool has_family(const std::vector<Cidr>& cidrs, Family family) {
  if (cidrs.empty()) return true;
  for (const Cidr& c : cidrs) {
    if (c.family == family) return true;
  }
  return false;
}

bool protocol_allows(Protocol protocol, Family family) {
  if (protocol == Protocol::icmp) return family == Family::ipv4;
  if (protocol == Protocol::icmpv6) return family == Family::ipv6;
  return true;
}

const char* l4proto(Protocol protocol) {
  switch (protocol) {
    case Protocol::tcp:
      return "tcp";
    case Protocol::udp:
      return "udp";
    case Protocol::icmp:
      return "icmp";
    case Protocol::icmpv6:
      return "ipv6-icmp";
    case Protocol::any:
      break;
  }
  return nullptr;
}

const char* verdict(policy::Action action) {
  switch (action) {
    case policy::Action::deny:
      return kDrop;
    case policy::Action::audit:
      return kAudit;
    case policy::Action::allow:
      break;
  }
  return kToQuota;
}

// The protocol and port part, shared by every address family of a rule.
std::string l4_match(const FlowRule& rule) {
  std::string out;
  if (const char* proto = l4proto(rule.protocol)) out += std::string("meta l4proto ") + proto + " ";
  if (rule.protocol == Protocol::tcp || rule.protocol == Protocol::udp) {
    const char* proto = l4proto(rule.protocol);
    out += port_match(proto, "sport", rule.src_ports);
    out += port_match(proto, "dport", rule.dst_ports);
  }
  return out;
}

// One nft rule per address family the flow rule can match; a rule that names no
// address and no family-bound protocol stays one rule for both families.
void write_flow_rule(std::ostream& out, const FlowRule& rule) {
  const std::string l4 = l4_match(rule);
  const bool family_bound = !rule.src.empty() || !rule.dst.empty() ||
                            rule.protocol == Protocol::icmp || rule.protocol == Protocol::icmpv6;
  out << "    # " << rule.name << "\n";
  if (!family_bound) {
    out << "    " << l4 << verdict(rule.action) << "\n";
    return;
  }
  for (Family family : {Family::ipv4, Family::ipv6}) {
    if (!has_family(rule.src, family) || !has_family(rule.dst, family) ||
        !protocol_allows(rule.protocol, family))
      continue;
    std::string match;
    if (!rule.src.empty()) match += address_match("saddr", rule.src, family);
    if (!rule.dst.empty()) match += address_match("daddr", rule.dst, family);
    // A rule without addresses (icmp, icmpv6) still needs its family pinned.
    if (match.empty()) match = family == Family::ipv4 ? "meta protocol ip " : "meta protocol ip6 ";
    out << "    " << match << l4 << verdict(rule.action) << "\n";
  }
}

std::string identity_key(Family family, uint8_t prefix) {
  if (family == Family::ipv4) {
    if (prefix == 32) return "ip saddr";
    uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
    return "ip saddr & " + std::to_string(mask >> 24) + "." + std::to_string((mask >> 16) & 255) +
           "." + std::to_string((mask >> 8) & 255) + "." + std::to_string(mask & 255);
  }
  if (prefix == 128) return "ip6 saddr";
  Cidr mask = *policy::parse_cidr("::/128");
  for (int bit = 0; bit < prefix; ++bit) mask.addr[bit / 8] |= uint8_t(0x80 >> (bit % 8));
  std::string text = mask.to_string();
  return "ip6 saddr & " + text.substr(0, text.find('/'));
}

void check_translatable(const policy::Policy& p) {
  auto refuse = [](const std::string& what) {
    throw std::invalid_argument("the nft translator cannot express " + what);
  };
  if (!p.classes.empty()) refuse("quota classes");
  if (p.max_share > 0) refuse("a share cap (max_share)");
  if (p.quota.bytes_per_second) refuse("a byte rate (bps)");
  if (p.on_exceed == policy::OnExceed::count) refuse("on_exceed: count");
  if (p.fragments == policy::FragmentMode::l3_only) refuse("fragments: l3-only");
}

}  // namespace

std::string translate_to_nft(const policy::Policy& p, const NftOptions& options) {
  check_translatable(p);
  if (options.device.empty()) throw std::invalid_argument("the nft translator needs a device");
  std::ostringstream out;
  out << "# Generated by ww-bench nft-translate: " << p.flows.size() << " flow rules.\n"
      << "table netdev " << kNftTable << " {\n"
      << "  counter ww_delivered {}\n"
      << "  counter ww_dropped {}\n"
      << "  counter ww_audited {}\n";
  const bool metered = !p.quota.unlimited;
  if (metered) {
    for (const char* type : {"ipv4_addr", "ipv6_addr"}) {
      out << "  set ww_src" << (type[3] == '4' ? "4" : "6") << " { type " << type << "; size "
          << p.max_sources << "; flags dynamic,timeout; timeout " << options.meter_timeout_seconds
          << "s; }\n";
    }
  }
  out << "  chain ww_quota {\n";
  if (metered) {
    const std::string limit = " limit rate over " + std::to_string(p.quota.pps) + "/second burst " +
                              std::to_string(p.quota.burst) + " packets }";
    out << "    meta protocol ip update @ww_src4 { "
        << identity_key(Family::ipv4, p.identity_ipv4_prefix) << limit << " " << kDrop << "\n"
        << "    meta protocol ip6 update @ww_src6 { "
        << identity_key(Family::ipv6, p.identity_ipv6_prefix) << limit << " " << kDrop << "\n";
  }
  out << "    counter name ww_delivered accept\n"
      << "  }\n"
      << "  chain ingress {\n"
      << "    type filter hook ingress device \"" << options.device
      << "\" priority 0; policy accept;\n"
      << "    meta protocol != { ip, ip6 } counter name ww_delivered accept\n";
  if (p.fragments == policy::FragmentMode::deny) {
    out << "    ip frag-off & 0x1fff != 0 " << kDrop << "\n"
        << "    frag frag-off != 0 " << kDrop << "\n";
  }
  for (const FlowRule& rule : p.flows) {
    if (rule.directions.ingress) write_flow_rule(out, rule);
  }
  out << "    # charter default: " << policy::to_string(p.default_action) << "\n"
      << "    " << verdict(p.default_action) << "\n"
      << "  }\n"
      << "}\n";
  return out.str();
}

}  // namespace westworld::bench
