#include "westworld/common/printable.h"

#include <cstdint>

namespace westworld::common {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_byte_escape(std::string& out, std::uint8_t byte) {
  out += "\\x";
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 0xf];
}

void append_code_point_escape(std::string& out, char32_t code_point) {
  std::string digits;
  for (; code_point != 0 || digits.empty(); code_point >>= 4) {
    digits.insert(digits.begin(), kHexDigits[code_point & 0xf]);
  }
  out += "\\u{" + digits + "}";
}

// Code points that are valid UTF-8 but move the cursor, end a line in some viewers, or
// reorder what is displayed (Trojan Source): a quoted name must not do any of that.
bool is_invisible_control(char32_t code_point) {
  return (code_point >= 0x80 && code_point <= 0x9f) ||      // C1 controls, NEL
         code_point == 0x200e || code_point == 0x200f ||    // LRM, RLM
         code_point == 0x2028 || code_point == 0x2029 ||    // line, paragraph separator
         (code_point >= 0x202a && code_point <= 0x202e) ||  // bidi embeddings, overrides
         (code_point >= 0x2066 && code_point <= 0x2069);    // bidi isolates
}

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF) that starts `text`, with its code point; 0 when there is none.
size_t utf8_sequence(std::string_view text, char32_t& code_point) {
  const auto lead = static_cast<std::uint8_t>(text[0]);
  size_t length = 0;
  char32_t min = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2, min = 0x80, code_point = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3, min = 0x800, code_point = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4, min = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<std::uint8_t>(text[i]);
    if ((next & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3f);
  }
  if (code_point < min || code_point > 0x10ffff) return 0;
  if (code_point >= 0xd800 && code_point <= 0xdfff) return 0;
  return length;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto byte = static_cast<std::uint8_t>(text[0]);
    size_t consumed = 1;
    if (byte == '\\') {
      out += "\\\\";
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      append_byte_escape(out, byte);
    } else if (byte < 0x80) {
      out += static_cast<char>(byte);
    } else {
      char32_t code_point = 0;
      consumed = utf8_sequence(text, code_point);
      if (consumed == 0) {
        consumed = 1;
        append_byte_escape(out, byte);
      } else if (is_invisible_control(code_point)) {
        append_code_point_escape(out, code_point);
      } else {
        out.append(text.substr(0, consumed));
      }
    }
    text.remove_prefix(consumed);
  }
  return out;
}

bool is_utf8(std::string_view text) {
  while (!text.empty()) {
    size_t consumed = 1;
    if (static_cast<std::uint8_t>(text[0]) >= 0x80) {
      char32_t code_point = 0;
      consumed = utf8_sequence(text, code_point);
      if (consumed == 0) return false;
    }
    text.remove_prefix(consumed);
  }
  return true;
}

}  // namespace westworld::common
