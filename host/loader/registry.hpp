// The plugins enabled in config, and the component types they provide.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/diagnostics.hpp"
#include "loader/plugin.hpp"

namespace ferry::loader {

class Registry {
 public:
  // Load exactly the named plugins from the first folder holding <name>.so,
  // check them and call their init(). Errors go to diag under /plugins/<i>.
  void load(const std::vector<std::string>& names,
            const std::vector<std::filesystem::path>& dirs, const ferry_host_api_t* host,
            config::Diagnostics& diag);

  const Component* find(std::string_view type) const;
  std::vector<std::string> types() const;
  const std::vector<std::unique_ptr<Plugin>>& plugins() const { return plugins_; }

  // Call each initialized plugin's shutdown() once.
  void shutdown();

 private:
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::map<std::string, const Component*, std::less<>> by_type_;
};

}  // namespace ferry::loader
