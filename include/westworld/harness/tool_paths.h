// Where the system tools the harness drives (ip, tc, nft, ethtool, promtool) live.
#pragma once

#include <string>

namespace westworld::harness {

// The absolute path of a program: `name` itself if it contains a '/', else the first executable
// `name` in $PATH, /usr/sbin, /sbin, /usr/bin or /bin (a non-login root shell may lack the sbin
// directories in $PATH). Returns `name` unchanged if none is found.
std::string system_tool(const std::string& name);

// Whether system_tool() finds `name`.
bool have_tool(const std::string& name);

}  // namespace westworld::harness
