-- Upgrade from the released 0.1.0: ALTER EXTENSION pg_sybil UPDATE gives
-- exactly the objects of a fresh install, and keeps the data stored in 0.1.0.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_sybil CASCADE;
RESET client_min_messages;

CREATE EXTENSION pg_sybil VERSION '0.1.0';
SELECT extversion FROM pg_extension WHERE extname = 'pg_sybil';
CREATE TABLE kept AS
  SELECT sybil.histogram_agg(x) AS h FROM (VALUES ('a'), ('b'), ('a')) v(x);

-- Under a hostile search_path, as the install script.
CREATE SCHEMA hostile_up;
CREATE FUNCTION hostile_up.int8(text) RETURNS int8 LANGUAGE sql AS $$ SELECT 42::int8 $$;
SET search_path = hostile_up, public;
ALTER EXTENSION pg_sybil UPDATE;
RESET search_path;
SELECT extversion FROM pg_extension WHERE extname = 'pg_sybil';
SELECT h, sybil.entropy(h) FROM kept;
SELECT sybil.component_count(sybil.components_agg(g, g + 1)) FROM generate_series(1, 10) g;

-- Every member of the extension with its definition and comment.
CREATE FUNCTION pg_temp.members() RETURNS TABLE (object text, definition text, comment text)
LANGUAGE sql AS $$
  SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
         CASE WHEN d.classid = 'pg_proc'::regclass THEN
           coalesce((SELECT format('%s %s %s %s %s', a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                   a.aggtranstype::regtype, p.proparallel)
                       FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
                      WHERE a.aggfnoid = d.objid),
                    pg_get_functiondef(d.objid))
         WHEN d.classid = 'pg_type'::regclass THEN
           (SELECT format('%s %s %s %s %s %s', typinput, typoutput, typreceive, typsend,
                          typalign, typstorage) FROM pg_type WHERE oid = d.objid)
         WHEN d.classid = 'pg_operator'::regclass THEN
           (SELECT format('%s %s %s', oprcode, oprcom::regoperator, oprnegate::regoperator)
              FROM pg_operator WHERE oid = d.objid)
         END,
         obj_description(d.objid, (SELECT relname FROM pg_class WHERE oid = d.classid))
    FROM pg_depend d
   WHERE d.refclassid = 'pg_extension'::regclass
     AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_sybil')
     AND d.deptype = 'e'
$$;
CREATE TEMP TABLE updated AS SELECT * FROM pg_temp.members();

DROP TABLE kept;
DROP SCHEMA hostile_up CASCADE;
DROP EXTENSION pg_sybil;
CREATE EXTENSION pg_sybil;
CREATE TEMP TABLE fresh AS SELECT * FROM pg_temp.members();

SELECT count(*) AS members, count(DISTINCT object) AS distinct_members FROM fresh;
-- Nothing differs, either way.
SELECT 'only after the update' AS side, * FROM (TABLE updated EXCEPT TABLE fresh) u
UNION ALL
SELECT 'only when fresh', * FROM (TABLE fresh EXCEPT TABLE updated) f;
