#!/usr/bin/env python3
"""bench/bench.py: time the topic-entropy queries and print the table.

Called by bench/run.sh once the tables exist; talks to the server through
psql with the libpq environment (PGHOST, PGPORT, ...).  Every query runs
under EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON): the server runs
the query exactly as written (no wrapper that could change the plan) and
discards the rows, so client transfer and output functions are not timed;
TIMING OFF keeps the per-row instrumentation to a counter increment.  The
time reported is the plan's "Execution Time" (planning time is < 10 ms).

Each query runs serially (max_parallel_workers_per_gather = 0) and with two
workers (= 2).  When the planner keeps a query serial at 2, the parallel run
is forced with parallel_setup_cost = parallel_tuple_cost = 0 and the table
says so.

The machine is shared, so runs are arranged for fair comparisons: rounds
(run 1 of everything, then run 2, ...), and within a round the floor and
ours run back to back (RUN_ORDER), so a ratio taken within one round
compares runs made under the same outside load.  The tables give medians
over the rounds (and the best run); the targets use the median of the
per-round ratios.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

from pgproc import psql, proc_stat, find_postmaster, children_cpu, library_stamp

# name, label, SQL, modes.  The SQL is what a user runs; EXPLAIN ANALYZE
# discards the rows.  Listed in display order; RUN_ORDER is the timing order.
BOTH = ("serial", "parallel")
SERIAL = ("serial",)
QUERIES = [
    ("ours", "a) sybil.topic_entropy(topic)",
     "SELECT account_id, sybil.topic_entropy(topic) FROM interactions GROUP BY account_id", BOTH),
    ("sql", "b) plain SQL: window, float ln(p)",
     """SELECT account_id, -sum(p * ln(p)) / ln(2) AS entropy
FROM (SELECT account_id, n / sum(n) OVER (PARTITION BY account_id) AS p
      FROM (SELECT account_id, topic, count(*)::float8 AS n
            FROM interactions GROUP BY account_id, topic) counts) probs
GROUP BY account_id""", BOTH),
    ("sql1", "b') plain SQL: one pass, float ln(n)",
     """SELECT account_id, (ln(sum(n)) - sum(n * ln(n)) / sum(n)) / ln(2) AS entropy
FROM (SELECT account_id, topic, count(*)::float8 AS n
      FROM interactions GROUP BY account_id, topic) counts
GROUP BY account_id""", BOTH),
    ("sql_numeric", "b'') plain SQL: window, numeric log(2, p)",
     """SELECT account_id, -sum(p * log(2, p)) AS entropy
FROM (SELECT account_id, n / sum(n) OVER (PARTITION BY account_id) AS p
      FROM (SELECT account_id, topic, count(*) AS n
            FROM interactions GROUP BY account_id, topic) counts) probs
GROUP BY account_id""", SERIAL),
    ("floor", "c) floor: count(*)",
     "SELECT account_id, count(*) FROM interactions GROUP BY account_id", BOTH),
    ("hist", "d) sybil.histogram_agg(topic)",
     "SELECT account_id, sybil.histogram_agg(topic) FROM interactions GROUP BY account_id", BOTH),
    ("union", "e) entropy(histogram_union(h)) of days",
     """SELECT account_id, sybil.entropy(sybil.histogram_union(h))
FROM daily_topic_histograms GROUP BY account_id""", BOTH),
    ("union_sql", "e') plain SQL roll-up of daily counts",
     """SELECT account_id, -sum(p * ln(p)) / ln(2) AS entropy
FROM (SELECT account_id, n / sum(n) OVER (PARTITION BY account_id) AS p
      FROM (SELECT account_id, topic, sum(n)::float8 AS n
            FROM daily_topic_counts GROUP BY account_id, topic) counts) probs
GROUP BY account_id""", BOTH),
]
# b'') spends its time in numeric log() in the top aggregate, which runs in
# the leader whatever the workers do (measured: 124 s serial, 124-225 s
# parallel), so its parallel run is left out to save five minutes a round.
RUN_ORDER = ["floor", "ours", "hist", "sql", "sql1", "union", "union_sql", "sql_numeric"]

# Sanity check run once before timing: ours and the plain SQL agree.
CHECK = """
SELECT count(*), coalesce(max(abs(o.e - s.e)), 0)
FROM (SELECT account_id, sybil.topic_entropy(topic) AS e FROM interactions
      WHERE account_id % 97 = 0 GROUP BY account_id) o
FULL JOIN (SELECT account_id, -sum(p * ln(p)) / ln(2) AS e
           FROM (SELECT account_id, n / sum(n) OVER (PARTITION BY account_id) AS p
                 FROM (SELECT account_id, topic, count(*)::float8 AS n FROM interactions
                       WHERE account_id % 97 = 0 GROUP BY account_id, topic) c) p
           GROUP BY account_id) s USING (account_id)
"""

MODES = {"serial": ["SET max_parallel_workers_per_gather = 0;"],
         "parallel": ["SET max_parallel_workers_per_gather = 2;"]}
FORCE = ["SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;"]


def explain(settings, query, analyze):
    opts = "ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON" if analyze else "FORMAT JSON"
    out = psql("\n".join(settings) + f"\nEXPLAIN ({opts})\n{query};\n")
    return json.loads(out)[0]


# CPU time.  Wall-clock time on a machine shared with other work says little
# about the query, so every timed run also records the CPU seconds (user +
# system) of its backend and its parallel workers: the postmaster reaps both
# when they exit, and Linux adds a reaped child's CPU time to the parent's
# cutime and cstime.  Needs a server on this machine (as under pg_virtualenv);
# otherwise the CPU column shows "-".
def timed_explain(postmaster, settings, query):
    """EXPLAIN ANALYZE in a fresh session; (result, CPU seconds or None)."""
    before = children_cpu(postmaster)
    out = psql("\n".join(settings) + "\nSELECT pg_backend_pid();\n"
               f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON)\n{query};\n")
    pid, plan = out.split("\n", 1)
    deadline = time.time() + 30
    while os.path.exists(f"/proc/{pid}") and time.time() < deadline:
        time.sleep(0.02)
    after = children_cpu(postmaster)
    cpu = after - before if before is not None and after is not None and \
        not os.path.exists(f"/proc/{pid}") else None
    return json.loads(plan)[0], cpu


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def has_gather(plan):
    return any(n["Node Type"].startswith("Gather") for n in nodes(plan))


def kb(v):
    if v is None:
        return "-"
    return f"{v / 1024:.0f} MB" if v >= 10240 else f"{v} kB"


def blocks_mb(b):
    return f"{b * 8192 / 1048576:.0f} MB"


def node_name(n):
    t = n["Node Type"]
    if t == "Aggregate":
        strat = {"Hashed": "HashAggregate", "Sorted": "GroupAggregate",
                 "Plain": "Aggregate", "Mixed": "MixedAggregate"}[n["Strategy"]]
        mode = n.get("Partial Mode", "Simple")
        return strat if mode == "Simple" else f"{mode} {strat}"
    if t in ("Gather", "Gather Merge"):
        return f"{t}({n.get('Workers Launched', '?')}/{n.get('Workers Planned', '?')} workers)"
    if n.get("Parallel Aware"):
        t = "Parallel " + t
    if "Relation Name" in n:
        t += " on " + n["Relation Name"]
    return t


def node_memory(n):
    """Memory and spill facts of a hash aggregate or sort, leader and workers."""
    parts = []
    who = [("", n)] + [(f"w{w['Worker Number']}:", w) for w in n.get("Workers", [])]
    for tag, d in who:
        if "Peak Memory Usage" in d or "HashAgg Batches" in d:
            s = f"{tag}peak {kb(d.get('Peak Memory Usage'))}"
            if d.get("HashAgg Batches", 1) > 1 or d.get("Disk Usage", 0):
                s += f", {d.get('HashAgg Batches')} batches, disk {kb(d.get('Disk Usage'))}"
            parts.append(s)
        elif "Sort Method" in d:
            parts.append(f"{tag}{d['Sort Method']} {kb(d.get('Sort Space Used'))}"
                         f" {d.get('Sort Space Type', '').lower()}")
    return "; ".join(parts)


def describe(plan):
    """One line per interesting node, top down."""
    lines = []
    for n in nodes(plan):
        if n["Node Type"] in ("Result", "Subquery Scan"):
            continue
        line = node_name(n)
        if n["Node Type"] == "Aggregate" and n.get("Strategy") != "Plain":
            line += f" [groups est {n['Plan Rows']:,}, actual {n['Actual Rows']:,}]"
        mem = node_memory(n)
        if mem:
            line += " -- " + mem
        lines.append(line)
    return lines


def fmt_s(v):
    return f"{v:.2f}" if v is not None else "-"


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--data", default="")
    ap.add_argument("--save")
    args = ap.parse_args()
    only = [q for q in args.only.split(",") if q]
    queries = [q for q in QUERIES if not only or q[0] in only]

    out_lines = []

    def emit(line=""):
        print(line, flush=True)
        out_lines.append(line)

    facts = psql("""
SELECT version();
SELECT extversion FROM pg_extension WHERE extname = 'pg_sybil';
SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
FROM pg_settings WHERE name IN ('work_mem', 'hash_mem_multiplier', 'shared_buffers',
  'max_parallel_workers_per_gather', 'max_parallel_workers', 'jit', 'effective_cache_size');
SELECT pg_size_pretty(pg_table_size('interactions')),
       (SELECT count(DISTINCT account_id) FROM interactions)::text;
""").strip().split("\n")
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem_gib = 0
    git = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)),
                          "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip() or "?"
    size, naccounts = facts[3].split("|")

    emit(f"pg_sybil topic-entropy benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    emit(f"machine:  {os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, {platform.platform()}")
    emit(f"load avg at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    stamp = library_stamp()
    emit(f"server:   {facts[0].split(' on ')[0]}; pg_sybil {facts[1]} (git {git})")
    emit(f"library:  {stamp}")
    emit(f"settings: {facts[2]}")
    emit(f"data:     interactions {size}, {naccounts} accounts ({args.data})")

    n, diff = psql(CHECK).strip().split("|")
    emit(f"check:    ours vs plain SQL on {n} accounts (account_id % 97 = 0): "
         f"max |difference| = {float(diff):.2e} bits")
    if float(diff) > 1e-9:
        raise SystemExit("ours and the plain SQL disagree")
    emit()

    # Decide each query's parallel settings from its plan at 2 workers.
    settings = {}
    forced = {}
    for name, _, sql, modes in queries:
        settings[(name, "serial")] = MODES["serial"]
        forced[name] = False
        if "parallel" in modes:
            par = MODES["parallel"]
            forced[name] = not has_gather(explain(par, sql, False)["Plan"])
            settings[(name, "parallel")] = par + (FORCE if forced[name] else [])

    postmaster = find_postmaster()
    times, cpus, loads, plans = {}, {}, {}, {}
    by_name = {q[0]: q for q in queries}
    order = [n for n in RUN_ORDER if n in by_name] + [n for n in by_name if n not in RUN_ORDER]
    for run in range(args.runs):
        for name in order:
            _, _, sql, modes = by_name[name]
            for mode in modes:
                key = (name, mode)
                res, cpu = timed_explain(postmaster, settings[key], sql)
                t = res["Execution Time"] / 1000.0
                times.setdefault(key, []).append(t)
                cpus.setdefault(key, []).append(cpu)
                loads.setdefault(key, []).append(os.getloadavg()[0])
                plans[key] = res
                print(f"  run {run + 1}/{args.runs}  {name:11s} {mode:8s} {t:8.2f} s"
                      + (f"  cpu {cpu:7.2f} s" if cpu is not None else "")
                      + f"  load {loads[key][-1]:.2f}", file=sys.stderr, flush=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    cmed = {k: statistics.median(v) for k, v in cpus.items() if None not in v}
    best = {k: min(v) for k, v in times.items()}

    def table(title, m):
        emit(title)
        hdr = (f"{'query':44s} {'serial':>7s} {'parallel':>8s}   {'/floor ser':>10s} {'par':>5s}"
               f"   {'/ours ser':>9s} {'par':>5s}")
        emit(hdr)
        emit("-" * len(hdr))
        for name, label, _, _ in queries:
            s_, p_ = m.get((name, "serial")), m.get((name, "parallel"))
            base = "union" if name == "union_sql" else "ours"
            fl = [ratio(s_, m.get(("floor", "serial"))), ratio(p_, m.get(("floor", "parallel")))]
            if name in ("union", "union_sql"):
                fl = ["-", "-"]
            ou = [ratio(s_, m.get((base, "serial"))), ratio(p_, m.get((base, "parallel")))]
            if name == "union":
                ou = ["-", "-"]
            emit(f"{label + (' *' if forced[name] else ''):44s} {fmt_s(s_):>7s} {fmt_s(p_):>8s}"
                 f"   {fl[0]:>10s} {fl[1]:>5s}   {ou[0]:>9s} {ou[1]:>5s}")
        emit()

    emit(f"{args.runs} rounds; seconds.  /floor = time / time of c);"
         " /ours = time / time of a) (for e'), of e)).")
    emit()
    table(f"Wall clock, median (EXPLAIN ANALYZE execution time, TIMING OFF):", med)
    if cmed:
        table("CPU, median (user + system of the backend and its parallel workers):", cmed)
    if args.runs > 1:
        table(f"Wall clock, best of {args.runs} (outside load only ever adds time):", best)
    if any(forced.values()):
        emit("* the planner kept it serial at max_parallel_workers_per_gather = 2; the parallel"
             " run is forced with parallel_setup_cost = parallel_tuple_cost = 0")
        emit()

    def paired(num, den, mode, series):
        """Per-round ratios num/den, or None if either is missing."""
        a, b = series.get((num, mode)), series.get((den, mode))
        if not a or not b or None in a or None in b:
            return None
        return [x / y for x, y in zip(a, b)]

    if "ours" in by_name and "floor" in by_name:
        emit("Targets (issue): ours within 1.3x of the floor; plain SQL at least 3x slower than ours.")
        emit("Each ratio is taken within a round (runs made minutes apart), then the median over rounds.")
        for what, series in (("wall", times), ("CPU", cpus)):
            for mode in ("serial", "parallel"):
                checks = [("ours/floor", paired("ours", "floor", mode, series), lambda r: r <= 1.3)]
                for sql, tag in (("sql", "b/ours"), ("sql_numeric", "b''/ours")):
                    checks.append((tag, paired(sql, "ours", mode, series), lambda r: r >= 3))
                parts = []
                for tag, rs, ok in checks:
                    if rs:
                        r = statistics.median(rs)
                        parts.append(f"{tag} {r:5.2f} ({'met' if ok(r) else 'MISSED'};"
                                     f" rounds {', '.join(f'{x:.2f}' for x in rs)})")
                if parts:
                    emit(f"  {what:4s} {mode:8s} " + "; ".join(parts))
        emit()

    emit("Plans (last run) and memory: peak = hash table memory; batches > 1 and disk = spilled.")
    for name, label, _, modes in queries:
        for mode in modes:
            key = (name, mode)
            res = plans[key]
            p = res["Plan"]
            runs = ", ".join(f"{t:.2f}" for t in times[key]) + " s"
            if None not in cpus[key]:
                runs += "; CPU " + ", ".join(f"{c:.2f}" for c in cpus[key]) + " s"
            runs += "; load " + ", ".join(f"{x:.1f}" for x in loads[key])
            jit = res.get("JIT", {}).get("Timing", {}).get("Total")
            emit(f"{label} -- {mode}{' (forced)' if mode == 'parallel' and forced[name] else ''}:"
                 f" runs {runs}; temp written {blocks_mb(p.get('Temp Written Blocks', 0))}"
                 + (f"; JIT {jit / 1000:.2f} s" if jit else ""))
            for i, line in enumerate(describe(p)):
                emit(("    " + "  " * i) + "-> " + line)
        emit()

    emit(f"load avg at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if library_stamp() != stamp:
        emit(f"WARNING: pg_sybil.so changed during the run (now {library_stamp()});"
             " the figures mix two builds")
    if args.save:
        with open(args.save, "w") as f:
            f.write("\n".join(out_lines) + "\n")
            f.write("\nQueries:\n")
            for name, label, sql, _ in queries:
                f.write(f"\n-- {label}\n{sql};\n")


if __name__ == "__main__":
    main()
