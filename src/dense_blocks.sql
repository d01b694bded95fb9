-- Dense blocks of accounts and items (FRAUDAR's greedy peeling), from a
-- query of (account, item) rows.

CREATE FUNCTION sybil.dense_blocks(
        rows_query pg_catalog.text,
        blocks pg_catalog.int4 DEFAULT 1,
        weighting pg_catalog.text DEFAULT 'log')
    RETURNS TABLE (block pg_catalog.int4, account_count pg_catalog.int8,
                   item_count pg_catalog.int8, edges pg_catalog.int8, fill pg_catalog.float8,
                   density pg_catalog.float8, accounts pg_catalog.int8[], items pg_catalog.text[])
    AS 'MODULE_PATHNAME', 'dense_blocks' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 1;
COMMENT ON FUNCTION sybil.dense_blocks(pg_catalog.text, pg_catalog.int4, pg_catalog.text) IS
    'Up to blocks dense blocks of accounts and items in the bipartite graph of the distinct (account, item) rows of rows_query, found by FRAUDAR''s greedy peeling one after another (the edges of each block are removed before the next is sought); weighting ''log'' weighs an edge to an item of d accounts 1/log(d + 5), so that camouflage on popular items does not hide a block, ''none'' weighs every edge 1; density is the weight of the block''s edges over its number of accounts and items, fill its edges over accounts times items';
