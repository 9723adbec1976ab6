#include "westworld/dataplane/library_log.h"

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include <cstdarg>
#include <cstdio>
#include <deque>
#include <mutex>
#include <sstream>

namespace westworld::dataplane {
namespace {

constexpr size_t kKeptLines = 400;

struct LibraryLog {
  std::mutex mutex;
  std::deque<std::string> lines;
  std::string partial;
  LibraryLogSink sink;
};

LibraryLog& state() {
  static LibraryLog log;
  return log;
}

// Debug chatter is dropped; the verifier log arrives at warning level.
void take(bool debug, const char* format, va_list args) {
  if (debug) return;
  // The verifier log arrives as one call of many kilobytes; its end, where
  // the reason is, matters most, so nothing may be cut.
  va_list measure;
  va_copy(measure, args);
  const int length = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  if (length <= 0) return;
  std::string text(static_cast<size_t>(length) + 1, '\0');
  std::vsnprintf(text.data(), text.size(), format, args);
  text.resize(static_cast<size_t>(length));

  LibraryLog& log = state();
  std::lock_guard lock(log.mutex);
  log.partial += text;
  for (size_t nl; (nl = log.partial.find('\n')) != std::string::npos;) {
    std::string line = log.partial.substr(0, nl);
    log.partial.erase(0, nl + 1);
    if (log.sink) log.sink(line);
    log.lines.push_back(std::move(line));
    if (log.lines.size() > kKeptLines) log.lines.pop_front();
  }
}

int from_libbpf(enum libbpf_print_level level, const char* format, va_list args) {
  take(level == LIBBPF_DEBUG, format, args);
  return 0;
}

int from_libxdp(enum libxdp_print_level level, const char* format, va_list args) {
  take(level == LIBXDP_DEBUG, format, args);
  return 0;
}

}  // namespace

void install_library_log(LibraryLogSink sink) {
  {
    std::lock_guard lock(state().mutex);
    if (sink) state().sink = std::move(sink);
  }
  libbpf_set_print(from_libbpf);
  libxdp_set_print(from_libxdp);
}

void clear_recent_library_log() {
  std::lock_guard lock(state().mutex);
  state().lines.clear();
  state().partial.clear();
}

std::string recent_library_log(size_t lines) {
  LibraryLog& log = state();
  std::lock_guard lock(log.mutex);
  std::ostringstream out;
  size_t start = log.lines.size() > lines ? log.lines.size() - lines : 0;
  for (size_t i = start; i < log.lines.size(); ++i) out << "  " << log.lines[i] << '\n';
  return out.str();
}

}  // namespace westworld::dataplane
