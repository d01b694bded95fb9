#!/usr/bin/env python3
"""bench/minhash_bench.py: time MinHash signatures and similar pairs, ours
against what users otherwise run, and print the table.

Called by bench/minhash_run.sh once the access-log tables exist; talks to the
server through psql with the libpq environment (PGHOST, PGPORT, ...), and
must run on the server's machine (it reads /proc of the server's processes).

Parts and methods:

 sig   per-account signatures of the IP sets, on the main table (30M rows,
       1M accounts); every query serial and with 2 parallel workers, run as
       EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) <query> (the rows
       are made and discarded, as in bench.py):
         ours         SELECT account_id, sybil.minhash_agg(ip) ... GROUP BY account_id
         ours_int     the same with the IP as a bigint item, ip - '0.0.0.0'
         floor_distinct  SELECT account_id, count(DISTINCT ip) ... GROUP BY account_id
         floor_count  SELECT account_id, count(*) ... GROUP BY account_id
 pairs similar pairs on each table of the pair series (100k accounts carries
       the targets), at each threshold, the pairs counted (count(*)):
         sj           plain SQL: distinct (account, ip) rows with each
                      account's set size, self-joined on ip with
                      a.account_id < b.account_id, shared IPs counted per
                      pair, Jaccard = shared / (na + nb - shared) >= t
         e2e          ours end to end: sybil.similar_pairs over
                      'SELECT account_id, sybil.minhash_agg(ip) ... GROUP BY account_id'
         e2e_serial   the same with max_parallel_workers_per_gather = 0
         rows         ours end to end from the rows: sybil.similar_sets over
                      'SELECT account_id, ip FROM <table>' (signatures built
                      inside, no GROUP BY)
         rows_exact   rows with exact => true: pairs kept by their exact Jaccard
                      (at 1M with sybil.graph_memory_limit = 4GB)
         sigs         ours once signatures exist: sybil.similar_pairs over a
                      table of (account_id, sig)
         verify       sigs with verify_query 'SELECT account_id, ip FROM <table>':
                      candidates kept by their exact Jaccard
         verify_4gb   (big part only) verify with sybil.graph_memory_limit = 4GB
 big   the pairs at 1M accounts (the main table): e2e, e2e_serial, rows,
       rows_exact, sigs and verify and verify_4gb at the first threshold,
       sigs at the others.  sj
       (under statement_timeout, --sql-timeout), e2e_serial and verify_4gb
       only in the first --slow-runs rounds.

Everything but the sig part and e2e_serial runs with the server's
max_parallel_workers_per_gather (2 under `make bench-minhash`): the planner
decides, as it would for a user, and similar_pairs plans its query with
CURSOR_OPT_PARALLEL_OK.

Timing.  Each run is a fresh psql session.  EXPLAIN runs: the plan's
Execution Time.  Other runs: the server's clock_timestamp() read by a
statement just before and just after the method, in the same session.  CPU
time is the user + system time of the backend and its parallel workers: the
postmaster reaps them when they exit, and Linux adds a reaped child's time to
the parent's cutime/cstime (/proc/<postmaster>/stat).

Memory.  "peak MB" is the growth of private memory: the backend's RssAnon
(/proc/<pid>/status) plus the RssAnon of its parallel workers, sampled every
10 ms, at the sample where the sum is largest, minus the backend's RssAnon
just before the method's statement (the sampler of components_bench.py).
"HWM MB" is the growth of the backend's VmHWM (peak resident set, shared
buffers included).  "temp MB" is the growth of pg_stat_database.temp_bytes
around the run (read after the session ended).

Untimed, once: the self-join's pair count per table (sum over IPs of
deg * (deg - 1) / 2, checked against the generator), the signature tables
(rebuilt every run: they depend on the installed hash functions), and the
exact answer sets ("truth": every pair with Jaccard >= 0.3, from the
self-join, kept and reused while the data stamp matches), against which the
answers of sigs and verify are scored: precision and recall at the
threshold t, and recall among pairs with Jaccard >= t + 0.1.

Rounds.  Runs go in rounds (run 1 of every method, then run 2, ...); ratios
are taken between runs of the same round, then the median over the rounds is
shown.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time

from pgproc import psql, find_postmaster, children_cpu, lib_path, library_stamp
from bench import describe, has_gather
from components_bench import status_kb, Sampler

TRUTH_MIN_J = 0.3
MEM_CAP_MB = 4096              # the 1M self-join is cancelled past this

SIG_QUERIES = [
    # name, label, aggregate
    ("ours", "a) ours: sybil.minhash_agg(ip)", "sybil.minhash_agg(ip)"),
    ("ours_int", "a') ours: minhash_agg(ip - '0.0.0.0'), bigint",
     "sybil.minhash_agg(ip - '0.0.0.0'::inet)"),
    ("floor_distinct", "f1) floor: count(DISTINCT ip)", "count(DISTINCT ip)"),
    ("floor_count", "f2) floor: count(*)", "count(*)"),
]
SIG_ORDER = ["floor_distinct", "ours", "floor_count", "ours_int"]
PAIR_METHODS = ["sj", "e2e", "e2e_serial", "rows", "rows_exact", "sigs", "verify", "verify_4gb"]
BIG_MEMORY = "4GB"             # sybil.graph_memory_limit of verify_4gb
BIG_SLOW = {"e2e_serial", "verify_4gb"}  # at 1M: only in the first --slow-runs rounds
LABELS = {
    "sj": "s) plain SQL self-join on shared IPs",
    "e2e": "p) ours end to end: minhash_agg + similar_pairs",
    "e2e_serial": "p') the same, serial",
    "rows": "p2) ours end to end from the rows: similar_sets",
    "rows_exact": "r2) p2 with exact => true (exact Jaccard)",
    "sigs": "q) ours, signatures exist: similar_pairs",
    "verify": "r) q + verify_query (exact Jaccard)",
    "verify_4gb": f"r') r with graph_memory_limit {BIG_MEMORY}",
}


def sig_sql(table, agg):
    return f"SELECT account_id, {agg} FROM {table} GROUP BY account_id"


def sj_sql(table, t):
    return f"""WITH s AS (
    SELECT account_id, ip, count(*) OVER (PARTITION BY account_id) AS n
    FROM (SELECT DISTINCT account_id, ip FROM {table}) d)
SELECT count(*)
FROM (SELECT a.account_id AS a, b.account_id AS b, count(*) AS common, a.n AS na, b.n AS nb
      FROM s a JOIN s b ON a.ip = b.ip AND a.account_id < b.account_id
      GROUP BY a.account_id, b.account_id, a.n, b.n) p
WHERE common::float8 / (na + nb - common) >= {t};"""


def truth_sql(table):
    return f"""WITH s AS (
    SELECT account_id, ip, count(*) OVER (PARTITION BY account_id) AS n
    FROM (SELECT DISTINCT account_id, ip FROM {table}) d)
SELECT a, b, j
FROM (SELECT a.account_id AS a, b.account_id AS b,
             count(*)::float8 / (a.n + b.n - count(*)) AS j
      FROM s a JOIN s b ON a.ip = b.ip AND a.account_id < b.account_id
      GROUP BY a.account_id, b.account_id, a.n, b.n) p
WHERE j >= {TRUTH_MIN_J}"""


def pairs_call(method, table, sigs, t):
    """The similar_pairs call of a method (no count wrapper)."""
    if method in ("e2e", "e2e_serial"):
        q = f"SELECT account_id, sybil.minhash_agg(ip) FROM {table} GROUP BY account_id"
        return f"sybil.similar_pairs('{q}', {t})"
    if method == "sigs":
        return f"sybil.similar_pairs('SELECT account_id, sig FROM {sigs}', {t})"
    if method == "rows":
        return f"sybil.similar_sets('SELECT account_id, ip FROM {table}', {t})"
    if method == "rows_exact":
        return f"sybil.similar_sets('SELECT account_id, ip FROM {table}', {t}, exact => true)"
    if method in ("verify", "verify_4gb"):
        return (f"sybil.similar_pairs('SELECT account_id, sig FROM {sigs}', {t},\n"
                f"    verify_query => 'SELECT account_id, ip FROM {table}')")
    raise ValueError(method)


def pair_sql(method, table, sigs, t):
    if method == "sj":
        return sj_sql(table, t)
    return f"SELECT count(*) FROM {pairs_call(method, table, sigs, t)};"


def pair_count_sql(table):
    return (f"SELECT sum(d * (d - 1) / 2) FROM (SELECT count(*) AS d FROM"
            f" (SELECT DISTINCT account_id, ip FROM {table}) s GROUP BY ip) x;")


def tstr(t):
    return f"{t:.6g}"


# ---------------------------------------------------------------- runs

class Result:
    def __init__(self):
        self.wall = self.cpu = self.mem_mb = self.hwm_mb = self.temp_mb = None
        self.count = None
        self.plan = None
        self.status = "ok"
        self.extra = ""
        self.load = os.getloadavg()[0]
        self.when = None
        self.build = None


def temp_bytes():
    out = psql("SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database();")
    try:
        return int(out.strip())
    except ValueError:
        return None


def run_one(postmaster, settings, sql, explain=False, timeout=None, cap_mb=None):
    """One run in a fresh session; a Result."""
    r = Result()
    settings = list(settings)
    if timeout:
        settings.append(f"SET statement_timeout = '{timeout}s';")
    t0 = temp_bytes()
    p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    p.stdin.write("\n".join(settings) + "\nSELECT pg_backend_pid();\n")
    p.stdin.flush()
    pid = int(p.stdout.readline())
    base = status_kb(pid)
    cpu0 = children_cpu(postmaster)

    def cancel():
        def terminate():
            if p.poll() is None:
                subprocess.run(["psql", "-X", "-q", "-A", "-t", "-c",
                                f"SELECT pg_terminate_backend({pid})"], capture_output=True)
        subprocess.run(["psql", "-X", "-q", "-A", "-t", "-c",
                        f"SELECT pg_cancel_backend({pid})"], capture_output=True)
        threading.Timer(3, terminate).start()

    sampler = Sampler(pid, postmaster, workers=True,
                      cap_kb=cap_mb * 1024 if cap_mb else None, on_cap=cancel)
    sampler.start()
    t_start = time.monotonic()
    body = (f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON)\n{sql};" if explain else sql)
    out, err = p.communicate(
        "SELECT 'T0', extract(epoch FROM clock_timestamp());\n" + body + "\n"
        "SELECT 'T1', extract(epoch FROM clock_timestamp());\n")
    elapsed = time.monotonic() - t_start
    sampler.stop.set()
    sampler.join()
    deadline = time.time() + 30
    while os.path.exists(f"/proc/{pid}") and time.time() < deadline:
        time.sleep(0.02)
    gone = not os.path.exists(f"/proc/{pid}")
    cpu1 = children_cpu(postmaster)
    r.cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None and gone else None
    if base:
        r.mem_mb = (sampler.peak_kb - base["RssAnon"]) / 1024
        r.hwm_mb = (sampler.hwm_kb - base["VmHWM"]) / 1024
    r.extra = f"parallel workers seen: {len(sampler.worker_pids)}"
    time.sleep(0.05)
    t1 = temp_bytes()
    if t0 is not None and t1 is not None:
        r.temp_mb = (t1 - t0) / 2**20
    if p.returncode != 0:
        r.wall = elapsed
        if sampler.capped:
            r.status = "memcap"
            r.extra = f"cancelled past {cap_mb} MB; " + r.extra
        elif "statement timeout" in err:
            r.status = "timeout"
        else:
            # An ERROR of the method itself (e.g. sybil.graph_memory_limit):
            # recorded and shown, the benchmark goes on.
            r.status = "error"
            msg = [l.strip() for l in err.splitlines() if l.startswith(("ERROR", "DETAIL"))]
            r.extra = " ".join(msg) or err.strip()[:300]
            sys.stderr.write(err)
        return r
    lines = out.splitlines()
    i0 = next(i for i, l in enumerate(lines) if l.startswith("T0|"))
    i1 = next(i for i, l in enumerate(lines) if l.startswith("T1|"))
    inner = "\n".join(lines[i0 + 1:i1])
    if explain:
        res = json.loads(inner)[0]
        r.plan = res
        r.wall = res["Execution Time"] / 1000.0
    else:
        r.wall = float(lines[i1].split("|")[1]) - float(lines[i0].split("|")[1])
        if re.fullmatch(r"\d+", inner.strip()):
            r.count = int(inner.strip())
    return r


# ---------------------------------------------------------------- report helpers

def lib_sig():
    try:
        st = os.stat(lib_path())
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(v, nd=2):
    if v is None:
        return "-"
    if nd == 2 and abs(v) < 0.1:
        nd = 3
    return f"{v:.{nd}f}"


def fmt_ratio(v):
    if v is None:
        return "-"
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def pct(num, den):
    return f"{100.0 * num / den:.1f}%" if den else "-"


def lsh_shape(t, k=128):
    """(bands, rows) that similar_pairs picks for threshold t (lsh.c): the
    longest bands that could reach 0.95 at t, then the fewest of them that
    reach it at the recall point t + 2 sqrt(t (1 - t) / k)."""
    def p(j, bands, rows):
        return 1 - (1 - j ** rows) ** bands
    point = min(1.0, t + 2 * math.sqrt(t * (1 - t) / k))
    rows = next((r for r in range(k, 1, -1) if p(t, k // r, r) >= 0.95), 1)
    bands = next((b for b in range(1, k // rows) if p(point, b, rows) >= 0.95), k // rows)
    return bands, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table", action="append", default=[],
                    help="role:name:rows:accounts (role main or pairs)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=1)
    ap.add_argument("--sql-timeout", type=int, default=120)
    ap.add_argument("--thresholds", default="0.5 0.8")
    ap.add_argument("--only", default="",
                    help="comma-separated parts (sig, pairs, big) or methods ("
                    + ", ".join([q[0] for q in SIG_QUERIES] + PAIR_METHODS) + ")")
    ap.add_argument("--seed", default="20240601")
    ap.add_argument("--gen", help="gen_ip_rows binary (for the generator's summary)")
    ap.add_argument("--save")
    args = ap.parse_args()

    thresholds = [float(x) for x in args.thresholds.replace(",", " ").split()]
    only = [x for x in args.only.split(",") if x]
    known = {"sig", "pairs", "big"} | {q[0] for q in SIG_QUERIES} | set(PAIR_METHODS)
    for x in only:
        if x not in known:
            raise SystemExit(f"unknown part or method {x}; known: {', '.join(sorted(known))}")

    def wanted(part, method):
        if not only:
            return True
        parts = [x for x in only if x in ("sig", "pairs", "big")]
        methods = [x for x in only if x not in ("sig", "pairs", "big")]
        return (not parts or part in parts) and (not methods or method in methods)

    tables = {}
    for t in args.table:
        role, name, rows, accounts = t.split(":")
        tables.setdefault(role, []).append((name, int(rows), int(accounts)))
    main_t = tables["main"][0]
    pair_ts = sorted(tables.get("pairs", []), key=lambda x: x[2])
    target_t = pair_ts[-1] if pair_ts else None

    def sigs_name(table):
        return table.replace("ip_rows", "ip_sigs", 1)

    out_lines = []

    def emit(line=""):
        print(line, flush=True)
        out_lines.append(line)

    def note(line):
        print(line, file=sys.stderr, flush=True)

    facts = psql("""
SELECT version();
SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'pg_sybil'), '-');
SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
FROM pg_settings WHERE name IN ('work_mem', 'hash_mem_multiplier', 'shared_buffers',
  'max_parallel_workers_per_gather', 'max_parallel_workers', 'jit');
SELECT sybil.signature_size(sybil.minhash_agg(x)) FROM generate_series(1, 3) x;
SELECT current_setting('sybil.graph_memory_limit');
SELECT pg_size_bytes(current_setting('sybil.graph_memory_limit'));
""").strip().split("\n")
    k = int(facts[3])
    mem_limit_mb = int(facts[5]) / 2**20
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    git = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)),
                          "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip() or "?"

    emit(f"pg_sybil MinHash / similar-pairs benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    emit(f"machine:  {os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, {platform.platform()}")
    emit(f"load avg at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    stamp = library_stamp()
    emit(f"server:   {facts[0].split(' on ')[0]}; pg_sybil {facts[1]} (git {git})")
    emit(f"library:  {stamp}")
    emit(f"settings: {facts[2]}, sybil.graph_memory_limit={facts[4]}; signatures k = {k}")
    t_prep = time.monotonic()

    # ------------------------------------------------------------ data facts
    all_tables = pair_ts + [main_t]
    join_rows = {}
    for name, rows, accounts in all_tables:
        size = psql(f"SELECT pg_size_pretty(pg_table_size('{name}'));").strip()
        line, gen_pairs = "?", None
        if args.gen:
            line = subprocess.run([args.gen, str(rows), str(accounts), args.seed, "--stats"],
                                  capture_output=True, text=True, check=True).stdout.strip()
            m = re.search(r"sum of deg\*\(deg-1\)/2\) (\d+)", line)
            gen_pairs = int(m.group(1)) if m else None
        emit(f"table:    {name} {size}: {line}")
        note(f"counting the self-join's pairs of {name} ...")
        t0 = time.monotonic()
        # work_mem large enough that nothing spills: at the default 4MB,
        # PostgreSQL 15 once spent 14 minutes here (serial plan, the time in
        # tuplehash_iterate and the memset of ResetTupleHashTable between
        # spilled batches) where the same query usually takes 15-20 s.
        jr = int(psql("SET work_mem = '1GB';\n" + pair_count_sql(name)).strip())
        join_rows[name] = jr
        check = "" if gen_pairs is None else (
            ", as the generator says" if gen_pairs == jr else f", WRONG: the generator says {gen_pairs:,}")
        emit(f"          self-join rows (SQL: sum over IPs of deg*(deg-1)/2) {jr:,}{check}"
             f" ({time.monotonic() - t0:.0f} s)")

    # ------------------------------------------------------------ signatures
    need_sigs = any(wanted(p, m) for p in ("pairs", "big") for m in ("sigs", "verify", "verify_4gb"))
    if need_sigs:
        for name, rows, accounts in all_tables:
            if name != main_t[0] and not any(wanted("pairs", m) for m in ("sigs", "verify")):
                continue
            if name == main_t[0] and not any(wanted("big", m) for m in ("sigs", "verify", "verify_4gb")):
                continue
            sn = sigs_name(name)
            note(f"building {sn} ...")
            t0 = time.monotonic()
            psql(f"DROP TABLE IF EXISTS {sn};\n"
                 f"CREATE TABLE {sn} AS SELECT account_id, sybil.minhash_agg(ip) AS sig"
                 f" FROM {name} GROUP BY account_id;\n"
                 f"VACUUM (FREEZE, ANALYZE) {sn};")
            took = time.monotonic() - t0
            n, size = psql(f"SELECT count(*), pg_size_pretty(pg_table_size('{sn}')) FROM {sn};"
                           ).strip().split("|")
            emit(f"sigs:     {sn}: {int(n):,} signatures, {size}; CREATE TABLE AS + VACUUM"
                 f" {took:.1f} s (untimed)")

    # ------------------------------------------------------------ truth
    truth = {}                  # table -> histogram facts
    if pair_ts and any(wanted("pairs", m) for m in ("sigs", "verify", "sj")):
        for name, rows, accounts in pair_ts:
            tn = name.replace("ip_rows", "truth", 1)
            tstamp = (psql(f"SELECT obj_description('{name}'::regclass, 'pg_class');").strip()
                      + f"; pairs with jaccard >= {TRUTH_MIN_J}")
            have = psql(f"SELECT obj_description(to_regclass('public.{tn}'), 'pg_class');").strip()
            t0 = time.monotonic()
            if have != tstamp:
                note(f"building {tn} (the self-join, materialized) ...")
                psql(f"DROP TABLE IF EXISTS {tn};\n"
                     f"CREATE TABLE {tn} AS {truth_sql(name)};\n"
                     f"COMMENT ON TABLE {tn} IS '{tstamp}';\n"
                     f"VACUUM (FREEZE, ANALYZE) {tn};")
                how = f"built in {time.monotonic() - t0:.0f} s"
            else:
                how = "reused"
            hist = psql(f"""SELECT count(*) FILTER (WHERE j < 0.4), count(*) FILTER (WHERE j >= 0.4 AND j < 0.5),
  count(*) FILTER (WHERE j >= 0.5 AND j < 0.6), count(*) FILTER (WHERE j >= 0.6 AND j < 0.7),
  count(*) FILTER (WHERE j >= 0.7 AND j < 0.8), count(*) FILTER (WHERE j >= 0.8 AND j < 0.9),
  count(*) FILTER (WHERE j >= 0.9 AND j < 1), count(*) FILTER (WHERE j = 1),
  count(*) FILTER (WHERE j = 0.5), count(*) FILTER (WHERE j = 0.8)
FROM {tn};""").strip().split("|")
            h = [int(x) for x in hist]
            truth[name] = (tn, h)
            emit(f"truth:    {tn}: {sum(h[:8]):,} pairs with Jaccard >= {TRUTH_MIN_J} ({how});"
                 f" by Jaccard: [.3,.4) {h[0]:,}, [.4,.5) {h[1]:,}, [.5,.6) {h[2]:,},"
                 f" [.6,.7) {h[3]:,}, [.7,.8) {h[4]:,}, [.8,.9) {h[5]:,}, [.9,1) {h[6]:,},"
                 f" 1 {h[7]:,}; exactly 0.5: {h[8]:,}, exactly 0.8: {h[9]:,}")
    emit(f"prep:     {(time.monotonic() - t_prep) / 60:.1f} minutes (untimed)")
    emit()

    # ------------------------------------------------------------ plans
    serial = ["SET max_parallel_workers_per_gather = 0;"]
    par2 = ["SET max_parallel_workers_per_gather = 2;"]
    force = ["SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;"]
    server = []                 # the server's own setting
    forced = {}
    for name, label, agg in SIG_QUERIES:
        if wanted("sig", name):
            plan = json.loads(psql(f"SET max_parallel_workers_per_gather = 2;\n"
                                   f"EXPLAIN (FORMAT JSON) {sig_sql(main_t[0], agg)};"))[0]
            forced[name] = not has_gather(plan["Plan"])
    # Does the query inside e2e go parallel at the server's setting?
    inner_par = {}
    for name, rows, accounts in all_tables:
        plan = json.loads(psql(f"EXPLAIN (FORMAT JSON) {sig_sql(name, 'sybil.minhash_agg(ip)')};"))[0]
        inner_par[name] = has_gather(plan["Plan"])

    postmaster = find_postmaster()
    if postmaster is None:
        emit("note:     the postmaster is not on this machine; no CPU times")

    # ------------------------------------------------------------ schedule
    def schedule(rnd):
        items = []              # (key, settings, sql, explain, timeout, cap)
        mt = main_t[0]
        for name in SIG_ORDER:
            if not wanted("sig", name):
                continue
            agg = next(q[2] for q in SIG_QUERIES if q[0] == name)
            for mode in ("serial", "parallel"):
                st = serial if mode == "serial" else par2 + (force if forced[name] else [])
                items.append((("sig", name, mode, mt), st, sig_sql(mt, agg), True, None, None))
        for name, rows, accounts in pair_ts:
            for t in thresholds:
                for m in PAIR_METHODS:
                    if wanted("pairs", m) and m != "verify_4gb":
                        items.append((("pairs", m, t, name), serial if m == "e2e_serial" else server,
                                      pair_sql(m, name, sigs_name(name), t), False, None, None))
        t0 = thresholds[0]
        slow = rnd < args.slow_runs
        big = [("e2e", t0), ("e2e_serial", t0), ("rows", t0), ("rows_exact", t0), ("sigs", t0)]
        big += [("sigs", t) for t in thresholds[1:]] + [("verify", t0), ("verify_4gb", t0)]
        for m, t in big:
            # a minute or more each, and no ratio depends on them
            if m in BIG_SLOW and not slow:
                continue
            if wanted("big", m):
                st = serial if m == "e2e_serial" else server
                if m in ("verify_4gb", "rows_exact"):
                    st = [f"SET sybil.graph_memory_limit = '{BIG_MEMORY}';"]
                items.append((("big", m, t, mt), st, pair_sql(m, mt, sigs_name(mt), t),
                              False, None, None))
        if wanted("big", "sj") and rnd < args.slow_runs and args.sql_timeout > 0:
            items.append((("big", "sj", t0, mt), server, sj_sql(mt, t0), False,
                          args.sql_timeout, MEM_CAP_MB))
        return items

    lib_sig0 = lib_sig()
    results = {}
    t_bench = time.monotonic()
    for rnd in range(args.runs):
        for key, st, sql, explain, timeout, cap in schedule(rnd):
            when = datetime.datetime.now()
            sig_before = lib_sig()
            r = run_one(postmaster, st, sql, explain=explain, timeout=timeout, cap_mb=cap)
            r.when = when
            if sig_before != lib_sig0 or lib_sig() != lib_sig0:
                r.build = library_stamp()
            results.setdefault(key, []).append(r)
            flag = "" if r.status == "ok" else f"  {r.status.upper()}"
            if r.build:
                flag += f"  OTHER BUILD ({r.build})"
            part, m, x, table = key
            note(f"  run {rnd + 1}/{args.runs}  {part:5s} {m:14s} {str(x):8s} {table:13s}"
                 f" {fmt(r.wall):>8s} s  cpu {fmt(r.cpu):>7s} s  mem {fmt(r.mem_mb, 0):>5s} MB"
                 f"  pairs {r.count if r.count is not None else '-'}  load {r.load:.2f}{flag}")
    elapsed = time.monotonic() - t_bench

    # ------------------------------------------------------------ accuracy (untimed)
    acc = {}                    # (table, t) -> dict
    for name, rows, accounts in pair_ts:
        if name not in truth or not (wanted("pairs", "sigs") or wanted("pairs", "verify")):
            continue
        tn = truth[name][0]
        sn = sigs_name(name)
        for t in thresholds:
            note(f"scoring {name} at {t} ...")
            t1 = tstr(t + 0.1)
            out = psql(f"""
CREATE TEMP TABLE o AS SELECT a, b, estimate FROM {pairs_call('sigs', name, sn, t)};
CREATE TEMP TABLE v AS SELECT a, b, jaccard FROM {pairs_call('verify', name, sn, t)};
CREATE TEMP TABLE tr AS SELECT a, b, j FROM {tn} WHERE j >= {t} - 0.1;
ANALYZE o; ANALYZE v; ANALYZE tr;
SELECT
  (SELECT count(*) FROM tr WHERE j >= {t}),
  (SELECT count(*) FROM tr WHERE j >= {t1}),
  (SELECT count(*) FROM o),
  (SELECT count(*) FROM o JOIN tr USING (a, b) WHERE tr.j >= {t}),
  (SELECT count(*) FROM o JOIN tr USING (a, b) WHERE tr.j >= {t1}),
  (SELECT count(*) FROM v),
  (SELECT count(*) FROM v JOIN tr USING (a, b) WHERE tr.j >= {t}),
  (SELECT count(*) FROM v JOIN tr USING (a, b) WHERE tr.j >= {t1}),
  (SELECT coalesce(max(abs(v.jaccard - tr.j)), 0) FROM v JOIN tr USING (a, b)),
  (SELECT coalesce(avg(abs(o.estimate - tr.j)), 0) FROM o JOIN tr USING (a, b)),
  (SELECT coalesce(min(t.j), 0) FROM o JOIN {tn} t USING (a, b)),
  (SELECT count(*) FROM o LEFT JOIN {tn} t USING (a, b) WHERE t.j IS NULL),
  (SELECT coalesce(max(j), 0) FROM tr LEFT JOIN o USING (a, b) WHERE o.a IS NULL),
  (SELECT count(*) FROM tr LEFT JOIN o USING (a, b) WHERE o.a IS NULL AND tr.j >= {t1});
""").strip().split("|")
            f = [float(x) for x in out]
            acc[(name, t)] = dict(
                truth_t=int(f[0]), truth_t1=int(f[1]), ours=int(f[2]), ours_tp=int(f[3]),
                ours_tp1=int(f[4]), ver=int(f[5]), ver_tp=int(f[6]), ver_tp1=int(f[7]),
                ver_err=f[8], est_err=f[9], ours_min_j=f[10], ours_below=int(f[11]),
                missed_max_j=f[12], missed_t1=int(f[13]))

    # 1M: precision of the estimate-only answer against the verified candidates.
    big_acc = None
    mt = main_t[0]
    if wanted("big", "sigs") and wanted("big", "verify_4gb"):
        t = thresholds[0]
        note(f"scoring {mt} at {t} against the verified candidates ...")
        out = psql(f"""
SET sybil.graph_memory_limit = '{BIG_MEMORY}';
CREATE TEMP TABLE o AS SELECT a, b, estimate FROM {pairs_call('sigs', mt, sigs_name(mt), t)};
CREATE TEMP TABLE v AS SELECT a, b, jaccard FROM {pairs_call('verify', mt, sigs_name(mt), t)};
ANALYZE o; ANALYZE v;
SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM v),
       (SELECT count(*) FROM o JOIN v USING (a, b)),
       (SELECT count(*) FROM v WHERE jaccard >= {tstr(t + 0.1)}),
       (SELECT count(*) FROM o JOIN v USING (a, b) WHERE v.jaccard >= {tstr(t + 0.1)});
""").strip().split("|")
        big_acc = [int(x) for x in out]

    # ------------------------------------------------------------ tables
    def series(key, what="wall"):
        return [getattr(r, what) if r.status == "ok" else None for r in results.get(key, [])]

    def paired(num, den, what="wall"):
        a, b = series(num, what), series(den, what)
        return [x / y for x, y in zip(a, b) if x is not None and y]

    emit(f"{args.runs} rounds ({args.slow_runs} with the self-join, p') and r') at {main_t[2]:,} accounts);"
         f" {elapsed / 60:.1f} minutes.  Seconds, median over rounds.")
    emit("CPU: user + system of the backend and its parallel workers.  peak MB: growth of RssAnon"
         " (backend + workers); HWM MB: growth of the backend's VmHWM; temp MB: temp files written.")
    emit()

    mt, mrows, macc = main_t
    if any(k[0] == "sig" for k in results):
        emit(f"1) Signatures of the IP sets: {mt}, {mrows:,} rows, {macc:,} accounts"
             " (EXPLAIN ANALYZE execution time)")
        hdr = (f"{'query':46s} {'serial':>7s} {'par':>7s} {'CPU ser':>7s} {'CPU par':>7s}"
               f" {'MB ser':>6s} {'MB par':>6s}  {'/f1 ser':>7s} {'par':>5s}  {'/f2 ser':>7s} {'par':>5s}")
        emit(hdr)
        emit("-" * len(hdr))
        for name, label, _ in SIG_QUERIES:
            ks = ("sig", name, "serial", mt)
            kp = ("sig", name, "parallel", mt)
            if ks not in results:
                continue
            cells = [fmt(med(series(ks))), fmt(med(series(kp))),
                     fmt(med(series(ks, "cpu"))), fmt(med(series(kp, "cpu"))),
                     fmt(med(series(ks, "mem_mb")), 0), fmt(med(series(kp, "mem_mb")), 0)]
            rat = []
            for floor in ("floor_distinct", "floor_count"):
                for mode in ("serial", "parallel"):
                    rs = paired(("sig", name, mode, mt), ("sig", floor, mode, mt))
                    rat.append(fmt(med(rs)) if rs and name != floor else "-")
            lab = label + (" *" if forced.get(name) else "")
            emit(f"{lab:46s} {cells[0]:>7s} {cells[1]:>7s} {cells[2]:>7s} {cells[3]:>7s}"
                 f" {cells[4]:>6s} {cells[5]:>6s}  {rat[0]:>7s} {rat[1]:>5s}  {rat[2]:>7s} {rat[3]:>5s}")
        emit("/f1, /f2: median of per-round ratios of wall clock to f1) and f2).")
        if any(forced.values()):
            emit("* kept serial by the planner at 2 workers; the parallel run is forced with"
                 " parallel_setup_cost = parallel_tuple_cost = 0")
        emit()

    def pair_table(name, rows, accounts, part):
        emit(f"{name}: {rows:,} rows, {accounts:,} accounts; self-join rows {join_rows[name]:,};"
             f" the query inside p) {'goes' if inner_par[name] else 'does not go'} parallel"
             " at the server's setting")
        hdr = (f"{'method':50s} {'t':>4s} {'wall s':>8s} {'CPU s':>8s} {'peak MB':>7s}"
               f" {'HWM MB':>6s} {'temp MB':>7s} {'pairs':>9s} {'s/x':>6s} {'s/x CPU':>7s}")
        emit(hdr)
        emit("-" * len(hdr))
        for t in thresholds:
            for m in PAIR_METHODS:
                key = (part, m, t, name)
                if key not in results:
                    continue
                rs = results[key]
                w = med(series(key))
                wt = fmt(w)
                if w is None:
                    bad = [r for r in rs if r.status != "ok"]
                    wt = "-"
                    if bad and bad[0].status == "error":
                        wt = "ERROR"
                    elif bad:
                        wt = f">{bad[0].wall:.0f}"
                counts = {r.count for r in rs if r.count is not None}
                ct = ",".join(f"{c:,}" for c in sorted(counts)) or "-"
                sk = (part, "sj", t, name)
                rw = rc = "-"
                if m != "sj" and sk in results:
                    rw = fmt_ratio(med(paired(sk, key)))
                    rc = fmt_ratio(med(paired(sk, key, "cpu")))
                emit(f"{LABELS[m]:50s} {tstr(t):>4s} {wt:>8s} {fmt(med(series(key, 'cpu'))):>8s}"
                     f" {fmt(med(series(key, 'mem_mb')), 0):>7s} {fmt(med(series(key, 'hwm_mb')), 0):>6s}"
                     f" {fmt(med(series(key, 'temp_mb')), 0):>7s} {ct:>9s} {rw:>6s} {rc:>7s}")
        emit("s/x: median of per-round ratios of the self-join's time to the method's.")
        emit()

    if pair_ts and any(k[0] == "pairs" for k in results):
        emit("2) Similar pairs against the plain-SQL self-join")
        for name, rows, accounts in pair_ts:
            pair_table(name, rows, accounts, "pairs")
        if acc:
            emit("Accuracy against the self-join's exact answer (untimed runs of q and r):")
            hdr = (f"{'table':13s} {'t':>4s} {'bands x rows':>12s} {'exact >= t':>10s}"
                   f" {'>= t+.1':>8s} | {'q pairs':>8s} {'precision':>9s} {'recall':>7s}"
                   f" {'rec t+.1':>8s} | {'r pairs':>8s} {'precision':>9s} {'recall':>7s} {'rec t+.1':>8s}")
            emit(hdr)
            emit("-" * len(hdr))
            for (name, t), a in acc.items():
                b, r_ = lsh_shape(t, k)
                emit(f"{name:13s} {tstr(t):>4s} {f'{b} x {r_}':>12s} {a['truth_t']:>10,} {a['truth_t1']:>8,} |"
                     f" {a['ours']:>8,} {pct(a['ours_tp'], a['ours']):>9s} {pct(a['ours_tp'], a['truth_t']):>7s}"
                     f" {pct(a['ours_tp1'], a['truth_t1']):>8s} |"
                     f" {a['ver']:>8,} {pct(a['ver_tp'], a['ver']):>9s} {pct(a['ver_tp'], a['truth_t']):>7s}"
                     f" {pct(a['ver_tp1'], a['truth_t1']):>8s}")
            for (name, t), a in acc.items():
                emit(f"  {name} t={tstr(t)}: q's estimates are off by {a['est_err']:.3f} on average;"
                     f" its false positives: {a['ours'] - a['ours_tp']:,} (least exact Jaccard among"
                     f" q's pairs {a['ours_min_j']:.3f}, not counting {a['ours_below']:,} below {TRUTH_MIN_J});"
                     f" missed with Jaccard >= t+0.1: {a['missed_t1']:,} (the most similar pair"
                     f" missed: {a['missed_max_j']:.3f}); r's Jaccard vs the"
                     f" self-join's: max |difference| {a['ver_err']:.2g}")
            emit()

    if any(k[0] == "big" for k in results):
        emit(f"3) Similar pairs at {macc:,} accounts ({mt}, {mrows:,} rows)")
        pair_table(mt, mrows, macc, "big")
        n = macc
        formula = n * (4 * k + 8) / 2**20
        b0 = lsh_shape(thresholds[0], k)[0]
        m = re.search(r"max_parallel_workers_per_gather=(\d+)", facts[2])
        threads = 1 + (int(m.group(1)) if m else 0)
        lsh_mb = (4 * b0 + 26 * threads) * n / 2**20
        emit(f"Memory of similar_pairs by its documented bound (docs/design.md): n*(4k+8) ="
             f" {formula:.0f} MB for {n:,} signatures of k = {k}, plus the keys of every band and"
             f" each of {threads} threads' sort entries (4 * {b0} + 26 * {threads} bytes a signature"
             f" at t={tstr(thresholds[0])}:"
             f" {lsh_mb:.0f} MB), in all {formula + lsh_mb:.0f} MB; with verify_query also 8 bytes"
             f" a candidate pair and 12 bytes a verify_query row of the ids involved; similar_sets"
             f" adds 156 bytes a signature while reading (id table and waiting rows), and with exact"
             f" 16 bytes a row; sybil.graph_memory_limit {facts[4]}.")
        if big_acc:
            o, v, both, v1, both1 = big_acc
            emit(f"Accuracy at t={tstr(thresholds[0])} against r's verified candidates (no self-join"
                 f" at this size): q {o:,} pairs, r {v:,}; precision of q {pct(both, o)};"
                 f" q finds {pct(both, v)} of r's pairs and {pct(both1, v1)} of those with"
                 f" Jaccard >= t+0.1.")
        # The self-join at this size: pair count, bound, extrapolation.
        sj_key = ("big", "sj", thresholds[0], mt)
        sj_runs = results.get(sj_key, [])
        emit(f"The self-join at {macc:,} accounts joins {join_rows[mt]:,} (account, account, ip)"
             " rows before grouping.")
        if sj_runs:
            r0 = sj_runs[0]
            if r0.status == "ok":
                emit(f"  it finished in {r0.wall:.0f} s")
            else:
                emit(f"  it was stopped ({r0.status}) after {r0.wall:.0f} s, having written"
                     f" {fmt(r0.temp_mb, 0)} MB of temp files: > {r0.wall:.0f} s")
        # Extrapolations from the pair series (labelled as such): the time
        # of the largest pair table scaled by join rows, and a two-term fit
        # time = a * table rows + b * join rows through the last two sizes
        # (the DISTINCT and window over the rows, then the join and the
        # grouping of its rows).  Both assume the cost per row stays as at
        # the smaller sizes; the grouping at this size spills far more.
        pts = []
        for nm, rws, _ in pair_ts:
            key = ("pairs", "sj", thresholds[0], nm)
            w = med(series(key))
            tmp = med(series(key, "temp_mb"))
            if w:
                pts.append((rws, join_rows[nm], w, tmp))
        if pts:
            p_big = join_rows[mt]
            r_l, p_l, w_l, tmp_l = pts[-1]
            lin = w_l * p_big / p_l
            line = (f"  extrapolated (not measured): in proportion to join rows from"
                    f" {pair_ts[-1][0]} ({w_l:.1f} s for {p_l:,}): {lin:.0f} s = {lin / 60:.0f} min")
            ests = [lin]
            if len(pts) >= 2:
                r1, p1, w1, _ = pts[-2]
                r2, p2, w2, _ = pts[-1]
                det = r1 * p2 - r2 * p1
                if det:
                    a = (w1 * p2 - w2 * p1) / det
                    b = (r1 * w2 - r2 * w1) / det
                    if a >= 0 and b > 0:
                        fit = a * mrows + b * p_big
                        ests.append(fit)
                        line += (f"; two-term fit through the last two sizes ({a * 1e6:.2f} s per"
                                 f" million table rows + {b * 1e6:.3f} s per million join rows):"
                                 f" {fit:.0f} s = {fit / 60:.0f} min")
            emit(line)
            if tmp_l:
                emit(f"  temp files, in proportion to join rows: {tmp_l * p_big / p_l / 1024:.0f} GB"
                     f" ({tmp_l:.0f} MB at {pair_ts[-1][0]})")
            e2e = med(series(("big", "e2e", thresholds[0], mt)))
            sg = med(series(("big", "sigs", thresholds[0], mt)))
            lo, hi = min(ests), max(ests)
            if e2e:
                emit(f"  extrapolated self-join / ours: {lo / e2e:.0f}-{hi / e2e:.0f}x end to end (p)"
                     + (f", {lo / sg:.0f}-{hi / sg:.0f}x once signatures exist (q)" if sg else ""))
        emit()

    # ------------------------------------------------------------ checks
    wrong = []
    for name, rows, accounts in pair_ts:
        for t in thresholds:
            sj = {r.count for r in results.get(("pairs", "sj", t, name), []) if r.count is not None}
            e2e = {r.count for r in results.get(("pairs", "e2e", t, name), []) + results.get(
                ("pairs", "e2e_serial", t, name), []) if r.count is not None}
            q = {r.count for r in results.get(("pairs", "sigs", t, name), []) if r.count is not None}
            a = acc.get((name, t))
            if a and sj and sj != {a["truth_t"]}:
                wrong.append(f"self-join on {name} at {t}: {sj} pairs, truth table {a['truth_t']}")
            if e2e and q and e2e != q:
                wrong.append(f"p and q differ on {name} at {t}: {e2e} against {q}")
            rows_n = {r.count for r in results.get(("pairs", "rows", t, name), []) if r.count is not None}
            if rows_n and q and rows_n != q:
                wrong.append(f"p2 and q differ on {name} at {t}: {rows_n} against {q}")
            exact_n = {r.count for r in results.get(("pairs", "rows_exact", t, name), [])
                       if r.count is not None}
            if a and exact_n and exact_n != {a["ver"]}:
                wrong.append(f"r2 and r differ on {name} at {t}: {exact_n} against {a['ver']}")
            if a and q and q != {a["ours"]}:
                wrong.append(f"q on {name} at {t}: {q} timed, {a['ours']} scored")
            if a and a["ver_err"] > 1e-12:
                wrong.append(f"r's Jaccard on {name} at {t} differs from the self-join's by {a['ver_err']}")
            if a and a["ver"] != a["ver_tp"]:
                wrong.append(f"r on {name} at {t}: {a['ver'] - a['ver_tp']} pairs below t")
    for t in thresholds:
        e2e = {r.count for r in results.get(("big", "e2e", t, mt), []) + results.get(
            ("big", "e2e_serial", t, mt), []) if r.count is not None}
        q = {r.count for r in results.get(("big", "sigs", t, mt), []) if r.count is not None}
        if e2e and q and e2e != q:
            wrong.append(f"p and q differ on {mt} at {t}: {e2e} against {q}")
    emit("check:    " + ("the self-join's counts equal the truth tables'; p, p2 and q return the same"
                         " pairs count, r and r2 too; r's exact Jaccard equals the self-join's" if not wrong
                         else "WRONG: " + "; ".join(wrong)))
    emit()

    # ------------------------------------------------------------ targets
    emit("Targets (issue).  Ratios are per round, median over rounds (rounds in brackets).")

    def check(label, rs, ok, unit="x", nd=1, prefix=""):
        if not rs:
            emit(f"  {label}: not measured")
            return
        r = med(rs)
        rounds = ", ".join(fmt_ratio(x) for x in rs)
        emit(f"  {label}: {prefix}{r:.{nd}f}{unit} -- {'met' if ok(r) else 'MISSED'} ({rounds})")

    if target_t and any(k[0] == "pairs" for k in results):
        name = target_t[0]
        for t in thresholds:
            a = acc.get((name, t))
            emit(f" at {target_t[2]:,} accounts, threshold {tstr(t)}:")
            if a:
                rec1 = 100.0 * a["ours_tp1"] / a["truth_t1"] if a["truth_t1"] else None
                emit(f"  recall of q among pairs with Jaccard >= {tstr(t + 0.1)} >= 95%:"
                     f" {fmt(rec1, 1)}% -- {'met' if rec1 is not None and rec1 >= 95 else 'MISSED'}"
                     f" ({a['ours_tp1']:,} of {a['truth_t1']:,}); at t: recall"
                     f" {pct(a['ours_tp'], a['truth_t'])}, precision {pct(a['ours_tp'], a['ours'])};"
                     f" with verify_query: recall {pct(a['ver_tp'], a['truth_t'])}"
                     f" ({pct(a['ver_tp1'], a['truth_t1'])} at t+0.1), precision {pct(a['ver_tp'], a['ver'])}")
            for what in ("wall", "cpu"):
                check(f"{what:4s} self-join / ours end to end from the rows (p2) >= 10",
                      paired(("pairs", "sj", t, name), ("pairs", "rows", t, name), what),
                      lambda r: r >= 10)
                check(f"{what:4s} self-join / ours end to end through GROUP BY (p) >= 10",
                      paired(("pairs", "sj", t, name), ("pairs", "e2e", t, name), what),
                      lambda r: r >= 10)
                check(f"{what:4s} self-join / ours once signatures exist (q) >= 100",
                      paired(("pairs", "sj", t, name), ("pairs", "sigs", t, name), what),
                      lambda r: r >= 100)
    bk = ("big", "e2e", thresholds[0], mt)
    if bk in results:
        emit(f" at {macc:,} accounts, threshold {tstr(thresholds[0])}:")
        for m in ("rows", "e2e", "e2e_serial"):
            ws = series(("big", m, thresholds[0], mt))
            if ws and None not in ws:
                emit(f"  ours end to end ({m}) < 120 s: median {med(ws):.1f} s, slowest {max(ws):.1f} s"
                     f" -- {'met' if max(ws) < 120 else 'MISSED'}")
        for m in ("rows", "e2e", "e2e_serial", "sigs", "verify", "verify_4gb", "rows_exact"):
            rs = results.get(("big", m, thresholds[0], mt), [])
            errs = [r for r in rs if r.status == "error"]
            if errs:
                emit(f"  {m} within sybil.graph_memory_limit ({facts[4]}): ERROR in {len(errs)} of"
                     f" {len(rs)} runs -- MISSED ({errs[0].extra})")
                continue
            ms = series(("big", m, thresholds[0], mt), "mem_mb")
            hs = series(("big", m, thresholds[0], mt), "hwm_mb")
            if m in ("verify_4gb", "rows_exact") and ms and None not in ms:
                emit(f"  memory of {m} (limit {BIG_MEMORY}): peak {max(ms):.0f} MB private (RssAnon),"
                     f" backend VmHWM +{max(hs):.0f} MB")
            elif ms and None not in ms:
                emit(f"  memory of {m} <= sybil.graph_memory_limit ({mem_limit_mb:.0f} MB): peak"
                     f" {max(ms):.0f} MB private (RssAnon), backend VmHWM +{max(hs):.0f} MB"
                     f" -- {'met' if max(ms) <= mem_limit_mb else 'MISSED'}")
    sig_rs = paired(("sig", "ours", "serial", mt), ("sig", "floor_distinct", "serial", mt))
    if sig_rs:
        emit(f" signatures over {mrows:,} rows (no target in the issue; ratios to the floors):")
        for mode in ("serial", "parallel"):
            for what in ("wall", "cpu"):
                parts = []
                for floor, tag in (("floor_distinct", "count(DISTINCT)"), ("floor_count", "count(*)")):
                    rs = paired(("sig", "ours", mode, mt), ("sig", floor, mode, mt), what)
                    if rs:
                        parts.append(f"ours / {tag} {med(rs):.2f} ({', '.join(f'{x:.2f}' for x in rs)})")
                if parts:
                    emit(f"  {mode:8s} {what:4s} " + "; ".join(parts))
    emit()

    # ------------------------------------------------------------ plans, every run
    if any(k[0] == "sig" for k in results):
        emit("Plans of part 1 (last run): peak = hash table memory; batches > 1 and disk = spilled.")
        for name, label, _ in SIG_QUERIES:
            for mode in ("serial", "parallel"):
                rs = results.get(("sig", name, mode, mt))
                if not rs or rs[-1].plan is None:
                    continue
                p = rs[-1].plan["Plan"]
                jit = rs[-1].plan.get("JIT", {}).get("Timing", {}).get("Total")
                emit(f"{label} -- {mode}{' (forced)' if mode == 'parallel' and forced.get(name) else ''}"
                     + (f"; JIT {jit / 1000:.2f} s" if jit else ""))
                for i, line in enumerate(describe(p)):
                    emit(("    " + "  " * i) + "-> " + line)
        emit()
    emit("Every run: start time, wall s, CPU s, peak MB, HWM MB, temp MB, load average; pairs.")
    for key, rs in results.items():
        part, m, x, table = key
        emit(f"{part} {m} {x} on {table}:")
        for i, r in enumerate(rs):
            st = "" if r.status == "ok" else f" {r.status.upper()}"
            if r.build:
                st += f" OTHER BUILD ({r.build})"
            emit(f"    {i + 1}: {r.when:%H:%M:%S} {fmt(r.wall)} s, CPU {fmt(r.cpu)} s,"
                 f" {fmt(r.mem_mb, 0)} MB, HWM {fmt(r.hwm_mb, 0)} MB, temp {fmt(r.temp_mb, 0)} MB,"
                 f" load {r.load:.1f}{st}; pairs {r.count if r.count is not None else '-'}; {r.extra}")
    emit()
    emit(f"load avg at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if library_stamp() != stamp:
        emit(f"WARNING: pg_sybil.so changed during the run (now {library_stamp()})")
    if args.save:
        with open(args.save, "w") as f:
            f.write("\n".join(out_lines) + "\n")
            f.write("\nQueries (on the 100k table; the others are the same):\n")
            nm = target_t[0] if target_t else mt
            t = thresholds[0]
            for name, label, agg in SIG_QUERIES:
                f.write(f"\n-- {label}\n{sig_sql(mt, agg)};\n")
            for m in PAIR_METHODS:
                f.write(f"\n-- {LABELS[m]}\n{pair_sql(m, nm, sigs_name(nm), t)}\n")
            f.write(f"\n-- the signature tables (untimed)\nCREATE TABLE {sigs_name(nm)} AS SELECT"
                    f" account_id, sybil.minhash_agg(ip) AS sig FROM {nm} GROUP BY account_id;\n")
            f.write(f"\n-- the truth tables (untimed)\nCREATE TABLE {nm.replace('ip_rows', 'truth', 1)}"
                    f" AS {truth_sql(nm)};\n")
            f.write(f"\n-- the self-join's rows (untimed, with work_mem = 1GB)\n{pair_count_sql(nm)}\n")


if __name__ == "__main__":
    main()
