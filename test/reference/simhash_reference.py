#!/usr/bin/python3
"""Reference values for pg_sybil's sybil.simhash and sybil.hamming.

Run with Debian's interpreter, which has numpy and scipy:

    /usr/bin/python3 test/reference/simhash_reference.py --seed 42 --out test/pgtap/generated

Two kinds of reference, written as one plain-SQL fixture that
test/pgtap/91_simhash.sql includes (simhash.sql):

  * Exact values.  The stable hash (src/core/stable_hash.c), the tokenizer
    and the shingle hashes (the rules written in src/core/text_shingles.h)
    and SimHash (src/core/simhash.h) are reimplemented here in plain Python
    on code points, so every fingerprint can be compared bit for bit:
    random texts, texts made of the characters on either side of every
    boundary of the tokenizer's tables, long words across the 64-byte
    chunks, texts without words (NULL).  Tables sh_text and sh_want.

  * SimHash theory.  Pairs of texts of four kinds, each pair from a fresh
    random "prompt template" (15 to 60 words of a 3,000-word vocabulary
    with ASCII, accented, Cyrillic, Greek, Korean and CJK words):
      slot1, slot2, slot3  1, 2 or 3 slot words replaced;
      reorder              1 to 3 adjacent words swapped, or one moved by up
                           to 3 places;
      cosmetic             the same words in other case, spacing and
                           punctuation, with zero-width characters inside
                           words;
      unrelated            two independent templates.
    For each pair and shingle size (1, 2, 3 words) the features are the
    shingles weighted by their counts, theta the angle between the two
    feature vectors; SimHash predicts E[hamming] = 64 theta / pi for a
    Gaussian random hyperplane.  Since a fingerprint bit projects on a ±1
    direction (the shingle hashes' bits), with ties broken by a second ±1
    projection, the exact probability p that a bit differs under that model
    (independent fair signs per feature) is computed too, from the joint
    distribution of the two projections (a 2-D convolution over the
    features).  The hamming distance of a pair is then Binomial(64, p).
    Table sh_pair.

  * sybil.hamming on random and extreme bigints: table sh_hamming.

The fixture creates unqualified tables: the including test sets
search_path to a schema of its own.
"""

import argparse
import functools
import math
import os
import random
from collections import Counter

import numpy as np
from scipy.signal import fftconvolve
from scipy.stats import binom

M64 = (1 << 64) - 1

# --------------------------------------------------------------------------
# the stable hash (src/core/stable_hash.[ch])

HASH_PRIME = 0x9fb21c651e98df25
HASH_START = 0x243f6a8885a308d3


def mix(x):
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & M64
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & M64
    x ^= x >> 31
    return x


def stable_hash(data, seed):
    h = mix(seed ^ ((len(data) * HASH_PRIME) & M64) ^ HASH_START)
    full = len(data) - len(data) % 8
    for i in range(0, full, 8):
        h = ((h ^ mix(int.from_bytes(data[i:i + 8], "little"))) * HASH_PRIME) & M64
    rest = len(data) - full
    if rest:
        tail = int.from_bytes(data[full:], "little") ^ (rest << 59)
        h = ((h ^ mix(tail)) * HASH_PRIME) & M64
    return mix(h)


# --------------------------------------------------------------------------
# words and shingles (the rules of src/core/text_shingles.h)

WORD_SEED = int.from_bytes(b"sybilwor", "big")
SHINGLE_SEED = int.from_bytes(b"sybilshn", "big")
TIE_SEED = int.from_bytes(b"sybiltie", "big")
WORD_CHUNK = 64
MAX_WORDS = 16

IGNORED = [(0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
           (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
           (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
           (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
           (0xE0000, 0xE0FFF)]
SEPARATORS = [(0x0080, 0x00BF), (0x00D7, 0x00D7), (0x00F7, 0x00F7), (0x1680, 0x1680),
              (0x2000, 0x206F), (0x3000, 0x303F), (0x30FB, 0x30FB), (0xFF01, 0xFF0F),
              (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65)]
ALONE = [(0x3040, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
         (0xF900, 0xFAFF), (0xFF66, 0xFF9F), (0x20000, 0x3FFFF)]


def in_table(cp, table):
    return any(lo <= cp <= hi for lo, hi in table)


@functools.lru_cache(maxsize=None)
def char_kind(ch):
    cp = ord(ch)
    if cp < 0x80:
        return "letter" if ch.isalnum() else "separator"
    for kind, table in (("ignored", IGNORED), ("separator", SEPARATORS), ("alone", ALONE)):
        if in_table(cp, table):
            return kind
    return "letter"


def words_of(text):
    """The words of text as UTF-8 byte strings."""
    words, current = [], []

    def end_word():
        if current:
            words.append("".join(current).encode("utf-8"))
            current.clear()

    for ch in text:
        kind = char_kind(ch)
        if kind == "letter":
            current.append(ch.lower() if "A" <= ch <= "Z" else ch)
        elif kind == "separator":
            end_word()
        elif kind == "alone":
            end_word()
            words.append(ch.encode("utf-8"))
    end_word()
    return words


def word_hash(word):
    h = WORD_SEED
    for i in range(0, len(word), WORD_CHUNK):
        h = stable_hash(word[i:i + WORD_CHUNK], h)
    return h


def shingles_of(words, w):
    """The shingles of a word list as tuples of words (the features)."""
    if not words:
        return []
    if len(words) < w:
        return [tuple(words)]
    return [tuple(words[i:i + w]) for i in range(len(words) - w + 1)]


def shingle_hash(shingle, cache):
    h = SHINGLE_SEED
    for word in shingle:
        if word not in cache:
            cache[word] = word_hash(word)
        h = mix(h ^ cache[word])
    return h


BIT_SHIFTS = np.arange(64, dtype=np.uint64)


def sign_sums(hashes):
    bits = (np.array(hashes, dtype=np.uint64)[:, None] >> BIT_SHIFTS) & np.uint64(1)
    return 2 * bits.astype(np.int64).sum(axis=0) - len(hashes)


def simhash(words, w, cache):
    """The fingerprint of a text's words as a signed 64-bit integer, or None
    without words."""
    hashes = [shingle_hash(s, cache) for s in shingles_of(words, w)]
    if not hashes:
        return None
    primary = sign_sums(hashes)
    tie = sign_sums([mix(h ^ TIE_SEED) for h in hashes])
    fingerprint = 0
    for i in range(64):
        if primary[i] > 0 or (primary[i] == 0 and tie[i] > 0):
            fingerprint |= 1 << i
    return fingerprint - (1 << 64) if fingerprint >> 63 else fingerprint


# --------------------------------------------------------------------------
# SimHash theory for a pair of feature multisets

def angle(fa, fb):
    dot = sum(c * fb[f] for f, c in fa.items() if f in fb)
    na = math.sqrt(sum(c * c for c in fa.values()))
    nb = math.sqrt(sum(c * c for c in fb.values()))
    return math.acos(max(-1.0, min(1.0, dot / (na * nb))))


def projection_joint(fa, fb):
    """Joint distribution of (sum a_f r_f, sum b_f r_f) over independent fair
    signs r_f, as an array indexed [A + pa, B + pb], with A, B the totals.
    Features of equal weights (a, b) form a group whose sign sum t is
    binomial; each group is one convolution."""
    groups = Counter((fa.get(f, 0), fb.get(f, 0)) for f in set(fa) | set(fb))
    joint = np.ones((1, 1))
    for (a, b), m in sorted(groups.items()):
        kernel = np.zeros((2 * a * m + 1, 2 * b * m + 1))
        for j in range(m + 1):
            t = 2 * j - m
            kernel[a * (t + m), b * (t + m)] += math.comb(m, j) / 2.0 ** m
        joint = np.clip(fftconvolve(joint, kernel), 0.0, None)
    return joint / joint.sum(), sum(fa.values()), sum(fb.values())


def bit_differs_probability(fa, fb):
    """P(bit differs) when bit = [P > 0 or (P = 0 and T > 0)], P and T two
    independent projections with the joint law above."""
    joint, A, B = projection_joint(fa, fb)
    rows = [slice(A + 1, None), slice(A, A + 1), slice(0, A)]      # +, 0, -
    cols = [slice(B + 1, None), slice(B, B + 1), slice(0, B)]
    t = np.array([[joint[r, c].sum() for c in cols] for r in rows])
    a_pos, b_pos = t[0, :].sum(), t[:, 0].sum()
    both_tied = t[0, 1] + t[0, 2] + t[1, 0] + t[2, 0]   # the tie-breakers differ
    p = t[0, 2] + t[2, 0]                                # opposite signs
    p += t[1, 1] * both_tied
    p += t[1, 0] * (1 - a_pos) + t[1, 2] * a_pos         # a tied, b decided
    p += t[0, 1] * (1 - b_pos) + t[2, 1] * b_pos         # b tied, a decided
    return float(min(max(p, 0.0), 1.0))


# --------------------------------------------------------------------------
# texts

LETTERS = "abcdefghijklmnopqrstuvwxyz"
ACCENTED = "éèàüößñçøå"
CYRILLIC = "абвгдежзиклмнопрст"
GREEK = "αβγδεζηθικλμνξοπρστ"
HANGUL = "가나다라마바사아자차카타파하한국어"
CJK = "数据模型中文字学习人工智能请写一个故事日本語"
KANA = "あいうえおかきくけこアイウエオカキクケコ"
SEPARATORS_TEXT = [" "] * 12 + [", ", ". ", "\n", " - ", "\u00a0", "\u3000", "\uff1a", "\uff01",
                                "\u2014", " (", ") ", "\u201c", "\u201d ", "\t", "? "]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff"]


def random_word(rng):
    k = rng.random()
    if k < 0.70:
        return "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 10)))
    if k < 0.78:
        return "".join(rng.choice(LETTERS + ACCENTED) for _ in range(rng.randint(3, 9)))
    if k < 0.83:
        return "".join(rng.choice(CYRILLIC) for _ in range(rng.randint(3, 9)))
    if k < 0.86:
        return "".join(rng.choice(GREEK) for _ in range(rng.randint(3, 9)))
    if k < 0.89:
        return "".join(rng.choice(HANGUL) for _ in range(rng.randint(2, 4)))
    if k < 0.92:
        return "".join(rng.choice(CJK + KANA) for _ in range(rng.randint(1, 2)))
    if k < 0.96:
        return str(rng.randrange(10 ** rng.randint(1, 5)))
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 6))) + str(rng.randrange(100))


def make_vocab(rng, size=3000):
    vocab = set()
    while len(vocab) < size:
        vocab.add(random_word(rng))
    return sorted(vocab)


def render(words, rng):
    """Words joined by separators, with a capital now and then."""
    out = []
    for i, w in enumerate(words):
        if i:
            out.append(rng.choice(SEPARATORS_TEXT))
        out.append(w.capitalize() if rng.random() < 0.1 and w.isascii() else w)
    return "".join(out)


def ascii_upper(s):
    return "".join(c.upper() if "a" <= c <= "z" else c for c in s)


def cosmetic(words, rng):
    """The same words in other ASCII case, spacing and punctuation, with
    invisible characters inside and around words."""
    out = []
    for i, w in enumerate(words):
        if i:
            out.append(rng.choice(SEPARATORS_TEXT) * rng.randint(1, 2))
        r = rng.random()
        if r < 0.2:
            w = ascii_upper(w)
        elif r < 0.3:
            w = "".join(ascii_upper(c) if rng.random() < 0.5 else c for c in w)
        if len(w) > 1 and rng.random() < 0.25:
            cut = rng.randrange(1, len(w))
            w = w[:cut] + rng.choice(ZERO_WIDTH) + w[cut:]
        out.append(w)
    return rng.choice(["", " ", "\u3000", "\u200b"]) + "".join(out) + rng.choice(["", ".", "!!", " \n"])


def template(rng, vocab):
    return [rng.choice(vocab) for _ in range(rng.randint(15, 60))]


def replace_slots(words, k, rng, vocab):
    out = list(words)
    for pos in rng.sample(range(len(out)), k):
        while out[pos] == words[pos]:
            out[pos] = rng.choice(vocab)
    return out


def reorder(words, rng):
    out = list(words)
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
    else:
        i = rng.randrange(len(out))
        w = out.pop(i)
        out.insert(max(0, min(len(out), i + rng.choice([-3, -2, -1, 1, 2, 3]))), w)
    return out


PAIRS_PER_CLASS = {"slot1": 300, "slot2": 300, "slot3": 300, "reorder": 300, "cosmetic": 150,
                   "unrelated": 1000}


def draw_pair(kind, rng, vocab):
    words = template(rng, vocab)
    if kind.startswith("slot"):
        return render(words, rng), render(replace_slots(words, int(kind[4:]), rng, vocab), rng)
    if kind == "reorder":
        return render(words, rng), render(reorder(words, rng), rng)
    if kind == "cosmetic":
        return render(words, rng), cosmetic(words, rng)
    return render(words, rng), render(template(rng, vocab), rng)


def boundary_chars():
    """The characters on either side of every boundary of the tables, and
    of the UTF-8 sequence lengths; no NUL (not in a text) nor surrogate."""
    cps = {0x01, 0x2F, 0x30, 0x39, 0x3A, 0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0x7F,
           0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF, 0xFFFD, 0x1F600, 0xD7FF, 0xE000}
    for table in (IGNORED, SEPARATORS, ALONE):
        for lo, hi in table:
            cps.update({lo - 1, lo, hi, hi + 1})
    return sorted(chr(c) for c in cps if 0 < c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF)


def hostile_texts(rng):
    chars = boundary_chars()
    texts = ["", " ", "!?", "\u3000\u00a0\u2014", "\u200b", "\u200b\u00ad\ufeff", "..." * 50,
             "word", "Word WORD word", "\u4e2d", "a\u200bb", "x" * 63, "x" * 64, "x" * 65,
             "y" * 128, "y" * 129, "z" * 1000, "\u00e9" * 31 + "a", "\u00e9" * 32, "a" + "\u00e9" * 32,
             "\U0001f600" * 17, "A" * 64 + "\u200b" + "b" * 70,
             " ".join("w%d" % i for i in range(40)),
             " ".join(["same"] * 40)]
    for _ in range(400):
        texts.append("".join(rng.choice(chars) if rng.random() < 0.6 else rng.choice(LETTERS + " ")
                             for _ in range(rng.randint(1, 60))))
    for _ in range(40):    # long words of mixed widths across the chunk boundaries
        texts.append(" ".join("".join(rng.choice(["a", "\u00e9", "\u4e2d\u6587", "\U0001f600", "Q"])
                                      for _ in range(rng.randint(10, 80)))
                              for _ in range(rng.randint(1, 4))))
    return texts


# --------------------------------------------------------------------------
# SQL

def copy_field(x):
    if x is None:
        return "\\N"
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, int):
        return str(x)
    return x.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def write_copy(f, table, columns, rows):
    f.write("COPY %s (%s) FROM stdin;\n" % (table, ", ".join(columns)))
    for r in rows:
        f.write("\t".join(copy_field(x) for x in r) + "\n")
    f.write("\\.\n")


SHINGLES = [1, 2, 3]
BOUND_TAIL = 1e-8     # chance that one near-duplicate pair exceeds its bound


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random("simhash-%d" % args.seed)
    vocab = make_vocab(rng)
    cache = {}

    texts, wants, pairs = [], [], []

    def add_text(body, shingles):
        tid = len(texts)
        words = words_of(body)
        texts.append((tid, body))
        for w in shingles:
            wants.append((tid, w, simhash(words, w, cache)))
        return tid, words

    for body in hostile_texts(rng):
        add_text(body, range(1, MAX_WORDS + 1))

    for kind, count in PAIRS_PER_CLASS.items():
        for _ in range(count):
            a_body, b_body = draw_pair(kind, rng, vocab)
            a, a_words = add_text(a_body, SHINGLES)
            b, b_words = add_text(b_body, SHINGLES)
            for w in SHINGLES:
                fa = Counter(shingles_of(a_words, w))
                fb = Counter(shingles_of(b_words, w))
                # the same features: exactly 0, not acos and FFT rounding
                theta = 0.0 if fa == fb else angle(fa, fb)
                p_exact = 0.0 if fa == fb else bit_differs_probability(fa, fb)
                pairs.append([len(pairs), kind, w, a, b, theta, theta / math.pi, p_exact])
    # the most bits a pair should differ by: a Binomial(64, p) tail quantile,
    # with p the larger of theory's and the exact model's
    p_high = np.array([max(p[6], p[7]) for p in pairs])
    for p, bound in zip(pairs, np.where(p_high > 0, binom.isf(BOUND_TAIL, 64, p_high), 0)):
        p.append(int(bound))

    hamming = [(0, 0, 0), (0, -1, 64), (-(1 << 63), (1 << 63) - 1, 64), (1, 0, 1),
               (-(1 << 63), 0, 1), (0x5555555555555555, -0x5555555555555556, 64)]
    def signed(u):
        return u - (1 << 64) if u >> 63 else u

    for _ in range(500):    # values 1 to 64 bits apart, 8 on average
        x = rng.getrandbits(64)
        y = x ^ (rng.getrandbits(64) & rng.getrandbits(64) & rng.getrandbits(64))
        hamming.append((signed(x), signed(y), bin(x ^ y).count("1")))

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "simhash.sql"), "w", encoding="utf-8") as f:
        f.write("-- generated by test/reference/simhash_reference.py --seed %d\n" % args.seed)
        f.write("CREATE TABLE sh_text (id int PRIMARY KEY, body text NOT NULL);\n")
        f.write("CREATE TABLE sh_want (id int, shingle int, want bigint, PRIMARY KEY (id, shingle));\n")
        f.write("CREATE TABLE sh_pair (pid int PRIMARY KEY, kind text, shingle int, a int, b int,\n"
                "  theta float8, p_theory float8, p_exact float8, bound int);\n")
        f.write("CREATE TABLE sh_hamming (x bigint, y bigint, want int);\n")
        write_copy(f, "sh_text", ["id", "body"], texts)
        write_copy(f, "sh_want", ["id", "shingle", "want"], wants)
        write_copy(f, "sh_pair", ["pid", "kind", "shingle", "a", "b", "theta", "p_theory",
                                  "p_exact", "bound"], pairs)
        write_copy(f, "sh_hamming", ["x", "y", "want"], hamming)
        f.write("ANALYZE sh_text; ANALYZE sh_want; ANALYZE sh_pair;\n")


if __name__ == "__main__":
    main()
