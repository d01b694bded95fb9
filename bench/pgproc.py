"""Helpers shared by the benchmarks (bench.py, components_bench.py): a psql
session per statement, and the CPU time of a PostgreSQL cluster's processes
read from /proc."""

import datetime
import hashlib
import os
import subprocess
import sys


def psql(sql):
    """Run sql in a fresh session; return its unaligned, tuples-only output."""
    res = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"],
                         input=sql, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit("psql failed on:\n" + sql)
    return res.stdout


def proc_stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def find_postmaster():
    """The postmaster's pid: the parent of the checkpointer, which lives on."""
    out = psql("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer';").strip()
    if not out:
        return None
    st = proc_stat(int(out))
    if st is None:
        return None
    ppid = int(st[1])
    try:
        with open(f"/proc/{ppid}/cmdline", "rb") as f:
            if b"postgres" not in f.read():
                return None
    except OSError:
        return None
    return ppid


def children_cpu(postmaster):
    st = proc_stat(postmaster) if postmaster else None
    if st is None:
        return None
    return (int(st[13]) + int(st[14])) / os.sysconf("SC_CLK_TCK")


_lib_path = []


def lib_path():
    """The pg_sybil.so the server loads (asked once)."""
    if not _lib_path:
        libdir = psql("SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR';").strip()
        _lib_path.append(os.path.join(libdir, "pg_sybil.so"))
    return _lib_path[0]


def library_stamp():
    """sha256 prefix and mtime of the pg_sybil.so the server loads, if local."""
    path = lib_path()
    try:
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        mtime = datetime.datetime.fromtimestamp(os.stat(path).st_mtime)
    except OSError:
        return "?"
    return f"pg_sybil.so sha256 {digest}, built {mtime:%Y-%m-%d %H:%M:%S}"
