#include "westworld/control/policy_record.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace westworld::control {
namespace {

std::string record_path(const std::string& state_dir) { return state_dir + "/policy.json"; }

}  // namespace

nlohmann::json make_policy_record(const policy::CompiledPolicy& compiled, const std::string& source) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& rule : compiled.rules)
    rules.push_back({{"name", rule.name}, {"action", policy::to_string(rule.action)}});
  return {{"digest", compiled.digest_hex}, {"source", source}, {"rules", rules}};
}

void save_policy_record(const std::string& state_dir, const nlohmann::json& record) {
  std::filesystem::create_directories(state_dir);
  const std::string path = record_path(state_dir);
  const std::string tmp = path + ".tmp";
  const std::string text = record.dump(2) + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

std::optional<nlohmann::json> load_policy_record(const std::string& state_dir) {
  std::ifstream in(record_path(state_dir));
  if (!in) return std::nullopt;
  auto record = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (record.is_discarded()) return std::nullopt;
  return record;
}

}  // namespace westworld::control
