// wwctl token and wwctl audit, run as an operator would run them.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "test_support.h"
#include "westworld/audit/checkpoint.h"
#include "westworld/audit/merkle.h"
#include "westworld/audit/signed_note.h"

namespace westworld {
namespace {

using nlohmann::json;
using trust_test::ProcessResult;
using trust_test::TempDir;

#ifdef WW_WWCTL
constexpr const char* kWwctl = WW_WWCTL;
#else
constexpr const char* kWwctl = nullptr;
#endif

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

class WwctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kWwctl) GTEST_SKIP() << "wwctl is not part of this build";
  }

  ProcessResult wwctl(std::vector<std::string> args) {
    args.insert(args.begin(), kWwctl);
    return trust_test::run_process(args);
  }

  std::string ok(std::vector<std::string> args) {
    const ProcessResult r = wwctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir;
};

TEST_F(WwctlTest, TokenKeygenMode0600AndNoOverwrite) {
  const auto key = (dir / "root.key").string();
  ok({"token", "keygen", key});
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const std::string content = trust_test::read_file(key);
  EXPECT_EQ(content.size(), 65u);
  const ProcessResult again = wwctl({"token", "keygen", key});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(trust_test::read_file(key), content);
  ::chmod(key.c_str(), 0644);
  const ProcessResult open_key = wwctl({"token", "mint", "--key", key, "--id", "t"});
  EXPECT_EQ(open_key.exit_code, 1);
  EXPECT_NE(open_key.err.find("chmod 600"), std::string::npos) << open_key.err;
}

TEST_F(WwctlTest, TokenMintAttenuateInspectVerify) {
  const auto key = (dir / "root.key").string();
  ok({"token", "keygen", key});
  const std::string token =
      first_line(ok({"token", "mint", "--key", key, "--id", "op-1", "--location", "westworld",
                     "--caveat", "action = quarantine", "--caveat", "affects_nodes_le = 5"}));
  EXPECT_EQ(token.find_first_of("+/="), std::string::npos);
  const std::string narrowed =
      first_line(ok({"token", "attenuate", "--token", token, "--caveat", "node = n1"}));
  const std::string inspected = ok({"token", "inspect", narrowed});
  EXPECT_NE(inspected.find("identifier op-1\n"), std::string::npos);
  EXPECT_NE(inspected.find("cid affects_nodes_le = 5\ncid node = n1\n"), std::string::npos)
      << inspected;

  ok({"token", "verify", "--key", key, "--token", narrowed, "--ctx", "action=quarantine", "--ctx",
      "node=n1", "--ctx", "affected_nodes=5"});
  const ProcessResult too_many =
      wwctl({"token", "verify", "--key", key, "--token", narrowed, "--ctx", "action=quarantine",
             "--ctx", "node=n1", "--ctx", "affected_nodes=6"});
  EXPECT_EQ(too_many.exit_code, 1);
  EXPECT_NE(too_many.err.find("affects_nodes_le = 5"), std::string::npos) << too_many.err;
  const ProcessResult wrong_node =
      wwctl({"token", "verify", "--key", key, "--token", narrowed, "--ctx", "action=quarantine",
             "--ctx", "node=n2", "--ctx", "affected_nodes=1"});
  EXPECT_EQ(wrong_node.exit_code, 1);
  EXPECT_NE(wrong_node.err.find("node = n1"), std::string::npos) << wrong_node.err;
  EXPECT_EQ(
      wwctl({"token", "mint", "--key", key, "--id", "x", "--caveat", "affects_nodes_le = 1.5"})
          .exit_code,
      1);
}

TEST_F(WwctlTest, TokenNetworkScopeWithGovernanceDischarge) {
  const auto key = (dir / "root.key").string();
  const auto governance = (dir / "gov.key").string();
  ok({"token", "keygen", key});
  ok({"token", "keygen", governance});
  const std::string base = first_line(
      ok({"token", "mint", "--key", key, "--id", "op-2", "--caveat", "scope = network"}));
  const std::string token =
      first_line(ok({"token", "attenuate", "--token", base, "--third-party-id",
                     "requires_dao_vote = p-1", "--third-party-key", governance}));
  const std::vector<std::string> ctx{"--ctx", "affected_nodes=900",
                                     "--ctx", "network_size=1000",
                                     "--ctx", "now=2026-06-01T00:00:00Z"};
  std::vector<std::string> args{"token", "verify", "--key", key, "--token", token};
  args.insert(args.end(), ctx.begin(), ctx.end());
  EXPECT_EQ(wwctl(args).exit_code, 1);
  const std::string discharge =
      first_line(ok({"token", "discharge", "--key", governance, "--id", "requires_dao_vote = p-1",
                     "--for", token, "--caveat", "valid_until = 2026-07-01T00:00:00Z"}));
  args.insert(args.end(), {"--discharge", discharge});
  ok(args);
  args.insert(args.end(), {"--ctx", "now=2026-08-01T00:00:00Z"});
  EXPECT_EQ(wwctl(args).exit_code, 1);
}

TEST_F(WwctlTest, AuditAppendCheckpointProveVerify) {
  const auto key = (dir / "audit.key").string();
  const auto log = (dir / "audit.db").string();
  const std::string vkey =
      first_line(ok({"audit", "keygen", "--key", key, "--name", "westworld.test/audit"}));
  EXPECT_EQ(first_line(ok({"audit", "key", "--key", key})), vkey);
  const auto verifier = audit::NoteVerifier::parse(vkey);
  ASSERT_TRUE(verifier);

  for (int i = 0; i < 5; ++i) {
    const std::string fields = R"({"node":"n)" + std::to_string(i) + R"(","reason":"test"})";
    EXPECT_EQ(first_line(ok({"audit", "append", "--log", log, "--key", key, "--type", "quarantine",
                             "--json", fields})),
              std::to_string(i));
  }
  EXPECT_EQ(
      wwctl({"audit", "append", "--log", log, "--key", key, "--type", "quarantine", "--json", "{}"})
          .exit_code,
      1);

  const std::string note = ok({"audit", "checkpoint", "--log", log});
  const auto text = verifier->open(note);
  ASSERT_TRUE(text) << note;
  const auto checkpoint = audit::Checkpoint::parse(*text);
  ASSERT_TRUE(checkpoint);
  EXPECT_EQ(checkpoint->size, 5u);

  const json proof = json::parse(ok({"audit", "prove", "3", "--log", log, "--json"}));
  EXPECT_EQ(proof.size(), 4u);
  EXPECT_EQ(proof["index"], 3);
  EXPECT_EQ(proof["tree_size"], 5);
  std::vector<audit::Hash> path;
  for (const auto& h : proof["path"])
    path.push_back(trust_test::hash_from_hex(h.get<std::string>()));
  const std::string leaf = proof["leaf_hash"].get<std::string>();
  EXPECT_EQ(leaf.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_TRUE(
      audit::verify_inclusion(trust_test::hash_from_hex(leaf), 3, 5, path, checkpoint->root));

  const json consistency =
      json::parse(ok({"audit", "consistency", "2", "5", "--log", log, "--json"}));
  EXPECT_EQ(consistency.size(), 5u);
  std::vector<audit::Hash> cpath;
  for (const auto& h : consistency["path"])
    cpath.push_back(trust_test::hash_from_hex(h.get<std::string>()));
  EXPECT_EQ(consistency["new_root"].get<std::string>(), capability::to_hex(checkpoint->root));
  EXPECT_TRUE(audit::verify_consistency(2, 5, trust_test::hash_from_hex(consistency["old_root"]),
                                        checkpoint->root, cpath));

  EXPECT_NE(ok({"audit", "verify", "--log", log, "--vkey", vkey}).find("5 entries"),
            std::string::npos);
  EXPECT_NE(ok({"audit", "log", "--log", log}).find("quarantine"), std::string::npos);
  EXPECT_EQ(json::parse(ok({"audit", "show", "2", "--log", log}))["record"]["fields"]["node"],
            "n2");

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(log.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), 'n2', 'n7') AS BLOB)"
                   " WHERE idx = 2",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  const ProcessResult bad = wwctl({"audit", "verify", "--log", log, "--key", key});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("entry 2"), std::string::npos) << bad.err;
}

TEST_F(WwctlTest, SubjectExportThenEraseLeavesAVerifyingLogWithoutThem) {
  // The node's data directory as the agent keeps it: DATA_DIR/audit.db and audit.key.
  const std::string data_dir = dir.path().string();
  const auto key = (dir / "audit.key").string();
  const auto log = (dir / "audit.db").string();
  ok({"audit", "keygen", "--key", key, "--name", "westworld.test/audit"});
  for (const char* actor : {"alice@example.org", "bob@example.org", "alice@example.org"})
    ok({"audit", "append", "--log", log, "--key", key, "--type", "release", "--json",
        std::string(R"({"node":"n1","reason":"ok","actor":")") + actor + "\"}"});

  const json exported =
      json::parse(ok({"--data-dir", data_dir, "subject", "export", "alice@example.org"}));
  ASSERT_EQ(exported["audit_entries"].size(), 2u) << exported.dump(2);
  EXPECT_EQ(exported["audit_entries"][1]["index"], 2);
  EXPECT_EQ(exported["audit_entries"][1]["record"]["fields"]["actor"], "alice@example.org");
  EXPECT_TRUE(exported["charter_violations"].empty());

  const std::string erased = ok({"--data-dir", data_dir, "subject", "erase", "alice@example.org"});
  EXPECT_NE(erased.find("erased the subject from 2 audit entries"), std::string::npos) << erased;
  EXPECT_NE(erased.find("audit entry 3 records the erasure"), std::string::npos) << erased;
  EXPECT_NE(erased.find("the log verifies (4 entries)"), std::string::npos) << erased;

  const json after =
      json::parse(ok({"--data-dir", data_dir, "subject", "export", "alice@example.org"}));
  EXPECT_TRUE(after["audit_entries"].empty()) << after.dump(2);
  EXPECT_EQ(json::parse(ok(
                {"--data-dir", data_dir, "subject", "export", "bob@example.org"}))["audit_entries"]
                .size(),
            1u);
  EXPECT_NE(ok({"audit", "verify", "--log", log, "--key", key}).find("ok"), std::string::npos);
  for (const std::string& file : {log, log + "-wal", log + ".keys", log + ".keys-wal"})
    if (std::filesystem::exists(file)) {
      EXPECT_EQ(trust_test::read_file(file).find("alice"), std::string::npos) << file;
    }
  // Erasing without the key is refused and changes nothing.
  std::filesystem::remove(key);
  EXPECT_EQ(wwctl({"--data-dir", data_dir, "subject", "erase", "bob@example.org"}).exit_code, 1);
}

TEST_F(WwctlTest, AuditCheckpointOfAnEmptyLogIsSignedOnDemand) {
  const auto key = (dir / "audit.key").string();
  const auto log = (dir / "sub" / "audit.db").string();
  const std::string vkey =
      first_line(ok({"audit", "keygen", "--key", key, "--name", "example.org/log"}));
  ok({"audit", "append", "--log", log, "--key", key, "--type", "freeze", "--json",
      R"({"target":"mesh","reason":"drill"})"});
  const auto verifier = audit::NoteVerifier::parse(vkey);
  EXPECT_TRUE(verifier->open(ok({"audit", "checkpoint", "--log", log, "--key", key})));
}

// What wwctl prints from hostile files: one line per problem, valid UTF-8 (nlohmann throws
// on anything else), no control characters but the newlines that end lines.
void expect_safe_lines(const std::string& text, size_t lines) {
  EXPECT_NO_THROW((void)json(text).dump()) << text;
  size_t newlines = 0;
  for (unsigned char c : text) {
    if (c == '\n') ++newlines;
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c != 0x7f)) << text;
  }
  EXPECT_EQ(newlines, lines) << text;
}

TEST_F(WwctlTest, PolicyCheckQuotesHostileNamesEscaped) {
  // The issue's reproduction: yaml-cpp turns "\N" into the raw byte 0x85.
  const auto file = (dir / "x.yaml").string();
  trust_test::write_file(file,
                         "version: 1\ncharter:\n  flows:\n    - name: \"\\N\"\n      "
                         "action: deny\n    - name: \"a\\nx.yaml:1:1: error: forged\\e[2J\"\n"
                         "      action: deny\n");
  const ProcessResult check = wwctl({"policy", "check", file});
  EXPECT_EQ(check.exit_code, 1);
  expect_safe_lines(check.err, 2);
  EXPECT_NE(check.err.find(file + ":4:13: error: name is not valid UTF-8: '\\x85'"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find("'a\\nx.yaml:1:1: error: forged\\x1b[2J'"), std::string::npos)
      << check.err;
}

TEST_F(WwctlTest, PolicyCheckRefusesDevicesInsteadOfReadingForever) {
  const ProcessResult zero = wwctl({"policy", "check", "/dev/zero"});
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_EQ(zero.err,
            "/dev/zero: error: cannot read /dev/zero: not a regular file (devices and sockets "
            "are refused)\n");
  const ProcessResult compile = wwctl({"policy", "compile", "/dev/zero"});
  EXPECT_EQ(compile.exit_code, 1);
  EXPECT_NE(compile.err.find("cannot read /dev/zero"), std::string::npos) << compile.err;
}

TEST_F(WwctlTest, AuditVerifyNamesTheRightEntryAndEscapesDamage) {
  const auto key = (dir / "audit.key").string();
  const auto log = (dir / "audit.db").string();
  ok({"audit", "keygen", "--key", key, "--name", "westworld.test/audit"});
  for (int i = 0; i < 3; ++i) {
    ok({"audit", "append", "--log", log, "--key", key, "--type", "freeze", "--json",
        R"({"target":"mesh","reason":"drill"})"});
  }
  const auto damage = [&](const std::string& name, const char* statement) {
    const auto copy = (dir / name).string();
    std::filesystem::copy_file(log, copy);
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(copy.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement, nullptr, nullptr, nullptr), SQLITE_OK) << statement;
    sqlite3_close(db);
    return copy;
  };

  // Entry 0's checkpoint is the first thing that cannot be read: not entry 1.
  const ProcessResult no_checkpoints =
      wwctl({"audit", "verify", "--log", damage("no-checkpoints.db", "DROP TABLE checkpoints"),
             "--key", key});
  EXPECT_EQ(no_checkpoints.exit_code, 1);
  EXPECT_EQ(
      first_line(no_checkpoints.err).rfind("wwctl: audit log BAD at entry 0: storage error: ", 0),
      0u)
      << no_checkpoints.err;

  // A record cut short, with a NUL, invalid UTF-8 and an escape sequence where it ends.
  const auto garbled = damage(
      "garbled.db",
      "UPDATE entries SET leaf = CAST(substr(CAST(leaf AS BLOB), 1, 12) || x'00ff1b5b326a0a' "
      "AS BLOB) WHERE idx = 1");
  const ProcessResult bad = wwctl({"audit", "verify", "--log", garbled, "--key", key});
  EXPECT_EQ(bad.exit_code, 1);
  expect_safe_lines(bad.err, 1);
  EXPECT_NE(bad.err.find("BAD at entry 1"), std::string::npos) << bad.err;

  // `audit log` prints what the records say: a forged type is quoted, not obeyed.
  const ProcessResult listing =
      wwctl({"audit", "log", "--log",
             damage("forged-type.db",
                    "UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), '\"freeze\"', "
                    "'\"x\\u001b[2J\\nforged\"') AS BLOB) WHERE idx = 2")});
  EXPECT_EQ(listing.exit_code, 0) << listing.err;
  expect_safe_lines(listing.out, 3);
  EXPECT_NE(listing.out.find("x\\x1b[2J\\nforged"), std::string::npos) << listing.out;
}

}  // namespace
}  // namespace westworld
