/* pg_sybil.c: the module's identity for the server. */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
