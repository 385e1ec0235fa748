/* Pins the layout of every ABI struct on LP64 (x86-64, aarch64). Included
 * from a C11 and a C++20 translation unit, both built with -pedantic
 * -Werror, which also proves the header compiles in both languages. A
 * failure here means an ABI break: fields may only be appended. */
#include <ferry/plugin.h>
#include <stddef.h>

#ifdef __cplusplus
#define FERRY_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define FERRY_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
#define PIN(type, field, off) FERRY_STATIC_ASSERT(offsetof(type, field) == (off), #type "." #field " moved")

FERRY_STATIC_ASSERT(FERRY_ABI_MAJOR == 1, "ABI major");
FERRY_STATIC_ASSERT(sizeof(ferry_str_t) == 16, "ferry_str_t size");
PIN(ferry_str_t, data, 0);
PIN(ferry_str_t, size, 8);

PIN(ferry_config_key_t, struct_size, 0);
PIN(ferry_config_key_t, type, 4);
PIN(ferry_config_key_t, flags, 8);
PIN(ferry_config_key_t, reserved, 12);
PIN(ferry_config_key_t, name, 16);
PIN(ferry_config_key_t, description, 24);
PIN(ferry_config_key_t, default_json, 32);
PIN(ferry_config_key_t, min, 40);
PIN(ferry_config_key_t, max, 48);
PIN(ferry_config_key_t, allowed, 56);
FERRY_STATIC_ASSERT(sizeof(ferry_config_key_t) >= 64, "ferry_config_key_t 1.0 size");

PIN(ferry_plugin_t, struct_size, 0);
PIN(ferry_plugin_t, abi_major, 4);
PIN(ferry_plugin_t, abi_minor, 8);
PIN(ferry_plugin_t, component_count, 12);
PIN(ferry_plugin_t, name, 16);
PIN(ferry_plugin_t, version, 24);
PIN(ferry_plugin_t, description, 32);
PIN(ferry_plugin_t, components, 40);
PIN(ferry_plugin_t, init, 48);
PIN(ferry_plugin_t, shutdown, 56);
FERRY_STATIC_ASSERT(sizeof(ferry_plugin_t) >= 64, "ferry_plugin_t 1.0 size");

PIN(ferry_component_t, struct_size, 0);
PIN(ferry_component_t, kind, 4);
PIN(ferry_component_t, flags, 8);
PIN(ferry_component_t, config_key_count, 12);
PIN(ferry_component_t, type, 16);
PIN(ferry_component_t, version, 24);
PIN(ferry_component_t, description, 32);
PIN(ferry_component_t, config_keys, 40);
PIN(ferry_component_t, create, 48);
PIN(ferry_component_t, start, 56);
PIN(ferry_component_t, stop, 64);
PIN(ferry_component_t, destroy, 72);
PIN(ferry_component_t, poll, 80);
PIN(ferry_component_t, transform, 88);
PIN(ferry_component_t, send, 96);
PIN(ferry_component_t, next_fire, 104);
FERRY_STATIC_ASSERT(sizeof(ferry_component_t) >= 112, "ferry_component_t 1.0 size");

PIN(ferry_host_api_t, struct_size, 0);
PIN(ferry_host_api_t, abi_major, 4);
PIN(ferry_host_api_t, abi_minor, 8);
PIN(ferry_host_api_t, reserved, 12);
PIN(ferry_host_api_t, log, 16);
PIN(ferry_host_api_t, error_set, 24);
PIN(ferry_host_api_t, message_create, 32);
PIN(ferry_host_api_t, message_retain, 40);
PIN(ferry_host_api_t, message_release, 48);
PIN(ferry_host_api_t, message_content, 56);
PIN(ferry_host_api_t, message_set_content, 64);
PIN(ferry_host_api_t, message_content_type, 72);
PIN(ferry_host_api_t, message_set_content_type, 80);
PIN(ferry_host_api_t, message_meta_get, 88);
PIN(ferry_host_api_t, message_meta_set, 96);
PIN(ferry_host_api_t, message_meta_remove, 104);
PIN(ferry_host_api_t, message_meta_count, 112);
PIN(ferry_host_api_t, message_meta_at, 120);
PIN(ferry_host_api_t, message_id, 128);
PIN(ferry_host_api_t, config_json, 136);
PIN(ferry_host_api_t, config_get_string, 144);
PIN(ferry_host_api_t, config_get_int, 152);
PIN(ferry_host_api_t, config_get_number, 160);
PIN(ferry_host_api_t, config_get_bool, 168);
PIN(ferry_host_api_t, config_list_size, 176);
PIN(ferry_host_api_t, config_list_at, 184);
PIN(ferry_host_api_t, config_get_json, 192);
PIN(ferry_host_api_t, emit, 200);
PIN(ferry_host_api_t, delivery_message, 208);
PIN(ferry_host_api_t, delivery_complete, 216);
PIN(ferry_host_api_t, timer_start, 224);
PIN(ferry_host_api_t, timer_cancel, 232);
PIN(ferry_host_api_t, post, 240);
PIN(ferry_host_api_t, counter_add, 248);
PIN(ferry_host_api_t, gauge_set, 256);
PIN(ferry_host_api_t, instance_channel, 264);
PIN(ferry_host_api_t, instance_name, 272);
FERRY_STATIC_ASSERT(sizeof(ferry_host_api_t) >= 280, "ferry_host_api_t 1.0 size");

/* Constant values are part of the ABI too. */
FERRY_STATIC_ASSERT(FERRY_OK == 0 && FERRY_RETRY == 1 && FERRY_ERROR == 2 && FERRY_FILTERED == 3 &&
                        FERRY_STOPPING == 4, "status values");
FERRY_STATIC_ASSERT(FERRY_KIND_SOURCE == 1 && FERRY_KIND_DESTINATION == 2 && FERRY_KIND_TRANSFORMER == 3 &&
                        FERRY_KIND_SCHEDULER == 4, "kind values");
FERRY_STATIC_ASSERT(FERRY_CFG_STRING == 1 && FERRY_CFG_INTEGER == 2 && FERRY_CFG_NUMBER == 3 &&
                        FERRY_CFG_BOOLEAN == 4 && FERRY_CFG_STRING_LIST == 5 && FERRY_CFG_JSON == 6,
                    "config type values");
FERRY_STATIC_ASSERT(FERRY_KEY_REQUIRED == 0x1u && FERRY_KEY_SECRET == 0x2u && FERRY_KEY_HAS_MIN == 0x4u &&
                        FERRY_KEY_HAS_MAX == 0x8u && FERRY_KEY_CHANNEL_REF == 0x10u,
                    "key flag values");
