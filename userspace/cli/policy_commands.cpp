// wwctl policy check|compile|apply
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "agent_request.h"
#include "apply_credentials.h"
#include "commands.h"
#include "westworld/common/printable.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/policy_file.h"

namespace westworld::cli {
namespace {

// Prints every diagnostic; returns the policy only when there are no errors.
std::optional<policy::Policy> check(const std::string& file) {
  policy::LoadResult loaded = policy::load_policy_file(file);
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  return loaded.policy;
}

int run_check(const std::string& file) { return check(file) ? EXIT_SUCCESS : EXIT_FAILURE; }

int run_compile(const std::string& file, const std::string& output) {
  auto policy = check(file);
  if (!policy) return EXIT_FAILURE;
  const std::string text = policy::to_json(policy::compile(*policy)).dump(2) + "\n";
  if (output.empty() || output == "-") {
    std::cout << text;
    return EXIT_SUCCESS;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!(out << text)) {
    std::cerr << "wwctl: error: cannot write " << output << '\n';
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

int run_apply(const std::string& file, const ApplyCredentialOptions& credentials,
              bool confirm_mass_change, const CommonOptions& common) {
  std::string text;
  try {
    text = policy::read_policy_file(file);
  } catch (const policy::PolicyFileError& e) {
    std::cerr << common::printable(file) << ": error: " << e.what() << '\n';
    return EXIT_FAILURE;
  }
  control::ApplyRequest request;
  request.policy = std::move(text);
  request.source = std::filesystem::absolute(file).string();
  request.credentials = build_apply_credentials(credentials, file);
  if (confirm_mass_change) request.confirm_mass_change = true;
  auto reply = ask_agent(common, request, "start westworld-agent first");
  if (!reply) return EXIT_FAILURE;
  for (const auto& w : reply->warnings) std::cerr << w << '\n';
  std::cout << "applied " << file << ": generation " << reply->generation << ", " << reply->rules
            << " rules, digest " << reply->digest.substr(0, 16);
  if (reply->audit_index) std::cout << ", audit entry " << *reply->audit_index;
  std::cout << '\n';
  return EXIT_SUCCESS;
}

}  // namespace

void register_policy_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* policy = app.add_subcommand("policy", "Check, compile and apply policies");
  policy->require_subcommand(1);

  auto file = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();

  CLI::App* check_cmd = policy->add_subcommand(
      "check",
      "Validate a policy: FILE:LINE:COL: error|warning: message per problem; exit 1 on errors");
  check_cmd->add_option("FILE", *file, "Policy file")->required();
  check_cmd->callback([file, &exit_code] { exit_code = run_check(*file); });

  CLI::App* compile_cmd = policy->add_subcommand(
      "compile", "Print the compiled map image as JSON (byte-identical for the same policy)");
  compile_cmd->add_option("FILE", *file, "Policy file")->required();
  compile_cmd->add_option("-o,--output", *output, "Write to this file instead of stdout");
  compile_cmd->callback([file, output, &exit_code] { exit_code = run_compile(*file, *output); });

  CLI::App* apply_cmd = policy->add_subcommand(
      "apply", "Swap the running policy atomically; a bad policy changes nothing");
  apply_cmd->add_option("FILE", *file, "Policy file")->required();
  auto credentials = add_apply_credential_options(*apply_cmd);
  auto confirm = std::make_shared<bool>(false);
  apply_cmd->add_flag("--confirm-mass-change", *confirm,
                      "The change flips most verdicts on purpose: report it without freezing "
                      "policy changes (an open trust gate only)");
  apply_cmd->callback([file, credentials, confirm, &common, &exit_code] {
    exit_code = run_apply(*file, *credentials, *confirm, common);
  });
}

}  // namespace westworld::cli
