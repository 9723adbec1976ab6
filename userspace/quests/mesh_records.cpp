#include "westworld/quests/mesh_records.h"

namespace westworld::quests {

const governance::Member* registered_member(const governance::MemberHistory& history,
                                            std::string_view node, common::UnixSeconds at) {
  return history.current(at).members.find(node);
}

}  // namespace westworld::quests
