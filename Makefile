# pg_sybil: PGXS build, plus `make test`, `make demo` and `make bench`.
#
# The install script pg_sybil--<version>.sql is generated from the SQL kept
# beside each concept's C glue (SQL_PARTS, in dependency order), and so is the
# upgrade script from the last release while this version is in the works
# (UPGRADE_PARTS: the parts added since).  Scripts of released versions and
# released upgrade scripts are kept, frozen, in upgrade/.

EXTENSION   = pg_sybil
EXTVERSION  = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)
MODULE_big  = pg_sybil
OBJS        = $(patsubst %.c,%.o,$(filter-out src/core/env.c,$(sort $(wildcard src/*.c src/core/*.c))))
SQL_PARTS   = src/histogram_type.sql src/histogram_agg.sql src/histogram_stats.sql \
              src/components_type.sql src/components_agg.sql src/components_query.sql \
              src/linkage.sql src/minhash_type.sql src/minhash_agg.sql src/minhash_lsh.sql \
              src/simhash.sql src/activity_profile.sql src/cadence.sql \
              src/communities.sql src/cluster_stats.sql src/dense_blocks.sql \
              src/prompt_opening.sql src/rollup.sql src/detection_runs.sql src/detect.sql src/investigate.sql src/dashboard.sql
RELEASED    = 0.1.0
UPGRADE_PARTS = $(filter-out src/histogram_%,$(SQL_PARTS))
DATA_built  = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--$(RELEASED)--$(EXTVERSION).sql
DATA        = $(wildcard upgrade/*.sql)
REGRESS     = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS   = $(if $(WERROR),-Werror)
SHLIB_LINK  = -pthread
EXTRA_CLEAN = results regression.diffs regression.out test/unit/build test/fuzz/build \
              test/pgtap/generated

PG_CONFIG  ?= /usr/lib/postgresql/15/bin/pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL 15 server headers are missing (postgresql-server-dev-15)."
	@echo "'make test' and 'make demo' install them; or: apt-get install postgresql-server-dev-15"
	@exit 1
endif

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control
	( echo '-- Generated from $(SQL_PARTS) by the Makefile: edit those.'; \
	  printf '%s\n' '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit'; \
	  for part in $(SQL_PARTS); do echo; cat $$part; done ) > $@

$(EXTENSION)--$(RELEASED)--$(EXTVERSION).sql: $(UPGRADE_PARTS) $(EXTENSION).control
	( echo '-- Generated from $(UPGRADE_PARTS) by the Makefile: edit those.'; \
	  printf '%s\n' '\echo Use "ALTER EXTENSION $(EXTENSION) UPDATE" to load this file. \quit'; \
	  for part in $(UPGRADE_PARTS); do echo; cat $$part; done ) > $@

.PHONY: deps-test deps-demo deps-bench test unit fuzz-smoke demo bench bench-components bench-minhash \
        bench-communities bench-detect

deps-test deps-demo deps-bench:
	tools/ensure-deps.sh $(patsubst deps-%,%,$@)

# Everything, from a clean tree: warnings are errors, unit tests and a short
# fuzzing run of the core, then pg_regress, pgTAP and the job tests (pg_cron
# among them) in a throwaway cluster.
test: deps-test
	$(MAKE) clean
	$(MAKE) WERROR=1
	$(MAKE) unit
	$(MAKE) fuzz-smoke
	$(MAKE) install
	pg_virtualenv -t -v 15 -o shared_preload_libraries=pg_cron -o cron.use_background_workers=on \
		test/run-in-cluster.sh

unit:
	test/unit/run.sh

fuzz-smoke:
	test/fuzz/run.sh 5

demo: deps-demo
	$(MAKE)
	$(MAKE) install
	pg_virtualenv -t -v 15 demo/run.sh

bench: deps-bench
	$(MAKE)
	$(MAKE) install
	pg_virtualenv -t -v 15 -o 'max_parallel_workers_per_gather=2' bench/run.sh

bench-components: deps-bench
	$(MAKE)
	$(MAKE) install
	pg_virtualenv -t -v 15 -o 'max_parallel_workers_per_gather=2' bench/components_run.sh

bench-minhash: deps-bench
	$(MAKE)
	$(MAKE) install
	pg_virtualenv -t -v 15 -o 'max_parallel_workers_per_gather=2' bench/minhash_run.sh

bench-communities: deps-bench
	$(MAKE)
	$(MAKE) install
	pg_virtualenv -t -v 15 -o 'max_parallel_workers_per_gather=2' bench/communities_run.sh

bench-detect: deps-bench deps-demo
	$(MAKE)
	$(MAKE) install
	pg_virtualenv -t -v 15 -o 'shared_buffers=2GB' -o 'max_parallel_workers_per_gather=2' bench/detect_run.sh
