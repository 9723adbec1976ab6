// The quest loader: a full file loads with every field right, every error class is reported
// alone at its exact line and column with nothing returned, and the shipped quests load.
// The YAML is inline, in block style, so columns can be counted by eye.
#include "westworld/quests/quest_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "diagnostic_matchers.h"

namespace westworld::quests {
namespace {

using policy::Diagnostic;
using policy::Severity;

QuestLoad load(const std::string& yaml) { return load_quest_text(yaml, "quest.yaml"); }

using harness::all_of;

// The load failed with exactly one diagnostic: an error at line:column whose message holds
// every one of `parts`.
::testing::AssertionResult only_error(const QuestLoad& result, int line, int column,
                                      std::initializer_list<std::string_view> parts) {
  return harness::only_error(result.quest.has_value(), result.diagnostics, line, column, parts);
}

// Lines 1-5: the quest's head, up to `steps:`.
const std::string kHead =
    "version: 1\n"
    "id: q\n"
    "title: A quest\n"
    "category: mesh_builder\n"
    "steps:\n";

// Lines 6-11: one step whose criterion (line 9, column 9) is `criterion`.
std::string with_criterion(const std::string& criterion) {
  return kHead +
         "  - id: s1\n"
         "    title: Step one\n"
         "    criteria:\n"
         "      - " +
         criterion +
         "\n"
         "    reward:\n"
         "      points: 5\n";
}

// Lines 6-10: one step whose reward fields start on line 10, column 7.
std::string with_reward(const std::string& reward_lines) {
  return kHead +
         "  - id: s1\n"
         "    title: Step one\n"
         "    criteria: [peers >= 1]\n"
         "    reward:\n" +
         reward_lines;
}

TEST(QuestLoader, LoadsEveryField) {
  const QuestLoad result = load(
      "version: 1\n"
      "id: build-a-node\n"
      "title: Build a node\n"
      "category: mesh_builder\n"
      "expires: 2026-12-31\n"
      "repeat: 7d\n"
      "steps:\n"
      "  - id: enforce\n"
      "    title: Enforce\n"
      "    criteria:\n"
      "      - continuous_enforcement >= 24h\n"
      "      - runs_latest_approved_policy == true\n"
      "      - mttr <= 30s\n"
      "      - peers > 2\n"
      "    reward:\n"
      "      points: 50\n"
      "      badge: node-builder\n"
      "      role: steward\n");
  ASSERT_TRUE(result.quest) << all_of(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << all_of(result.diagnostics);
  const Quest& quest = *result.quest;
  EXPECT_EQ(quest.id, "build-a-node");
  EXPECT_EQ(quest.title, "Build a node");
  EXPECT_EQ(quest.category, Category::mesh_builder);
  ASSERT_TRUE(quest.expires && quest.expires->at);
  EXPECT_EQ(quest.expires->at->time_since_epoch().count(), 1798675200);  // 2026-12-31T00:00Z
  ASSERT_TRUE(quest.repeat);
  EXPECT_EQ(quest.repeat->count(), 7 * 86400);
  ASSERT_EQ(quest.steps.size(), 1u);
  const Step& step = quest.steps[0];
  EXPECT_EQ(step.id, "enforce");
  ASSERT_EQ(step.criteria.size(), 4u);
  EXPECT_EQ(step.criteria[0].kind, CriterionKind::continuous_enforcement);
  EXPECT_EQ(step.criteria[0].threshold, 24 * 3600 * 1000);
  EXPECT_EQ(step.criteria[0].where.line, 11);
  EXPECT_EQ(step.criteria[0].where.column, 9);
  EXPECT_EQ(step.criteria[0].text(), "continuous_enforcement >= 1d");
  EXPECT_EQ(step.criteria[1].text(), "runs_latest_approved_policy == true");
  EXPECT_EQ(step.criteria[2].text(), "mttr <= 30s");
  EXPECT_EQ(step.criteria[3].op, CompareOp::gt);
  EXPECT_EQ(step.reward.points, 50u);
  EXPECT_EQ(step.reward.badge, "node-builder");
  EXPECT_EQ(step.reward.role, "steward");
  EXPECT_EQ(quest.find_step("enforce"), &quest.steps[0]);
  EXPECT_EQ(quest.find_step("other"), nullptr);
}

TEST(QuestLoader, ExpiryCountsFromActivation) {
  QuestLoad result = load(kHead +
                          "  - {id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}\n"
                          "opens_on: flood\n"
                          "expires: 12h\n");
  ASSERT_TRUE(result.quest) << all_of(result.diagnostics);
  EXPECT_EQ(result.quest->opens_on, CrisisKind::flood);
  const common::UnixSeconds activated{std::chrono::seconds(1'000'000)};
  EXPECT_EQ(expires_at(*result.quest, activated), activated + std::chrono::hours(12));
  EXPECT_TRUE(is_open(*result.quest, activated, activated + std::chrono::hours(11)));
  EXPECT_FALSE(is_open(*result.quest, activated, activated + std::chrono::hours(12)));
  EXPECT_EQ(period_of(*result.quest, activated), 0);  // no repeat: once ever
}

TEST(QuestLoader, RepeatPeriodsAreAlignedToTheEpoch) {
  QuestLoad result = load(kHead +
                          "  - {id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}\n"
                          "repeat: 1d\n");
  ASSERT_TRUE(result.quest) << all_of(result.diagnostics);
  const common::UnixSeconds day3{std::chrono::days(3)};
  EXPECT_EQ(period_of(*result.quest, day3), 3);
  EXPECT_EQ(period_of(*result.quest, day3 + std::chrono::hours(23)), 3);
  EXPECT_EQ(period_of(*result.quest, day3 + std::chrono::hours(24)), 4);
}

TEST(QuestLoader, UnknownCriterionIsALoadError) {
  EXPECT_TRUE(
      only_error(load(with_criterion("karma >= 3")), 9, 9, {"unknown criterion 'karma'", "peers"}));
}

TEST(QuestLoader, UnknownOperator) {
  EXPECT_TRUE(only_error(load(with_criterion("peers => 3")), 9, 9, {"unknown operator '=>'"}));
  EXPECT_TRUE(only_error(load(with_criterion("peers != 3")), 9, 9, {"unknown operator '!='"}));
}

TEST(QuestLoader, ThresholdInTheWrongUnit) {
  EXPECT_TRUE(
      only_error(load(with_criterion("uptime >= 7")), 9, 9, {"uptime is a duration", "'7'"}));
  EXPECT_TRUE(only_error(load(with_criterion("uptime >= 7w")), 9, 9, {"uptime is a duration"}));
  EXPECT_TRUE(only_error(load(with_criterion("peers >= 3d")), 9, 9, {"peers is a count", "'3d'"}));
  EXPECT_TRUE(only_error(load(with_criterion("peers >= -1")), 9, 9, {"peers is a count"}));
  EXPECT_TRUE(only_error(load(with_criterion("guardian_share_verified == yes")), 9, 9,
                         {"guardian_share_verified is true or false", "'yes'"}));
}

TEST(QuestLoader, BooleansCompareOnlyForEquality) {
  EXPECT_TRUE(only_error(load(with_criterion("runs_latest_approved_policy >= true")), 9, 9,
                         {"is a boolean", "== true"}));
}

TEST(QuestLoader, CriterionNotOfThreeWords) {
  EXPECT_TRUE(only_error(load(with_criterion("peers>=3")), 9, 9, {"NAME OP VALUE"}));
  EXPECT_TRUE(only_error(load(with_criterion("peers >= 3 links")), 9, 9, {"NAME OP VALUE"}));
}

TEST(QuestLoader, CriterionMustBeText) {
  EXPECT_TRUE(only_error(load(with_criterion("{peers: 3}")), 9, 9, {"single value"}));
}

TEST(QuestLoader, StepWithoutCriteria) {
  EXPECT_TRUE(only_error(load(kHead + "  - id: s1\n"
                                      "    title: Step one\n"
                                      "    criteria: []\n"
                                      "    reward: {points: 1}\n"),
                         8, 15, {"at least one criterion"}));
}

TEST(QuestLoader, QuestWithoutSteps) {
  EXPECT_TRUE(only_error(load("version: 1\nid: q\ntitle: T\ncategory: guardian\nsteps: []\n"), 5, 8,
                         {"at least one step"}));
}

TEST(QuestLoader, RewardErrors) {
  EXPECT_TRUE(only_error(load(with_reward("      {}\n")), 10, 7, {"at least one of points"}));
  EXPECT_TRUE(only_error(load(with_reward("      points: 0\n")), 10, 15, {"points", "between 1"}));
  EXPECT_TRUE(only_error(load(with_reward("      points: lots\n")), 10, 15, {"integer"}));
  EXPECT_TRUE(only_error(load(with_reward("      badge: Big Badge\n")), 10, 14, {"badge must be"}));
  EXPECT_TRUE(only_error(load(with_reward("      tokens: 5\n")), 10, 7, {"tokens"}));
}

TEST(QuestLoader, UnknownCategory) {
  EXPECT_TRUE(
      only_error(load("version: 1\nid: q\ntitle: T\ncategory: farming\n"
                      "steps: [{id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}]\n"),
                 4, 11, {"unknown category 'farming'", "crisis_helper"}));
}

TEST(QuestLoader, UnknownAndMissingFields) {
  EXPECT_TRUE(only_error(load(with_criterion("peers >= 1") + "bonus: 5\n"), 12, 1, {"bonus"}));
  EXPECT_TRUE(
      only_error(load("version: 1\nid: q\ntitle: T\n"
                      "steps: [{id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}]\n"),
                 1, 1, {"missing required field 'category'"}));
  EXPECT_TRUE(only_error(load(kHead + "  - id: s1\n"
                                      "    criteria: [peers >= 1]\n"
                                      "    reward: {points: 1}\n"),
                         6, 5, {"step is missing required field 'title'"}));
}

TEST(QuestLoader, DuplicateStepId) {
  EXPECT_TRUE(only_error(
      load(kHead + "  - {id: s1, title: A, criteria: [peers >= 1], reward: {points: 1}}\n"
                   "  - {id: s1, title: B, criteria: [peers >= 2], reward: {points: 1}}\n"),
      7, 10, {"duplicate step id 's1'", "line 6"}));
}

TEST(QuestLoader, BadIds) {
  EXPECT_TRUE(only_error(
      load(kHead + "  - {id: Step One, title: A, criteria: [peers >= 1], reward: {points: 1}}\n"),
      6, 10, {"id must be"}));
  EXPECT_TRUE(
      only_error(load("version: 1\nid: Q!\ntitle: T\ncategory: guardian\n"
                      "steps: [{id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}]\n"),
                 2, 5, {"id must be"}));
}

TEST(QuestLoader, ExpiresAndRepeat) {
  const std::string step = "  - {id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}\n";
  EXPECT_TRUE(only_error(load(kHead + step + "expires: soon\n"), 7, 10, {"expires must be"}));
  EXPECT_TRUE(only_error(load(kHead + step + "expires: 2026-02-30\n"), 7, 10, {"expires must be"}));
  EXPECT_TRUE(only_error(load(kHead + step + "repeat: 10m\n"), 7, 9, {"repeat must be", "1h"}));
  EXPECT_TRUE(only_error(load(kHead + step + "repeat: weekly\n"), 7, 9, {"repeat must be"}));
  QuestLoad timed = load(kHead + step + "expires: 2026-12-31T18:30:00Z\n");
  ASSERT_TRUE(timed.quest) << all_of(timed.diagnostics);
  EXPECT_EQ(timed.quest->expires->at->time_since_epoch().count(), 1798675200 + 18 * 3600 + 1800);
}

// A crisis quest names the crisis that opens it, and expires a duration after that crisis: the
// two come together, each mistake reported once at its own line and column.
TEST(QuestLoader, OpensOnACrisis) {
  const std::string step = "  - {id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}\n";
  EXPECT_TRUE(only_error(load(kHead + step + "opens_on: storm\nexpires: 12h\n"), 7, 11,
                         {"unknown opens_on 'storm'", "flood"}));
  EXPECT_TRUE(only_error(load(kHead + step + "opens_on: flood\n"), 7, 1,
                         {"opens_on needs a duration expires", "12h"}));
  EXPECT_TRUE(only_error(load(kHead + step + "opens_on: flood\nexpires: 2026-12-31\n"), 8, 10,
                         {"not at a fixed date"}));
  EXPECT_TRUE(only_error(load(kHead + step + "expires: 12h\n"), 7, 10,
                         {"expires 12h counts from a crisis", "opens_on"}));
  EXPECT_TRUE(only_error(load(kHead + step + "opens_on: flood\nexpires: 12h\nrepeat: 1d\n"), 9, 1,
                         {"cannot repeat", "once per crisis"}));
  // A broken expires is reported as itself, not again as a missing one.
  EXPECT_TRUE(only_error(load(kHead + step + "opens_on: flood\nexpires: soon\n"), 8, 10,
                         {"expires must be"}));

  QuestLoad crisis = load(kHead + step + "opens_on: flood\nexpires: 6h\n");
  ASSERT_TRUE(crisis.quest) << all_of(crisis.diagnostics);
  EXPECT_EQ(crisis.quest->opens_on, CrisisKind::flood);
  EXPECT_EQ(crisis.quest->expires->after_activation, std::chrono::hours(6));
  QuestLoad standing = load(kHead + step + "expires: 2026-12-31\n");
  ASSERT_TRUE(standing.quest) << all_of(standing.diagnostics);
  EXPECT_FALSE(standing.quest->opens_on);
}

TEST(QuestLoader, ExperimentsInACrisisOnlyInACrisisQuest) {
  EXPECT_TRUE(only_error(
      load(with_criterion("twin_experiments_in_crisis >= 1")), 9, 9,
      {"twin_experiments_in_crisis counts the reports since a crisis opened", "opens_on"}));
  QuestLoad crisis =
      load(with_criterion("twin_experiments_in_crisis >= 1") + "opens_on: flood\nexpires: 12h\n");
  ASSERT_TRUE(crisis.quest) << all_of(crisis.diagnostics);
  EXPECT_EQ(crisis.quest->steps[0].criteria[0].kind, CriterionKind::twin_experiments_in_crisis);
}

TEST(QuestLoader, VersionAndDocument) {
  EXPECT_TRUE(
      only_error(load("version: 2\nid: q\ntitle: T\ncategory: guardian\n"
                      "steps: [{id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}]\n"),
                 1, 10, {"unsupported quest version '2'"}));
  EXPECT_TRUE(only_error(load(""), 1, 1, {"the quest is empty"}));
  QuestLoad broken = load("id: [unclosed\n");
  EXPECT_FALSE(broken.quest);
  ASSERT_FALSE(broken.diagnostics.empty());
  EXPECT_NE(broken.diagnostics[0].message.find("invalid YAML"), std::string::npos);
  EXPECT_GT(broken.diagnostics[0].where.line, 0);
}

TEST(QuestLoader, EveryErrorOfAFileIsReported) {
  QuestLoad result = load(kHead +
                          "  - id: s1\n"
                          "    title: Step one\n"
                          "    criteria: [karma >= 1, peers >= 1d]\n"
                          "    reward: {points: 0}\n");
  EXPECT_FALSE(result.quest);
  EXPECT_EQ(result.diagnostics.size(), 3u) << all_of(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].format().substr(0, 17), "quest.yaml:8:16: ");
}

TEST(QuestLoader, ShippedQuestsLoad) {
  const QuestSetLoad set = load_quest_directory(WW_QUESTS_DIR);
  EXPECT_TRUE(set.diagnostics.empty()) << all_of(set.diagnostics);
  EXPECT_GE(set.quests.size(), 5u);
  std::vector<std::string> ids;
  for (const Quest& quest : set.quests) ids.push_back(quest.id);
  for (const char* id : {"build-a-node", "keep-it-up", "vote", "run-an-experiment"})
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  // The shipped crisis quests (the flood's own router's, and its helpers') open on a flood
  // crisis and close with its 12 h window.
  for (const char* id : {"contain-a-flood", "hold-the-line"}) {
    auto flood = std::find_if(set.quests.begin(), set.quests.end(),
                              [&](const Quest& q) { return q.id == id; });
    ASSERT_NE(flood, set.quests.end()) << id;
    EXPECT_EQ(flood->opens_on, CrisisKind::flood) << id;
    ASSERT_TRUE(flood->expires && flood->expires->after_activation) << id;
    EXPECT_EQ(*flood->expires->after_activation, kCrisisWindow) << id;
  }
}

TEST(QuestLoader, DuplicateQuestIdsAcrossFiles) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ww-quests-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string quest =
      "version: 1\nid: same\ntitle: T\ncategory: guardian\n"
      "steps: [{id: s, title: S, criteria: [peers >= 1], reward: {points: 1}}]\n";
  std::ofstream(dir / "a.yaml") << quest;
  std::ofstream(dir / "b.yaml") << quest;
  const QuestSetLoad set = load_quest_directory(dir.string());
  std::filesystem::remove_all(dir);
  EXPECT_EQ(set.quests.size(), 1u);
  ASSERT_EQ(set.diagnostics.size(), 1u);
  EXPECT_NE(set.diagnostics[0].message.find("duplicate quest id 'same'"), std::string::npos);
}

}  // namespace
}  // namespace westworld::quests
