/*
 * gen_ip_rows.c: the MinHash benchmark's synthetic access log, written to
 * stdout in COPY text format (account_id TAB ip), one row per request.
 *
 * Usage: gen_ip_rows [rows [accounts [seed]]]          the rows
 *        gen_ip_rows rows accounts seed --stats        a summary, one line
 *        defaults: 30000000 1000000 20240601
 *
 * Deterministic: the same arguments give the same bytes (splitmix64 PRNG, no
 * libc rand, no floating point in the output; exp/log/cos/pow only shape
 * the distributions).  The model, documented in bench/README.md, section
 * "MinHash and similar pairs":
 *
 *   - account ids are 1..accounts; each account has a set of distinct IPs
 *     and at least one row per IP;
 *   - ordinary accounts: the number of IPs m is log-normal,
 *     ceil(exp(0.9 + 0.9 z)) clipped to 1..50, with z correlated (0.5) with
 *     the account's activity: median 3, mean about 4, p99 about 20.  The
 *     first IP is "home": a residential IP drawn uniformly from a pool of
 *     16 per account (so a few households share one), or, for 8% of the
 *     accounts (mobile only), a shared IP.  Each further IP is a shared IP
 *     with probability 0.4, otherwise another residential one (work, cafes,
 *     travel);
 *   - shared IPs (mobile carrier CGNAT, corporate NAT, public Wi-Fi): a
 *     fixed pool of 4096 whatever the number of accounts, drawn with a Zipf
 *     (exponent 0.62) popularity.  Their degree grows with the number of
 *     accounts, as it does when a service grows (or when the smaller table
 *     is read as a sample of the larger one's accounts), so the self-join's
 *     pair count, sum over IPs of deg * (deg - 1) / 2, grows as accounts^2:
 *     about 1e9 at 1M accounts, 1e7 at 100k;
 *   - campaigns: 2.5% of the accounts (25,000 at 1M, as in the reported
 *     campaign), in groups of 20 to 500 (log-uniform; the last group takes
 *     the remainder).  A group has its own proxy pool of 4 to 48 IPs
 *     (log-uniform) and a target similarity J*; each member takes each
 *     proxy with probability 2 J* / (1 + J*) (at least one), so two members
 *     have Jaccard similarity about J*, and 30% of members add a
 *     residential IP of their own.  J*: a third of the groups 0.40-0.60
 *     (near the 0.5 threshold), a sixth 0.72-0.88 (near 0.8), the rest
 *     0.5-1.0.  Members are drawn at random from all account ids;
 *   - activity: every account first gets one row per IP, and the remaining
 *     rows are shared out in proportion to a log-normal weight (sigma 1.3),
 *     as in gen_interactions.c.  Within an account the IPs are used with
 *     weight 1/(j+1) (home first), campaign members use their IPs evenly;
 *   - IPs are IPv4 addresses: pool index -> a public-looking address (first
 *     octet 1-223 without 10 and 127) through a keyed bijection, so pools
 *     never overlap and addresses have no locality;
 *   - rows are in time order: all rows shuffled (a seeded Fisher-Yates), as
 *     in an append-only log.
 *
 * Memory: 4 bytes a row plus about 100 bytes an account.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IPS 50				/* ordinary accounts */
#define MAX_SET 64				/* any account: proxies (48) + own IP */
#define RES_PER_ACCOUNT 16		/* residential pool: 16 IPs per account */
#define SHARED_IPS 4096
#define SHARED_ZIPF 0.62
#define P_HOME_SHARED 0.08
#define P_EXTRA_SHARED 0.40
#define CAMPAIGN_SHARE 0.025
#define GROUP_MIN 20
#define GROUP_MAX 500
#define POOL_MIN 4
#define POOL_MAX 48
#define P_OWN_IP 0.30

static uint64_t rng_state;

static uint64_t
next_u64(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 bits. */
static double
next_unit(void)
{
	return (double) (next_u64() >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-32 here). */
static uint32_t
next_below(uint32_t n)
{
	return (uint32_t) (((next_u64() >> 32) * (uint64_t) n) >> 32);
}

/* Standard normal (Box-Muller; one of the pair is enough here). */
static double
next_normal(void)
{
	double		u = next_unit();
	double		v = next_unit();

	return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* Log-uniform integer in [lo, hi]. */
static uint32_t
next_log_uniform(uint32_t lo, uint32_t hi)
{
	double		x = exp(log((double) lo) + next_unit() * (log(hi + 1.0) - log((double) lo)));
	uint32_t	v = (uint32_t) x;

	return v < lo ? lo : v > hi ? hi : v;
}

static double shared_cdf[SHARED_IPS];

static uint32_t
next_shared(void)
{
	double		u = next_unit();
	uint32_t	lo = 0,
				hi = SHARED_IPS - 1;

	while (lo < hi)
	{
		uint32_t	mid = (lo + hi) / 2;

		if (shared_cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "gen_ip_rows: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

/*
 * Pool index -> IPv4 address.  The index is first laid onto the public-looking
 * addresses (first octet 1..223 without 10 and 127), in order; then a keyed
 * permutation of the 32-bit space is applied until the value lands on such
 * an address again (cycle walking), which keeps it a bijection of that set.
 */
static uint32_t ip_key;

static int
public_looking(uint32_t v)
{
	uint32_t	o = v >> 24;

	return o >= 1 && o <= 223 && o != 10 && o != 127;
}

static uint32_t
ip_address(uint32_t index)
{
	uint32_t	v = index + (1u << 24);

	if (v >= (10u << 24))
		v += 1u << 24;
	if (v >= (127u << 24))
		v += 1u << 24;
	do
	{
		v ^= ip_key;
		v *= 0x9E3779B1u;
		v ^= v >> 15;
		v *= 0x85EBCA6Bu;
		v ^= v >> 13;
	} while (!public_looking(v));
	return v;
}

static int
compare_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a,
				y = *(const uint32_t *) b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	uint64_t	rows = argc > 1 ? strtoull(argv[1], NULL, 10) : 30000000;
	uint32_t	accounts = argc > 2 ? (uint32_t) strtoul(argv[2], NULL, 10) : 1000000;
	uint64_t	seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 20240601;
	int			stats = argc > 4 && strcmp(argv[4], "--stats") == 0;
	uint64_t	residential;
	uint32_t	shared_base,
				proxy_base,
				n_proxies = 0;
	double		zsum = 0,
				wsum = 0;
	double	   *weight;
	uint32_t   *perm,
			   *group_of,		/* account -> group + 1, 0 if ordinary */
			   *start,			/* account a's IPs: ips[start[a] .. start[a + 1]) */
			   *ips,
			   *count,
			   *log_rows;
	uint32_t	n_groups = 0,
				cap_groups = 64,
			   *g_size,
			   *g_pool,
			   *g_pool_base;
	double	   *g_incl;
	uint32_t	in_campaigns;
	uint64_t	distinct = 0,
				spare,
				given = 0,
				i;
	uint32_t	a;
	static char outbuf[1 << 20];
	size_t		outpos = 0;

	if (accounts == 0 || rows > UINT32_MAX || (uint64_t) accounts * RES_PER_ACCOUNT > 3000000000ULL)
	{
		fprintf(stderr, "usage: %s [rows [accounts [seed [--stats]]]] with 0 < accounts <= 1.8e8, rows < 2^32\n",
				argv[0]);
		return 2;
	}
	rng_state = seed;
	ip_key = (uint32_t) next_u64();
	residential = (uint64_t) accounts * RES_PER_ACCOUNT;
	shared_base = (uint32_t) residential;
	proxy_base = shared_base + SHARED_IPS;

	for (uint32_t t = 0; t < SHARED_IPS; t++)
		zsum += pow(t + 1.0, -SHARED_ZIPF);
	for (uint32_t t = 0; t < SHARED_IPS; t++)
		shared_cdf[t] = (t ? shared_cdf[t - 1] : 0) + pow(t + 1.0, -SHARED_ZIPF) / zsum;
	shared_cdf[SHARED_IPS - 1] = 2.0;	/* catch u close to 1 */

	/* Campaign members: a random 2.5% of the accounts, cut into groups. */
	perm = xmalloc(sizeof(uint32_t) * accounts);
	for (a = 0; a < accounts; a++)
		perm[a] = a;
	for (a = accounts - 1; a > 0; a--)
	{
		uint32_t	j = next_below(a + 1),
					x = perm[a];

		perm[a] = perm[j];
		perm[j] = x;
	}
	in_campaigns = (uint32_t) floor(accounts * CAMPAIGN_SHARE + 0.5);
	if (in_campaigns < 2)
		in_campaigns = 0;
	g_size = xmalloc(sizeof(uint32_t) * cap_groups);
	g_pool = xmalloc(sizeof(uint32_t) * cap_groups);
	g_pool_base = xmalloc(sizeof(uint32_t) * cap_groups);
	g_incl = xmalloc(sizeof(double) * cap_groups);
	for (uint32_t placed = 0; placed < in_campaigns;)
	{
		uint32_t	size = next_log_uniform(GROUP_MIN, GROUP_MAX);
		double		u = next_unit(),
					target;

		/* the last group takes the remainder (so it may pass GROUP_MAX a little) */
		if (size + GROUP_MIN > in_campaigns - placed)
			size = in_campaigns - placed;
		if (n_groups == cap_groups)
		{
			cap_groups *= 2;
			g_size = realloc(g_size, sizeof(uint32_t) * cap_groups);
			g_pool = realloc(g_pool, sizeof(uint32_t) * cap_groups);
			g_pool_base = realloc(g_pool_base, sizeof(uint32_t) * cap_groups);
			g_incl = realloc(g_incl, sizeof(double) * cap_groups);
			if (!g_size || !g_pool || !g_pool_base || !g_incl)
			{
				fprintf(stderr, "gen_ip_rows: out of memory\n");
				return 1;
			}
		}
		if (u < 1.0 / 3)
			target = 0.40 + 0.20 * next_unit();
		else if (u < 0.5)
			target = 0.72 + 0.16 * next_unit();
		else
			target = 0.50 + 0.50 * next_unit();
		g_size[n_groups] = size;
		g_pool[n_groups] = next_log_uniform(POOL_MIN, POOL_MAX);
		g_pool_base[n_groups] = proxy_base + n_proxies;
		g_incl[n_groups] = 2 * target / (1 + target);
		n_proxies += g_pool[n_groups];
		n_groups++;
		placed += size;
	}
	group_of = xmalloc(sizeof(uint32_t) * accounts);
	memset(group_of, 0, sizeof(uint32_t) * accounts);
	{
		uint32_t	k = 0;

		for (uint32_t g = 0; g < n_groups; g++)
			for (uint32_t j = 0; j < g_size[g]; j++)
				group_of[perm[k++]] = g + 1;
	}
	free(perm);

	/*
	 * Each account's IP set, and its activity weight.  The first draw of
	 * every account is its activity, so the set size can follow it.
	 */
	weight = xmalloc(sizeof(double) * accounts);
	start = xmalloc(sizeof(uint32_t) * ((size_t) accounts + 1));
	{
		size_t		cap = (size_t) accounts * 6 + 1024;

		ips = xmalloc(sizeof(uint32_t) * cap);
		for (a = 0; a < accounts; a++)
		{
			double		z_act = next_normal();
			uint32_t	set[MAX_SET];
			uint32_t	m = 0;

			weight[a] = exp(1.3 * z_act);
			wsum += weight[a];
			if (group_of[a] == 0)
			{
				double		z = 0.5 * z_act + 0.8660254037844386 * next_normal();
				double		x = ceil(exp(0.9 + 0.9 * z));
				uint32_t	want = x < 1 ? 1 : x > MAX_IPS ? MAX_IPS : (uint32_t) x;

				while (m < want)
				{
					double		p = m == 0 ? P_HOME_SHARED : P_EXTRA_SHARED;
					uint32_t	ip = next_unit() < p ? shared_base + next_shared()
						: (uint32_t) (next_u64() % residential);
					uint32_t	j;

					for (j = 0; j < m && set[j] != ip; j++)
						;
					if (j == m)
						set[m++] = ip;
				}
			}
			else
			{
				uint32_t	g = group_of[a] - 1;

				for (uint32_t j = 0; j < g_pool[g]; j++)
					if (next_unit() < g_incl[g])
						set[m++] = g_pool_base[g] + j;
				if (m == 0)
					set[m++] = g_pool_base[g] + next_below(g_pool[g]);
				if (next_unit() < P_OWN_IP)
					set[m++] = (uint32_t) (next_u64() % residential);
			}
			if (distinct + m > cap)
			{
				cap *= 2;
				ips = realloc(ips, sizeof(uint32_t) * cap);
				if (ips == NULL)
				{
					fprintf(stderr, "gen_ip_rows: out of memory\n");
					return 1;
				}
			}
			start[a] = (uint32_t) distinct;
			memcpy(ips + distinct, set, sizeof(uint32_t) * m);
			distinct += m;
		}
		start[accounts] = (uint32_t) distinct;
	}
	if (rows < distinct)
	{
		fprintf(stderr, "gen_ip_rows: %llu rows are fewer than the %llu distinct (account, ip) pairs;"
				" give at least %llu\n", (unsigned long long) rows,
				(unsigned long long) distinct, (unsigned long long) distinct);
		return 2;
	}

	/* Activity: one row per IP, the rest in proportion to the weight. */
	count = xmalloc(sizeof(uint32_t) * accounts);
	spare = rows - distinct;
	for (a = 0; a < accounts; a++)
	{
		count[a] = (uint32_t) floor(weight[a] / wsum * (double) spare);
		given += count[a];
	}
	while (given < spare)		/* the rounding remainder, < accounts rows */
	{
		count[next_below(accounts)]++;
		given++;
	}
	free(weight);

	if (stats)
	{
		/* Degrees of the IPs: the self-join's pair count, and set sizes. */
		uint32_t   *deg = xmalloc(sizeof(uint32_t) * ((size_t) proxy_base + n_proxies));
		uint32_t   *sizes = xmalloc(sizeof(uint32_t) * accounts);
		unsigned long long pairs = 0,
					pairs_shared = 0;
		uint32_t	max_deg = 0,
					max_rows = 0;

		memset(deg, 0, sizeof(uint32_t) * ((size_t) proxy_base + n_proxies));
		for (i = 0; i < distinct; i++)
			deg[ips[i]]++;
		for (uint64_t ip = 0; ip < (uint64_t) proxy_base + n_proxies; ip++)
		{
			unsigned long long d = deg[ip];

			pairs += d * (d ? d - 1 : 0) / 2;
			if (ip >= shared_base && ip < proxy_base)
				pairs_shared += d * (d ? d - 1 : 0) / 2;
			if (deg[ip] > max_deg)
				max_deg = deg[ip];
		}
		for (a = 0; a < accounts; a++)
		{
			sizes[a] = start[a + 1] - start[a];
			if (count[a] + sizes[a] > max_rows)
				max_rows = count[a] + sizes[a];
		}
		qsort(sizes, accounts, sizeof(uint32_t), compare_u32);
		printf("rows %llu, accounts %u, distinct (account, ip) %llu, IPs per account: mean %.2f,"
			   " median %u, p90 %u, p99 %u, max %u; most rows of an account %u;"
			   " campaigns %u with %u accounts, %u proxy IPs;"
			   " self-join pairs (sum of deg*(deg-1)/2) %llu, %.1f%% of them on shared IPs;"
			   " largest IP degree %u\n",
			   (unsigned long long) rows, accounts, (unsigned long long) distinct,
			   (double) distinct / accounts, sizes[accounts / 2], sizes[(uint64_t) accounts * 9 / 10],
			   sizes[(uint64_t) accounts * 99 / 100], sizes[accounts - 1], max_rows,
			   n_groups, in_campaigns, n_proxies, pairs,
			   pairs ? 100.0 * pairs_shared / pairs : 0.0, max_deg);
		return 0;
	}

	/* The log: every row is an index into ips[], shuffled into time order. */
	log_rows = xmalloc(sizeof(uint32_t) * rows);
	i = 0;
	for (a = 0; a < accounts; a++)
	{
		uint32_t	m = start[a + 1] - start[a];
		double		h = 0;

		for (uint32_t j = 0; j < m; j++)
		{
			log_rows[i++] = start[a] + j;
			h += 1.0 / (j + 1);
		}
		for (uint32_t r = 0; r < count[a]; r++)
		{
			uint32_t	j;

			if (group_of[a])
				j = next_below(m);
			else
			{
				double		u = next_unit() * h,
							c = 0;

				for (j = 0; j + 1 < m; j++)
					if (u < (c += 1.0 / (j + 1)))
						break;
			}
			log_rows[i++] = start[a] + j;
		}
	}
	free(count);
	free(group_of);
	for (i = rows - 1; i > 0; i--)
	{
		uint64_t	j = (uint64_t) (((unsigned __int128) next_u64() * (i + 1)) >> 64);
		uint32_t	x = log_rows[i];

		log_rows[i] = log_rows[j];
		log_rows[j] = x;
	}

	for (i = 0; i < rows; i++)
	{
		uint32_t	d = log_rows[i];
		uint32_t	lo = 0,
					hi = accounts - 1;
		uint64_t	id;
		uint32_t	addr;
		char		digits[24];
		int			nd = 0;

		/* the owner of distinct row d: the last account with start <= d */
		while (lo < hi)
		{
			uint32_t	mid = lo + (hi - lo + 1) / 2;

			if (start[mid] <= d)
				lo = mid;
			else
				hi = mid - 1;
		}
		id = (uint64_t) lo + 1;
		addr = ip_address(ips[d]);
		if (outpos + 64 > sizeof outbuf)
		{
			if (fwrite(outbuf, 1, outpos, stdout) != outpos)
			{
				perror("gen_ip_rows: write");
				return 1;
			}
			outpos = 0;
		}
		do
			digits[nd++] = (char) ('0' + id % 10);
		while ((id /= 10) > 0);
		while (nd > 0)
			outbuf[outpos++] = digits[--nd];
		outbuf[outpos++] = '\t';
		for (int shift = 24; shift >= 0; shift -= 8)
		{
			uint32_t	o = (addr >> shift) & 255;

			if (o >= 100)
				outbuf[outpos++] = (char) ('0' + o / 100);
			if (o >= 10)
				outbuf[outpos++] = (char) ('0' + o / 10 % 10);
			outbuf[outpos++] = (char) ('0' + o % 10);
			outbuf[outpos++] = shift ? '.' : '\n';
		}
	}
	if (fwrite(outbuf, 1, outpos, stdout) != outpos || fflush(stdout) != 0)
	{
		perror("gen_ip_rows: write");
		return 1;
	}
	free(log_rows);
	free(ips);
	free(start);
	return 0;
}
