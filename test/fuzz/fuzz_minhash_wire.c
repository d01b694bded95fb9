/*
 * fuzz_minhash_wire.c: libFuzzer target for the binary send/recv form of
 * sybil.minhash.
 *
 * sy_minhash_wire_header on arbitrary bytes.  When it accepts them: k is in
 * bounds, the length is exactly the one k implies, and the minima written
 * back with sy_minhash_to_wire reproduce the input byte for byte (the form
 * has no free bits); the text form of those bytes parses back to them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "minhash.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t	k;
	uint64_t	seed;
	uint32_t   *mins;
	unsigned char *wire;
	char	   *text;
	size_t		parsed_len;

	if (sy_minhash_wire_header(data, size, &k, &seed) != SY_OK)
		return 0;
	CHECK(k >= SY_MINHASH_MIN_K && k <= SY_MINHASH_MAX_K && size == sy_minhash_wire_size(k));
	mins = malloc(sizeof(uint32_t) * k);
	wire = malloc(size);
	text = malloc(sy_minhash_text_size(k));
	CHECK(mins != NULL && wire != NULL && text != NULL);
	sy_minhash_wire_mins(data, k, mins);
	sy_minhash_to_wire(k, seed, mins, wire);
	CHECK(memcmp(wire, data, size) == 0);
	sy_minhash_to_text(wire, size, text);
	CHECK(strlen(text) + 1 == sy_minhash_text_size(k));
	CHECK(sy_minhash_parse_text(text, strlen(text), wire, &parsed_len) == SY_OK);
	CHECK(parsed_len == size && memcmp(wire, data, size) == 0);
	free(mins);
	free(wire);
	free(text);
	return 0;
}
