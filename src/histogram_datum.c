/* histogram_datum.c: flat and expanded sybil.histogram datums. */
#include "postgres.h"

#include "utils/memutils.h"

#include "histogram_datum.h"

static Size
histogram_get_flat_size(ExpandedObjectHeader *eohptr)
{
	HistogramExpanded *h = (HistogramExpanded *) eohptr;

	return VARHDRSZ + sy_hist_flat_size(&h->hist);
}

static void
histogram_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	HistogramExpanded *h = (HistogramExpanded *) eohptr;

	Assert(allocated_size == VARHDRSZ + sy_hist_flat_size(&h->hist));
	SET_VARSIZE(result, allocated_size);
	sybil_check(sy_hist_flatten(&h->hist, VARDATA(result)), "sybil.histogram");
}

static const ExpandedObjectMethods histogram_methods = {
	histogram_get_flat_size,
	histogram_flatten_into
};

static HistogramExpanded *
expanded_in(MemoryContext cxt)
{
	HistogramExpanded *h = MemoryContextAlloc(cxt, sizeof(HistogramExpanded));

	EOH_init_header(&h->hdr, &histogram_methods, cxt);
	sybil_env_init(&h->env, cxt);
	sybil_check(sy_hist_init(&h->hist, &h->env, 0), "sybil.histogram");
	return h;
}

HistogramExpanded *
histogram_expanded_new(MemoryContext parent)
{
	return expanded_in(AllocSetContextCreate(parent, "sybil.histogram", ALLOCSET_SMALL_SIZES));
}

#define AGGREGATE_STATES_NAME "sybil.histogram aggregate states"

HistogramExpanded *
histogram_expanded_new_state(MemoryContext aggcxt)
{
	MemoryContext states;

	for (states = aggcxt->firstchild; states != NULL; states = states->nextchild)
		if (strcmp(states->name, AGGREGATE_STATES_NAME) == 0)
			break;
	if (states == NULL)
		states = AllocSetContextCreate(aggcxt, AGGREGATE_STATES_NAME, ALLOCSET_DEFAULT_SIZES);
	return expanded_in(states);
}

HistogramExpanded *
histogram_expanded_of(Datum d)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	eoh = DatumGetEOHP(d);
	return eoh->eoh_methods == &histogram_methods ? (HistogramExpanded *) eoh : NULL;
}

struct varlena *
histogram_flatten_builder(const sy_hist *h)
{
	Size		size = VARHDRSZ + sy_hist_flat_size(h);
	struct varlena *flat = palloc0(size);

	SET_VARSIZE(flat, size);
	sybil_check(sy_hist_flatten(h, VARDATA(flat)), "sybil.histogram");
	return flat;
}

/* View of a flat value, detoasted (or flattened, if another kind of expanded
 * object) in CurrentMemoryContext. */
static sy_hist_view
flat_view(Datum d)
{
	struct varlena *flat = PG_DETOAST_DATUM(d);
	sy_hist_view v;

	sybil_check(sy_hist_flat_view(VARDATA(flat), VARSIZE(flat) - VARHDRSZ, &v),
				"sybil.histogram");
	return v;
}

sy_hist_view
histogram_view(Datum d)
{
	HistogramExpanded *h = histogram_expanded_of(d);

	return h != NULL ? sy_hist_as_view(&h->hist) : flat_view(d);
}

sy_hist_view
histogram_sorted_view(Datum d)
{
	HistogramExpanded *h = histogram_expanded_of(d);
	sy_hist_view v;
	sy_hist_entry *sorted;
	sy_env		env;

	if (h == NULL)
		return flat_view(d);
	v = sy_hist_as_view(&h->hist);
	sorted = palloc_extended(((Size) v.n + 1) * sizeof(sy_hist_entry), MCXT_ALLOC_HUGE);
	sybil_env_init(&env, CurrentMemoryContext);
	sybil_check(sy_hist_sorted_entries(&env, v, sorted), "sybil.histogram");
	v.entries = sorted;
	return v;
}
