// The `cron` plugin: cron.schedule (scheduler) and cron.message (source).
#include <ferry/plugin.hpp>

#include "message_source.hpp"
#include "schedule_component.hpp"

FERRY_PLUGIN("cron", "1.0.0", "Cron and interval schedules in IANA time zones; scheduled generated messages",
             ferry::component<ferry::cron::ScheduleComponent>(), ferry::component<ferry::cron::MessageSource>());
