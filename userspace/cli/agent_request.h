// Requests to the running agent through the typed control client: the reply, or
// one clear line on stderr when no agent runs or it refuses.
#pragma once

#include <iostream>
#include <optional>
#include <string>

#include "commands.h"
#include "westworld/control/client.h"

namespace westworld::cli {

control::Client agent_client(const CommonOptions& common);

// The error's detail lines (a rejected policy's problems), then "wwctl: error: MESSAGE".
void print_agent_error(const control::Error& error);

// The reply when the agent answers with one; otherwise prints why not and returns
// nullopt. `why_agent` completes "needs the running agent (...)".
template <typename Request>
std::optional<typename Request::Reply> ask_agent(const CommonOptions& common,
                                                 const Request& request,
                                                 const std::string& why_agent) {
  auto result = agent_client(common).call(request);
  if (!result) {
    std::cerr << "wwctl: error: no agent listens on " << common.control_path
              << "; this needs the running agent (" << why_agent << ")\n";
    return std::nullopt;
  }
  if (!result->ok()) {
    print_agent_error(result->error());
    return std::nullopt;
  }
  return std::move(result->value());
}

// "2026-11-26T06:54:01Z"
std::string utc_time(uint64_t unix_ns);

}  // namespace westworld::cli
