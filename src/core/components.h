/*
 * components.h: connected components of a stream of edges between arbitrary
 * int64 node ids, as a union-find forest that can be merged and serialized.
 *
 * Nodes get a dense index in first-seen order through an open-addressing
 * map (id -> index).  The forest is one int32 a node: a parent's index, or,
 * at a root, minus the size of its component (union by size, path
 * halving).  No rank or size array and no per-component state: the number
 * of components is a counter, and each component's smallest id, its
 * public id, is found when the forest is finished.
 *
 * Memory per node: the id (8 bytes), the link (4 bytes) and the map, a
 * power of two of 4-byte slots at most 3/4 full (5.3 to 10.7 bytes a node).
 * The id and link arrays grow by half (12 to 18 bytes a node), so a forest
 * takes 17 to 29 bytes a node, about 22 on average; sy_components_finish
 * adds 4 bytes a node for the canonical order, plus 4 more and a 128 kB
 * sort buffer while it runs.
 * A map slot holds the node's index + 1 in its low bits and, in the bits
 * the index does not need, a tag taken from the id's hash, so probing
 * past other keys rarely reads their ids.
 *
 * Canonical order: components by their smallest id, each listing its nodes
 * by ascending id, the smallest first.  The rows, the wire form and the
 * text form all follow it, so they depend only on the partition, not on
 * the order edges came in, the hash key or how states were merged.
 *
 * Wire form (send/recv, aggregate serialization), canonical and
 * independent of the host:
 *
 *   version = 1 (1 byte) | varint node count | varint component count
 *   per component, in canonical order:
 *     varint size (>= 1)
 *     varint first id: zigzag(id) for the first component, then the
 *       difference from the previous component's first id (> 0)
 *     size - 1 varints: difference from the previous node's id (> 0)
 *
 * Varints are unsigned LEB128, minimal (no trailing zero byte), at most 10
 * bytes; differences are taken between ids as unsigned offsets from
 * INT64_MIN.  Ids that are close (serial keys) take 1 to 3 bytes a node;
 * nothing takes more than 10 bytes a node plus 5 a component.  Every
 * partition has exactly one encoding, so equal partitions have equal bytes.
 *
 * Text form (type input/output; Citus ships states as text): the
 * components in canonical order as nested braces of decimal ids,
 * {{1,2,3},{5,7}}, {} when empty.  Input takes components and ids in any
 * order, with blanks between tokens and an optional sign on ids; a node
 * listed twice is SY_EDUPLICATE.
 */
#ifndef SYBIL_CORE_COMPONENTS_H
#define SYBIL_CORE_COMPONENTS_H

#include <stdbool.h>
#include "env.h"
#include "scan.h"

/* Hard node limit: links are int32 and a root holds -size. */
#define SY_COMPONENTS_MAX_NODES ((uint32_t) INT32_MAX)
#define SY_COMPONENTS_WIRE_VERSION 1

typedef struct sy_components
{
	const sy_env *env;
	int64_t    *ids;			/* ids[i]: node i's id */
	int32_t    *link;			/* parent index, or -size at a root */
	uint32_t	n;				/* nodes */
	uint32_t	cap;			/* room in ids and link */
	uint32_t	n_components;
	uint32_t	max_nodes;		/* SY_ETOOBIG past it; callers may lower it */
	uint32_t   *slots;			/* (tag << idx_bits) | (index + 1); 0 = empty */
	uint64_t	slot_mask;		/* slot count - 1 */
	uint32_t	idx_bits;		/* low bits of a slot holding index + 1 */
	uint32_t   *order;			/* canonical order, valid while finished */
	bool		finished;
} sy_components;

/* One row of the result: a node, its component's smallest id and size. */
typedef struct sy_component_row
{
	int64_t		node;
	int64_t		component;
	uint32_t	size;
} sy_component_row;

/*
 * Key the id hash, so that nobody can choose ids that collide in the map
 * and make it quadratic.  Hosts call it once with a random value; without
 * it the key is a fixed constant.  Results never depend on the key.
 */
void		sy_components_set_hash_key(uint64_t key);

/* An empty forest; allocates nothing.  max_nodes starts at the hard limit. */
void		sy_components_init(sy_components *c, const sy_env *env);
/* Free c's memory: c is then empty, with the same env and max_nodes. */
void		sy_components_free(sy_components *c);

/* Make room for n nodes in all (so that loading a known count allocates
 * once).  SY_ETOOBIG past max_nodes, before allocating. */
sy_status	sy_components_reserve(sy_components *c, uint32_t n);

/*
 * Add a node, or the edge a-b (adding either node as needed).  A self-loop
 * just adds the node; a repeated edge changes nothing.  Either the whole
 * call happens or, on SY_ETOOBIG or SY_ENOMEM, nothing does.
 */
sy_status	sy_components_add_node(sy_components *c, int64_t a);
sy_status	sy_components_add_edge(sy_components *c, int64_t a, int64_t b);

/*
 * The same as n calls of sy_components_add_edge(c, a[i], b[i]), but
 * faster on big forests: the memory reads of a batch of edges are issued
 * together.  On failure a prefix of the edges was added.
 */
sy_status	sy_components_add_edges(sy_components *c, const int64_t *a, const int64_t *b,
									size_t n);

/*
 * Add every node of other and join it to its component: c becomes the
 * forest of both edge sets.  other is not modified (it may be c).  On
 * failure c is a valid forest holding part of other.  Merging the smaller
 * forest into the larger is cheaper.
 */
sy_status	sy_components_merge(sy_components *c, const sy_components *other);

/* Whether id is a node (and its index). */
bool		sy_components_find(const sy_components *c, int64_t id, uint32_t *index);

/*
 * The same as n calls of sy_components_find(c, ids[i], &index[i]), with
 * index[i] set to SY_COMPONENTS_ABSENT for an id that is not a node, but
 * faster on big forests: the memory reads of a batch of ids are issued
 * together.
 */
#define SY_COMPONENTS_ABSENT UINT32_MAX
void		sy_components_find_batch(const sy_components *c, const int64_t *ids, size_t n,
									 uint32_t *index);

/*
 * Compute the canonical order, making each component's smallest node its
 * root.  Needed before the rows, the wire form and the text form; any
 * later change to the forest undoes it (call it again).  Changes no
 * partition and may be called any number of times.
 */
sy_status	sy_components_finish(sy_components *c);

/* After sy_components_finish: whether id is a node, and its component's id
 * (the smallest node of its component). */
bool		sy_components_component_of(const sy_components *c, int64_t id, int64_t *component);

/* Row k (k < c->n) in canonical order, after sy_components_finish.  A
 * component's rows are consecutive, its smallest node first, so a caller
 * can skip a component by adding its size to k. */
void		sy_components_row(const sy_components *c, uint32_t k, sy_component_row *row);

/* Wire form, after sy_components_finish: size (0 when not finished), and
 * the bytes (nothing is written when not finished). */
size_t		sy_components_wire_size(const sy_components *c);
void		sy_components_to_wire(const sy_components *c, unsigned char *dst);

/*
 * Read a wire form into an empty forest (SY_EVALUE if it is not empty) and
 * report the bytes consumed; bytes after the form are not read.  Anything
 * malformed is SY_ECORRUPT; a node count past max_nodes is SY_ETOOBIG,
 * before allocating.  The count is checked against the input's length
 * first (a node takes a byte at least), so a forged count cannot make it
 * allocate more than about 25 bytes per input byte.  On failure c is left
 * empty.
 */
sy_status	sy_components_from_wire(sy_components *c, const unsigned char *src, size_t len,
									size_t *consumed);

/*
 * A wire form read row by row, in canonical order, without building a
 * forest: for values that are only counted or listed.  The structure is
 * checked as it is read (SY_ECORRUPT; SY_ETOOBIG for a node count past
 * SY_COMPONENTS_MAX_NODES), but not that no node is listed twice across
 * components, which takes the index: values from outside go through
 * sy_components_from_wire.
 */
typedef struct sy_components_reader
{
	const unsigned char *src;
	size_t		len;
	size_t		pos;			/* next byte; the bytes consumed once done */
	uint32_t	n;				/* nodes */
	uint32_t	n_components;
	uint32_t	rows;			/* rows read */
	uint32_t	components;		/* components begun */
	uint32_t	left;			/* rows left in the current component */
	uint32_t	size;			/* the current component's size */
	uint64_t	key;			/* the last row's id, biased */
	uint64_t	first;			/* the current component's first id, biased */
} sy_components_reader;

/* Read the header: r->n and r->n_components are then known. */
sy_status	sy_components_reader_init(sy_components_reader *r, const unsigned char *src,
									  size_t len);
/* The next row, or *done once all the rows are read. */
sy_status	sy_components_reader_next(sy_components_reader *r, sy_component_row *row,
									  bool *done);

/* Text form, after sy_components_finish: an upper bound of its length
 * without the terminating NUL, and the writer (returns the length; writes
 * an empty string when not finished). */
size_t		sy_components_text_max_len(const sy_components *c);
size_t		sy_components_format(const sy_components *c, char *dst);

/*
 * Parse text[0..len) into an empty forest (SY_EVALUE if it is not empty).
 * Returns SY_ESYNTAX, SY_EVALUE (an id out of range), SY_EDUPLICATE,
 * SY_ETOOBIG or SY_ENOMEM with err filled; on failure c is left empty.
 */
sy_status	sy_components_parse(sy_components *c, const char *text, size_t len,
								sy_parse_error *err);

#endif
