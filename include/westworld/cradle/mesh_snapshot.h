// `topology: {from: mesh}`: the twin of the mesh as its registry describes it. Routers publish
// their guarded interfaces (address, prefix, MTU) in their records; two routers whose
// interfaces share an IPv4 subnet are joined by a link of the twin. What does not fit is said,
// never silently dropped: routers not reporting, routers not connected to the rest, and routers
// beyond what this machine holds.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "westworld/cradle/experiment.h"
#include "westworld/mesh/mesh_view.h"

namespace westworld::cradle {

struct MeshSnapshot {
  TopologySpec topology;                               // routers by id, links between them
  std::vector<std::string> left_out;                   // each with why
  std::map<std::string, std::string> running_digests;  // router -> its applied policy digest
};

// The experiment with the snapshot as its topology; the names of the flows', attacks' and
// faults' routers and links the snapshot lacks (the run refuses to start then).
std::vector<std::string> adopt_snapshot(Experiment& experiment, const MeshSnapshot& snapshot);

// Routers are taken breadth-first from the first live router (by id) along the links, up to
// `max_routers`.
MeshSnapshot snapshot_topology(const mesh::MeshView& view, size_t max_routers);

}  // namespace westworld::cradle
