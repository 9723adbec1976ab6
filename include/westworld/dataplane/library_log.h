// libbpf and libxdp report through print callbacks, the verifier's log among
// them. Their lines are kept (so a rejection can show the verifier's reason)
// and handed to a sink, so the agent can log them at debug level instead of
// letting them scribble on stderr.
#pragma once

#include <functional>
#include <string>

namespace westworld::dataplane {

using LibraryLogSink = std::function<void(const std::string& line)>;

// Installs the callbacks (idempotent); `sink` may be empty to keep quiet.
void install_library_log(LibraryLogSink sink = {});

void clear_recent_library_log();
// The last `lines` lines, each indented by two spaces.
std::string recent_library_log(size_t lines);

}  // namespace westworld::dataplane
