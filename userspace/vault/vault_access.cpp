// Requests, approvals, votes and unsealing.
//
// Why an approval for request A cannot open request B: every request gets its own X25519
// key pair; a guardian releases its share sealed to that request's public key and signs
// (request id, item, request key, epoch, index, sealed box). Unsealing B opens only B's
// releases with B's secret; a release copied from A does not open under B's key, and its
// signature names A. The request's secret is deleted when the request is used, refused
// or found expired, so releases nobody used can never be opened later.
#include <sodium.h>

#include <algorithm>

#include "vault_state.h"
#include "westworld/capability/clock.h"
#include "westworld/vault/feldman.h"
#include "westworld/vault/item_cipher.h"
#include "westworld/vault/item_key.h"
#include "westworld/vault/share_box.h"

namespace westworld::vault {
namespace {

using nlohmann::json;

std::string at(capability::UnixSeconds t) { return capability::format_rfc3339_utc(t); }

}  // namespace

const GuardianSlot& Vault::State::slot_of(const EpochInfo& epoch, const GuardianKey& key) const {
  const auto slot = std::find_if(epoch.guardians.begin(), epoch.guardians.end(),
                                 [&](const GuardianSlot& g) { return g.guardian.id == key.id(); });
  if (slot == epoch.guardians.end())
    throw AccessDenied("'" + key.id() + "' is not a guardian of epoch " +
                       std::to_string(epoch.epoch));
  if (slot->guardian.sign_key != key.public_info().sign_key)
    throw AccessDenied("the key of '" + key.id() + "' is not the key the guardians file lists");
  return *slot;
}

ShareCheck Vault::State::check_share(const EpochInfo& epoch, const GuardianSlot& slot,
                                     const GuardianKey& key, Scalar* opened) {
  ShareCheck check{slot.guardian.id, slot.index, epoch.epoch, false, "", {}};
  const auto stored = store.share(epoch.epoch, slot.index);
  if (!stored) {
    check.reason = "no share stored for this guardian";
    return check;
  }
  check.public_value = stored->public_value;
  // The vault's key vouches for where the share belongs: this epoch, index and guardian.
  if (!capability::ed25519_verify(share_statement(epoch.epoch, slot.index, slot.guardian.id,
                                                  epoch_digest(epoch, epoch.nonce), stored->parts),
                                  stored->signature, dealer.public_key())) {
    check.reason = "the stored share is not signed by this vault's key for this guardian";
    return check;
  }
  const auto parts = decode_parts(stored->parts);
  if (!parts) {
    check.reason = "the stored share is malformed";
    return check;
  }
  const auto value = open_parts(*parts, key);
  if (!value) {
    check.reason = "the share does not open with this key";
    return check;
  }
  const Share share{slot.index, *value};
  if (!verify_share(share, epoch.commitments)) {
    check.reason = "the share does not match the public commitments";
    return check;
  }
  if (base_mul(*value) != stored->public_value) {
    check.reason = "the share's published check value is wrong";
    return check;
  }
  check.ok = true;
  check.reason = "share matches the commitments of epoch " + std::to_string(epoch.epoch);
  if (opened) *opened = *value;
  return check;
}

std::string Vault::request(const std::string& item, bool emergency) {
  if (!state_->store.item(item)) throw std::runtime_error("no item '" + item + "'");
  RequestRecord r;
  r.id = random_id("rq-");
  r.item = item;
  r.emergency = emergency;
  r.created = state_->now();
  r.expires =
      r.created + (emergency ? std::chrono::duration_cast<std::chrono::seconds>(kEmergencyWindow)
                             : std::chrono::duration_cast<std::chrono::seconds>(kStandardWindow));
  SecretBuffer secret(crypto_box_SECRETKEYBYTES);
  crypto_box_keypair(r.box_public.data(), secret.data());
  state_->store.insert_request(r, secret);
  state_->record(
      "vault_request",
      {{"request", r.id}, {"item", item}, {"mode", emergency ? "emergency" : "standard"}});
  return r.id;
}

std::optional<RequestRecord> Vault::find_request(const std::string& id) const {
  return state_->store.request(id);
}

namespace {

// The request, if it may still collect approvals and votes; closes it when it has expired.
RequestRecord open_request(Vault::State& s, const std::string& id) {
  const auto r = s.store.request(id);
  if (!r) throw AccessDenied("no request '" + id + "'");
  if (r->state == RequestState::kUsed) throw AccessDenied("request " + id + " was already used");
  if (s.now() > r->expires) {
    if (r->state == RequestState::kOpen) {
      s.store.close_request(id, RequestState::kClosed);
      s.store.checkpoint();
    }
    throw AccessDenied("request " + id + " expired at " + at(r->expires));
  }
  if (r->state == RequestState::kClosed) throw AccessDenied("request " + id + " is closed");
  return *r;
}

}  // namespace

ShareCheck Vault::approve(const std::string& request, const GuardianKey& key) {
  try {
    const RequestRecord r = open_request(*state_, request);
    const EpochInfo epoch = state_->current();
    const GuardianSlot& slot = state_->slot_of(epoch, key);
    Scalar share;
    ShareCheck check = state_->check_share(epoch, slot, key, &share);
    if (!check.ok) throw AccessDenied("guardian '" + key.id() + "': " + check.reason);
    ReleaseRecord release{r.id, key.id(), epoch.epoch, slot.index, seal_scalar(share, r.box_public),
                          {}};
    release.signature = key.sign(release_statement(r.id, r.item, r.box_public, epoch.epoch,
                                                   slot.index, key.id(), release.sealed));
    state_->store.put_release(release);
    state_->record("vault_approve", {{"request", request},
                                     {"guardian", key.id()},
                                     {"decision", "share released for this request"}});
    return check;
  } catch (const AccessDenied& e) {
    state_->record("vault_approve", {{"request", request},
                                     {"guardian", key.id()},
                                     {"decision", std::string("refused: ") + e.what()}});
    throw;
  }
}

void Vault::vote(const std::string& request, const GuardianKey& key, bool yes) {
  try {
    const RequestRecord r = open_request(*state_, request);
    const EpochInfo epoch = state_->current();
    (void)state_->slot_of(epoch, key);
    VoteRecord v{r.id, key.id(), yes, {}, state_->now()};
    v.signature = key.sign(vote_statement(r.id, r.item, r.emergency, yes, key.id()));
    state_->store.put_vote(v);
    state_->record("vault_vote",
                   {{"request", request}, {"guardian", key.id()}, {"vote", yes ? "yes" : "no"}});
  } catch (const AccessDenied& e) {
    state_->record("vault_vote", {{"request", request},
                                  {"guardian", key.id()},
                                  {"vote", std::string("refused: ") + e.what()}});
    throw;
  }
}

ShareCheck Vault::verify_guardian(const GuardianKey& key) const {
  const EpochInfo epoch = state_->current();
  return state_->check_share(epoch, state_->slot_of(epoch, key), key, nullptr);
}

namespace {

// Opens and checks every release of `r`; the good ones in `valid`, the bad ones named.
void check_releases(Vault::State& s, const RequestRecord& r, const EpochInfo& epoch,
                    std::vector<Share>& valid, Unsealed& out) {
  const auto secret = s.store.request_secret(r.id);
  if (!secret) throw AccessDenied("request " + r.id + " has no key any more");
  for (const ReleaseRecord& rel : s.store.releases(r.id)) {
    ShareCheck check{rel.guardian, rel.index, rel.epoch, false, "", {}};
    const auto slot =
        std::find_if(epoch.guardians.begin(), epoch.guardians.end(),
                     [&](const GuardianSlot& g) { return g.guardian.id == rel.guardian; });
    std::optional<Scalar> value;
    if (rel.epoch != epoch.epoch)
      check.reason = "released under epoch " + std::to_string(rel.epoch) +
                     "; the vault is at epoch " + std::to_string(epoch.epoch);
    else if (slot == epoch.guardians.end() || slot->index != rel.index)
      check.reason = "not a guardian of this epoch at index " + std::to_string(rel.index);
    else if (!capability::ed25519_verify(release_statement(r.id, r.item, r.box_public, rel.epoch,
                                                           rel.index, rel.guardian, rel.sealed),
                                         rel.signature, slot->guardian.sign_key))
      check.reason = "the release is not signed by this guardian for this request";
    else if (!(value = open_scalar(rel.sealed, r.box_public, secret->view())))
      check.reason = "the release does not open with this request's key";
    else if (!verify_share({rel.index, *value}, epoch.commitments))
      check.reason = "the share does not match the public commitments";
    if (check.reason.empty() && value) {
      check.ok = true;
      check.public_value = base_mul(*value);
      valid.push_back({rel.index, *value});
    } else {
      out.rejected.push_back(check);
    }
  }
}

std::string rejected_text(const std::vector<ShareCheck>& rejected) {
  std::string text;
  for (const ShareCheck& c : rejected)
    text += "; bad share from guardian '" + c.guardian + "' (index " + std::to_string(c.index) +
            "): " + c.reason;
  return text;
}

}  // namespace

Unsealed Vault::get(const std::string& item, const std::string& request) {
  try {
    const RequestRecord r = open_request(*state_, request);
    if (r.item != item)
      throw AccessDenied("request " + request + " is for item " + r.item + ", not " + item);
    const auto stored = state_->store.item(item);
    if (!stored) throw AccessDenied("no item '" + item + "' (erased?)");
    const EpochInfo epoch = state_->current();
    const auto votes = state_->store.votes(request);
    const Decision decision =
        state_->decisions->decide({r, stored->summary.type, epoch, votes, state_->now()});
    if (!decision.passed) throw AccessDenied(decision.reason);

    Unsealed out{SecretBuffer(0), {}, {}, {}};
    std::vector<Share> valid;
    check_releases(*state_, r, epoch, valid, out);
    if (valid.size() < epoch.threshold)
      throw AccessDenied(std::to_string(valid.size()) + " valid share(s) released for request " +
                         request + ", " + std::to_string(epoch.threshold) + " needed" +
                         rejected_text(out.rejected));
    valid.resize(epoch.threshold);
    const Scalar secret = interpolate_at_zero(valid);
    if (base_mul(secret) != epoch.commitments.at(0))
      throw AccessDenied("the shares do not rebuild the committed secret");
    const auto binding = item_binding(item, stored->summary.version);
    const SecretBuffer wrapping =
        wrapping_key_for_unseal(secret, stored->ephemeral, epoch.commitments.at(0), item);
    const SecretBuffer data_key = decrypt_record(wrapping, stored->wrapped_key, binding);
    out.plaintext = decrypt_blob(data_key, stored->ciphertext, binding);
    for (const Share& s : valid)
      for (const GuardianSlot& g : epoch.guardians)
        if (g.index == s.index) out.used_guardians.push_back(g.guardian.id);
    out.since_request = std::chrono::duration_cast<std::chrono::seconds>(state_->now() - r.created);
    // Logged before the request is closed and the plaintext handed out: no unlogged access.
    state_->record(
        "vault_access",
        {{"request", request},
         {"item", item},
         {"decision", "granted"},
         {"reason", decision.reason + ", " + std::to_string(valid.size()) + " valid shares after " +
                        std::to_string(out.since_request.count()) + " s" +
                        rejected_text(out.rejected)}});
    state_->store.close_request(request, RequestState::kUsed);
    state_->store.checkpoint();  // the request's key and releases leave the WAL too
    return out;
  } catch (const std::exception& e) {
    state_->record("vault_access", {{"request", request},
                                    {"item", item},
                                    {"decision", "refused"},
                                    {"reason", std::string(e.what())}});
    if (dynamic_cast<const AccessDenied*>(&e)) throw;
    throw AccessDenied(e.what());
  }
}

}  // namespace westworld::vault
