#include "westworld/quests/activation.h"

namespace westworld::quests {

ActivationLookup activation_of(const Quest& quest, CrisisBoard* board, common::UnixSeconds now) {
  if (!quest.opens_on) return {Activation{now, std::nullopt}, {}};
  const std::string kind(crisis_kind_name(*quest.opens_on));
  std::optional<Crisis> crisis = board ? board->newest_open(*quest.opens_on, now) : std::nullopt;
  if (!crisis) return {std::nullopt, "no open " + kind + " crisis on this node"};
  const common::UnixSeconds opened = crisis->opened_at;
  // A quest that expires before its crisis closes is over for it while the crisis goes on.
  if (!is_open(quest, opened, now))
    return {std::nullopt, "this quest has closed for the open " + kind + " crisis (crisis " +
                              std::to_string(crisis->id) + "): it expires before the crisis ends"};
  return {Activation{opened, std::move(crisis)}, {}};
}

}  // namespace westworld::quests
