#include "westworld/vault/guardian_list.h"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "westworld/vault/feldman.h"

namespace westworld::vault {

std::vector<GuardianPublic> parse_guardian_list(std::string_view text, std::string_view source) {
  std::vector<GuardianPublic> out;
  std::set<std::string> ids;
  std::set<capability::PublicKey> keys;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto fail = [&](const std::string& why) {
      return std::runtime_error(std::string(source) + ":" + std::to_string(number) + ": " + why);
    };
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::istringstream fields(line);
    std::string id, key, extra;
    fields >> id >> key;
    if (key.empty() || (fields >> extra))
      throw fail("expected 'ID BASE64-PUBLIC-KEY' (as printed by wwctl vault guardian keygen)");
    if (!is_valid_guardian_id(id))
      throw fail("guardian id '" + id + "' must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
    const auto bytes = capability::from_base64(key);
    if (!bytes || bytes->size() != 32) throw fail("the public key is not 32 bytes of base64");
    GuardianPublic guardian{id, {}};
    std::copy(bytes->begin(), bytes->end(), guardian.sign_key.begin());
    try {
      (void)box_public_of(guardian.sign_key);
    } catch (const std::exception&) {
      throw fail("the public key of '" + id + "' is not a usable Ed25519 key");
    }
    if (!ids.insert(id).second) throw fail("guardian '" + id + "' is listed twice");
    if (!keys.insert(guardian.sign_key).second) throw fail("this key is listed twice");
    out.push_back(std::move(guardian));
    if (out.size() > kMaxGuardians)
      throw fail("more than " + std::to_string(kMaxGuardians) + " guardians");
  }
  if (out.empty()) throw std::runtime_error(std::string(source) + ": no guardians listed");
  return out;
}

std::vector<GuardianPublic> read_guardian_list(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot read the guardians file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_guardian_list(text.str(), path.string());
}

}  // namespace westworld::vault
