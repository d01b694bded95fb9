#!/usr/bin/python3
"""Reference results for pg_sybil's co-occurrence linkage, by brute force.

Run with Debian's interpreter, which has networkx (python3-networkx):

    /usr/bin/python3 test/reference/linkage_reference.py --seed 42 --out test/pgtap/generated

It draws random (account, token) rows from the seed: ordinary accounts with
a few tokens of Zipf-like popularity (IPs, device ids, user agents, wifi
names, hostile strings, the empty string), planted rings whose members
share several ring tokens (cliques and chains; two ring tokens of 6 kB and
24 kB, stored compressed and out of line), tokens of equal degree that
only their bytes order (prefixes, 1- to 4-byte UTF-8), a corporate-NAT-like token
used by a few hundred ordinary accounts (among them two accounts that share
nothing else), duplicate rows, rows with a NULL account or token, and
account ids spread over the whole bigint range, INT64_MIN and INT64_MAX
included.  It then computes, in plain Python, what the linkage functions
should return:

  * linked pairs, for every min_shared in 1..4, max_degree in
    {1, 2, 5, 50, 1000000} and min_jaccard in {0, 1/4, 1/2, 1, 1/3, 2/3},
    by comparing the token sets of every pair of accounts (brute force);
  * connected components of those links (networkx), component id = the
    smallest account id;
  * hub tokens (degree > max_degree), most shared first then by bytes;
  * why_linked for pairs of accounts and for sets of accounts (the rings).

A second, small table has tokens of type inet and int4 (through their text
output) and accounts that fit in smallint.  Everything is written as one
plain-SQL fixture that test/pgtap/85_linkage.sql includes:

    linkage.sql

The fixture creates unqualified tables: the including test sets search_path
to a schema of its own.  Nothing here reads the extension's source: the
expected rows come from the definitions of the issue
(degree(token) = distinct accounts; hubs removed first; shared =
|T(a) & T(b)|; jaccard = shared / (|T(a)| + |T(b)| - shared) in float8).
"""

import argparse
import ipaddress
import itertools
import os
import random
import sys

try:
    import networkx as nx
except ImportError:
    sys.exit("%s lacks networkx (Debian: apt-get install python3-networkx)" % sys.executable)

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

MIN_SHARED = [1, 2, 3, 4]
MAX_DEGREE = [1, 2, 5, 50, 1000000]
# exact doubles: 1/3 and 2/3 are the doubles nearest, as Python and
# PostgreSQL both divide (and parse the repr) correctly rounded
MIN_JACCARD = [0.0, 0.25, 0.5, 1.0, 1 / 3, 2 / 3]
COMP_JACCARD = [0.0, 0.25, 0.5, 1.0]

HOSTILE = ["", " ", "  ", "é", "e\u0301", "🙂", "O'Brien", "back\\slash", "a", "a ",
           "ab", "A", "Ω", "中文", "tab\tx", '"q"', "line\nbreak", "\x01ctl", "{", "}",
           "NULL", "null", "ip:10.0.0.1 ", "$$", "--", "\u2028", "\uffff", "\U0010fffd"]
TIE_SUFFIXES = ["", " ", "  ", "a", "a ", "ab", "a\x01", "A", "é", "e\u0301", "Ω", "中文", "🙂",
                "\uffff", "\U0010fffd", "~", "\x7f", "z", "zz"]
BROWSERS = ["Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1)",
            "curl/8.4.0", "python-requests/2.31", "okhttp/4.12.0", "Go-http-client/2.0"]
WIFI = ["Café Łódź", "Starbucks", "eduroam", "Home-5G", "Ωmega", "ホテル", "Guest WiFi"]


def sql_str(s):
    if s is None:
        return "NULL"
    assert "\x00" not in s
    return "'" + s.replace("'", "''") + "'"


def sql_f8(x):
    return "'" + repr(float(x)) + "'"


def sql_i(x):
    return "NULL" if x is None else "'%d'" % x     # quoted: INT64_MIN as a literal


def copy_field(x):
    """A value in COPY's text format."""
    if x is None:
        return "\\N"
    if isinstance(x, bool):
        return "t" if x else "f"
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, int):
        return str(x)
    assert "\x00" not in x
    return (x.replace("\\", "\\\\").replace("\n", "\\n")
             .replace("\r", "\\r").replace("\t", "\\t"))


def write_copy(f, table, columns, rows):
    """Rows of Python values, as COPY ... FROM stdin (much faster to load
    than INSERTs; psql reads the data from the script itself)."""
    f.write("COPY %s (%s) FROM stdin;\n" % (table, ", ".join(columns)))
    for r in rows:
        f.write("\t".join(copy_field(x) for x in r) + "\n")
    f.write("\\.\n")


def sql_bool(b):
    return "true" if b else "false"


def sql_text_array(items):
    if not items:
        return "'{}'::text[]"
    return "ARRAY[" + ", ".join(sql_str(t) for t in items) + "]::text[]"


def sql_id_array(ids):
    return "'{" + ",".join("NULL" if i is None else str(i) for i in ids) + "}'::bigint[]"


def byte_key(t):
    return t.encode("utf-8")


def write_inserts(f, table, columns, rows, chunk=1000):
    for i in range(0, len(rows), chunk):
        f.write("INSERT INTO %s (%s) VALUES\n" % (table, ", ".join(columns)))
        f.write(",\n".join("(" + ", ".join(r) + ")" for r in rows[i:i + chunk]))
        f.write(";\n")


# --------------------------------------------------------------------------
# drawing the rows

def token_pool(rng, n):
    pool = set()
    while len(pool) < n:
        k = rng.random()
        if k < 0.35:
            t = "ip:%d.%d.%d.%d" % (rng.choice([10, 100, 172, 185, 192]), rng.randrange(256),
                                    rng.randrange(256), rng.randrange(1, 255))
        elif k < 0.65:
            t = "dev:%012x" % rng.getrandbits(48)
        elif k < 0.8:
            t = "ua:%s v%d" % (rng.choice(BROWSERS), rng.randrange(200))
        elif k < 0.9:
            t = "wifi:%s-%d" % (rng.choice(WIFI), rng.randrange(300))
        else:
            t = "mail:%s.example" % "".join(rng.choice("abcdefgh") for _ in range(rng.randrange(1, 6)))
        pool.add(t)
    pool = sorted(pool)
    rng.shuffle(pool)
    for h in HOSTILE:              # hostile tokens at random popularity ranks
        if h not in pool:
            pool.insert(rng.randrange(len(pool) // 3), h)
    return pool


class Draw:
    """The accounts (by key) and the rows (key or None, token or None)."""

    def __init__(self, rng):
        self.rng = rng
        self.rows = []
        self.n_keys = 0
        self.used = set()

    def key(self):
        self.n_keys += 1
        return self.n_keys - 1

    def unique_token(self, prefix):
        while True:
            t = "%s:%010x" % (prefix, self.rng.getrandbits(40))
            if t not in self.used:
                self.used.add(t)
                return t

    def add(self, key, token, copies=None):
        if copies is None:
            copies = 1 if self.rng.random() < 0.93 else self.rng.randint(2, 4)
        self.rows += [(key, token)] * copies


def draw_rows(rng):
    d = Draw(rng)
    n_ord = rng.randint(400, 1200)
    pool = token_pool(rng, 2 * n_ord)
    d.used.update(pool)
    cum = list(itertools.accumulate(1.0 / (r + 25) ** 1.15 for r in range(len(pool))))

    ordinary = [d.key() for _ in range(n_ord)]
    for k in ordinary:
        for t in rng.choices(pool, cum_weights=cum, k=rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8])):
            d.add(k, t)

    # planted rings: cliques (each member has most of the ring tokens) and
    # chains (member i shares tokens only with i - 1 and i + 1)
    rings = []
    for r in range(rng.randint(6, 14)):
        size = rng.randint(3, 10)
        members = [d.key() for _ in range(size)]
        shape = "chain" if r % 3 == 2 else "clique"
        if shape == "clique":
            toks = [d.unique_token(rng.choice(["dev", "card", "phone"])) for _ in range(rng.randint(2, 6))]
            if r == 1:
                # long tokens: one compressed in the table, one stored out of line
                toks.append("ua:" + "Mozilla/5.0 (Windows NT 10.0; Win64; x64) " * 150 + "%08x" % rng.getrandbits(32))
                toks.append("blob:" + "".join("%016x" % rng.getrandbits(64) for _ in range(1500)))
            for m in members:
                for t in rng.sample(toks, rng.randint(max(1, len(toks) - 2), len(toks))):
                    d.add(m, t)
        else:
            per_link = rng.randint(1, 3)
            links = [[d.unique_token("chain") for _ in range(per_link)] for _ in range(size - 1)]
            for i, m in enumerate(members):
                for j in (i - 1, i):
                    if 0 <= j < size - 1:
                        for t in links[j]:
                            d.add(m, t)
        for m in members:            # some ordinary activity too
            for t in rng.choices(pool, cum_weights=cum, k=rng.choice([0, 0, 1, 2, 3])):
                d.add(m, t)
        rings.append((r, shape, members))

    # the corporate NAT: one address behind which hundreds of ordinary
    # accounts sit; nat_a and nat_b share nothing else, nat_c has nothing else
    nat = "ip:203.0.113.7"
    assert nat not in d.used
    d.used.add(nat)
    nat_a, nat_b, nat_c = d.key(), d.key(), d.key()
    for k in (nat_a, nat_b):
        for _ in range(rng.randint(1, 3)):
            d.add(k, d.unique_token("solo"))
    ring_members = [m for _, _, ms in rings for m in ms]
    nat_users = {nat_a, nat_b, nat_c} | set(rng.sample(ring_members, rng.randint(0, 4)))
    target = rng.randint(150, 350)
    nat_users |= set(rng.sample(ordinary, target - len(nat_users)))
    for k in sorted(nat_users):
        d.add(k, nat, copies=rng.randint(1, 4))   # one row a session

    # a public wifi: popular, yet well below the NAT
    wifi = "wifi:Airport Free WiFi ✈"
    d.used.add(wifi)
    for k in rng.sample(ordinary, rng.randint(51, 120)):
        d.add(k, wifi)

    # tokens of equal degree (3) whose order is decided by their bytes
    # alone: prefixes of one another, ASCII against 2-, 3- and 4-byte UTF-8;
    # tie_a and tie_b have them all, a third account each
    tie_a, tie_b = d.key(), d.key()
    for h in TIE_SUFFIXES:
        t = "tie|" + h
        d.used.add(t)
        for k in [tie_a, tie_b, rng.choice(ordinary)]:
            d.add(k, t)

    ghost = d.key()                  # only NULL tokens: not an account of the rows
    d.add(ghost, None, copies=3)
    for _ in range(rng.randint(5, 30)):
        d.add(None, rng.choice(pool + [nat]))
        d.add(rng.choice(ordinary), None)
    d.add(None, None, copies=2)

    # account ids: the extremes on accounts that matter, the rest spread
    # over the whole range, some small, negative ones too
    ids = {nat_a: INT64_MAX, nat_b: INT64_MIN}
    first_ring = rings[0][2]
    for m, v in zip(first_ring, [0, -1, INT64_MIN + 1, INT64_MAX - 1, 1]):
        ids[m] = v
    taken = set(ids.values())
    for k in range(d.n_keys):
        while k not in ids:
            c = rng.random()
            if c < 0.6:
                v = rng.getrandbits(64) + INT64_MIN
            elif c < 0.8:
                v = rng.randrange(-10 ** 6, 10 ** 6)
            else:
                v = rng.randrange(-2 ** 31, 2 ** 31)
            if v not in taken:
                taken.add(v)
                ids[k] = v
    rows = [(None if k is None else ids[k], t) for k, t in d.rows]
    rng.shuffle(rows)
    rings = [(r, shape, sorted(ids[m] for m in ms)) for r, shape, ms in rings]
    absent = INT64_MIN + 12345
    while absent in taken:
        absent += 1
    return dict(rows=rows, rings=rings, nat=nat, nat_a=ids[nat_a], nat_b=ids[nat_b],
                nat_c=ids[nat_c], ghost=ids[ghost], absent=absent, pool=pool,
                tie_a=ids[tie_a], tie_b=ids[tie_b])


# --------------------------------------------------------------------------
# the definitions, in plain Python

class Linkage:
    def __init__(self, rows):
        self.tokens = {}                       # account -> set of tokens (all)
        for a, t in rows:
            if a is None or t is None:
                continue
            self.tokens.setdefault(a, set()).add(t)
        self.accounts = sorted(self.tokens)
        self.degree = {}
        for a, ts in self.tokens.items():
            for t in ts:
                self.degree[t] = self.degree.get(t, 0) + 1
        self._pairs = {}

    def kept(self, a, md):
        return {t for t in self.tokens.get(a, ()) if self.degree[t] <= md}

    def pairs(self, md):
        """{(a, b): (shared, jaccard)} for every a < b sharing >= 1 non-hub
        token: every pair of accounts compared (bit sets of the tokens)."""
        if md in self._pairs:
            return self._pairs[md]
        index = {t: i for i, t in enumerate(sorted(self.degree, key=byte_key))}
        bits, size = [], []
        for a in self.accounts:
            ts = self.kept(a, md)
            m = 0
            for t in ts:
                m |= 1 << index[t]
            bits.append(m)
            size.append(len(ts))
        out = {}
        live = [i for i in range(len(self.accounts)) if size[i]]
        for x, i in enumerate(live):
            bi, si, ai = bits[i], size[i], self.accounts[i]
            for j in live[x + 1:]:
                s = (bi & bits[j]).bit_count()
                if s:
                    out[(ai, self.accounts[j])] = (s, s / (si + size[j] - s))
        self._pairs[md] = out
        return out

    def linked(self, ms, md, mj):
        return {p: v for p, v in self.pairs(md).items() if v[0] >= ms and v[1] >= mj}

    def components(self, ms, md, mj, min_size):
        g = nx.Graph()
        g.add_nodes_from(self.accounts)
        g.add_edges_from(self.linked(ms, md, mj))
        out = []
        for comp in nx.connected_components(g):
            if len(comp) >= min_size:
                m = min(comp)
                out += [(v, m, len(comp)) for v in comp]
        return sorted(out)

    def hubs(self, md):
        return sorted(((t, d) for t, d in self.degree.items() if d > md),
                      key=lambda x: (-x[1], byte_key(x[0])))

    def why_pair(self, a, b, md):
        shared = self.tokens.get(a, set()) & self.tokens.get(b, set())
        return [(t, self.degree[t], self.degree[t] > md) for t in sorted(shared, key=byte_key)]

    def why_set(self, accounts, ms, md, mj):
        members = sorted({a for a in accounts if a is not None and a in self.tokens})
        out = []
        for a, b in itertools.combinations(members, 2):
            ta, tb = self.kept(a, md), self.kept(b, md)
            s = len(ta & tb)
            if s and s >= ms and s / (len(ta) + len(tb) - s) >= mj:
                out.append((a, b, s, s / (len(ta) + len(tb) - s),
                            sorted(ta & tb, key=byte_key)))
        return out


# --------------------------------------------------------------------------
# tokens of other types: inet and int4, through their text output

def draw_typed(rng):
    """Rows (account smallint-sized, inet input text, int4) and the text
    output of each inet (Python's ipaddress; checked against PostgreSQL's
    output in the test, as a check of the fixture)."""
    ips = []        # (output text, [input texts])
    seen = set()
    while len(ips) < 60:
        k = rng.random()
        if k < 0.5:
            a = ipaddress.IPv4Address("10.%d.%d.%d" % (rng.randrange(4), rng.randrange(256), rng.randrange(1, 255)))
            out, forms = str(a), [str(a), str(a) + "/32"]
        elif k < 0.65:
            n = "192.168.%d.0/24" % rng.randrange(256)
            out, forms = n, [n]
        elif k < 0.75:
            n = "172.16.%d.%d/16" % (rng.randrange(256), rng.randrange(1, 255))
            out, forms = n, [n]
        else:
            groups = [0x2001, 0xdb8] + [rng.choice([0, 0, rng.randrange(1, 0x10000)]) for _ in range(6)]
            groups[7] = groups[7] or 1
            a = ipaddress.IPv6Address(":".join("%x" % g for g in groups))
            exploded = a.exploded
            out = a.compressed
            forms = [out, exploded.upper(), exploded, out + "/128"]
        if out not in seen:
            seen.add(out)
            ips.append((out, forms))
    ints = sorted(set([0, -1, 1, 7, 2147483647, -2147483648, 42, 1000000] +
                      [rng.randrange(-10 ** 9, 10 ** 9) for _ in range(30)]))
    rng.shuffle(ints)
    accounts = set([-32768, 32767, 0, -1, 1])
    while len(accounts) < 150:
        accounts.add(rng.randrange(-32768, 32768))
    accounts = sorted(accounts)
    wip = [1.0 / (r + 2) for r in range(len(ips))]
    wint = [1.0 / (r + 2) for r in range(len(ints))]
    rows = []
    for a in accounts:
        for _ in range(rng.randint(1, 4)):
            out, forms = rng.choices(ips, weights=wip)[0]
            n = rng.choices(ints, weights=wint)[0]
            rows.append((a, rng.choice(forms), out, n))
        if rng.random() < 0.1:
            rows.append((a, None, None, rng.choice(ints)))
        if rng.random() < 0.1:
            out, forms = rng.choice(ips)
            rows.append((a, rng.choice(forms), out, None))
    rng.shuffle(rows)
    return rows


# --------------------------------------------------------------------------
# the fixture

SCHEMA = """CREATE TABLE lk_meta (
    seed bigint NOT NULL,
    n_rows int NOT NULL,          -- rows of lk_row, NULLs and duplicates included
    n_accounts int NOT NULL,      -- distinct non-NULL accounts with a non-NULL token
    n_tokens int NOT NULL,        -- distinct non-NULL tokens
    max_token_degree int NOT NULL,
    nat text NOT NULL,            -- the corporate-NAT token
    nat_degree int NOT NULL,      -- its number of distinct accounts
    nat_a bigint NOT NULL,        -- nat_a and nat_b share only the NAT
    nat_b bigint NOT NULL,
    nat_c bigint NOT NULL,        -- only the NAT
    nat_jaccard float8 NOT NULL,  -- jaccard of (nat_a, nat_b) when the NAT is no hub
    ghost bigint NOT NULL,        -- an account whose rows all have a NULL token
    absent bigint NOT NULL,       -- an id in no row
    default_gid int NOT NULL,     -- lk_grid point that the defaults must give
    default_cid int NOT NULL      -- lk_comp_grid point that the defaults must give
);
CREATE TABLE lk_row (
    id int NOT NULL,
    account bigint,               -- NULL sometimes
    token text                    -- NULL sometimes
);
CREATE TABLE lk_ring (
    ring int NOT NULL,
    shape text NOT NULL,          -- clique or chain
    account bigint NOT NULL
);
CREATE TABLE lk_grid (            -- one linked_pairs call
    gid int PRIMARY KEY,
    ms int NOT NULL,
    md int NOT NULL,
    mj float8 NOT NULL,
    bit int NOT NULL,             -- its bit in lk_pair_expect.mask
    n_pairs int NOT NULL          -- Python's number of pairs
);
CREATE TABLE lk_pair_expect (     -- every pair sharing >= 1 non-hub token, per max_degree
    md int NOT NULL,
    a bigint NOT NULL,
    b bigint NOT NULL,
    shared int NOT NULL,
    jaccard float8 NOT NULL,
    mask bigint NOT NULL          -- bit lk_grid.bit set: linked at that grid point
);
CREATE TABLE lk_comp_grid (       -- one linked_components call
    cid int PRIMARY KEY,
    ms int NOT NULL,
    md int NOT NULL,
    mj float8 NOT NULL,
    min_size bigint NOT NULL,
    extra bool NOT NULL,          -- false: the grid (min_size 2), true: other points
    n_rows int NOT NULL
);
CREATE TABLE lk_comp_expect (
    cid int NOT NULL,
    node bigint NOT NULL,
    component bigint NOT NULL,    -- smallest id of the component (networkx components)
    size bigint NOT NULL
);
CREATE TABLE lk_hub_expect (      -- hub_tokens(rows, md), rank = position in the output
    md int NOT NULL,
    rank int NOT NULL,
    token text NOT NULL,
    degree bigint NOT NULL
);
CREATE TABLE lk_hub_md (md int PRIMARY KEY, n int NOT NULL);
CREATE TABLE lk_why_pair_q (      -- why_linked(rows, a, b, md)
    qid int PRIMARY KEY,
    kind text NOT NULL,
    a bigint NOT NULL,
    b bigint NOT NULL,
    md int NOT NULL,
    use_default bool NOT NULL,    -- call without max_degree (md is then 1000)
    n int NOT NULL
);
CREATE TABLE lk_why_pair_expect (qid int NOT NULL, ord int NOT NULL, token text NOT NULL,
                                 degree bigint NOT NULL, hub bool NOT NULL);
CREATE TABLE lk_why_set_q (       -- why_linked(rows, accounts, ms, md, mj)
    sid int PRIMARY KEY,
    kind text NOT NULL,
    accounts bigint[] NOT NULL,
    ms int NOT NULL,
    md int NOT NULL,
    mj float8 NOT NULL,
    use_default bool NOT NULL,    -- call with the accounts only
    n int NOT NULL
);
CREATE TABLE lk_why_set_expect (sid int NOT NULL, a bigint NOT NULL, b bigint NOT NULL,
                                shared int NOT NULL, jaccard float8 NOT NULL, tokens text[] NOT NULL);
CREATE TABLE lk_typed (           -- tokens of other types
    id int NOT NULL,
    account int NOT NULL,         -- fits in smallint
    ip inet,
    ip_out text,                  -- Python's idea of inet's text output
    n int
);
CREATE TABLE lk_typed_q (tq int PRIMARY KEY, kind text NOT NULL, ms int NOT NULL,
                         md int NOT NULL, mj float8 NOT NULL, n int NOT NULL);
CREATE TABLE lk_typed_expect (tq int NOT NULL, a bigint NOT NULL, b bigint NOT NULL,
                              shared int NOT NULL, jaccard float8 NOT NULL);
CREATE TABLE lk_typed_hub (kind text NOT NULL, md int NOT NULL, rank int NOT NULL,
                           token text NOT NULL, degree bigint NOT NULL);
CREATE TABLE lk_typed_why (kind text NOT NULL, a bigint NOT NULL, b bigint NOT NULL,
                           md int NOT NULL, tokens text[] NOT NULL, degrees bigint[] NOT NULL,
                           hubs bool[] NOT NULL);
"""


def build_fixture(rng, seed, f):
    drawn = draw_rows(rng)
    rows = drawn["rows"]
    L = Linkage(rows)
    nat, nat_a, nat_b, nat_c = drawn["nat"], drawn["nat_a"], drawn["nat_b"], drawn["nat_c"]
    D = L.degree[nat]
    assert nat_a in L.tokens and nat_b in L.tokens
    assert L.tokens[nat_a] & L.tokens[nat_b] == {nat}
    ta, tb = len(L.tokens[nat_a]), len(L.tokens[nat_b])
    nat_jaccard = 1 / (ta + tb - 1)
    max_deg = max(L.degree.values())
    # the defaults (max_degree 1000) are checked against max_degree 1000000
    assert max_deg <= 1000, max_deg

    f.write("-- Generated by test/reference/linkage_reference.py: do not edit.\n")
    f.write("SET client_encoding = 'UTF8';\n")
    f.write(SCHEMA)
    write_copy(f, "lk_row", ["id", "account", "token"],
               [(i, a, t) for i, (a, t) in enumerate(rows, 1)])
    write_inserts(f, "lk_ring", ["ring", "shape", "account"],
                  [[str(r), sql_str(shape), sql_i(m)] for r, shape, ms in drawn["rings"] for m in ms])

    # linked pairs over the grid, plus just below and at the NAT's degree
    combos = [(ms, mj) for ms in MIN_SHARED for mj in MIN_JACCARD]
    per_md = [(md, combos) for md in MAX_DEGREE]
    per_md += [(D - 1, [(1, 0.0), (2, 0.0), (1, 0.25)]), (D, [(1, 0.0), (2, 0.0), (1, 0.25)])]
    grid, expect, gid_of = [], [], {}
    for md, cs in per_md:
        pairs = L.pairs(md)
        masks = {}
        for bit, (ms, mj) in enumerate(cs):
            n = 0
            for p, (s, j) in pairs.items():
                if s >= ms and j >= mj:
                    masks[p] = masks.get(p, 0) | (1 << bit)
                    n += 1
            gid_of[(ms, md, mj)] = len(grid) + 1
            grid.append([str(len(grid) + 1), str(ms), str(md), sql_f8(mj), str(bit), str(n)])
        for (a, b), (s, j) in sorted(pairs.items()):
            expect.append((md, a, b, s, j, masks[(a, b)]))
    write_inserts(f, "lk_grid", ["gid", "ms", "md", "mj", "bit", "n_pairs"], grid)
    write_copy(f, "lk_pair_expect", ["md", "a", "b", "shared", "jaccard", "mask"], expect)

    # components
    cgrid = [(ms, md, mj, 2) for md in MAX_DEGREE for ms in MIN_SHARED for mj in COMP_JACCARD]
    cgrid += [(1, 1000000, 0.0, 1), (1, 50, 0.0, 1), (1, 2, 0.0, 1), (2, 50, 0.0, 3),
              (1, 5, 0.0, 4), (1, 50, 0.25, 10), (1, 1000000, 0.0, 10 ** 6), (3, 1000000, 1 / 3, 1),
              (1, 1000000, 2 / 3, 2), (1, D - 1, 0.0, 1), (1, D, 0.0, 1)]
    n_grid = len(MAX_DEGREE) * len(MIN_SHARED) * len(COMP_JACCARD)
    crow, cexp = [], []
    for cid, (ms, md, mj, min_size) in enumerate(cgrid, 1):
        comp = L.components(ms, md, mj, min_size)
        crow.append([str(cid), str(ms), str(md), sql_f8(mj), str(min_size), sql_bool(cid > n_grid),
                     str(len(comp))])
        cexp += [(cid, v, c, s) for v, c, s in comp]
    write_inserts(f, "lk_comp_grid", ["cid", "ms", "md", "mj", "min_size", "extra", "n_rows"], crow)
    write_copy(f, "lk_comp_expect", ["cid", "node", "component", "size"], cexp)

    # hubs
    hub_rows, hub_md = [], []
    for md in sorted(set(MAX_DEGREE + [D - 1, D, 1000, 3, 10])):
        hs = L.hubs(md)
        hub_md.append([str(md), str(len(hs))])
        hub_rows += [(md, r, t, d) for r, (t, d) in enumerate(hs, 1)]
    write_inserts(f, "lk_hub_md", ["md", "n"], hub_md)
    write_copy(f, "lk_hub_expect", ["md", "rank", "token", "degree"], hub_rows)

    # why_linked for pairs
    accts = L.accounts
    queries = []
    linked50 = sorted(L.linked(1, 50, 0.0))
    for a, b in rng.sample(linked50, min(60, len(linked50))):
        queries.append(("linked", a, b, rng.choice(MAX_DEGREE)))
    popular = [t for t, d in L.degree.items() if d >= 3]
    holders = {}
    for a in accts:
        for t in L.tokens[a]:
            holders.setdefault(t, []).append(a)
    for _ in range(40):
        t = rng.choice(sorted(popular, key=byte_key))
        a, b = rng.sample(holders[t], 2)
        queries.append(("shares a popular token", a, b, rng.choice([1, 2, L.degree[t] - 1, L.degree[t], 50])))
    for _ in range(30):
        a, b = rng.sample(accts, 2)
        queries.append(("random", a, b, rng.choice(MAX_DEGREE)))
    for r, shape, ms in drawn["rings"]:
        a, b = rng.sample(ms, 2)
        queries.append(("ring", a, b, rng.choice(MAX_DEGREE)))
    for kind, a, b, md in rng.sample(queries, 20):
        queries.append((kind + ", reversed", b, a, md))
    for kind, a, b, md in rng.sample(queries, 20):
        queries.append((kind + ", defaults", a, b, 1000))
    queries += [("NAT pair, NAT a hub", nat_a, nat_b, D - 1), ("NAT pair, NAT no hub", nat_a, nat_b, D),
                ("NAT pair reversed, NAT a hub", nat_b, nat_a, D - 1), ("NAT only", nat_a, nat_c, 1),
                ("NAT only", nat_c, nat_b, 1000000), ("absent account", nat_a, drawn["absent"], 1000),
                ("absent account", drawn["absent"], nat_c, 1000), ("NULL-token account", drawn["ghost"], nat_a, 1000),
                ("tie tokens", drawn["tie_a"], drawn["tie_b"], 2), ("tie tokens", drawn["tie_b"], drawn["tie_a"], 3)]
    qrows, qexp = [], []
    for qid, (kind, a, b, md) in enumerate(queries, 1):
        w = L.why_pair(a, b, md)
        qrows.append([str(qid), sql_str(kind), sql_i(a), sql_i(b), str(md),
                      sql_bool(kind.endswith("defaults")), str(len(w))])
        qexp += [[str(qid), str(o), sql_str(t), str(d), sql_bool(h)] for o, (t, d, h) in enumerate(w, 1)]
    write_inserts(f, "lk_why_pair_q", ["qid", "kind", "a", "b", "md", "use_default", "n"], qrows)
    write_inserts(f, "lk_why_pair_expect", ["qid", "ord", "token", "degree", "hub"], qexp)

    # why_linked for sets
    sets = []
    for r, shape, ms in drawn["rings"]:
        sets.append(("ring %d (%s)" % (r, shape), ms, 1, 50, 0.0))
        sets.append(("ring %d (%s), random rule" % (r, shape), ms, rng.choice(MIN_SHARED),
                     rng.choice(MAX_DEGREE), rng.choice(MIN_JACCARD)))
        extra = ms + rng.sample(accts, 3) + [drawn["absent"], ms[0], ms[-1]]
        rng.shuffle(extra)
        sets.append(("ring %d (%s) + outsiders, an absent id, repeats" % (r, shape), extra, 1, 1000000, 0.0))
    sets += [("NAT accounts, NAT a hub", [nat_a, nat_b, nat_c], 1, D - 1, 0.0),
             ("NAT accounts, NAT no hub", [nat_c, nat_b, nat_a], 1, D, 0.0),
             ("40 random accounts", rng.sample(accts, 40), 1, 1000000, 0.0),
             ("40 random accounts, min_jaccard 1/3", rng.sample(accts, 40), 1, 1000000, 1 / 3),
             ("empty set", [], 1, 1000, 0.0),
             ("tie tokens", [drawn["tie_a"], drawn["tie_b"]], 1, 3, 0.0),
             ("one account", [nat_a], 1, 1000000, 0.0),
             ("ring 0, defaults", drawn["rings"][0][2] + [nat_a, nat_b], 1, 1000, 0.0)]
    srows, sexp = [], []
    for sid, (kind, ids, ms, md, mj) in enumerate(sets, 1):
        w = L.why_set(ids, ms, md, mj)
        srows.append([str(sid), sql_str(kind), sql_id_array(ids), str(ms), str(md), sql_f8(mj),
                      sql_bool(kind.endswith("defaults")), str(len(w))])
        sexp += [[str(sid), sql_i(a), sql_i(b), str(s), sql_f8(j), sql_text_array(ts)] for a, b, s, j, ts in w]
    write_inserts(f, "lk_why_set_q", ["sid", "kind", "accounts", "ms", "md", "mj", "use_default", "n"], srows)
    write_inserts(f, "lk_why_set_expect", ["sid", "a", "b", "shared", "jaccard", "tokens"], sexp)

    # inet and int4 tokens
    typed = draw_typed(rng)
    write_inserts(f, "lk_typed", ["id", "account", "ip", "ip_out", "n"],
                  [[str(i), str(a), sql_str(ip), sql_str(out), "NULL" if n is None else str(n)]
                   for i, (a, ip, out, n) in enumerate(typed, 1)])
    by_kind = {"ip": Linkage([(a, out) for a, ip, out, n in typed]),
               "n": Linkage([(a, None if n is None else str(n)) for a, ip, out, n in typed])}
    tq_rows, tq_exp, th_rows, tw_rows = [], [], [], []
    for kind, Lk in sorted(by_kind.items()):
        for ms, md, mj in [(1, 1000, 0.0), (2, 1000, 0.0), (1, 3, 0.0), (1, 5, 0.5), (2, 10, 1 / 3)]:
            tq = len(tq_rows) + 1
            lk = Lk.linked(ms, md, mj)
            tq_rows.append([str(tq), sql_str(kind), str(ms), str(md), sql_f8(mj), str(len(lk))])
            tq_exp += [[str(tq), sql_i(a), sql_i(b), str(s), sql_f8(j)] for (a, b), (s, j) in sorted(lk.items())]
        for md in (1, 3, 10):
            th_rows += [[sql_str(kind), str(md), str(r), sql_str(t), str(d)]
                        for r, (t, d) in enumerate(Lk.hubs(md), 1)]
        linked = sorted(Lk.pairs(1000))
        for a, b in rng.sample(linked, min(25, len(linked))):
            md = rng.choice([1, 3, 10, 1000])
            w = Lk.why_pair(a, b, md)
            tw_rows.append([sql_str(kind), sql_i(a), sql_i(b), str(md), sql_text_array([t for t, _, _ in w]),
                            "'{%s}'::bigint[]" % ",".join(str(d) for _, d, _ in w),
                            "'{%s}'::bool[]" % ",".join("t" if h else "f" for _, _, h in w)])
    write_inserts(f, "lk_typed_q", ["tq", "kind", "ms", "md", "mj", "n"], tq_rows)
    write_inserts(f, "lk_typed_expect", ["tq", "a", "b", "shared", "jaccard"], tq_exp)
    write_inserts(f, "lk_typed_hub", ["kind", "md", "rank", "token", "degree"], th_rows)
    write_inserts(f, "lk_typed_why", ["kind", "a", "b", "md", "tokens", "degrees", "hubs"], tw_rows)
    # every degree is <= 1000 (asserted above): the defaults (max_degree 1000)
    # must give what max_degree 1000000 gives
    write_inserts(f, "lk_meta", ["seed", "n_rows", "n_accounts", "n_tokens", "max_token_degree",
                                 "nat", "nat_degree", "nat_a", "nat_b", "nat_c", "nat_jaccard",
                                 "ghost", "absent", "default_gid", "default_cid"],
                  [[str(seed), str(len(rows)), str(len(L.accounts)), str(len(L.degree)), str(max_deg),
                    sql_str(nat), str(D), sql_i(nat_a), sql_i(nat_b), sql_i(nat_c),
                    sql_f8(nat_jaccard), sql_i(drawn["ghost"]), sql_i(drawn["absent"]),
                    str(gid_of[(1, 1000000, 0.0)]), str(cgrid.index((1, 1000000, 0.0, 2)) + 1)]])
    f.write("ANALYZE lk_row; ANALYZE lk_pair_expect; ANALYZE lk_comp_expect;\n")
    return dict(rows=len(rows), accounts=len(L.accounts), tokens=len(L.degree), nat_degree=D,
                pairs=len(expect), comp_rows=len(cexp), max_degree=max_deg)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="directory for the SQL fixture")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "linkage.sql"), "w", encoding="utf-8") as f:
        st = build_fixture(rng, args.seed, f)
    print("seed %d: %d linkage rows, %d accounts, %d tokens (max degree %d, NAT %d), "
          "%d expected pairs, %d expected component rows -> %s"
          % (args.seed, st["rows"], st["accounts"], st["tokens"], st["max_degree"], st["nat_degree"],
             st["pairs"], st["comp_rows"], args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
