// The bench policy as nftables: a netdev ingress table that does the guard's
// ingress job with nft's own means, so the live run compares like with like.
//
//   table netdev westworld_bench
//     chain ingress (hook ingress on DEVICE): non-IP frames accepted (the
//       guard passes them too), non-first fragments dropped (fragments: deny),
//       then one nft rule per flow rule and address family, in file order:
//       deny -> drop, allow -> goto ww_quota, audit -> count, goto ww_quota; the
//       charter default last. Egress-only rules have no ingress meaning.
//     chain ww_quota: the per-source quota as a meter over the source's identity
//       prefix (a dynamic set with a `limit rate over` per element), then accept.
//
// The quota comes after the rule decision, as in the guard, so denied traffic
// never uses up a source's quota. Named counters ww_delivered, ww_dropped and
// ww_audited count the verdicts; they are only touched on a decision.
#pragma once

#include <string>

#include "westworld/policy/model.h"

namespace westworld::bench {

inline constexpr const char* kNftTable = "westworld_bench";

struct NftOptions {
  std::string device;
  uint32_t meter_timeout_seconds = 60;  // idle sources leave the meter, as the LRU evicts them
};

// Throws std::invalid_argument naming what nft cannot express the same way:
// quota classes, share caps, byte rates, on_exceed: count, fragments: l3-only.
std::string translate_to_nft(const policy::Policy& policy, const NftOptions& options);

}  // namespace westworld::bench
