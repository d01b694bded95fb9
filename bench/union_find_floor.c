/*
 * union_find_floor.c: the connected-components benchmark's floor, a plain
 * C union-find over the same edges as the table, read from the file that
 *     \copy (SELECT a, b FROM edges) TO 'file' WITH (FORMAT binary)
 * writes.
 *
 * Usage: union_find_floor file
 *
 * Reading and decoding the file are not timed.  Timed, in this process, is
 * what any in-memory labelling of these edges has to do:
 *
 *   1. map: node ids are arbitrary 63-bit values, so each end of each edge
 *      goes through a hash map id -> dense index (open addressing, linear
 *      probing, splitmix64 finalizer, doubled when half full; nothing is
 *      presized, since the number of nodes is not known up front);
 *   2. union: union by size with path halving, one int32 a node;
 *   3. label: a find for every node, so every node ends with its
 *      component's root, a labelling like the one scipy returns.
 *
 * No batching, prefetching or other tuning: this is the program anyone
 * would write.  It prints one line of key=value pairs: edges, nodes,
 * components, largest, map_s, union_s, label_s, wall_s (the three together,
 * CLOCK_MONOTONIC), cpu_s (CLOCK_PROCESS_CPUTIME_ID over the same span),
 * mem_mb (peak RSS, VmHWM, minus the RSS with the edges loaded: the map
 * and the forest), read_s (the untimed read, for information) and roots (nodes
 * labelled with themselves, which must equal components).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "union_find_floor: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

static double
now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/*
 * A /proc/self/status field in kB: VmRSS now, or VmHWM, the peak (not
 * getrusage's ru_maxrss, which Linux carries over from the parent across
 * fork and exec).
 */
static long
status_kb(const char *field)
{
	size_t		flen = strlen(field);

	FILE	   *f = fopen("/proc/self/status", "r");
	char		line[256];
	long		kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, flen) == 0 && line[flen] == ':')
			kb = strtol(line + flen + 1, NULL, 10);
	fclose(f);
	return kb;
}

static uint64_t
be64(const unsigned char *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t
be32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

/* The map: keys and values side by side, value 0 = empty slot. */
typedef struct
{
	int64_t		id;
	uint32_t	index_plus_1;
} slot;

static slot *slots;
static uint64_t mask;
static uint32_t n_nodes;
static int32_t *link;			/* parent, or -size at a root */
static uint64_t cap_nodes;

static uint64_t
hash64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static void
grow(void)
{
	uint64_t	new_mask = mask * 2 + 1;
	slot	   *ns = calloc(new_mask + 1, sizeof(slot));

	if (ns == NULL)
	{
		fprintf(stderr, "union_find_floor: out of memory\n");
		exit(1);
	}
	for (uint64_t i = 0; i <= mask; i++)
	{
		if (slots[i].index_plus_1)
		{
			uint64_t	h = hash64((uint64_t) slots[i].id) & new_mask;

			while (ns[h].index_plus_1)
				h = (h + 1) & new_mask;
			ns[h] = slots[i];
		}
	}
	free(slots);
	slots = ns;
	mask = new_mask;
}

static uint32_t
node_index(int64_t id)
{
	uint64_t	h = hash64((uint64_t) id) & mask;

	while (slots[h].index_plus_1)
	{
		if (slots[h].id == id)
			return slots[h].index_plus_1 - 1;
		h = (h + 1) & mask;
	}
	if (n_nodes == cap_nodes)
	{
		cap_nodes *= 2;
		link = realloc(link, cap_nodes * sizeof(int32_t));
		if (link == NULL)
		{
			fprintf(stderr, "union_find_floor: out of memory\n");
			exit(1);
		}
	}
	slots[h].id = id;
	slots[h].index_plus_1 = n_nodes + 1;
	link[n_nodes] = -1;
	if ((uint64_t) ++n_nodes * 2 > mask + 1)
		grow();
	return n_nodes - 1;
}

static uint32_t
find(uint32_t x)
{
	while (link[x] >= 0)
	{
		int32_t		p = link[x];

		if (link[p] >= 0)
			link[x] = link[p];	/* path halving */
		x = (uint32_t) p;
	}
	return x;
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	unsigned char row[26];
	long		len;
	size_t		n_edges = 0,
				cap_edges;
	int64_t    *ea,
			   *eb;
	double		t0,
				t1,
				t2,
				t3,
				c0,
				c1,
				read_start = now(CLOCK_MONOTONIC);
	long		rss_loaded;
	uint32_t	n_comp = 0,
				largest = 0,
				roots = 0;
	uint32_t   *label;

	if (argc != 2)
	{
		fprintf(stderr, "usage: union_find_floor file  (COPY binary of two bigint columns)\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 21 ||
		fseek(f, 0, SEEK_SET) != 0)
	{
		perror(argv[1]);
		return 1;
	}
	/* Row by row through stdio's buffer, so that the peak RSS before the
	 * timed part is the two arrays, not a copy of the file as well. */
	if (fread(row, 1, 19, f) != 19 || memcmp(row, "PGCOPY\n\377\r\n\0", 11) != 0 ||
		be32(row + 15) != 0)
	{
		fprintf(stderr, "union_find_floor: %s is not a COPY binary file\n", argv[1]);
		return 1;
	}
	cap_edges = ((size_t) len - 21) / 26 + 1;
	ea = xmalloc(cap_edges * sizeof(int64_t));
	eb = xmalloc(cap_edges * sizeof(int64_t));
	for (;;)
	{
		if (fread(row, 1, 2, f) != 2)
			goto corrupt;
		if (row[0] == 0xff && row[1] == 0xff)
			break;				/* trailer */
		if (fread(row + 2, 1, 24, f) != 24 || row[0] != 0 || row[1] != 2 ||
			be32(row + 2) != 8 || be32(row + 14) != 8 || n_edges == cap_edges)
			goto corrupt;
		ea[n_edges] = (int64_t) be64(row + 6);
		eb[n_edges] = (int64_t) be64(row + 18);
		n_edges++;
	}
	fclose(f);
	rss_loaded = status_kb("VmRSS");

	t0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	mask = 1023;
	slots = calloc(mask + 1, sizeof(slot));
	cap_nodes = 1024;
	link = xmalloc(cap_nodes * sizeof(int32_t));
	for (size_t i = 0; i < n_edges; i++)
	{
		uint32_t	x = node_index(ea[i]),
					y = node_index(eb[i]);

		/* The ids are no longer needed: keep the indexes in their place. */
		ea[i] = x;
		eb[i] = y;
	}
	t1 = now(CLOCK_MONOTONIC);
	n_comp = n_nodes;
	for (size_t i = 0; i < n_edges; i++)
	{
		uint32_t	x = find((uint32_t) ea[i]),
					y = find((uint32_t) eb[i]);

		if (x == y)
			continue;
		if (link[x] > link[y])	/* x smaller (sizes are negative) */
		{
			uint32_t	t = x;

			x = y;
			y = t;
		}
		link[x] += link[y];
		link[y] = (int32_t) x;
		n_comp--;
	}
	t2 = now(CLOCK_MONOTONIC);
	label = xmalloc((size_t) n_nodes * sizeof(uint32_t));
	for (uint32_t i = 0; i < n_nodes; i++)
		label[i] = find(i);
	t3 = now(CLOCK_MONOTONIC);
	c1 = now(CLOCK_PROCESS_CPUTIME_ID);

	/* Check: as many roots as components, each labelled with itself. */
	for (uint32_t i = 0; i < n_nodes; i++)
	{
		if (link[i] < 0 && (uint32_t) -link[i] > largest)
			largest = (uint32_t) -link[i];
		roots += label[i] == i;
	}
	printf("edges=%zu nodes=%u components=%u largest=%u map_s=%.3f union_s=%.3f label_s=%.3f"
		   " wall_s=%.3f cpu_s=%.3f mem_mb=%.1f read_s=%.3f roots=%u\n",
		   n_edges, n_nodes, n_comp, largest, t1 - t0, t2 - t1, t3 - t2, t3 - t0, c1 - c0,
		   (double) (status_kb("VmHWM") - rss_loaded) / 1024.0, t0 - read_start,
		   roots);
	return 0;

corrupt:
	fprintf(stderr, "union_find_floor: %s: unexpected bytes after row %zu\n", argv[1], n_edges);
	return 1;
}
