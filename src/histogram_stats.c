/*
 * histogram_stats.c: SQL functions reading a histogram as a distribution:
 * entropy, divergences, shares, totals and the top labels.
 *
 * An empty histogram has no distribution, so the functions that need one
 * return NULL for it.
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "core/distribution.h"
#include "histogram_datum.h"

PG_FUNCTION_INFO_V1(histogram_entropy);
PG_FUNCTION_INFO_V1(histogram_normalized_entropy);
PG_FUNCTION_INFO_V1(histogram_js_divergence);
PG_FUNCTION_INFO_V1(histogram_kl_divergence);
PG_FUNCTION_INFO_V1(histogram_top_share);
PG_FUNCTION_INFO_V1(histogram_total);
PG_FUNCTION_INFO_V1(histogram_label_count);
PG_FUNCTION_INFO_V1(histogram_top_labels);

#define HISTOGRAM_ARG(n) histogram_sorted_view(PG_GETARG_DATUM(n))

static Datum
float8_or_null(FunctionCallInfo fcinfo, double x)
{
	if (isnan(x))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(x);
}

static uint32
k_arg(FunctionCallInfo fcinfo, int argno)
{
	int32		k = PG_GETARG_INT32(argno);

	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must not be negative"),
				 errdetail("k was %d.", k)));
	return (uint32) k;
}

/* Shannon entropy in bits */
Datum
histogram_entropy(PG_FUNCTION_ARGS)
{
	return float8_or_null(fcinfo, sy_entropy(HISTOGRAM_ARG(0)));
}

/* Entropy divided by its maximum, log2 of the label count */
Datum
histogram_normalized_entropy(PG_FUNCTION_ARGS)
{
	return float8_or_null(fcinfo, sy_normalized_entropy(HISTOGRAM_ARG(0)));
}

/* Jensen-Shannon divergence in bits */
Datum
histogram_js_divergence(PG_FUNCTION_ARGS)
{
	return float8_or_null(fcinfo, sy_js_divergence(HISTOGRAM_ARG(0), HISTOGRAM_ARG(1)));
}

/* Kullback-Leibler divergence D(p || q) in bits, q smoothed additively */
Datum
histogram_kl_divergence(PG_FUNCTION_ARGS)
{
	float8		alpha = PG_GETARG_FLOAT8(2);

	if (!isfinite(alpha) || alpha < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("smoothing must be finite and non-negative"),
				 errdetail("smoothing was %s.", float8out_internal(alpha))));
	return float8_or_null(fcinfo,
						  sy_kl_divergence(HISTOGRAM_ARG(0), HISTOGRAM_ARG(1), alpha));
}

/* Share of the total held by the k largest counts */
Datum
histogram_top_share(PG_FUNCTION_ARGS)
{
	uint32		k = k_arg(fcinfo, 1);
	sy_env		env;
	double		share;

	sybil_env_init(&env, CurrentMemoryContext);
	sybil_check(sy_top_share(&env, HISTOGRAM_ARG(0), k, &share), "sybil.top_share");
	return float8_or_null(fcinfo, share);
}

/* Sum of all counts */
Datum
histogram_total(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(sy_total(HISTOGRAM_ARG(0)));
}

/* Number of labels */
Datum
histogram_label_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) histogram_view(PG_GETARG_DATUM(0)).n);
}

/* The k largest counts as rows (label, count, share), largest first */
Datum
histogram_top_labels(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sy_hist_view v = HISTOGRAM_ARG(0);
	uint32		k = Min(k_arg(fcinfo, 1), v.n);
	uint32	   *order = palloc_extended(((Size) v.n + 1) * sizeof(uint32), MCXT_ALLOC_HUGE);
	double		total = sy_total(v);
	uint32		i;
	sy_env		env;

	InitMaterializedSRF(fcinfo, 0);
	sybil_env_init(&env, CurrentMemoryContext);
	sy_rank_by_count(&env, v, order);
	for (i = 0; i < k; i++)
	{
		const sy_hist_entry *e = &v.entries[order[i]];
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(v.labels + e->label_off,
															 e->label_len));
		values[1] = Float8GetDatum(e->count);
		values[2] = Float8GetDatum(e->count / total);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_NULL();
}
