// For the record codec tests: a record's encoded text damaged in one place, and the refusal its
// strict decoder names.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "westworld/governance/records.h"

namespace westworld::quests::record_edits {

// `text` with its first `from` replaced by `to`; fails the test when `from` is not there.
inline std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  return text.replace(at, from.size(), to);
}

// What `decode(text)` refused it with (governance::RecordError's message), or "(accepted)".
template <typename Decode>
std::string decode_refusal(Decode decode, const std::string& text) {
  try {
    decode(text);
    return "(accepted)";
  } catch (const governance::RecordError& e) {
    return e.what();
  }
}

}  // namespace westworld::quests::record_edits
