#!/usr/bin/env bash
# pg_dump / pg_restore of a database whose tables use sybil.histogram,
# sybil.component_set and sybil.minhash: the restored values equal the
# originals, in plain and custom-format dumps, whatever
# sybil.graph_memory_limit is; and minhash values survive a binary COPY.
# Runs against the cluster that libpq's environment names.
set -euo pipefail

src=sybil_dump_src
dst=sybil_dump_dst
dump=$(mktemp -d)
trap 'rm -rf "$dump"; dropdb --if-exists $src 2>/dev/null; dropdb --if-exists $dst 2>/dev/null' EXIT

dropdb --if-exists $src 2>/dev/null
createdb $src
psql -X -q -v ON_ERROR_STOP=1 -d $src <<'SQL'
CREATE EXTENSION pg_sybil;
CREATE TABLE daily (account_id bigint, day date, h sybil.histogram);
INSERT INTO daily
SELECT i % 200, date '2026-01-01' + i % 5,
       sybil.histogram_agg('topic.' || (i * 7919 % 31) || CASE WHEN i % 11 = 0 THEN ' "é\' ELSE '' END, (i % 9) / 4.0)
  FROM generate_series(1, 20000) i GROUP BY 1, 2;
CREATE VIEW weekly AS SELECT account_id, sybil.histogram_union(h) AS h FROM daily GROUP BY 1;
CREATE TABLE rings (day int, c sybil.component_set);
INSERT INTO rings
SELECT i % 3, sybil.components_agg(i * 7919 % 100003, (i * 104729) % 100003 - 50000)
  FROM generate_series(1::bigint, 300000) i GROUP BY 1;
CREATE TABLE sigs (account_id bigint, m sybil.minhash, big sybil.minhash);
INSERT INTO sigs
SELECT i % 500, sybil.minhash_agg(i * 7919 % 1009), sybil.minhash_agg(i::text, 4096, -1)
  FROM generate_series(1, 20000) i GROUP BY 1;
SQL

status=0
for format in plain custom; do
	dropdb --if-exists $dst 2>/dev/null
	createdb $dst
	if [ $format = plain ]; then
		pg_dump -d $src -f "$dump/db.sql"
		PGOPTIONS="-c sybil.graph_memory_limit=1MB" \
			psql -X -q -v ON_ERROR_STOP=1 -d $dst -f "$dump/db.sql" >/dev/null
	else
		pg_dump -Fc -d $src -f "$dump/db.dump"
		pg_restore -d $dst "$dump/db.dump"
	fi
	# Compare through text, which is exact, and through the equality operator.
	a=$(psql -X -At -d $src -c "SELECT md5(string_agg(account_id || day::text || h::text, ',' ORDER BY account_id, day)) FROM daily")
	b=$(psql -X -At -d $dst -c "SELECT md5(string_agg(account_id || day::text || h::text, ',' ORDER BY account_id, day)) FROM daily")
	wa=$(psql -X -At -d $src -c "SELECT md5(string_agg(account_id || h::text, ',' ORDER BY account_id)) FROM weekly")
	wb=$(psql -X -At -d $dst -c "SELECT md5(string_agg(account_id || h::text, ',' ORDER BY account_id)) FROM weekly")
	ca=$(psql -X -At -d $src -c "SELECT md5(string_agg(day || c::text, ',' ORDER BY day)) FROM rings")
	cb=$(psql -X -At -d $dst -c "SELECT md5(string_agg(day || c::text, ',' ORDER BY day)) FROM rings")
	ma=$(psql -X -At -d $src -c "SELECT md5(string_agg(account_id || m::text || big::text, ',' ORDER BY account_id)) FROM sigs")
	mb=$(psql -X -At -d $dst -c "SELECT md5(string_agg(account_id || m::text || big::text, ',' ORDER BY account_id)) FROM sigs")
	if [ "$a" = "$b" ] && [ "$wa" = "$wb" ] && [ -n "$a" ] && [ "$ca" = "$cb" ] && [ -n "$ca" ] &&
	   [ "$ma" = "$mb" ] && [ -n "$ma" ]; then
		echo "ok - pg_dump ($format) and restore keep every histogram, component set and minhash"
	else
		echo "not ok - pg_dump ($format) and restore changed values ($a/$b, $wa/$wb, $ca/$cb, $ma/$mb)"
		status=1
	fi
done

# Binary COPY: minhash_send out, minhash_recv in.
psql -X -q -v ON_ERROR_STOP=1 -d $src <<SQL
\\copy sigs TO '$dump/sigs.bin' (FORMAT binary)
CREATE TABLE sigs_back (LIKE sigs);
\\copy sigs_back FROM '$dump/sigs.bin' (FORMAT binary)
SQL
if [ "$(psql -X -At -d $src -c "SELECT count(*) FROM sigs s JOIN sigs_back b USING (account_id)
                                 WHERE s.m::text = b.m::text AND s.big::text = b.big::text")" = 500 ]; then
	echo "ok - binary COPY keeps every minhash"
else
	echo "not ok - binary COPY changed minhash values"
	status=1
fi
exit $status
