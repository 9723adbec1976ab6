#include "westworld/governance/genesis.h"

#include "westworld/capability/bytes.h"

namespace westworld::governance {
namespace {

using capability::as_bytes;
using capability::Sha256;

constexpr std::string_view kGenesisDomain = "westworld.governance.genesis.v1";

void hash_seconds(Sha256& hash, std::chrono::seconds value) {
  hash.update_u64_be(static_cast<std::uint64_t>(value.count()));
}

void hash_kind(Sha256& hash, const KindSettings& kind) {
  hash.update_u32_be(kind.thresholds.support_ppm);
  hash.update_u32_be(kind.thresholds.min_participation_ppm);
  hash_seconds(hash, kind.window);
}

}  // namespace

std::optional<std::string> settings_error(const GovernanceSettings& s) {
  for (const auto* kind : {&s.standard, &s.emergency}) {
    const char* name = kind == &s.standard ? "standard" : "emergency";
    if (kind->thresholds.support_ppm >= kPpm)
      return std::string(name) + " support must be below 100% (1000000 ppm): nothing could pass";
    if (kind->thresholds.min_participation_ppm > kPpm)
      return std::string(name) + " participation cannot exceed 100% (1000000 ppm)";
    if (kind->window < s.min_window || kind->window > s.max_window)
      return std::string(name) + " window must lie between the minimum and maximum windows";
  }
  if (s.min_window <= std::chrono::seconds(0)) return "the minimum window must be positive";
  if (s.default_bake < std::chrono::seconds(0)) return "the bake time cannot be negative";
  if (s.experiment_above_ppm > kPpm) return "the experiment rule cannot exceed 100%";
  if (s.sample_interval <= std::chrono::seconds(0)) return "the sample interval must be positive";
  if (s.min_samples == 0) return "a wave needs at least one sample";
  if (s.nodata_limit == 0) return "the no-data limit must be at least one sample";
  return std::nullopt;
}

capability::Digest genesis_digest(const Genesis& g) {
  Sha256 hash;
  hash.update_framed(as_bytes(kGenesisDomain));
  hash.update_framed(as_bytes(g.mesh));
  hash.update(members_digest(g.members));
  const GovernanceSettings& s = g.settings;
  hash_kind(hash, s.standard);
  hash_kind(hash, s.emergency);
  hash_seconds(hash, s.min_window);
  hash_seconds(hash, s.max_window);
  hash_seconds(hash, s.default_bake);
  hash.update_u32_be(s.experiment_above_ppm);
  hash_seconds(hash, s.sample_interval);
  hash.update_u32_be(s.min_samples);
  hash.update_u32_be(s.nodata_limit);
  return hash.finish();
}

}  // namespace westworld::governance
