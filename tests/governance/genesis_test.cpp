// The genesis: its digest (the value routers are started with) pins the mesh name, every
// member and every setting, and settings_error refuses settings that could govern nothing.
#include "westworld/governance/genesis.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "governance_fixture.h"

namespace westworld::governance {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Mesh;

Genesis riverside(const Mesh& mesh) { return {"riverside", mesh.members, GovernanceSettings{}}; }

// Each change to a genesis that must change its digest: if one were left out of the hash,
// whoever controls etcd could change that setting under routers pinned to the digest.
std::vector<std::pair<std::string, std::function<void(Genesis&)>>> every_field_change() {
  const capability::PublicKey other_key = capability::Ed25519KeyPair::generate().public_key();
  return {
      {"mesh", [](Genesis& g) { g.mesh = "hillside"; }},
      {"a member's id", [](Genesis& g) { g.members.members[1].id = "mallory"; }},
      {"a member's key", [other_key](Genesis& g) { g.members.members[1].key = other_key; }},
      {"a member's power", [](Genesis& g) { g.members.members[1].power = 2; }},
      {"one more member",
       [other_key](Genesis& g) {
         g.members.members.push_back({"m9", other_key, 1});
       }},
      {"one member less", [](Genesis& g) { g.members.members.pop_back(); }},
      {"standard support", [](Genesis& g) { g.settings.standard.thresholds.support_ppm += 1; }},
      {"standard participation",
       [](Genesis& g) { g.settings.standard.thresholds.min_participation_ppm += 1; }},
      {"standard window", [](Genesis& g) { g.settings.standard.window += seconds(1); }},
      {"emergency support", [](Genesis& g) { g.settings.emergency.thresholds.support_ppm += 1; }},
      {"emergency participation",
       [](Genesis& g) { g.settings.emergency.thresholds.min_participation_ppm += 1; }},
      {"emergency window", [](Genesis& g) { g.settings.emergency.window += seconds(1); }},
      {"min window", [](Genesis& g) { g.settings.min_window += seconds(1); }},
      {"max window", [](Genesis& g) { g.settings.max_window += seconds(1); }},
      {"default bake", [](Genesis& g) { g.settings.default_bake += seconds(1); }},
      {"experiment rule", [](Genesis& g) { g.settings.experiment_above_ppm += 1; }},
      {"sample interval", [](Genesis& g) { g.settings.sample_interval += seconds(1); }},
      {"min samples", [](Genesis& g) { g.settings.min_samples += 1; }},
      {"no-data limit", [](Genesis& g) { g.settings.nodata_limit += 1; }},
      // The two kinds' settings are hashed in a fixed order: swapping them is a change.
      {"kinds swapped",
       [](Genesis& g) {
         g.settings.emergency.window = g.settings.standard.window;
         std::swap(g.settings.standard, g.settings.emergency);
       }},
  };
}

TEST(Genesis, EveryFieldChangesTheDigest) {
  const Mesh mesh({1, 1, 1});
  const Genesis base = riverside(mesh);
  const capability::Digest digest = genesis_digest(base);
  EXPECT_EQ(digest, genesis_digest(riverside(mesh)));  // deterministic
  std::set<capability::Digest> seen = {digest};
  for (const auto& [name, change] : every_field_change()) {
    Genesis g = base;
    change(g);
    const capability::Digest changed = genesis_digest(g);
    EXPECT_NE(changed, digest) << name;
    EXPECT_TRUE(seen.insert(changed).second) << name << " hashes like another change";
  }
}

// The member set is hashed through members_digest(): the order members were listed in is
// not part of the genesis.
TEST(Genesis, MemberOrderDoesNotChangeTheDigest) {
  const Mesh mesh({1, 2, 3});
  Genesis reordered = riverside(mesh);
  std::swap(reordered.members.members[0], reordered.members.members[2]);
  EXPECT_EQ(genesis_digest(reordered), genesis_digest(riverside(mesh)));
}

TEST(Genesis, TheDefaultsAreValid) {
  const GovernanceSettings defaults;
  EXPECT_EQ(settings_error(defaults), std::nullopt);
  // And they are the thresholds and windows the rest of governance assumes.
  EXPECT_EQ(defaults.standard.thresholds.support_ppm, 500'000u);
  EXPECT_EQ(defaults.standard.thresholds.min_participation_ppm, 150'000u);
  EXPECT_EQ(defaults.emergency.thresholds.min_participation_ppm,
            default_thresholds(ProposalKind::emergency).min_participation_ppm);
  EXPECT_EQ(defaults.standard.window, hours(72));
  EXPECT_EQ(defaults.emergency.window, hours(2));
  EXPECT_EQ(defaults.window_cap(ProposalKind::standard), defaults.max_window);
  EXPECT_EQ(defaults.window_cap(ProposalKind::emergency), hours(2));
  EXPECT_EQ(&defaults.of(ProposalKind::emergency), &defaults.emergency);
}

TEST(Genesis, SettingsErrorsAtTheirBoundaries) {
  struct Case {
    std::string name;
    std::function<void(GovernanceSettings&)> change;
    std::string says;  // "" when the settings are valid
  };
  const std::vector<Case> cases = {
      {"support just below 100%",
       [](GovernanceSettings& s) { s.standard.thresholds.support_ppm = kPpm - 1; }, ""},
      {"standard support at 100%",
       [](GovernanceSettings& s) { s.standard.thresholds.support_ppm = kPpm; },
       "standard support must be below 100%"},
      {"emergency support above 100%",
       [](GovernanceSettings& s) { s.emergency.thresholds.support_ppm = kPpm + 1; },
       "emergency support must be below 100%"},
      {"participation at 100%",
       [](GovernanceSettings& s) { s.emergency.thresholds.min_participation_ppm = kPpm; }, ""},
      {"standard participation above 100%",
       [](GovernanceSettings& s) { s.standard.thresholds.min_participation_ppm = kPpm + 1; },
       "standard participation cannot exceed 100%"},
      {"emergency participation above 100%",
       [](GovernanceSettings& s) { s.emergency.thresholds.min_participation_ppm = kPpm + 1; },
       "emergency participation cannot exceed 100%"},
      {"window at the minimum", [](GovernanceSettings& s) { s.emergency.window = s.min_window; },
       ""},
      {"window below the minimum",
       [](GovernanceSettings& s) { s.emergency.window = s.min_window - seconds(1); },
       "emergency window must lie between"},
      {"window at the maximum", [](GovernanceSettings& s) { s.standard.window = s.max_window; },
       ""},
      {"window above the maximum",
       [](GovernanceSettings& s) { s.standard.window = s.max_window + seconds(1); },
       "standard window must lie between"},
      {"minimum above maximum",
       [](GovernanceSettings& s) { s.min_window = s.max_window + seconds(1); },
       "window must lie between"},
      {"zero minimum window", [](GovernanceSettings& s) { s.min_window = seconds(0); },
       "the minimum window must be positive"},
      {"zero bake", [](GovernanceSettings& s) { s.default_bake = seconds(0); }, ""},
      {"negative bake", [](GovernanceSettings& s) { s.default_bake = seconds(-1); },
       "the bake time cannot be negative"},
      {"experiment rule off", [](GovernanceSettings& s) { s.experiment_above_ppm = kPpm; }, ""},
      {"experiment rule above 100%",
       [](GovernanceSettings& s) { s.experiment_above_ppm = kPpm + 1; },
       "the experiment rule cannot exceed 100%"},
      {"one-second samples", [](GovernanceSettings& s) { s.sample_interval = seconds(1); }, ""},
      {"zero sample interval", [](GovernanceSettings& s) { s.sample_interval = seconds(0); },
       "the sample interval must be positive"},
      {"negative sample interval", [](GovernanceSettings& s) { s.sample_interval = seconds(-10); },
       "the sample interval must be positive"},
      {"one sample", [](GovernanceSettings& s) { s.min_samples = 1; }, ""},
      {"zero samples", [](GovernanceSettings& s) { s.min_samples = 0; },
       "a wave needs at least one sample"},
      {"no-data limit of one", [](GovernanceSettings& s) { s.nodata_limit = 1; }, ""},
      {"zero no-data limit", [](GovernanceSettings& s) { s.nodata_limit = 0; },
       "the no-data limit must be at least one sample"},
  };
  for (const Case& c : cases) {
    GovernanceSettings s;
    c.change(s);
    const std::optional<std::string> error = settings_error(s);
    if (c.says.empty()) {
      EXPECT_EQ(error, std::nullopt) << c.name;
    } else {
      ASSERT_TRUE(error.has_value()) << c.name;
      EXPECT_NE(error->find(c.says), std::string::npos) << c.name << " -> " << *error;
    }
  }
}

TEST(Genesis, ShorterWindowsAreValidWhenTheMinimumAllowsThem) {
  GovernanceSettings s;
  s.min_window = minutes(1);
  s.emergency.window = minutes(5);
  EXPECT_EQ(settings_error(s), std::nullopt);
  s.min_window = minutes(6);  // now the emergency window is below it
  EXPECT_NE(settings_error(s), std::nullopt);
}

}  // namespace
}  // namespace westworld::governance
