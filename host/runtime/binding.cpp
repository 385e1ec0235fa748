#include "runtime/binding.hpp"

#include "config/schema.hpp"

namespace ferry::runtime {
namespace {

void bind(config::ComponentRef& ref, uint32_t kind, const config::Config& cfg,
          const loader::Registry& registry, config::Diagnostics& diag) {
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
}

}  // namespace

void bind_components(config::Config& cfg, const loader::Registry& registry, config::Diagnostics& diag) {
  for (auto& ch : cfg.channels) {
    bind(ch.source, FERRY_KIND_SOURCE, cfg, registry, diag);
    if (ch.source.schedule) bind(*ch.source.schedule, FERRY_KIND_SCHEDULER, cfg, registry, diag);
    for (auto& t : ch.transformers) bind(t, FERRY_KIND_TRANSFORMER, cfg, registry, diag);
    for (auto& d : ch.destinations) {
      bind(d.component, FERRY_KIND_DESTINATION, cfg, registry, diag);
      for (auto& t : d.transformers) bind(t, FERRY_KIND_TRANSFORMER, cfg, registry, diag);
    }
  }
}

}  // namespace ferry::runtime
