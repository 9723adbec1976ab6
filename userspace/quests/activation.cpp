#include "westworld/quests/activation.h"

namespace westworld::quests {

ActivationLookup activation_of(const Quest& quest, CrisisBoard* board, common::UnixSeconds now,
                               const std::vector<Crisis>* mesh_crises) {
  if (!quest.opens_on) return {Activation{now, std::nullopt}, {}};
  const std::string kind(crisis_kind_name(*quest.opens_on));
  std::optional<Crisis> crisis;
  if (mesh_crises) crisis = newest_open_crisis(*mesh_crises, *quest.opens_on, now);
  if (!crisis && board) crisis = board->newest_open(*quest.opens_on, now);
  if (!crisis)
    return {std::nullopt,
            "no open " + kind + " crisis on this node" + (mesh_crises ? " or in its mesh" : "")};
  const common::UnixSeconds opened = crisis->opened_at;
  // A quest that expires before its crisis closes is over for it while the crisis goes on.
  if (!is_open(quest, opened, now))
    return {std::nullopt, "this quest has closed for the open " + kind + " crisis (" +
                              crisis_name(*crisis) + "): it expires before the crisis ends"};
  return {Activation{opened, std::move(crisis)}, {}};
}

}  // namespace westworld::quests
