#!/usr/bin/env python3
"""bench/communities_bench.py: time community detection, ours (Leiden in the
server) against python3-igraph's community_multilevel and networkx's
louvain_communities fed from the same table, and print the table.

Called by bench/communities_run.sh once the tables exist; talks to the
server through psql with the libpq environment (PGHOST, PGPORT, ...), and
must run on the server's machine (it reads /proc of the server's processes).
Run it with Debian's /usr/bin/python3, which has igraph, networkx and numpy.

Methods, on every table (the main one, BENCH_EDGES edges, and the smaller
ones of BENCH_NX_SIZES):
  ours      SELECT count(*), count(*) FILTER (WHERE node = community),
            max(modularity) FROM sybil.communities('SELECT a, b FROM t'):
            every row produced and counted (a community is named after its
            smallest node, so the second count is the number of communities)
  igraph    a fresh Python process: \\copy (SELECT a, b FROM t) TO a file
            (FORMAT binary), numpy, np.unique(..., return_inverse=True) to
            dense ids, igraph.Graph(n, edges), community_multilevel():
            timed from the table to the partition; its algorithm-only time
            (community_multilevel alone) is reported too
  networkx  the same export and numpy, then nx.Graph().add_edges_from() over
            the original ids and nx.community.louvain_communities(G, seed):
            under a time limit (--nx-timeout) and a memory cap

Timing.  Each in-database run is a fresh psql session.  Wall time is the
server's clock_timestamp() taken by a statement just before and just after
the method's statement, from the same session.  CPU time is the user +
system time of the backend (and any parallel workers): the postmaster reaps
them when they exit and Linux adds a reaped child's time to the parent's
cutime/cstime (/proc/<postmaster>/stat).  For the Python pipelines, wall time
is the child's own clock from before the export to the partition; CPU is the
Python process over the same span (getrusage: its start-up and imports are
left out), the psql it runs for the export and the server backend that
writes the COPY.  A pipeline killed at its limit is charged all its CPU.

Memory.  "added MB" is what the method added: for ours, the growth of the
backend's RssAnon (private memory: palloc, not shared buffers), sampled every
10 ms, over its value just before the statement; for the pipelines, the
process's VmHWM minus its RSS after the imports.  "peak RSS MB" is the
process's own high-water mark, VmHWM: the backend's (it includes the shared
buffers it touched) and the Python process's max RSS.

Quality.  Every partition is scored the same way, untimed: an evaluation
process builds the graph in igraph once, from the same export, and computes
Graph.modularity (resolution 1) of each method's partition, its number of
communities, and its NMI with the planted partition (the generator's
--membership).  Ours is dumped by one more, untimed, run of the same call
(deterministic for a seed; its counts are checked against the timed runs);
the pipelines write their partitions after their clock stops.  Ours also
reports its own modularity; the evaluation checks the two agree.

Rounds.  Runs go in rounds (run 1 of every method, then run 2, ...).
networkx runs only in the first --slow-runs rounds.  Ratios are taken
between runs of the same round, then the median over the rounds is shown.
"""
import argparse
import datetime
import json
import math
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time

from pgproc import psql, find_postmaster, children_cpu, library_stamp
from components_bench import Sampler, status_kb, lib_sig, med, fmt

ALL_METHODS = ["ours", "igraph", "networkx"]
SLOW = {"networkx"}
MEM_CAP_MB = 16384             # a pipeline past this is killed
LABELS = {
    "ours": "a) ours: sybil.communities(), counted",
    "igraph": "b) igraph: \\copy + numpy + multilevel",
    "igraph_alg": "   b1) community_multilevel() alone",
    "networkx": "c) networkx: \\copy + nx.Graph + louvain",
    "networkx_alg": "   c1) louvain_communities() alone",
}
OUR_SEED = 0


def sql_of(table):
    return (f"SELECT count(*), count(*) FILTER (WHERE node = community), max(modularity)\n"
            f"FROM sybil.communities('SELECT a, b FROM {table}', seed => {OUR_SEED});")


# ---------------------------------------------------------------- runs

class Result:
    def __init__(self, wall=None, cpu=None, mem_mb=None, hwm_mb=None, status="ok", extra=""):
        self.wall, self.cpu, self.mem_mb, self.hwm_mb = wall, cpu, mem_mb, hwm_mb
        self.alg = None             # algorithm-only wall s (pipelines)
        self.nodes = self.comms = None
        self.modularity = None      # ours: its own; igraph: Graph.modularity in the child
        self.status, self.extra = status, extra
        self.load = os.getloadavg()[0]
        self.when = None
        self.build = None


TEMP_SQL = ("SELECT pg_stat_force_next_flush();\n"
            "SELECT temp_files, temp_bytes FROM pg_stat_database WHERE datname = current_database();")


def temp_written():
    """(files, bytes) of temporary files written in this database so far."""
    f, b = psql(TEMP_SQL).split()[-1].split("|")
    return int(f), int(b)


def run_ours(postmaster, table):
    """One run of ours in a fresh session."""
    temp0 = temp_written()
    p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    p.stdin.write("SELECT pg_backend_pid();\n")
    p.stdin.flush()
    pid = int(p.stdout.readline())
    base = status_kb(pid)
    cpu0 = children_cpu(postmaster)
    sampler = Sampler(pid, postmaster, workers=True)
    sampler.start()
    out, err = p.communicate(
        "SELECT 'T0', extract(epoch FROM clock_timestamp());\n" + sql_of(table) + "\n"
        "SELECT 'T1', extract(epoch FROM clock_timestamp());\n")
    sampler.stop.set()
    sampler.join()
    deadline = time.time() + 30
    while os.path.exists(f"/proc/{pid}") and time.time() < deadline:
        time.sleep(0.02)
    cpu1 = children_cpu(postmaster)
    if p.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"ours on {table} failed")
    cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None and \
        not os.path.exists(f"/proc/{pid}") else None
    marks, vals = {}, None
    for line in out.splitlines():
        parts = line.split("|")
        if parts[0] in ("T0", "T1"):
            marks[parts[0]] = float(parts[1])
        elif len(parts) == 3:
            vals = parts
    r = Result(wall=marks["T1"] - marks["T0"], cpu=cpu,
               mem_mb=(sampler.peak_kb - base["RssAnon"]) / 1024 if base else None,
               hwm_mb=sampler.hwm_kb / 1024 if base else None)
    r.nodes, r.comms = int(vals[0]), int(vals[1])
    r.modularity = float(vals[2]) if vals[2] else None
    r.extra = (f"backend VmHWM {sampler.hwm_kb / 1024:.0f} MB"
               f" (+{(sampler.hwm_kb - base['VmHWM']) / 1024:.0f} MB)" if base else "")
    if sampler.worker_pids:
        r.extra += f"; parallel workers seen: {len(sampler.worker_pids)}"
    # The backend has exited, so its statistics are flushed.
    temp1 = temp_written()
    r.extra += (f"; temp files {temp1[0] - temp0[0]}, {(temp1[1] - temp0[1]) / 2**20:.0f} MB"
                " written")
    return r


def run_pipeline(postmaster, kind, table, work, rnd, timeout=None):
    """A Python pipeline in a fresh process; CPU of it, its psql and the COPY
    backend.  The partition goes to work/part_<kind>_<table>.npz (round 1)."""
    path = os.path.join(work, f"export_{kind}.bin")
    part = os.path.join(work, f"part_{kind}_{table}.npz") if rnd == 0 else ""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = children_cpu(postmaster)
    p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--pipeline", kind,
                          "--table", f"x:{table}:0:0", "--file", path, "--part", part,
                          "--seed", str(rnd)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    capped = []

    def kill():
        capped.append("memcap")
        p.kill()

    sampler = Sampler(p.pid, cap_kb=MEM_CAP_MB * 1024, on_cap=kill)
    sampler.start()
    t_start = time.monotonic()
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        capped.append("timeout")
        p.kill()
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
        what = capped[0]
        return Result(wall=elapsed, cpu=cpu, mem_mb=None, hwm_mb=sampler.hwm_kb / 1024,
                      status=what,
                      extra=(f"killed past {MEM_CAP_MB} MB" if what == "memcap"
                             else f"killed after {timeout} s")
                      + f"; peak RSS {sampler.hwm_kb / 1024:.0f} MB")
    if p.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"pipeline {kind} on {table} failed")
    j = json.loads(out.strip().splitlines()[-1])
    # The child's own CPU from its clock's start (not its start-up and
    # imports), plus the backend that wrote the COPY.
    cpu = j["cpu_s"] + (cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else 0)
    r = Result(wall=j["wall_s"], cpu=cpu, mem_mb=j["peak_mb"] - j["base_mb"],
               hwm_mb=j["peak_mb"])
    r.alg = j["compute_s"]
    r.nodes, r.comms = j["nodes"], j["communities"]
    r.modularity = j.get("modularity")
    r.extra = (f"export {j['export_s']:.2f} s, load {j['load_s']:.2f} s,"
               f" compute {j['compute_s']:.2f} s; peak RSS {j['peak_mb']:.0f} MB"
               f" (after imports {j['base_mb']:.0f} MB)")
    return r


def rss_mb(field):
    """VmRSS / VmHWM of this process, not getrusage: ru_maxrss is inherited
    from the parent across fork and exec, VmHWM belongs to this process."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0


def read_pairs(path):
    """Two bigint columns from a COPY binary file, as int64 arrays."""
    import numpy as np
    raw = np.fromfile(path, dtype=np.uint8)
    row = np.dtype([("nf", ">i2"), ("la", ">i4"), ("a", ">i8"), ("lb", ">i4"), ("b", ">i8")])
    m = (len(raw) - 21) // row.itemsize
    rows = np.frombuffer(raw, dtype=row, count=m, offset=19)
    if m and (rows["nf"][0] != 2 or rows["la"][0] != 8 or rows["lb"][-1] != 8):
        raise SystemExit("unexpected COPY binary layout")
    return rows["a"].astype(np.int64), rows["b"].astype(np.int64)


def export(query, path):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                    f"\\copy ({query}) TO '{path}' WITH (FORMAT binary)"], check=True)


def pipeline_main(kind, table, path, part, seed):
    """Child process: export, load, compute; print one JSON line."""
    import numpy as np
    if kind == "igraph":
        import igraph
        random.seed(seed)       # community_multilevel's vertex order
    else:
        import networkx as nx

    base = rss_mb("VmRSS")
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    export(f"SELECT a, b FROM {table}", path)
    t1 = time.monotonic()
    a, b = read_pairs(path)
    m = len(a)
    if kind == "igraph":
        ids, inv = np.unique(np.concatenate((a, b)), return_inverse=True)
        del a, b
        n = len(ids)
        # A list of Python pairs: igraph converts it faster than a numpy array.
        g = igraph.Graph(n=n, edges=list(zip(inv[:m].tolist(), inv[m:].tolist())))
        del inv
        t2 = time.monotonic()
        membership = g.community_multilevel().membership
        t3 = time.monotonic()
        peak = rss_mb("VmHWM")
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        modularity = g.modularity(membership)
        labels = np.asarray(membership, dtype=np.int64)
        nodes, ncomm = ids, int(labels.max()) + 1 if n else 0
    else:
        g = nx.Graph()
        g.add_edges_from(zip(a.tolist(), b.tolist()))
        del a, b
        t2 = time.monotonic()
        comms = nx.community.louvain_communities(g, seed=seed)
        t3 = time.monotonic()
        peak = rss_mb("VmHWM")
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        n, ncomm, modularity = g.number_of_nodes(), len(comms), None
        if part:
            nodes = np.fromiter((v for c in comms for v in c), dtype=np.int64, count=n)
            labels = np.repeat(np.arange(ncomm, dtype=np.int64), [len(c) for c in comms])
    ruc = resource.getrusage(resource.RUSAGE_CHILDREN)    # the psql of the export
    cpu = (ru1.ru_utime - ru0.ru_utime + ru1.ru_stime - ru0.ru_stime
           + ruc.ru_utime + ruc.ru_stime)
    if part:
        np.savez(part, nodes=nodes, labels=labels)
    print(json.dumps({"export_s": t1 - t0, "load_s": t2 - t1, "compute_s": t3 - t2,
                      "cpu_s": cpu,
                      "wall_s": t3 - t0, "nodes": int(n), "communities": int(ncomm),
                      "modularity": modularity, "base_mb": base, "peak_mb": peak}))


def evaluate_main(table, work, gen, gen_args, parts):
    """Child process (untimed): score each partition on one igraph graph built
    from the table; print one JSON line."""
    import numpy as np
    import igraph
    path = os.path.join(work, "eval_edges.bin")
    export(f"SELECT a, b FROM {table}", path)
    a, b = read_pairs(path)
    os.unlink(path)
    m = len(a)
    ids, inv = np.unique(np.concatenate((a, b)), return_inverse=True)
    del a, b
    g = igraph.Graph(n=len(ids), edges=list(zip(inv[:m].tolist(), inv[m:].tolist())))
    del inv

    def membership(nodes, labels):
        """Labels aligned with ids; None if the nodes are not exactly ids."""
        if len(nodes) != len(ids):
            return None, f"{len(nodes)} nodes for {len(ids)}"
        pos = np.searchsorted(ids, nodes)
        pos[pos >= len(ids)] = 0
        if not np.array_equal(ids[pos], nodes) or len(np.unique(pos)) != len(ids):
            return None, "nodes differ from the graph's"
        out = np.empty(len(ids), dtype=np.int64)
        out[pos] = labels
        _, dense = np.unique(out, return_inverse=True)
        return dense.tolist(), None

    planted = None
    if gen:
        txt = subprocess.run([gen] + gen_args + ["--membership"], capture_output=True,
                             check=True).stdout
        pm = np.array(txt.split(), dtype=np.int64).reshape(-1, 2)
        planted, why = membership(pm[:, 0], pm[:, 1])
    res = {"nodes": len(ids), "edges": m}
    if planted is not None:
        res["planted"] = {"modularity": g.modularity(planted),
                          "communities": max(planted) + 1}
    for name, file in parts:
        if file.endswith(".bin"):
            nodes, labels = read_pairs(file)
        else:
            z = np.load(file)
            nodes, labels = z["nodes"], z["labels"]
        mem, why = membership(nodes, labels)
        if mem is None:
            res[name] = {"error": why}
            continue
        sizes = np.bincount(mem)
        r = {"modularity": g.modularity(mem), "communities": len(sizes),
             "largest": int(sizes.max()), "singletons": int((sizes == 1).sum())}
        if planted is not None:
            r["nmi"] = igraph.compare_communities(planted, mem, method="nmi")
        res[name] = r
    print(json.dumps(res))


# ---------------------------------------------------------------- report

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pipeline", choices=["igraph", "networkx"], help=argparse.SUPPRESS)
    ap.add_argument("--evaluate", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--part", default="", help=argparse.SUPPRESS)
    ap.add_argument("--parts", default="", help=argparse.SUPPRESS)
    ap.add_argument("--table", action="append", default=[],
                    help="role:name:edges:nodes (role main or scale)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=1)
    ap.add_argument("--nx-timeout", type=int, default=1200,
                    help="seconds networkx may run on the main table; 0: not run there")
    ap.add_argument("--only", default="", help="comma-separated: " + ",".join(ALL_METHODS))
    ap.add_argument("--seed", default="20240601")
    ap.add_argument("--mu", default="0.2")
    ap.add_argument("--gen", help="gen_community_edges binary (for the planted partition)")
    ap.add_argument("--work", help="a scratch directory")
    ap.add_argument("--save")
    args = ap.parse_args()
    if args.pipeline:
        pipeline_main(args.pipeline, args.table[0].split(":")[1], args.file, args.part,
                      int(args.seed))
        return
    if args.evaluate:
        t = args.table[0].split(":")
        parts = [tuple(x.split("=", 1)) for x in args.parts.split(",") if x]
        evaluate_main(t[1], args.work, args.gen, [t[2], t[3], args.seed, args.mu], parts)
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
    scale_ts = sorted(tables.get("scale", []), key=lambda t: t[1])
    all_ts = scale_ts + [main_t]

    out_lines = []

    def emit(line=""):
        print(line, flush=True)
        out_lines.append(line)

    facts = psql("""
SELECT version();
SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'pg_sybil'), '-');
SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
FROM pg_settings WHERE name IN ('work_mem', 'hash_mem_multiplier', 'shared_buffers', 'temp_buffers',
  'max_parallel_workers_per_gather', 'max_parallel_workers', 'jit');
SELECT to_regprocedure('sybil.communities(text,float8,int8,int8)') IS NOT NULL;
SELECT current_setting('sybil.graph_memory_limit', true);
""").strip().split("\n")
    if facts[3] != "t":
        raise SystemExit("sybil.communities(text, float8, int8, int8) is not installed")
    settings = facts[2]
    gml = psql("SELECT sybil.node_count('{}'::sybil.component_set);\n"
               "SELECT current_setting('sybil.graph_memory_limit');").split()[-1]
    settings += f", sybil.graph_memory_limit={gml}"

    cpu_name = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu_name = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    git = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)),
                          "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip() or "?"
    import numpy
    pyver = f"Python {platform.python_version()}, numpy {numpy.__version__}"
    for mod in ("igraph", "networkx"):
        try:
            pyver += f", {mod} {__import__(mod).__version__}"
        except ImportError:
            if mod in only:
                only.remove(mod)
                pyver += f", {mod} MISSING (skipped)"

    emit(f"pg_sybil communities benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    emit(f"machine:  {os.cpu_count()} cores ({cpu_name}), {mem_gib:.0f} GiB, {platform.platform()}")
    emit(f"load avg at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    stamp = library_stamp()
    emit(f"server:   {facts[0].split(' on ')[0]}; pg_sybil {facts[1]} (git {git})")
    emit(f"library:  {stamp}")
    emit(f"settings: {settings}")
    emit(f"python:   {pyver}")
    emit(f"graph:    gen_community_edges, seed {args.seed}, mu {args.mu} (share of edges"
         f" between planted blocks)")
    for name, e, n in all_ts:
        size = psql(f"SELECT pg_size_pretty(pg_table_size('{name}'));").strip()
        line = "?"
        if args.gen:
            line = subprocess.run([args.gen, str(e), str(n), args.seed, args.mu, "--stats"],
                                  capture_output=True, text=True, check=True).stdout.strip()
        emit(f"table:    {name} {size}: {line}")
    emit(f"ours:     {sql_of(main_t[0])}".replace("\n", " "))
    emit()

    for name, _, _ in all_ts:
        psql(f"SELECT count(*) FROM {name};")      # warm the page cache, untimed

    postmaster = find_postmaster()
    if postmaster is None:
        emit("note:     the postmaster is not on this machine; no CPU times for ours")

    def schedule(rnd):
        slow_ok = rnd < args.slow_runs
        items = []
        for name, _, _ in [main_t] + scale_ts:
            for m in ("ours", "igraph", "networkx"):
                if m not in only or (m in SLOW and not slow_ok):
                    continue
                if m == "networkx" and name == main_t[0] and args.nx_timeout <= 0:
                    continue
                items.append((m, name))
        # networkx on the main table last: it takes longest.
        items.sort(key=lambda k: k == ("networkx", main_t[0]))
        return items

    lib_sig0 = lib_sig()
    results = {}
    t_bench = time.monotonic()
    for rnd in range(args.runs):
        for key in schedule(rnd):
            method, table = key
            when = datetime.datetime.now()
            sig_before = lib_sig()
            if method == "ours":
                r = run_ours(postmaster, table)
            else:
                timeout = args.nx_timeout if (method == "networkx" and table == main_t[0]) else None
                r = run_pipeline(postmaster, method, table, args.work, rnd, timeout)
            r.when = when
            if sig_before != lib_sig0 or lib_sig() != lib_sig0:
                r.build = library_stamp()
            results.setdefault(key, []).append(r)
            ok = "" if r.status == "ok" else f"  {r.status.upper()}"
            if r.build:
                ok += f"  OTHER BUILD ({r.build})"
            print(f"  run {rnd + 1}/{args.runs}  {method:8s} {table:14s} {fmt(r.wall):>8s} s"
                  f"  cpu {fmt(r.cpu):>7s} s  mem {fmt(r.mem_mb, 0):>6s} MB"
                  f"  load {r.load:.2f}{ok}  {r.extra}", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - t_bench

    # ------------------------------------------------------------ quality (untimed)
    quality = {}
    t_eval = time.monotonic()
    for name, e, n in all_ts:
        parts = []
        if "ours" in only:
            f = os.path.join(args.work, f"part_ours_{name}.bin")
            export(f"SELECT node, community FROM sybil.communities("
                   f"'SELECT a, b FROM {name}', seed => {OUR_SEED})", f)
            parts.append(("ours", f))
        for m in ("igraph", "networkx"):
            f = os.path.join(args.work, f"part_{m}_{name}.npz")
            if os.path.exists(f):
                parts.append((m, f))
        print(f"  scoring the partitions of {name} ...", file=sys.stderr, flush=True)
        res = subprocess.run([sys.executable, os.path.abspath(__file__), "--evaluate",
                              "--table", f"x:{name}:{e}:{n}", "--work", args.work,
                              "--gen", args.gen or "", "--seed", args.seed, "--mu", args.mu,
                              "--parts", ",".join(f"{k}={v}" for k, v in parts)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            sys.stderr.write(res.stderr)
            raise SystemExit(f"scoring {name} failed")
        quality[name] = json.loads(res.stdout.strip().splitlines()[-1])
        for _, f in parts:
            os.unlink(f)
    eval_s = time.monotonic() - t_eval

    # ------------------------------------------------------------ tables
    def series(key, what="wall"):
        return [getattr(r, what) if r.status == "ok" else None for r in results.get(key, [])]

    def paired(num, den, what="wall"):
        a, b = series(num, what), series(den, what)
        return [x / y for x, y in zip(a, b) if x is not None and y]

    def bound(key):
        bad = [r for r in results.get(key, []) if r.status != "ok"]
        return (bad[0].wall, bad[0].status) if bad else (None, None)

    mt = main_t[0]
    emit(f"{args.runs} rounds (networkx in {args.slow_runs}); {elapsed / 60:.1f} minutes,"
         f" plus {eval_s / 60:.1f} scoring the partitions.  Medians over rounds.")
    emit("wall and CPU in seconds; added MB: memory the method added; peak RSS: the process's"
         " VmHWM (see the header of communities_bench.py);")
    emit("/a: median of per-round ratios of wall clock to a); modularity, communities and NMI"
         " (with the planted blocks): from the evaluation, igraph's Graph.modularity for all.")
    emit()

    def method_rows(name):
        q = quality.get(name, {})
        rows = []
        for m in ("ours", "igraph", "networkx"):
            key = (m, name)
            rs = results.get(key, [])
            if not rs:
                continue
            w = med(series(key))
            wtxt = fmt(w)
            bw, bst = bound(key)
            if w is None and bw is not None:
                wtxt = f">{bw:.0f}"
            ra = med(paired(key, ("ours", name))) if m != "ours" else None
            if ra is None and m != "ours" and bw is not None:
                ours_w = med(series(("ours", name)))
                ra_txt = f">{bw / ours_w:.0f}" if ours_w else "-"
            else:
                ra_txt = fmt(ra)
            qm = q.get(m, {})
            mod = f"{qm['modularity']:.4f}" if "modularity" in qm else qm.get("error", "-")
            nmi = f"{qm['nmi']:.3f}" if "nmi" in qm else "-"
            nc = f"{qm['communities']:,}" if "communities" in qm else "-"
            rows.append((LABELS[m], wtxt, fmt(med(series(key, "cpu"))),
                         fmt(med(series(key, "mem_mb")), 0), fmt(med(series(key, "hwm_mb")), 0),
                         ra_txt, mod, nc, nmi))
            if m != "ours" and any(r.alg is not None for r in rs):
                rows.append((LABELS[m + "_alg"], fmt(med(series(key, "alg"))), "", "", "",
                             "", "", "", ""))
        if "planted" in q:
            rows.append(("   planted blocks (the generator's)", "", "", "", "", "",
                         f"{q['planted']['modularity']:.4f}",
                         f"{q['planted']['communities']:,}", "1.000"))
        return rows

    hdr = (f"{'method':44s} {'wall s':>8s} {'CPU s':>8s} {'added MB':>8s} {'peak RSS':>8s}"
           f" {'/a':>6s} {'modularity':>10s} {'communities':>11s} {'NMI':>6s}")
    for name, e, n in [main_t] + scale_ts[::-1]:
        emit(f"{name}: {e:,} edges, {n:,} nodes")
        emit(hdr)
        emit("-" * len(hdr))
        for row in method_rows(name):
            emit(f"{row[0]:44s} {row[1]:>8s} {row[2]:>8s} {row[3]:>8s} {row[4]:>8s}"
                 f" {row[5]:>6s} {row[6]:>10s} {row[7]:>11s} {row[8]:>6s}")
        emit()

    # ------------------------------------------------------------ scaling
    nx_pts = []                 # (edges, networkx wall, table): measured below the main size
    emit("By size (wall s, medians; networkx in the first round only):")
    hdr2 = (f"{'edges':>11s} {'nodes':>10s} {'ours':>8s} {'igraph':>8s} {'ig. alg':>8s}"
            f" {'networkx':>9s} {'nx alg':>8s} {'ours/ig':>8s} {'nx/ours':>8s}")
    emit(hdr2)
    emit("-" * len(hdr2))
    for name, e, n in all_ts:
        o, ig = med(series(("ours", name))), med(series(("igraph", name)))
        ia = med(series(("igraph", name), "alg"))
        nx_w = med(series(("networkx", name)))
        na = med(series(("networkx", name), "alg"))
        bw, _ = bound(("networkx", name))
        nx_txt = fmt(nx_w) if nx_w is not None else (f">{bw:.0f}" if bw else "-")
        r1 = med(paired(("ours", name), ("igraph", name)))
        r2 = med(paired(("networkx", name), ("ours", name)))
        r2_txt = fmt(r2) if r2 is not None else (f">{bw / o:.0f}" if bw and o else "-")
        if nx_w is not None and name != mt:
            nx_pts.append((e, nx_w, name))
        emit(f"{e:>11,} {n:>10,} {fmt(o):>8s} {fmt(ig):>8s} {fmt(ia):>8s} {nx_txt:>9s}"
             f" {fmt(na):>8s} {fmt(r1):>8s} {r2_txt:>8s}")
    extrap = None
    if len(nx_pts) >= 2 and med(series(("ours", mt))):
        (e1, t1, _), (e2, t2, _) = nx_pts[-2], nx_pts[-1]
        k = math.log(t2 / t1) / math.log(e2 / e1)
        t_main = t2 * (main_t[1] / e2) ** k
        extrap = (t_main, t_main / med(series(("ours", mt))), k, e1, e2)
        emit(f"EXTRAPOLATED, not measured: networkx at {main_t[1]:,} edges ~ {t_main:.0f} s"
             f" (t ~ edges^{k:.2f}, fitted on {e1:,} and {e2:,} edges),"
             f" ~ {extrap[1]:.0f}x ours there")
    emit()

    # ------------------------------------------------------------ checks
    checks = []
    for (m, name), rs in results.items():
        if m != "ours":
            continue
        sig = {(r.nodes, r.comms, r.modularity) for r in rs}
        if len(sig) != 1:
            checks.append(f"ours on {name} differs between runs: {sorted(sig)}")
        q = quality.get(name, {}).get("ours", {})
        r0 = rs[0]
        if "modularity" in q:
            if q["communities"] != r0.comms:
                checks.append(f"ours on {name}: {r0.comms} communities timed,"
                              f" {q['communities']} in the dump")
            if r0.modularity is None or abs(q["modularity"] - r0.modularity) > 1e-9:
                checks.append(f"ours on {name}: modularity {r0.modularity} reported,"
                              f" {q['modularity']} by igraph")
        elif q:
            checks.append(f"ours on {name}: {q.get('error')}")
        nodes_graph = quality.get(name, {}).get("nodes")
        if nodes_graph is not None and r0.nodes != nodes_graph:
            checks.append(f"ours on {name}: {r0.nodes} rows for {nodes_graph} nodes")
    for (m, name), rs in results.items():
        if m == "ours":
            continue
        nodes_graph = quality.get(name, {}).get("nodes")
        for i, r in enumerate(rs):
            if r.status == "ok" and nodes_graph is not None and r.nodes != nodes_graph:
                checks.append(f"{m} on {name} run {i + 1}: {r.nodes} nodes for {nodes_graph}")
        if "error" in quality.get(name, {}).get(m, {}):
            checks.append(f"{m} on {name}: {quality[name][m]['error']}")
    emit("check:    " + ("ours gave the same rows in every run; its reported modularity equals"
                         " igraph's Graph.modularity of its partition within 1e-9; every"
                         " method covered every node" if not checks else
                         "PROBLEM: " + "; ".join(checks)))
    emit()

    # ------------------------------------------------------------ targets
    emit("Targets (issue).  Ratios are per round, median over rounds (rounds in brackets).")

    def check(label, rs, ok, lower_bound=False):
        """ok None: for information, no verdict.  A lower bound that does
        not meet the target decides nothing."""
        if not rs:
            emit(f"  {label}: not measured")
            return
        r = med(rs)
        rounds = ", ".join(f"{x:.1f}" if x >= 10 else f"{x:.2f}" for x in rs)
        if ok is None:
            verdict = ""
        elif ok(r):
            verdict = " -- met"
        else:
            verdict = " -- undecided (a lower bound)" if lower_bound else " -- MISSED"
        emit(f"  {label}: {'>' if lower_bound else ''}{r:.2f}x{verdict} ({rounds})")

    e_main = f"{main_t[1]:,}"
    for what in ("wall", "cpu"):
        emit(f" {what}:")
        check(f"ours / igraph incl. loading at {e_main} edges <= 2",
              paired(("ours", mt), ("igraph", mt), what), lambda r: r <= 2)
        if what == "wall":
            rs = [x / y for x, y in zip(series(("ours", mt)), series(("igraph", mt), "alg"))
                  if x is not None and y]
            check("for information: ours, all of it / igraph's community_multilevel() alone", rs,
                  None)
        rs = paired(("networkx", mt), ("ours", mt), what)
        if rs:
            check(f"networkx / ours at {e_main} edges >= 20", rs, lambda r: r >= 20)
        else:
            bw, bst = bound(("networkx", mt))
            ow = med(series(("ours", mt), what))
            if bw and ow and what == "wall":
                check(f"networkx / ours at {e_main} edges >= 20 (networkx stopped: {bst})",
                      [bw / ow], lambda r: r >= 20, lower_bound=True)
            elif what == "wall":
                emit(f"  networkx / ours at {e_main} edges >= 20: not run at this size")
        for e, _, name in nx_pts:
            check(f"networkx / ours at {e:,} edges >= 20 (measured)",
                  paired(("networkx", name), ("ours", name), what), lambda r: r >= 20)
        if extrap and what == "wall":
            emit(f"  networkx / ours at {e_main} edges >= 20, EXTRAPOLATED from {extrap[3]:,}"
                 f" and {extrap[4]:,} edges: ~{extrap[1]:.0f}x --"
                 f" {'met' if extrap[1] >= 20 else 'MISSED'} (an estimate, not a measurement)")
    emit()

    # ------------------------------------------------------------ every run
    emit("Every run: start time, wall s, CPU s, added MB, load average; details.")
    for key, rs in results.items():
        method, table = key
        emit(f"{method} on {table}:")
        for i, r in enumerate(rs):
            st = "" if r.status == "ok" else f" {r.status.upper()}"
            if r.build:
                st += f" OTHER BUILD ({r.build})"
            q = ""
            if r.nodes is not None:
                q = f"; {r.nodes:,} nodes, {r.comms:,} communities"
                if r.modularity is not None:
                    q += f", modularity {r.modularity:.6f}"
            emit(f"    {i + 1}: {r.when:%H:%M:%S} {fmt(r.wall)} s, CPU {fmt(r.cpu)} s,"
                 f" {fmt(r.mem_mb, 0)} MB, load {r.load:.1f}{st}; {r.extra}{q}")
    emit()
    emit("Scores (untimed evaluation; igraph and networkx: the round-1 partition):")
    for name, q in quality.items():
        emit(f"  {name}: {json.dumps(q, sort_keys=True)}")
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


if __name__ == "__main__":
    main()
