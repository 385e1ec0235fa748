#include "runtime/chain.hpp"

#include "runtime/instance.hpp"

namespace ferry::runtime {

ChainOutcome run_chain(const std::vector<std::unique_ptr<ferry_instance>>& chain, ferry_message& m) {
  for (const auto& t : chain) {
    ferry_error err;
    ferry_status_t s = FERRY_ERROR;
    if (!call_plugin(*t, [&] { s = t->component->desc.transform(t->state, &m, &err); }))
      return {FERRY_RETRY, "engine is stopping", t->name};
    if (s == FERRY_OK) continue;
    if (s != FERRY_FILTERED) s = FERRY_ERROR;  // anything unexpected is a failure
    if (err.text.empty()) err.text = s == FERRY_FILTERED ? "filtered" : "transformer failed";
    return {s, err.text, t->name + " (" + t->component->type + ")"};
  }
  return {};
}

}  // namespace ferry::runtime
