#!/usr/bin/python3
"""Reference connected components for pg_sybil's components, from networkx.

Run with Debian's interpreter, which has networkx (python3-networkx):

    /usr/bin/python3 test/reference/components_reference.py --seed 42 --out test/pgtap/generated

It draws random edge lists of many shapes -- sparse, random forests, one
giant component, many singletons, stars, a star with 100 000 leaves, long
chains, cliques, repeated and reversed edges with self-loops, lone nodes
written with a NULL end, edges with both ends NULL -- over node ids of many
kinds (serial, centred on 0, spread over all 64 bits, INT64_MIN/INT64_MAX and
their neighbours, spread over the int32 range with its ends, low 32 bits zero,
shard-prefixed), adds pgRouting's documented sample graph (and checks that
networkx finds the components pgRouting's manual documents), gives every edge
a weight (thousandths in [-0.5, 1], NULL or NaN) and every graph a min_weight
and a min_size to try, computes the components with networkx, and writes a
plain-SQL fixture that the pgTAP files 8x_components*.sql include:

    components.sql  tables cc_meta, cc_graph, cc_edge, cc_expect,
                    cc_expect_w, cc_expect_p01, cc_expect_p0w1

    cc_graph   one row per graph: its shape, id kind, counts; text_form is
               the canonical text of its partition (up to 5 000 nodes),
               shuffled_text the same partition in another order; min_size,
               min_weight and absent_node (an id that is no node) to try
    cc_edge    (gid, seq, a, b, w, part): the edges in input order; a lone
               node is the self-loop (a, a) or (a, NULL) or (NULL, a);
               (NULL, NULL) adds nothing; w the weight; part (0-3) splits
               each graph at random, for merged partial states and seeds
    cc_expect  (gid, node, component, component_size): the components of all
               the edges; component is the smallest node id of the
               component, as in pgRouting
    cc_expect_w     the same for the edges of weight >= min_weight only
                    (a NULL or NaN weight drops the edge, and its nodes
                    unless other edges have them)
    cc_expect_p01   the same for the edges of parts 0 and 1
    cc_expect_p0w1  the same for part 0 and the edges of part 1 of weight
                    >= min_weight (a seed extended with filtered edges)

The fixture creates unqualified tables: the including test sets search_path
to a schema of its own.  Nothing here reads the extension's source: the
expected rows come from networkx and the component-id rule of the issue.
"""

import argparse
import os
import random
import sys

import networkx as nx

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

ID_KINDS = ["serial", "centered", "spread", "extreme", "int32", "lowzero", "sharded"]
SHAPES = ["sparse", "forest", "giant", "singletons", "star", "chain",
          "sorted_chains", "cliques", "noisy"]

# pgRouting's sample graph (sampledata, pgRouting 3.4 and later): the
# (source, target) of edges 1-18, and the result the manual documents for
# pgr_connectedComponents on it, as (component, node).
PGROUTING_EDGES = [(5, 6), (6, 10), (10, 15), (6, 7), (10, 11), (1, 3),
                   (3, 7), (7, 11), (11, 16), (7, 8), (11, 12), (8, 12),
                   (12, 17), (8, 9), (16, 17), (15, 16), (2, 4), (13, 14)]
PGROUTING_DOCUMENTED = ([(1, v) for v in (1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17)]
                        + [(2, 2), (2, 4), (13, 13), (13, 14)])


def to_int64(u):
    """The int64 with the two's complement bits of u (mod 2^64)."""
    u &= (1 << 64) - 1
    return u - (1 << 64) if u >= (1 << 63) else u


def id_maker(kind, nv, rng):
    """A function from vertex number (0..nv-1) to distinct int64 ids."""
    salt = rng.getrandbits(64)

    def spread(v):
        # an invertible mix of v: distinct ids all over the 64 bits
        x = (v + salt) & ((1 << 64) - 1)
        x = (x * 0x9E3779B97F4A7C15) & ((1 << 64) - 1)
        x ^= x >> 29
        x = (x * 0xBF58476D1CE4E5B9) & ((1 << 64) - 1)
        x ^= x >> 32
        return to_int64(x)

    extremes = [INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1, 0, -1, 1, INT64_MIN + 2]
    extremes32 = [-(1 << 31), (1 << 31) - 1, -(1 << 31) + 1, (1 << 31) - 2, 0, -1, 1]
    if kind == "serial":
        return lambda v: v + 1
    if kind == "centered":
        return lambda v: v - nv // 2
    if kind == "spread":
        return spread
    if kind == "extreme":
        taken = set(extremes)
        def extreme(v):
            if v < len(extremes):
                return extremes[v]
            x = spread(v)
            return x if x not in taken else spread(v + (1 << 40))
        return extreme
    if kind == "int32":
        # all over the int32 range (integer columns), its ends included
        taken32 = set(extremes32)
        def int32(v):
            if v < len(extremes32):
                return extremes32[v]
            x = ((v * 2654435761 + salt) & 0xFFFFFFFF) - (1 << 31)  # a bijection mod 2^32
            return x if x not in taken32 else ((v * 2654435761 + salt + 7919) & 0xFFFFFFFF) - (1 << 31)
        return int32
    if kind == "lowzero":
        return lambda v: v << 32
    return lambda v: ((v % 16) << 48) | v


def make_edges(shape, nv, ident, rng):
    """The edge list of one graph, in input order; (a, a) is a lone node."""
    e = []
    if shape == "sparse":
        e = [(ident(rng.randrange(nv)), ident(rng.randrange(nv))) for _ in range(nv // 2 + 1)]
    elif shape == "forest":
        for v in range(nv):
            if v > 0 and rng.random() < 0.8:
                e.append((ident(v), ident(rng.randrange(v))))
            else:
                e.append((ident(v), ident(v)))
    elif shape == "giant":
        e = [(ident(rng.randrange(nv)), ident(rng.randrange(nv))) for _ in range(2 * nv)]
    elif shape == "singletons":
        e = [(ident(v), ident(v)) for v in range(nv)]
        e += [(ident(rng.randrange(nv)), ident(rng.randrange(nv))) for _ in range(nv // 50)]
    elif shape == "star":
        e = [(ident(0), ident(v)) for v in range(1, nv)] or [(ident(0), ident(0))]
    elif shape == "chain":
        perm = list(range(nv))
        rng.shuffle(perm)
        e = [(ident(perm[i - 1]), ident(perm[i])) for i in range(1, nv)]
        e.append((ident(perm[0]), ident(perm[0])))
    elif shape == "sorted_chains":
        e = [(ident(0), ident(0))]
        for v in range(1, nv):
            if v % 1000:
                e.append((ident(nv - v), ident(nv - v - 1)))
            else:
                e.append((ident(nv - v - 1), ident(nv - v - 1)))
        return e  # in this order on purpose
    elif shape == "cliques":
        v = 0
        while v < nv:
            k = min(1 + rng.randrange(6), nv - v)
            e.append((ident(v), ident(v)))
            e += [(ident(x), ident(y)) for x in range(v, v + k) for y in range(x + 1, v + k)]
            v += k
    else:  # noisy: repeats, reversals, self-loops
        for _ in range(nv // 2 + 1):
            a, b = ident(rng.randrange(nv)), ident(rng.randrange(nv))
            e.append((a, b))
            if rng.random() < 0.5:
                e.append((b, a))
            if rng.random() < 0.33:
                e.append((a, b))
            if rng.random() < 0.25:
                e.append((a, a))
            if rng.random() < 0.125:
                e.append((b, b))
    rng.shuffle(e)
    return e


def components(edges):
    """Rows (node, component, size), component = smallest id, in order.

    The rule of the issue: an edge (a, b) joins a and b; a self-loop (a, a)
    or an edge with one NULL end adds the other end as a node; an edge with
    both ends NULL adds nothing."""
    g = nx.Graph()
    for a, b in edges:
        if a is None and b is None:
            continue
        if a is None or b is None:
            g.add_node(b if a is None else a)
        else:
            g.add_edge(a, b)  # a self-loop adds its node
    rows = []
    for comp in nx.connected_components(g):
        m = min(comp)
        rows += [(v, m, len(comp)) for v in comp]
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def text_form(rows):
    """The canonical text of the state: {{1,2,3},{5,7}}."""
    groups = []
    for node, comp, _ in rows:
        if node == comp:
            groups.append([])
        groups[-1].append(str(node))
    return "{" + ",".join("{" + ",".join(g) + "}" for g in groups) + "}"


def shuffled_text(rows, rng):
    """The same partition written in another order: components and nodes
    shuffled, blanks around the tokens, '+' on some non-negative ids."""
    groups = {}
    for node, comp, _ in rows:
        groups.setdefault(comp, []).append(node)
    comps = list(groups.values())
    rng.shuffle(comps)

    def blank():
        return " " * rng.choice((0, 0, 0, 1, 2))

    def num(v):
        return ("+" if v >= 0 and rng.random() < 0.1 else "") + str(v)

    parts = []
    for nodes in comps:
        rng.shuffle(nodes)
        parts.append(blank() + "{" + ",".join(blank() + num(v) + blank() for v in nodes) + "}" + blank())
    return blank() + "{" + ",".join(parts) + "}" + blank()


def add_null_ends(edges, rng):
    """Lone nodes written with a NULL end instead of a self-loop, and a few
    rows with both ends NULL (which add nothing)."""
    out = []
    for a, b in edges:
        if a == b and rng.random() < 0.7:
            out.append((a, None) if rng.random() < 0.5 else (None, a))
        else:
            out.append((a, b))
    for _ in range(1 + len(out) // 100):
        out.insert(rng.randrange(len(out) + 1), (None, None))
    return out


def build_graphs(rng):
    """(shape, id kind, edges) of every graph; an edge end may be None."""
    graphs = []
    for shape in SHAPES:
        for kind in ID_KINDS:
            for nv in (1, 2, 17, rng.randrange(50, 400), rng.randrange(1000, 3000)):
                if nv < 17 and kind not in ("extreme", "int32"):
                    continue
                graphs.append((shape, kind, make_edges(shape, nv, id_maker(kind, nv, rng), rng)))
    for i, (shape, kind, edges) in enumerate(graphs):
        if rng.random() < 0.35:
            graphs[i] = (shape, kind, add_null_ends(edges, rng))
    graphs.append(("only_nulls", "serial", [(None, None)] * 3))
    graphs.append(("star_100k", "spread", make_edges("star", 100001, id_maker("spread", 100001, rng), rng)))
    graphs.append(("chain_50k", "centered", make_edges("chain", 50000, id_maker("centered", 50000, rng), rng)))
    graphs.append(("pgrouting_sample", "serial", list(PGROUTING_EDGES)))
    return graphs


def copy_block(f, table, columns, rows):
    f.write("COPY %s (%s) FROM stdin;\n" % (table, ", ".join(columns)))
    for r in rows:
        f.write("\t".join("\\N" if x is None else str(x) for x in r))
        f.write("\n")
    f.write("\\.\n")


def draw_weight(rng):
    """An edge weight in thousandths (-500..1000), or None (NULL) or 'NaN'."""
    r = rng.random()
    if r < 0.04:
        return None
    if r < 0.07:
        return "NaN"
    return rng.randrange(-500, 1001)


def thousandths(k):
    """The exact decimal text of k / 1000."""
    return "%s%d.%03d" % ("-" if k < 0 else "", abs(k) // 1000, abs(k) % 1000)


def kept(w, t):
    """Whether an edge of weight w (thousandths, None, 'NaN') passes
    min_weight t (thousandths): NULL and NaN never do."""
    return w is not None and w != "NaN" and w >= t


def absent_node(rows, rng):
    """An int64 that is not a node of the graph."""
    nodes = {v for v, _, _ in rows}
    cands = []
    if nodes:
        cands += [max(nodes) + 1, min(nodes) - 1, rng.choice(sorted(nodes)) + 1]
    cands += [to_int64(rng.getrandbits(64)) for _ in range(20)]
    for c in cands:
        if INT64_MIN <= c <= INT64_MAX and c not in nodes and rng.random() < 0.6:
            return c
    return next(c for c in cands if INT64_MIN <= c <= INT64_MAX and c not in nodes)


def write_fixture(path, graphs, rng, seed):
    graph_rows, edge_rows = [], []
    expect_rows, w_rows, p01_rows, p0w1_rows = [], [], [], []
    for gid, (shape, kind, edges) in enumerate(graphs, 1):
        rows = components(edges)
        if shape == "pgrouting_sample":
            got = [(c, v) for v, c, _ in rows]
            if got != PGROUTING_DOCUMENTED:
                sys.exit("networkx disagrees with pgRouting's documented components")
        parts = [rng.randrange(4) for _ in edges]
        weights = [draw_weight(rng) for _ in edges]
        t = rng.randrange(-500, 1001) if rng.random() < 0.9 else rng.choice((-500, 0, 1000, 1001))
        ncomp = sum(1 for v, c, _ in rows if v == c)
        text = text_form(rows) if 0 < len(rows) <= 5000 else None
        shuffled = shuffled_text(rows, rng) if text is not None else None
        sizes = sorted({s for _, _, s in rows}) or [1]
        min_size = rng.choice(sizes) + rng.choice((0, 0, 1))
        if rng.random() < 0.1:
            min_size = max(sizes) + 1
        rows_w = components([e for e, w in zip(edges, weights) if kept(w, t)])
        rows_p01 = components([e for e, p in zip(edges, parts) if p <= 1])
        rows_p0w1 = components([e for e, p, w in zip(edges, parts, weights)
                                if p == 0 or (p == 1 and kept(w, t))])
        graph_rows.append((gid, shape, kind, "t" if any(a is None or b is None for a, b in edges) else "f",
                           len(edges), len(rows), ncomp, text, shuffled, min_size,
                           absent_node(rows, rng), thousandths(t)))
        edge_rows += [(gid, i, a, b, w if w in (None, "NaN") else thousandths(w), p)
                      for i, ((a, b), w, p) in enumerate(zip(edges, weights, parts), 1)]
        expect_rows += [(gid, v, c, s) for v, c, s in rows]
        w_rows += [(gid, v, c, s) for v, c, s in rows_w]
        p01_rows += [(gid, v, c, s) for v, c, s in rows_p01]
        p0w1_rows += [(gid, v, c, s) for v, c, s in rows_p0w1]
    with open(path, "w") as f:
        f.write("-- Generated by test/reference/components_reference.py --seed %d\n" % seed)
        f.write("""CREATE TABLE cc_meta (seed bigint NOT NULL);
INSERT INTO cc_meta VALUES (%d);
CREATE TABLE cc_graph (
    gid int PRIMARY KEY,
    shape text NOT NULL,
    id_kind text NOT NULL,
    null_ends bool NOT NULL,    -- some edges have a NULL end (or both)
    n_edges int NOT NULL,
    n_nodes int NOT NULL,
    n_components int NOT NULL,
    text_form text,             -- canonical text of the state; NULL past 5000 nodes or for none
    shuffled_text text,         -- the same partition in another order, with blanks and '+'
    min_size bigint NOT NULL,   -- a min_size to try (often a component size there is)
    absent_node bigint NOT NULL,-- an id that is not a node of the graph
    min_weight numeric NOT NULL -- a min_weight to try (cc_expect_w, cc_expect_p0w1)
);
CREATE TABLE cc_edge (
    gid int NOT NULL,
    seq int NOT NULL,           -- input order
    a bigint,
    b bigint,                   -- a = b, or one end NULL: a node alone; both NULL: nothing
    w numeric,                  -- weight: thousandths in [-0.5, 1], NULL or NaN
    part int NOT NULL           -- a random split in 4, for merged partial states
);
CREATE TABLE cc_expect (        -- the components of all the edges
    gid int NOT NULL,
    node bigint NOT NULL,
    component bigint NOT NULL,  -- smallest node id of the component
    component_size bigint NOT NULL
);
CREATE TABLE cc_expect_w (LIKE cc_expect);     -- edges with w >= min_weight only
CREATE TABLE cc_expect_p01 (LIKE cc_expect);   -- edges of parts 0 and 1
CREATE TABLE cc_expect_p0w1 (LIKE cc_expect);  -- part 0, and part 1 with w >= min_weight
""" % seed)
        copy_block(f, "cc_graph", ["gid", "shape", "id_kind", "null_ends", "n_edges", "n_nodes",
                                   "n_components", "text_form", "shuffled_text", "min_size",
                                   "absent_node", "min_weight"], graph_rows)
        copy_block(f, "cc_edge", ["gid", "seq", "a", "b", "w", "part"], edge_rows)
        for table, rows in (("cc_expect", expect_rows), ("cc_expect_w", w_rows),
                            ("cc_expect_p01", p01_rows), ("cc_expect_p0w1", p0w1_rows)):
            copy_block(f, table, ["gid", "node", "component", "component_size"], rows)
        f.write("ANALYZE cc_graph;\nANALYZE cc_edge;\nANALYZE cc_expect;\nANALYZE cc_expect_w;\n"
                "ANALYZE cc_expect_p01;\nANALYZE cc_expect_p0w1;\n")
    return len(graph_rows), len(edge_rows), len(expect_rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="directory for the SQL fixture")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    graphs = build_graphs(rng)
    ng, ne, nx_rows = write_fixture(os.path.join(args.out, "components.sql"), graphs, rng, args.seed)
    print("seed %d: %d graphs, %d edges, %d expected rows -> %s"
          % (args.seed, ng, ne, nx_rows, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
