// Wave plans: which plans are accepted, and how a plan splits the targets into cumulative
// waves in an order fixed by the proposal (so every reader computes the same waves).
#include "westworld/governance/waves.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace westworld::governance {
namespace {

capability::Digest id_of(std::uint8_t fill) {
  capability::Digest id{};
  id.fill(fill);
  return id;
}

std::vector<std::string> nodes(std::size_t count) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back("r" + std::to_string(i));
  return out;
}

std::vector<std::size_t> sizes(const std::vector<std::vector<std::string>>& waves) {
  std::vector<std::size_t> out;
  for (const auto& wave : waves) out.push_back(wave.size());
  return out;
}

std::vector<std::string> flat(const std::vector<std::vector<std::string>>& waves) {
  std::vector<std::string> out;
  for (const auto& wave : waves) out.insert(out.end(), wave.begin(), wave.end());
  return out;
}

TEST(Waves, ValidPlans) {
  for (const std::vector<std::string>& plan :
       std::vector<std::vector<std::string>>{{"1", "10%", "50%", "100%"},
                                             {"2", "100%"},
                                             {"100%"},
                                             {"1", "2", "5", "100%"},
                                             {"1%", "100%"},
                                             kDefaultWaves}) {
    EXPECT_EQ(wave_plan_error(plan), std::nullopt) << ::testing::PrintToString(plan);
  }
}

TEST(Waves, InvalidPlans) {
  struct Case {
    std::vector<std::string> plan;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{}, "the wave plan is empty"},
      {{"0"}, "wave '0' is neither"},
      {{"0%", "100%"}, "wave '0%' is neither"},
      {{"10%", "5%", "100%"}, "wave '5%' does not grow"},
      {{"10%", "5%"}, "wave '5%' does not grow"},
      {{"10%", "10%", "100%"}, "wave '10%' does not grow"},
      {{"3", "3", "100%"}, "wave '3' does not grow"},
      {{"50%", "1", "100%"}, "wave '1' is a count after a share"},
      {{"50%", "1"}, "wave '1' is a count after a share"},
      {{"1", "10%"}, "the last wave must be 100%"},
      {{"1", "5"}, "the last wave must be 100%"},
      {{"100"}, "the last wave must be 100%"},  // 100 nodes is not all of them
      {{"abc"}, "wave 'abc' is neither"},
      {{"101%"}, "wave '101%' is neither"},
      {{"%"}, "wave '%' is neither"},
      {{""}, "wave '' is neither"},
      {{"-1", "100%"}, "wave '-1' is neither"},
      {{" 1", "100%"}, "wave ' 1' is neither"},
      {{"1%%", "100%"}, "wave '1%%' is neither"},
      {{"99999999999999999999", "100%"}, "is neither"},  // beyond 64 bits
  };
  for (const Case& c : cases) {
    const std::optional<std::string> error = wave_plan_error(c.plan);
    ASSERT_TRUE(error.has_value()) << ::testing::PrintToString(c.plan);
    EXPECT_NE(error->find(c.says), std::string::npos) << *error;
  }
}

TEST(Waves, AnInvalidPlanIsNotAssigned) {
  EXPECT_THROW(assign_waves({"50%"}, nodes(4), id_of(1)), std::invalid_argument);
  EXPECT_THROW(assign_waves({}, nodes(4), id_of(1)), std::invalid_argument);
}

TEST(Waves, EveryNodeOnceInCumulativeWaves) {
  const std::vector<std::string> twenty = nodes(20);
  const auto waves = assign_waves(kDefaultWaves, twenty, id_of(7));
  // 1 node, then up to ceil(10% of 20) = 2, up to 10, up to 20.
  EXPECT_EQ(sizes(waves), (std::vector<std::size_t>{1, 1, 8, 10}));
  std::vector<std::string> all = flat(waves);
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected = twenty;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(all, expected);  // each exactly once
}

TEST(Waves, SharesRoundUpAndEmptyWavesAreDropped) {
  // 10% of 5 is still the one canary: that wave would add nobody and is dropped.
  EXPECT_EQ(sizes(assign_waves(kDefaultWaves, nodes(5), id_of(1))),
            (std::vector<std::size_t>{1, 2, 2}));
  // 10% of 11 rounds up to 2.
  EXPECT_EQ(sizes(assign_waves({"10%", "100%"}, nodes(11), id_of(1))),
            (std::vector<std::size_t>{2, 9}));
  EXPECT_EQ(sizes(assign_waves({"2", "100%"}, nodes(7), id_of(1))),
            (std::vector<std::size_t>{2, 5}));
  // A count beyond the nodes takes them all at once; the 100% after it adds nobody.
  EXPECT_EQ(sizes(assign_waves({"5", "100%"}, nodes(3), id_of(1))), (std::vector<std::size_t>{3}));
  // A share smaller than an earlier count adds nobody either (5 already out of 20).
  EXPECT_EQ(sizes(assign_waves({"5", "10%", "100%"}, nodes(20), id_of(1))),
            (std::vector<std::size_t>{5, 15}));
  EXPECT_EQ(sizes(assign_waves(kDefaultWaves, nodes(1), id_of(1))), (std::vector<std::size_t>{1}));
  EXPECT_TRUE(assign_waves(kDefaultWaves, {}, id_of(1)).empty());
}

TEST(Waves, DuplicateNodesAreRemoved) {
  const auto waves = assign_waves({"1", "100%"}, {"b", "a", "b", "c", "a", "a"}, id_of(3));
  EXPECT_EQ(sizes(waves), (std::vector<std::size_t>{1, 2}));
  const std::vector<std::string> all = flat(waves);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), (std::set<std::string>{"a", "b", "c"}));
}

TEST(Waves, TheOrderIsFixedByTheProposal) {
  const std::vector<std::string> twenty = nodes(20);
  const auto first = assign_waves(kDefaultWaves, twenty, id_of(0x11));
  EXPECT_EQ(assign_waves(kDefaultWaves, twenty, id_of(0x11)), first);
  // The order the nodes were listed in does not matter.
  std::vector<std::string> reversed(twenty.rbegin(), twenty.rend());
  EXPECT_EQ(assign_waves(kDefaultWaves, reversed, id_of(0x11)), first);
  // Another proposal gets another order (over 20 nodes, equal by chance once in 20!).
  const auto other = assign_waves(kDefaultWaves, twenty, id_of(0x22));
  EXPECT_EQ(sizes(other), sizes(first));
  EXPECT_NE(flat(other), flat(first));
  // And the order is not the names' order.
  std::vector<std::string> by_name = twenty;
  std::sort(by_name.begin(), by_name.end());
  EXPECT_NE(flat(first), by_name);
}

}  // namespace
}  // namespace westworld::governance
