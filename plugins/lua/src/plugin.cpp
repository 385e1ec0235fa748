// The `lua` plugin: lua.transform, a sandboxed Lua 5.4 transformer.
#include <ferry/plugin.hpp>

#include "transform.hpp"

FERRY_PLUGIN("lua", "1.0.0", "Sandboxed Lua 5.4 scripts as transformers",
             ferry::component<ferry::lua::Transform>());
