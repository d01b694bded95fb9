#!/usr/bin/python3
"""Reference connected components for pg_sybil's components, from networkx.

Run with Debian's interpreter, which has networkx (python3-networkx):

    /usr/bin/python3 test/reference/components_reference.py --seed 42 --out test/pgtap/generated

It draws random edge lists of many shapes -- sparse, random forests, one
giant component, many singletons, a star with 100 000 leaves, long chains,
cliques, repeated and reversed edges with self-loops -- over node ids of many
kinds (serial, centred on 0, spread over all 64 bits, INT64_MIN/INT64_MAX and
their neighbours, low 32 bits zero, shard-prefixed), adds pgRouting's
documented sample graph, computes the components with networkx, and writes a
plain-SQL fixture that a pgTAP file can include:

    components.sql  tables cc_meta, cc_graph, cc_edge, cc_expect

    cc_graph   one row per graph: its shape, id kind, and counts; text_form
               is the expected canonical text of the state (small graphs)
    cc_edge    (gid, seq, a, b, part): the edges in input order; an isolated
               node is the self-loop (a, a); part (0-3) splits each graph at
               random, for checking merged partial states
    cc_expect  (gid, node, component, component_size): component is the
               smallest node id of the component, as in pgRouting

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

ID_KINDS = ["serial", "centered", "spread", "extreme", "lowzero", "sharded"]
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
    """Rows (node, component, size), component = smallest id, in order."""
    g = nx.Graph()
    g.add_edges_from(edges)  # a self-loop adds its node
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


def build_graphs(rng):
    graphs = []
    for shape in SHAPES:
        for kind in ID_KINDS:
            for nv in (1, 2, 17, rng.randrange(50, 400), rng.randrange(1000, 3000)):
                if nv < 17 and kind != "extreme":
                    continue
                graphs.append((shape, kind, make_edges(shape, nv, id_maker(kind, nv, rng), rng)))
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


def write_fixture(path, graphs, rng, seed):
    graph_rows, edge_rows, expect_rows = [], [], []
    for gid, (shape, kind, edges) in enumerate(graphs, 1):
        rows = components(edges)
        if shape == "pgrouting_sample":
            got = [(c, v) for v, c, _ in rows]
            if got != PGROUTING_DOCUMENTED:
                sys.exit("networkx disagrees with pgRouting's documented components")
        ncomp = sum(1 for v, c, _ in rows if v == c)
        text = text_form(rows) if len(rows) <= 5000 else None
        graph_rows.append((gid, shape, kind, len(edges), len(rows), ncomp,
                           text if text is not None else None))
        edge_rows += [(gid, i, a, b, rng.randrange(4)) for i, (a, b) in enumerate(edges, 1)]
        expect_rows += [(gid, v, c, s) for v, c, s in rows]
    with open(path, "w") as f:
        f.write("-- Generated by test/reference/components_reference.py --seed %d\n" % seed)
        f.write("""CREATE TABLE cc_meta (seed bigint NOT NULL);
INSERT INTO cc_meta VALUES (%d);
CREATE TABLE cc_graph (
    gid int PRIMARY KEY,
    shape text NOT NULL,
    id_kind text NOT NULL,
    n_edges int NOT NULL,
    n_nodes int NOT NULL,
    n_components int NOT NULL,
    text_form text              -- canonical text of the state; NULL past 5000 nodes
);
CREATE TABLE cc_edge (
    gid int NOT NULL,
    seq int NOT NULL,           -- input order
    a bigint NOT NULL,
    b bigint NOT NULL,          -- a = b: a node alone
    part int NOT NULL           -- a random split in 4, for merged partial states
);
CREATE TABLE cc_expect (
    gid int NOT NULL,
    node bigint NOT NULL,
    component bigint NOT NULL,  -- smallest node id of the component
    component_size bigint NOT NULL
);
""" % seed)
        copy_block(f, "cc_graph", ["gid", "shape", "id_kind", "n_edges", "n_nodes",
                                   "n_components", "text_form"], graph_rows)
        copy_block(f, "cc_edge", ["gid", "seq", "a", "b", "part"], edge_rows)
        copy_block(f, "cc_expect", ["gid", "node", "component", "component_size"], expect_rows)
        f.write("ANALYZE cc_graph;\nANALYZE cc_edge;\nANALYZE cc_expect;\n")
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
