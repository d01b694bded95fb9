-- The opening of a prompt: the token that links accounts filling one template.

CREATE FUNCTION sybil.prompt_opening(prompt pg_catalog.text, words pg_catalog.int4 DEFAULT 3)
    RETURNS pg_catalog.int8
    AS 'MODULE_PATHNAME', 'prompt_opening' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sybil.prompt_opening(pg_catalog.text, pg_catalog.int4) IS
    'Stable hash of the first 1 to 16 words of a text (default 3; words as sybil.minhash and sybil.simhash read them: lowercased, punctuation dropped), the same for prompts filled into one template whatever goes in its slots; NULL for a text without a word';
