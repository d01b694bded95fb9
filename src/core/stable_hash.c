/* stable_hash.c: see stable_hash.h. */
#include "stable_hash.h"

#define SY_HASH_PRIME UINT64_C(0x9fb21c651e98df25)
#define SY_HASH_START UINT64_C(0x243f6a8885a308d3)	/* keeps mix(0) = 0 away */

static uint64_t
load_le(const unsigned char *p, size_t n)
{
	uint64_t	w = 0;

	for (size_t i = n; i > 0; i--)
		w = (w << 8) | p[i - 1];
	return w;
}

uint64_t
sy_stable_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t	h = sy_stable_mix(seed ^ ((uint64_t) len * SY_HASH_PRIME) ^ SY_HASH_START);

	for (; len >= 8; p += 8, len -= 8)
		h = (h ^ sy_stable_mix(load_le(p, 8))) * SY_HASH_PRIME;
	if (len > 0)
		h = (h ^ sy_stable_mix(load_le(p, len) ^ ((uint64_t) len << 59))) * SY_HASH_PRIME;
	return sy_stable_mix(h);
}
