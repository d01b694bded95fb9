#!/bin/sh
# test/fuzz/run.sh: build the libFuzzer targets of src/core and run each for a
# while on a scratch copy of its checked-in seed corpus.
#
#   test/fuzz/run.sh [SECONDS]     SECONDS per target, default 10
#   test/fuzz/run.sh --build       only build into test/fuzz/build/
#   test/fuzz/run.sh --regen-corpus
#                                  rewrite the generated wire/flat seeds
#
# Environment: CLANG (default clang), TARGETS (default: every target),
# FUZZ_FLAGS (extra libFuzzer flags, e.g. "-use_value_profile=1"),
# KEEP_CORPUS=1 to copy the inputs found back into test/fuzz/build/found/.
#
# Exits non-zero on any crash, leak, timeout, sanitizer report or failed
# check (see the log printed on failure); the checked-in corpus is never
# written to.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CORE=$ROOT/src/core
BUILD=$HERE/build
CLANG=${CLANG:-clang}
TARGETS=${TARGETS:-"fuzz_histogram_json fuzz_histogram_wire fuzz_histogram_flat fuzz_components_wire fuzz_components_text fuzz_text_shingles fuzz_minhash_wire fuzz_minhash_text"}
FUZZ_FLAGS=${FUZZ_FLAGS:-}
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror -I$CORE"

mkdir -p "$BUILD"

build() {
	for t in $TARGETS; do
		echo "build $t"
		# shellcheck disable=SC2086
		$CLANG $CFLAGS -o "$BUILD/$t" "$HERE/$t.c" "$CORE"/*.c -lm -pthread
	done
}

if [ "${1:-}" = "--regen-corpus" ]; then
	cc -std=c99 -Wall -Wextra -Werror -I"$CORE" -o "$BUILD/gen_corpus" "$HERE/gen_corpus.c" "$CORE"/*.c -lm -pthread
	"$BUILD/gen_corpus" "$HERE/corpus"
	echo "regenerated $HERE/corpus/fuzz_histogram_{wire,flat}"
	exit 0
fi

build
[ "${1:-}" = "--build" ] && exit 0

SECS=${1:-10}
case $SECS in
	''|*[!0-9]*) echo "usage: $0 [seconds-per-target | --build | --regen-corpus]" >&2; exit 2 ;;
esac

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
for t in $TARGETS; do
	work=$BUILD/run/$t
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	cp "$HERE/corpus/$t/"* "$work/corpus/"
	dict=
	[ -f "$HERE/$t.dict" ] && dict="-dict=$HERE/$t.dict"
	log=$work/log
	set +e
	# shellcheck disable=SC2086
	"$BUILD/$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
		$dict $FUZZ_FLAGS "$work/corpus" >"$log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	ncorp=$(ls "$work/corpus" | wc -l)
	if [ $rc -ne 0 ] || [ -n "$(ls -A "$work/artifacts")" ]; then
		echo "FAIL $t (exit $rc) after ${execs:-?} runs; artifacts in $work/artifacts:"
		ls -l "$work/artifacts"
		tail -60 "$log"
		failed=1
	else
		echo "ok   $t: ${execs:-?} runs in ${SECS}s, ${rate:-?} exec/s, ${cov:-cov: ?}, corpus $ncorp files"
	fi
	if [ "${KEEP_CORPUS:-0}" = 1 ]; then
		mkdir -p "$BUILD/found/$t"
		cp "$work/corpus/"* "$BUILD/found/$t/"
	fi
done

if [ $failed -ne 0 ]; then
	echo "fuzz: FAILED"
	exit 1
fi
echo "fuzz: all targets ran clean"
