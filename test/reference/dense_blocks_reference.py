#!/usr/bin/python3
"""Reference results for sybil.dense_blocks (FRAUDAR's greedy peeling).

    /usr/bin/python3 test/reference/dense_blocks_reference.py --seed 42 --out test/pgtap/generated

Writes dense_blocks.sql, which test/pgtap/96_dense_blocks.sql includes:

  * db_row / db_expect: small random bipartite graphs (skewed item
    popularity, planted small blocks, repeated rows, ids over the bigint
    range, items that are prefixes of each other) and, for both weightings
    and up to three blocks, the blocks that greedy peeling finds, computed
    here by a plain re-implementation of the paper's algorithm (a heapq
    with lazy deletion, O(E log V)).  As in the issue: an edge to item j
    weighs 1/log(d_j + 5) ('log') or 1 ('none'), d_j being j's degree among
    the edges left; the density of a set S is the weight of its edges over
    |S|; a block's edges are removed before the next block is sought.
    Peeling compares weights in fixed point (rounded to 2^-30) and breaks
    ties by accounts before items, accounts by id, items by bytes, keeping
    the largest of equally dense sets, which is the rule the extension
    documents; the density written is recomputed from the block's edges
    with the unrounded weights.
  * db_background / db_planted / db_truth: a sparse background of 100 000
    accounts over 20 000 items of Zipf-like popularity, and planted blocks
    of 200 accounts x 50 items in which each account uses 60-80% of the
    items, with and without camouflage edges to popular items, a full
    biclique, and two blocks at once.  The truth is the planted accounts
    and items; nothing here calls the extension.
"""

import argparse
import heapq
import math
import os
import random
from collections import defaultdict

import numpy as np

WEIGHT_BITS = 30
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def sql_array(values, kind):
    if kind == "text":
        inner = ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
        return sql_str("{" + inner + "}") + "::text[]"
    return "'{" + ",".join(str(v) for v in values) + "}'::bigint[]"


def weight(weighting, degree):
    return 1.0 if weighting == "none" else 1.0 / math.log(degree + 5.0)


def fixed_weight(weighting, degree):
    if weighting == "none":
        return 1
    return round(math.ldexp(weight(weighting, degree), WEIGHT_BITS))


def peel_once(edges, weighting):
    """The densest set greedy peeling finds among edges {(account, item)}."""
    account_items = defaultdict(list)
    item_accounts = defaultdict(list)
    for a, i in edges:
        account_items[a].append(i)
        item_accounts[i].append(a)
    w = {i: fixed_weight(weighting, len(accs)) for i, accs in item_accounts.items()}
    priority = {}
    for a, items in account_items.items():
        priority[(0, a)] = sum(w[i] for i in items)
    for i, accs in item_accounts.items():
        priority[(1, i.encode())] = len(accs) * w[i]
    heap = [(p, node) for node, p in priority.items()]
    heapq.heapify(heap)
    f = sum(priority[(1, i.encode())] for i in item_accounts)
    left = len(priority)
    best_f, best_left, best_removed = f, left, 0
    removed = set()
    order = []
    while heap:
        p, node = heapq.heappop(heap)
        if node in removed or p != priority[node]:
            continue  # a stale entry: the node was removed or lost edges since
        removed.add(node)
        order.append(node)
        f -= p
        left -= 1
        kind, key = node
        if kind == 0:
            neighbours = [((1, i.encode()), w[i]) for i in account_items[key]]
        else:
            item = key.decode()
            neighbours = [((0, a), w[item]) for a in item_accounts[item]]
        for other, wt in neighbours:
            if other not in removed:
                priority[other] -= wt
                heapq.heappush(heap, (priority[other], other))
        if left > 0 and f * best_left > best_f * left:
            best_f, best_left, best_removed = f, left, len(order)
    block = order[best_removed:]
    accounts = sorted(key for kind, key in block if kind == 0)
    items = sorted((key for kind, key in block if kind == 1))
    return accounts, [i.decode() for i in items]


def blocks_of(edges, weighting, count):
    """Every block, its edges removed before the next, with its figures."""
    left = set(edges)
    out = []
    for number in range(1, count + 1):
        if not left:
            break
        accounts, items = peel_once(left, weighting)
        degree = defaultdict(int)
        for _, i in left:
            degree[i] += 1
        acc_set, item_set = set(accounts), set(items)
        inside = [(a, i) for a, i in left if a in acc_set and i in item_set]
        mass = sum(weight(weighting, degree[i]) for _, i in inside)
        out.append(dict(block=number, accounts=accounts, items=items, edges=len(inside),
                        density=mass / (len(accounts) + len(items))))
        left -= set(inside)
    return out


def small_graph(rng):
    n_accounts = rng.randint(3, 60)
    n_items = rng.randint(2, 30)
    ids = rng.sample(range(-1000, 1000), n_accounts)
    if rng.random() < 0.3:
        ids[0] = INT64_MIN
        ids[-1] = INT64_MAX
    stems = ["ip:10.0.0.", "dev:", "tpl:", "", "a", "ab", "é"]
    items = sorted({rng.choice(stems) + str(rng.randint(0, 3 * n_items)) for _ in range(n_items)})
    popularity = [1.0 / (k + 1) for k in range(len(items))]
    rows = []
    for a in ids:
        for _ in range(rng.randint(1, 4)):
            rows.append((a, rng.choices(items, popularity)[0]))
    # a small planted block, sometimes two
    for _ in range(rng.randint(0, 2)):
        members = rng.sample(ids, min(len(ids), rng.randint(2, 12)))
        block_items = rng.sample(items, min(len(items), rng.randint(2, 8)))
        fill = rng.uniform(0.5, 1.0)
        rows += [(a, i) for a in members for i in block_items if rng.random() < fill]
    rows += rng.sample(rows, len(rows) // 10)  # repeated rows count once
    rng.shuffle(rows)
    return rows


def zipf_items(np_rng, n_items, size):
    weights = 1.0 / (np.arange(n_items) + 10.0)
    return np_rng.choice(n_items, size=size, p=weights / weights.sum())


def planted(np_rng, accounts, items, fill_low, fill_high):
    """Each account uses a random 60-80% (or fill_low..fill_high) of the items."""
    rows = []
    for a in accounts:
        k = int(np_rng.integers(round(fill_low * len(items)), round(fill_high * len(items)) + 1))
        for i in np_rng.choice(items, size=k, replace=False):
            rows.append((int(a), int(i)))
    return rows


def write_copy(out, table, rows):
    out.write("COPY %s FROM stdin;\n" % table)
    for row in rows:
        out.write("\t".join(str(v) for v in row) + "\n")
    out.write("\\.\n")


def write_planted(out, seed):
    np_rng = np.random.default_rng(seed)
    n_background, n_items = 100_000, 20_000
    per_account = np_rng.integers(1, 6, size=n_background)
    background_accounts = np.repeat(np.arange(1, n_background + 1), per_account)
    background = list(zip(background_accounts.tolist(),
                          zipf_items(np_rng, n_items, len(background_accounts)).tolist()))
    # planted accounts are new ids, with ordinary activity of their own
    mid_items = np.arange(1000, n_items)
    block_items = np_rng.choice(mid_items, size=100, replace=False)
    first_items, second_items = block_items[:50], block_items[50:80]
    first_accounts = np.arange(1_000_001, 1_000_201)
    second_accounts = np.arange(2_000_001, 2_000_121)
    ordinary = []
    for a in np.concatenate([first_accounts, second_accounts]):
        ordinary += [(int(a), int(i)) for i in zipf_items(np_rng, n_items, int(np_rng.integers(1, 4)))]
    realistic = planted(np_rng, first_accounts, first_items, 0.6, 0.8)
    # camouflage: 10 to 30 edges each to the 200 most popular items
    camouflage = []
    for a in first_accounts:
        for i in np_rng.choice(200, size=int(np_rng.integers(10, 31)), replace=False):
            camouflage.append((int(a), int(i)))
    biclique = [(int(a), int(i)) for a in first_accounts for i in first_items]
    second = planted(np_rng, second_accounts, second_items, 0.7, 0.9)
    scenarios = {
        "realistic": ordinary + realistic,
        "camouflage": ordinary + realistic + camouflage,
        "biclique": ordinary + biclique,
        "two": ordinary + realistic + second,
    }
    out.write("CREATE TABLE db_background (account bigint NOT NULL, item text NOT NULL);\n")
    write_copy(out, "db_background", [(a, "item-%d" % i) for a, i in background])
    out.write("CREATE TABLE db_planted (scenario text NOT NULL, account bigint NOT NULL, "
              "item text NOT NULL);\n")
    write_copy(out, "db_planted", [(s, a, "item-%d" % i) for s, rows in scenarios.items()
                                   for a, i in rows])
    out.write("CREATE TABLE db_truth (scenario text NOT NULL, block int NOT NULL, "
              "accounts bigint[] NOT NULL, items text[] NOT NULL);\n")
    first = (sorted(first_accounts.tolist()), sorted("item-%d" % i for i in first_items))
    truth = [("realistic", 1, first), ("camouflage", 1, first), ("biclique", 1, first),
             ("two", 1, first),
             ("two", 2, (sorted(second_accounts.tolist()), sorted("item-%d" % i for i in second_items)))]
    for scenario, block, (accounts, items) in truth:
        out.write("INSERT INTO db_truth VALUES (%s, %d, %s, %s);\n"
                  % (sql_str(scenario), block, sql_array(accounts, "bigint"), sql_array(items, "text")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "dense_blocks.sql"), "w", encoding="utf-8") as out:
        out.write("-- Generated by test/reference/dense_blocks_reference.py: do not edit.\n")
        out.write("SET client_encoding = 'UTF8';\n")
        out.write("CREATE TABLE db_row (gid int NOT NULL, account bigint NOT NULL, item text NOT NULL);\n")
        out.write("CREATE TABLE db_expect (gid int NOT NULL, weighting text NOT NULL, block int NOT NULL,\n"
                  "    accounts bigint[] NOT NULL, items text[] NOT NULL, edges bigint NOT NULL,\n"
                  "    density float8 NOT NULL);\n")
        graphs = 80
        out.write("CREATE TABLE db_meta (seed bigint, graphs int);\n")
        out.write("INSERT INTO db_meta VALUES (%d, %d);\n" % (args.seed, graphs))
        for gid in range(1, graphs + 1):
            rows = small_graph(rng)
            out.write("INSERT INTO db_row VALUES\n" + ",\n".join(
                "(%d, %d, %s)" % (gid, a, sql_str(i)) for a, i in rows) + ";\n")
            edges = set(rows)
            for weighting in ("log", "none"):
                for b in blocks_of(edges, weighting, 3):
                    out.write("INSERT INTO db_expect VALUES (%d, %s, %d, %s, %s, %d, %r);\n" % (
                        gid, sql_str(weighting), b["block"], sql_array(b["accounts"], "bigint"),
                        sql_array(b["items"], "text"), b["edges"], b["density"]))
        write_planted(out, args.seed)


if __name__ == "__main__":
    main()
