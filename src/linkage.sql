-- Accounts linked by shared tokens, from a query of (account, token) rows.

CREATE FUNCTION sybil.linked_pairs(
        rows_query pg_catalog.text,
        min_shared pg_catalog.int4 DEFAULT 1,
        max_degree pg_catalog.int4 DEFAULT 1000,
        min_jaccard pg_catalog.float8 DEFAULT 0)
    RETURNS TABLE (account_a pg_catalog.int8, account_b pg_catalog.int8,
                   shared pg_catalog.int4, jaccard pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'linked_pairs' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10000;
COMMENT ON FUNCTION sybil.linked_pairs(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.float8) IS
    'Pairs of accounts (account_a < account_b) sharing at least min_shared distinct tokens among the (account, token) rows of rows_query, with the count and the Jaccard of their token sets; tokens of more than max_degree accounts (hubs) are left out';

CREATE FUNCTION sybil.linked_components(
        rows_query pg_catalog.text,
        min_shared pg_catalog.int4 DEFAULT 1,
        max_degree pg_catalog.int4 DEFAULT 1000,
        min_jaccard pg_catalog.float8 DEFAULT 0,
        min_size pg_catalog.int8 DEFAULT 2)
    RETURNS TABLE (node pg_catalog.int8, component pg_catalog.int8, component_size pg_catalog.int8)
    AS 'MODULE_PATHNAME', 'linked_components' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10000;
COMMENT ON FUNCTION sybil.linked_components(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.float8, pg_catalog.int8) IS
    'Connected components of the accounts linked as by linked_pairs, without materializing the pairs: one row per account of a component of at least min_size accounts';

CREATE FUNCTION sybil.hub_tokens(
        rows_query pg_catalog.text,
        max_degree pg_catalog.int4 DEFAULT 1000)
    RETURNS TABLE (token pg_catalog.text, degree pg_catalog.int8)
    AS 'MODULE_PATHNAME', 'hub_tokens' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 100;
COMMENT ON FUNCTION sybil.hub_tokens(pg_catalog.text, pg_catalog.int4) IS
    'Tokens of more than max_degree distinct accounts, which linkage leaves out, with their number of accounts, most shared first';

CREATE FUNCTION sybil.why_linked(
        rows_query pg_catalog.text,
        account_a pg_catalog.int8,
        account_b pg_catalog.int8,
        max_degree pg_catalog.int4 DEFAULT 1000)
    RETURNS TABLE (token pg_catalog.text, degree pg_catalog.int8, hub pg_catalog.bool)
    AS 'MODULE_PATHNAME', 'why_linked_pair' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10;
COMMENT ON FUNCTION sybil.why_linked(pg_catalog.text, pg_catalog.int8, pg_catalog.int8, pg_catalog.int4) IS
    'Every token two accounts share among the rows of rows_query, with its number of accounts and whether it is a hub that linkage leaves out';

CREATE FUNCTION sybil.why_linked(
        rows_query pg_catalog.text,
        accounts pg_catalog.int8[],
        min_shared pg_catalog.int4 DEFAULT 1,
        max_degree pg_catalog.int4 DEFAULT 1000,
        min_jaccard pg_catalog.float8 DEFAULT 0)
    RETURNS TABLE (account_a pg_catalog.int8, account_b pg_catalog.int8,
                   shared pg_catalog.int4, jaccard pg_catalog.float8, tokens pg_catalog.text[])
    AS 'MODULE_PATHNAME', 'why_linked_set' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 100;
COMMENT ON FUNCTION sybil.why_linked(pg_catalog.text, pg_catalog.int8[], pg_catalog.int4, pg_catalog.int4, pg_catalog.float8) IS
    'The links among a set of accounts (a cluster), as by linked_pairs, each with the non-hub tokens that make it';
