/* One source, compiled once per loader failure the tests provoke:
 *   BROKEN_NO_ENTRY      exports no entry symbol (not a Ferry plugin)
 *   BROKEN_MAJOR         claims ABI major 2
 *   BROKEN_MINOR         claims a minor newer than the host's
 *   BROKEN_DUPLICATE     declares the same component type twice
 *   BROKEN_INIT          init() fails with a message
 *   BROKEN_REFUSE        the entry point returns NULL
 * PLUGIN_NAME is the plugin (and file) name. */
#include <ferry/plugin.h>
#include <string.h>

#define STR2(x) #x
#define STR(x) STR2(x)

static ferry_status_t create(const ferry_host_api_t *host, ferry_instance_t *self, const ferry_config_t *config,
                             void **out_state, ferry_error_t *error) {
  (void)host; (void)self; (void)config; (void)error;
  *out_state = NULL;
  return FERRY_OK;
}
static ferry_status_t start(void *state, ferry_error_t *error) { (void)state; (void)error; return FERRY_OK; }
static void stop(void *state) { (void)state; }
static void destroy(void *state) { (void)state; }
static ferry_status_t transform(void *state, ferry_message_t *m, ferry_error_t *error) {
  (void)state; (void)m; (void)error;
  return FERRY_OK;
}

static const ferry_component_t component = {
    sizeof(ferry_component_t), FERRY_KIND_TRANSFORMER, 0, 0, STR(PLUGIN_NAME) ".thing", "1.0.0", "does nothing",
    NULL, create, start, stop, destroy, NULL, transform, NULL, NULL};

#ifdef BROKEN_DUPLICATE
static const ferry_component_t *const components[] = {&component, &component};
#else
static const ferry_component_t *const components[] = {&component};
#endif

#ifdef BROKEN_INIT
static ferry_status_t init(const ferry_host_api_t *host, ferry_error_t *error) {
  static const char text[] = "license file /etc/ferry/broken.lic is missing";
  host->error_set(error, text, strlen(text));
  return FERRY_ERROR;
}
#else
#define init NULL
#endif

#ifdef BROKEN_MAJOR
#define MAJOR 2
#else
#define MAJOR FERRY_ABI_MAJOR
#endif
#ifdef BROKEN_MINOR
#define MINOR (FERRY_ABI_MINOR + 7)
#else
#define MINOR FERRY_ABI_MINOR
#endif

static const ferry_plugin_t plugin = {sizeof(ferry_plugin_t),
                                      MAJOR,
                                      MINOR,
                                      (uint32_t)(sizeof(components) / sizeof(components[0])),
                                      STR(PLUGIN_NAME),
                                      "0.0.1",
                                      "deliberately broken test plugin",
                                      components,
                                      init,
                                      NULL};

#ifdef BROKEN_NO_ENTRY
FERRY_EXPORT const ferry_plugin_t *not_the_entry(void);
FERRY_EXPORT const ferry_plugin_t *not_the_entry(void) { return &plugin; }
#else
FERRY_PLUGIN_ENTRY {
  (void)host_abi_major;
  (void)host_abi_minor;
#ifdef BROKEN_REFUSE
  return host_abi_major == 0 ? &plugin : NULL; /* always NULL: refuses every real host */
#else
  return &plugin;
#endif
}
#endif
