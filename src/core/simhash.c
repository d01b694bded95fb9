/* simhash.c: see simhash.h. */
#include "simhash.h"

#include "stable_hash.h"
#include "text_shingles.h"

/*
 * The sums only need, per bit, how many hashes have it set: with n hashes
 * and c of them setting bit i, the sum of signs is 2c - n.  Counting 64
 * bits one by one costs 64 steps a hash; instead byte k of a hash indexes
 * spread_bits, whose entry holds bit j of the index in byte j, and adding
 * entries counts 8 bits at once in byte-wide lanes: 8 steps a hash.  A lane
 * holds at most 255, so the lanes are emptied into full counters every 255
 * hashes.
 */
#define SPREAD(b) ((uint64_t) ((b) & 1) | (uint64_t) (((b) >> 1) & 1) << 8 | \
				   (uint64_t) (((b) >> 2) & 1) << 16 | (uint64_t) (((b) >> 3) & 1) << 24 | \
				   (uint64_t) (((b) >> 4) & 1) << 32 | (uint64_t) (((b) >> 5) & 1) << 40 | \
				   (uint64_t) (((b) >> 6) & 1) << 48 | (uint64_t) (((b) >> 7) & 1) << 56)
#define SPREAD4(b) SPREAD(b), SPREAD((b) + 1), SPREAD((b) + 2), SPREAD((b) + 3)
#define SPREAD16(b) SPREAD4(b), SPREAD4((b) + 4), SPREAD4((b) + 8), SPREAD4((b) + 12)
#define SPREAD64(b) SPREAD16(b), SPREAD16((b) + 16), SPREAD16((b) + 32), SPREAD16((b) + 48)

static const uint64_t spread_bits[256] = {
	SPREAD64(0), SPREAD64(64), SPREAD64(128), SPREAD64(192)
};

#define LANE_MAX 255

/* How many hashes set each bit. */
typedef struct bit_counts
{
	uint64_t	lanes[8];		/* byte j of lanes[k]: recent hashes setting bit 8k + j */
	uint32_t	in_lanes;		/* hashes counted in lanes */
	int64_t		ones[64];		/* all earlier hashes */
} bit_counts;

static void
empty_lanes(bit_counts *c)
{
	for (int k = 0; k < 8; k++)
	{
		for (int j = 0; j < 8; j++)
			c->ones[8 * k + j] += (int64_t) ((c->lanes[k] >> (8 * j)) & 0xFF);
		c->lanes[k] = 0;
	}
	c->in_lanes = 0;
}

static void
count_bits(bit_counts *c, uint64_t h)
{
	for (int k = 0; k < 8; k++)
		c->lanes[k] += spread_bits[(h >> (8 * k)) & 0xFF];
	if (++c->in_lanes == LANE_MAX)
		empty_lanes(c);
}

/* The two projections: shingle hashes and their tie-breaking hashes. */
typedef struct simhash_counts
{
	bit_counts	primary;
	bit_counts	tie;
	int64_t		shingles;
} simhash_counts;

static void
add_shingle(void *arg, uint64_t hash)
{
	simhash_counts *counts = arg;

	count_bits(&counts->primary, hash);
	count_bits(&counts->tie, sy_stable_mix(hash ^ SY_SIMHASH_TIE_SEED));
	counts->shingles++;
}

uint64_t
sy_simhash(const char *text, size_t len, int words, size_t *shingles)
{
	simhash_counts counts = {0};
	uint64_t	fingerprint = 0;

	*shingles = sy_text_shingles(text, len, words, add_shingle, &counts);
	empty_lanes(&counts.primary);
	empty_lanes(&counts.tie);
	for (int i = 0; i < 64; i++)
	{
		/* sums of signs, 2 ones - n, compared with 0 */
		int64_t		primary = 2 * counts.primary.ones[i] - counts.shingles;
		int64_t		tie = 2 * counts.tie.ones[i] - counts.shingles;

		if (primary > 0 || (primary == 0 && tie > 0))
			fingerprint |= UINT64_C(1) << i;
	}
	return fingerprint;
}
