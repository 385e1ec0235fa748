#include "dryrun/dry_run.hpp"

#include "runtime/chain.hpp"
#include "runtime/engine.hpp"
#include "runtime/instance.hpp"

namespace ferry::dryrun {

namespace {

Snapshot snapshot(const ferry_message& m) { return {m.content, m.content_type, m.meta}; }

}  // namespace

DryRun::DryRun(const config::Config& config, const loader::Registry& registry, const config::ChannelSpec& channel)
    : registry_(registry), channel_(channel), engine_(std::make_unique<runtime::Engine>(config, registry)) {
  work_.emplace(engine_->io().get_executor());
  io_thread_ = std::thread([this] { engine_->io().run(); });
}

DryRun::~DryRun() {
  // destroy_instance stops first: timers cancelled, activity drained.
  for (auto& step : channel_steps_) runtime::destroy_instance(*step.front());
  for (auto& steps : destination_steps_)
    for (auto& step : steps) runtime::destroy_instance(*step.front());
  work_.reset();
  engine_->io().stop();
  io_thread_.join();
}

DryRun::Chain DryRun::make_step(const config::ComponentRef& ref, std::string name) {
  auto inst = std::make_unique<ferry_instance>();
  inst->engine = engine_.get();
  inst->channel_id = channel_.id;
  inst->name = std::move(name);
  inst->component = registry_.find(ref.type);
  Chain chain;
  chain.push_back(std::move(inst));
  return chain;
}

bool DryRun::start(std::vector<std::string>& errors) {
  // The runtime's instance names, so reasons read exactly as in the store.
  std::vector<std::pair<ferry_instance*, const config::ComponentRef*>> all;
  for (size_t i = 0; i < channel_.transformers.size(); ++i) {
    channel_steps_.push_back(make_step(channel_.transformers[i], "transformer " + std::to_string(i)));
    all.emplace_back(channel_steps_.back().front().get(), &channel_.transformers[i]);
  }
  for (const auto& d : channel_.destinations) {
    auto& steps = destination_steps_.emplace_back();
    for (size_t t = 0; t < d.transformers.size(); ++t) {
      steps.push_back(make_step(d.transformers[t], "destination " + d.id + " transformer " + std::to_string(t)));
      all.emplace_back(steps.back().front().get(), &d.transformers[t]);
    }
  }
  std::string error;
  for (auto& [inst, ref] : all) {
    if (inst->component == nullptr) {
      errors.push_back(ref->path + ": unknown component type " + ref->type);
      return false;
    }
    if (!runtime::create_instance(*inst, *ref, error)) {
      errors.push_back(error);
      return false;
    }
  }
  for (auto& [inst, ref] : all)
    if (!runtime::start_instance(*inst, error)) {
      errors.push_back(error);
      return false;
    }
  return true;
}

Outcome DryRun::run_steps(const std::vector<Chain>& steps, ferry_message& m, std::vector<Step>& out) {
  for (const auto& step : steps) {
    const runtime::ChainOutcome o = runtime::run_chain(step, m);
    const ferry_instance& inst = *step.front();
    // RETRY only means "instance closing", which cannot happen while we run.
    const ferry_status_t status = o.status == FERRY_RETRY ? FERRY_ERROR : o.status;
    out.push_back({inst.name, inst.component->type, status, o.reason, snapshot(m)});
    if (status != FERRY_OK) return {status, o.step + ": " + o.reason};
  }
  return {};
}

Trace DryRun::run(const Snapshot& input) {
  Trace trace;
  trace.input = input;
  runtime::MessageRef m(new ferry_message());
  m->content = input.content;
  m->content_type = input.content_type;
  m->meta = input.meta;
  m->id = kMessageId;
  trace.channel = run_steps(channel_steps_, *m, trace.channel_steps);
  for (size_t i = 0; i < channel_.destinations.size(); ++i) {
    DestinationTrace d;
    d.id = channel_.destinations[i].id;
    d.type = channel_.destinations[i].component.type;
    d.reached = trace.channel.status == FERRY_OK;
    if (d.reached) {
      // As in the runtime, each destination's transformers work on their own copy.
      runtime::MessageRef work = runtime::clone_message(*m);
      d.outcome = run_steps(destination_steps_[i], *work, d.steps);
      if (d.outcome.status == FERRY_OK) d.received = snapshot(*work);
    }
    trace.destinations.push_back(std::move(d));
  }
  return trace;
}

}  // namespace ferry::dryrun
