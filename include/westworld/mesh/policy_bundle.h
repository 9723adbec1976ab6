// A policy published to the mesh: the policy text with the very credentials a local
// `wwctl policy apply` carries (token, peer signatures, nonce, time). etcd is not trusted:
// a router applies a bundle only through its own trust gate, exactly as a local apply,
// after checking that the text compiles to the digest the bundle claims.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "westworld/control/messages.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/kv_store.h"

namespace westworld::mesh {

inline constexpr std::string_view kPolicyBundleFormat = "westworld/policy-bundle/v1";

struct PolicyBundle {
  std::string target;     // a router id, or "all"
  std::string digest;     // what the policy compiles to (64 hex, as `wwctl policy compile`)
  int64_t published = 0;  // Unix seconds, for people; the credentials carry the signed time
  std::string publisher;  // free text, for people (not trusted)
  control::ApplyRequest request;
};

// A stored bundle that is not one: the message says which field and why.
class BundleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string encode_bundle(const PolicyBundle& bundle);
// Strict: unknown fields, a wrong format, a missing field are BundleErrors.
PolicyBundle decode_bundle(std::string_view text);

// Writes the bundle under `policy/target/<bundle.target>` if that key has not changed
// since the caller read it at `seen` (0: it must not exist): two publishers racing
// cannot silently overwrite each other. Returns the new revision, or nullopt when the
// key changed meanwhile.
std::optional<Revision> publish_bundle(KvStore& store, const MeshKeys& keys,
                                       const PolicyBundle& bundle, Revision seen);

}  // namespace westworld::mesh
