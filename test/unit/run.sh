#!/bin/sh
# test/unit/run.sh: build the C unit tests of src/core into test/unit/build/
# and run them with prove.  Extra arguments go to make (e.g. CC=clang).
set -e
exec make --no-print-directory -C "$(dirname "$0")" check "$@"
