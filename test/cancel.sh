#!/usr/bin/env bash
# pg_cancel_backend() stops every long-running pg_sybil function within a
# second: each statement below runs in a session of its own for a while
# (inside the function: its input is cheap to produce and its work is
# not), then another session cancels it, and the time from the cancel to
# the end of the statement is measured.  statement_timeout is covered by
# the pg_regress files of each function.
# Runs against the cluster that libpq's environment names.
set -euo pipefail

db=sybil_cancel
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists $db 2>/dev/null' EXIT
dropdb --if-exists $db 2>/dev/null
createdb $db
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_sybil'

# name|statement: each runs for far longer than the test waits.
statements=(
"components|SELECT count(*) FROM sybil.components('SELECT g, g + 1 FROM generate_series(1, 1000000000) g')"
"components_agg|SELECT sybil.node_count(sybil.components_agg(g, g * 7)) FROM generate_series(1, 1000000000) g"
"linked_pairs|SELECT count(*) FROM sybil.linked_pairs(\$\$SELECT g, 'hub' FROM generate_series(1, 200000) g\$\$, max_degree => 1000000)"
"similar_pairs|SELECT count(*) FROM sybil.similar_pairs(\$\$SELECT g, m FROM generate_series(1, 200000) g, (SELECT sybil.minhash_agg(1) AS m) s\$\$)"
"minhash_agg|SELECT sybil.minhash_agg(g, 4096) FROM generate_series(1, 1000000000) g"
"dense_blocks|SELECT count(*) FROM sybil.dense_blocks(\$\$SELECT (random() * 300000)::bigint, (random() * random() * 50000)::bigint FROM generate_series(1, 10000000) g\$\$, 1000)"
"communities|SELECT count(*) FROM sybil.communities('SELECT g, (g * 7919) % 3000000 FROM generate_series(1, 20000000::bigint) g')"
"cadence|SELECT sybil.cadence(timestamptz '2024-01-01' + g * interval '1 second') FROM generate_series(1, 200000000) g"
)

status=0
for entry in "${statements[@]}"; do
	name=${entry%%|*}
	sql=${entry#*|}
	PGAPPNAME="cancel_$name" psql -X -q -d $db -c "$sql" >"$work/$name.out" 2>&1 &
	pid=$!
	sleep 3
	start=$(date +%s.%N)
	cancelled=$(psql -X -At -d $db -c \
		"SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cancel_$name' AND state = 'active'")
	wait $pid || true
	end=$(date +%s.%N)
	took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
	if [ "$cancelled" = 1 ] && grep -q 'canceling statement due to user request' "$work/$name.out" &&
	   awk -v t="$took" 'BEGIN { exit !(t < 1) }'; then
		echo "ok - $name stops ${took}s after pg_cancel_backend"
	else
		echo "not ok - $name: cancelled $cancelled session(s), stopped after ${took}s: $(cat "$work/$name.out")"
		status=1
	fi
done
exit $status
