/*
 * minhash_item.h: any SQL value as a set item, i.e. a stable 64-bit hash.
 *
 * Integers (smallint, integer, bigint) hash by value, so 5 is the same item
 * whatever its width; text, varchar, char and bytea by their bytes; every
 * other type by its text form (inet '10.0.0.1' and text '10.0.0.1' are the
 * same item).  Stable across servers and versions: signatures built on one
 * server compare with signatures built on another.
 */
#ifndef SYBIL_MINHASH_ITEM_H
#define SYBIL_MINHASH_ITEM_H

#include "postgres.h"

#include "fmgr.h"

typedef enum ItemKind
{
	ITEM_INTEGER,
	ITEM_BYTES,
	ITEM_INET,					/* IPv4 text formatted here, IPv6 by inet_out */
	ITEM_TEXT_FORM
} ItemKind;

typedef struct ItemHasher
{
	Oid			type;
	ItemKind	kind;
	FmgrInfo	output;			/* for ITEM_TEXT_FORM and IPv6 */
} ItemHasher;

/* Prepare h for values of type (a domain counts as its base type). */
void		item_hasher_init(ItemHasher *h, Oid type, MemoryContext cxt);

/* The stable hash of a non-NULL value. */
uint64		item_hash(ItemHasher *h, Datum value);

#endif
