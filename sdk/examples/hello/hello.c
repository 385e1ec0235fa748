/* hello: a complete Ferry plugin in plain C11, built against the installed
 * SDK only (see CMakeLists.txt next to this file and
 * docs/plugin-authoring.md).
 *
 * It offers one transformer, hello.upper, which upper-cases ASCII letters of
 * the content, optionally prefixes it, and records what it did in metadata. */
#include <ferry/plugin.h>

#include <stdlib.h>
#include <string.h>

static const ferry_host_api_t *host;

typedef struct upper_state {
  ferry_instance_t *self;
  char *prefix;
  size_t prefix_size;
  char *meta_key;
  size_t meta_key_size;
} upper_state;

/* Copy a borrowed view: config views die when create() returns. */
static char *copy_view(ferry_str_t v) {
  char *out = (char *)malloc(v.size + 1);
  if (out != NULL) {
    if (v.size > 0) memcpy(out, v.data, v.size);
    out[v.size] = '\0';
  }
  return out;
}

static void fail(ferry_error_t *error, const char *text) { host->error_set(error, text, strlen(text)); }

static ferry_status_t upper_create(const ferry_host_api_t *h, ferry_instance_t *self, const ferry_config_t *config,
                                   void **out_state, ferry_error_t *error) {
  ferry_str_t prefix = {NULL, 0}, meta_key = {NULL, 0};
  upper_state *s;
  host = h;
  /* The host filled in defaults, so both keys are present. */
  h->config_get_string(config, "prefix", &prefix);
  h->config_get_string(config, "meta_key", &meta_key);
  s = (upper_state *)calloc(1, sizeof *s);
  if (s == NULL) {
    fail(error, "out of memory");
    return FERRY_ERROR;
  }
  s->self = self;
  s->prefix = copy_view(prefix);
  s->prefix_size = prefix.size;
  s->meta_key = copy_view(meta_key);
  s->meta_key_size = meta_key.size;
  if (s->prefix == NULL || s->meta_key == NULL) {
    free(s->prefix);
    free(s->meta_key);
    free(s);
    fail(error, "out of memory");
    return FERRY_ERROR;
  }
  *out_state = s;
  return FERRY_OK;
}

static ferry_status_t upper_start(void *state, ferry_error_t *error) {
  upper_state *s = (upper_state *)state;
  static const char text[] = "hello.upper ready";
  (void)error;
  host->log(s->self, FERRY_LOG_INFO, text, sizeof text - 1);
  return FERRY_OK;
}

static void upper_stop(void *state) { (void)state; }

static void upper_destroy(void *state) {
  upper_state *s = (upper_state *)state;
  free(s->prefix);
  free(s->meta_key);
  free(s);
}

static ferry_status_t upper_transform(void *state, ferry_message_t *message, ferry_error_t *error) {
  upper_state *s = (upper_state *)state;
  ferry_str_t content = host->message_content(message);
  size_t size = s->prefix_size + content.size;
  size_t i;
  char *out;
  if (content.size == 0) {
    fail(error, "empty message");
    return FERRY_FILTERED;
  }
  out = (char *)malloc(size);
  if (out == NULL) {
    fail(error, "out of memory");
    return FERRY_ERROR;
  }
  memcpy(out, s->prefix, s->prefix_size);
  for (i = 0; i < content.size; ++i) {
    char c = content.data[i];
    out[s->prefix_size + i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
  }
  /* message_set_content copies, and invalidates the old content view. */
  if (host->message_set_content(message, out, size) != FERRY_OK) {
    free(out);
    fail(error, "out of memory");
    return FERRY_ERROR;
  }
  free(out);
  host->message_meta_set(message, s->meta_key, s->meta_key_size, "upper", 5);
  host->counter_add(s->self, "upper_cased", 11, 1);
  return FERRY_OK;
}

static const ferry_config_key_t key_prefix = {
    sizeof(ferry_config_key_t), FERRY_CFG_STRING, FERRY_KEY_HAS_MAX, 0, "prefix",
    "Text put before the upper-cased content", "\"\"", 0.0, 64.0, NULL};
static const ferry_config_key_t key_meta = {
    sizeof(ferry_config_key_t), FERRY_CFG_STRING, FERRY_KEY_HAS_MIN, 0, "meta_key",
    "Metadata key set to \"upper\" on every message", "\"hello\"", 1.0, 0.0, NULL};
static const ferry_config_key_t *const upper_keys[] = {&key_prefix, &key_meta};

static const ferry_component_t upper = {
    sizeof(ferry_component_t),
    FERRY_KIND_TRANSFORMER,
    0,
    2,
    "hello.upper",
    "1.0.0",
    "Upper-cases the content (plain C example)",
    upper_keys,
    upper_create,
    upper_start,
    upper_stop,
    upper_destroy,
    NULL,            /* poll: sources only */
    upper_transform, /* transform */
    NULL,            /* send: destinations only */
    NULL,            /* next_fire: schedulers only */
};

static const ferry_component_t *const components[] = {&upper};

static const ferry_plugin_t plugin = {
    sizeof(ferry_plugin_t), FERRY_ABI_MAJOR, FERRY_ABI_MINOR, 1, "hello", "1.0.0",
    "Example plugin written in plain C", components, NULL, NULL};

FERRY_PLUGIN_ENTRY {
  /* A host with another major never gets here (it checks abi_major), but a
   * plugin may also refuse hosts it knows it cannot work with. */
  if (host_abi_major != FERRY_ABI_MAJOR) return NULL;
  (void)host_abi_minor;
  return &plugin;
}
