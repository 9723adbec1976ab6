// The policy loader and compiler on arbitrary text. The agent parses a policy before it
// checks any credential, so this is pre-authentication input: it must end in a policy
// or in diagnostics, never in a crash, an escaped exception or undefined behaviour.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"

using namespace westworld::policy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const LoadResult loaded = load_policy_text(text, "fuzz.yaml");
  // Diagnostics quote the input back (to wwctl, logs and control replies): one line each,
  // valid UTF-8, whatever bytes the policy held (issue 8, finding 1).
  for (const Diagnostic& diagnostic : loaded.diagnostics) {
    const std::string line = diagnostic.format();
    WW_FUZZ_CHECK(line.find('\n') == std::string::npos, "a diagnostic spans lines");
    bool serializes = true;
    try {
      (void)nlohmann::json(line).dump();  // strict: throws on bytes that are not UTF-8
    } catch (const nlohmann::json::exception&) {
      serializes = false;
    }
    WW_FUZZ_CHECK(serializes, "a diagnostic is not valid UTF-8");
  }
  WW_FUZZ_CHECK(loaded.policy.has_value() != has_errors(loaded.diagnostics),
                "a policy is returned exactly when there is no error");
  if (!loaded.policy) return 0;

  const CompiledPolicy compiled = compile(*loaded.policy);
  const std::string image = to_json(compiled).dump();
  WW_FUZZ_CHECK(!compiled.digest_hex.empty(), "a compiled policy has a digest");
  WW_FUZZ_CHECK(to_json(compile(*loaded.policy)).dump() == image,
                "compiling the same policy twice gives the same image");
  return 0;
}
