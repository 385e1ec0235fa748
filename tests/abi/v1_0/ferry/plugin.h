/*
 * ferry/plugin.h — the Ferry plugin ABI, version 1.
 *
 * This header is the whole contract between the Ferry host and a plugin. It is
 * pure C (C11 or later, or C++), has no dependency beyond <stddef.h> and
 * <stdint.h>, and is append-only within a major version:
 *
 *   - Structs carry their own size in their first field and only ever grow at
 *     the end. The host never reads past the size a plugin declares; a plugin
 *     checks FERRY_HOST_HAS() before calling a host function newer than 1.0.
 *   - Constants keep their values forever; new ones get new values.
 *   - A new minor adds fields/functions at the end; a new major is a new ABI.
 *
 * Naming: functions in ferry_host_api_t are implemented by the host and called
 * by plugins; function pointers in ferry_component_t / ferry_plugin_t are
 * implemented by the plugin and called by the host.
 *
 * Ownership words used on every function below:
 *   borrowed  the callee may use the pointer only until the call returns
 *             (or until the stated event); it must not free it.
 *   owned     the receiver must release it exactly once.
 *   copied    the callee copies the bytes; the caller keeps ownership.
 * Strings are (pointer, size) pairs, UTF-8, not necessarily NUL-terminated,
 * unless a field says "NUL-terminated".
 *
 * Threading: see docs/abi.md. In short, the host calls a component instance
 * from host worker threads, never concurrently on the same instance unless the
 * component sets FERRY_COMPONENT_CONCURRENT (emit/delivery/timer callbacks are
 * separate and documented on each). Every host function is thread-safe unless
 * its comment says otherwise. After a component's stop() returns, no call
 * crosses between host and that instance in either direction, except
 * destroy().
 */
#ifndef FERRY_PLUGIN_H
#define FERRY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define FERRY_ABI_MAJOR 1
#define FERRY_ABI_MINOR 0

#if defined(__GNUC__) || defined(__clang__)
#define FERRY_EXPORT __attribute__((visibility("default")))
#else
#define FERRY_EXPORT
#endif

#ifdef __cplusplus
#define FERRY_EXTERN_C extern "C"
extern "C" {
#else
#define FERRY_EXTERN_C
#endif

/* ---------------------------------------------------------------------- */
/* Basic types                                                            */
/* ---------------------------------------------------------------------- */

/* Result of most calls. Values are fixed forever. */
typedef int32_t ferry_status_t;
#define FERRY_OK 0       /* done */
#define FERRY_RETRY 1    /* transient failure: try again later (destination
                            down, host busy) */
#define FERRY_ERROR 2    /* permanent failure for this input */
#define FERRY_FILTERED 3 /* transformer: drop the message, not an error */
#define FERRY_STOPPING 4 /* host: the instance is stopping, call refused */

/* Component kinds. */
#define FERRY_KIND_SOURCE 1
#define FERRY_KIND_DESTINATION 2
#define FERRY_KIND_TRANSFORMER 3
#define FERRY_KIND_SCHEDULER 4

/* Log levels. */
#define FERRY_LOG_TRACE 0
#define FERRY_LOG_DEBUG 1
#define FERRY_LOG_INFO 2
#define FERRY_LOG_WARN 3
#define FERRY_LOG_ERROR 4

/* A borrowed string view. data may be NULL when size is 0. */
typedef struct ferry_str {
  const char *data;
  size_t size;
} ferry_str_t;

/* Opaque handles, all owned by the host. */
typedef struct ferry_message ferry_message_t;   /* reference-counted */
typedef struct ferry_instance ferry_instance_t; /* one configured component */
typedef struct ferry_config ferry_config_t;     /* validated config */
typedef struct ferry_error ferry_error_t;       /* error text sink */
typedef struct ferry_delivery ferry_delivery_t; /* one destination send */

/* ---------------------------------------------------------------------- */
/* Config schema, declared as data by each component                      */
/* ---------------------------------------------------------------------- */

/* Value types of a config key. */
#define FERRY_CFG_STRING 1      /* JSON string */
#define FERRY_CFG_INTEGER 2     /* JSON integer (64-bit signed) */
#define FERRY_CFG_NUMBER 3      /* JSON number */
#define FERRY_CFG_BOOLEAN 4     /* JSON true/false */
#define FERRY_CFG_STRING_LIST 5 /* JSON array of strings */
#define FERRY_CFG_JSON 6        /* any JSON value; the component checks it */

/* Key flags. */
#define FERRY_KEY_REQUIRED 0x1u /* no default; the admin must set it */
#define FERRY_KEY_SECRET 0x2u   /* never logged or printed by the host */
#define FERRY_KEY_HAS_MIN 0x4u  /* min applies (value, string length, list
                                   length) */
#define FERRY_KEY_HAS_MAX 0x8u  /* max applies, likewise */
#define FERRY_KEY_CHANNEL_REF 0x10u /* the value (string or string list)
                                       names channels: the host checks that
                                       they exist and that such references
                                       form no loop */

/* One config key. Lives in the plugin's static storage for as long as the
 * plugin is loaded (the host never unloads plugins). */
typedef struct ferry_config_key {
  uint32_t struct_size; /* sizeof(ferry_config_key_t) as compiled */
  uint32_t type;        /* FERRY_CFG_* */
  uint32_t flags;       /* FERRY_KEY_* */
  uint32_t reserved;    /* 0 */
  const char *name;        /* NUL-terminated key name, e.g. "port" */
  const char *description; /* NUL-terminated, one sentence */
  const char *default_json; /* NUL-terminated JSON text of the default value
                               (e.g. "2575", "\"127.0.0.1\""), or NULL */
  double min;               /* inclusive, see FERRY_KEY_HAS_MIN */
  double max;               /* inclusive, see FERRY_KEY_HAS_MAX */
  const char *const *allowed; /* FERRY_CFG_STRING(_LIST): NULL-terminated list
                                 of allowed values, or NULL for any */
} ferry_config_key_t;

/* ---------------------------------------------------------------------- */
/* Callbacks the plugin gives the host                                    */
/* ---------------------------------------------------------------------- */

/* Completion of ferry_host_api_t.emit. Called exactly once per accepted emit,
 * on a host thread, never from inside emit() itself.
 *   status      FERRY_OK: the host has taken the message (see docs/abi.md
 *               for the durability this implies); FERRY_FILTERED: taken and
 *               filtered by the channel; FERRY_RETRY: not taken, the peer
 *               should send it again later; FERRY_ERROR: rejected.
 *   message_id  the host's id for the message, or 0 when not taken.
 *   response    borrowed for the duration of the call, may be NULL: what the
 *               channel's response policy says to answer the peer with.
 *   error       borrowed; why, when status is not FERRY_OK; with FERRY_OK
 *               it may carry a note (e.g. "stored; delivery still pending"). */
typedef void (*ferry_emit_done_fn)(void *user, ferry_status_t status,
                                   int64_t message_id,
                                   ferry_message_t *response,
                                   ferry_str_t error);

/* Timer and posted-work callback. Runs on a host worker thread. */
typedef void (*ferry_callback_fn)(void *user);

/* ---------------------------------------------------------------------- */
/* Host services: implemented by the host, called by plugins              */
/* ---------------------------------------------------------------------- */

typedef struct ferry_host_api {
  uint32_t struct_size; /* size of the table the host provides */
  uint32_t abi_major;   /* the host's ABI version */
  uint32_t abi_minor;
  uint32_t reserved;

  /* --- 1.0: logging and errors ------------------------------------------ */

  /* Write one log line. self may be NULL for plugin-level messages. text is
   * copied. Thread-safe; callable from any thread until the instance's stop()
   * returns (self == NULL: until the plugin's shutdown()). */
  void (*log)(ferry_instance_t *self, int32_t level, const char *text,
              size_t size);

  /* Set the text of an error sink the host passed in. text is copied; the
   * last call wins. Only valid during the call that received the sink. */
  void (*error_set)(ferry_error_t *error, const char *text, size_t size);

  /* --- 1.0: messages ---------------------------------------------------- */
  /* A message is content bytes, a content type and string metadata
   * (key/value pairs, keys unique). Handles are reference-counted:
   * retain/release are thread-safe; reading and changing a message are not,
   * so a message must be changed by one thread at a time, and a message the
   * host lends you (transform, delivery) must not be kept or changed after
   * the call that lent it, unless you retain it (then read-only). */

  /* Create a message. content and content_type are copied. Returns an owned
   * handle with reference count 1, or NULL if out of memory. */
  ferry_message_t *(*message_create)(const char *content, size_t size,
                                     const char *content_type,
                                     size_t content_type_size);
  void (*message_retain)(ferry_message_t *message);
  /* Drop one reference; the host frees the message at zero. */
  void (*message_release)(ferry_message_t *message);

  /* View of the content: borrowed, valid until the message is changed or the
   * caller's reference is released. */
  ferry_str_t (*message_content)(const ferry_message_t *message);
  /* Replace the content (copied). */
  ferry_status_t (*message_set_content)(ferry_message_t *message,
                                        const char *data, size_t size);
  /* View of the content type, same lifetime rule as message_content. */
  ferry_str_t (*message_content_type)(const ferry_message_t *message);
  ferry_status_t (*message_set_content_type)(ferry_message_t *message,
                                             const char *data, size_t size);

  /* Metadata. Returns 1 and a borrowed view (valid until the message is
   * changed or released) if key is present, else 0. */
  int32_t (*message_meta_get)(const ferry_message_t *message, const char *key,
                              size_t key_size, ferry_str_t *out_value);
  /* Set (insert or replace) a metadata value; key and value are copied. */
  ferry_status_t (*message_meta_set)(ferry_message_t *message,
                                     const char *key, size_t key_size,
                                     const char *value, size_t value_size);
  /* Remove a metadata key; returns 1 if it was present. */
  int32_t (*message_meta_remove)(ferry_message_t *message, const char *key,
                                 size_t key_size);
  /* Iterate metadata in insertion order: index < message_meta_count().
   * Returns 0 when index is out of range. Views as for message_meta_get. */
  size_t (*message_meta_count)(const ferry_message_t *message);
  int32_t (*message_meta_at)(const ferry_message_t *message, size_t index,
                             ferry_str_t *out_key, ferry_str_t *out_value);
  /* The host's id of the message (> 0) once the channel stored it, else 0.
   * The channel stores a copy of what a source emits: the source learns the
   * id from its emit completion, its own handle keeps 0. */
  int64_t (*message_id)(const ferry_message_t *message);

  /* --- 1.0: config ------------------------------------------------------ */
  /* A ferry_config_t is borrowed and valid only during create(). It holds
   * the component's config after validation against its declared keys, with
   * defaults filled in and ${env:..}/${file:..} references resolved. Views
   * are valid as long as the config. Getters return 1 if the key is present
   * with that type, else 0 (and leave *out unchanged). */

  /* The whole config as a JSON object text. */
  ferry_str_t (*config_json)(const ferry_config_t *config);
  int32_t (*config_get_string)(const ferry_config_t *config, const char *key,
                               ferry_str_t *out);
  int32_t (*config_get_int)(const ferry_config_t *config, const char *key,
                            int64_t *out);
  int32_t (*config_get_number)(const ferry_config_t *config, const char *key,
                               double *out);
  int32_t (*config_get_bool)(const ferry_config_t *config, const char *key,
                             int32_t *out);
  /* String lists: number of items (0 if absent), and item i. */
  size_t (*config_list_size)(const ferry_config_t *config, const char *key);
  int32_t (*config_list_at)(const ferry_config_t *config, const char *key,
                            size_t index, ferry_str_t *out);
  /* Any key as JSON text (for FERRY_CFG_JSON keys). */
  int32_t (*config_get_json)(const ferry_config_t *config, const char *key,
                             ferry_str_t *out);

  /* --- 1.0: sources ----------------------------------------------------- */

  /* Hand a message to the source's channel. self must be a source instance.
   * message is borrowed: the host takes its own reference; the caller still
   * owns its reference and must not change the message afterwards.
   * Returns FERRY_OK if accepted: done(user, ...) will then be called exactly
   * once, on a host thread, never from inside emit(), and before the
   * instance's stop() is called. Otherwise done is never called and the
   * return says why: FERRY_RETRY (backpressure: too many messages in flight
   * for this source; slow down and try again), FERRY_STOPPING (shutting
   * down), FERRY_ERROR (invalid call). Callable from any thread between
   * start() and the return of stop(). */
  ferry_status_t (*emit)(ferry_instance_t *self, ferry_message_t *message,
                         ferry_emit_done_fn done, void *user);

  /* --- 1.0: destinations ------------------------------------------------ */

  /* The message to send: borrowed until delivery_complete() is called. */
  ferry_message_t *(*delivery_message)(ferry_delivery_t *delivery);
  /* Finish a send. Must be called exactly once per send(), from any thread,
   * before the instance's stop() returns; the delivery handle is invalid
   * afterwards (a repeated or stale handle is logged and ignored). status:
   * FERRY_OK (sent), FERRY_RETRY (try again later), FERRY_ERROR (failed for
   * good), FERRY_FILTERED (deliberately not sent). response (borrowed, may be NULL) is
   * stored as the destination's response; error (copied) explains a
   * failure. */
  void (*delivery_complete)(ferry_delivery_t *delivery, ferry_status_t status,
                            ferry_message_t *response, const char *error,
                            size_t error_size);

  /* --- 1.0: timers and work --------------------------------------------- */

  /* Call fn(user) on a host worker thread after delay_ms, then every
   * interval_ms if interval_ms > 0. Returns a timer id > 0, or 0 if the
   * instance is stopping. Callbacks of one timer never overlap. All timers of
   * an instance are cancelled, and running callbacks waited for, before its
   * stop() is called. */
  uint64_t (*timer_start)(ferry_instance_t *self, uint64_t delay_ms,
                          uint64_t interval_ms, ferry_callback_fn fn,
                          void *user);
  /* Cancel a timer. After it returns, fn is not running (unless the caller
   * is fn itself) and will not run again. Unknown ids are ignored. */
  void (*timer_cancel)(ferry_instance_t *self, uint64_t timer_id);

  /* Run fn(user) once on a host worker thread, as soon as possible. This is
   * how a plugin's own thread hands work back to the host. Returns FERRY_OK,
   * or FERRY_STOPPING (fn will not be called). Work posted before stop() is
   * run before stop() is called. */
  ferry_status_t (*post)(ferry_instance_t *self, ferry_callback_fn fn,
                         void *user);

  /* --- 1.0: metrics ----------------------------------------------------- */

  /* Add to a named counter of this instance (name copied). */
  void (*counter_add)(ferry_instance_t *self, const char *name,
                      size_t name_size, uint64_t delta);
  /* Set a named gauge of this instance (name copied). */
  void (*gauge_set)(ferry_instance_t *self, const char *name,
                    size_t name_size, int64_t value);

  /* --- 1.0: identity ---------------------------------------------------- */

  /* Channel id, and the instance's role in it ("source", "schedule",
   * "transformer 0", "destination out", "destination out transformer 0");
   * borrowed, valid until destroy(). */
  ferry_str_t (*instance_channel)(const ferry_instance_t *self);
  ferry_str_t (*instance_name)(const ferry_instance_t *self);

  /* New functions are appended here, under a "--- 1.N" heading. */
} ferry_host_api_t;

/* True if the host table provides `field` (a plugin built against a newer
 * minor may run on an older host). */
#define FERRY_HOST_HAS(api, field)                                             \
  ((api) != NULL &&                                                            \
   (api)->struct_size >=                                                       \
       offsetof(ferry_host_api_t, field) + sizeof((api)->field) &&             \
   (api)->field != NULL)

/* ---------------------------------------------------------------------- */
/* Components: implemented by the plugin, called by the host              */
/* ---------------------------------------------------------------------- */

/* Component flags. */
#define FERRY_COMPONENT_CONCURRENT 0x1u /* transform may run on several
                                           threads at once on one instance
                                           (destinations: reserved; the host
                                           sends one at a time) */

/* One component a plugin offers. Lives in the plugin's static storage.
 * Functions marked (kind) are required for that kind and must be NULL or
 * ignored for the others. Every function that takes a ferry_error_t* may set
 * a text with error_set() when it returns anything but FERRY_OK. */
typedef struct ferry_component {
  uint32_t struct_size;      /* sizeof(ferry_component_t) as compiled */
  uint32_t kind;             /* FERRY_KIND_* */
  uint32_t flags;            /* FERRY_COMPONENT_* */
  uint32_t config_key_count; /* entries in config_keys */
  const char *type;        /* NUL-terminated "<plugin>.<component>" */
  const char *version;     /* NUL-terminated, e.g. "1.2.0" */
  const char *description; /* NUL-terminated, one sentence */
  const ferry_config_key_t *const *config_keys; /* the keys it accepts */

  /* All kinds. Called on the host's main thread, one instance at a time.
   * create: build an instance from its validated config; store the state in
   *   *out_state. self is valid until destroy() returns; config is borrowed.
   * start: begin work (sources may emit from here on).
   * stop: end work: sources stop emitting, destinations complete every
   *   outstanding delivery. After it returns nothing of the instance may run
   *   or call the host (no threads, no callbacks).
   * destroy: free the state. Called once, after stop (or instead of start
   *   if start was never called or failed). */
  ferry_status_t (*create)(const ferry_host_api_t *host,
                           ferry_instance_t *self,
                           const ferry_config_t *config, void **out_state,
                           ferry_error_t *error);
  ferry_status_t (*start)(void *state, ferry_error_t *error);
  void (*stop)(void *state);
  void (*destroy)(void *state);

  /* (source, optional) Look for input now: called by the host when the
   * source's schedule fires. Runs on a host worker thread; never
   * overlaps itself. */
  ferry_status_t (*poll)(void *state, ferry_error_t *error);

  /* (transformer) Change the borrowed message in place (content, content
   * type, metadata). Return FERRY_OK, FERRY_FILTERED (error text = reason)
   * or FERRY_ERROR. Runs on a host worker thread. */
  ferry_status_t (*transform)(void *state, ferry_message_t *message,
                              ferry_error_t *error);

  /* (destination) Start sending one message; complete it with
   * delivery_complete(), now or later, from any thread. Runs on a host
   * worker thread. Within one destination the host sends in order, one at
   * a time. */
  void (*send)(void *state, ferry_delivery_t *delivery);

  /* (scheduler) The first fire time strictly after after_ms (Unix epoch
   * milliseconds): set *out_next_ms and return FERRY_OK, or return
   * FERRY_FILTERED when the schedule has no further fire time. Called on a
   * host thread (the main thread at start, then worker threads), never
   * concurrently for one instance; must be fast and must not block. */
  ferry_status_t (*next_fire)(void *state, int64_t after_ms,
                              int64_t *out_next_ms, ferry_error_t *error);

  /* New functions are appended here. */
} ferry_component_t;

/* ---------------------------------------------------------------------- */
/* The plugin descriptor and the one exported entry point                 */
/* ---------------------------------------------------------------------- */

/* The first three fields (struct_size, abi_major, abi_minor) keep this
 * layout in every future major version, so any host can read the version of
 * any plugin before trusting anything else. */
typedef struct ferry_plugin {
  uint32_t struct_size;     /* sizeof(ferry_plugin_t) as compiled */
  uint32_t abi_major;       /* FERRY_ABI_MAJOR the plugin was built for */
  uint32_t abi_minor;       /* the ABI minor the plugin needs: the host
                               refuses it if this is newer than its own.
                               Normally FERRY_ABI_MINOR; a plugin that can do
                               without newer host functions may declare the
                               older minor it needs (using FERRY_HOST_HAS for
                               the rest) to load on older hosts. */
  uint32_t component_count; /* entries in components */
  const char *name;         /* NUL-terminated; equals the file name stem */
  const char *version;      /* NUL-terminated plugin version */
  const char *description;  /* NUL-terminated, one sentence */
  const ferry_component_t *const *components;

  /* Optional. Called once on the host's main thread after the version check,
   * before any create(). host stays valid until the process exits. */
  ferry_status_t (*init)(const ferry_host_api_t *host, ferry_error_t *error);
  /* Optional. Called once at exit after every instance was destroyed. */
  void (*shutdown)(void);

  /* New fields are appended here. */
} ferry_plugin_t;

/* The only symbol a plugin exports. The host passes the ABI version it
 * speaks, so a plugin can refuse or adapt (Vulkan-style negotiation); the
 * plugin returns its descriptor (static storage, never freed) or NULL to
 * refuse. Called once, on the host's main thread. */
#define FERRY_PLUGIN_ENTRY_SYMBOL "ferry_plugin_entry"
typedef const ferry_plugin_t *(*ferry_plugin_entry_fn)(uint32_t host_abi_major,
                                                       uint32_t host_abi_minor);

/* Declare the entry point in a plugin:
 *   FERRY_PLUGIN_ENTRY { return &my_plugin; }                              */
#define FERRY_PLUGIN_ENTRY                                                     \
  FERRY_EXTERN_C FERRY_EXPORT const ferry_plugin_t *ferry_plugin_entry(        \
      uint32_t host_abi_major, uint32_t host_abi_minor);                       \
  FERRY_EXTERN_C FERRY_EXPORT const ferry_plugin_t *ferry_plugin_entry(        \
      uint32_t host_abi_major, uint32_t host_abi_minor)

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PLUGIN_H */
