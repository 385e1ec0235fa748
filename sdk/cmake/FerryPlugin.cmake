# ferry_add_plugin(<name> SOURCES <files...> [OUTPUT_DIRECTORY <dir>])
#
# Builds <name>.so, a Ferry plugin: a MODULE library with no "lib" prefix,
# hidden symbols (only ferry_plugin_entry is exported), linked against the
# SDK headers. Shipped with the SDK so out-of-tree plugins use it too.
function(ferry_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED FERRY_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${FERRY_PLUGIN_OUTPUT_DIR})
  endif()
  target_link_libraries(${name} PRIVATE Ferry::sdk)
  # A plugin must resolve every symbol at link time, as the host loads with RTLD_NOW.
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
endfunction()
