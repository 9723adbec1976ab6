#include "westworld/mesh/router_record.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace westworld::mesh {

using nlohmann::json;

namespace {

template <typename T>
void read_field(const json& doc, const char* name, T& out) {
  auto it = doc.find(name);
  if (it == doc.end()) return;
  try {
    out = it->get<T>();
  } catch (const json::exception&) {
    throw std::runtime_error(std::string("router record: field '") + name + "' has the wrong type");
  }
}

}  // namespace

std::string encode_router_record(const RouterRecord& r) {
  json doc{{"format", kRouterRecordFormat},
           {"id", r.id},
           {"address", r.address},
           {"version", r.version},
           {"started", r.started},
           {"heartbeat", r.heartbeat},
           {"report_interval_ms", r.report_interval_ms},
           {"applied_digest", r.applied_digest},
           {"generation", r.generation},
           {"xdp_mode", r.xdp_mode},
           {"drops", r.drops},
           {"quarantines", r.quarantines},
           {"alerts", r.alerts},
           {"insecure_open_mesh", r.insecure_open_mesh},
           {"refusals", r.refusals}};
  json links = json::array();
  for (const RouterLink& link : r.links)
    links.push_back({{"iface", link.iface}, {"cidr", link.cidr}, {"mtu", link.mtu}});
  doc["links"] = std::move(links);
  if (r.last_refusal)
    doc["last_refusal"] = {{"key", r.last_refusal->key},
                           {"revision", r.last_refusal->revision},
                           {"reason", r.last_refusal->reason},
                           {"at", r.last_refusal->at}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

RouterRecord decode_router_record(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw std::runtime_error("router record: not a JSON object");
  std::string format;
  read_field(doc, "format", format);
  if (format != kRouterRecordFormat)
    throw std::runtime_error("router record: format is not '" + std::string(kRouterRecordFormat) +
                             "'");
  RouterRecord r;
  read_field(doc, "id", r.id);
  if (r.id.empty()) throw std::runtime_error("router record: no id");
  read_field(doc, "address", r.address);
  read_field(doc, "version", r.version);
  read_field(doc, "started", r.started);
  read_field(doc, "heartbeat", r.heartbeat);
  read_field(doc, "report_interval_ms", r.report_interval_ms);
  read_field(doc, "applied_digest", r.applied_digest);
  read_field(doc, "generation", r.generation);
  read_field(doc, "xdp_mode", r.xdp_mode);
  read_field(doc, "drops", r.drops);
  read_field(doc, "quarantines", r.quarantines);
  read_field(doc, "alerts", r.alerts);
  read_field(doc, "insecure_open_mesh", r.insecure_open_mesh);
  read_field(doc, "refusals", r.refusals);
  if (auto it = doc.find("last_refusal"); it != doc.end() && it->is_object()) {
    Refusal refusal;
    read_field(*it, "key", refusal.key);
    read_field(*it, "revision", refusal.revision);
    read_field(*it, "reason", refusal.reason);
    read_field(*it, "at", refusal.at);
    r.last_refusal = std::move(refusal);
  }
  if (auto it = doc.find("links"); it != doc.end()) {
    if (!it->is_array()) throw std::runtime_error("router record: field 'links' is not a list");
    for (const json& item : *it) {
      if (!item.is_object()) throw std::runtime_error("router record: a link is not an object");
      RouterLink link;
      read_field(item, "iface", link.iface);
      read_field(item, "cidr", link.cidr);
      read_field(item, "mtu", link.mtu);
      r.links.push_back(std::move(link));
    }
  }
  return r;
}

}  // namespace westworld::mesh
