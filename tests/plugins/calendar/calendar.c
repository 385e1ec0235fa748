/* calendar: a third-party scheduler written in plain C11 against the SDK's
 * <ferry/plugin.h> alone, to show that a new kind of schedule needs no
 * change in the host. One component, calendar.business_hours: fires every
 * interval_ms (on multiples of it since the Unix epoch), but only on the
 * given weekdays and between from_hour and to_hour, in a fixed UTC offset. */
#include <ferry/plugin.h>

#include <stdlib.h>
#include <string.h>

#define MS_PER_HOUR INT64_C(3600000)
#define MS_PER_DAY INT64_C(86400000)
/* Enough steps to cross any week, even for a window of one hour. */
#define MAX_STEPS 100000

static const ferry_host_api_t *host;

typedef struct {
  int64_t interval_ms;
  int64_t offset_ms;
  int64_t from_hour, to_hour;
  int allowed[7]; /* 0 = Sunday */
} calendar_state;

static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL};

static ferry_status_t fail(ferry_error_t *error, const char *text) {
  host->error_set(error, text, strlen(text));
  return FERRY_ERROR;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

static ferry_status_t calendar_create(const ferry_host_api_t *h, ferry_instance_t *self,
                                      const ferry_config_t *config, void **out_state, ferry_error_t *error) {
  calendar_state *s;
  int64_t offset_minutes = 0;
  size_t i, n;
  (void)self;
  host = h;
  s = calloc(1, sizeof *s);
  if (s == NULL) return fail(error, "out of memory");
  /* The host validated the keys and filled in the defaults. */
  h->config_get_int(config, "interval_ms", &s->interval_ms);
  h->config_get_int(config, "from_hour", &s->from_hour);
  h->config_get_int(config, "to_hour", &s->to_hour);
  h->config_get_int(config, "utc_offset_minutes", &offset_minutes);
  s->offset_ms = offset_minutes * 60000;
  n = h->config_list_size(config, "days");
  for (i = 0; i < n; ++i) {
    ferry_str_t day = {NULL, 0};
    int d;
    h->config_list_at(config, "days", i, &day);
    for (d = 0; d < 7; ++d)
      if (day.size == 3 && memcmp(day.data, day_names[d], 3) == 0) s->allowed[d] = 1;
  }
  if (n == 0) {
    free(s);
    return fail(error, "days: name at least one day");
  }
  if (s->from_hour >= s->to_hour) {
    free(s);
    return fail(error, "from_hour must be before to_hour");
  }
  *out_state = s;
  return FERRY_OK;
}

static ferry_status_t calendar_start(void *state, ferry_error_t *error) {
  (void)state;
  (void)error;
  return FERRY_OK;
}
static void calendar_stop(void *state) { (void)state; }
static void calendar_destroy(void *state) { free(state); }

/* The first multiple of interval_ms after after_ms that falls on an allowed
 * day and hour (local time = UTC + offset). */
static ferry_status_t calendar_next_fire(void *state, int64_t after_ms, int64_t *out_next_ms,
                                         ferry_error_t *error) {
  const calendar_state *s = state;
  int64_t t = (floor_div(after_ms, s->interval_ms) + 1) * s->interval_ms;
  int step;
  for (step = 0; step < MAX_STEPS; ++step) {
    const int64_t local = t + s->offset_ms;
    const int64_t day = floor_div(local, MS_PER_DAY);
    const int weekday = (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    const int64_t hour = (local - day * MS_PER_DAY) / MS_PER_HOUR;
    int64_t next_hour;
    if (s->allowed[weekday] && hour >= s->from_hour && hour < s->to_hour) {
      *out_next_ms = t;
      return FERRY_OK;
    }
    /* Outside the window: on to the first multiple in the next local hour. */
    next_hour = (day * 24 + hour + 1) * MS_PER_HOUR - s->offset_ms;
    t = floor_div(next_hour + s->interval_ms - 1, s->interval_ms) * s->interval_ms;
  }
  {
    static const char text[] = "no allowed time on the interval's grid";
    host->error_set(error, text, strlen(text));
  }
  return FERRY_FILTERED;
}

/* Keys: struct_size, type, flags, reserved, name, description, default,
 * min, max, allowed. */
static const ferry_config_key_t key_interval = {
    sizeof(ferry_config_key_t), FERRY_CFG_INTEGER, FERRY_KEY_REQUIRED | FERRY_KEY_HAS_MIN | FERRY_KEY_HAS_MAX, 0,
    "interval_ms", "Fire every interval_ms within business hours", NULL, 1, 86400000, NULL};
static const ferry_config_key_t key_days = {
    sizeof(ferry_config_key_t), FERRY_CFG_STRING_LIST, 0, 0, "days", "Weekdays to fire on",
    "[\"MON\", \"TUE\", \"WED\", \"THU\", \"FRI\"]", 0, 0, day_names};
static const ferry_config_key_t key_from = {
    sizeof(ferry_config_key_t), FERRY_CFG_INTEGER, FERRY_KEY_HAS_MIN | FERRY_KEY_HAS_MAX, 0,
    "from_hour", "First hour of the day to fire in", "8", 0, 23, NULL};
static const ferry_config_key_t key_to = {
    sizeof(ferry_config_key_t), FERRY_CFG_INTEGER, FERRY_KEY_HAS_MIN | FERRY_KEY_HAS_MAX, 0,
    "to_hour", "Hour the window ends (exclusive)", "18", 1, 24, NULL};
static const ferry_config_key_t key_offset = {
    sizeof(ferry_config_key_t), FERRY_CFG_INTEGER, FERRY_KEY_HAS_MIN | FERRY_KEY_HAS_MAX, 0,
    "utc_offset_minutes", "Local time = UTC + this many minutes", "0", -840, 840, NULL};
static const ferry_config_key_t *const calendar_keys[] = {&key_interval, &key_days, &key_from, &key_to,
                                                          &key_offset};

static const ferry_component_t business_hours = {
    .struct_size = sizeof(ferry_component_t),
    .kind = FERRY_KIND_SCHEDULER,
    .flags = 0,
    .config_key_count = 5,
    .type = "calendar.business_hours",
    .version = "1.0.0",
    .description = "Fires every interval_ms on business days and hours",
    .config_keys = calendar_keys,
    .create = calendar_create,
    .start = calendar_start,
    .stop = calendar_stop,
    .destroy = calendar_destroy,
    .next_fire = calendar_next_fire,
};

static const ferry_component_t *const components[] = {&business_hours};

static const ferry_plugin_t plugin = {
    .struct_size = sizeof(ferry_plugin_t),
    .abi_major = FERRY_ABI_MAJOR,
    .abi_minor = FERRY_ABI_MINOR,
    .component_count = 1,
    .name = "calendar",
    .version = "1.0.0",
    .description = "Business-calendar schedules (a third-party scheduler example in C)",
    .components = components,
};

FERRY_PLUGIN_ENTRY {
  (void)host_abi_minor;
  return host_abi_major == FERRY_ABI_MAJOR ? &plugin : NULL;
}
