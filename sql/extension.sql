-- Installation: every object documented, nothing SECURITY DEFINER, and the
-- install script safe under a hostile search_path.  Files that ran before
-- this one may have created the extension: start afresh.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_sybil CASCADE;
DROP SCHEMA IF EXISTS sybil;
RESET client_min_messages;
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.float8(text) RETURNS float8 LANGUAGE sql AS $$ SELECT 42::float8 $$;
CREATE FUNCTION hostile.text(anyelement) RETURNS text LANGUAGE sql AS $$ SELECT 'hijacked' $$;
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_catalog.textne);
SET search_path = hostile, public;
CREATE EXTENSION pg_sybil;
SELECT sybil.entropy('{"a": 1, "b": 1}'), sybil.histogram_agg(x)
  FROM (VALUES ('a'), ('b')) v(x);
RESET search_path;

SELECT n.nspname AS schema, count(*) AS objects
  FROM pg_depend d
  JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_sybil')
 GROUP BY 1;

-- Every member of the extension has a COMMENT.
SELECT pg_describe_object(classid, objid, 0) AS undocumented
  FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_sybil')
   AND deptype = 'e'
   AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)::name) IS NULL
 ORDER BY 1;

-- No SECURITY DEFINER function; every aggregate is parallel safe with a combine function.
SELECT count(*) AS security_definer
  FROM pg_proc WHERE pronamespace = 'sybil'::regnamespace AND prosecdef;
SELECT p.oid::regprocedure AS aggregate, p.proparallel, a.aggcombinefn
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
 WHERE p.pronamespace = 'sybil'::regnamespace
 ORDER BY p.oid::regprocedure::text COLLATE "C";

-- DROP EXTENSION leaves the schema that CREATE EXTENSION made, empty.
DROP EXTENSION pg_sybil;
SELECT count(*) AS objects_left FROM pg_proc WHERE pronamespace = 'sybil'::regnamespace;
DROP SCHEMA sybil;
DROP SCHEMA hostile CASCADE;
