#!/usr/bin/python3
"""Reference values for pg_sybil's activity profiles, cosine and cadence.

Run with Debian's interpreter, which has numpy:

    /usr/bin/python3 test/reference/activity_reference.py --seed 42 --out test/pgtap/generated

It draws random sets of event timestamps (an account's activity) from the
seed, in shapes that matter for the functions: spread over 1900-2100 (before
the Unix epoch, far future, fractional microseconds), crowded around the
DST transitions of the set's zone, bots on a timer (with repeated
timestamps), Poisson and bursty humans, sets of 0 to 3 events, and NULL rows.
Each set has a zone (America/New_York, Asia/Kolkata, Lord Howe's half-hour
DST, Chatham's 12:45, ...) and is marked either for the zone argument or for
the session TimeZone.  Rows are written in random order.  It computes:

  * counts per local hour of the day and of the ISO week (Monday = 0), with
    Python's zoneinfo (the system's tz database, as PostgreSQL's);
  * the gap statistics of each set with numpy: sorted times, np.diff, mean,
    np.std (ddof 0), cv, Goh-Barabasi burstiness and memory
    (np.corrcoef of consecutive gaps), np.median, min, max, in seconds;
  * the cosine of pairs of vectors with numpy (profiles, signed random
    vectors of up to 1,000 elements, huge and tiny magnitudes, zero vectors).

Everything is written as one plain-SQL fixture that test/pgtap/90_activity.sql
includes:

    activity.sql    tables act_set, act_event, act_expect, act_cosine

The fixture creates unqualified tables: the including test sets search_path
to a schema of its own.  Nothing here reads the extension's source: the
expected values come from the definitions of the issue.
"""

import argparse
import datetime as dt
import math
import os
import random
import sys
from zoneinfo import ZoneInfo

try:
    import numpy as np
except ImportError:
    sys.exit("%s lacks numpy (Debian: apt-get install python3-numpy)" % sys.executable)

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
US = 1_000_000
YEAR_US = 365 * 86400 * US

ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Europe/London", "Australia/Lord_Howe",
         "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "America/Sao_Paulo",
         "Europe/Moscow", "Africa/Casablanca", "America/Los_Angeles"]

KINDS = ["spread", "dst", "bot", "poisson", "bursty", "tiny", "nulls"]


def us_of(d):
    """Microseconds since the Unix epoch of an aware datetime, exactly."""
    delta = d - EPOCH
    return (delta.days * 86400 + delta.seconds) * US + delta.microseconds


def dt_of(us):
    return EPOCH + dt.timedelta(microseconds=us)


def utc_text(us):
    return dt_of(us).strftime("%Y-%m-%d %H:%M:%S.%f+00")


def us_at(year, month=1, day=1):
    return us_of(dt.datetime(year, month, day, tzinfo=UTC))


# ------------------------------------------------------------------ zones

def transitions(zone, years):
    """UTC hours (as microseconds) at which the zone's offset changes."""
    tz = ZoneInfo(zone)
    found = []
    for year in years:
        t = us_at(year)
        before = dt_of(t).astimezone(tz).utcoffset()
        for _ in range(366 * 24):
            t += 3600 * US
            offset = dt_of(t).astimezone(tz).utcoffset()
            if offset != before:
                found.append(t)
            before = offset
    return found


def local_bins(us, zone):
    local = dt_of(us).astimezone(ZoneInfo(zone))
    return local.hour, local.weekday() * 24 + local.hour


# -------------------------------------------------------------- event sets

def draw_times(rng, kind, zone, dst_cache):
    if kind == "spread":
        n = rng.randint(2, 400)
        lo, hi = us_at(1900), us_at(2100)
        return [rng.randint(lo, hi) for _ in range(n)]
    if kind == "dst":
        if zone not in dst_cache:
            dst_cache[zone] = transitions(zone, [1975, 2007, 2024, 2031, 2060])
        edges = dst_cache[zone] or [us_at(2024, 3, 10)]
        return [rng.choice(edges) + rng.randint(-4 * 3600 * US, 4 * 3600 * US)
                for _ in range(rng.randint(2, 300))]
    if kind == "bot":
        period = rng.choice([1, 60, 300, 3600, 86400]) * US
        start = rng.randint(us_at(2020), us_at(2025))
        times = [start + i * period for i in range(rng.randint(2, 500))]
        return times + rng.sample(times, rng.randint(0, min(5, len(times))))  # repeats
    if kind == "poisson":
        t = rng.randint(us_at(2020), us_at(2025))
        times = []
        for _ in range(rng.randint(2, 1000)):
            t += int(rng.expovariate(1 / 600) * US)
            times.append(t)
        return times
    if kind == "bursty":
        t = rng.randint(us_at(2020), us_at(2025))
        times = []
        for _ in range(rng.randint(2, 800)):
            t += rng.randint(0, 5 * US) if rng.random() < 0.9 else int(rng.paretovariate(1.2) * 3600 * US)
            times.append(t)
        return times
    if kind == "tiny":
        return [rng.randint(us_at(2000), us_at(2030)) for _ in range(rng.randint(0, 3))]
    if kind == "nulls":
        return [rng.randint(us_at(2023), us_at(2024)) for _ in range(rng.randint(0, 20))]
    raise ValueError(kind)


def cadence_of(times):
    """numpy's gap statistics; None where undefined."""
    n = len(times)
    out = {"events": n}
    names = ["mean_gap", "sd_gap", "cv", "burstiness", "memory", "median_gap", "min_gap", "max_gap"]
    for k in names:
        out[k] = None
    if n < 2:
        return out
    t = np.sort(np.array(times, dtype=np.int64))
    gaps = np.diff(t).astype(np.float64) / US
    mean, sd = float(np.mean(gaps)), float(np.std(gaps))
    out.update(mean_gap=mean, sd_gap=sd, median_gap=float(np.median(gaps)),
               min_gap=float(np.min(gaps)), max_gap=float(np.max(gaps)))
    if mean > 0:
        out["cv"] = sd / mean
        out["burstiness"] = (sd - mean) / (sd + mean)
    if len(gaps) >= 3 and np.ptp(gaps[:-1]) > 0 and np.ptp(gaps[1:]) > 0:
        out["memory"] = float(np.corrcoef(gaps[:-1], gaps[1:])[0, 1])
    return out


def make_sets(rng):
    sets, events, expect = [], [], []
    dst_cache = {}
    set_id = 0
    for kind in KINDS:
        for i in range(60 if kind != "tiny" else 40):
            set_id += 1
            zone = rng.choice(ZONES)
            session = rng.random() < 0.3
            times = draw_times(rng, kind, zone, dst_cache)
            if kind == "nulls" and i == 0:
                times = []  # every seed has a set of NULL rows only (1 in 50 drew none)
            hourly, weekly = [0] * 24, [0] * 168
            for us in times:
                h, w = local_bins(us, zone)
                hourly[h] += 1
                weekly[w] += 1
            rows = [(set_id, utc_text(us)) for us in times]
            if kind == "nulls" or rng.random() < 0.1:
                rows += [(set_id, None)] * rng.randint(1, 3)
            events.extend(rows)
            sets.append((set_id, kind, zone, session, len(times)))
            c = cadence_of(times)
            expect.append((set_id, hourly if times else None, weekly if times else None,
                           c["events"] if times else None,
                           c["mean_gap"], c["sd_gap"], c["cv"], c["burstiness"], c["memory"],
                           c["median_gap"], c["min_gap"], c["max_gap"]))
    rng.shuffle(events)
    return sets, events, expect


# ------------------------------------------------------------------ cosine

def cosine_of(a, b):
    a, b = np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)
    if len(a) == 0 or not a.any() or not b.any():
        return None
    # scaled as in the definition's spirit: a cosine does not depend on scale
    a, b = a / np.max(np.abs(a)), b / np.max(np.abs(b))
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def make_cosines(rng, expect):
    npr = np.random.default_rng(rng.getrandbits(64))
    pairs = []
    profiles = [e[1] for e in expect if e[1] is not None]
    for _ in range(150):
        a, b = rng.sample(profiles, 2)
        pairs.append(("profiles", [x / sum(a) for x in a], [x / sum(b) for x in b]))
    for _ in range(150):
        n = rng.choice([1, 2, 3, 24, 168, 1000])
        pairs.append(("signed", list(npr.normal(size=n)), list(npr.normal(size=n))))
    for _ in range(50):
        n = rng.choice([2, 24, 168])
        scale = 10.0 ** rng.choice([-300, -150, 150, 300])
        pairs.append(("extreme", list(npr.random(n) * scale), list(npr.random(n))))
    for _ in range(30):
        a = list(npr.random(24))
        pairs.append(("self", a, a))
        pairs.append(("proportional", a, [x * 3.5 for x in a]))
        pairs.append(("opposite", a, [-x for x in a]))
    pairs.append(("zero", [0.0] * 24, list(npr.random(24))))
    pairs.append(("zero", list(npr.random(24)), [0.0] * 24))
    pairs.append(("empty", [], []))
    return [(i + 1, kind, a, b, cosine_of(a, b)) for i, (kind, a, b) in enumerate(pairs)]


# ------------------------------------------------------------------ output

def copy_field(x):
    if x is None:
        return "\\N"
    if isinstance(x, bool):
        return "t" if x else "f"
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, list):
        return "{" + ",".join(repr(float(v)) if isinstance(v, float) else str(v) for v in x) + "}"
    return str(x)


def write_copy(f, table, columns, rows):
    f.write("COPY %s (%s) FROM stdin;\n" % (table, ", ".join(columns)))
    for r in rows:
        f.write("\t".join(copy_field(x) for x in r) + "\n")
    f.write("\\.\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="directory for the SQL fixture")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    sets, events, expect = make_sets(rng)
    cosines = make_cosines(rng, expect)
    with open(os.path.join(args.out, "activity.sql"), "w", encoding="utf-8") as f:
        f.write("-- Generated by test/reference/activity_reference.py --seed %d\n" % args.seed)
        f.write("CREATE TABLE act_set (id int PRIMARY KEY, kind text, zone text, session bool, n int);\n")
        f.write("CREATE TABLE act_event (id int, t timestamptz);\n")
        f.write("CREATE TABLE act_expect (id int PRIMARY KEY, hourly bigint[], weekly bigint[], events bigint,\n"
                "  mean_gap float8, sd_gap float8, cv float8, burstiness float8, memory float8,\n"
                "  median_gap float8, min_gap float8, max_gap float8);\n")
        f.write("CREATE TABLE act_cosine (id int PRIMARY KEY, kind text, a float8[], b float8[], cosine float8);\n")
        write_copy(f, "act_set", ["id", "kind", "zone", "session", "n"], sets)
        write_copy(f, "act_event", ["id", "t"], events)
        write_copy(f, "act_expect", ["id", "hourly", "weekly", "events", "mean_gap", "sd_gap", "cv",
                                     "burstiness", "memory", "median_gap", "min_gap", "max_gap"], expect)
        write_copy(f, "act_cosine", ["id", "kind", "a", "b", "cosine"], cosines)
        f.write("ANALYZE act_set; ANALYZE act_event; ANALYZE act_expect; ANALYZE act_cosine;\n")


if __name__ == "__main__":
    main()
