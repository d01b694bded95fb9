/* minhash_item.c: see minhash_item.h. */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/lsyscache.h"

#include "core/stable_hash.h"
#include "minhash_item.h"
#include "query_rows.h"

/* Seed of item hashes: fixed forever, as the hashes end up stored. */
#define ITEM_HASH_SEED 0

void
item_hasher_init(ItemHasher *h, Oid type, MemoryContext cxt)
{
	Oid			base = getBaseType(type);

	if (sybil_is_integer_type(base))
		h->kind = ITEM_INTEGER;
	else if (base == TEXTOID || base == VARCHAROID || base == BPCHAROID || base == BYTEAOID)
		h->kind = ITEM_BYTES;
	else
	{
		Oid			out;
		bool		varlena;

		h->kind = ITEM_TEXT_FORM;
		getTypeOutputInfo(base, &out, &varlena);
		fmgr_info_cxt(out, &h->output, cxt);
	}
	h->type = base;
}

uint64
item_hash(ItemHasher *h, Datum value)
{
	switch (h->kind)
	{
		case ITEM_INTEGER:
			return sy_stable_hash_int(sybil_integer_value(value, h->type), ITEM_HASH_SEED);
		case ITEM_BYTES:
			{
				struct varlena *v = PG_DETOAST_DATUM_PACKED(value);
				uint64		hash = sy_stable_hash(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v),
												  ITEM_HASH_SEED);

				if ((Pointer) v != DatumGetPointer(value))
					pfree(v);
				return hash;
			}
		case ITEM_TEXT_FORM:
			{
				char	   *s = OutputFunctionCall(&h->output, value);
				uint64		hash = sy_stable_hash(s, strlen(s), ITEM_HASH_SEED);

				pfree(s);
				return hash;
			}
	}
	pg_unreachable();
}
