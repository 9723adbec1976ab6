// Quoting untrusted text back to people and programs (diagnostics, logs, replies).
#pragma once

#include <string>
#include <string_view>

namespace westworld::common {

// `text` with everything that could forge or hide output escaped, so the result is one
// line of valid UTF-8 that shows what was received:
//   - bytes that are not valid UTF-8 become \xNN (a raw 0x85 reads "\x85");
//   - C0 controls and DEL become \n, \r, \t or \xNN; the backslash becomes "\\", so an
//     escape in the output always means an escape, never the input's own text;
//   - C1 controls, line and paragraph separators and bidirectional overrides become
//     \u{NNNN} (U+0085 encoded correctly reads "\u{85}").
// Printable ASCII and other valid UTF-8 pass through unchanged.
std::string printable(std::string_view text);

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF): what JSON, Prometheus and YAML all require of text.
bool is_utf8(std::string_view text);

}  // namespace westworld::common
