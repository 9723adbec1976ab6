#include "westworld/governance/waves.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "westworld/capability/bytes.h"

namespace westworld::governance {
namespace {

struct Step {
  bool percent = false;
  std::uint64_t value = 0;
};

std::optional<Step> parse_step(std::string_view text) {
  Step step;
  if (!text.empty() && text.back() == '%') {
    step.percent = true;
    text.remove_suffix(1);
  }
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), step.value);
  if (error != std::errc() || step.value == 0 || (step.percent && step.value > 100))
    return std::nullopt;
  return step;
}

// How many of `total` nodes the plan has reached by this step.
std::uint64_t reach(const Step& step, std::uint64_t total) {
  if (!step.percent) return std::min(step.value, total);
  return (total * step.value + 99) / 100;  // a share rounds up: 10% of 5 is one node
}

}  // namespace

std::optional<std::string> wave_plan_error(const std::vector<std::string>& waves) {
  if (waves.empty()) return "the wave plan is empty";
  std::optional<Step> previous;
  for (const std::string& wave : waves) {
    const auto step = parse_step(wave);
    if (!step) return "wave '" + wave + "' is neither a node count (1, 5) nor a share (10%)";
    // Growing in the same unit; mixing units is allowed only from counts to shares.
    if (previous && previous->percent == step->percent && step->value <= previous->value)
      return "wave '" + wave + "' does not grow on the one before it";
    if (previous && previous->percent && !step->percent)
      return "wave '" + wave + "' is a count after a share: give shares last";
    previous = step;
  }
  if (!previous->percent || previous->value != 100) return "the last wave must be 100%";
  return std::nullopt;
}

std::vector<std::vector<std::string>> assign_waves(const std::vector<std::string>& waves,
                                                   std::vector<std::string> nodes,
                                                   const capability::Digest& proposal) {
  if (auto error = wave_plan_error(waves)) throw std::invalid_argument(*error);
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  auto rank = [&](const std::string& node) {
    capability::Sha256 hash;
    hash.update(proposal);
    hash.update_framed(capability::as_bytes(node));
    return hash.finish();
  };
  std::vector<std::pair<capability::Digest, std::string>> ranked;
  for (const std::string& node : nodes) ranked.emplace_back(rank(node), node);
  std::sort(ranked.begin(), ranked.end());

  std::vector<std::vector<std::string>> out;
  std::uint64_t placed = 0;
  for (const std::string& wave : waves) {
    const std::uint64_t upto = std::max(reach(*parse_step(wave), ranked.size()), placed);
    if (upto == placed) continue;
    std::vector<std::string>& members = out.emplace_back();
    for (; placed < upto; ++placed) members.push_back(ranked[placed].second);
  }
  return out;
}

}  // namespace westworld::governance
