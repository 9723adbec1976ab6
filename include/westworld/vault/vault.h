// The Sublime shelter: an encrypted vault whose key no single guardian holds.
//
// A vault is a directory (0700): vault.db (SQLite: items, epochs, shares, requests,
// releases, votes), dealer.key (the vault's Ed25519 key: signs stored shares and the
// audit log; it cannot open anything) and audit.db (the signed Merkle audit log).
//
// Flow: init deals the master secret to the guardians; put encrypts an item (no guardian
// needed, see item_key.h); request opens a request with its own box key; each guardian
// approves by opening its share, checking it, and re-sealing it to that request's key;
// knowledge/identity items and emergency requests also need a decision (access_decisions.h);
// get checks everything, names bad shares, rebuilds the secret, unwraps the one item's
// key, returns its plaintext in locked memory and closes the request.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "westworld/capability/clock.h"
#include "westworld/vault/access_decisions.h"
#include "westworld/vault/guardian_key.h"
#include "westworld/vault/records.h"
#include "westworld/vault/secret_buffer.h"

namespace westworld::vault {

inline constexpr std::uint32_t kDefaultThreshold = 3;
inline constexpr std::chrono::hours kStandardWindow{72};
inline constexpr std::chrono::hours kEmergencyWindow{2};

// A refusal: the request, vote or share that is missing or wrong, in words.
class AccessDenied : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ShareCheck {
  std::string guardian;
  std::uint32_t index = 0;
  std::uint64_t epoch = 0;
  bool ok = false;
  std::string reason;
  Point public_value{};  // s_i * B as computed from the opened share (when it opened)
};

struct Unsealed {
  SecretBuffer plaintext;
  std::vector<std::string> used_guardians;
  std::vector<ShareCheck> rejected;  // bad shares, named, never combined
  std::chrono::seconds since_request{0};
};

struct PublicCommitments {
  std::uint64_t epoch = 0;
  std::uint32_t threshold = 0;
  std::vector<Point> commitments;
  struct Entry {
    std::string guardian;
    std::uint32_t index = 0;
    Point public_value{};
  };
  std::vector<Entry> shares;
};

enum class RotationStep { kBegun, kContributed, kFinished };

struct RotationResult {
  std::string kind;  // "refresh" or "reshare"
  std::uint64_t epoch = 0;
  std::string nonce;  // hex
  std::vector<std::string> verified_guardians;
};

class Vault {
 public:
  // Creates DIR (0700) with the files above; refuses a directory that holds a vault.
  static Vault init(const std::filesystem::path& dir, const std::vector<GuardianPublic>& guardians,
                    std::uint32_t threshold,
                    const capability::Clock& clock = capability::system_clock());
  static Vault open(const std::filesystem::path& dir,
                    const capability::Clock& clock = capability::system_clock());
  Vault(Vault&&) noexcept;
  Vault& operator=(Vault&&) noexcept;
  ~Vault();

  // Replaces the decisions (governance, later); the default is GuardianVoteDecisions.
  void set_decisions(std::shared_ptr<const AccessDecisions> decisions);

  std::string put(capability::ByteView plaintext, ItemType type, const std::string& title);
  std::vector<ItemSummary> list() const;
  std::string request(const std::string& item, bool emergency);
  std::optional<RequestRecord> find_request(const std::string& id) const;
  // The guardian opens and checks its share, then releases it for `request` only.
  ShareCheck approve(const std::string& request, const GuardianKey& key);
  void vote(const std::string& request, const GuardianKey& key, bool yes);
  // Throws AccessDenied with the reason unless every condition holds; audited either way.
  Unsealed get(const std::string& item, const std::string& request);
  ShareCheck verify_guardian(const GuardianKey& key) const;
  void erase(const std::string& item);
  PublicCommitments commitments() const;
  EpochInfo current_epoch() const;

  // Rotation. Without new guardians: proactive refresh (a sharing of zero added to every
  // share; no key needed, but keys given here are used to verify the new shares before the
  // old epoch is retired). With new guardians: a reshare by `keys` (at least the current
  // threshold of current guardians) to the new set. Bound to a fresh nonce; the old epoch
  // stays active until every new share has checked out.
  RotationResult rotate(const std::vector<const GuardianKey*>& keys,
                        const std::optional<std::vector<GuardianPublic>>& new_guardians,
                        std::optional<std::uint32_t> new_threshold = std::nullopt);
  // For tests: stop the ceremony after `step` (as a crash would), leaving it pending.
  void set_rotation_stop_after(std::optional<RotationStep> step);

  // Prints nothing; returns the audit log's verification and its entries as text lines.
  struct AuditReport {
    bool ok = false;
    std::string reason;
    std::vector<std::string> lines;
  };
  AuditReport audit() const;

  const std::filesystem::path& dir() const;

  struct State;  // the implementation's (userspace/vault/vault_state.h)

 private:
  explicit Vault(std::unique_ptr<State> state);
  RotationResult run_rotation(const std::vector<const GuardianKey*>& keys,
                              const std::optional<std::vector<GuardianPublic>>& new_guardians,
                              std::optional<std::uint32_t> new_threshold);
  std::unique_ptr<State> state_;
};

}  // namespace westworld::vault
