#include "westworld/vault/vault.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>

#include "vault_state.h"
#include "westworld/capability/secret_file.h"
#include "westworld/vault/feldman.h"
#include "westworld/vault/item_cipher.h"
#include "westworld/vault/item_key.h"
#include "westworld/vault/share_box.h"

namespace westworld::vault {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kDealerMagic = "westworld-vault-dealer-v1";
constexpr const char* kLogName = "westworld-vault";
constexpr std::size_t kMaxTitleBytes = 200;

fs::path db_path(const fs::path& dir) { return dir / "vault.db"; }
fs::path dealer_path(const fs::path& dir) { return dir / "dealer.key"; }
fs::path log_path(const fs::path& dir) { return dir / "audit.db"; }

capability::Ed25519KeyPair read_dealer(const fs::path& path) {
  std::string text = capability::read_secret_file(path);
  const std::string prefix = std::string(kDealerMagic) + " ";
  std::optional<capability::Bytes> seed;
  if (text.starts_with(prefix)) {
    std::string_view rest = std::string_view(text).substr(prefix.size());
    while (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
    seed = capability::from_base64(rest);
  }
  capability::wipe(text);
  if (!seed || seed->size() != 32) throw std::runtime_error(path.string() + ": not a dealer key");
  auto pair = capability::Ed25519KeyPair::from_seed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return pair;
}

void check_title(const std::string& title) {
  if (title.empty() || title.size() > kMaxTitleBytes)
    throw std::invalid_argument("--title must be 1-" + std::to_string(kMaxTitleBytes) + " bytes");
  if (std::any_of(title.begin(), title.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw std::invalid_argument("--title must not contain control characters");
}

}  // namespace

capability::Digest epoch_digest(const EpochInfo& epoch, capability::ByteView nonce) {
  capability::Sha256 h;
  const auto commitments = commitment_digest(epoch.epoch, epoch.commitments);
  h.update(commitments).update_u32_be(epoch.threshold).update_framed(nonce);
  for (const GuardianSlot& g : epoch.guardians)
    h.update_u32_be(g.index)
        .update_framed(capability::as_bytes(g.guardian.id))
        .update(g.guardian.sign_key);
  return h.finish();
}

std::string random_id(std::string_view prefix) {
  std::array<std::uint8_t, 8> bytes{};
  capability::random_bytes(bytes);
  return std::string(prefix) + capability::to_hex(bytes);
}

EpochInfo Vault::State::current() {
  const auto active = store.active_epoch();
  if (!active) throw std::runtime_error(dir.string() + ": vault has no active epoch");
  return *store.epoch(*active);
}

void Vault::State::record(std::string_view type, json fields) {
  // The log's text fields are 1-4096 bytes; a long refusal is cut, never dropped.
  for (auto& field : fields.items()) {
    auto& value = field.value();
    if (!value.is_string()) continue;
    auto& text = value.get_ref<std::string&>();
    if (text.empty()) text = "-";
    if (text.size() > 4000) text = text.substr(0, 4000) + "...";
  }
  log.append({std::string(type), std::move(fields)});
}

Vault::Vault(std::unique_ptr<State> state) : state_(std::move(state)) {}
Vault::Vault(Vault&&) noexcept = default;
Vault& Vault::operator=(Vault&&) noexcept = default;
Vault::~Vault() = default;

const fs::path& Vault::dir() const { return state_->dir; }

void Vault::set_decisions(std::shared_ptr<const AccessDecisions> decisions) {
  state_->decisions = std::move(decisions);
}

void Vault::set_rotation_stop_after(std::optional<RotationStep> step) { state_->stop_after = step; }

Vault Vault::init(const fs::path& dir, const std::vector<GuardianPublic>& guardians,
                  std::uint32_t threshold, const capability::Clock& clock) {
  const auto n = static_cast<std::uint32_t>(guardians.size());
  if (threshold < 2 || threshold > n)
    throw std::invalid_argument("--threshold " + std::to_string(threshold) +
                                " must be at least 2 and at most the " + std::to_string(n) +
                                " guardians listed");
  if (fs::exists(db_path(dir)) || fs::exists(dealer_path(dir)))
    throw std::runtime_error(dir.string() + ": already holds a vault; refusing to replace it");
  fs::create_directories(dir);
  if (::chmod(dir.c_str(), 0700) != 0)
    throw std::runtime_error(dir.string() + ": cannot chmod 0700");

  const auto dealer = capability::Ed25519KeyPair::generate();
  {
    const auto seed = dealer.seed();
    std::string text = std::string(kDealerMagic) + " " + capability::to_base64(seed.view()) + "\n";
    capability::write_new_secret_file(dealer_path(dir), text);
    capability::wipe(text);
  }
  VaultStore store(db_path(dir), true);
  EpochInfo epoch{1, threshold, {}, {}, {}};
  for (std::uint32_t i = 0; i < n; ++i) epoch.guardians.push_back({guardians[i], i + 1});
  {
    // The secret exists only here, for the time it takes to deal it.
    const Scalar secret = Scalar::random();
    const Dealing dealing = deal(secret, threshold, n);
    epoch.commitments = dealing.commitments;
    const auto digest = epoch_digest(epoch, epoch.nonce);
    auto tx = store.begin_write();
    store.insert_epoch(epoch, "active", "init", {});
    for (const Share& share : dealing.shares) {
      const GuardianPublic& g = guardians[share.index - 1];
      StoredShare stored;
      stored.epoch = 1;
      stored.index = share.index;
      stored.parts = encode_parts(
          {{Scalar::from_u64(1), seal_scalar(share.value, box_public_of(g.sign_key))}});
      stored.public_value = base_mul(share.value);
      stored.signature = dealer.sign(share_statement(1, share.index, g.id, digest, stored.parts));
      store.put_share(stored);
    }
    store.set_active_epoch(1);
    tx.commit();
  }
  Vault vault = open(dir, clock);
  json ids = json::array();
  for (const GuardianPublic& g : guardians) ids.push_back(g.id);
  vault.state_->record(
      "vault_init", {{"epoch", "1"}, {"threshold", std::to_string(threshold)}, {"guardians", ids}});
  return vault;
}

Vault Vault::open(const fs::path& dir, const capability::Clock& clock) {
  if (!fs::exists(db_path(dir)))
    throw std::runtime_error(dir.string() + ": no vault here (run wwctl vault init)");
  auto dealer = read_dealer(dealer_path(dir));
  audit::NoteSigner signer(kLogName, dealer);
  auto log = audit::AuditLog::open(log_path(dir), std::move(signer), clock);
  auto state = std::unique_ptr<State>(
      new State{dir, VaultStore(db_path(dir), false), std::move(dealer), std::move(log), &clock,
                std::make_shared<GuardianVoteDecisions>(), std::nullopt});
  return Vault(std::move(state));
}

std::string Vault::put(capability::ByteView plaintext, ItemType type, const std::string& title) {
  check_title(title);
  const EpochInfo epoch = state_->current();
  StoredItem item;
  item.summary = {random_id("it-"), type, title, 1, plaintext.size(), state_->now()};
  const auto binding = item_binding(item.summary.id, item.summary.version);
  const SecretBuffer data_key = random_key();
  item.ciphertext = encrypt_blob(data_key, plaintext, binding);
  const ItemKeyAtPut wrap = wrapping_key_for_put(epoch.commitments.at(0), item.summary.id);
  item.ephemeral = wrap.ephemeral;
  item.wrapped_key = encrypt_record(wrap.wrapping_key, data_key.view(), binding);
  state_->store.insert_item(item);
  state_->record("vault_put",
                 {{"item", item.summary.id}, {"item_type", std::string(to_string(type))}});
  return item.summary.id;
}

std::vector<ItemSummary> Vault::list() const { return state_->store.items(); }

void Vault::erase(const std::string& item) {
  {
    auto tx = state_->store.begin_write();
    if (!state_->store.delete_item(item)) throw std::runtime_error("no item '" + item + "'");
    state_->store.delete_requests_for(item);
    tx.commit();
  }
  state_->store.scrub();
  state_->record("vault_erase", {{"item", item}});
}

EpochInfo Vault::current_epoch() const { return state_->current(); }

PublicCommitments Vault::commitments() const {
  const EpochInfo epoch = state_->current();
  PublicCommitments out{epoch.epoch, epoch.threshold, epoch.commitments, {}};
  for (const StoredShare& s : state_->store.shares(epoch.epoch)) {
    const auto slot = std::find_if(epoch.guardians.begin(), epoch.guardians.end(),
                                   [&](const GuardianSlot& g) { return g.index == s.index; });
    if (slot != epoch.guardians.end())
      out.shares.push_back({slot->guardian.id, s.index, s.public_value});
  }
  return out;
}

Vault::AuditReport Vault::audit() const {
  AuditReport report;
  const audit::LogVerification v = state_->log.verify();
  report.ok = v.ok;
  report.reason = v.ok ? "audit log ok: " + std::to_string(v.size) + " entries, root " +
                             capability::to_hex(v.root)
                       : v.reason;
  for (std::uint64_t i = 0; i < state_->log.size(); ++i) {
    const audit::StoredEntry e = state_->log.entry(i);
    const json record = audit::reveal(e.leaf, e.personal);
    report.lines.push_back(std::to_string(i) + "  " + record.value("logged_at", "?") + "  " +
                           record.value("type", "?") + "  " + record["fields"].dump());
  }
  return report;
}

}  // namespace westworld::vault
