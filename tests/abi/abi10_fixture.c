/* Built against the frozen ABI 1.0 header (tests/abi/v1_0), never the
 * current one: the current host must keep loading and running it. */
#include <ferry/plugin.h>
#include <string.h>

static const ferry_host_api_t *host;

static ferry_status_t create(const ferry_host_api_t *h, ferry_instance_t *self, const ferry_config_t *config,
                             void **out_state, ferry_error_t *error) {
  (void)self; (void)config; (void)error;
  host = h;
  *out_state = NULL;
  return FERRY_OK;
}
static ferry_status_t start(void *state, ferry_error_t *error) { (void)state; (void)error; return FERRY_OK; }
static void stop(void *state) { (void)state; }
static void destroy(void *state) { (void)state; }

/* Reverse the content and record which ABI the plugin was built for. */
static ferry_status_t transform(void *state, ferry_message_t *m, ferry_error_t *error) {
  char buf[256];
  ferry_str_t content = host->message_content(m);
  size_t i;
  (void)state;
  if (content.size > sizeof buf) {
    static const char text[] = "content too long for abi10.reverse";
    host->error_set(error, text, sizeof text - 1);
    return FERRY_ERROR;
  }
  for (i = 0; i < content.size; ++i) buf[i] = content.data[content.size - 1 - i];
  host->message_set_content(m, buf, content.size);
  host->message_meta_set(m, "abi", 3, "1.0", 3);
  return FERRY_OK;
}

static const ferry_component_t reverse = {
    sizeof(ferry_component_t), FERRY_KIND_TRANSFORMER, 0, 0, "abi10.reverse", "1.0.0",
    "Reverses the content (ABI 1.0 fixture)", NULL, create, start, stop, destroy, NULL, transform, NULL, NULL};
static const ferry_component_t *const components[] = {&reverse};
static const ferry_plugin_t plugin = {sizeof(ferry_plugin_t), FERRY_ABI_MAJOR, FERRY_ABI_MINOR, 1, "abi10", "1.0.0",
                                      "ABI 1.0 compatibility fixture", components, NULL, NULL};

FERRY_PLUGIN_ENTRY {
  (void)host_abi_major;
  (void)host_abi_minor;
  return &plugin;
}
