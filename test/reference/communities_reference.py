#!/usr/bin/python3
"""Reference graphs and values for pg_sybil's communities and cluster_stats.

Run with Debian's interpreter, which has numpy and networkx:

    /usr/bin/python3 test/reference/communities_reference.py --seed 42 --out test/pgtap/generated

It writes communities.sql, included by test/pgtap/95_communities.sql:

    cm_graph   (gid, name, n_nodes, n_edges, nx_modularity, nx_nmi): the
               graphs: Zachary's karate club, two LFR benchmark graphs
               (250 and 1500 nodes), a planted partition of 12 000 nodes;
               nx_modularity is the best modularity of networkx's
               louvain_communities over five seeds (NULL when not run),
               nx_nmi the NMI of its partition with the planted one
    cm_edge    (gid, a, b, w): the edges, once each, weight 1 except in the
               karate club (its weights: the number of contexts)
    cm_planted (gid, node, block): the planted partition
    cs_edge    (gid, a, b, w): random weighted graphs for cluster_stats
    cs_member  (gid, node, cluster): a random clustering of each (some
               nodes in no cluster, some members without edges)
    cs_expect  (gid, cluster, size, internal_edges, internal_weight,
               cut_edges, cut_weight, volume, density, conductance) from
               networkx (density of the induced subgraph, nx.cut_size,
               nx.volume, nx.conductance; NULL where networkx divides by 0)

A generator that fails for a seed (LFR may not converge, or may loop for
ever: networkx's community assignment has no iteration cap) retries with the
next seed derived from it, giving each attempt LFR_ATTEMPT_SECONDS.
"""
import argparse
import os
import signal

import networkx as nx
import numpy as np


def nmi(x, y):
    """Normalised mutual information (arithmetic mean of the entropies)."""
    _, xi = np.unique(np.asarray(x), return_inverse=True)
    _, yi = np.unique(np.asarray(y), return_inverse=True)
    n = len(xi)
    table = np.zeros((xi.max() + 1, yi.max() + 1))
    np.add.at(table, (xi, yi), 1)
    pxy = table / n
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)
    nz = pxy > 0
    mi = (pxy[nz] * np.log(pxy[nz] / np.outer(px, py)[nz])).sum()
    hx = -(px[px > 0] * np.log(px[px > 0])).sum()
    hy = -(py[py > 0] * np.log(py[py > 0])).sum()
    return 1.0 if hx + hy == 0 else 2 * mi / (hx + hy)


LFR_ATTEMPT_SECONDS = 5


class AttemptTimedOut(Exception):
    pass


def stop_attempt(signum, frame):
    raise AttemptTimedOut()


def lfr(n, average_degree, min_community, seed):
    signal.signal(signal.SIGALRM, stop_attempt)
    for attempt in range(50):
        signal.alarm(LFR_ATTEMPT_SECONDS)
        try:
            g = nx.LFR_benchmark_graph(n, 3, 1.5, 0.1, average_degree=average_degree,
                                       min_community=min_community, seed=seed * 1000 + attempt)
        except (nx.ExceededMaxIterations, AttemptTimedOut):
            continue
        finally:
            signal.alarm(0)
        g.remove_edges_from(list(nx.selfloop_edges(g)))
        return nx.Graph(g)
    raise RuntimeError("LFR generation failed for 50 seeds")


def best_louvain(g, seed):
    return max(nx.community.modularity(g, nx.community.louvain_communities(g, weight="weight", seed=seed + k))
               for k in range(5))


def copy(f, table, columns, rows):
    f.write("COPY %s (%s) FROM stdin;\n" % (table, ", ".join(columns)))
    for row in rows:
        f.write("\t".join("\\N" if v is None else repr(v) if isinstance(v, float) else str(v)
                          for v in row) + "\n")
    f.write("\\.\n")


def community_graphs(seed):
    rng = np.random.default_rng(seed)
    graphs = []
    karate = nx.karate_club_graph()
    graphs.append(("karate", karate, None))
    graphs.append(("lfr250", lfr(250, 5, 20, seed), None))
    graphs.append(("lfr1500", lfr(1500, 10, 30, seed + 1), None))
    sizes = [int(s) for s in rng.integers(60, 180, size=110)]
    planted = nx.random_partition_graph(sizes, 12.0 / 100, 2.0 / sum(sizes), seed=int(seed))
    blocks = {v: k for k, part in enumerate(planted.graph["partition"]) for v in part}
    graphs.append(("planted", nx.Graph(planted), blocks))
    return graphs


def cluster_graphs(rng):
    out = []
    for k in range(8):
        n = int(rng.integers(20, 300))
        g = nx.gnm_random_graph(n, int(n * rng.uniform(1, 6)), seed=int(rng.integers(1 << 30)))
        for a, b in g.edges:
            g[a][b]["weight"] = float(rng.integers(1, 1000)) / 8
        clusters = int(rng.integers(1, 12))
        member = {v: int(rng.integers(-1, clusters)) * 7 - 3 for v in range(n + 5)}
        member = {v: c for v, c in member.items() if c != -10}  # cluster -1 -> none
        out.append((g, member))
    return out


def cluster_expectations(g, member):
    clusters = {}
    for v, c in member.items():
        clusters.setdefault(c, set()).add(v)
    h = g.copy()
    h.add_nodes_from(member)
    total = nx.volume(h, h.nodes, weight="weight")
    for c in sorted(clusters):
        s = clusters[c]
        sub = h.subgraph(s)
        size = len(s)
        vol = nx.volume(h, s, weight="weight")
        cut = nx.cut_size(h, s, weight="weight")
        cut_edges = nx.cut_size(h, s)
        rest = total - vol
        conductance = None if min(vol, rest) == 0 else nx.conductance(h, s, weight="weight")
        yield (c, size, sub.number_of_edges(), float(sub.size(weight="weight")), cut_edges,
               float(cut), float(vol), None if size < 2 else nx.density(sub), conductance)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    with open(os.path.join(args.out, "communities.sql"), "w") as f:
        f.write("-- Generated by test/reference/communities_reference.py --seed %d\n" % args.seed)
        f.write("CREATE TABLE cm_graph (gid int, name text, n_nodes int, n_edges int,"
                " nx_modularity float8, nx_nmi float8);\n")
        f.write("CREATE TABLE cm_edge (gid int, a bigint, b bigint, w float8);\n")
        f.write("CREATE TABLE cm_planted (gid int, node bigint, block int);\n")
        graph_rows, edge_rows, planted_rows = [], [], []
        for gid, (name, g, blocks) in enumerate(community_graphs(args.seed), start=1):
            louvain, planted_nmi = None, None
            if blocks is None:
                louvain = best_louvain(g, args.seed)
            else:
                part = nx.community.louvain_communities(g, seed=args.seed)
                label = {v: k for k, c in enumerate(part) for v in c}
                nodes = sorted(g)
                planted_nmi = nmi([label[v] for v in nodes], [blocks[v] for v in nodes])
                planted_rows += [(gid, v, blocks[v]) for v in nodes]
            graph_rows.append((gid, name, g.number_of_nodes(), g.number_of_edges(), louvain, planted_nmi))
            edge_rows += [(gid, a, b, float(d.get("weight", 1))) for a, b, d in g.edges(data=True)]
        copy(f, "cm_graph", ["gid", "name", "n_nodes", "n_edges", "nx_modularity", "nx_nmi"], graph_rows)
        copy(f, "cm_edge", ["gid", "a", "b", "w"], edge_rows)
        copy(f, "cm_planted", ["gid", "node", "block"], planted_rows)

        f.write("CREATE TABLE cs_edge (gid int, a bigint, b bigint, w float8);\n")
        f.write("CREATE TABLE cs_member (gid int, node bigint, cluster bigint);\n")
        f.write("CREATE TABLE cs_expect (gid int, cluster bigint, size bigint, internal_edges bigint,"
                " internal_weight float8, cut_edges bigint, cut_weight float8, volume float8,"
                " density float8, conductance float8);\n")
        cs_edges, cs_members, cs_expect = [], [], []
        for gid, (g, member) in enumerate(cluster_graphs(rng), start=1):
            cs_edges += [(gid, a, b, d["weight"]) for a, b, d in g.edges(data=True)]
            cs_members += [(gid, v, c) for v, c in member.items()]
            cs_expect += [(gid,) + row for row in cluster_expectations(g, member)]
        copy(f, "cs_edge", ["gid", "a", "b", "w"], cs_edges)
        copy(f, "cs_member", ["gid", "node", "cluster"], cs_members)
        copy(f, "cs_expect", ["gid", "cluster", "size", "internal_edges", "internal_weight", "cut_edges",
                              "cut_weight", "volume", "density", "conductance"], cs_expect)


if __name__ == "__main__":
    main()
