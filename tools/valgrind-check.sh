#!/usr/bin/env bash
# Run pg_regress and pgTAP against a PostgreSQL 15 server running under
# valgrind memcheck, and fail if valgrind reports an error whose stack passes
# through pg_sybil (pg_sybil.so, or one of our source files src/*.[ch],
# src/core/*.[ch]).
#
#   tools/valgrind-check.sh                  # build, install, both suites
#   tools/valgrind-check.sh regress          # pg_regress only (or: pgtap)
#   REGRESS=histogram_io tools/valgrind-check.sh regress   # one file
#
# Run it as root (it installs the extension and runs initdb and the server as
# the postgres user) or as the postgres user with SYBIL_VG_INSTALL=0.  Needs
# valgrind, postgresql-15, postgresql-server-dev-15 and, for pgTAP, what
# `make test` installs (tools/ensure-deps.sh test).  It is slow: about 40
# minutes for both suites on two cores, 9 for pg_regress alone.
#
# It initdbs a cluster in a new directory, starts postgres under valgrind
# (unix socket in that directory only, no TCP), runs the suites with
# PGHOST/PGPORT/PGUSER pointing at it, stops the server, then reads the
# per-process valgrind logs:
#   - every distinct error that touches our code is printed in full, with each
#     process that hit it, its application name (pg_regress/<test> for
#     pg_regress) and the statement it was running then (from log_statement);
#   - other errors (PostgreSQL's or libc's) are counted and summarised.
#
# Exit status: 0 clean; 1 valgrind errors in pg_sybil; 2 could not run (no
# valgrind, initdb or server start failed, ...); 3 no error in pg_sybil, but a
# suite failed or a server process crashed.
#
# Settings (environment):
#   SYBIL_VG_INSTALL=0        do not run `make && make install` first (default 1)
#   SYBIL_VG_DIR=PATH         work directory (default: a new /tmp/pg_sybil_vg.XXXXXX);
#                             kept when something failed or SYBIL_VG_KEEP=1
#   SYBIL_VG_PORT=N           port number of the socket (default 54329)
#   SYBIL_VG_TRACK_ORIGINS=no skip --track-origins (faster; uninitialised-value
#                             errors then do not say where the value came from)
#   SYBIL_VG_START_TIMEOUT=S  seconds to wait for the server (default 300)
#   SYBIL_VG_BINDIR=DIR       PostgreSQL 15 programs to use (default
#                             /usr/lib/postgresql/15/bin): e.g. a build configured
#                             with CPPFLAGS=-DUSE_VALGRIND, which sees palloc chunks
#   SYBIL_VALGRIND_OPTS='...' more valgrind options, e.g. --gen-suppressions=all
#   REGRESS=...               the pg_regress files to run (default: all of sql/)
#   SYBIL_TEST_SEED, SYBIL_TEST_JOBS, ...  as for test/pgtap/run.sh
#
# Known limit: Debian's postgres is not built with USE_VALGRIND, so memcheck
# does not see palloc chunk boundaries (see "Memory checking" in
# docs/development.md).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bindir="${SYBIL_VG_BINDIR:-/usr/lib/postgresql/15/bin}"
python=/usr/bin/python3
suppressions="$here/valgrind-postgres.supp"
port="${SYBIL_VG_PORT:-54329}"
start_timeout="${SYBIL_VG_START_TIMEOUT:-300}"
track_origins="${SYBIL_VG_TRACK_ORIGINS:-yes}"

say() { printf '[valgrind-check] %s\n' "$*"; }
die() { say "$*" >&2; exit 2; }

# Which suites.
run_regress=0 run_pgtap=0
[ $# -eq 0 ] && set -- regress pgtap
for arg in "$@"; do
	case "$arg" in
		regress) run_regress=1 ;;
		pgtap) run_pgtap=1 ;;
		-h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
		*) die "unknown argument '$arg' (expected: regress, pgtap)" ;;
	esac
done

command -v valgrind >/dev/null || die "valgrind is missing (apt-get install valgrind)"
[ -x "$bindir/postgres" ] || die "$bindir/postgres is missing (apt-get install postgresql-15)"
[ -x "$python" ] || die "$python is missing"
[ -r "$suppressions" ] || die "$suppressions is missing"

# initdb and postgres refuse to run as root: run them as postgres then.
if [ "$(id -u)" -eq 0 ]; then
	pg_user=postgres
	as_pg() { runuser -u postgres -- "$@"; }
else
	pg_user="$(id -un)"
	as_pg() { "$@"; }
fi

# Build and install what is in the tree, so that the server loads it.
if [ "${SYBIL_VG_INSTALL:-1}" != 0 ]; then
	say "building and installing pg_sybil"
	make -C "$root" -s PG_CONFIG="$bindir/pg_config" >/dev/null &&
		make -C "$root" -s PG_CONFIG="$bindir/pg_config" install >/dev/null ||
		die "make / make install failed"
fi
pkglibdir="$("$bindir/pg_config" --pkglibdir)"
so="$pkglibdir/pg_sybil.so"
[ -f "$so" ] || die "$so is not installed (make install)"
if [ -f "$root/pg_sybil.so" ] && ! cmp -s "$root/pg_sybil.so" "$so"; then
	say "warning: the installed $so differs from the tree's pg_sybil.so"
fi
if ! LC_ALL=C readelf -S "$so" 2>/dev/null | grep -c '\.debug_info' >/dev/null; then
	say "warning: $so has no debug information: stacks will not name our source lines"
fi

# Work directory, owned by the server's user.
if [ -n "${SYBIL_VG_DIR:-}" ]; then
	dir="$SYBIL_VG_DIR"
	mkdir -p "$dir" || die "cannot create $dir"
	[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
else
	dir="$(mktemp -d /tmp/pg_sybil_vg.XXXXXX)" || die "mktemp failed"
fi
dir="$(cd "$dir" && pwd)"
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown "$pg_user:" "$dir"
say "work directory: $dir"

server_pid=""
stop_server() {
	[ -n "$server_pid" ] || return 0
	if kill -0 "$server_pid" 2>/dev/null; then
		say "stopping the server (valgrind writes its summaries now)"
		as_pg "$bindir/pg_ctl" stop -D "$dir/data" -m fast -w -t 600 >/dev/null 2>&1 ||
			as_pg "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w -t 120 >/dev/null 2>&1
	fi
	wait "$server_pid" 2>/dev/null
	server_pid=""
}
on_exit() {
	local rc=$?
	stop_server
	if [ "$rc" -eq 0 ] && [ "${SYBIL_VG_KEEP:-0}" != 1 ]; then
		rm -rf "$dir"
		say "work directory removed (SYBIL_VG_KEEP=1 keeps the logs)"
	else
		say "logs kept in $dir (vg.<pid>.log, postgres.log, report.txt)"
	fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 2' INT TERM

say "initdb"
as_pg "$bindir/initdb" -D "$dir/data" -U "$pg_user" -A trust -E UTF8 --locale=C.UTF-8 -N \
	>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

# shellcheck disable=SC2054  # the comma in --error-markers is not an array separator
vg_opts=(
	--tool=memcheck
	--trace-children=yes
	# A process with errors exits with 1, which the postmaster takes as an
	# ordinary backend exit (another code would make it restart the whole
	# cluster).  The verdict comes from the logs, not from exit codes.
	--error-exitcode=1
	--leak-check=no
	--error-limit=no
	--track-origins="$track_origins"
	--num-callers=40
	--keep-debuginfo=yes
	--fullpath-after=
	--time-stamp=yes
	--error-markers=VALGRIND-ERROR-BEGIN,VALGRIND-ERROR-END
	--suppressions="$suppressions"
	--log-file="$dir/vg.%p.log"
)
# shellcheck disable=SC2206
extra_opts=(${SYBIL_VALGRIND_OPTS:-})
pg_opts=(
	-D "$dir/data"
	-c port="$port"
	-c unix_socket_directories="$dir"
	-c listen_addresses=
	-c fsync=off
	-c jit=off
	-c log_timezone=UTC
	-c "log_line_prefix=%m [%p] %q%a "
	-c log_statement=all
	-c log_connections=on
)

say "starting postgres under valgrind (port $port, socket in $dir)"
date +%s.%N >"$dir/start-epoch"
as_pg valgrind "${vg_opts[@]}" "${extra_opts[@]}" "$bindir/postgres" "${pg_opts[@]}" \
	>"$dir/postgres.log" 2>&1 &
server_pid=$!

export PGHOST="$dir" PGPORT="$port" PGUSER="$pg_user" PGDATABASE=postgres
waited=0
until "$bindir/pg_isready" -q -t 5; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		tail -n 30 "$dir/postgres.log" >&2
		server_pid=""
		die "the server did not start (see $dir/postgres.log and $dir/vg.*.log)"
	fi
	[ "$waited" -ge "$start_timeout" ] && die "the server was not ready after ${start_timeout}s"
	sleep 2
	waited=$((waited + 2))
done
say "server ready after ~${waited}s"

started=$SECONDS
suites_failed=()
if [ "$run_regress" = 1 ]; then
	say "pg_regress (make installcheck${REGRESS:+ REGRESS=$REGRESS})"
	t0=$SECONDS
	if ! make -C "$root" --no-print-directory PG_CONFIG="$bindir/pg_config" installcheck \
		${REGRESS:+REGRESS="$REGRESS"}; then
		[ -f "$root/regression.diffs" ] && head -c 20000 "$root/regression.diffs"
		suites_failed+=(pg_regress)
	fi
	say "pg_regress took $((SECONDS - t0))s"
fi
if [ "$run_pgtap" = 1 ]; then
	say "pgTAP (test/pgtap/run.sh)"
	t0=$SECONDS
	(cd "$root" && test/pgtap/run.sh) || suites_failed+=(pgTAP)
	say "pgTAP took $((SECONDS - t0))s"
fi
say "suites took $((SECONDS - started))s"

stop_server

# Read the logs.
ours_files="$(cd "$root" && ls src/*.[ch] src/core/*.[ch] 2>/dev/null | tr '\n' ' ')"
"$python" - "$dir" "$ours_files" >"$dir/report.txt" <<'PY'
import collections, datetime, glob, os, re, sys

workdir, ours_files = sys.argv[1], sys.argv[2].split()

# A frame is ours when it is in pg_sybil.so, or names one of our source files
# (valgrind prints full paths: --fullpath-after=).
names = sorted({os.path.basename(f) for f in ours_files})
ours_re = re.compile(
    r"pg_sybil\.so|/src/(?:core/)?(?:%s):\d+\)" % "|".join(re.escape(n) for n in names))
prefix_re = re.compile(r"^==(\d\d):(\d\d):(\d\d):(\d\d)\.(\d\d\d) (\d+)== ?(.*)$")
frame_re = re.compile(r"^\s+(?:at|by) 0x[0-9A-F]+: (.*)$")

start_epoch = float(open(os.path.join(workdir, "start-epoch")).read())

# Statements and application names per pid, from postgres.log.
stmt_re = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC \[(\d+)\] (.*?)\s*LOG:  statement: (.*)$")
line_re = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[")
conn_re = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC \[(\d+)\] .*LOG:  connection received")
statements = collections.defaultdict(list)   # pid -> [(epoch, text)]
connected = {}                               # pid -> epoch of "connection received"
appname = {}
crashes = []
last = None

def epoch_of(stamp):
    ts = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f")
    return ts.replace(tzinfo=datetime.timezone.utc).timestamp()

try:
    with open(os.path.join(workdir, "postgres.log"), errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = conn_re.match(line)
            if m:
                connected[int(m.group(2))] = epoch_of(m.group(1))
            m = stmt_re.match(line)
            if m:
                ts = epoch_of(m.group(1))
                pid = int(m.group(2))
                if m.group(3):
                    appname[pid] = m.group(3)
                last = [ts, m.group(4)]
                statements[pid].append(last)
                continue
            if line_re.match(line):
                last = None
                # The cause of a crash, not the postmaster's reaction to it: a process
                # with valgrind errors exits 1 (--error-exitcode), which is no crash.
                if re.search(r"terminated by signal|exited with exit code [02-9]"
                             r"|was terminated by exception", line):
                    crashes.append(line)
            elif last is not None and len(last[1]) < 4000:
                last[1] += "\n" + line
except FileNotFoundError:
    pass

def statement_at(pid, epoch):
    """The statement the process was running at that time: the last it
    logged before (None: it had logged none yet)."""
    best = None
    for ts, text in statements.get(pid, []):
        if ts <= epoch:
            best = text
        else:
            break
    return best

def signature(lines):
    out = []
    for l in lines:
        l = re.sub(r"0x[0-9A-Fa-f]+", "0x", l)
        l = re.sub(r"\b\d+ bytes\b", "N bytes", l)
        l = re.sub(r"size \d+", "size N", l)
        out.append(l.strip())
    return "\n".join(out)

def where(lines):
    """Whether our code is in the failing stack itself, or only in a stack
    that valgrind adds below it (where the block was allocated or freed, where
    an uninitialised value was created).  Without USE_VALGRIND the latter can
    be a palloc of ours that merely made aset malloc a block that PostgreSQL
    later used: look at it, but it may not be our bug."""
    main = []
    for l in lines[1:]:
        if re.match(r"^ \S", l):
            break
        main.append(l)
    return "in the failing stack" if any(ours_re.search(l) for l in main) else \
        "only in an allocation or origin stack: check before blaming pg_sybil"

def end_terminating(t):
    if any(ours_re.search(l) for l in t["lines"]):
        sig = signature(t["lines"])
        ours.setdefault(sig, {"block": t["lines"], "hits": [],
                              "where": "in the failing stack"})["hits"].append(t)
    else:
        crashes.append("pid %d: %s" % (t["pid"], t["lines"][0]))

ours = collections.OrderedDict()    # signature -> {"block", "hits", "where"}
others = collections.Counter()      # (kind, first frame) -> count
other_blocks = []
procs = 0
forked_at = {}    # pid -> elapsed seconds of its first valgrind line (its fork)
summaries = collections.Counter()
for path in sorted(glob.glob(os.path.join(workdir, "vg.*.log")),
                   key=lambda p: int(re.sub(r"\D", "", os.path.basename(p)) or 0)):
    procs += 1
    pid = int(re.sub(r"\D", "", os.path.basename(path)))
    block = None
    terminating = None
    with open(path, errors="replace") as f:
        for raw in f:
            m = prefix_re.match(raw.rstrip("\n"))
            if not m:
                continue
            # --time-stamp counts from the start of the postmaster's valgrind,
            # forked children included: days:hours:minutes:seconds.millis.
            days, hours, mins, secs = (int(m.group(i)) for i in (1, 2, 3, 4))
            elapsed = ((days * 24 + hours) * 60 + mins) * 60 + secs + int(m.group(5)) / 1000.0
            text = m.group(7)
            forked_at.setdefault(pid, elapsed)
            if text == "VALGRIND-ERROR-BEGIN":
                block = {"start": elapsed, "lines": []}
                continue
            if text == "VALGRIND-ERROR-END":
                if block is not None:
                    lines = [l for l in block["lines"] if l.strip()]
                    block["lines"] = lines
                    block["pid"] = pid
                    block["log"] = os.path.basename(path)
                    if any(ours_re.search(l) for l in lines):
                        sig = signature(lines)
                        entry = ours.setdefault(sig, {"block": lines, "hits": [],
                                                      "where": where(lines)})
                        entry["hits"].append(block)
                    else:
                        kind = re.sub(r"0x[0-9A-Fa-f]+|\b\d[\d,]*\b", "N", lines[0]) if lines else "?"
                        first = next((frame_re.match(l).group(1) for l in lines
                                      if frame_re.match(l)), "?")
                        others[(kind, re.sub(r"0x[0-9A-Fa-f]+", "0x", first))] += 1
                        other_blocks.append(block)
                block = None
                continue
            if block is not None:
                block["lines"].append(text)
                continue
            if text.startswith("Process terminating with default action of signal"):
                terminating = {"start": elapsed, "lines": [text], "pid": pid,
                               "log": os.path.basename(path)}
                continue
            if terminating is not None:
                if text.strip() and (frame_re.match(text) or text.startswith(" ")):
                    terminating["lines"].append(text)
                    continue
                end_terminating(terminating)
                terminating = None
            sm = re.match(r"ERROR SUMMARY: (\d+) errors from (\d+) contexts \(suppressed: (\d+)", text)
            if sm:
                summaries["errors"] += int(sm.group(1))
                summaries["suppressed"] += int(sm.group(3))
    if terminating is not None:
        end_terminating(terminating)

with open(os.path.join(workdir, "other-errors.txt"), "w") as f:
    for b in other_blocks:
        f.write("== %s (pid %d, %.1fs)\n" % (b["log"], b["pid"], b["start"]))
        f.write("\n".join(b["lines"]) + "\n\n")

# valgrind's clock starts a little after start-epoch was taken: estimate by
# how much from the backends' forks (first valgrind line) and the server's
# "connection received" right after.
lags = [connected[p] - (start_epoch + forked_at[p]) for p in connected if p in forked_at]
lag = max(0.0, min(lags)) if lags else 0.0

n_ours = sum(len(e["hits"]) for e in ours.values())
print("valgrind logs: %d processes" % procs)
if ours:
    print("ERRORS IN PG_SYBIL: %d, %d distinct" % (n_ours, len(ours)))
    for i, (sig, e) in enumerate(ours.items(), 1):
        print()
        print("---- pg_sybil error %d of %d (%d occurrence%s; pg_sybil %s) ----" %
              (i, len(ours), len(e["hits"]), "" if len(e["hits"]) == 1 else "s", e["where"]))
        print("\n".join(e["block"]))
        for hit in e["hits"][:10]:
            app = appname.get(hit["pid"], "?")
            stmt = statement_at(hit["pid"], start_epoch + lag + hit["start"])
            print("  in %s (pid %d, application %s, %.1fs after start), running:" %
                  (hit["log"], hit["pid"], app, hit["start"]))
            if stmt is None:
                print("    (no statement yet: %s)" % ("connection start-up" if hit["pid"] in connected
                                                 or hit["pid"] in statements
                                                 else "not a client backend"))
            else:
                s = stmt if len(stmt) <= 1500 else stmt[:1500] + " [...]"
                print("    " + s.replace("\n", "\n    "))
        if len(e["hits"]) > 10:
            print("  ... and %d more" % (len(e["hits"]) - 10))
else:
    print("errors in pg_sybil: none")
print()
total_other = sum(others.values())
print("other valgrind errors (not in pg_sybil): %d%s" %
      (total_other, ", listed in other-errors.txt (kept when the run fails, or with SYBIL_VG_KEEP=1)"
                    if total_other else ""))
for (kind, first), n in others.most_common(15):
    print("  %5d  %s  at %s" % (n, kind, first))
if len(others) > 15:
    print("  ... %d more kinds" % (len(others) - 15))
print("suppressed by valgrind-postgres.supp or valgrind's defaults: %d" % summaries["suppressed"])
if crashes:
    print()
    print("server processes that crashed:")
    for c in crashes[:20]:
        print("  " + c)
print("RESULT: ours=%d crashes=%d" % (n_ours, len(crashes)))
PY
scan_rc=$?
cat "$dir/report.txt"
[ "$scan_rc" -eq 0 ] || die "reading the valgrind logs failed"

result="$(sed -n 's/^RESULT: //p' "$dir/report.txt")"
ours_n="$(sed -n 's/.*ours=\([0-9]*\).*/\1/p' <<<"$result")"
crash_n="$(sed -n 's/.*crashes=\([0-9]*\).*/\1/p' <<<"$result")"
if [ "${ours_n:-1}" -gt 0 ]; then
	say "FAILED: valgrind found $ours_n error(s) in pg_sybil"
	exit 1
fi
if [ ${#suites_failed[@]} -gt 0 ] || [ "${crash_n:-0}" -gt 0 ]; then
	why=""
	[ ${#suites_failed[@]} -gt 0 ] && why="failed: ${suites_failed[*]}; "
	[ "${crash_n:-0}" -gt 0 ] && why="${why}crashed server processes: $crash_n; "
	say "no valgrind error in pg_sybil, but ${why%; }"
	exit 3
fi
say "OK: no valgrind error in pg_sybil"
