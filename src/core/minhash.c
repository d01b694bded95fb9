/* minhash.c: see minhash.h. */
#include "minhash.h"

#include <string.h>

#include "stable_hash.h"

size_t
sy_minhash_family_size(uint32_t k)
{
	return (size_t) k * 2 * sizeof(uint64_t);
}

void
sy_minhash_family_init(sy_minhash_family *f, uint32_t k, uint64_t seed, void *storage)
{
	uint64_t	state = seed;

	f->k = k;
	f->seed = seed;
	f->mult = storage;
	f->add = f->mult + k;
	for (uint32_t i = 0; i < k; i++)
	{
		/* splitmix64: consecutive outputs of a Weyl sequence, mixed */
		f->mult[i] = sy_stable_mix(state += UINT64_C(0x9e3779b97f4a7c15)) | 1;
		f->add[i] = sy_stable_mix(state += UINT64_C(0x9e3779b97f4a7c15));
	}
}

void
sy_minhash_clear(uint32_t *mins, uint32_t k)
{
	for (uint32_t i = 0; i < k; i++)
		mins[i] = UINT32_MAX;
}

void
sy_minhash_add(uint32_t *restrict mins, const sy_minhash_family *f, uint64_t item)
{
	const uint64_t *restrict a = f->mult;
	const uint64_t *restrict b = f->add;

	for (uint32_t i = 0; i < f->k; i++)
	{
		uint32_t	h = (uint32_t) ((a[i] * item + b[i]) >> 32);

		mins[i] = h < mins[i] ? h : mins[i];
	}
}

void
sy_minhash_merge(uint32_t *restrict into, const uint32_t *restrict from, uint32_t k)
{
	for (uint32_t i = 0; i < k; i++)
		into[i] = from[i] < into[i] ? from[i] : into[i];
}

uint32_t
sy_minhash_agreements(const uint32_t *a, const uint32_t *b, uint32_t k)
{
	uint32_t	equal = 0;

	for (uint32_t i = 0; i < k; i++)
		equal += a[i] == b[i];
	return equal;
}

static void
put_be(unsigned char *out, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		out[i] = (unsigned char) v;
}

static uint64_t
get_be(const unsigned char *in, int bytes)
{
	uint64_t	v = 0;

	for (int i = 0; i < bytes; i++)
		v = (v << 8) | in[i];
	return v;
}

void
sy_minhash_to_wire(uint32_t k, uint64_t seed, const uint32_t *mins, unsigned char *out)
{
	out[0] = SY_MINHASH_WIRE_VERSION;
	out[1] = 0;
	put_be(out + 2, k, 2);
	put_be(out + 4, seed, 8);
	for (uint32_t i = 0; i < k; i++)
		put_be(out + SY_MINHASH_WIRE_HEADER + 4 * (size_t) i, mins[i], 4);
}

sy_status
sy_minhash_wire_header(const unsigned char *wire, size_t len, uint32_t *k, uint64_t *seed)
{
	if (len < SY_MINHASH_WIRE_HEADER || wire[0] != SY_MINHASH_WIRE_VERSION || wire[1] != 0)
		return SY_ECORRUPT;
	*k = (uint32_t) get_be(wire + 2, 2);
	*seed = get_be(wire + 4, 8);
	if (*k < SY_MINHASH_MIN_K || *k > SY_MINHASH_MAX_K || len != sy_minhash_wire_size(*k))
		return SY_ECORRUPT;
	return SY_OK;
}

void
sy_minhash_wire_mins(const unsigned char *wire, uint32_t k, uint32_t *mins)
{
	for (uint32_t i = 0; i < k; i++)
		mins[i] = (uint32_t) get_be(wire + SY_MINHASH_WIRE_HEADER + 4 * (size_t) i, 4);
}

size_t
sy_minhash_text_size(uint32_t k)
{
	return 2 + 2 * sy_minhash_wire_size(k) + 1;
}

void
sy_minhash_to_text(const unsigned char *wire, size_t wire_len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	*out++ = '\\';
	*out++ = 'x';
	for (size_t i = 0; i < wire_len; i++)
	{
		*out++ = digits[wire[i] >> 4];
		*out++ = digits[wire[i] & 15];
	}
	*out = '\0';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

sy_status
sy_minhash_parse_text(const char *text, size_t len, unsigned char *out, size_t *out_len)
{
	uint32_t	k;
	uint64_t	seed;

	if (len < 2 || text[0] != '\\' || text[1] != 'x' || (len - 2) % 2 != 0)
		return SY_ESYNTAX;
	*out_len = (len - 2) / 2;
	for (size_t i = 0; i < *out_len; i++)
	{
		int			high = hex_value(text[2 + 2 * i]);
		int			low = hex_value(text[3 + 2 * i]);

		if (high < 0 || low < 0)
			return SY_ESYNTAX;
		out[i] = (unsigned char) (high << 4 | low);
	}
	return sy_minhash_wire_header(out, *out_len, &k, &seed);
}
