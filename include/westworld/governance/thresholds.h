// When a vote passes: Aragon OSx's integer rules, in parts per million, no floating point,
// so every node computes the same outcome from the same votes.
#pragma once

#include <chrono>
#include <cstdint>

#include "westworld/governance/proposal.h"

namespace westworld::governance {

inline constexpr std::uint32_t kPpm = 1'000'000;

struct Thresholds {
  std::uint32_t support_ppm = 500'000;            // yes / (yes + no) must EXCEED this
  std::uint32_t min_participation_ppm = 150'000;  // cast power / total must REACH this
};

// Standard: more than 50% support, 15% participation. Emergency: more than 50% support,
// 67% participation (the original design's emergency quorum: a short window must not let
// a few members decide alone).
Thresholds default_thresholds(ProposalKind kind);
// Standard: 72 h. Emergency: 2 h (no emergency outlasts the charter's 2 h override).
std::chrono::seconds default_window(ProposalKind kind);

// (1'000'000 - support) * yes > support * no, in 128-bit products: support exactly at the
// threshold fails (a tie never passes at 50%).
bool support_passes(const Thresholds& thresholds, std::uint64_t yes, std::uint64_t no);

// ceil(total * min_participation / 1'000'000): the least cast power that participates.
std::uint64_t min_participation(const Thresholds& thresholds, std::uint64_t total);
// yes + no + abstain >= min_participation(total): the minimum itself passes.
bool participation_passes(const Thresholds& thresholds, std::uint64_t yes, std::uint64_t no,
                          std::uint64_t abstain, std::uint64_t total);

}  // namespace westworld::governance
