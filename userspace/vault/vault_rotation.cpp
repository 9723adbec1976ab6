// Rotation: a new epoch of shares for the same secret, as a ceremony bound to a fresh
// nonce and the new guardian list (both go into every new share's signed statement).
//
//   refresh  (same guardians): a random sharing of zero, g(0) = 0, is added to the old one.
//            Guardian i's new share is old_i + g(i); it is stored as the old sealed parts
//            plus g(i) sealed to guardian i, so no guardian key is needed and no process
//            ever sees a whole new share. New commitments C'_j = C_j + G_j (G_0 is the
//            identity, so C'_0 = C_0). Old shares do not match C' and open nothing after.
//   reshare  (new guardians): t current guardians each deal a sub-sharing of their own
//            share (its C_0 must equal their public check value); new guardian j's share
//            is sum_i lambda_i * g_i(j), stored as those sealed sub-shares with their
//            Lagrange weights. New commitments sum_i lambda_i * G_i,k; C'_0 equals C_0,
//            which proves the secret is unchanged without anyone rebuilding it.
//
// Steps: drop any earlier unfinished ceremony; write the pending epoch; write every new
// share; check every new share (signature, public value against C', and opening it with
// each new guardian key given); only then retire the old epoch in one transaction. Until
// that last transaction the old epoch is the active one, whatever happens in between.
#include <sodium.h>

#include <algorithm>

#include "vault_state.h"
#include "westworld/vault/feldman.h"
#include "westworld/vault/share_box.h"

namespace westworld::vault {
namespace {

using nlohmann::json;

struct Ceremony {
  EpochInfo next;
  std::string kind;
};

// What the test hook throws: a crash, which (unlike a refusal) leaves no log entry.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void stop_if(const Vault::State& s, RotationStep step) {
  if (s.stop_after == step) throw Interrupted("rotation interrupted (test hook)");
}

json ids_of(const EpochInfo& e) {
  json ids = json::array();
  for (const GuardianSlot& g : e.guardians) ids.push_back(g.guardian.id);
  return ids;
}

StoredShare sign_share(const Vault::State& s, const EpochInfo& next, const GuardianSlot& slot,
                       const std::vector<SharePart>& parts, const Point& public_value) {
  StoredShare share{next.epoch, slot.index, encode_parts(parts), public_value, {}};
  share.signature = s.dealer.sign(share_statement(next.epoch, slot.index, slot.guardian.id,
                                                  epoch_digest(next, next.nonce), share.parts));
  return share;
}

// The refresh's new shares: old parts plus a sealed share of zero.
std::vector<StoredShare> refresh_shares(Vault::State& s, const EpochInfo& old, EpochInfo& next) {
  const std::uint32_t n = static_cast<std::uint32_t>(old.guardians.size());
  const Dealing zero = deal_zero(old.threshold, n);
  for (std::size_t k = 0; k < old.commitments.size(); ++k)
    next.commitments.push_back(point_add(old.commitments[k], zero.commitments[k]));
  std::vector<StoredShare> out;
  for (const GuardianSlot& slot : old.guardians) {
    const auto stored = s.store.share(old.epoch, slot.index);
    const auto parts = stored ? decode_parts(stored->parts) : std::nullopt;
    if (!parts)
      throw std::runtime_error("the share of '" + slot.guardian.id + "' is missing or malformed");
    std::vector<SharePart> next_parts = *parts;
    const Scalar& delta = zero.shares[slot.index - 1].value;
    next_parts.push_back(
        {Scalar::from_u64(1), seal_scalar(delta, box_public_of(slot.guardian.sign_key))});
    out.push_back(
        sign_share(s, next, slot, next_parts, point_add(stored->public_value, base_mul(delta))));
  }
  return out;
}

// The reshare's new shares, from the first `threshold` current guardians among `keys`.
std::vector<StoredShare> reshare_shares(Vault::State& s, const EpochInfo& old, EpochInfo& next,
                                        const std::vector<const GuardianKey*>& keys) {
  std::vector<std::pair<std::uint32_t, Scalar>> held;  // (old index, old share)
  for (const GuardianKey* key : keys) {
    const auto slot =
        std::find_if(old.guardians.begin(), old.guardians.end(),
                     [&](const GuardianSlot& g) { return g.guardian.id == key->id(); });
    if (slot == old.guardians.end()) continue;  // a new guardian's key: used to verify later
    if (std::any_of(held.begin(), held.end(),
                    [&](const auto& h) { return h.first == slot->index; }))
      continue;
    Scalar value;
    const ShareCheck check = s.check_share(old, s.slot_of(old, *key), *key, &value);
    if (!check.ok) throw AccessDenied("guardian '" + key->id() + "': " + check.reason);
    held.emplace_back(slot->index, value);
    if (held.size() == old.threshold) break;
  }
  if (held.size() < old.threshold)
    throw AccessDenied("a change of guardians needs the keys of " + std::to_string(old.threshold) +
                       " current guardians; got " + std::to_string(held.size()));
  std::vector<std::uint32_t> indices;
  for (const auto& h : held) indices.push_back(h.first);
  const auto n = static_cast<std::uint32_t>(next.guardians.size());
  std::vector<Dealing> subs;
  std::vector<Scalar> lambdas;
  for (const auto& [index, value] : held) {
    subs.push_back(deal(value, next.threshold, n));
    if (subs.back().commitments[0] != s.store.share(old.epoch, index)->public_value)
      throw std::runtime_error("a sub-sharing does not start from its guardian's share");
    lambdas.push_back(lagrange_at_zero(index, indices));
  }
  next.commitments.assign(next.threshold, kIdentity);
  for (std::size_t i = 0; i < subs.size(); ++i)
    for (std::uint32_t k = 0; k < next.threshold; ++k)
      next.commitments[k] =
          point_add(next.commitments[k], point_mul(lambdas[i], subs[i].commitments[k]));
  std::vector<StoredShare> out;
  for (const GuardianSlot& slot : next.guardians) {
    std::vector<SharePart> parts;
    Point public_value = kIdentity;
    const BoxPublicKey to = box_public_of(slot.guardian.sign_key);
    for (std::size_t i = 0; i < subs.size(); ++i) {
      const Scalar& sub = subs[i].shares[slot.index - 1].value;
      parts.push_back({lambdas[i], seal_scalar(sub, to)});
      public_value = point_add(public_value, point_mul(lambdas[i], base_mul(sub)));
    }
    out.push_back(sign_share(s, next, slot, parts, public_value));
  }
  return out;
}

}  // namespace

RotationResult Vault::rotate(const std::vector<const GuardianKey*>& keys,
                             const std::optional<std::vector<GuardianPublic>>& new_guardians,
                             std::optional<std::uint32_t> new_threshold) {
  try {
    return run_rotation(keys, new_guardians, new_threshold);
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& e) {
    // Refusals are logged too; the old epoch is still the active one.
    state_->record("vault_rotate", {{"kind", new_guardians ? "reshare" : "refresh"},
                                    {"epoch", std::to_string(state_->current().epoch + 1)},
                                    {"nonce", "none"},
                                    {"guardians", json::array()},
                                    {"decision", std::string("refused: ") + e.what()}});
    throw;
  }
}

RotationResult Vault::run_rotation(const std::vector<const GuardianKey*>& keys,
                                   const std::optional<std::vector<GuardianPublic>>& new_guardians,
                                   std::optional<std::uint32_t> new_threshold) {
  State& s = *state_;
  const EpochInfo old = s.current();
  const bool reshare = new_guardians.has_value();
  EpochInfo next{
      old.epoch + 1, new_threshold.value_or(old.threshold), {}, {}, capability::Bytes(32)};
  capability::random_bytes(next.nonce);
  if (!reshare) {
    if (next.threshold != old.threshold)
      throw std::invalid_argument("a refresh keeps the threshold; change it with --guardians");
    next.guardians = old.guardians;
  } else {
    for (std::uint32_t i = 0; i < new_guardians->size(); ++i)
      next.guardians.push_back({(*new_guardians)[i], i + 1});
    if (next.threshold < 2 || next.threshold > next.guardians.size())
      throw std::invalid_argument("the new threshold must be at least 2 and at most the " +
                                  std::to_string(next.guardians.size()) + " new guardians");
  }
  RotationResult result{
      reshare ? "reshare" : "refresh", next.epoch, capability::to_hex(next.nonce), {}};
  auto log_step = [&](const std::string& decision) {
    s.record("vault_rotate", {{"kind", result.kind},
                              {"epoch", std::to_string(next.epoch)},
                              {"nonce", result.nonce},
                              {"guardians", ids_of(next)},
                              {"decision", decision}});
  };

  const std::vector<StoredShare> shares =
      reshare ? reshare_shares(s, old, next, keys) : refresh_shares(s, old, next);
  if (next.commitments.at(0) != old.commitments.at(0))
    throw std::runtime_error("the new commitments do not keep the secret; nothing changed");
  {
    auto tx = s.store.begin_write();
    s.store.drop_pending();  // an interrupted earlier ceremony is abandoned, never resumed
    s.store.insert_epoch(next, "pending", result.kind, next.nonce);
    tx.commit();
  }
  log_step("begun");
  stop_if(s, RotationStep::kBegun);
  for (const StoredShare& share : shares) {
    s.store.put_share(share);
    stop_if(s, RotationStep::kContributed);
  }

  // Verify every new share before the old epoch goes.
  const EpochInfo pending = *s.store.epoch(next.epoch);
  std::string failure;
  for (const GuardianSlot& slot : pending.guardians) {
    const auto stored = s.store.share(pending.epoch, slot.index);
    if (!stored || stored->public_value != expected_public(slot.index, pending.commitments))
      failure = "the new share of '" + slot.guardian.id + "' does not match the new commitments";
  }
  for (const GuardianKey* key : keys) {
    const auto slot =
        std::find_if(pending.guardians.begin(), pending.guardians.end(),
                     [&](const GuardianSlot& g) { return g.guardian.id == key->id(); });
    if (slot == pending.guardians.end() || !failure.empty()) continue;
    const ShareCheck check = s.check_share(pending, *slot, *key, nullptr);
    if (!check.ok)
      failure = "guardian '" + key->id() + "': " + check.reason;
    else
      result.verified_guardians.push_back(key->id());
  }
  if (!failure.empty())
    throw std::runtime_error("rotation stopped, the old epoch stays active: " + failure);
  stop_if(s, RotationStep::kFinished);
  {
    auto tx = s.store.begin_write();
    s.store.set_epoch_state(old.epoch, "retired");
    s.store.drop_shares(old.epoch);
    s.store.set_epoch_state(next.epoch, "active");
    s.store.set_active_epoch(next.epoch);
    tx.commit();
  }
  s.store.scrub();  // the retired shares leave the file too
  log_step("finished");
  return result;
}

}  // namespace westworld::vault
