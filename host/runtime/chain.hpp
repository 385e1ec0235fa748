// Running a message through an ordered list of transformer instances.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/objects.hpp"

namespace ferry::runtime {

struct ChainOutcome {
  ferry_status_t status = FERRY_OK;  // OK, FILTERED, ERROR, or RETRY (closing)
  std::string reason;                // filter reason or error text
  std::string step;                  // the transformer that decided
};

ChainOutcome run_chain(const std::vector<std::unique_ptr<ferry_instance>>& chain, ferry_message& m);

}  // namespace ferry::runtime
