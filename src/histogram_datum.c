/* histogram_datum.c: flat and expanded sybil.histogram datums. */
#include "postgres.h"

#include "utils/memutils.h"

#include "agg_state_context.h"
#include "histogram_datum.h"

static const char state_kind[] = "sybil.histogram aggregate states";

/* The entries of an expanded histogram, in table order, in CurrentMemoryContext. */
static sy_hist_view
expanded_view(const HistogramExpanded *h)
{
	sy_hist_view v;
	sy_hist_entry *entries = palloc_extended(((Size) h->tally.n + 1) * sizeof(sy_hist_entry),
											 MCXT_ALLOC_HUGE);

	sy_tally_entries(&h->tally, &h->arena->dict, entries);
	v.entries = entries;
	v.n = h->tally.n;
	v.labels = h->arena->dict.labels;
	return v;
}

static Size
histogram_get_flat_size(ExpandedObjectHeader *eohptr)
{
	HistogramExpanded *h = (HistogramExpanded *) eohptr;

	return VARHDRSZ + sy_tally_flat_size(&h->tally);
}

static void
histogram_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	HistogramExpanded *h = (HistogramExpanded *) eohptr;
	sy_hist_view v = expanded_view(h);
	sy_env		env;

	Assert(allocated_size == VARHDRSZ + sy_tally_flat_size(&h->tally));
	SET_VARSIZE(result, allocated_size);
	sybil_env_init(&env, CurrentMemoryContext);
	sybil_check(sy_view_flatten(&env, v, VARDATA(result)), "sybil.histogram");
	pfree((void *) v.entries);
}

static const ExpandedObjectMethods histogram_methods = {
	histogram_get_flat_size,
	histogram_flatten_into
};

static void
arena_init(HistogramArena *arena, MemoryContext cxt)
{
	arena->cxt = cxt;
	sybil_env_init(&arena->env, cxt);
	sybil_check(sy_hist_init(&arena->dict, &arena->env, 0), "sybil.histogram");
	arena->dict.max_payload = UINT32_MAX;
}

static HistogramExpanded *
expanded_in(HistogramArena *arena)
{
	HistogramExpanded *h = MemoryContextAlloc(arena->cxt, sizeof(HistogramExpanded));

	EOH_init_header(&h->hdr, &histogram_methods, arena->cxt);
	h->arena = arena;
	sybil_check(sy_tally_init(&h->tally, &arena->env), "sybil.histogram");
	return h;
}

HistogramExpanded *
histogram_expanded_new(MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "sybil.histogram", ALLOCSET_SMALL_SIZES);
	HistogramArena *arena = MemoryContextAllocZero(cxt, sizeof(HistogramArena));

	arena_init(arena, cxt);
	return expanded_in(arena);
}

HistogramExpanded *
histogram_expanded_new_state(MemoryContext aggcxt)
{
	MemoryContext cxt;
	bool		created;
	HistogramArena *arena = sybil_agg_state_context(aggcxt, state_kind, sizeof(HistogramArena),
													&cxt, &created);

	if (created)
		arena_init(arena, cxt);
	return expanded_in(arena);
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

	return h != NULL ? expanded_view(h) : flat_view(d);
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
	v = expanded_view(h);
	sorted = palloc_extended(((Size) v.n + 1) * sizeof(sy_hist_entry), MCXT_ALLOC_HUGE);
	sybil_env_init(&env, CurrentMemoryContext);
	sybil_check(sy_hist_sorted_entries(&env, v, sorted), "sybil.histogram");
	pfree((void *) v.entries);
	v.entries = sorted;
	return v;
}
