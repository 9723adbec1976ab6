#include "westworld/mesh/policy_bundle.h"

#include <nlohmann/json.hpp>
#include <set>

#include "westworld/control/codec.h"

namespace westworld::mesh {

using nlohmann::json;

std::string encode_bundle(const PolicyBundle& bundle) {
  // The apply request is serialized by the control protocol's codec (one serializer for
  // credentials); the bundle embeds it as an object.
  json request = json::parse(control::encode_request(bundle.request));
  return json{{"format", kPolicyBundleFormat}, {"target", bundle.target},
              {"digest", bundle.digest},       {"published", bundle.published},
              {"publisher", bundle.publisher}, {"request", std::move(request)}}
      .dump();
}

PolicyBundle decode_bundle(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw BundleError("not a JSON object");
  for (const auto& [name, value] : doc.items()) {
    static const std::set<std::string> known = {"format",    "target",    "digest",
                                                "published", "publisher", "request"};
    if (!known.contains(name)) throw BundleError("unknown field '" + name + "'");
  }
  auto text_field = [&](const char* name) {
    auto it = doc.find(name);
    if (it == doc.end() || !it->is_string())
      throw BundleError(std::string("field '") + name + "' must be a string");
    return it->get<std::string>();
  };
  if (text_field("format") != kPolicyBundleFormat)
    throw BundleError("format must be '" + std::string(kPolicyBundleFormat) + "'");
  PolicyBundle bundle;
  bundle.target = text_field("target");
  bundle.digest = text_field("digest");
  bundle.publisher = text_field("publisher");
  auto published = doc.find("published");
  if (published == doc.end() || !published->is_number_integer())
    throw BundleError("field 'published' must be an integer");
  bundle.published = published->get<int64_t>();
  if (bundle.digest.size() != 64 ||
      bundle.digest.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw BundleError("field 'digest' must be 64 lowercase hex digits");
  auto request = doc.find("request");
  if (request == doc.end() || !request->is_object())
    throw BundleError("field 'request' must be an apply request object");
  try {
    control::AnyRequest any = control::decode_request(request->dump());
    auto* apply = std::get_if<control::ApplyRequest>(&any);
    if (apply == nullptr) throw BundleError("field 'request' is not an apply request");
    bundle.request = std::move(*apply);
  } catch (const control::DecodeError& e) {
    throw BundleError("field 'request': " + e.error().message);
  }
  return bundle;
}

std::optional<Revision> publish_bundle(KvStore& store, const MeshKeys& keys,
                                       const PolicyBundle& bundle, Revision seen) {
  if (bundle.target != kAllRouters) check_mesh_name(bundle.target, "target router id");
  const std::string key = keys.target(bundle.target);
  const Compare unchanged = seen == 0 ? Compare::absent(key) : Compare::unchanged_since(key, seen);
  const TxnReply reply = store.txn(Txn{{unchanged}, {Put{key, encode_bundle(bundle)}}});
  if (!reply.succeeded) return std::nullopt;
  return reply.revision;
}

}  // namespace westworld::mesh
