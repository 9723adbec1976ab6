// The control protocol's request parser on arbitrary lines. Anyone who can reach the
// control socket sends these bytes before any credential is checked: decoding must
// answer with a typed request or a DecodeError, the dispatcher must answer every line
// with one valid reply line, and whatever decodes must re-encode to itself.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "westworld/control/dispatcher.h"

using namespace westworld::control;

namespace {

// A dispatcher with a few commands served, so routing runs too.
const Dispatcher& dispatcher() {
  static const Dispatcher d = [] {
    Dispatcher table;
    table.on<PingRequest>([](const PingRequest&) -> Result<PingReply> { return PingReply{1, "x"}; });
    table.on<AlertsRequest>([](const AlertsRequest& r) -> Result<AlertsReply> {
      if (r.limit % 2) throw 1;  // handlers that throw anything are answered too
      return AlertsReply{};
    });
    table.on<ApplyRequest>([](const ApplyRequest& r) -> Result<ApplyReply> {
      return Error{ErrorCode::policy_rejected, r.source, {r.policy}};  // input quoted back
    });
    return table;
  }();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);

  try {
    const AnyRequest request = decode_request(line);
    const std::string encoded = encode_request(request);
    const AnyRequest again = decode_request(encoded);
    WW_FUZZ_CHECK(again.index() == request.index(), "a decoded request re-encodes to another command");
    WW_FUZZ_CHECK(encode_request(again) == encoded, "encoding a decoded request is not stable");
  } catch (const DecodeError& e) {
    WW_FUZZ_CHECK(!e.error().message.empty(), "a refusal without a reason");
  }

  const std::string reply = dispatcher().handle(line);
  WW_FUZZ_CHECK(reply.find('\n') == std::string::npos, "a reply spans lines");
  try {
    decode_reply<PingReply>(reply);
  } catch (const DecodeError&) {
    // The reply is another command's: it must still be a protocol message.
    try {
      decode_reply<ApplyReply>(reply);
    } catch (const DecodeError&) {
      decode_reply<AlertsReply>(reply);  // throws (and so crashes) only on a broken reply
    }
  }

  // Replies from a hostile agent reach wwctl: decoding them refuses or succeeds.
  try {
    decode_reply<StatusReply>(line);
  } catch (const DecodeError&) {
  }
  return 0;
}
