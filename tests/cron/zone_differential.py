"""Compares every zone's UTC offset changes, 2024-2050, as the cron plugin
sees them (zone_dump: date/tz tables, then the zone's POSIX rule after the
last listed transition) with Python's zoneinfo reading the same tzdata.

usage: zone_differential.py ZONE_DUMP
"""
import subprocess
import sys
import zoneinfo
from datetime import datetime, timedelta, timezone

FROM = datetime(2024, 1, 1, tzinfo=timezone.utc)
TO = datetime(2050, 1, 1, tzinfo=timezone.utc)
# No zone changes its offset twice within this many days (Morocco's Ramadan
# breaks, the shortest, last about a month).
STEP = timedelta(days=3)


def offset(zone, t):
    return int(t.astimezone(zone).utcoffset().total_seconds())


def python_changes(name):
    """Offset changes found by sampling every STEP, each located to the second."""
    zone = zoneinfo.ZoneInfo(name)
    changes = []
    t = FROM
    prev = offset(zone, t)
    while t < TO:
        n = t + STEP
        o = offset(zone, n)
        if o != prev:
            lo, hi = t, n  # offset(lo) == prev, offset(hi) == o
            while (hi - lo) > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if offset(zone, mid) == prev:
                    lo = mid
                else:
                    hi = mid
            changes.append((int(hi.timestamp()), offset(zone, hi)))
            prev = o
        t = n
    return changes


def main():
    dump = sys.argv[1]
    names = sorted(
        n for n in zoneinfo.available_timezones()
        if not n.startswith(("posix/", "right/")) and n not in ("Factory", "localtime", "posixrules"))
    out = subprocess.run([dump, str(int(FROM.timestamp())), str(int(TO.timestamp()))] + names,
                         check=True, capture_output=True, text=True).stdout
    ours = {n: [] for n in names}
    errors = []
    for line in out.splitlines():
        name, a, b = line.split(" ", 2)
        if a == "error":
            errors.append(f"{name}: {b}")
        else:
            ours[name].append((int(a), int(b)))
    bad = 0
    for name in names:
        theirs = python_changes(name)
        if ours[name] != theirs:
            bad += 1
            if bad <= 10:
                print(f"{name}: cron plugin {ours[name][:6]}... vs zoneinfo {theirs[:6]}...")
    for e in errors[:10]:
        print("error:", e)
    print(f"{len(names)} zones compared, {bad} differ, {len(errors)} not loaded")
    return 1 if bad or errors else 0


if __name__ == "__main__":
    sys.exit(main())
