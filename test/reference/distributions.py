#!/usr/bin/python3
"""Reference values for pg_sybil's topic-distribution functions, from scipy.

Run with Debian's interpreter, which has numpy and scipy:

    /usr/bin/python3 test/reference/distributions.py --seed 42 --out test/pgtap/generated

It draws random histograms (one label, uniform, very skewed, Dirichlet,
lognormal weights, hostile labels, empty ones), random pairs of histograms
with overlapping, nested, identical and disjoint label sets, and raw usage
rows (account, day, label, weights); computes what every function should
return with scipy / math.fsum, and writes plain-SQL fixtures that the pgTAP
files include:

    histograms.sql  tables hist, hist_entry, pair and extreme
    rows.sql        tables raw_row, acct_expect, acct_wfloat, day_expect,
                    all_expect

The fixtures create unqualified tables: the including test sets search_path
to a schema of its own.  Nothing here reads the extension's source: the
expected values come from the definitions in the design brief.
"""

import argparse
import decimal
import json
import math
import os
import random
import sys

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy as sp_entropy

try:  # only for --verify-exact (Debian: python3-mpmath)
    import mpmath
except ImportError:
    mpmath = None


# --------------------------------------------------------------------------
# labels

DOMAINS = ["coding", "math", "reasoning", "agentic", "chitchat", "writing",
           "science", "legal", "medical", "translation", "roleplay", "safety"]
WORDS = ["python", "rust", "sql", "proof", "algebra", "planning", "tools",
         "browse", "story", "poem", "physics", "chem", "contract", "dosage",
         "french", "kanji", "persona", "jailbreak", "refusal", "summary"]

# Pieces of hostile labels: JSON specials, SQL quotes, escapes written as
# text, whitespace and control characters, non-ASCII in 2, 3 and 4 bytes,
# combining marks, line separators, and look-alikes of JSON syntax.
NASTY_PIECES = [
    '"', "'", "\\", " ", "  ", "\t", "\n", "\r", "\b", "\f", "\x01", "\x1f",
    "\x7f", "/", "\\/", "\\u0041", "\\n", "{", "}", ":", ",", "[", "]",
    "null", "true", "0", "-1", "1e9", "é", "e\u0301", "ß", "Ω", "ж", "中文",
    "日本語", "한국어", "עברית", "العربية", "\u00a0", "\u2028", "\u2029",
    "\ufeff", "\uffff", "🙂", "👩‍💻", "𝔘𝔫𝔦", "\U0010fffd", "a", "b", "z",
    "A", "Z", "~", "%", "$$", "--", "/*", "*/", ";", "\\x00", "",
]


def make_vocab(rng):
    vocab = set()
    while len(vocab) < 2500:
        d = rng.choice(DOMAINS)
        w = rng.choice(WORDS)
        vocab.add("%s.%s%d" % (d, w, rng.randrange(1000)))
    return sorted(vocab)


def make_nasty(rng, count):
    out = set(["", " ", '"', "'", "\\", "é", "🙂", "a", "a ", "ab", "a\x01"])
    while len(out) < count:
        k = rng.choice([1, 1, 2, 3, 4, 6])
        out.add("".join(rng.choice(NASTY_PIECES) for _ in range(k)))
    out.add("long-" + "x\u00e9\"" * 400)   # a long label, 1,205 characters
    return sorted(out)


# --------------------------------------------------------------------------
# text forms

def uescape(cp, rng):
    def esc(u):
        s = "%04x" % u
        return "\\u" + (s.upper() if rng.random() < 0.5 else s)
    if cp > 0xFFFF:
        cp -= 0x10000
        return esc(0xD800 + (cp >> 10)) + esc(0xDC00 + (cp & 0x3FF))
    return esc(cp)


SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f",
                 "\n": "\\n", "\r": "\\r", "\t": "\\t", "/": "\\/"}


def json_string(s, rng, style):
    """A JSON string literal for s.  style: 'raw' writes non-ASCII as is,
    'ascii' escapes all of it, 'mixed' escapes characters at random."""
    out = ['"']
    for ch in s:
        cp = ord(ch)
        r = rng.random()
        if ch in '"\\' or cp < 0x20:
            if ch in SHORT_ESCAPES and r < 0.7:
                out.append(SHORT_ESCAPES[ch])
            else:
                out.append(uescape(cp, rng))
        elif ch == "/" and r < 0.3:
            out.append("\\/")
        elif (style == "ascii" and cp > 0x7E) or (style == "mixed" and r < 0.25):
            out.append(uescape(cp, rng))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def count_text(c, rng):
    """The count as JSON text that parses back to exactly c."""
    if isinstance(c, int):
        r = rng.random()
        if r < 0.7 or c > 2 ** 53:
            return str(c)
        if r < 0.85:
            return repr(float(c))           # 3.0
        if r < 0.95:
            return "%de0" % c                # 3e0
        return "%dE-1" % (c * 10)           # 30E-1
    return repr(float(c))


def hist_text(entries, rng):
    """JSON object text of [(label, count)], with random spacing and escapes."""
    style = rng.choice(["raw", "raw", "ascii", "mixed"])
    sp = lambda: rng.choice(["", "", " ", "  ", "\n", "\t", " \n "])
    members = []
    for label, c in entries:
        members.append(sp() + json_string(label, rng, style) + sp() + ":" + sp()
                       + count_text(c, rng) + sp())
    if not members:
        return "{" + sp() + "}"
    return sp() + "{" + ",".join(members) + "}" + sp()


def plain_text(hist):
    """Simple JSON text of a {label: count} dict (already exact counts)."""
    return json.dumps({k: (v if isinstance(v, int) else float(v))
                       for k, v in hist.items()}, ensure_ascii=False)


def sql_str(s):
    if s is None:
        return "NULL"
    assert "\x00" not in s
    return "'" + s.replace("'", "''") + "'"


def sql_f8(x):
    if x is None:
        return "NULL"
    x = float(x)
    if math.isnan(x):
        return "NULL"
    if math.isinf(x):
        return "'Infinity'" if x > 0 else "'-Infinity'"
    return "'" + repr(x) + "'"


def sql_int(x):
    return "NULL" if x is None else str(int(x))


def sql_bool(b):
    return "true" if b else "false"


# --------------------------------------------------------------------------
# reference values (scipy)

def ref_single(counts):
    """entropy, normalized entropy of the positive counts (list of floats)."""
    n = len(counts)
    if n == 0:
        return None, None
    h = float(sp_entropy(np.array(counts, dtype=np.float64), base=2))
    nh = 0.0 if n == 1 else h / math.log2(n)
    return h, nh


def exact_entropy(counts, max_distinct=8):
    """Entropy in bits to ~40 digits (decimal, stdlib), for histograms with at
    most max_distinct distinct counts (single, uniform, skewed ...); None
    otherwise.  scipy is itself off by ~1e-15 absolute on very skewed
    histograms, whose entropy is ~1e-12: this checks the extension there."""
    groups = {}
    for c in counts:
        groups[c] = groups.get(c, 0) + 1
    if not counts or len(groups) > max_distinct:
        return None
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        t = sum(decimal.Decimal(c) * m for c, m in groups.items())
        h = decimal.Decimal(0)
        for c, m in groups.items():
            p = decimal.Decimal(c) / t
            h -= m * p * p.ln()
        h = h / decimal.Decimal(2).ln()
        # a single label: p is 1 up to the 50-digit rounding of the sum
        return 0.0 if abs(h) < decimal.Decimal("1e-40") else float(h)


def ref_top_share(counts, k):
    if not counts:
        return None
    top = sorted(counts, reverse=True)[:k]
    return math.fsum(top) / math.fsum(counts)


def union_vectors(a, b):
    labels = sorted(set(a) | set(b))
    p = np.array([float(a.get(l, 0)) for l in labels], dtype=np.float64)
    q = np.array([float(b.get(l, 0)) for l in labels], dtype=np.float64)
    return p, q


def ref_js(a, b):
    if not a or not b:
        return None
    p, q = union_vectors(a, b)
    d = float(jensenshannon(p, q, base=2))
    if math.isnan(d):      # a rounding-negative divergence under the sqrt
        d = 0.0
    return d * d


def ref_kl(a, b, smoothing):
    """D(p || q~) in bits, q~ = (Q + s) / (sum Q + s |U|) over U = labels of both."""
    if not a or not b:
        return None
    p, q = union_vectors(a, b)
    qs = (q + smoothing) / (math.fsum(q) + smoothing * len(q))
    return float(sp_entropy(p / math.fsum(p), qs, base=2))


# --------------------------------------------------------------------------
# histogram generators: each returns [(label, count)] in random order, where
# a count may be 0 (written into the text, dropped by the type)

def logu_int(rng, lo, hi):
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def pick_labels(rng, pool, n):
    return rng.sample(pool, min(n, len(pool)))


def gen_single(rng, nrng, vocab, nasty):
    label = rng.choice(vocab if rng.random() < 0.6 else nasty)
    c = rng.choice([1, rng.randrange(1, 10 ** 9), 10 ** 9,
                    float(np.exp(nrng.normal(0, 5))), 0.001, 1e6])
    return [(label, c)]


def gen_uniform(rng, nrng, vocab, nasty, n=None):
    n = n or logu_int(rng, 2, 500)
    labels = pick_labels(rng, vocab, n)
    c = rng.choice([1, 1, 7, rng.randrange(1, 10 ** 6), 0.1, 0.001, 3.5e5,
                    float(np.exp(nrng.normal(0, 4)))])
    return [(l, c) for l in labels]


def gen_skewed(rng, nrng, vocab, nasty):
    m = logu_int(rng, 1, 400)
    labels = pick_labels(rng, vocab, m + 1)
    big = rng.choice([10 ** 9, 10 ** 9, int(10 ** rng.uniform(6, 12)), 2 ** 52, 1e9 + 0.5])
    small = rng.choice([lambda: 1, lambda: 1, lambda: rng.choice([1, 2, 3]),
                        lambda: rng.choice([0.5, 1.0])])
    return [(labels[0], big)] + [(l, small()) for l in labels[1:]]


def gen_dirichlet(rng, nrng, vocab, nasty):
    n = logu_int(rng, 2, 300)
    labels = pick_labels(rng, vocab, n)
    alpha = 10 ** rng.uniform(-1.5, 1)
    N = logu_int(rng, 10, 10 ** 6)
    p = nrng.dirichlet([alpha] * n)
    if not np.all(np.isfinite(p)) or p.sum() <= 0:
        p = np.full(n, 1.0 / n)
    counts = nrng.multinomial(N, p / p.sum())
    keep_zeros = rng.random() < 0.5
    return [(l, int(c)) for l, c in zip(labels, counts) if c > 0 or keep_zeros]


def gen_lognormal(rng, nrng, vocab, nasty):
    n = logu_int(rng, 1, 300)
    labels = pick_labels(rng, vocab, n)
    mu, sigma = rng.uniform(-3, 8), rng.uniform(0.1, 4)
    w = np.clip(np.exp(nrng.normal(mu, sigma, n)), 1e-3, 1e6)
    return [(l, float(x)) for l, x in zip(labels, w)]


def gen_nasty(rng, nrng, vocab, nasty):
    n = logu_int(rng, 1, 60)
    labels = pick_labels(rng, nasty, n)
    out = []
    for l in labels:
        out.append((l, rng.choice([1, rng.randrange(1, 1000), 0,
                                   float(np.exp(nrng.normal(0, 3)))])))
    return out


KINDS = [  # (kind, how many, generator)
    ("single", 60, gen_single),
    ("uniform", 180, gen_uniform),
    ("skewed", 150, gen_skewed),
    ("dirichlet", 330, gen_dirichlet),
    ("lognormal", 300, gen_lognormal),
    ("nasty", 180, gen_nasty),
]

EMPTY_TEXTS = ['{}', ' { } ', '{"a": 0}', '{"x": 0, "y": 0.0, "z": 0e5}', '{"\\u00e9": -0}']


def pair_kinds(rng, nrng, vocab, nasty):
    """Yield (kind, a_entries, b_entries)."""
    def counts_for(labels, how):
        if how == "int":
            return [(l, rng.randrange(1, 1000)) for l in labels]
        if how == "skew":
            return [(labels[0], 10 ** 9)] + [(l, 1) for l in labels[1:]]
        return [(l, float(x)) for l, x in
                zip(labels, np.clip(np.exp(nrng.normal(2, 2.5, len(labels))), 1e-3, 1e6))]

    hows = ["int", "int", "float", "skew"]
    for _ in range(140):   # partly overlapping label sets
        pool = pick_labels(rng, vocab if rng.random() < 0.8 else nasty, logu_int(rng, 3, 300))
        a = pick_labels(rng, pool, rng.randrange(1, len(pool) + 1))
        b = pick_labels(rng, pool, rng.randrange(1, len(pool) + 1))
        yield "overlap", counts_for(a, rng.choice(hows)), counts_for(b, rng.choice(hows))
    for _ in range(60):    # disjoint label sets
        pool = pick_labels(rng, vocab if rng.random() < 0.8 else nasty, logu_int(rng, 2, 300))
        cut = rng.randrange(1, len(pool))
        yield "disjoint", counts_for(pool[:cut], rng.choice(hows)), counts_for(pool[cut:], rng.choice(hows))
    for _ in range(50):    # the same labels, other counts
        labels = pick_labels(rng, vocab, logu_int(rng, 1, 300))
        yield "same-support", counts_for(labels, rng.choice(hows)), counts_for(labels, rng.choice(hows))
    for _ in range(50):    # b's labels a strict subset of a's (KL(a||b) infinite without smoothing)
        labels = pick_labels(rng, vocab, logu_int(rng, 2, 300))
        sub = labels[:rng.randrange(1, len(labels))]
        yield "nested", counts_for(labels, rng.choice(hows)), counts_for(sub, rng.choice(hows))
    for _ in range(30):    # identical, or proportional by a power of two
        labels = pick_labels(rng, vocab if rng.random() < 0.7 else nasty, logu_int(rng, 1, 200))
        a = counts_for(labels, rng.choice(hows))
        f = rng.choice([1, 2, 4, 1024])
        b = [(l, c * f) for l, c in a]
        rng.shuffle(b)
        yield "proportional", a, b
    for _ in range(20):    # one label against many
        labels = pick_labels(rng, vocab, logu_int(rng, 2, 200))
        one = [rng.choice(labels) if rng.random() < 0.5 else rng.choice(vocab)]
        pa, pb = counts_for(one, "int"), counts_for(labels, rng.choice(hows))
        if rng.random() < 0.5:
            pa, pb = pb, pa
        yield "one-vs-many", pa, pb


def effective(entries):
    """{label: count} of the positive counts."""
    return {l: c for l, c in entries if c > 0}


# --------------------------------------------------------------------------
# extreme cases: exact values from mpmath (scipy and doubles overflow too)

def exact_values(h, k):
    """Exact entropy, normalized entropy, total, top share (mpmath, 60 digits)."""
    mp = mpmath.mp
    mp.dps = 60
    cs = [mpmath.mpf(c) for c in h.values()]
    t = mpmath.fsum(cs)
    ent = -mpmath.fsum([(c / t) * mpmath.log(c / t, 2) for c in cs])
    n = len(cs)
    nent = mpmath.mpf(0) if n == 1 else ent / mpmath.log(n, 2)
    top = mpmath.fsum(sorted(cs, reverse=True)[:k]) / t
    return float(ent), float(nent), float(t), float(top)


def exact_js_kl(a, b, s):
    mp = mpmath.mp
    mp.dps = 60
    labels = sorted(set(a) | set(b))
    P = [mpmath.mpf(a.get(l, 0)) for l in labels]
    Q = [mpmath.mpf(b.get(l, 0)) for l in labels]
    tp, tq = mpmath.fsum(P), mpmath.fsum(Q)
    p = [x / tp for x in P]
    q = [x / tq for x in Q]
    js = mpmath.mpf(0)
    for x, y in zip(p, q):
        m = (x + y) / 2
        if x > 0:
            js += x * mpmath.log(x / m, 2) / 2
        if y > 0:
            js += y * mpmath.log(y / m, 2) / 2
    s = mpmath.mpf(s)
    qt = tq + s * len(labels)
    kl = mpmath.mpf(0)
    for x, y in zip(p, Q):
        if x > 0:
            qq = (y + s) / qt
            if qq == 0:
                kl = mpmath.inf
                break
            kl += x * mpmath.log(x / qq, 2)
    return float(js), float(kl)


# Counts at the limits of a double.  scipy works in doubles too and fails on
# some of these, so the expected values are exact: computed with mpmath at 60
# digits by exact_values / exact_js_kl below and rounded to doubles; run with
# --verify-exact to compute them again.  overflow: a sum or a ratio on the way
# exceeds the largest double, though the answer is an ordinary number.
MAXD = 1.7976931348623157e308
EXTREME_HISTS = [
    # (name, {label: count}, k, overflow, (entropy, normalized, total, top_share))
    ("two-max-doubles", {"a": MAXD, "b": MAXD}, 1, True, (1.0, 1.0, math.inf, 0.5)),
    ("near-max-three", {"a": 1e308, "b": 1e308, "c": 5e307}, 1, True,
     (1.5219280948873624, 0.9602297178607612, math.inf, 0.4)),
    ("denormal-pair", {"a": 5e-324, "b": 5e-324}, 1, False, (1.0, 1.0, 1e-323, 0.5)),
    ("denormal-vs-one", {"a": 5e-324, "b": 1.0}, 1, False, (5.306e-321, 5.306e-321, 1.0, 1.0)),
    ("tiny-uniform", {"a": 1e-300, "b": 1e-300, "c": 1e-300, "d": 1e-300}, 2, False,
     (2.0, 1.0, 4e-300, 0.5)),
    ("2^53-plus-ones", {"a": 2.0 ** 53, "b": 1, "c": 1}, 1, False,
     (1.2088706711408148e-14, 7.627124746426367e-15, 9007199254740994.0, 0.9999999999999998)),
    ("one-max-double", {"a": MAXD}, 1, False, (0.0, 0.0, MAXD, 1.0)),
    ("wide-range", {"a": 1e300, "b": 1e-300, "c": 1.0}, 2, False,
     (9.965784284662087e-298, 6.287709822868154e-298, 1e+300, 1.0)),
]

EXTREME_PAIRS = [
    # (name, a, b, smoothing, overflow, (js, kl(a || b~)))
    ("max-doubles-disjoint", {"a": MAXD}, {"b": MAXD}, 0.5, True, (1.0, 1025.0)),
    ("max-doubles-same", {"a": 1e308, "b": 1e308}, {"a": 1e308, "b": 1e308}, 0.5, True, (0.0, 0.0)),
    ("huge-smoothing", {"a": 3, "b": 1}, {"a": 1, "b": 3}, 1e308, True,
     (0.18872187554086714, 0.18872187554086714)),
    ("tiny-smoothing", {"a": 3, "b": 1}, {"a": 1}, 1e-300, False,
     (0.13792538097003, 248.33332899209304)),
    ("denormal-p", {"a": 5e-324, "b": 5e-324}, {"a": 1, "b": 3}, 0.5, False,
     (0.04879494069539853, 0.1257693834979822)),
    ("denormal-q", {"a": 1, "b": 3}, {"a": 5e-324, "b": 5e-324}, 0.0, False,
     (0.04879494069539853, 0.18872187554086714)),
    ("one-label-each-way", {"a": 7}, {"a": 2, "b": 5}, 0.0, False,
     (0.5087256743873155, 1.8073549220576042)),
]


def verify_exact():
    if mpmath is None:
        sys.exit("--verify-exact needs mpmath (python3-mpmath)")
    bad = 0
    for name, h, k, _, want in EXTREME_HISTS:
        if exact_values(h, k) != want:
            print("%s: computed %r, listed %r" % (name, exact_values(h, k), want)); bad += 1
    for name, a, b, s, _, want in EXTREME_PAIRS:
        if exact_js_kl(a, b, s) != want:
            print("%s: computed %r, listed %r" % (name, exact_js_kl(a, b, s), want)); bad += 1
    print("exact values: %d differ" % bad)
    sys.exit(1 if bad else 0)


# --------------------------------------------------------------------------
# raw usage rows for the aggregates

def gen_rows(rng, nrng, vocab, nasty, accounts=150, days=7):
    rows = []   # (id, account, day, label, w_int, w_float)
    styles = ["narrow", "narrow", "broad", "broad", "mixed", "single"]
    for acct in range(1, accounts + 1):
        style = rng.choice(styles)
        if acct == 1:
            style = "null-only"
        elif acct == 2:
            style = "zero-weights"
        if style == "narrow":
            labels = pick_labels(rng, vocab, rng.randrange(2, 6))
        elif style == "broad":
            labels = pick_labels(rng, vocab, logu_int(rng, 30, 200))
        elif style == "mixed":
            labels = pick_labels(rng, vocab, 10) + pick_labels(rng, nasty, 10)
        else:
            labels = pick_labels(rng, vocab + nasty, 1)
        for day in range(1, days + 1):
            if rng.random() < 0.15:
                continue                       # a day without rows
            for _ in range(rng.randrange(1, 60)):
                label = rng.choice(labels)
                if style == "null-only" or rng.random() < 0.01:
                    label = None
                w_int = rng.choice([0, 1, 1, 2, 5, rng.randrange(1, 10 ** 6)])
                if style == "zero-weights":
                    w_int = 0 if label != labels[0] else w_int
                w_float = float(np.clip(np.exp(nrng.normal(0, 3)), 1e-3, 1e6))
                if rng.random() < 0.01:
                    w_float = None
                elif rng.random() < 0.02:
                    w_float = 0.0
                rows.append([None, acct, day, label, w_int, w_float])
    rng.shuffle(rows)                          # no helpful physical order
    for i, r in enumerate(rows, 1):
        r[0] = i
    return rows


def hist_of(rows, value):
    """{label: int count} or {label: [float weights]} from rows."""
    h = {}
    for r in rows:
        label = r[3]
        w = value(r)
        if label is None or w is None:
            continue
        h.setdefault(label, []).append(w)
    return h


def int_hist(rows, value):
    h = {}
    for label, ws in hist_of(rows, value).items():
        s = sum(ws)
        if s > 0:
            h[label] = s
    return h


def float_hist(rows):
    h = {}
    for label, ws in hist_of(rows, lambda r: r[5]).items():
        s = math.fsum(ws)
        if s > 0:
            h[label] = s
    return h


def text_or_null(h, had_rows):
    """The expected aggregate: NULL when no row counted, else the histogram."""
    return None if not had_rows else plain_text(h)


# --------------------------------------------------------------------------
# writing

def write_inserts(f, table, columns, rows, chunk=250):
    for i in range(0, len(rows), chunk):
        f.write("INSERT INTO %s (%s) VALUES\n" % (table, ", ".join(columns)))
        f.write(",\n".join("(" + ", ".join(r) + ")" for r in rows[i:i + chunk]))
        f.write(";\n")


def build_histograms(rng, nrng, vocab, nasty):
    hists = []   # (id, kind, entries, text)
    def add(kind, entries, text=None):
        hid = len(hists) + 1
        hists.append((hid, kind, entries, text if text is not None else hist_text(entries, rng)))
        return hid

    for kind, how_many, gen in KINDS:
        for i in range(how_many):
            if kind == "uniform" and i < 2:
                entries = gen_uniform(rng, nrng, vocab, nasty, n=(2, 500)[i])
            else:
                entries = gen(rng, nrng, vocab, nasty)
            rng.shuffle(entries)
            add(kind, entries)
    for t in EMPTY_TEXTS:
        add("empty", [], t)
    pairs = []
    for kind, a, b in pair_kinds(rng, nrng, vocab, nasty):
        rng.shuffle(a)
        rng.shuffle(b)
        ia = add("pair-" + kind, a)
        ib = add("pair-" + kind, b)
        pairs.append((len(pairs) + 1, kind, ia, ib))
    # random pairs across the whole set (a shared vocabulary: most overlap)
    singles = [h for h in hists if not h[1].startswith("pair-")]
    for _ in range(150):
        ha, hb = rng.choice(singles), rng.choice(singles)
        pairs.append((len(pairs) + 1, "random", ha[0], hb[0]))
    return hists, pairs


def write_histograms(path, hists, pairs, rng, seed):
    eff = {hid: effective(entries) for hid, kind, entries, text in hists}
    hist_rows, entry_rows, pair_rows = [], [], []
    for hid, kind, entries, text in hists:
        h = eff[hid]
        counts = [float(c) for c in h.values()]
        ent, nent = ref_single(counts)
        n = len(counts)
        k = rng.choice([0, 1, 1, 2, 3, 5, 10, max(n - 1, 0), n, n + 3])
        is_int = all(isinstance(c, int) for c in h.values())
        hist_rows.append([str(hid), sql_str(kind), sql_str(text), str(n),
                          sql_f8(math.fsum(counts)), sql_bool(is_int),
                          sql_f8(ent), sql_f8(nent), sql_f8(exact_entropy(counts)), str(k),
                          sql_f8(ref_top_share(counts, k))])
        for label, c in h.items():
            entry_rows.append([str(hid), sql_str(label), sql_f8(float(c))])
    for pid, kind, ia, ib in pairs:
        a, b = eff[ia], eff[ib]
        s = rng.choice([1.0, 1e-3, 0.25, 2.0, 10 ** rng.uniform(-4, 2)])
        pair_rows.append([str(pid), sql_str(kind), str(ia), str(ib),
                          sql_f8(ref_js(a, b)),
                          sql_f8(ref_kl(a, b, 0.5)), sql_f8(ref_kl(b, a, 0.5)),
                          sql_f8(ref_kl(a, b, 0.0)), sql_f8(ref_kl(b, a, 0.0)),
                          sql_f8(s), sql_f8(ref_kl(a, b, s))])
    extreme_rows = []
    for name, h, k, overflow, (ent, nent, tot, top) in EXTREME_HISTS:
        extreme_rows.append([sql_str(name), sql_bool(overflow), sql_str(plain_text(h)), sql_str(None),
                             sql_f8(ent), sql_f8(nent), sql_f8(tot), str(k), sql_f8(top),
                             "NULL", "NULL", "NULL"])
    for name, a, b, s, overflow, (js, kl) in EXTREME_PAIRS:
        extreme_rows.append([sql_str(name), sql_bool(overflow), sql_str(plain_text(a)), sql_str(plain_text(b)),
                             "NULL", "NULL", "NULL", "NULL", "NULL",
                             sql_f8(js), sql_f8(s), sql_f8(kl)])

    with open(path, "w", encoding="utf-8") as f:
        f.write("-- Generated by test/reference/distributions.py: do not edit.\n")
        f.write("SET client_encoding = 'UTF8';\n")
        f.write("""CREATE TABLE hist (
    id int PRIMARY KEY,
    kind text NOT NULL,
    src text NOT NULL,          -- the text written by Python (escapes, spacing, zero counts)
    n_labels int NOT NULL,      -- labels with a positive count
    total float8 NOT NULL,      -- math.fsum of the counts
    is_integer bool NOT NULL,   -- all counts are integers
    entropy float8,             -- scipy.stats.entropy(counts, base=2); NULL if empty
    norm_entropy float8,        -- entropy / log2(n), 0 for one label; NULL if empty
    entropy_exact float8,       -- to ~40 digits (decimal), when at most 8 distinct counts
    k int NOT NULL,
    top_share float8            -- fsum(k largest) / fsum(all); NULL if empty
);
CREATE TABLE hist_entry (       -- the labels and counts the text means
    id int NOT NULL,
    label text NOT NULL,
    count float8 NOT NULL
);
CREATE TABLE pair (
    id int PRIMARY KEY,
    kind text NOT NULL,
    a int NOT NULL,
    b int NOT NULL,
    js float8,                  -- jensenshannon(p, q, base=2) ** 2
    kl_ab float8,               -- KL(a || b~), smoothing 0.5
    kl_ba float8,               -- KL(b || a~), smoothing 0.5
    kl0_ab float8,              -- smoothing 0: Infinity where scipy says inf
    kl0_ba float8,
    s float8,                   -- a random smoothing
    kls_ab float8               -- KL(a || b~) with smoothing s
);
CREATE TABLE extreme (          -- exact values (mpmath), for counts near the limits of a double
    name text PRIMARY KEY,
    overflow bool NOT NULL,     -- a sum or ratio on the way exceeds the largest double
    a text NOT NULL,            -- a histogram (or p of a pair)
    b text,                     -- q of a pair
    entropy float8,
    norm_entropy float8,
    total float8,
    k int,
    top_share float8,
    js float8,
    s float8,
    kl float8
);
""")
        f.write("CREATE TABLE meta (seed bigint NOT NULL);\nINSERT INTO meta VALUES (%d);\n" % seed)
        write_inserts(f, "hist", ["id", "kind", "src", "n_labels", "total", "is_integer",
                                  "entropy", "norm_entropy", "entropy_exact", "k", "top_share"],
                      hist_rows)
        write_inserts(f, "hist_entry", ["id", "label", "count"], entry_rows, chunk=1000)
        write_inserts(f, "pair", ["id", "kind", "a", "b", "js", "kl_ab", "kl_ba",
                                  "kl0_ab", "kl0_ba", "s", "kls_ab"], pair_rows)
        write_inserts(f, "extreme", ["name", "overflow", "a", "b", "entropy", "norm_entropy", "total",
                                     "k", "top_share", "js", "s", "kl"], extreme_rows)
        f.write("ANALYZE hist; ANALYZE hist_entry; ANALYZE pair;\n")
    return len(hist_rows), len(entry_rows), len(pair_rows), len(extreme_rows)


def write_rows(path, rows):
    accounts = sorted(set(r[1] for r in rows))
    by_acct = {a: [] for a in accounts}
    by_day = {}
    for r in rows:
        by_acct[r[1]].append(r)
        by_day.setdefault((r[1], r[2]), []).append(r)

    def had(rs, value):
        return any(r[3] is not None and value(r) is not None for r in rs)

    acct_rows, wfloat_rows, day_rows = [], [], []
    for a in accounts:
        rs = by_acct[a]
        hc = int_hist(rs, lambda r: 1)
        hw = int_hist(rs, lambda r: r[4])
        hf = float_hist(rs)
        ent, _ = ref_single([float(c) for c in hc.values()])
        acct_rows.append([str(a), sql_str(text_or_null(hc, had(rs, lambda r: 1))),
                          sql_str(text_or_null(hw, had(rs, lambda r: r[4]))),
                          sql_f8(ent), str(len(hf)),
                          sql_bool(had(rs, lambda r: r[5]))])
        for label, w in hf.items():
            wfloat_rows.append([str(a), sql_str(label), sql_f8(w)])
    for (a, d), rs in sorted(by_day.items()):
        hc = int_hist(rs, lambda r: 1)
        day_rows.append([str(a), str(d), sql_str(text_or_null(hc, had(rs, lambda r: 1)))])
    hall = int_hist(rows, lambda r: 1)
    ent_all, _ = ref_single([float(c) for c in hall.values()])

    with open(path, "w", encoding="utf-8") as f:
        f.write("-- Generated by test/reference/distributions.py: do not edit.\n")
        f.write("SET client_encoding = 'UTF8';\n")
        f.write("""CREATE TABLE raw_row (
    id int PRIMARY KEY,
    account int NOT NULL,
    day int NOT NULL,
    label text,                 -- NULL sometimes: skipped by the aggregates
    w_int int NOT NULL,         -- integer weights, 0 sometimes
    w_float float8              -- lognormal weights, NULL or 0 sometimes
);
CREATE TABLE acct_expect (
    account int PRIMARY KEY,
    h_count text,               -- histogram_agg(label); NULL when no label
    h_wint text,                -- histogram_agg(label, w_int)
    entropy float8,             -- scipy entropy of h_count
    n_wfloat int NOT NULL,      -- labels of histogram_agg(label, w_float)
    has_wfloat bool NOT NULL    -- whether histogram_agg(label, w_float) is not NULL
);
CREATE TABLE acct_wfloat (      -- histogram_agg(label, w_float), math.fsum per label
    account int NOT NULL,
    label text NOT NULL,
    weight float8 NOT NULL
);
CREATE TABLE day_expect (
    account int NOT NULL,
    day int NOT NULL,
    h_count text
);
CREATE TABLE all_expect (
    h_count text NOT NULL,      -- histogram_agg(label) over every row
    entropy float8 NOT NULL
);
""")
        write_inserts(f, "raw_row", ["id", "account", "day", "label", "w_int", "w_float"],
                      [[str(r[0]), str(r[1]), str(r[2]), sql_str(r[3]), str(r[4]), sql_f8(r[5])]
                       for r in rows], chunk=1000)
        write_inserts(f, "acct_expect", ["account", "h_count", "h_wint", "entropy",
                                         "n_wfloat", "has_wfloat"], acct_rows)
        write_inserts(f, "acct_wfloat", ["account", "label", "weight"], wfloat_rows, chunk=1000)
        write_inserts(f, "day_expect", ["account", "day", "h_count"], day_rows)
        write_inserts(f, "all_expect", ["h_count", "entropy"],
                      [[sql_str(plain_text(hall)), sql_f8(ent_all)]])
        f.write("ANALYZE raw_row; ANALYZE acct_expect; ANALYZE acct_wfloat; ANALYZE day_expect;\n")
    return len(rows), len(accounts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int)
    ap.add_argument("--out", help="directory for the SQL fixtures")
    ap.add_argument("--accounts", type=int, default=150)
    ap.add_argument("--verify-exact", action="store_true",
                    help="recompute the exact values of the extreme cases with mpmath and stop")
    args = ap.parse_args()
    if args.verify_exact:
        verify_exact()
    if args.seed is None or args.out is None:
        ap.error("--seed and --out are required")

    rng = random.Random(args.seed)
    nrng = np.random.default_rng(args.seed)
    vocab = make_vocab(rng)
    nasty = make_nasty(rng, 300)
    os.makedirs(args.out, exist_ok=True)

    hists, pairs = build_histograms(rng, nrng, vocab, nasty)
    nh, ne, npairs, nx = write_histograms(os.path.join(args.out, "histograms.sql"),
                                          hists, pairs, rng, args.seed)
    rows = gen_rows(rng, nrng, vocab, nasty, accounts=args.accounts)
    nr, na = write_rows(os.path.join(args.out, "rows.sql"), rows)
    print("seed %d: %d histograms (%d entries), %d pairs, %d extreme cases, "
          "%d raw rows over %d accounts -> %s"
          % (args.seed, nh, ne, npairs, nx, nr, na, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
