/* minhash_item.c: see minhash_item.h. */
#include "postgres.h"

#include <sys/socket.h>

#include "catalog/pg_type.h"
#include "utils/inet.h"
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

		h->kind = (base == INETOID || base == CIDROID) ? ITEM_INET : ITEM_TEXT_FORM;
		getTypeOutputInfo(base, &out, &varlena);
		fmgr_info_cxt(out, &h->output, cxt);
	}
	h->type = base;
}

static uint64
text_form_hash(ItemHasher *h, Datum value)
{
	char	   *s = OutputFunctionCall(&h->output, value);
	uint64		hash = sy_stable_hash(s, strlen(s), ITEM_HASH_SEED);

	pfree(s);
	return hash;
}

static char *
append_decimal(char *p, unsigned int n)
{
	if (n >= 100)
		*p++ = '0' + n / 100;
	if (n >= 10)
		*p++ = '0' + n / 10 % 10;
	*p++ = '0' + n % 10;
	return p;
}

/*
 * IP addresses are most of what gets hashed (sets of exits per account), and
 * inet_out's formatting costs as much as the rest of minhash_agg: IPv4 is
 * formatted here exactly as inet_out and cidr_out do ("a.b.c.d", "/bits"
 * unless an inet's mask is 32), so the hash stays that of the text form.
 */
static uint64
ipv4_hash(const inet *ip, bool is_cidr)
{
	char		text[sizeof("255.255.255.255/32")];
	char	   *end = text;

	for (int i = 0; i < 4; i++)
	{
		if (i > 0)
			*end++ = '.';
		end = append_decimal(end, ip_addr(ip)[i]);
	}
	if (ip_bits(ip) != 32 || is_cidr)
	{
		*end++ = '/';
		end = append_decimal(end, ip_bits(ip));
	}
	return sy_stable_hash(text, end - text, ITEM_HASH_SEED);
}

static uint64
inet_hash(ItemHasher *h, Datum value)
{
	inet	   *ip = DatumGetInetPP(value);
	uint64		hash = ip_family(ip) == PGSQL_AF_INET ? ipv4_hash(ip, h->type == CIDROID)
		: text_form_hash(h, value);

	if ((Pointer) ip != DatumGetPointer(value))
		pfree(ip);
	return hash;
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
		case ITEM_INET:
			return inet_hash(h, value);
		case ITEM_TEXT_FORM:
			return text_form_hash(h, value);
	}
	pg_unreachable();
}
