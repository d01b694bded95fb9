/*
 * test_components.c: unit tests of src/core/components.c (union-find over
 * int64 node ids, its canonical rows, wire and text forms, merging).
 *
 * Every partition is checked against a naive reference computed here: the
 * ids are sorted and deduplicated with qsort, edges become an adjacency
 * list, and a breadth-first search from each unvisited node in ascending
 * id order labels its component with that (smallest) id.  Graphs come in
 * many shapes (sparse, forests, one giant component, singletons, stars,
 * chains, cliques, repeated edges and self-loops) over ids of many kinds
 * (serial, negative, spread over 64 bits, INT64_MIN/MAX, low bits zero).
 * Emits TAP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "components.h"
#include "helpers.h"

static void
bail(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(255);
}

static void *
xmalloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		bail("out of memory");
	return p;
}

/* ------------------------------------------------------------ edge lists */

/* An operation: the edge a-b, or (node) the node a alone. */
typedef struct op
{
	int64_t		a;
	int64_t		b;
	int			node;
} op;

typedef struct graph
{
	op		   *ops;
	size_t		n;
	size_t		cap;
} graph;

static void
graph_push(graph *g, int64_t a, int64_t b, int node)
{
	if (g->n == g->cap)
	{
		g->cap = g->cap ? g->cap * 2 : 64;
		g->ops = realloc(g->ops, g->cap * sizeof(op));
		if (g->ops == NULL)
			bail("out of memory");
	}
	g->ops[g->n].a = a;
	g->ops[g->n].b = b;
	g->ops[g->n].node = node;
	g->n++;
}

static void
graph_free(graph *g)
{
	free(g->ops);
	memset(g, 0, sizeof(*g));
}

static void
graph_shuffle(graph *g)
{
	size_t		i;

	for (i = g->n; i > 1; i--)
	{
		size_t		j = rng_below((uint32_t) i);
		op			t = g->ops[i - 1];

		g->ops[i - 1] = g->ops[j];
		g->ops[j] = t;
	}
}

/* Apply ops[from..to) to c; bails out on any failure. */
static void
apply_ops(sy_components *c, const graph *g, size_t from, size_t to)
{
	size_t		i;

	for (i = from; i < to; i++)
	{
		const op   *o = &g->ops[i];
		sy_status	st = o->node ? sy_components_add_node(c, o->a)
			: sy_components_add_edge(c, o->a, o->b);

		if (st != SY_OK)
		{
			printf("Bail out! add: %s\n", status_name(st));
			exit(255);
		}
	}
}

/* Apply g's ops with sy_components_add_edges in chunks of random sizes
 * (a node is a self-loop there); returns the first failure. */
static sy_status
apply_ops_batched(sy_components *c, const graph *g)
{
	int64_t    *a = xmalloc((g->n + 1) * sizeof(int64_t));
	int64_t    *b = xmalloc((g->n + 1) * sizeof(int64_t));
	size_t		i;
	sy_status	st = SY_OK;

	for (i = 0; i < g->n; i++)
	{
		a[i] = g->ops[i].a;
		b[i] = g->ops[i].node ? g->ops[i].a : g->ops[i].b;
	}
	for (i = 0; i < g->n && st == SY_OK;)
	{
		size_t		k = rng_below(4) == 0 ? 1 + rng_below(5) : 1 + rng_below(200);

		if (k > g->n - i)
			k = g->n - i;
		st = sy_components_add_edges(c, a + i, b + i, k);
		i += k;
	}
	free(a);
	free(b);
	return st;
}

/* -------------------------------------------------------------- ids */

enum
{
	IDS_SERIAL,					/* 1, 2, 3, ... */
	IDS_CENTERED,				/* around 0, half negative */
	IDS_SPREAD,					/* a bijection of v over all 64 bits */
	IDS_EXTREME,				/* INT64_MIN/MAX and neighbours, then spread */
	IDS_LOWZERO,				/* v << 32: every low bit zero */
	IDS_SHARDED,				/* (v % 16) << 48 | v */
	N_ID_KINDS
};

static const char *const id_kind_name[] = {
	"serial", "centered", "spread", "extreme", "low-zero", "sharded"
};

static uint64_t id_salt;

/* An invertible mixer unlike the map's, so that the test's spread ids are
 * not special to it. */
static uint64_t
spread_bits(uint64_t v)
{
	v += id_salt;
	v *= 0x9E3779B97F4A7C15ULL;
	v ^= v >> 29;
	v *= 0xBF58476D1CE4E5B9ULL;
	v ^= v >> 32;
	return v;
}

static int64_t
to_i64(uint64_t u)
{
	int64_t		x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

static int64_t
vertex_id(int kind, uint32_t v, uint32_t nv)
{
	static const int64_t extremes[] = {
		INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1, 0, -1, 1, INT64_MIN + 2
	};

	switch (kind)
	{
		case IDS_SERIAL:
			return (int64_t) v + 1;
		case IDS_CENTERED:
			return (int64_t) v - (int64_t) (nv / 2);
		case IDS_SPREAD:
			return to_i64(spread_bits(v));
		case IDS_EXTREME:
			if (v < 8)
				return extremes[v];
			return to_i64(spread_bits(v));
		case IDS_LOWZERO:
			return (int64_t) v << 32;
		default:
			return (int64_t) (((uint64_t) (v % 16) << 48) | v);
	}
}

/* ------------------------------------------------------------- shapes */

enum
{
	SHAPE_SPARSE,				/* nv/2 random edges: many small components */
	SHAPE_FOREST,				/* random trees, some isolated nodes */
	SHAPE_GIANT,				/* 2 nv random edges: one giant component */
	SHAPE_SINGLETONS,			/* every node alone, a few pairs */
	SHAPE_STAR,					/* one center, nv - 1 leaves */
	SHAPE_CHAIN,				/* a path over a random permutation */
	SHAPE_CHAINS_SORTED,		/* paths v - v+1 in order, ids descending */
	SHAPE_CLIQUES,				/* cliques of 1 to 6 nodes */
	SHAPE_NOISY,				/* sparse, with each edge repeated, reversed, and self-loops */
	N_SHAPES
};

static const char *const shape_name[] = {
	"sparse", "forest", "giant", "singletons", "star", "chain", "sorted-chains",
	"cliques", "noisy"
};

static void
make_graph(graph *g, int shape, int kind, uint32_t nv)
{
	uint32_t	v,
				i;

#define ID(x) vertex_id(kind, (x), nv)
	memset(g, 0, sizeof(*g));
	switch (shape)
	{
		case SHAPE_SPARSE:
			for (i = 0; i < nv / 2 + 1; i++)
				graph_push(g, ID(rng_below(nv)), ID(rng_below(nv)), 0);
			break;
		case SHAPE_FOREST:
			for (v = 0; v < nv; v++)
			{
				if (v > 0 && rng_below(10) < 8)
					graph_push(g, ID(v), ID(rng_below(v)), 0);
				else
					graph_push(g, ID(v), 0, 1);
			}
			break;
		case SHAPE_GIANT:
			for (i = 0; i < 2 * nv; i++)
				graph_push(g, ID(rng_below(nv)), ID(rng_below(nv)), 0);
			break;
		case SHAPE_SINGLETONS:
			for (v = 0; v < nv; v++)
				graph_push(g, ID(v), 0, 1);
			for (i = 0; i < nv / 50; i++)
				graph_push(g, ID(rng_below(nv)), ID(rng_below(nv)), 0);
			break;
		case SHAPE_STAR:
			graph_push(g, ID(0), 0, 1);
			for (v = 1; v < nv; v++)
				graph_push(g, ID(0), ID(v), 0);
			break;
		case SHAPE_CHAIN:
			{
				uint32_t   *perm = xmalloc((size_t) nv * sizeof(uint32_t));

				for (v = 0; v < nv; v++)
					perm[v] = v;
				for (v = nv; v > 1; v--)
				{
					uint32_t	j = rng_below(v),
								t = perm[v - 1];

					perm[v - 1] = perm[j];
					perm[j] = t;
				}
				graph_push(g, ID(perm[0]), 0, 1);
				for (v = 1; v < nv; v++)
					graph_push(g, ID(perm[v - 1]), ID(perm[v]), 0);
				free(perm);
			}
			break;
		case SHAPE_CHAINS_SORTED:
			graph_push(g, ID(0), 0, 1);
			for (v = 1; v < nv; v++)
				if (v % 1000 != 0)
					graph_push(g, ID(nv - v), ID(nv - v - 1), 0);
				else
					graph_push(g, ID(nv - v - 1), 0, 1);
			break;
		case SHAPE_CLIQUES:
			for (v = 0; v < nv;)
			{
				uint32_t	k = 1 + rng_below(6),
							x,
							y;

				if (k > nv - v)
					k = nv - v;
				graph_push(g, ID(v), 0, 1);
				for (x = v; x < v + k; x++)
					for (y = x + 1; y < v + k; y++)
						graph_push(g, ID(x), ID(y), 0);
				v += k;
			}
			break;
		default:
			for (i = 0; i < nv / 2 + 1; i++)
			{
				int64_t		a = ID(rng_below(nv)),
							b = ID(rng_below(nv));

				graph_push(g, a, b, 0);
				if (rng_below(2))
					graph_push(g, b, a, 0);
				if (rng_below(3) == 0)
					graph_push(g, a, b, 0);
				if (rng_below(4) == 0)
					graph_push(g, a, a, 0);
				if (rng_below(8) == 0)
					graph_push(g, b, 0, 1);
			}
			break;
	}
#undef ID
	if (shape != SHAPE_CHAINS_SORTED)
		graph_shuffle(g);
}

/* ------------------------------------------------------------ reference */

static int
cmp_i64(const void *pa, const void *pb)
{
	int64_t		a = *(const int64_t *) pa,
				b = *(const int64_t *) pb;

	return (a > b) - (a < b);
}

static int
cmp_size(const void *pa, const void *pb)
{
	size_t		a = *(const size_t *) pa,
				b = *(const size_t *) pb;

	return (a > b) - (a < b);
}

static int
cmp_row(const void *pa, const void *pb)
{
	const sy_component_row *a = pa,
			   *b = pb;

	if (a->component != b->component)
		return (a->component > b->component) - (a->component < b->component);
	return (a->node > b->node) - (a->node < b->node);
}

static uint32_t
ref_index(const int64_t *u, uint32_t nu, int64_t id)
{
	const int64_t *p = bsearch(&id, u, nu, sizeof(int64_t), cmp_i64);

	if (p == NULL)
		bail("reference: id not found");
	return (uint32_t) (p - u);
}

/*
 * Rows of g's components in canonical order, by breadth-first search over
 * an adjacency list; returns the row count and sets *ncomp.
 */
static uint32_t
ref_rows(const graph *g, sy_component_row **out, uint32_t *ncomp)
{
	int64_t    *u = xmalloc((2 * g->n + 1) * sizeof(int64_t));
	uint32_t	nu = 0,
				k = 0,
				i;
	uint32_t   *start,
			   *adj,
			   *fill,
			   *queue,
			   *label;
	sy_component_row *rows;

	for (i = 0; i < g->n; i++)
	{
		u[k++] = g->ops[i].a;
		if (!g->ops[i].node)
			u[k++] = g->ops[i].b;
	}
	qsort(u, k, sizeof(int64_t), cmp_i64);
	for (i = 0; i < k; i++)
		if (nu == 0 || u[nu - 1] != u[i])
			u[nu++] = u[i];

	start = calloc((size_t) nu + 1, sizeof(uint32_t));
	fill = calloc((size_t) nu + 1, sizeof(uint32_t));
	adj = xmalloc((2 * g->n + 1) * sizeof(uint32_t));
	queue = xmalloc(((size_t) nu + 1) * sizeof(uint32_t));
	label = xmalloc(((size_t) nu + 1) * sizeof(uint32_t));
	rows = xmalloc(((size_t) nu + 1) * sizeof(sy_component_row));
	if (start == NULL || fill == NULL)
		bail("out of memory");
	for (i = 0; i < g->n; i++)
		if (!g->ops[i].node)
		{
			start[ref_index(u, nu, g->ops[i].a) + 1]++;
			start[ref_index(u, nu, g->ops[i].b) + 1]++;
		}
	for (i = 0; i < nu; i++)
		start[i + 1] += start[i];
	for (i = 0; i < g->n; i++)
		if (!g->ops[i].node)
		{
			uint32_t	a = ref_index(u, nu, g->ops[i].a),
						b = ref_index(u, nu, g->ops[i].b);

			adj[start[a] + fill[a]++] = b;
			adj[start[b] + fill[b]++] = a;
		}
	for (i = 0; i < nu; i++)
		label[i] = UINT32_MAX;
	*ncomp = 0;
	for (i = 0; i < nu; i++)
	{
		uint32_t	head = 0,
					tail = 0,
					q;

		if (label[i] != UINT32_MAX)
			continue;
		(*ncomp)++;
		label[i] = i;			/* ascending scan: i is the smallest */
		queue[tail++] = i;
		while (head < tail)
		{
			uint32_t	x = queue[head++],
						e;

			for (e = start[x]; e < start[x + 1]; e++)
				if (label[adj[e]] == UINT32_MAX)
				{
					label[adj[e]] = i;
					queue[tail++] = adj[e];
				}
		}
		for (q = 0; q < tail; q++)
		{
			rows[queue[q]].node = u[queue[q]];
			rows[queue[q]].component = u[i];
			rows[queue[q]].size = tail;
		}
	}
	qsort(rows, nu, sizeof(sy_component_row), cmp_row);
	free(u);
	free(start);
	free(fill);
	free(adj);
	free(queue);
	free(label);
	*out = rows;
	return nu;
}

/* ------------------------------------------------------------- checking */

/*
 * Internal consistency: links in range and acyclic, root sizes add up,
 * the component count, and the map finding every node at its index.  And
 * union by size: no node is more than log2(n) links from its root.
 */
static int
forest_valid(const sy_components *c)
{
	uint64_t	total = 0;
	uint32_t	roots = 0,
				i;

	if (c->n > c->cap || c->n > c->max_nodes)
		return 0;
	for (i = 0; i < c->n; i++)
	{
		uint32_t	x = i,
					steps = 0,
					index;

		while (c->link[x] >= 0)
		{
			if ((uint32_t) c->link[x] >= c->n || ++steps > c->n)
				return 0;
			x = (uint32_t) c->link[x];
		}
		if (steps >= 32 || ((uint64_t) 1 << steps) > c->n)
			return 0;
		if (x == i)
		{
			roots++;
			total += (uint64_t) -c->link[i];
		}
		if (!sy_components_find(c, c->ids[i], &index) || index != i)
			return 0;
	}
	return roots == c->n_components && total == c->n;
}

/* Finish c and copy its rows; bails out on failure. */
static sy_component_row *
forest_rows(sy_components *c)
{
	sy_component_row *rows = xmalloc(((size_t) c->n + 1) * sizeof(sy_component_row));
	uint32_t	k;
	sy_status	st = sy_components_finish(c);

	if (st != SY_OK)
	{
		printf("Bail out! finish: %s\n", status_name(st));
		exit(255);
	}
	for (k = 0; k < c->n; k++)
		sy_components_row(c, k, &rows[k]);
	return rows;
}

static int
rows_equal(const sy_component_row *a, const sy_component_row *b, uint32_t n)
{
	uint32_t	k;

	for (k = 0; k < n; k++)
		if (a[k].node != b[k].node || a[k].component != b[k].component ||
			a[k].size != b[k].size)
		{
			printf("#   row %u: got (%lld, %lld, %u), expected (%lld, %lld, %u)\n", k,
				   (long long) a[k].node, (long long) a[k].component, a[k].size,
				   (long long) b[k].node, (long long) b[k].component, b[k].size);
			return 0;
		}
	return 1;
}

typedef struct bytes
{
	unsigned char *p;
	size_t		len;
} bytes;

/* The wire form of c (finishing it); bails out on failure. */
static bytes
wire_of(sy_components *c)
{
	bytes		w;

	if (sy_components_finish(c) != SY_OK)
		bail("finish failed");
	w.len = sy_components_wire_size(c);
	w.p = xmalloc(w.len + 1);
	sy_components_to_wire(c, w.p);
	return w;
}

/* The text form of c (finishing it); bails out on failure. */
static char *
text_of(sy_components *c, size_t *len)
{
	char	   *t;

	if (sy_components_finish(c) != SY_OK)
		bail("finish failed");
	t = xmalloc(sy_components_text_max_len(c) + 1);
	*len = sy_components_format(c, t);
	if (*len > sy_components_text_max_len(c) || strlen(t) != *len)
		bail("text longer than its bound");
	return t;
}

static int
bytes_equal(bytes a, bytes b)
{
	return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

/* ------------------------------------------------ partitions of shapes */

/*
 * Build g's forest, compare it with the reference, then with its wire and
 * text round trips and with merges of random splits of the edge list.
 */
/* sy_components_component_of gives every reference row's component, and
 * nothing for ids next to the nodes that are not nodes. */
static int
component_of_agrees(const sy_components *c, const sy_component_row *want, uint32_t n)
{
	uint32_t	i,
				index;
	int64_t		component;

	for (i = 0; i < n; i++)
	{
		int64_t		next = want[i].node == INT64_MAX ? INT64_MIN : want[i].node + 1;

		if (!sy_components_component_of(c, want[i].node, &component) ||
			component != want[i].component)
			return 0;
		if (sy_components_component_of(c, next, &component) !=
			sy_components_find(c, next, &index))
			return 0;
	}
	return 1;
}

static void
check_graph(const char *what, const graph *g, int splits)
{
	sy_components c,
				r,
				t;
	sy_component_row *want,
			   *got;
	uint32_t	nwant,
				ncomp;
	bytes		w,
				w2;
	size_t		used = 0,
				tlen;
	char	   *text;
	sy_parse_error err;
	int			s,
				merges_ok = 1;

	nwant = ref_rows(g, &want, &ncomp);
	sy_components_init(&c, &sy_env_malloc);
	apply_ops(&c, g, 0, g->n);
	ok(forest_valid(&c), "%s: forest consistent", what);
	is_int(c.n, nwant, "%s: %u nodes", what, nwant);
	is_int(c.n_components, ncomp, "%s: %u components", what, ncomp);
	got = forest_rows(&c);
	ok(c.n == nwant && rows_equal(got, want, nwant), "%s: rows equal the reference", what);
	ok(forest_valid(&c), "%s: still consistent once finished", what);
	free(got);
	ok(component_of_agrees(&c, want, nwant), "%s: component_of of every node", what);

	/* the batched form gives the same forest */
	sy_components_init(&t, &sy_env_malloc);
	is_status(apply_ops_batched(&t, g), SY_OK, "%s: add_edges", what);
	got = forest_rows(&t);
	ok(forest_valid(&t) && t.n == nwant && rows_equal(got, want, nwant),
	   "%s: add_edges gives the same rows", what);
	free(got);
	sy_components_free(&t);

	/* wire: exact bytes back, same rows */
	w = wire_of(&c);
	sy_components_init(&r, &sy_env_malloc);
	is_status(sy_components_from_wire(&r, w.p, w.len, &used), SY_OK, "%s: from_wire", what);
	ok(used == w.len && forest_valid(&r), "%s: wire consumed whole, forest consistent", what);
	got = forest_rows(&r);
	w2 = wire_of(&r);
	ok(r.n == nwant && rows_equal(got, want, nwant) && bytes_equal(w, w2),
	   "%s: wire round trip (%zu bytes, %.2f a node)", what, w.len,
	   nwant ? (double) w.len / nwant : 0.0);
	free(got);
	free(w2.p);

	/* text: parse(format) has the same wire bytes */
	text = text_of(&c, &tlen);
	sy_components_init(&t, &sy_env_malloc);
	is_status(sy_components_parse(&t, text, tlen, &err), SY_OK, "%s: parse(format)", what);
	w2 = wire_of(&t);
	ok(bytes_equal(w, w2) && forest_valid(&t), "%s: text round trip (%zu chars)", what, tlen);
	free(w2.p);
	free(text);
	sy_components_free(&t);

	/* merges of random splits, as parallel workers and their combine see it */
	for (s = 0; s < splits; s++)
	{
		int			k = 2 + (int) rng_below(4),
					i;
		sy_components parts[5],
					acc;
		graph		shuffled;
		size_t		cut[6];

		shuffled.n = shuffled.cap = g->n;
		shuffled.ops = xmalloc((g->n + 1) * sizeof(op));
		if (g->n)
			memcpy(shuffled.ops, g->ops, g->n * sizeof(op));
		graph_shuffle(&shuffled);
		cut[0] = 0;
		cut[k] = g->n;
		for (i = 1; i < k; i++)
			cut[i] = g->n ? rng_below((uint32_t) g->n + 1) : 0;
		qsort(cut + 1, k - 1, sizeof(size_t), cmp_size);
		for (i = 0; i < k; i++)
		{
			sy_components_init(&parts[i], &sy_env_malloc);
			apply_ops(&parts[i], &shuffled, cut[i], cut[i + 1]);
		}
		sy_components_init(&acc, &sy_env_malloc);
		if (s % 2 == 1)
		{
			/* through the wire, as a deserialized partial state */
			for (i = 0; i < k; i++)
			{
				bytes		pw = wire_of(&parts[i]);
				sy_components d;

				sy_components_init(&d, &sy_env_malloc);
				merges_ok &= sy_components_from_wire(&d, pw.p, pw.len, &used) == SY_OK;
				merges_ok &= sy_components_merge(&acc, &d) == SY_OK;
				sy_components_free(&d);
				free(pw.p);
			}
		}
		else
		{
			/* directly, some parts finished (flat) and some not */
			for (i = 0; i < k; i++)
			{
				if (rng_below(2))
					merges_ok &= sy_components_finish(&parts[i]) == SY_OK;
				merges_ok &= sy_components_merge(&acc, &parts[k - 1 - i]) == SY_OK;
			}
		}
		merges_ok &= forest_valid(&acc);
		w2 = wire_of(&acc);
		if (!bytes_equal(w, w2))
		{
			merges_ok = 0;
			diag("%s: split %d into %d parts differs", what, s, k);
		}
		free(w2.p);
		sy_components_free(&acc);
		for (i = 0; i < k; i++)
			sy_components_free(&parts[i]);
		free(shuffled.ops);
	}
	if (splits > 0)
		ok(merges_ok, "%s: merges of %d random splits equal the whole", what, splits);

	free(w.p);
	free(want);
	sy_components_free(&r);
	sy_components_free(&c);
}

static void
test_shapes(void)
{
	static const uint32_t sizes[] = {1, 2, 3, 17, 300, 5000};
	int			shape,
				kind;
	size_t		si;
	char		what[128];

	for (shape = 0; shape < N_SHAPES; shape++)
		for (kind = 0; kind < N_ID_KINDS; kind++)
			for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
			{
				graph		g;

				if (sizes[si] < 17 && kind != IDS_EXTREME)
					continue;
				make_graph(&g, shape, kind, sizes[si]);
				snprintf(what, sizeof(what), "%s/%s/%u", shape_name[shape],
						 id_kind_name[kind], sizes[si]);
				check_graph(what, &g, sizes[si] <= 300 ? 6 : 2);
				graph_free(&g);
			}
}

/* The big shapes of the issue: a star with 100k leaves, a 100k chain. */
static void
test_big_shapes(void)
{
	graph		g;

	make_graph(&g, SHAPE_STAR, IDS_SPREAD, 100001);
	check_graph("star with 100k leaves", &g, 1);
	graph_free(&g);
	make_graph(&g, SHAPE_CHAIN, IDS_CENTERED, 100000);
	check_graph("chain of 100k", &g, 1);
	graph_free(&g);
	make_graph(&g, SHAPE_SPARSE, IDS_SPREAD, 100000);
	check_graph("sparse, 100k nodes spread over 64 bits", &g, 1);
	graph_free(&g);
}

/* ------------------------------------------------------------- basics */

static void
test_basics(void)
{
	sy_components c,
				d;
	sy_component_row row;
	uint32_t	index;
	bytes		w;
	size_t		used,
				len;
	char	   *text;
	static const unsigned char empty_wire[] = {1, 0, 0};
	static const unsigned char small_wire[] = {1, 4, 2, 3, 1, 2, 1, 1, 6};

	sy_components_init(&c, &sy_env_malloc);
	ok(c.n == 0 && c.n_components == 0 && c.slots == NULL, "init: empty, nothing allocated");
	is_int(sy_components_wire_size(&c), 0, "wire size is 0 before finish");
	is_status(sy_components_finish(&c), SY_OK, "finish an empty forest");
	w = wire_of(&c);
	is_mem(w.p, w.len, empty_wire, sizeof(empty_wire), "empty wire form");
	free(w.p);
	text = text_of(&c, &len);
	is_str(text, "{}", "empty text form");
	free(text);
	ok(!sy_components_find(&c, 0, &index), "find in an empty forest");

	is_status(sy_components_add_edge(&c, 2, 1), SY_OK, "edge 2-1");
	is_status(sy_components_add_edge(&c, 1, 2), SY_OK, "edge 1-2 again, reversed");
	is_status(sy_components_add_edge(&c, 5, 5), SY_OK, "self-loop 5");
	is_status(sy_components_add_node(&c, -1), SY_OK, "node -1");
	is_status(sy_components_add_edge(&c, -1, 2), SY_OK, "edge -1-2");
	is_status(sy_components_add_node(&c, 5), SY_OK, "node 5 again");
	ok(c.n == 4 && c.n_components == 2, "4 nodes, 2 components");
	ok(sy_components_find(&c, 5, &index) && index == 2, "5 is the third node seen");
	ok(!sy_components_find(&c, 3, &index), "3 is not a node");
	is_status(sy_components_finish(&c), SY_OK, "finish");
	sy_components_row(&c, 0, &row);
	ok(row.node == -1 && row.component == -1 && row.size == 3, "row 0: (-1, -1, 3)");
	sy_components_row(&c, 1, &row);
	ok(row.node == 1 && row.component == -1 && row.size == 3, "row 1: (1, -1, 3)");
	sy_components_row(&c, 2, &row);
	ok(row.node == 2 && row.component == -1 && row.size == 3, "row 2: (2, -1, 3)");
	sy_components_row(&c, 3, &row);
	ok(row.node == 5 && row.component == 5 && row.size == 1, "row 3: (5, 5, 1)");
	w = wire_of(&c);
	is_mem(w.p, w.len, small_wire, sizeof(small_wire),
		   "wire bytes: version, 4 nodes, 2 components, [3: zz(-1), +2, +1], [1: +6]");
	free(w.p);
	text = text_of(&c, &len);
	is_str(text, "{{-1,1,2},{5}}", "text form");
	free(text);

	/* a finished forest stays finished through changes that change nothing */
	is_status(sy_components_add_edge(&c, 1, -1), SY_OK, "edge inside a component");
	is_status(sy_components_add_node(&c, 2), SY_OK, "existing node");
	is_status(sy_components_merge(&c, &c), SY_OK, "merge with itself");
	ok(c.finished, "still finished");
	is_status(sy_components_add_edge(&c, 5, 2), SY_OK, "edge joining the two");
	ok(!c.finished && sy_components_wire_size(&c) == 0, "a real change undoes finish");
	text = text_of(&c, &len);
	is_str(text, "{{-1,1,2,5}}", "text after the join");
	free(text);
	ok(c.n_components == 1 && forest_valid(&c), "one component");

	/* merge: empty into c, c into empty */
	sy_components_init(&d, &sy_env_malloc);
	is_status(sy_components_merge(&c, &d), SY_OK, "merge an empty forest");
	is_status(sy_components_merge(&d, &c), SY_OK, "merge into an empty forest");
	text = text_of(&d, &len);
	is_str(text, "{{-1,1,2,5}}", "merge into empty copies");
	free(text);

	/* from_wire and parse want an empty forest */
	is_status(sy_components_from_wire(&d, small_wire, sizeof(small_wire), &used), SY_EVALUE,
			  "from_wire into a non-empty forest");
	{
		sy_parse_error err;

		is_status(sy_components_parse(&d, "{}", 2, &err), SY_EVALUE,
				  "parse into a non-empty forest");
	}
	sy_components_free(&d);
	sy_components_free(&c);
	ok(c.n == 0 && c.ids == NULL && c.slots == NULL && c.order == NULL, "free resets");

	/* extreme ids through every form */
	{
		static const int64_t ext[] = {INT64_MAX, INT64_MIN, 0, INT64_MIN + 1, INT64_MAX - 1, -1};
		const char *want = "{{-9223372036854775808,-9223372036854775807,9223372036854775807},"
			"{-1,0,9223372036854775806}}";
		sy_components p;
		sy_parse_error err;

		sy_components_init(&c, &sy_env_malloc);
		sy_components_add_edge(&c, ext[0], ext[1]);
		sy_components_add_edge(&c, ext[3], ext[0]);
		sy_components_add_edge(&c, ext[2], ext[4]);
		sy_components_add_edge(&c, ext[5], ext[4]);
		text = text_of(&c, &len);
		is_str(text, want, "INT64_MIN and INT64_MAX as text");
		sy_components_init(&p, &sy_env_malloc);
		is_status(sy_components_parse(&p, text, len, &err), SY_OK, "and back");
		free(text);
		w = wire_of(&c);
		{
			bytes		w2 = wire_of(&p);

			ok(bytes_equal(w, w2), "same wire bytes");
			free(w2.p);
		}
		sy_components_free(&p);
		sy_components_init(&p, &sy_env_malloc);
		ok(sy_components_from_wire(&p, w.p, w.len, &used) == SY_OK && used == w.len &&
		   p.n == 6 && p.n_components == 2, "extreme ids through the wire");
		sy_components_row(&c, 0, &row);
		ok(w.p[3] == 3 && row.node == INT64_MIN && row.component == INT64_MIN,
		   "INT64_MIN is its component's id");
		free(w.p);
		sy_components_free(&p);
		sy_components_free(&c);
	}
}

/* Hash keys change the layout but never a result. */
static void
test_hash_key(void)
{
	graph		g;
	sy_components a,
				b;
	bytes		wa,
				wb;

	make_graph(&g, SHAPE_SPARSE, IDS_SERIAL, 3000);
	sy_components_init(&a, &sy_env_malloc);
	apply_ops(&a, &g, 0, g.n);
	sy_components_set_hash_key(0x0123456789ABCDEFULL);
	sy_components_init(&b, &sy_env_malloc);
	apply_ops(&b, &g, 0, g.n);
	wa = wire_of(&a);
	wb = wire_of(&b);
	ok(bytes_equal(wa, wb) && forest_valid(&b), "another hash key: same wire bytes");
	sy_components_set_hash_key(0x9E3779B97F4A7C15ULL);
	ok(!forest_valid(&b), "a forest does not survive a key change (set the key once, first)");
	free(wa.p);
	free(wb.p);
	sy_components_free(&a);
	sy_components_free(&b);
	graph_free(&g);
}

/* -------------------------------------------------------- wire validation */

typedef struct wire_case
{
	const char *name;
	unsigned char bytes[40];
	size_t		len;
	sy_status	want;
	size_t		used;			/* bytes consumed on success */
} wire_case;

static void
test_wire_malformed(void)
{
	static const wire_case cases[] = {
		{"nothing", {0}, 0, SY_ECORRUPT, 0},
		{"version 0", {0, 0, 0}, 3, SY_ECORRUPT, 0},
		{"version 2", {2, 0, 0}, 3, SY_ECORRUPT, 0},
		{"no counts", {1}, 1, SY_ECORRUPT, 0},
		{"no component count", {1, 0}, 2, SY_ECORRUPT, 0},
		{"components without nodes", {1, 0, 1}, 3, SY_ECORRUPT, 0},
		{"nodes without components", {1, 1, 0, 1, 2}, 5, SY_ECORRUPT, 0},
		{"more components than nodes", {1, 1, 2, 1, 2, 1, 4}, 7, SY_ECORRUPT, 0},
		{"size 0", {1, 1, 1, 0, 2}, 5, SY_ECORRUPT, 0},
		{"size past the nodes", {1, 2, 1, 3, 2, 1, 0, 0}, 8, SY_ECORRUPT, 0},
		{"sizes short of the node total", {1, 3, 2, 1, 2, 1, 4, 9, 9}, 9, SY_ECORRUPT, 0},
		{"size leaves no node for the next component", {1, 3, 2, 3, 2, 1, 1, 1, 4}, 9, SY_ECORRUPT, 0},
		{"node delta 0", {1, 2, 1, 2, 10, 0}, 6, SY_ECORRUPT, 0},
		{"component delta 0", {1, 2, 2, 1, 10, 1, 0}, 7, SY_ECORRUPT, 0},
		{"node twice across components", {1, 3, 2, 2, 2, 4, 1, 4}, 8, SY_ECORRUPT, 0},
		{"non-minimal varint", {1, 0x81, 0x00, 1, 1, 2}, 6, SY_ECORRUPT, 0},
		{"non-minimal zero", {1, 1, 1, 1, 0x80, 0x00}, 6, SY_ECORRUPT, 0},
		{"varint past 64 bits", {1, 1, 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}, 14, SY_ECORRUPT, 0},
		{"11-byte varint", {1, 1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00}, 15, SY_ECORRUPT, 0},
		{"unterminated varint", {1, 1, 1, 1, 0x80}, 5, SY_ECORRUPT, 0},
		/* INT64_MAX is zigzag 0xFFFFFFFFFFFFFFFE */
		{"node past INT64_MAX", {1, 2, 1, 2, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 1}, 15, SY_ECORRUPT, 0},
		{"component past INT64_MAX", {1, 2, 2, 1, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 1, 1}, 16, SY_ECORRUPT, 0},
		{"count of a billion nodes in 8 bytes", {1, 0x80, 0x94, 0xEB, 0xDC, 0x03, 1, 1}, 8, SY_ECORRUPT, 0},
		{"count past 2^63", {1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 1}, 12, SY_ECORRUPT, 0},
		{"INT64_MAX alone", {1, 1, 1, 1, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, 14, SY_OK, 14},
		{"INT64_MIN alone", {1, 1, 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, 14, SY_OK, 14},
		{"trailing bytes are left", {1, 1, 1, 1, 2, 0xAA, 0xBB}, 7, SY_OK, 5},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const wire_case *wc = &cases[i];
		fail_ctx	fc;
		sy_env		env = fail_env(&fc, -1);
		sy_components c;
		size_t		used = 0;
		sy_status	st;

		sy_components_init(&c, &env);
		st = sy_components_from_wire(&c, wc->bytes, wc->len, &used);
		is_status(st, wc->want, "wire: %s", wc->name);
		if (st == SY_OK)
			ok(forest_valid(&c) && used == wc->used && c.n == 1, "  valid, consumed %zu", used);
		else
		{
			ok(c.n == 0 && c.n_components == 0 && c.ids == NULL && c.slots == NULL &&
			   fc.live == 0, "  the forest is left empty");
			if (strstr(wc->name, "count") != NULL)
				is_int(fc.calls, 0, "  nothing allocated");
		}
		sy_components_free(&c);
		is_int(fc.live, 0, "  nothing leaked");
	}
}

/* A wire form from a random graph of a few hundred nodes. */
static bytes
random_wire(uint32_t nv, int kind)
{
	graph		g;
	sy_components c;
	bytes		w;

	make_graph(&g, (int) rng_below(N_SHAPES), kind, nv);
	sy_components_init(&c, &sy_env_malloc);
	apply_ops(&c, &g, 0, g.n);
	w = wire_of(&c);
	sy_components_free(&c);
	graph_free(&g);
	return w;
}

static void
test_wire_truncation_corruption(void)
{
	int			trial,
				kind;
	long		truncs = 0,
				truncs_ok = 0,
				corrupt = 0,
				rejected = 0,
				accepted_ok = 0,
				accepted = 0;

	for (kind = 0; kind < N_ID_KINDS; kind++)
	{
		bytes		w = random_wire(60 + 40 * kind, kind);
		size_t		len;

		for (len = 0; len < w.len; len++)
		{
			/* an exact-size copy, so that ASan sees any read past it */
			unsigned char *p = xmalloc(len);
			sy_components c;
			size_t		used;

			memcpy(p, w.p, len);
			sy_components_init(&c, &sy_env_malloc);
			truncs++;
			truncs_ok += sy_components_from_wire(&c, p, len, &used) == SY_ECORRUPT;
			sy_components_free(&c);
			free(p);
		}
		free(w.p);
	}
	is_int(truncs_ok, truncs, "every truncation of 6 wire forms is SY_ECORRUPT (%ld)", truncs);

	for (trial = 0; trial < 3000; trial++)
	{
		bytes		w = random_wire(1 + rng_below(80), (int) rng_below(N_ID_KINDS));
		unsigned char *p;
		size_t		len = w.len,
					used = 0;
		int			edits = 1 + (int) rng_below(3),
					e;
		sy_components c;
		sy_status	st;
		fail_ctx	fc;
		sy_env		env = fail_env(&fc, -1);

		p = xmalloc(len + 4);	/* room for three insertions */
		memcpy(p, w.p, len);
		for (e = 0; e < edits; e++)
		{
			uint32_t	how = rng_below(6);
			size_t		at = rng_below((uint32_t) len);

			if (how < 3)
				p[at] = (unsigned char) rng_next();
			else if (how == 3)
				p[at] ^= (unsigned char) (1u << rng_below(8));
			else if (how == 4 && len > 1)
			{
				memmove(p + at, p + at + 1, len - at - 1);
				len--;
			}
			else
			{
				memmove(p + at + 1, p + at, len - at);
				p[at] = (unsigned char) rng_next();
				len++;
			}
		}
		corrupt++;
		sy_components_init(&c, &env);
		st = sy_components_from_wire(&c, p, len, &used);
		if (st == SY_OK)
		{
			bytes		w2;

			/* still a valid encoding: it must be the canonical one */
			accepted++;
			w2 = wire_of(&c);
			if (forest_valid(&c) && used <= len && w2.len == used &&
				memcmp(w2.p, p, used) == 0)
				accepted_ok++;
			free(w2.p);
		}
		else if (st == SY_ECORRUPT)
			rejected++;
		sy_components_free(&c);
		if (fc.live != 0)
			diag("corruption trial %d leaked", trial);
		free(p);
		free(w.p);
	}
	is_int(rejected + accepted, corrupt, "3000 corrupted wire forms: SY_ECORRUPT or valid");
	is_int(accepted_ok, accepted,
		   "the %ld accepted are consistent and re-encode to the same bytes", accepted);
	ok(rejected > corrupt / 2, "most are rejected (%ld)", rejected);
}

/* ------------------------------------------------------------- text form */

/* s with blanks escaped, so that a test name stays on one line */
static const char *
printable(const char *s)
{
	static char buf[256];
	size_t		n = 0;

	for (; *s && n < sizeof(buf) - 3; s++)
	{
		if (*s == '\n' || *s == '\t' || *s == '\r')
		{
			buf[n++] = '\\';
			buf[n++] = *s == '\n' ? 'n' : *s == '\t' ? 't' : 'r';
		}
		else
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return buf;
}

typedef struct text_case
{
	const char *text;
	sy_status	want;
	size_t		offset;			/* error offset, or ignored */
	const char *canonical;		/* format after a successful parse */
} text_case;

static void
test_text(void)
{
	static const text_case cases[] = {
		{"{}", SY_OK, 0, "{}"},
		{" \t\n{ \r} \n", SY_OK, 0, "{}"},
		{"{{1}}", SY_OK, 0, "{{1}}"},
		{" { {2 , 1}, {5},{ -1 } } ", SY_OK, 0, "{{-1},{1,2},{5}}"},
		{"{{7,3},{+5,-0,0004}}", SY_OK, 0, "{{0,4,5},{3,7}}"},
		{"{{-9223372036854775808,9223372036854775807}}", SY_OK, 0,
		"{{-9223372036854775808,9223372036854775807}}"},
		{"", SY_ESYNTAX, 0, NULL},
		{"   ", SY_ESYNTAX, 3, NULL},
		{"[]", SY_ESYNTAX, 0, NULL},
		{"{", SY_ESYNTAX, 1, NULL},
		{"{{}}", SY_ESYNTAX, 2, NULL},
		{"{{1,}}", SY_ESYNTAX, 4, NULL},
		{"{{1}{2}}", SY_ESYNTAX, 4, NULL},
		{"{{1 2}}", SY_ESYNTAX, 4, NULL},
		{"{1}", SY_ESYNTAX, 1, NULL},
		{"{{1},}", SY_ESYNTAX, 5, NULL},
		{"{{1}", SY_ESYNTAX, 4, NULL},
		{"{{--1}}", SY_ESYNTAX, 2, NULL},
		{"{{-}}", SY_ESYNTAX, 2, NULL},
		{"{{1.5}}", SY_ESYNTAX, 3, NULL},
		{"{{1e3}}", SY_ESYNTAX, 3, NULL},
		{"{{0x10}}", SY_ESYNTAX, 3, NULL},
		{"{{1}} x", SY_ESYNTAX, 6, NULL},
		{"{{1}}}", SY_ESYNTAX, 5, NULL},
		{"{{1},{1}}", SY_EDUPLICATE, 6, NULL},
		{"{{1,2,3,2}}", SY_EDUPLICATE, 8, NULL},
		{"{{9223372036854775808}}", SY_EVALUE, 2, NULL},
		{"{{-9223372036854775809}}", SY_EVALUE, 2, NULL},
		{"{{99999999999999999999}}", SY_EVALUE, 2, NULL},
		{"{{1},{2},{00000000000000000000000000009223372036854775807}}", SY_OK, 0,
		"{{1},{2},{9223372036854775807}}"},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const text_case *tc = &cases[i];
		sy_components c;
		sy_parse_error err;
		sy_status	st;
		fail_ctx	fc;
		sy_env		env = fail_env(&fc, -1);

		memset(&err, 0, sizeof(err));
		sy_components_init(&c, &env);
		st = sy_components_parse(&c, tc->text, strlen(tc->text), &err);
		is_status(st, tc->want, "parse \"%s\"", printable(tc->text));
		if (st == SY_OK)
		{
			size_t		len;
			char	   *t = text_of(&c, &len);

			is_str(t, tc->canonical, "  formats as %s", tc->canonical);
			free(t);
		}
		else
			ok(err.offset == tc->offset && err.message != NULL && c.n == 0 && fc.live == 0,
			   "  error at %zu: %s; the forest is left empty", err.offset,
			   err.message ? err.message : "(null)");
		sy_components_free(&c);
		if (fc.live != 0)
			diag("parse leaked");
	}

	/* a NUL inside is just a wrong character; a length stops the text */
	{
		sy_components c;
		sy_parse_error err;

		sy_components_init(&c, &sy_env_malloc);
		is_status(sy_components_parse(&c, "{{1}\0}", 6, &err), SY_ESYNTAX, "NUL in the text");
		sy_components_free(&c);
		sy_components_init(&c, &sy_env_malloc);
		is_status(sy_components_parse(&c, "{{12}}", 3, &err), SY_ESYNTAX, "text ends at len");
		sy_components_free(&c);
		sy_components_init(&c, &sy_env_malloc);
		is_status(sy_components_parse(&c, "{{12}}junk", 6, &err), SY_OK, "bytes past len unread");
		sy_components_free(&c);
	}
}

/* ---------------------------------------------------------------- limits */

static void
test_max_nodes(void)
{
	sy_components c,
				d;
	sy_parse_error err;
	size_t		used;
	bytes		w;
	char	   *text;
	size_t		len;
	uint32_t	index;

	sy_components_init(&c, &sy_env_malloc);
	is_int(c.max_nodes, SY_COMPONENTS_MAX_NODES, "max_nodes starts at the hard limit");
	c.max_nodes = 3;
	is_status(sy_components_add_edge(&c, 1, 2), SY_OK, "2 of 3 nodes");
	is_status(sy_components_add_edge(&c, 3, 4), SY_ETOOBIG, "an edge of 2 new nodes: SY_ETOOBIG");
	ok(c.n == 2 && c.n_components == 1 && !sy_components_find(&c, 3, &index) &&
	   !sy_components_find(&c, 4, &index), "and nothing was added");
	is_status(sy_components_add_edge(&c, 3, 1), SY_OK, "one new node fits");
	is_status(sy_components_add_node(&c, 4), SY_ETOOBIG, "a 4th node does not");
	is_status(sy_components_add_edge(&c, 4, 4), SY_ETOOBIG, "nor as a self-loop");
	is_status(sy_components_add_edge(&c, 2, 3), SY_OK, "edges between known nodes do");
	is_status(sy_components_reserve(&c, 4), SY_ETOOBIG, "reserve past the limit");
	ok(c.n == 3 && forest_valid(&c), "3 nodes, consistent");
	{
		int64_t		ea[100],
					eb[100];
		int			i;

		for (i = 0; i < 100; i++)
		{
			ea[i] = i < 50 ? 1 + i % 3 : 100 + i;
			eb[i] = i < 50 ? 3 - i % 3 : 1000 + i;
		}
		is_status(sy_components_add_edges(&c, ea, eb, 100), SY_ETOOBIG,
				  "add_edges past the limit");
		ok(c.n == 3 && c.n_components == 1 && forest_valid(&c), "the edges before were added");
		sy_components_init(&d, &sy_env_malloc);
		d.max_nodes = 60;
		is_status(sy_components_add_edges(&d, ea + 50, eb + 50, 50), SY_ETOOBIG,
				  "add_edges stops at the limit, not one batch early");
		is_int(d.n, 60, "the limit is exact: 60 nodes");
		ok(d.n_components == 30 && forest_valid(&d), "the first 30 edges");
		sy_components_free(&d);
	}

	sy_components_init(&d, &sy_env_malloc);
	sy_components_add_edge(&d, 10, 11);
	is_status(sy_components_merge(&c, &d), SY_ETOOBIG, "merge past the limit");
	ok(c.n == 3 && forest_valid(&c), "c unchanged");
	w = wire_of(&d);
	sy_components_free(&d);
	sy_components_init(&d, &sy_env_malloc);
	d.max_nodes = 1;
	is_status(sy_components_from_wire(&d, w.p, w.len, &used), SY_ETOOBIG,
			  "from_wire past the limit");
	ok(d.n == 0 && d.ids == NULL, "before allocating");
	sy_components_free(&d);
	is_int(d.max_nodes, 1, "free keeps max_nodes");
	free(w.p);

	text = text_of(&c, &len);
	sy_components_init(&d, &sy_env_malloc);
	d.max_nodes = 2;
	is_status(sy_components_parse(&d, text, len, &err), SY_ETOOBIG, "parse past the limit");
	ok(err.message != NULL && strcmp(err.message, "Too many nodes") == 0 && err.offset == 6,
	   "error at the third id: %s at %zu", err.message, err.offset);
	sy_components_free(&d);
	free(text);
	sy_components_free(&c);
}

/* ------------------------------------------------------- failing memory */

/*
 * One run of every allocating operation on env; returns the first failure.
 * add_edge must be all or nothing: after a failed edge the forest must be
 * exactly the forest of the edges before it (compared on a shadow).
 */
static sy_status
alloc_scenario(const graph *g, sy_env *env, fail_ctx *fc, int *atomic)
{
	sy_components c,
				d,
				shadow;
	sy_status	st = SY_OK;
	size_t		i,
				used;
	bytes		w;
	char	   *text = NULL;
	size_t		len;
	sy_parse_error err;

	sy_components_init(&c, env);
	sy_components_init(&d, env);
	sy_components_init(&shadow, &sy_env_malloc);
	for (i = 0; i < g->n && st == SY_OK; i++)
	{
		const op   *o = &g->ops[i];

		st = o->node ? sy_components_add_node(&c, o->a) : sy_components_add_edge(&c, o->a, o->b);
		if (st == SY_OK)
			apply_ops(&shadow, g, i, i + 1);
	}
	if (st != SY_OK)
	{
		/* compare with the shadow, allocating freely */
		long		budget = fc->budget;
		bytes		ws;

		fc->budget = -1;
		w = wire_of(&c);
		ws = wire_of(&shadow);
		*atomic &= forest_valid(&c) && bytes_equal(w, ws);
		free(w.p);
		free(ws.p);
		fc->budget = budget;
		goto done;
	}
	for (i = 0; i < g->n / 2 && st == SY_OK; i++)
		if (!g->ops[i].node)
			st = sy_components_add_edge(&d, g->ops[i].a ^ 1, g->ops[i].b);
	if (st == SY_OK)
	{
		sy_components_free(&d);
		sy_components_init(&d, env);
		st = apply_ops_batched(&d, g);
	}
	if (st == SY_OK)
		st = sy_components_merge(&c, &d);
	if (st == SY_OK)
		st = sy_components_finish(&c);
	if (st == SY_OK)
	{
		w.len = sy_components_wire_size(&c);
		w.p = xmalloc(w.len);
		sy_components_to_wire(&c, w.p);
		sy_components_free(&d);
		sy_components_init(&d, env);
		st = sy_components_from_wire(&d, w.p, w.len, &used);
		free(w.p);
	}
	if (st == SY_OK)
	{
		text = xmalloc(sy_components_text_max_len(&c) + 1);
		len = sy_components_format(&c, text);
		sy_components_free(&d);
		sy_components_init(&d, env);
		st = sy_components_parse(&d, text, len, &err);
		if (st == SY_ENOMEM && (err.message == NULL || strcmp(err.message, "Out of memory") != 0))
			*atomic = 0;
	}
	if (st == SY_OK)
		st = sy_components_finish(&d);
done:
	free(text);
	sy_components_free(&c);
	sy_components_free(&d);
	sy_components_free(&shadow);
	return st;
}

static void
test_alloc_failures(void)
{
	graph		g;
	long		budget,
				failures = 0,
				bad = 0,
				leaks = 0;
	int			atomic = 1;
	sy_status	st = SY_ENOMEM;

	make_graph(&g, SHAPE_NOISY, IDS_SPREAD, 200);
	for (budget = 0; budget < 10000 && st != SY_OK; budget++)
	{
		fail_ctx	fc;
		sy_env		env = fail_env(&fc, budget);

		st = alloc_scenario(&g, &env, &fc, &atomic);
		if (st != SY_OK)
		{
			failures++;
			bad += st != SY_ENOMEM;
		}
		leaks += fc.live != 0;
	}
	is_status(st, SY_OK, "the scenario succeeds with %ld allocations", budget - 1);
	ok(failures > 10 && bad == 0, "each of the %ld earlier budgets fails with SY_ENOMEM", failures);
	is_int(leaks, 0, "no leak after any failure");
	ok(atomic, "a failed add_edge changes nothing; parse reports it");
	graph_free(&g);
}

/* ----------------------------------------------------- polls and memory */

static void
test_memory_and_polls(void)
{
	track_ctx	tc;
	sy_env		env = {track_alloc, track_realloc, track_free, track_poll, &tc};
	sy_components c,
				d;
	uint32_t	n = 300000,
				v;
	double		worst = 0,
				sum = 0;
	long		samples = 0,
				polls;
	size_t		used,
				len,
				before;
	bytes		w;
	char	   *text;
	sy_parse_error err;

	memset(&tc, 0, sizeof(tc));
	sy_components_init(&c, &env);
	for (v = 0; v < n; v++)
	{
		sy_components_add_edge(&c, to_i64(spread_bits(v)), to_i64(spread_bits(v / 3)));
		if (v >= 10000 && v % 101 == 0)
		{
			double		per = (double) tc.live / c.n;

			worst = per > worst ? per : worst;
			sum += per;
			samples++;
		}
	}
	ok(worst <= 29, "bytes a node from 10k to 300k nodes: at most %.1f, %.1f on average",
	   worst, sum / samples);
	diag("forest of %u nodes: %.1f bytes a node (ids+links %.1f, map %.1f)", c.n,
		 (double) tc.live / c.n, 12.0 * c.cap / c.n, 4.0 * (c.slot_mask + 1) / c.n);
	ok(tc.polls > 0, "adding 300k nodes polled (rehash) %ld times", tc.polls);

	polls = tc.polls;
	before = tc.live;
	tc.peak = tc.live;
	is_status(sy_components_finish(&c), SY_OK, "finish 300k nodes");
	ok(tc.polls > polls, "finish polled %ld times", tc.polls - polls);
	diag("finish: +%.1f bytes a node kept, peak +%.1f", (double) (tc.live - before) / c.n,
		 (double) (tc.peak - before) / c.n);
	ok(tc.live - before <= 4.0 * c.n + 64 && tc.peak - before <= 8.0 * c.n + 256 * 1024,
	   "finish keeps 4 bytes a node and peaks at 8 (and a 128 kB sort buffer)");

	w.len = sy_components_wire_size(&c);
	w.p = xmalloc(w.len);
	sy_components_to_wire(&c, w.p);
	diag("wire form: %.2f bytes a node (ids spread over 64 bits)", (double) w.len / c.n);
	polls = tc.polls;
	sy_components_init(&d, &env);
	is_status(sy_components_from_wire(&d, w.p, w.len, &used), SY_OK, "from_wire 300k nodes");
	ok(tc.polls > polls, "from_wire polled");
	polls = tc.polls;
	is_status(sy_components_merge(&d, &c), SY_OK, "merge 300k nodes");
	ok(tc.polls > polls, "merge polled");
	sy_components_free(&d);
	{
		int64_t    *ea = xmalloc((size_t) n * sizeof(int64_t)),
				   *eb = xmalloc((size_t) n * sizeof(int64_t));

		for (v = 0; v < n; v++)
		{
			ea[v] = to_i64(spread_bits(v));
			eb[v] = to_i64(spread_bits(v / 3));
		}
		sy_components_init(&d, &env);
		is_status(sy_components_reserve(&d, n), SY_OK, "reserve 300k nodes");
		polls = tc.polls;
		is_status(sy_components_add_edges(&d, ea, eb, n), SY_OK, "add_edges, 300k edges");
		ok(tc.polls > polls && d.n == c.n, "add_edges polled (%ld times)",
		   tc.polls - polls);
		sy_components_free(&d);
		free(ea);
		free(eb);
	}

	text = xmalloc(sy_components_text_max_len(&c) + 1);
	len = sy_components_format(&c, text);
	polls = tc.polls;
	sy_components_init(&d, &env);
	is_status(sy_components_parse(&d, text, len, &err), SY_OK, "parse 300k nodes");
	ok(tc.polls > polls, "parse polled");
	sy_components_free(&d);
	free(text);
	free(w.p);
	sy_components_free(&c);
	is_int(tc.live, 0, "everything freed");
}

int
main(void)
{
	rng_seed(20240601);
	id_salt = rng_next();
	test_basics();
	test_hash_key();
	test_shapes();
	test_big_shapes();
	test_wire_malformed();
	test_wire_truncation_corruption();
	test_text();
	test_max_nodes();
	test_alloc_failures();
	test_memory_and_polls();
	return done_testing();
}
