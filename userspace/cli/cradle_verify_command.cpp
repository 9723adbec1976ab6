// wwctl cradle verify: checks a twin report's digest and Ed25519 signature, the way anyone
// handed a proposal's report would, before believing its verdict.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cradle_cli.h"
#include "text_input.h"
#include "westworld/capability/bytes.h"
#include "westworld/common/printable.h"
#include "westworld/cradle/report_codec.h"

namespace westworld::cli {
namespace {

constexpr int kCannotRun = 2;  // the report or the key could not be read: no judgement

struct VerifyOptions {
  std::string report_file;
  std::string vkey;
  bool as_json = false;
};

// The key's text: the last word of the first line that is not blank or a comment, so a bare
// key and a peers-file line ("ID KEY", as `wwctl peer key` prints) both work.
std::string key_word(const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    line = trimmed(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t space = line.find_last_of(" \t");
    return space == std::string::npos ? line : line.substr(space + 1);
  }
  return {};
}

capability::PublicKey parse_vkey(const std::string& vkey) {
  std::error_code not_a_file;  // a base64 key is also a possible file name: a file wins
  const bool is_file = std::filesystem::is_regular_file(vkey, not_a_file);
  const std::string word = key_word(is_file ? read_text(vkey) : vkey);
  if (auto key = capability::parse_ed25519_public_key(word)) return *key;
  throw std::runtime_error(
      "--vkey " + vkey +
      (is_file ? ": the file holds no base64 Ed25519 public key (as `wwctl peer key` prints)"
               : ": neither a base64 Ed25519 public key nor a readable file holding one"));
}

int run_verify(const VerifyOptions& o) {
  std::optional<capability::PublicKey> expected;
  if (!o.vkey.empty()) expected = parse_vkey(o.vkey);
  const cradle::ReportCheck check = cradle::verify_report_text(read_text(o.report_file), expected);
  const std::string name = common::printable(o.report_file);
  if (o.as_json) {
    const nlohmann::json out{{"ok", check.ok},
                             {"problem", check.problem},
                             {"verdict", check.verdict},
                             {"digest", check.digest},
                             {"signer", check.signer}};
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (check.ok) {
    std::cout << name << ": intact, signed by " << check.signer << ", verdict " << check.verdict
              << ", digest " << check.digest << '\n';
  } else {
    std::cerr << name << ": " << common::printable(check.problem) << '\n';
  }
  return check.ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

void register_cradle_verify(CLI::App& cradle, const CommonOptions& /*common*/, int& exit_code) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* verify = cradle.add_subcommand(
      "verify", "Check a twin report's digest and signature: exit 0 only if intact and signed");
  verify->add_option("REPORT", o->report_file, "The report (REPORT.json from cradle run)")
      ->required();
  verify->add_option("--vkey", o->vkey,
                     "The key it must be signed by: base64 Ed25519 public key, or a file "
                     "holding one (`wwctl peer key` prints one)");
  verify->add_flag("--json", o->as_json, "Print {ok, problem, verdict, digest, signer}");
  verify->callback([o, &exit_code] {
    try {
      exit_code = run_verify(*o);
    } catch (const std::exception& e) {
      // Not a judgement on the report: 1 stays "this report is not good".
      std::cerr << "wwctl: error: " << common::printable(e.what()) << '\n';
      exit_code = kCannotRun;
    }
  });
}

}  // namespace westworld::cli
