// What a dry run saw: the message after every transformer, each decision,
// and what every destination would have been handed.
#pragma once

#include <ferry/plugin.h>

#include <string>
#include <utility>
#include <vector>

namespace ferry::dryrun {

// One state of the message: what a transformer or destination sees.
struct Snapshot {
  std::string content;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> meta;  // insertion order, as the runtime keeps it
};

struct Step {
  std::string name;  // the runtime's instance name: "transformer 0", "destination out transformer 1"
  std::string type;  // component type, e.g. "hl7.transform"
  ferry_status_t status = FERRY_OK;  // OK, FILTERED or ERROR
  std::string reason;                // filter reason or error text, as the transformer gave it
  Snapshot after;                    // the message when the step returned
};

// How a chain ended. `text` is what the runtime stores as the message's (or
// delivery's) error: "<step> (<type>): <reason>".
struct Outcome {
  ferry_status_t status = FERRY_OK;
  std::string text;
};

struct DestinationTrace {
  std::string id;
  std::string type;          // the destination component, never created
  bool reached = false;      // false when the channel transformers stopped the message
  std::vector<Step> steps;   // its own transformers, on its own copy
  Outcome outcome;
  Snapshot received;         // what send() would get (valid when reached and outcome is OK)
};

struct Trace {
  Snapshot input;
  std::vector<Step> channel_steps;
  Outcome channel;
  std::vector<DestinationTrace> destinations;  // config order
};

}  // namespace ferry::dryrun
