#include "runtime/binding.hpp"

#include <functional>
#include <map>

#include "config/schema.hpp"

namespace ferry::runtime {
namespace {

// channel -> channels its components' channel_ref keys name, with the path.
struct ChannelEdge {
  std::string from, to, path;
};

void collect_refs(const config::ComponentRef& ref, const loader::Component& c, const std::string& channel,
                  const config::Config& cfg, std::vector<ChannelEdge>& edges, config::Diagnostics& diag) {
  for (const auto& k : c.keys) {
    if (!k.channel_ref) continue;
    auto it = ref.config.find(k.name);
    if (it == ref.config.end()) continue;
    std::vector<std::pair<std::string, std::string>> names;  // name, path
    const std::string key_path = config::child_path(config::child_path(ref.path, "config"), k.name);
    if (it->is_string()) names.emplace_back(it->get<std::string>(), key_path);
    if (it->is_array())
      for (size_t i = 0; i < it->size(); ++i)
        if ((*it)[i].is_string()) names.emplace_back((*it)[i].get<std::string>(), config::child_path(key_path, i));
    bool referrer_enabled = false;
    for (const auto& ch : cfg.channels) referrer_enabled = referrer_enabled || (ch.id == channel && ch.enabled);
    for (const auto& [name, path] : names) {
      const config::ChannelSpec* target = nullptr;
      for (const auto& ch : cfg.channels)
        if (ch.id == name) target = &ch;
      if (target == nullptr) {
        diag.add(path, "no channel \"" + name + "\" in this config");
      } else if (referrer_enabled && !target->enabled) {
        diag.add(path, "channel \"" + name + "\" is disabled: messages sent to it would wait for ever");
      } else {
        edges.push_back({channel, name, path});
      }
    }
  }
}

// A loop of channels would pass a message round for ever.
void check_loops(const std::vector<ChannelEdge>& edges, config::Diagnostics& diag) {
  std::map<std::string, std::vector<const ChannelEdge*>> out;
  for (const auto& e : edges) out[e.from].push_back(&e);
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::vector<const ChannelEdge*> path;
  std::function<bool(const std::string&)> visit = [&](const std::string& node) {
    state[node] = 1;
    for (const ChannelEdge* e : out[node]) {
      path.push_back(e);
      if (state[e->to] == 1) {
        std::string loop = e->to;
        size_t start = 0;
        for (size_t i = 0; i < path.size(); ++i)
          if (path[i]->from == e->to) start = i;
        for (size_t i = start; i < path.size(); ++i) loop += " -> " + path[i]->to;
        diag.add(e->path, "channels form a loop: " + loop);
        return true;
      }
      if (state[e->to] == 0 && visit(e->to)) return true;
      path.pop_back();
    }
    state[node] = 2;
    return false;
  };
  for (const auto& [node, unused] : out)
    if (state[node] == 0 && visit(node)) return;  // one loop report is enough to act on
}

void bind_component(config::ComponentRef& ref, uint32_t kind, const config::Config& cfg,
          const loader::Registry& registry, config::Diagnostics& diag, const std::string& channel,
          std::vector<ChannelEdge>& edges) {
  if (ref.type.empty()) return;  // already reported as missing
  const std::string type_path = config::child_path(ref.path, "type");
  const loader::Component* c = registry.find(ref.type);
  if (c == nullptr) {
    const std::string plugin = ref.type.substr(0, ref.type.find('.'));
    bool enabled = false;
    for (const auto& p : cfg.plugins) enabled = enabled || p == plugin;
    std::string known;
    for (const auto& t : registry.types())
      if (registry.find(t)->kind == kind) known += (known.empty() ? "" : ", ") + t;
    std::string hint = enabled || plugin.empty()
                           ? ""
                           : " (plugin '" + plugin + "' is not enabled: add it to /plugins)";
    diag.add(type_path, "unknown " + std::string(loader::kind_name(kind)) + " type '" + ref.type + "'" +
                            hint + "; enabled plugins provide: " + (known.empty() ? "none" : known));
    return;
  }
  if (c->kind != kind) {
    diag.add(type_path, "'" + ref.type + "' is a " + std::string(loader::kind_name(c->kind)) + ", but a " +
                            std::string(loader::kind_name(kind)) + " is needed here");
    return;
  }
  config::validate_object(ref.config, c->keys, config::child_path(ref.path, "config"), diag);
  collect_refs(ref, *c, channel, cfg, edges, diag);
}

}  // namespace

void bind_components(config::Config& cfg, const loader::Registry& registry, config::Diagnostics& diag) {
  std::vector<ChannelEdge> edges;
  for (auto& ch : cfg.channels) {
    auto bind_one = [&](config::ComponentRef& ref, uint32_t kind) { bind_component(ref, kind, cfg, registry, diag, ch.id, edges); };
    bind_one(ch.source, FERRY_KIND_SOURCE);
    if (ch.source.schedule) bind_one(*ch.source.schedule, FERRY_KIND_SCHEDULER);
    for (auto& t : ch.transformers) bind_one(t, FERRY_KIND_TRANSFORMER);
    for (auto& d : ch.destinations) {
      bind_one(d.component, FERRY_KIND_DESTINATION);
      for (auto& t : d.transformers) bind_one(t, FERRY_KIND_TRANSFORMER);
    }
  }
  check_loops(edges, diag);
}

}  // namespace ferry::runtime
