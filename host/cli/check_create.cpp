#include "cli/check_create.hpp"

#include <memory>

#include "runtime/engine.hpp"
#include "runtime/instance.hpp"

namespace ferry::cli {

std::vector<std::string> create_every_component(const config::Config& config, const loader::Registry& registry) {
  // Never started: it only gives instances the engine they point to. A
  // component that starts timers or threads in create() gets them stopped
  // again by destroy.
  runtime::Engine engine(config, registry);
  std::vector<std::string> errors;
  auto try_create = [&](const config::ChannelSpec& channel, const config::ComponentRef& ref, std::string name) {
    ferry_instance inst;
    inst.engine = &engine;
    inst.channel_id = channel.id;
    inst.name = std::move(name);
    inst.component = registry.find(ref.type);
    if (inst.component == nullptr) return;  // already reported by the first stage
    std::string error;
    if (!runtime::create_instance(inst, ref, error)) errors.push_back(error);
    runtime::destroy_instance(inst);
  };
  for (const auto& ch : config.channels) {
    if (!ch.enabled) continue;
    try_create(ch, ch.source, "source");
    if (ch.source.schedule) try_create(ch, *ch.source.schedule, "schedule");
    for (size_t i = 0; i < ch.transformers.size(); ++i)
      try_create(ch, ch.transformers[i], "transformer " + std::to_string(i));
    for (const auto& d : ch.destinations) {
      try_create(ch, d.component, "destination " + d.id);
      for (size_t t = 0; t < d.transformers.size(); ++t)
        try_create(ch, d.transformers[t], "destination " + d.id + " transformer " + std::to_string(t));
    }
  }
  return errors;
}

}  // namespace ferry::cli
