#!/usr/bin/env python3
"""bench/components_bench.py: time connected-components labelling, ours
against what users otherwise run, and print the table.

Called by bench/components_run.sh once the tables exist; talks to the server
through psql with the libpq environment (PGHOST, PGPORT, ...), and must run on
the server's machine (it reads /proc of the server's processes).

Methods, on the main table (BENCH_EDGES edges):
  agg        ours: SELECT sybil.component_count(sybil.components_agg(a, b))
             FROM edges, serial
  agg_par    the same with 2 parallel workers
  rows       ours: sybil.components('SELECT a, b FROM edges'), every row
             produced and counted: count(*), count(*) FILTER (node = component)
  rows_table ours: the rows written to a temp table (CREATE TEMP TABLE AS)
  pgr        pgRouting: pgr_connectedComponents over (id, source, target,
             cost, reverse_cost), counted like rows
  scipy      \\copy binary to a file, numpy, np.unique to dense ids,
             scipy.sparse.csgraph.connected_components (a fresh process)
  networkx   the same export, then networkx.Graph + connected_components
  floor      SELECT max(a), max(b) serially (the scan) plus
             bench/union_find_floor.c over the same edges (the labelling)
On the memory table (BENCH_MEM_NODES nodes): agg, agg_par, rows.
On each table of the SQL series (BENCH_SQL_SIZES edges): agg, rows,
  sql_iter   iterative min-label propagation in a DO block (temp tables,
             UPDATE until nothing changes), as users write it
  sql_cte    a recursive CTE: every node reaches every node of its component
             (UNION), then min() per node
Both SQL methods run under statement_timeout and a memory cap; a size is not
tried once a smaller one ran out of either.

Timing.  Each in-database run is a fresh psql session.  Wall time is the
server's clock_timestamp() taken by a statement just before and just after
the method's statements, from the same session.  CPU time is the user +
system time of the backend and its parallel workers: the postmaster reaps
them when they exit and Linux adds a reaped child's time to the parent's
cutime/cstime (/proc/<postmaster>/stat).  For the Python pipelines, CPU is the
Python process, the psql it runs for the export and the server backend that
writes the COPY.  For the C union-find, the process's CPU over the timed part.

Memory.  For in-database methods, "peak MB" is the growth of private memory:
the backend's RssAnon (/proc/<pid>/status: palloc'd and malloc'd memory, not
shared buffers) sampled every 10 ms, plus the RssAnon of its parallel
workers, at the sample where the sum is largest, minus the backend's RssAnon
just before the method's first statement (same session).  For the Python
pipelines, the peak RSS of the process (VmHWM) minus its RSS after the
imports.  For the floor, the C union-find's peak RSS minus its RSS
with the edges loaded (the map and the forest).

Rounds.  Runs go in rounds (run 1 of every method, then run 2, ...); the
slowest methods (networkx, sql_iter, sql_cte: minutes each, and far from any
target's threshold) run only in the first --slow-runs rounds.  pgRouting
(two minutes) runs in every round, since its target needs the paired ratio.  Ratios are taken between runs of the same round, then
the median over the rounds is shown.
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import threading
import time

from pgproc import psql, proc_stat, find_postmaster, children_cpu, lib_path, library_stamp

SLOW = {"networkx", "sql_iter", "sql_cte"}
ALL_METHODS = ["floor", "agg", "agg_par", "rows", "rows_table", "pgr", "scipy",
               "networkx", "sql_iter", "sql_cte"]
MEM_CAP_SQL_MB = 2048          # sql_iter / sql_cte are cancelled past this
MEM_CAP_MB = 14336             # anything else (pgRouting, networkx)
SAMPLE_S = 0.01

LABELS = {
    "agg": "a) ours: components_agg(a, b), serial",
    "agg_par": "a') ours: components_agg(a, b), 2 workers",
    "rows": "b) ours: sybil.components() rows, counted",
    "rows_table": "b') ours: sybil.components() into a temp table",
    "pgr": "c) pgRouting pgr_connectedComponents, counted",
    "scipy": "d) scipy: \\copy + numpy + csgraph",
    "networkx": "e) networkx: \\copy + numpy + nx.Graph",
    "floor": "f) floor: serial scan + C union-find",
    "floor_scan": "   f1) scan: SELECT max(a), max(b)",
    "floor_uf": "   f2) C union-find, in memory",
    "sql_iter": "SQL: iterative min-label propagation",
    "sql_cte": "SQL: recursive CTE",
}

COUNT = "count(*), count(*) FILTER (WHERE node = component)"


def sql_of(method, table):
    """(statements timed, statements after the clock stops) for a method."""
    if method in ("agg", "agg_par"):
        # One accessor only: asking node_count(s) as well expands the value
        # a second time (+60 MB at 3M nodes), so the node count is checked
        # on the rows of b) instead.
        return f"SELECT sybil.component_count(sybil.components_agg(a, b)) FROM {table};", ""
    if method == "rows":
        return f"SELECT {COUNT}\nFROM sybil.components('SELECT a, b FROM {table}');", ""
    if method == "rows_table":
        return (f"CREATE TEMP TABLE cc AS SELECT * FROM sybil.components('SELECT a, b FROM {table}');",
                f"SELECT {COUNT} FROM cc;")
    if method == "pgr":
        return (f"SELECT {COUNT}\nFROM pgr_connectedComponents("
                f"'SELECT id, source, target, cost, reverse_cost FROM {table}_pgr');", "")
    if method == "floor_scan":
        return f"SELECT max(a), max(b) FROM {table};", ""
    if method == "sql_iter":
        return (f"""DO $$
DECLARE
    changed bigint;
    iterations int := 0;
BEGIN
    CREATE TEMP TABLE und AS
        SELECT a AS src, b AS dst FROM {table} UNION ALL SELECT b, a FROM {table};
    CREATE TEMP TABLE lbl AS
        SELECT src AS node, least(src, min(dst)) AS label FROM und GROUP BY src;
    ANALYZE und;
    ANALYZE lbl;
    LOOP
        UPDATE lbl SET label = m.label
        FROM (SELECT u.dst AS node, min(l.label) AS label
              FROM und u JOIN lbl l ON l.node = u.src
              GROUP BY u.dst) m
        WHERE lbl.node = m.node AND m.label < lbl.label;
        GET DIAGNOSTICS changed = ROW_COUNT;
        iterations := iterations + 1;
        EXIT WHEN changed = 0;
    END LOOP;
    CREATE TEMP TABLE sql_iterations AS SELECT iterations AS n;
END
$$;
SELECT count(*), count(*) FILTER (WHERE node = label) FROM lbl;""",
                "SELECT 'ITER', n FROM sql_iterations;")
    if method == "sql_cte":
        return (f"""WITH RECURSIVE und(src, dst) AS (
    SELECT a, b FROM {table} UNION ALL SELECT b, a FROM {table}
), reach(node, root) AS (
    SELECT src, src FROM und
    UNION
    SELECT u.dst, r.root FROM reach r JOIN und u ON u.src = r.node
)
SELECT {COUNT}
FROM (SELECT node, min(root) AS component FROM reach GROUP BY node) c;""", "")
    raise ValueError(method)


# ---------------------------------------------------------------- /proc

def status_kb(pid, fields=("RssAnon", "VmHWM")):
    """Some /proc/<pid>/status fields in kB, or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            out = {}
            for line in f:
                k, _, v = line.partition(":")
                if k in fields:
                    out[k] = int(v.split()[0])
            return out
    except OSError:
        return None


def parallel_workers(postmaster, leader):
    """Pids of the parallel workers of backend `leader`."""
    want = f"parallel worker for PID {leader}".encode()
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        st = proc_stat(d)
        if st is None or int(st[1]) != postmaster:
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                if want in f.read():
                    pids.append(int(d))
        except OSError:
            pass
    return pids


class Sampler(threading.Thread):
    """Samples the RssAnon of a backend (and its parallel workers) every
    SAMPLE_S seconds; keeps the peak of the sum.  Past cap_kb it calls
    on_cap once (to cancel the query)."""

    def __init__(self, pid, postmaster=None, workers=False, cap_kb=None, on_cap=None):
        super().__init__(daemon=True)
        self.pid, self.postmaster, self.workers = pid, postmaster, workers
        self.cap_kb, self.on_cap = cap_kb, on_cap
        self.peak_kb = 0
        self.hwm_kb = 0
        self.worker_pids = set()
        self.capped = False
        self.stop = threading.Event()

    def run(self):
        tick = 0
        while not self.stop.is_set():
            if self.workers and tick % 10 == 0:
                self.worker_pids.update(parallel_workers(self.postmaster, self.pid))
            st = status_kb(self.pid)
            if st is not None:
                total = st.get("RssAnon", 0)
                self.hwm_kb = max(self.hwm_kb, st.get("VmHWM", 0))
                for w in self.worker_pids:
                    ws = status_kb(w, ("RssAnon",))
                    if ws:
                        total += ws.get("RssAnon", 0)
                self.peak_kb = max(self.peak_kb, total)
                if self.cap_kb and total > self.cap_kb and not self.capped:
                    self.capped = True
                    self.on_cap()
            tick += 1
            self.stop.wait(SAMPLE_S)


# ---------------------------------------------------------------- runs

class Result:
    def __init__(self, wall=None, cpu=None, mem_mb=None, nodes=None, comps=None,
                 status="ok", extra=""):
        self.wall, self.cpu, self.mem_mb = wall, cpu, mem_mb
        self.nodes, self.comps = nodes, comps
        self.status, self.extra = status, extra
        self.load = os.getloadavg()[0]
        self.when = None            # start time, set by the scheduler
        self.build = None           # set when pg_sybil.so changed around the run


def run_sql(postmaster, method, table, parallel, timeout=None, cap_mb=MEM_CAP_MB):
    """One in-database run in a fresh session."""
    timed, after = sql_of(method, table)
    settings = [f"SET max_parallel_workers_per_gather = {2 if parallel else 0};"]
    if parallel == "forced":
        settings += ["SET parallel_setup_cost = 0;", "SET parallel_tuple_cost = 0;"]
    if timeout:
        settings.append(f"SET statement_timeout = '{timeout}s';")
    p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    p.stdin.write("\n".join(settings) + "\nSELECT pg_backend_pid();\n")
    p.stdin.flush()
    pid = int(p.stdout.readline())
    base = status_kb(pid)
    cpu0 = children_cpu(postmaster)

    def cancel():
        # A cancel waits for the next interrupt check; a hash table being
        # filled can keep growing meanwhile, so terminate if it has to.
        def terminate():
            if p.poll() is None:
                subprocess.run(["psql", "-X", "-q", "-A", "-t", "-c",
                                f"SELECT pg_terminate_backend({pid})"], capture_output=True)
        subprocess.run(["psql", "-X", "-q", "-A", "-t", "-c",
                        f"SELECT pg_cancel_backend({pid})"], capture_output=True)
        threading.Timer(3, terminate).start()

    sampler = Sampler(pid, postmaster, workers=bool(parallel),
                      cap_kb=cap_mb * 1024 if cap_mb else None, on_cap=cancel)
    sampler.start()
    t_start = time.monotonic()
    out, err = p.communicate(
        "SELECT 'T0', extract(epoch FROM clock_timestamp());\n" + timed + "\n"
        "SELECT 'T1', extract(epoch FROM clock_timestamp());\n" + after + "\n")
    elapsed = time.monotonic() - t_start
    sampler.stop.set()
    sampler.join()
    deadline = time.time() + 30
    while os.path.exists(f"/proc/{pid}") and time.time() < deadline:
        time.sleep(0.02)
    cpu1 = children_cpu(postmaster)
    cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None and \
        not os.path.exists(f"/proc/{pid}") else None
    mem = (sampler.peak_kb - base["RssAnon"]) / 1024 if base else None
    extra = f"backend VmHWM +{(sampler.hwm_kb - base['VmHWM']) / 1024:.0f} MB" if base else ""
    if parallel:
        extra += f"; parallel workers seen: {len(sampler.worker_pids)}"
    if p.returncode != 0:
        if sampler.capped:
            return Result(wall=elapsed, cpu=cpu, mem_mb=mem, status="memcap",
                          extra=f"cancelled past {cap_mb} MB; " + extra)
        if "statement timeout" in err:
            return Result(wall=elapsed, cpu=cpu, mem_mb=mem, status="timeout", extra=extra)
        sys.stderr.write(err)
        raise SystemExit(f"{method} on {table} failed")
    marks, vals = {}, []
    for line in out.splitlines():
        parts = line.split("|")
        if parts[0] in ("T0", "T1", "ITER"):
            marks[parts[0]] = float(parts[1])
        elif all(re.fullmatch(r"-?\d+", x) for x in parts):
            vals = [int(x) for x in parts]
    if "ITER" in marks:
        extra += f"; {int(marks['ITER'])} iterations"
    res = Result(wall=marks["T1"] - marks["T0"], cpu=cpu, mem_mb=mem, extra=extra)
    if len(vals) == 2 and method != "floor_scan":
        res.nodes, res.comps = vals
    elif len(vals) == 1:
        res.comps = vals[0]
    return res


def run_floor_uf(binary, path):
    out = subprocess.run([binary, path], capture_output=True, text=True, check=True).stdout
    kv = dict(x.split("=", 1) for x in out.split())
    if kv["roots"] != kv["components"]:
        raise SystemExit(f"union_find_floor: {kv['roots']} roots for {kv['components']} components")
    return Result(wall=float(kv["wall_s"]), cpu=float(kv["cpu_s"]), mem_mb=float(kv["mem_mb"]),
                  nodes=int(kv["nodes"]), comps=int(kv["components"]),
                  extra=f"map {float(kv['map_s']):.2f} s, union {float(kv['union_s']):.2f} s,"
                        f" label {float(kv['label_s']):.2f} s; largest {kv['largest']}")


def run_pipeline(postmaster, kind, table, work):
    """A Python pipeline in a fresh process; CPU of it, its psql and the
    COPY backend."""
    path = os.path.join(work, f"export_{kind}.bin")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = children_cpu(postmaster)
    p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--pipeline", kind,
                          "--table", table, "--file", path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    capped = []

    def kill():
        capped.append(True)
        p.kill()

    sampler = Sampler(p.pid, cap_kb=MEM_CAP_MB * 1024, on_cap=kill)
    sampler.start()
    t_start = time.monotonic()
    out, err = p.communicate()
    elapsed = time.monotonic() - t_start
    sampler.stop.set()
    sampler.join()
    time.sleep(0.1)             # let the COPY backend exit and be reaped
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu1 = children_cpu(postmaster)
    try:
        os.unlink(path)
    except OSError:
        pass
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if cpu0 is not None and cpu1 is not None:
        cpu += cpu1 - cpu0
    if capped:
        return Result(wall=elapsed, cpu=cpu, mem_mb=sampler.peak_kb / 1024, status="memcap",
                      extra=f"killed past {MEM_CAP_MB} MB")
    if p.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"pipeline {kind} failed")
    r = json.loads(out.strip().splitlines()[-1])
    return Result(wall=r["wall_s"], cpu=cpu, mem_mb=r["peak_mb"] - r["base_mb"],
                  nodes=r["nodes"], comps=r["components"],
                  extra=f"export {r['export_s']:.2f} s, load {r['load_s']:.2f} s,"
                        f" compute {r['compute_s']:.2f} s; peak RSS {r['peak_mb']:.0f} MB"
                        f" (after imports {r['base_mb']:.0f} MB)")


def pipeline_main(kind, table, path):
    """Child process: export, load, compute; print one JSON line."""
    import numpy as np
    if kind == "scipy":
        import scipy.sparse
        from scipy.sparse.csgraph import connected_components
    else:
        import networkx as nx

    # VmRSS / VmHWM, not getrusage: ru_maxrss is inherited from the parent
    # across fork and exec, VmHWM belongs to this process's memory map.
    def rss_mb(field):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return 0

    base = rss_mb("VmRSS")
    t0 = time.monotonic()
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                    f"\\copy (SELECT a, b FROM {table}) TO '{path}' WITH (FORMAT binary)"],
                   check=True)
    t1 = time.monotonic()
    raw = np.fromfile(path, dtype=np.uint8)
    row = np.dtype([("nf", ">i2"), ("la", ">i4"), ("a", ">i8"), ("lb", ">i4"), ("b", ">i8")])
    m = (len(raw) - 21) // row.itemsize
    rows = np.frombuffer(raw, dtype=row, count=m, offset=19)
    if m and (rows["nf"][0] != 2 or rows["la"][0] != 8 or rows["lb"][-1] != 8):
        raise SystemExit("unexpected COPY binary layout")
    a = rows["a"].astype(np.int64)
    b = rows["b"].astype(np.int64)
    del rows, raw
    t2 = time.monotonic()
    if kind == "scipy":
        ids, inv = np.unique(np.concatenate((a, b)), return_inverse=True)
        n = len(ids)
        g = scipy.sparse.csr_matrix((np.ones(m, dtype=np.int8), (inv[:m], inv[m:])),
                                    shape=(n, n))
        ncomp, labels = connected_components(g, directed=False)
    else:
        g = nx.Graph()
        g.add_edges_from(zip(a.tolist(), b.tolist()))
        comps = list(nx.connected_components(g))
        n, ncomp = g.number_of_nodes(), len(comps)
    t3 = time.monotonic()
    peak = rss_mb("VmHWM")
    print(json.dumps({"export_s": t1 - t0, "load_s": t2 - t1, "compute_s": t3 - t2,
                      "wall_s": t3 - t0, "nodes": int(n), "components": int(ncomp),
                      "base_mb": base, "peak_mb": peak}))


# ---------------------------------------------------------------- report

def lib_sig():
    """Cheap identity of the installed pg_sybil.so: (mtime, size)."""
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pipeline", choices=["scipy", "networkx"], help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--table", action="append", default=[],
                    help="role:name:edges:nodes (role main, mem or scale)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=1)
    ap.add_argument("--sql-timeout", type=int, default=300)
    ap.add_argument("--only", default="", help="comma-separated: " + ",".join(ALL_METHODS))
    ap.add_argument("--seed", default="20240601")
    ap.add_argument("--gen", help="gen_edges binary (for the expected partition)")
    ap.add_argument("--floor", help="union_find_floor binary")
    ap.add_argument("--work", help="directory holding edges.bin")
    ap.add_argument("--save")
    args = ap.parse_args()
    if args.pipeline:
        pipeline_main(args.pipeline, args.table[0], args.file)
        return

    only = [m for m in args.only.split(",") if m] or ALL_METHODS
    for m in only:
        if m not in ALL_METHODS:
            raise SystemExit(f"unknown method {m}; known: {','.join(ALL_METHODS)}")
    tables = {}
    for t in args.table:
        role, name, e, n = t.split(":")
        tables.setdefault(role, []).append((name, int(e), int(n)))
    main_t = tables["main"][0]
    mem_t = tables.get("mem", [None])[0]
    scale_ts = sorted(tables.get("scale", []), key=lambda t: t[1])

    out_lines = []

    def emit(line=""):
        print(line, flush=True)
        out_lines.append(line)

    facts = psql("""
SELECT version();
SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'pg_sybil'), '-');
SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'pgrouting'), '-');
SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
FROM pg_settings WHERE name IN ('work_mem', 'hash_mem_multiplier', 'shared_buffers', 'temp_buffers',
  'max_parallel_workers_per_gather', 'max_parallel_workers', 'jit');
SELECT to_regprocedure('sybil.components_agg(bigint,bigint)') IS NOT NULL,
       to_regprocedure('sybil.components(text,float8,bigint,sybil.component_set)') IS NOT NULL;
""").strip().split("\n")
    have_agg, have_rows = (x == "t" for x in facts[4].split("|"))
    if have_agg:
        # The GUC shows once the library is loaded.
        facts[3] += ", sybil.graph_memory_limit=" + psql(
            "SELECT sybil.node_count('{}'::sybil.component_set);\n"
            "SELECT current_setting('sybil.graph_memory_limit');").split()[-1]
    have_pgr = facts[2] != "-"
    skipped = []
    for m, ok, why in (("agg", have_agg, "sybil.components_agg is not installed"),
                       ("agg_par", have_agg, "sybil.components_agg is not installed"),
                       ("rows", have_rows, "sybil.components() is not installed"),
                       ("rows_table", have_rows, "sybil.components() is not installed"),
                       ("pgr", have_pgr, "pgRouting is not installed")):
        if m in only and not ok:
            only.remove(m)
            skipped.append(f"{m}: {why}")

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
    import numpy
    pyver = f"Python {platform.python_version()}, numpy {numpy.__version__}"
    try:
        import scipy
        pyver += f", scipy {scipy.__version__}"
    except ImportError:
        pass
    try:
        import networkx
        pyver += f", networkx {networkx.__version__}"
    except ImportError:
        pass

    emit(f"pg_sybil connected-components benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    emit(f"machine:  {os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, {platform.platform()}")
    emit(f"load avg at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    stamp = library_stamp()
    emit(f"server:   {facts[0].split(' on ')[0]}; pg_sybil {facts[1]} (git {git}); pgRouting {facts[2]}")
    emit(f"library:  {stamp}")
    emit(f"settings: {facts[3]}")
    emit(f"python:   {pyver}")
    expected = {}
    all_tables = [main_t] + ([mem_t] if mem_t else []) + scale_ts
    for name, e, n in all_tables:
        size = psql(f"SELECT pg_size_pretty(pg_table_size('{name}'));").strip()
        line = "?"
        if args.gen:
            line = subprocess.run([args.gen, str(e), str(n), args.seed, "--stats"],
                                  capture_output=True, text=True, check=True).stdout.strip()
            mm = re.search(r"nodes (\d+), components (\d+)", line)
            expected[name] = (int(mm.group(1)), int(mm.group(2)))
        emit(f"table:    {name} {size}: {line}")
    for s in skipped:
        emit(f"skipped:  {s}")
    emit()

    # Warm the page cache: every table once, untimed.
    for name, _, _ in all_tables:
        psql(f"SELECT count(*) FROM {name};")

    # Is the aggregate planned parallel at 2 workers?  If not, force it.
    par_mode = True
    if "agg_par" in only:
        plan = psql("SET max_parallel_workers_per_gather = 2;\nEXPLAIN (FORMAT JSON) "
                    + sql_of("agg_par", main_t[0])[0])
        if "Gather" not in plan:
            par_mode = "forced"

    postmaster = find_postmaster()
    if postmaster is None:
        emit("note:     the postmaster is not on this machine; no CPU times for in-database runs")

    # The schedule of one round: (key, method, table, kind, args).
    def schedule(rnd):
        slow_ok = rnd < args.slow_runs
        items = []
        mt = main_t[0]
        if "floor" in only:
            items += [(("floor_scan", mt), "sql", "floor_scan", False),
                      (("floor_uf", mt), "uf", None, None)]
        for m, par in (("agg", False), ("agg_par", par_mode), ("rows", False),
                       ("rows_table", False)):
            if m in only:
                items.append(((m, mt), "sql", m, par))
        if "scipy" in only:
            items.append((("scipy", mt), "py", "scipy", None))
        if "pgr" in only:
            items.append((("pgr", mt), "sql", "pgr", False))
        if "networkx" in only and (slow_ok or "networkx" not in SLOW):
            items.append((("networkx", mt), "py", "networkx", None))
        if mem_t:
            for m, par in (("agg", False), ("agg_par", par_mode), ("rows", False)):
                if m in only:
                    items.append(((m, mem_t[0]), "sql", m, par))
        for name, _, _ in scale_ts:
            for m in ("agg", "rows"):
                if m in only:
                    items.append(((m, name), "sql", m, False))
            for m in ("sql_iter", "sql_cte"):
                if m in only and (slow_ok or m not in SLOW):
                    items.append(((m, name), "sql", m, False))
        return items

    lib_sig0 = lib_sig()
    results = {}                # key -> [Result per round]
    given_up = {}               # SQL method -> (size where it ran out, status)
    t_bench = time.monotonic()
    for rnd in range(args.runs):
        for key, kind, m, par in schedule(rnd):
            method, table = key
            if method in ("sql_iter", "sql_cte") and method in given_up:
                continue
            when = datetime.datetime.now()
            sig_before = lib_sig()
            if kind == "sql":
                sql_limits = method in ("sql_iter", "sql_cte")
                r = run_sql(postmaster, method, table, par,
                            timeout=args.sql_timeout if sql_limits else None,
                            cap_mb=MEM_CAP_SQL_MB if sql_limits else MEM_CAP_MB)
                if r.status != "ok":
                    given_up[method] = (table, r.status)
            elif kind == "uf":
                r = run_floor_uf(args.floor, os.path.join(args.work, "edges.bin"))
            else:
                r = run_pipeline(postmaster, m, table, args.work)
            r.when = when
            if sig_before != lib_sig0 or lib_sig() != lib_sig0:
                # Others rebuilt the extension: each session loads the file
                # anew, so this run may have used another build.
                r.build = library_stamp()
            results.setdefault(key, []).append(r)
            ok = "" if r.status == "ok" else f"  {r.status.upper()}"
            if r.build:
                ok += f"  OTHER BUILD ({r.build})"
            print(f"  run {rnd + 1}/{args.runs}  {method:10s} {table:10s} {fmt(r.wall):>8s} s"
                  f"  cpu {fmt(r.cpu):>7s} s  mem {fmt(r.mem_mb, 0):>6s} MB"
                  f"  load {r.load:.2f}{ok}  {r.extra}", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - t_bench

    # ------------------------------------------------------------ tables
    def series(key, what="wall"):
        return [getattr(r, what) if r.status == "ok" else None for r in results.get(key, [])]

    def floor_series(table, what="wall"):
        s, u = series(("floor_scan", table), what), series(("floor_uf", table), what)
        return [x + y if x is not None and y is not None else None for x, y in zip(s, u)]

    def get(key, what="wall"):
        if key[0] == "floor":
            return floor_series(key[1], what)
        return series(key, what)

    def paired(num, den, what="wall"):
        """Per-round ratios num/den over the rounds where both ran."""
        a, b = get(num, what), get(den, what)
        return [x / y for x, y in zip(a, b) if x is not None and y]

    def bound(key):
        """For a method that ran out of time or memory: its wall clock then."""
        rs = results.get(key, [])
        bad = [r for r in rs if r.status != "ok"]
        return (bad[0].wall, bad[0].status) if bad else (None, None)

    mt = main_t[0]
    emit(f"{args.runs} rounds ({args.slow_runs} with the slowest methods: networkx, SQL);"
         f" {elapsed / 60:.1f} minutes.  Wall and CPU in seconds, medians over rounds.")
    emit("peak MB: memory the method added (see the header of components_bench.py);"
         " /a and /b: median of per-round ratios of wall clock to a) and to b).")
    emit()

    def method_table(title, table, methods):
        hdr = (f"{'method':48s} {'wall s':>8s} {'CPU s':>8s} {'peak MB':>8s} {'/a':>7s}"
               f" {'/b':>7s} {'nodes':>10s} {'components':>10s}")
        emit(title)
        emit(hdr)
        emit("-" * len(hdr))
        for m in methods:
            key = (m, table)
            if m == "floor":
                w, c = med(floor_series(table)), med(floor_series(table, "cpu"))
                mem = med(series(("floor_uf", table), "mem_mb"))
                rs = results.get(("floor_uf", table), [])
                nodes = rs[0].nodes if rs else None
                comps = rs[0].comps if rs else None
                if not rs:
                    continue
            else:
                rs = results.get(key, [])
                if not rs:
                    continue
                w, c, mem = med(series(key)), med(series(key, "cpu")), med(series(key, "mem_mb"))
                nodes, comps = rs[-1].nodes, rs[-1].comps
            wtxt = fmt(w)
            bw, bst = bound(key)
            if w is None and bw is not None:
                wtxt = f">{bw:.0f}"
            ra = med(paired(key, ("agg", table))) if m not in ("agg",) else None
            rb = med(paired(key, ("rows", table))) if m not in ("rows",) else None
            if m in ("floor_scan", "floor_uf"):
                ra = rb = None
            nt = f"{nodes:,}" if nodes is not None else "-"
            ct = f"{comps:,}" if comps is not None else "-"
            if table in expected and comps is not None and (
                    comps != expected[table][1]
                    or (nodes is not None and nodes != expected[table][0])):
                ct += " WRONG"
            emit(f"{LABELS[m]:48s} {wtxt:>8s} {fmt(c):>8s} {fmt(mem, 0):>8s} {fmt(ra):>7s}"
                 f" {fmt(rb):>7s} {nt:>10s} {ct:>10s}")
        emit()

    e, n = main_t[1], main_t[2]
    exp = expected.get(mt)
    method_table(f"{mt}: {e:,} edges, {n:,} nodes"
                 + (f", {exp[1]:,} components" if exp else ""), mt,
                 ["agg", "agg_par", "rows", "rows_table", "pgr", "scipy", "networkx",
                  "floor", "floor_scan", "floor_uf"])
    if mem_t:
        exp = expected.get(mem_t[0])
        method_table(f"{mem_t[0]}: {mem_t[1]:,} edges, {mem_t[2]:,} nodes"
                     + (f", {exp[1]:,} components" if exp else "") + " (memory target)",
                     mem_t[0], ["agg", "agg_par", "rows"])

    if scale_ts:
        emit("SQL labelling against ours, by size (wall s, median; '>' = stopped at the"
             " timeout or the memory cap):")
        hdr = (f"{'edges':>11s} {'nodes':>10s} {'a) agg':>8s} {'b) rows':>8s}"
               f" {'SQL iter':>9s} {'iters':>5s} {'SQL CTE':>9s} {'iter/b':>8s} {'CTE/b':>8s}"
               f" {'SQL MB':>7s} {'CTE MB':>7s}")
        emit(hdr)
        emit("-" * len(hdr))
        for name, e2, n2 in scale_ts + [main_t]:
            cells = []
            for m in ("agg", "rows"):
                cells.append(fmt(med(series((m, name)))))
            sq = {}
            for m in ("sql_iter", "sql_cte"):
                w = med(series((m, name)))
                bw, bst = bound((m, name))
                if w is not None:
                    sq[m] = fmt(w)
                elif bw is not None:
                    sq[m] = f">{bw:.0f}"
                elif m in given_up and (m, name) not in results and name != mt:
                    sq[m] = "skip"
                else:
                    sq[m] = "-"
            iters = "-"
            for r in results.get(("sql_iter", name), []):
                mm = re.search(r"(\d+) iterations", r.extra)
                if mm:
                    iters = mm.group(1)
            ratios = []
            for m in ("sql_iter", "sql_cte"):
                rs = paired((m, name), ("rows", name))
                if rs:
                    ratios.append(f"{med(rs):.0f}")
                else:
                    bw, _ = bound((m, name))
                    rw = med(series(("rows", name)))
                    ratios.append(f">{bw / rw:.0f}" if bw and rw else "-")
            mems = [fmt(med([r.mem_mb for r in results.get((m, name), [])]), 0)
                    for m in ("sql_iter", "sql_cte")]
            emit(f"{e2:>11,} {n2:>10,} {cells[0]:>8s} {cells[1]:>8s} {sq['sql_iter']:>9s}"
                 f" {iters:>5s} {sq['sql_cte']:>9s} {ratios[0]:>8s} {ratios[1]:>8s}"
                 f" {mems[0]:>7s} {mems[1]:>7s}")
        emit("'skip': not run, a smaller size already ran out of time or memory.")
        emit()

    # ------------------------------------------------------------ check
    wrong = []
    for (method, table), rs in results.items():
        exp = expected.get(table)
        for i, r in enumerate(rs):
            if r.status != "ok" or exp is None or r.comps is None:
                continue
            if r.comps != exp[1] or (r.nodes is not None and r.nodes != exp[0]):
                wrong.append(f"{method} on {table} run {i + 1}: {r.nodes} nodes,"
                             f" {r.comps} components")
    emit("check:    " + ("every finished run found the generated partition's node and"
                         " component counts" if not wrong else
                         "WRONG: " + "; ".join(wrong)))
    emit()

    # ------------------------------------------------------------ targets
    emit("Targets (issue).  Ratios are per round, median over rounds (rounds in brackets).")

    def check(label, rs, ok, unit="x", lower_bound=False, nd=2):
        if not rs:
            emit(f"  {label}: not measured")
            return
        r = med(rs)
        rounds = ", ".join(f"{x:.1f}" if x >= 10 else f"{x:.2f}" for x in rs)
        verdict = "met" if ok(r) else "MISSED"
        emit(f"  {label}: {'>' if lower_bound else ''}{r:.{nd}f}{unit} -- {verdict}"
             f" ({rounds})")

    for what in ("wall", "cpu"):
        emit(f" {what}:")
        check(f"pgRouting / ours rows (b) at {main_t[1]:,} edges >= 20",
              paired(("pgr", mt), ("rows", mt), what), lambda r: r >= 20)
        check(f"pgRouting / ours agg (a) at {main_t[1]:,} edges >= 20",
              paired(("pgr", mt), ("agg", mt), what), lambda r: r >= 20)
        big = [t for t in scale_ts if t[1] == 1000000] or scale_ts[-1:]
        if big:
            name = big[0][0]
            best = None
            for m in ("sql_iter", "sql_cte"):
                rs = paired((m, name), ("rows", name), what)
                if rs and (best is None or med(rs) < med(best[1])):
                    best = (m, rs, False)
            if best is None:
                # Nothing finished: the ratio is a lower bound.
                bws = [(m, bound((m, name))[0]) for m in ("sql_iter", "sql_cte")]
                bws = [(m, w) for m, w in bws if w]
                rw = med(series(("rows", name), what))
                if bws and rw and what == "wall":
                    m, w = min(bws, key=lambda x: x[1])
                    best = (m, [w / rw], True)
            if best:
                check(f"best SQL ({best[0]}) / ours rows at {big[0][1]:,} edges >= 1000",
                      best[1], lambda r: r >= 1000, lower_bound=best[2])
            else:
                emit(f"  SQL / ours at {big[0][1]:,} edges: not measured")
        check("scipy pipeline / ours rows (b) > 1", paired(("scipy", mt), ("rows", mt), what),
              lambda r: r > 1)
        check("scipy pipeline / ours agg (a) > 1", paired(("scipy", mt), ("agg", mt), what),
              lambda r: r > 1)
        check("ours agg (a) / floor <= 2", paired(("agg", mt), ("floor", mt), what),
              lambda r: r <= 2)
        check("ours rows (b) / floor <= 2", paired(("rows", mt), ("floor", mt), what),
              lambda r: r <= 2)
    if mem_t:
        emit(f" memory at {mem_t[2]:,} nodes (< 150 MB):")
        for m in ("agg", "agg_par", "rows"):
            ms = series((m, mem_t[0]), "mem_mb")
            if ms and None not in ms:
                check(f"{LABELS[m]}, peak", ms, lambda r: r < 150, unit=" MB", nd=0)
    emit()

    # ------------------------------------------------------------ every run
    emit("Every run: start time, wall s, CPU s, peak MB, load average; details.")
    for key, rs in results.items():
        method, table = key
        emit(f"{method} on {table}:")
        for i, r in enumerate(rs):
            st = "" if r.status == "ok" else f" {r.status.upper()}"
            if r.build:
                st += f" OTHER BUILD ({r.build})"
            emit(f"    {i + 1}: {r.when:%H:%M:%S} {fmt(r.wall)} s, CPU {fmt(r.cpu)} s,"
                 f" {fmt(r.mem_mb, 0)} MB, load {r.load:.1f}{st}; {r.extra}")
    emit()
    emit(f"load avg at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if library_stamp() != stamp:
        changed = [f"{m} on {t} run {i + 1}" for (m, t), rs in results.items()
                   for i, r in enumerate(rs) if r.build]
        emit(f"WARNING: pg_sybil.so changed during the run (now {library_stamp()});"
             + (f" runs that may have used another build: {', '.join(changed)}"
                if changed else " after the last run"))
    if args.save:
        with open(args.save, "w") as f:
            f.write("\n".join(out_lines) + "\n")
            f.write("\nQueries (on the main table; the others are the same):\n")
            for m in ("agg", "rows", "rows_table", "pgr", "floor_scan", "sql_iter", "sql_cte"):
                timed, after = sql_of(m, mt)
                f.write(f"\n-- {m}\n{timed}\n" + (f"-- untimed check:\n{after}\n" if after else ""))


if __name__ == "__main__":
    main()
