// The twin itself: one network namespace per router, veth pairs for the links, routes along
// shortest paths, and in every router the real westworld-agent with the guard attached to all
// of its links, running the arm's policy. Everything goes with the object, in this order:
// guards detached through the agents, agents killed by PID, namespaces deleted, pins removed;
// leftovers() then says whether anything of it is still there.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "westworld/cradle/link_faults.h"
#include "westworld/cradle/twin_plan.h"
#include "westworld/harness/child_process.h"
#include "westworld/harness/network_lab.h"

namespace westworld::cradle {

// Names of everything a twin makes start with this, then the PID of the wwctl that made it
// ("wwc1234-r1"), so `wwctl cradle clean` can tell a dead run's leftovers from a live one's.
inline constexpr const char* kTwinStem = "wwc";

struct TwinOptions {
  std::filesystem::path agent_binary;
  std::filesystem::path work_dir;  // the twin's files: policies, agent state, logs
  std::filesystem::path policy;    // every router runs this
  std::chrono::milliseconds agent_start_timeout{15000};
};

class Twin {
 public:
  // Builds the network and starts every agent; throws std::runtime_error (after tearing down
  // what it built) naming the step that failed.
  Twin(const TwinPlan& plan, TwinOptions options);
  ~Twin();
  Twin(const Twin&) = delete;
  Twin& operator=(const Twin&) = delete;

  const TwinPlan& plan() const { return plan_; }
  const std::string& netns(size_t router) const { return routers_.at(router).netns; }
  std::string control_socket(size_t router) const;
  std::vector<InterfaceRef> link_interfaces(const PlannedLink& link) const;

  // The agent of `router`: SIGKILL (the guard stays attached), start it again with the same
  // flags and wait until it answers. Returns whether it came back.
  bool kill_and_restart_agent(size_t router);
  bool agent_answers(size_t router) const;
  pid_t agent_pid(size_t router);

  // Both ends down, or up again with their neighbours and routes put back (the kernel drops a
  // route whose device goes down).
  void set_link_up(const PlannedLink& link, bool up);

  // The agent's process in the freezer cgroup, frozen or thawed. Throws when this machine has
  // no cgroup freezer.
  void freeze_router(size_t router, bool frozen);

  // Removes everything now (the destructor does the same); then what is still there.
  std::vector<std::string> tear_down();

 private:
  struct Router {
    std::string netns;
    std::filesystem::path dir;
    std::string pin_root;
    std::vector<std::string> argv;
    std::optional<harness::ChildProcess> agent;
    std::filesystem::path freezer;  // its cgroup, once made
  };
  void build_network();
  void route_router(size_t router);
  void launch_agent(size_t router);  // starts its process
  void await_agent(size_t router);   // until it answers; throws with its last words if not
  void stop_agents() noexcept;

  TwinPlan plan_;
  TwinOptions options_;
  std::optional<harness::NetworkLab> lab_;
  std::vector<Router> routers_;
  bool torn_down_ = false;
};

// What dead runs (or this process) left: namespaces, pins, cgroups, work directories.
std::vector<std::string> twin_leftovers();
// Removes them: what `wwctl cradle clean` does. Returns what it removed.
std::vector<std::string> remove_twin_leftovers();

}  // namespace westworld::cradle
