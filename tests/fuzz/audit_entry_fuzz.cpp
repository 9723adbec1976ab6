// The audit entry decoder on arbitrary leaves. `wwctl audit verify|show` read leaves
// from a log file that an attacker may have edited: check_leaf must answer with a reason
// or nothing, and what it accepts must decode (reveal) and match its commitments cleanly.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "westworld/audit/audit_entry.h"

using namespace westworld::audit;

namespace {

// A datum for each personal field of the schema. The fuzzer can build a leaf that commits
// to one of them (it sees the hash compared), so they may open a commitment, or not.
std::vector<PersonalDatum> made_up_personal_data() {
  std::vector<PersonalDatum> data;
  for (const char* field : {"who", "actor"})
    data.push_back({field, westworld::capability::Bytes(kPersonalSaltBytes, 7), "mallory"});
  return data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view leaf(reinterpret_cast<const char*>(data), size);
  const std::vector<PersonalDatum> personal = made_up_personal_data();
  for (const PersonalDatum& datum : personal) check_personal_datum(leaf, datum);

  if (const auto why = check_leaf(leaf)) {
    WW_FUZZ_CHECK(!why->empty(), "a rejected leaf has a reason");
    return 0;
  }
  for (const PersonalDatum& datum : personal) {
    PersonalDatum short_salt = datum;
    short_salt.salt.pop_back();
    WW_FUZZ_CHECK(check_personal_datum(leaf, short_salt).has_value(),
                  "a salt of the wrong length never opens a commitment");
    if (check_personal_datum(leaf, datum)) continue;
    const std::vector<PersonalDatum> opened{datum};
    WW_FUZZ_CHECK(reveal(leaf, opened).at("fields").at(datum.field) == datum.value,
                  "a datum that opens its commitment is what reveal shows");
  }
  for (const auto& held : {std::vector<PersonalDatum>{}, personal}) {
    const nlohmann::json record = reveal(leaf, held);
    WW_FUZZ_CHECK(record.at("type").is_string() && record.at("fields").is_object(),
                  "an accepted leaf decodes to a typed record");
    record.dump();
  }
  return 0;
}
