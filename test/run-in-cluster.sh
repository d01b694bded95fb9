#!/usr/bin/env bash
# Run pg_regress, pgTAP, the dump/restore check, the cancellation check and
# the detection job checks against the cluster that libpq's environment names
# (make test runs this under pg_virtualenv, with pg_cron preloaded).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
if ! make installcheck; then
	[ -f regression.diffs ] && head -c 20000 regression.diffs
	status=1
fi
test/dump-restore.sh || status=1
test/cancel.sh || status=1
test/detect-jobs.sh || status=1
test/pgtap/run.sh || status=1
exit $status
