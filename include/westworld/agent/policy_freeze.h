// "Policy changes are frozen": set by a control-plane alert (or any detector
// whose response is freeze), lifted only by `wwctl unfreeze`. Kept in the state
// directory, so restarting the agent does not lift it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "westworld/common/clock.h"

namespace westworld::agent {

class PolicyFreeze {
 public:
  explicit PolicyFreeze(std::string state_dir, const common::Clock& clock = common::system_clock());

  bool frozen() const { return reason_.has_value(); }
  // "policy changes are frozen since ... (reason); run `wwctl unfreeze`", or nullopt.
  std::optional<std::string> refusal() const;
  const std::optional<std::string>& reason() const { return reason_; }

  void freeze(const std::string& reason);  // keeps the first reason while frozen
  bool unfreeze();                         // false when it was not frozen

 private:
  void save() const;

  std::string path_;
  const common::Clock& clock_;
  std::optional<std::string> reason_;
  uint64_t since_unix_ns_ = 0;
};

}  // namespace westworld::agent
