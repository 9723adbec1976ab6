// wwctl vault end to end: the commands and formats the issue names, driven as a user would.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "vault_fixture.h"
#include "westworld/harness/command.h"
#include "westworld/vault/feldman.h"

namespace westworld::vault_test {
namespace {

using harness::CommandResult;
using nlohmann::json;

class VaultCli : public ::testing::Test {
 protected:
  CommandResult wwctl(std::vector<std::string> args) {
    args.insert(args.begin(), WW_WWCTL);
    if (args.size() > 2 && args[1] == "vault" && args[2] != "guardian") {
      args.push_back("--vault");
      args.push_back(vault_dir().string());
    }
    return harness::run_command(args);
  }
  std::string ok(std::vector<std::string> args) {
    const CommandResult r = wwctl(std::move(args));
    EXPECT_TRUE(r.ok()) << r.describe();
    return r.out;
  }
  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }
  fs::path vault_dir() const { return dir.path() / "vault"; }
  fs::path key(int i) const { return dir.path() / ("g" + std::to_string(i) + ".key"); }

  void SetUp() override {
    std::ofstream list(dir.path() / "guardians.txt");
    for (int i = 1; i <= 10; ++i) {
      const std::string line =
          ok({"vault", "guardian", "keygen", key(i).string(), "--id", "g" + std::to_string(i)});
      EXPECT_EQ(line.rfind("g" + std::to_string(i) + " ", 0), 0u) << line;
      list << line;
    }
  }

  ScratchDir dir;
};

TEST_F(VaultCli, EndToEnd) {
  ok({"vault", "init", "--guardians", (dir.path() / "guardians.txt").string(), "--threshold", "3"});
  { std::ofstream(dir.path() / "doc.txt") << "whistleblower documents\n"; }
  const std::string item = first_line(ok({"vault", "put", (dir.path() / "doc.txt").string(),
                                          "--type", "archive", "--title", "Documents"}));
  const json list = json::parse(ok({"vault", "list", "--json"}));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], item);
  EXPECT_EQ(list[0]["type"], "archive");
  EXPECT_EQ(list[0]["title"], "Documents");

  const std::string request = first_line(ok({"vault", "request", item}));
  ok({"vault", "approve", request, "--key", key(2).string()});
  ok({"vault", "approve", request, "--key", key(5).string()});
  const fs::path out = dir.path() / "out.txt";
  const CommandResult early =
      wwctl({"vault", "get", item, "--request", request, "-o", out.string()});
  EXPECT_NE(early.exit_status, 0);
  EXPECT_NE(early.err.find("2 valid share(s)"), std::string::npos) << early.describe();
  EXPECT_FALSE(fs::exists(out));
  ok({"vault", "approve", request, "--key", key(9).string()});
  // An existing output file is refused before anything is unsealed: the request survives.
  { std::ofstream(dir.path() / "taken.txt") << "mine"; }
  const CommandResult taken = wwctl(
      {"vault", "get", item, "--request", request, "-o", (dir.path() / "taken.txt").string()});
  EXPECT_NE(taken.exit_status, 0);
  EXPECT_NE(taken.err.find("refusing to overwrite"), std::string::npos) << taken.describe();
  EXPECT_EQ(file_bytes(dir.path() / "taken.txt"), "mine");
  const auto start = std::chrono::steady_clock::now();
  const std::string got = ok({"vault", "get", item, "--request", request, "-o", out.string()});
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "wwctl vault get (a whole process: open, check 3 shares, unseal, write): " << ms
            << " ms\n";
  RecordProperty("cli_get_ms", std::to_string(ms));
  EXPECT_EQ(file_bytes(out), "whistleblower documents\n");
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  const std::string text = ok({"vault", "commitments", "--json"});
  EXPECT_EQ(text.rfind("{\"epoch\": 1, \"threshold\": 3, \"commitments\": [\"", 0), 0u) << text;
  EXPECT_NE(text.find("], \"shares\": [{\"guardian\": \"g1\", \"index\": 1, \"public\": \""),
            std::string::npos)
      << text;
  const json c = json::parse(text);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c["epoch"], 1);
  EXPECT_EQ(c["threshold"], 3);
  ASSERT_EQ(c["commitments"].size(), 3u);
  ASSERT_EQ(c["shares"].size(), 10u);
  std::vector<vault::Point> commitments;
  for (const auto& h : c["commitments"]) {
    const auto bytes = capability::from_hex(h.get<std::string>());
    ASSERT_TRUE(bytes && bytes->size() == 32);
    commitments.push_back(*vault::point_from_bytes(*bytes));
  }
  for (const auto& s : c["shares"]) {
    ASSERT_EQ(s.size(), 3u);
    const auto pub = capability::from_hex(s["public"].get<std::string>());
    EXPECT_EQ(*vault::point_from_bytes(*pub),
              vault::expected_public(s["index"].get<std::uint32_t>(), commitments));
  }

  EXPECT_NE(
      ok({"vault", "guardian", "verify", "--key", key(4).string(), "--vault", vault_dir().string()})
          .find("ok: guardian 'g4'"),
      std::string::npos);
  EXPECT_NE(ok({"vault", "rotate"}).find("rotated (refresh) to epoch 2"), std::string::npos);
  ok({"vault", "erase", item});
  EXPECT_EQ(json::parse(ok({"vault", "list", "--json"})).size(), 0u);
  const std::string audit = ok({"vault", "audit"});
  for (const char* type : {"vault_init", "vault_put", "vault_request", "vault_approve",
                           "vault_access", "vault_rotate", "vault_erase"})
    EXPECT_NE(audit.find(type), std::string::npos) << type;
  EXPECT_NE(audit.find("audit log ok"), std::string::npos);
}

TEST_F(VaultCli, KnowledgeNeedsAPassedVote) {
  ok({"vault", "init", "--guardians", (dir.path() / "guardians.txt").string()});
  { std::ofstream(dir.path() / "k.txt") << "how to"; }
  const std::string item = first_line(ok({"vault", "put", (dir.path() / "k.txt").string(), "--type",
                                          "knowledge", "--title", "Manual"}));
  const std::string request = first_line(ok({"vault", "request", item}));
  for (int i : {1, 2, 3}) ok({"vault", "approve", request, "--key", key(i).string()});
  const fs::path out = dir.path() / "out.txt";
  const CommandResult refused =
      wwctl({"vault", "get", item, "--request", request, "-o", out.string()});
  EXPECT_NE(refused.exit_status, 0);
  EXPECT_NE(refused.err.find("the vote has not passed: 0 yes, 0 no"), std::string::npos)
      << refused.describe();
  EXPECT_FALSE(fs::exists(out));
  for (int i : {4, 5, 6}) ok({"vault", "vote", request, "yes", "--key", key(i).string()});
  ok({"vault", "get", item, "--request", request, "-o", out.string()});
  EXPECT_EQ(file_bytes(out), "how to");
  const CommandResult dir_input =
      wwctl({"vault", "put", dir.path().string(), "--type", "archive", "--title", "x"});
  EXPECT_NE(dir_input.err.find("not a regular file"), std::string::npos) << dir_input.describe();
}

TEST_F(VaultCli, BadInputNamesTheProblemAndChangesNothing) {
  { std::ofstream(dir.path() / "bad.txt") << "g1 AAAA\n"; }
  const CommandResult r =
      wwctl({"vault", "init", "--guardians", (dir.path() / "bad.txt").string()});
  EXPECT_NE(r.exit_status, 0);
  EXPECT_NE(r.err.find("bad.txt:1:"), std::string::npos) << r.describe();
  EXPECT_FALSE(fs::exists(vault_dir() / "vault.db"));
  const CommandResult t = wwctl({"vault", "init", "--guardians",
                                 (dir.path() / "guardians.txt").string(), "--threshold", "11"});
  EXPECT_NE(t.exit_status, 0);
  EXPECT_NE(t.err.find("--threshold 11"), std::string::npos) << t.describe();
  EXPECT_FALSE(fs::exists(vault_dir() / "vault.db"));
  ok({"vault", "init", "--guardians", (dir.path() / "guardians.txt").string()});
  const CommandResult again =
      wwctl({"vault", "init", "--guardians", (dir.path() / "guardians.txt").string()});
  EXPECT_NE(again.exit_status, 0);
  EXPECT_NE(again.err.find("already holds a vault"), std::string::npos) << again.describe();
  const CommandResult type = wwctl({"vault", "put", (dir.path() / "guardians.txt").string(),
                                    "--type", "secret", "--title", "x"});
  EXPECT_NE(type.exit_status, 0);
  EXPECT_NE(type.err.find("--type"), std::string::npos) << type.describe();
  EXPECT_EQ(json::parse(ok({"vault", "list", "--json"})).size(), 0u);
  const CommandResult unknown = wwctl({"vault", "approve", "rq-nope", "--key", key(1).string()});
  EXPECT_NE(unknown.exit_status, 0);
  EXPECT_NE(unknown.err.find("no request 'rq-nope'"), std::string::npos) << unknown.describe();
}

}  // namespace
}  // namespace westworld::vault_test
