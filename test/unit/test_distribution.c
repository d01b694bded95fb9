/*
 * test_distribution.c: unit tests of src/core/distribution.c (total,
 * entropy, normalized entropy, Jensen-Shannon and Kullback-Leibler
 * divergences, ranking, top share).  Emits TAP.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "distribution.h"
#include "helpers.h"

#define LOG2_3 1.5849625007211561815L

/* flat (label-sorted) histogram from pairs */
#define FLAT(name, ...) \
	const pair	name##_p[] = {__VA_ARGS__}; \
	flathist	name; \
	flathist_make(&name, name##_p, NPAIRS(name##_p))

static flathist *
uniform(int n, double count)
{
	flathist   *f = malloc(sizeof(flathist));
	pair	   *p = malloc(sizeof(pair) * (size_t) (n ? n : 1));
	char	   *names = malloc((size_t) n * 16 + 1);
	int			i;

	for (i = 0; i < n; i++)
	{
		snprintf(names + i * 16, 16, "label%05u", (unsigned) i % 100000u);
		p[i].label = names + i * 16;
		p[i].count = count;
	}
	flathist_make(f, p, (size_t) n);
	free(p);
	free(names);
	return f;
}

static void
uniform_free(flathist *f)
{
	flathist_free(f);
	free(f);
}

static const sy_hist_view empty_view = {NULL, 0, NULL};

/* ------------------------------------------------------------------ total */

static void
test_total(void)
{
	FLAT(h, {"a", 1}, {"b", 2.5}, {"c", 0.25});
	FLAT(big, {"a", 1e16}, {"b", 1}, {"c", 1});

	is_double(sy_total(h.v), 3.75, 0, "total {a:1, b:2.5, c:0.25} = 3.75");
	is_double(sy_total(empty_view), 0, 0, "total of an empty view = 0");
	is_double(sy_total(big.v), 1e16 + 2, 2, "total {1e16, 1, 1} is 1e16+2 within one ulp");
	flathist_free(&h);
	flathist_free(&big);
}

/* ---------------------------------------------------------------- entropy */

static void
test_entropy(void)
{
	FLAT(two, {"a", 1}, {"b", 1});
	FLAT(skew, {"a", 1}, {"b", 3});
	FLAT(skew2, {"x", 2}, {"y", 6});
	FLAT(one, {"only", 42});
	FLAT(tiny, {"a", 5e-324}, {"b", 5e-324});
	flathist   *u8 = uniform(8, 1),
			   *u4 = uniform(4, 7),
			   *u3 = uniform(3, 1);
	double		hs = (double) (2.0L - 0.75L * LOG2_3);	/* -(1/4 log 1/4 + 3/4 log 3/4) */

	is_double(sy_entropy(two.v), 1.0, 0, "entropy {a:1, b:1} = 1 bit exactly");
	is_double(sy_entropy(u8->v), 3.0, 0, "entropy of a uniform 8-label histogram = 3 bits exactly");
	is_double(sy_entropy(u4->v), 2.0, 0, "entropy of a uniform 4-label histogram (count 7) = 2 bits exactly");
	is_double(sy_entropy(u3->v), (double) LOG2_3, 4e-16, "entropy uniform 3 = log2 3");
	is_double(sy_entropy(skew.v), hs, 4e-16, "entropy {a:1, b:3} = 2 - 3/4 log2 3 = 0.811278...");
	is_double(sy_entropy(skew2.v), sy_entropy(skew.v), 0, "entropy is scale-free ({2,6} == {1,3})");
	is_double(sy_entropy(one.v), 0.0, 0, "entropy of a single label = 0 (+0)");
	ok(isnan(sy_entropy(empty_view)), "entropy of an empty histogram is NaN");
	is_double(sy_entropy(tiny.v), 1.0, 0, "entropy {5e-324, 5e-324} = 1 (subnormal counts)");

	{
		int			k,
					bad = 0;

		for (k = 1; k <= 12; k++)
		{
			flathist   *u = uniform(1 << k, 3);
			double		e = sy_entropy(u->v);

			if (fabs(e - k) > 4 * k * DBL_EPSILON)
			{
				bad++;
				diag("uniform %d: %.17g", 1 << k, e);
			}
			uniform_free(u);
		}
		is_int(bad, 0, "entropy of uniform 2^k labels = k within 4k ulps, k = 1..12");
	}

	is_double(sy_normalized_entropy(two.v), 1.0, 0, "normalized entropy {1,1} = 1");
	is_double(sy_normalized_entropy(skew.v), hs, 4e-16, "normalized entropy {1,3} = entropy / 1");
	is_double(sy_normalized_entropy(u3->v), 1.0, 4e-16, "normalized entropy uniform 3 = 1");
	is_double(sy_normalized_entropy(u8->v), 1.0, 4e-16, "normalized entropy uniform 8 = 1");
	is_double(sy_normalized_entropy(one.v), 0.0, 0, "normalized entropy of a single label = 0");
	ok(isnan(sy_normalized_entropy(empty_view)), "normalized entropy of an empty histogram is NaN");
	{
		FLAT(three, {"a", 1}, {"b", 1}, {"c", 2});
		double		e3 = 1.5;	/* -(1/4 log 1/4 * 2 + 1/2 log 1/2) */

		is_double(sy_entropy(three.v), e3, 0, "entropy {1,1,2} = 1.5 bits");
		is_double(sy_normalized_entropy(three.v), (double) (1.5L / LOG2_3), 4e-16,
				  "normalized entropy {1,1,2} = 1.5 / log2 3");
		flathist_free(&three);
	}

	{
		int			n,
					above = 0,
					far = 0;
		double		worst = 1;

		for (n = 2; n <= 300; n++)
		{
			flathist   *u = uniform(n, 1);
			double		e = sy_normalized_entropy(u->v);

			if (e > 1)
			{
				above++;
				if (e > worst)
					worst = e;
			}
			if (fabs(e - 1) > 1e-14)
				far++;
			uniform_free(u);
		}
		is_int(far, 0, "normalized entropy of uniform n = 1 within 1e-14, n = 2..300");
		ok(above == 0, "normalized entropy never exceeds 1 (uniform n = 2..300: %d above, worst %.17g)", above, worst);
	}

	uniform_free(u8);
	uniform_free(u4);
	uniform_free(u3);
	flathist_free(&two);
	flathist_free(&skew);
	flathist_free(&skew2);
	flathist_free(&one);
	flathist_free(&tiny);
}

/* ------------------------------------------------------- divergences (JS) */

static void
test_js(void)
{
	FLAT(pa, {"a", 1});
	FLAT(pb, {"b", 1});
	FLAT(pab, {"a", 1}, {"b", 1});
	FLAT(pab2, {"a", 5}, {"b", 5});
	FLAT(pq, {"a", 1}, {"b", 3});
	double		js_ab_a = (double) (1.5L - 0.75L * LOG2_3);

	is_double(sy_js_divergence(pa.v, pb.v), 1.0, 0, "JS of disjoint supports = 1 bit");
	is_double(sy_js_divergence(pab.v, pab.v), 0.0, 0, "JS(p, p) = 0 exactly");
	is_double(sy_js_divergence(pab.v, pab2.v), 0.0, 0, "JS of proportional histograms = 0 exactly");
	is_double(sy_js_divergence(pab.v, pa.v), js_ab_a, 4e-16, "JS({a:1,b:1}, {a:1}) = 3/2 - 3/4 log2 3 = 0.311278...");
	is_double(sy_js_divergence(pa.v, pab.v), js_ab_a, 4e-16, "JS is symmetric");
	{
		/* JS({1,3}, {1,1}): M = {3/8, 5/8} */
		long double p1 = 0.25L,
					p2 = 0.75L,
					m1 = 0.375L,
					m2 = 0.625L;
		long double js = 0.5L * (p1 * log2l(p1 / m1) + p2 * log2l(p2 / m2)) +
			0.5L * (0.5L * log2l(0.5L / m1) + 0.5L * log2l(0.5L / m2));

		is_double(sy_js_divergence(pq.v, pab.v), (double) js, 4e-16, "JS({a:1,b:3}, {a:1,b:1}) = %.15Lg", js);
	}
	ok(isnan(sy_js_divergence(empty_view, pa.v)), "JS(empty, p) is NaN");
	ok(isnan(sy_js_divergence(pa.v, empty_view)), "JS(p, empty) is NaN");
	ok(isnan(sy_js_divergence(empty_view, empty_view)), "JS(empty, empty) is NaN");

	{
		FLAT(t1, {"a", 5e-324}, {"b", 1});
		FLAT(t2, {"b", 1});
		double		js = sy_js_divergence(t1.v, t2.v);

		ok(js < 1e-300, "JS({a:5e-324, b:1}, {b:1}) ~ 0 (got %.17g)", js);
		flathist_free(&t1);
		flathist_free(&t2);
	}
	{
		/* KL: q_a = 1e-300 / 1e300 underflows although q has label a */
		FLAT(p, {"a", 1}, {"b", 1});
		FLAT(q, {"a", 1e-300}, {"b", 1e300});
		long double want = 0.5L * log2l(0.5L / (1e-300L / 1e300L)) + 0.5L * log2l(0.5L);

		is_double(sy_kl_divergence(p.v, q.v, 0), (double) want, 1e-9,
				  "KL({1,1} || {1e-300, 1e300}) = %.6Lf bits, finite", want);
		flathist_free(&p);
		flathist_free(&q);
	}

	flathist_free(&pa);
	flathist_free(&pb);
	flathist_free(&pab);
	flathist_free(&pab2);
	flathist_free(&pq);
}

/* ------------------------------------------------------- divergences (KL) */

static void
test_kl(void)
{
	FLAT(p11, {"a", 1}, {"b", 1});
	FLAT(q13, {"a", 1}, {"b", 3});
	FLAT(pa, {"a", 1});
	FLAT(pb, {"b", 1});
	FLAT(p31, {"a", 3}, {"b", 1});
	FLAT(qac, {"a", 1}, {"c", 1});

	is_double(sy_kl_divergence(p11.v, q13.v, 0), (double) (1.0L - 0.5L * LOG2_3), 4e-16,
			  "KL({1,1} || {1,3}) = 1 - 1/2 log2 3 = 0.207519...");
	{
		long double kl = 0.25L * log2l(0.25L / 0.5L) + 0.75L * log2l(0.75L / 0.5L);

		is_double(sy_kl_divergence(q13.v, p11.v, 0), (double) kl, 4e-16, "KL({1,3} || {1,1}) = %.15Lg (not symmetric)", kl);
	}
	is_double(sy_kl_divergence(p11.v, p11.v, 0), 0.0, 0, "KL(p || p) = 0 exactly");
	is_double(sy_kl_divergence(p11.v, p11.v, 1), 0.0, 0, "KL(p || p) = 0 with smoothing too");
	is_double(sy_kl_divergence(pa.v, pb.v, 0), INFINITY, 0, "KL with q lacking p's label, alpha 0 = +inf");
	is_double(sy_kl_divergence(p11.v, pa.v, 0), INFINITY, 0, "KL({a,b} || {a}), alpha 0 = +inf");
	is_double(sy_kl_divergence(pa.v, p11.v, 0), 1.0, 0, "KL({a} || {a,b}) = 1 bit (labels only in q are fine)");
	is_double(sy_kl_divergence(pa.v, pb.v, 1), (double) LOG2_3, 4e-16,
			  "KL({a:1} || {b:1}), alpha 1: q_a = 1/3, so log2 3");
	is_double(sy_kl_divergence(pa.v, p11.v, 1), 1.0, 0, "KL({a} || {a,b}), alpha 1: q_a = 2/4 -> 1 bit");
	is_double(sy_kl_divergence(p31.v, qac.v, 0.5), 0.80735492205760410744, 4e-16,
			  "KL({a:3,b:1} || {a:1,c:1}), alpha 0.5: q = {3/7, 1/7, 3/7} -> log2 1.75");
	{
		/* alpha smoothing over the union: p = {a:1,b:1}, q = {a:2,c:2}, alpha 1:
		 * U = {a,b,c}, T = 4 + 3 = 7: q_a = 3/7, q_b = 1/7 */
		FLAT(qa2c2, {"a", 2}, {"c", 2});
		long double kl = 0.5L * log2l(0.5L / (3.0L / 7)) + 0.5L * log2l(0.5L / (1.0L / 7));

		is_double(sy_kl_divergence(p11.v, qa2c2.v, 1), (double) kl, 4e-16, "KL alpha 1 over a 3-label union = %.15Lg", kl);
		flathist_free(&qa2c2);
	}
	ok(isnan(sy_kl_divergence(empty_view, pa.v, 0)), "KL(empty || q) is NaN");
	ok(isnan(sy_kl_divergence(pa.v, empty_view, 1)), "KL(p || empty) is NaN");

	flathist_free(&p11);
	flathist_free(&q13);
	flathist_free(&pa);
	flathist_free(&pb);
	flathist_free(&p31);
	flathist_free(&qac);
}

/* --------------------------------------------- random vs a long double ref */

typedef struct refdist
{
	int			n;
	const char **labels;
	double	   *counts;
} refdist;

static long double
ref_total(const double *c, int n)
{
	long double t = 0;
	int			i;

	for (i = 0; i < n; i++)
		t += c[i];
	return t;
}

static void
test_random(void)
{
	static const char *names[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
	int			iter,
				bad_h = 0,
				bad_nh = 0,
				bad_js = 0,
				bad_kl = 0,
				bad_kl0 = 0,
				bad_range = 0;

	rng_seed(31337);
	for (iter = 0; iter < 2000; iter++)
	{
		double		pc[12],
					qc[12];
		pair		pp[12],
					qp[12];
		int			np = 0,
					nq = 0,
					i;
		flathist	P,
					Q;
		long double tp,
					tq,
					h = 0,
					js = 0,
					kl = 0,
					alpha = (iter % 2) ? 0.5L : 0,
					tqa;
		int			kl_inf = 0,
					nunion = 0,
					nlab = 1 + (int) rng_below(12);
		double		got;

		for (i = 0; i < nlab; i++)
		{
			pc[i] = rng_below(3) ? (double) (1 + rng_below(1000)) * pow(2, (int) rng_below(20) - 10) : 0;
			qc[i] = rng_below(3) ? (double) (1 + rng_below(1000)) : 0;
			if (pc[i] > 0)
				pp[np++] = (pair) {names[i], pc[i]};
			if (qc[i] > 0)
				qp[nq++] = (pair) {names[i], qc[i]};
			if (pc[i] > 0 || qc[i] > 0)
				nunion++;
		}
		if (np == 0 || nq == 0)
			continue;
		flathist_make(&P, pp, (size_t) np);
		flathist_make(&Q, qp, (size_t) nq);
		tp = ref_total(pc, nlab);
		tq = ref_total(qc, nlab);
		tqa = tq + alpha * nunion;
		for (i = 0; i < nlab; i++)
		{
			long double p = pc[i] / tp,
						q = qc[i] / tq,
						m = (p + q) / 2,
						qa = (qc[i] + alpha) / tqa;

			if (pc[i] == 0 && qc[i] == 0)
				continue;
			if (p > 0)
			{
				h -= p * log2l(p);
				js += 0.5L * p * log2l(p / m);
				if (qa == 0)
					kl_inf = 1;
				else
					kl += p * log2l(p / qa);
			}
			if (q > 0)
				js += 0.5L * q * log2l(q / m);
		}
		got = sy_entropy(P.v);
		if (fabsl(got - h) > 1e-13L * (1 + h))
			bad_h++;
		got = sy_normalized_entropy(P.v);
		if (np == 1 ? got != 0 : fabsl(got - h / log2l(np)) > 1e-13L)
			bad_nh++;
		got = sy_js_divergence(P.v, Q.v);
		if (fabsl(got - js) > 1e-13L)
		{
			if (bad_js++ < 3)
				diag("JS %.17g vs %.17Lg", got, js);
		}
		if (!(got >= 0 && got <= 1))
			bad_range++;
		if (got != sy_js_divergence(Q.v, P.v))
		{
			/* symmetric up to rounding */
			if (fabs(got - sy_js_divergence(Q.v, P.v)) > 1e-15)
				bad_js++;
		}
		got = sy_kl_divergence(P.v, Q.v, (double) alpha);
		if (kl_inf)
		{
			if (got != INFINITY)
				bad_kl0++;
		}
		else if (fabsl(got - kl) > 1e-13L * (1 + fabsl(kl)))
		{
			if (bad_kl++ < 3)
				diag("KL alpha %Lg: %.17g vs %.17Lg", alpha, got, kl);
		}
		flathist_free(&P);
		flathist_free(&Q);
	}
	is_int(bad_h, 0, "2000 random histograms: entropy matches a long double reference");
	is_int(bad_nh, 0, "normalized entropy matches");
	is_int(bad_js, 0, "JS matches, and is symmetric");
	is_int(bad_range, 0, "JS stays in [0, 1]");
	is_int(bad_kl, 0, "KL (alpha 0 and 0.5) matches");
	is_int(bad_kl0, 0, "KL is +inf exactly when alpha is 0 and q lacks a label of p");
}

/* ------------------------------------------------------- ranking and share */

static void
test_rank(void)
{
	FLAT(h, {"a", 1}, {"b", 3}, {"c", 3}, {"d", 2}, {"e", 0.5}, {"", 3});
	uint32_t	order[6];
	const uint32_t expect[6] = {0, 2, 3, 4, 1, 5};	/* "", b, c (3 each), d, a, e */
	int			i,
				bad = 0;

	/* flat order: "" a b c d e -> indices 0..5 */
	sy_rank_by_count(&sy_env_malloc, h.v, order);
	for (i = 0; i < 6; i++)
		if (order[i] != expect[i])
			bad++;
	is_int(bad, 0, "rank_by_count: count descending, label ascending on ties (\"\", b, c, d, a, e)");
	if (bad)
		diag("got %u %u %u %u %u %u", order[0], order[1], order[2], order[3], order[4], order[5]);
	sy_rank_by_count(&sy_env_malloc, empty_view, order);
	ok(1, "rank_by_count of an empty view does not crash");

	/* random: compare with a reference ranking */
	{
		int			iter,
					badr = 0;

		rng_seed(5);
		for (iter = 0; iter < 200; iter++)
		{
			pair		p[50];
			char		names[50][8];
			int			n = 1 + (int) rng_below(50),
						j;
			flathist	f;
			uint32_t	ord[50];

			for (j = 0; j < n; j++)
			{
				snprintf(names[j], sizeof names[j], "L%02u", (unsigned) j % 100u);
				p[j].label = names[j];
				p[j].count = 1 + rng_below(5);	/* many ties */
			}
			flathist_make(&f, p, (size_t) n);
			sy_rank_by_count(&sy_env_malloc, f.v, ord);
			for (j = 1; j < n; j++)
			{
				const sy_hist_entry *x = &f.v.entries[ord[j - 1]],
						   *y = &f.v.entries[ord[j]];

				if (x->count < y->count ||
					(x->count == y->count && ord[j - 1] >= ord[j]))	/* flat index order = label order */
					badr++;
			}
			{
				/* a permutation */
				int			seen[50] = {0};

				for (j = 0; j < n; j++)
					if (ord[j] >= (uint32_t) n || seen[ord[j]]++)
						badr++;
			}
			flathist_free(&f);
		}
		is_int(badr, 0, "200 random rankings are permutations in (count desc, label asc) order");
	}

	{
		double		share = -1;

		is_status(sy_top_share(&sy_env_malloc, h.v, 0, &share), SY_OK, "top_share k = 0");
		is_double(share, 0.0, 0, "top 0 share = 0");
		sy_top_share(&sy_env_malloc, h.v, 1, &share);
		is_double(share, 3 / 12.5, 0, "top 1 share = 3 / 12.5");
		sy_top_share(&sy_env_malloc, h.v, 3, &share);
		is_double(share, 9 / 12.5, 0, "top 3 share = 9 / 12.5");
		sy_top_share(&sy_env_malloc, h.v, 5, &share);
		is_double(share, 12 / 12.5, 0, "top 5 share = 12 / 12.5");
		sy_top_share(&sy_env_malloc, h.v, 6, &share);
		is_double(share, 1.0, 0, "top 6 of 6 share = 1");
		sy_top_share(&sy_env_malloc, h.v, UINT32_MAX, &share);
		is_double(share, 1.0, 0, "top UINT32_MAX share = 1");
		share = 0;
		is_status(sy_top_share(&sy_env_malloc, empty_view, 3, &share), SY_OK, "top_share of an empty view");
		ok(isnan(share), "is NaN");
	}
	{
		fail_ctx	c;
		sy_env		env = fail_env(&c, 0);
		double		share = -1;

		is_status(sy_top_share(&env, h.v, 2, &share), SY_ENOMEM, "top_share with a failing allocator: SY_ENOMEM");
		is_int(c.live, 0, "and leaks nothing");
		c.budget = -1;
		is_status(sy_top_share(&env, h.v, 2, &share), SY_OK, "then works");
		is_double(share, 6 / 12.5, 0, "top 2 share = 6 / 12.5");
		is_int(c.live, 0, "and frees its scratch");
	}
	flathist_free(&h);
}

/* ---------------------------------------------------- extreme magnitudes */

static void
test_extremes(void)
{
	FLAT(other, {"c", 1});
	FLAT(half, {"a", DBL_MAX / 2}, {"b", DBL_MAX / 2});
	FLAT(tiny, {"a", 5e-324}, {"b", 1});
	FLAT(b_only, {"b", 1});
	FLAT(p, {"a", 1}, {"b", 1});
	FLAT(q, {"a", 1e-300}, {"b", 1e300});
	double		share = -1;

	/* totals up to DBL_MAX: the builder refuses anything beyond */
	is_double(sy_entropy(half.v), 1.0, 0, "entropy {DBL_MAX/2, DBL_MAX/2} = 1");
	is_double(sy_normalized_entropy(half.v), 1.0, 0, "normalized entropy {DBL_MAX/2 x2} = 1");
	is_double(sy_js_divergence(half.v, other.v), 1.0, 0, "JS({DBL_MAX/2 x2}, {c:1}) = 1");
	is_double(sy_kl_divergence(half.v, half.v, 0), 0.0, 0, "KL(p || p) = 0 for p = {DBL_MAX/2 x2}");
	sy_top_share(&sy_env_malloc, half.v, 1, &share);
	is_double(share, 0.5, 0, "top 1 share of {DBL_MAX/2, DBL_MAX/2} = 0.5");

	/* underflow does not make finite divergences infinite */
	ok(sy_js_divergence(tiny.v, b_only.v) < 1e-300, "JS({5e-324, 1}, {1}) is about 0");
	is_double(sy_kl_divergence(p.v, q.v, 0), 995.5784284662087, 1e-9,
			  "KL({1, 1} || {1e-300, 1e300}) = 995.58 bits, not infinite");

	flathist_free(&other);
	flathist_free(&half);
	flathist_free(&tiny);
	flathist_free(&b_only);
	flathist_free(&p);
	flathist_free(&q);
}

int
main(void)
{
	test_total();
	test_entropy();
	test_js();
	test_kl();
	test_random();
	test_rank();
	test_extremes();
	return done_testing();
}
