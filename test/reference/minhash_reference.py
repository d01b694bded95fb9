#!/usr/bin/python3
"""Reference data for pg_sybil's MinHash signatures and LSH similar pairs.

    /usr/bin/python3 test/reference/minhash_reference.py --seed 42 --out test/pgtap/generated

Writes minhash.sql, included by test/pgtap/92_minhash.sql, with tables (the
including test sets search_path to a schema of its own):

  mh_pair(pair_id, exact)         set pairs with their exact Jaccard similarity,
  mh_item(pair_id, side, item)    spread over the whole 0..1 range: sizes 1 to
                                  600, identical, disjoint and one-in-the-other
                                  pairs among them; items are bigints;
  mh_text_item(pair_id, side, item)  the same for text items (IPv4 and IPv6
                                  addresses, user agents), exact J in mh_text_pair;
  lsh_item(id, item)              20,000 sets: background sets whose items come
                                  from a big universe and a pool of popular items,
                                  and planted groups of near-duplicates of a base
                                  set (each member keeps a random share of it);
  lsh_truth(a, b, exact)          every pair (a < b) of lsh_item's sets with exact
                                  Jaccard >= 0.3, computed over ALL pairs (an
                                  inverted index finds every pair sharing an item).

Expected values come from Python's sets only, never from the extension.
"""

import argparse
import itertools
import os
import random
from collections import defaultdict


def write_copy(f, table, columns, rows):
    f.write("COPY %s (%s) FROM stdin;\n" % (table, ", ".join(columns)))
    for r in rows:
        f.write("\t".join(repr(x) if isinstance(x, float) else str(x) for x in r) + "\n")
    f.write("\\.\n")


def jaccard(a, b):
    return len(a & b) / len(a | b)


def set_pair(rng, new_item):
    """Two sets with a random overlap; the kinds cover the whole 0..1 range."""
    kind = rng.random()
    size = rng.choice([1, 2, 3, 5, 10, 40, 100, 250, 600])
    base = {new_item() for _ in range(size)}
    if kind < 0.05:
        return base, set(base)                       # identical
    if kind < 0.10:
        return base, {new_item() for _ in range(rng.randint(1, 600))}    # disjoint
    if kind < 0.15:
        part = set(rng.sample(sorted(base), rng.randint(1, len(base))))
        return base, part                            # one inside the other
    keep = rng.random()
    a = set(base)
    b = {x for x in base if rng.random() < keep}
    b |= {new_item() for _ in range(rng.randint(0 if b else 1, size))}
    return a, b


def pairs_table(rng, n, new_item):
    pairs, items = [], []
    for pair_id in range(n):
        a, b = set_pair(rng, new_item)
        pairs.append((pair_id, jaccard(a, b)))
        for side, s in (("a", a), ("b", b)):
            items.extend((pair_id, side, x) for x in s)
    rng.shuffle(items)                               # row order must not matter
    return pairs, items


def text_item(rng):
    r = rng.random()
    if r < 0.4:
        return "%d.%d.%d.%d" % tuple(rng.randrange(256) for _ in range(4))
    if r < 0.7:
        return "2001:db8:%x::%x" % (rng.randrange(65536), rng.randrange(65536))
    return "Mozilla/5.0 (build %d) client-%x" % (rng.randrange(10 ** 6), rng.getrandbits(40))


def lsh_sets(rng, n_sets):
    """Background sets and planted groups of near-duplicates, by id."""
    universe = lambda: rng.getrandbits(62)
    popular = [universe() for _ in range(20000)]
    sets = {}
    next_id = 1
    while next_id <= n_sets * 7 // 10:
        size = rng.randint(5, 80)
        sets[next_id] = {rng.choice(popular) if rng.random() < 0.15 else universe()
                         for _ in range(size)}
        next_id += 1
    while next_id <= n_sets:
        base = [universe() for _ in range(rng.randint(8, 120))]
        for _ in range(rng.randint(2, 12)):
            if next_id > n_sets:
                break
            keep = rng.uniform(0.45, 1.0)
            s = {x for x in base if rng.random() < keep}
            s |= {universe() for _ in range(rng.randint(0, len(base) // 5))}
            sets[next_id] = s or {base[0]}
            next_id += 1
    return sets


def all_similar_pairs(sets, floor):
    """Every pair with exact Jaccard >= floor: pairs that share no item have 0."""
    by_item = defaultdict(list)
    for i, s in sets.items():
        for x in s:
            by_item[x].append(i)
    candidates = set()
    for ids in by_item.values():
        candidates.update(itertools.combinations(sorted(ids), 2))
    out = []
    for a, b in candidates:
        j = jaccard(sets[a], sets[b])
        if j >= floor:
            out.append((a, b, j))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    pairs, items = pairs_table(rng, 2500, lambda: rng.getrandbits(63) - 2 ** 62)
    text_pairs, text_items = pairs_table(rng, 400, lambda: text_item(rng))
    sets = lsh_sets(rng, 20000)
    truth = all_similar_pairs(sets, 0.3)
    lsh_rows = [(i, x) for i, s in sets.items() for x in s]
    rng.shuffle(lsh_rows)

    with open(os.path.join(args.out, "minhash.sql"), "w", encoding="utf-8") as f:
        f.write("CREATE TABLE mh_pair (pair_id int PRIMARY KEY, exact float8);\n")
        f.write("CREATE TABLE mh_item (pair_id int, side text, item bigint);\n")
        f.write("CREATE TABLE mh_text_pair (pair_id int PRIMARY KEY, exact float8);\n")
        f.write("CREATE TABLE mh_text_item (pair_id int, side text, item text);\n")
        f.write("CREATE TABLE lsh_item (id bigint, item bigint);\n")
        f.write("CREATE TABLE lsh_truth (a bigint, b bigint, exact float8, PRIMARY KEY (a, b));\n")
        write_copy(f, "mh_pair", ["pair_id", "exact"], pairs)
        write_copy(f, "mh_item", ["pair_id", "side", "item"], items)
        write_copy(f, "mh_text_pair", ["pair_id", "exact"], text_pairs)
        write_copy(f, "mh_text_item", ["pair_id", "side", "item"], text_items)
        write_copy(f, "lsh_item", ["id", "item"], lsh_rows)
        write_copy(f, "lsh_truth", ["a", "b", "exact"], truth)
        f.write("ANALYZE mh_item; ANALYZE mh_text_item; ANALYZE lsh_item;\n")
    print("minhash.sql: %d pairs, %d text pairs, %d LSH sets, %d similar pairs >= 0.3 "
          "(%d >= 0.6, %d >= 0.9)" % (len(pairs), len(text_pairs), len(sets), len(truth),
                                      sum(j >= 0.6 for _, _, j in truth),
                                      sum(j >= 0.9 for _, _, j in truth)))


if __name__ == "__main__":
    main()
