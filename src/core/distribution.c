/* distribution.c: entropy, divergences and shares of label distributions. */
#include <math.h>
#include "distribution.h"
#include "sort.h"

#define LN2 0.69314718055994530942

/*
 * Neumaier's compensated sum: the error stays near one rounding whatever the
 * number of terms, where a plain loop loses up to n of them.
 */
typedef struct sum_acc
{
	double		sum;
	double		carry;
} sum_acc;

static void
sum_add(sum_acc *a, double x)
{
	double		t = a->sum + x;

	if (!isfinite(t))
	{
		a->sum = t;				/* an infinite term (KL) stays infinite */
		return;
	}
	if (fabs(a->sum) >= fabs(x))
		a->carry += (a->sum - t) + x;
	else
		a->carry += (x - t) + a->sum;
	a->sum = t;
}

static double
sum_value(const sum_acc *a)
{
	return isfinite(a->sum) ? a->sum + a->carry : a->sum;
}

double
sy_total(sy_hist_view v)
{
	sum_acc		total = {0, 0};
	uint32_t	i;

	for (i = 0; i < v.n; i++)
		sum_add(&total, v.entries[i].count);
	return sum_value(&total);
}

/* -sum p ln p in nats, over counts divided by total. */
static double
entropy_nats(sy_hist_view v, double total)
{
	sum_acc		sum = {0, 0};
	uint32_t	i;

	for (i = 0; i < v.n; i++)
	{
		double		p = v.entries[i].count / total;

		if (p > 0)
			sum_add(&sum, -p * log(p));
	}
	return sum_value(&sum);
}

double
sy_entropy(sy_hist_view v)
{
	if (v.n == 0)
		return NAN;
	return entropy_nats(v, sy_total(v)) / LN2;
}

double
sy_normalized_entropy(sy_hist_view v)
{
	if (v.n == 0)
		return NAN;
	if (v.n == 1)
		return 0;
	/* Rounding can step an ulp past 1 for uniform histograms. */
	return fmin(1, entropy_nats(v, sy_total(v)) / log((double) v.n));
}

/*
 * Walk two label-sorted views in step, calling visit with each label's
 * count in p and in q (0 where absent).
 */
typedef void (*pair_visitor) (double pc, double qc, void *acc);

static void
walk_union(sy_hist_view p, sy_hist_view q, pair_visitor visit, void *acc)
{
	uint32_t	i = 0;
	uint32_t	j = 0;

	while (i < p.n || j < q.n)
	{
		int			c;

		if (i == p.n)
			c = 1;
		else if (j == q.n)
			c = -1;
		else
			c = sy_label_cmp(p.labels + p.entries[i].label_off, p.entries[i].label_len,
							 q.labels + q.entries[j].label_off, q.entries[j].label_len);
		if (c < 0)
			visit(p.entries[i++].count, 0, acc);
		else if (c > 0)
			visit(0, q.entries[j++].count, acc);
		else
			visit(p.entries[i++].count, q.entries[j++].count, acc);
	}
}

typedef struct js_acc
{
	double		p_total;
	double		q_total;
	sum_acc		left;
	sum_acc		right;
} js_acc;

static void
js_visit(double pc, double qc, void *acc)
{
	js_acc	   *a = acc;
	double		p = pc / a->p_total;
	double		q = qc / a->q_total;

	/* p / m as 2p / (p + q): the mean m = (p + q) / 2 can underflow to 0. */
	if (p > 0)
		sum_add(&a->left, p * log(2 * p / (p + q)));
	if (q > 0)
		sum_add(&a->right, q * log(2 * q / (p + q)));
}

double
sy_js_divergence(sy_hist_view p, sy_hist_view q)
{
	js_acc		a = {sy_total(p), sy_total(q), {0, 0}, {0, 0}};
	double		js;

	if (p.n == 0 || q.n == 0)
		return NAN;
	walk_union(p, q, js_visit, &a);
	js = (sum_value(&a.left) + sum_value(&a.right)) / 2 / LN2;
	/* Rounding can step just outside the mathematical range. */
	return js < 0 ? 0 : js > 1 ? 1 : js;
}

static void
count_visit(double pc, double qc, void *acc)
{
	(void) pc;
	(void) qc;
	(*(uint64_t *) acc)++;
}

typedef struct kl_acc
{
	double		p_total;
	double		q_scale;		/* 1, or 2^-64 if q's smoothed total overflows */
	double		q_total;		/* (total + alpha |U|) * q_scale */
	double		alpha;			/* alpha * q_scale */
	sum_acc		sum;
} kl_acc;

static void
kl_visit(double pc, double qc, void *acc)
{
	kl_acc	   *a = acc;
	double		p = pc / a->p_total;
	double		q_mass = qc * a->q_scale + a->alpha;
	double		q = q_mass / a->q_total;
	double		ratio = p / q;

	if (p == 0)
		return;
	if (q_mass == 0)
		sum_add(&a->sum, INFINITY);
	else if (q == 0 || ratio == 0 || isinf(ratio))
		/* q or p / q out of range: take the logarithms apart instead. */
		sum_add(&a->sum, p * (log(pc) - log(a->p_total) - log(q_mass) + log(a->q_total)));
	else
		sum_add(&a->sum, p * log(ratio));
}

double
sy_kl_divergence(sy_hist_view p, sy_hist_view q, double alpha)
{
	uint64_t	union_size = 0;
	kl_acc		a;

	if (p.n == 0 || q.n == 0)
		return NAN;
	walk_union(p, q, count_visit, &union_size);
	a.p_total = sy_total(p);
	/* A power of two scales exactly, keeping a huge smoothing finite. */
	a.q_scale = isfinite(sy_total(q) + alpha * (double) union_size) ? 1 : ldexp(1, -64);
	a.q_total = sy_total(q) * a.q_scale + alpha * a.q_scale * (double) union_size;
	a.alpha = alpha * a.q_scale;
	a.sum.sum = 0;
	a.sum.carry = 0;
	walk_union(p, q, kl_visit, &a);
	return sum_value(&a.sum) / LN2;
}

static int
cmp_by_count_desc(uint32_t a, uint32_t b, const void *ctx)
{
	const sy_hist_view *v = ctx;
	const sy_hist_entry *ea = &v->entries[a];
	const sy_hist_entry *eb = &v->entries[b];

	if (ea->count != eb->count)
		return ea->count > eb->count ? -1 : 1;
	return sy_label_cmp(v->labels + ea->label_off, ea->label_len,
						v->labels + eb->label_off, eb->label_len);
}

void
sy_rank_by_count(const sy_env *env, sy_hist_view v, uint32_t *order)
{
	uint32_t	i;

	for (i = 0; i < v.n; i++)
		order[i] = i;
	sy_sort_indices(order, v.n, cmp_by_count_desc, &v, env);
}

sy_status
sy_top_share(const sy_env *env, sy_hist_view v, uint32_t k, double *share)
{
	uint32_t   *order;
	sum_acc		top = {0, 0};
	uint32_t	i;

	if (v.n == 0)
	{
		*share = NAN;
		return SY_OK;
	}
	if (k >= v.n)
	{
		*share = 1;
		return SY_OK;
	}
	order = env->alloc(env->ctx, (size_t) v.n * sizeof(uint32_t));
	if (order == NULL)
		return SY_ENOMEM;
	sy_rank_by_count(env, v, order);
	for (i = 0; i < k; i++)
		sum_add(&top, v.entries[order[i]].count);
	env->free(env->ctx, order);
	*share = sum_value(&top) / sy_total(v);
	return SY_OK;
}
