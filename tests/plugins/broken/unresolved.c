/* Calls a function that no library provides. Built without --no-undefined,
 * so only the host's RTLD_NOW load catches it. */
#include <ferry/plugin.h>

extern int ferry_test_symbol_that_does_not_exist(void);

FERRY_PLUGIN_ENTRY {
  (void)host_abi_major;
  (void)host_abi_minor;
  return ferry_test_symbol_that_does_not_exist() ? NULL : NULL;
}
