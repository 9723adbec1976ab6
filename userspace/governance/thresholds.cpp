#include "westworld/governance/thresholds.h"

namespace westworld::governance {
namespace {

using Wide = unsigned __int128;  // products of 64-bit powers and ppm cannot overflow it

}  // namespace

Thresholds default_thresholds(ProposalKind kind) {
  switch (kind) {
    case ProposalKind::standard:
      return {500'000, 150'000};
    case ProposalKind::emergency:
      return {500'000, 670'000};
  }
  return {};
}

std::chrono::seconds default_window(ProposalKind kind) {
  switch (kind) {
    case ProposalKind::standard:
      return std::chrono::hours(72);
    case ProposalKind::emergency:
      return std::chrono::hours(2);
  }
  return std::chrono::hours(72);
}

bool support_passes(const Thresholds& t, std::uint64_t yes, std::uint64_t no) {
  // A threshold above 100% can never pass (rather than wrap round to a tiny one).
  if (t.support_ppm > kPpm) return false;
  return Wide{kPpm - t.support_ppm} * yes > Wide{t.support_ppm} * no;
}

std::uint64_t min_participation(const Thresholds& t, std::uint64_t total) {
  const Wide ppm = t.min_participation_ppm > kPpm ? kPpm : t.min_participation_ppm;
  return static_cast<std::uint64_t>((Wide{total} * ppm + (kPpm - 1)) / kPpm);
}

bool participation_passes(const Thresholds& t, std::uint64_t yes, std::uint64_t no,
                          std::uint64_t abstain, std::uint64_t total) {
  return Wide{yes} + no + abstain >= min_participation(t, total);
}

}  // namespace westworld::governance
