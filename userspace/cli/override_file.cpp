#include "override_file.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "westworld/common/atomic_file.h"
#include "westworld/control/codec.h"
#include "westworld/control/override_message.h"

namespace westworld::cli {

control::CharterOverrideRequest read_override_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (!in || !(text << in.rdbuf())) throw std::runtime_error(path + ": cannot read");
  try {
    control::AnyRequest request = control::decode_request(text.str());
    if (auto* message = std::get_if<control::CharterOverrideRequest>(&request)) {
      (void)control::from_message(*message);  // every field parses
      return *message;
    }
  } catch (const control::DecodeError& e) {
    throw std::runtime_error(path + ": not an override file: " + e.error().message);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  throw std::runtime_error(path + ": not an override file (wwctl charter override -o)");
}

void write_override_file(const std::string& path, const control::CharterOverrideRequest& message) {
  common::write_file_atomically(path, control::encode_request(message) + "\n");
}

}  // namespace westworld::cli
