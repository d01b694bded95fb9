/*
 * fuzz_minhash_text.c: libFuzzer target for the text input of sybil.minhash.
 *
 * sy_minhash_parse_text on arbitrary bytes (not NUL-terminated: the length
 * is given).  It never writes more than (len - 2) / 2 bytes; when it
 * accepts the text, the bytes are a valid wire form and printing them gives
 * the input back, up to the case of the hex digits.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "minhash.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		cap = size / 2 + 1;
	unsigned char *wire = malloc(cap);
	size_t		len = 0;
	uint32_t	k;
	uint64_t	seed;
	char	   *text;

	CHECK(wire != NULL);
	if (sy_minhash_parse_text((const char *) data, size, wire, &len) != SY_OK)
	{
		free(wire);
		return 0;
	}
	CHECK(len == (size - 2) / 2);
	CHECK(sy_minhash_wire_header(wire, len, &k, &seed) == SY_OK);
	text = malloc(sy_minhash_text_size(k));
	CHECK(text != NULL);
	sy_minhash_to_text(wire, len, text);
	CHECK(strlen(text) == size);
	for (size_t i = 0; i < size; i++)
		CHECK(text[i] == tolower(data[i]));
	free(text);
	free(wire);
	return 0;
}
