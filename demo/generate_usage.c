/*
 * generate_usage.c: synthetic AI-model usage logs for pg_sybil demos and
 * benchmarks, with planted distillation campaigns and benign look-alikes.
 *
 * Build (C99, libc + libm only):
 *     cc -O2 -std=c99 -Wall -Wextra -Werror -o generate_usage demo/generate_usage.c -lm
 *
 * Writes PostgreSQL COPY text format; run with --help for the options.
 *
 *   accounts(account_id bigint, created_at timestamptz, email_domain text,
 *            campaign text)           -- campaign: ground truth, NULL if benign
 *   interactions(account_id bigint, ts timestamptz, ip inet, device text,
 *                topic text, prompt text, tokens int)   -- sorted by ts
 *   kinds(account_id bigint, kind text, grp text)   -- ground truth: which
 *            benign sub-population (or campaign batch) each account is
 *
 * Determinism: the output depends only on the options.  All randomness comes
 * from xoshiro256** seeded with splitmix64, and the only floating-point
 * operations are IEEE-754 +, -, *, / and sqrt, plus the exact frexp, ldexp
 * and floor (log and exp are computed here by series, not by libm), so a seed gives the same bytes on every machine
 * that does IEEE double arithmetic without fused multiply-add contraction
 * (x86-64 by default; GCC in -std=c99 mode everywhere).  The accounts and
 * kinds tables depend on --seed, --accounts, --days, --start, --campaigns,
 * --fraud-share and --campaign-max only (not on --interactions), so the
 * tables can be produced by separate runs and still agree.
 *
 * The model, in brief (the report in demo/report.sql and the docs rely on
 * these signals being present):
 *   - 200 topics "domain.subtopic" (20 domains x 10), population popularity
 *     Zipf(1.1) over a fixed ranking;
 *   - ordinary people: heavy-tailed activity (lognormal rates, a quarter
 *     dormant), a personal topic mix (1-5 favourites + a share drawn from the
 *     population), sessions at diurnal hours of their own time zone with
 *     bursty gaps, 1-3 IPs, 1-2 devices, free-form prompts;
 *   - benign hubs: university and corporate NATs (hundreds of accounts on one
 *     IP, one e-mail domain), mobile carrier CGNAT pools (hundreds of
 *     accounts per IP), VPN exits in data-centre /24s, families sharing a
 *     device and home IP;
 *   - benign API integrations: very regular cadence (24/7 or business hours),
 *     one or two topics, one fixed prompt template each, data-centre IP;
 *   - planted campaigns (ground truth in accounts.campaign), cycling three
 *     archetypes:
 *       A  coding+math+reasoning distillation: 2 topics per account, lockstep
 *          batches of 25 accounts on a shared 30 s tick grid, 3 data-centre
 *          proxy /24s shared per batch and hour, a dozen headless-browser
 *          fingerprints, throwaway e-mail domains, very long outputs;
 *       B  agentic tool use: 1-2 topics per account, machine-regular cadence
 *          (period jitter 2%), 2 proxy /24s, 4 API client fingerprints,
 *          gmail/outlook addresses;
 *       C  broad capability sweep over 70 topics: 3 topics per account plus
 *          15% camouflage traffic, Poisson 24/7 timing, rotating residential
 *          proxies (some of them ordinary users' home IPs), 150 emulator
 *          fingerprints, free-mail addresses like everybody else's;
 *     all with sign-up bursts (created_at seconds to minutes apart, so their
 *     account_ids are nearly consecutive), flat 24/7 hourly profiles, prompt
 *     templates with slots and a per-campaign running item number, and
 *     several times the volume of a typical account.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Deterministic random numbers and math                               */
/* ------------------------------------------------------------------ */

typedef struct rng
{
	uint64_t	s[4];
	double		spare;
	int			has_spare;
} rng;

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline uint64_t
mix64(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void
rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t	x = seed ^ mix64(stream * 0xD1B54A32D192ED03ULL);
	int			i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0.0;
}

static inline uint64_t
rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(rng *r)
{
	uint64_t   *s = r->s;
	uint64_t	result = rotl64(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return result;
}

/* uniform in [0, 1) */
static inline double
rng_unif(rng *r)
{
	return (double) (rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* uniform integer in [0, n); n > 0 */
static inline uint32_t
rng_below(rng *r, uint32_t n)
{
	return (uint32_t) (((rng_next(r) >> 32) * (uint64_t) n) >> 32);
}

static inline uint32_t
hash_below(uint64_t h, uint32_t n)
{
	return (uint32_t) (((h >> 32) * (uint64_t) n) >> 32);
}

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define LN2    0.69314718055994530942

/* Natural logarithm of x > 0 from frexp and an atanh series. */
static double
det_log(double x)
{
	int			e;
	double		m = frexp(x, &e);	/* x = m * 2^e, m in [0.5, 1) */
	double		s, s2, sum;

	if (m < 0.70710678118654752440)
	{
		m *= 2.0;
		e -= 1;
	}
	s = (m - 1.0) / (m + 1.0);	/* |s| <= 0.1716 */
	s2 = s * s;
	sum = 1.0 / 19.0;
	sum = 1.0 / 17.0 + s2 * sum;
	sum = 1.0 / 15.0 + s2 * sum;
	sum = 1.0 / 13.0 + s2 * sum;
	sum = 1.0 / 11.0 + s2 * sum;
	sum = 1.0 / 9.0 + s2 * sum;
	sum = 1.0 / 7.0 + s2 * sum;
	sum = 1.0 / 5.0 + s2 * sum;
	sum = 1.0 / 3.0 + s2 * sum;
	sum = 1.0 + s2 * sum;
	return (double) e * LN2_HI + ((double) e * LN2_LO + 2.0 * s * sum);
}

/* e^x by range reduction and a Taylor polynomial; |x| < 700. */
static double
det_exp(double x)
{
	double		kd = floor(x / LN2 + 0.5);
	double		rr = (x - kd * LN2_HI) - kd * LN2_LO;	/* |rr| <= 0.35 */
	double		p = 1.0 / 6227020800.0;		/* 1/13! */
	int			i;
	static const double inv_fact[13] = {
		1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0,
		1.0 / 5040.0, 1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0,
		1.0 / 39916800.0, 1.0 / 479001600.0
	};

	for (i = 12; i >= 0; i--)
		p = inv_fact[i] + rr * p;
	return ldexp(p, (int) kd);
}

/* standard normal, Marsaglia's polar method (no trigonometry) */
static double
rng_normal(rng *r)
{
	double		u, v, q, f;

	if (r->has_spare)
	{
		r->has_spare = 0;
		return r->spare;
	}
	do
	{
		u = 2.0 * rng_unif(r) - 1.0;
		v = 2.0 * rng_unif(r) - 1.0;
		q = u * u + v * v;
	} while (q >= 1.0 || q == 0.0);
	f = sqrt(-2.0 * det_log(q) / q);
	r->spare = v * f;
	r->has_spare = 1;
	return u * f;
}

static double
rng_lognormal(rng *r, double median, double sigma)
{
	return median * det_exp(sigma * rng_normal(r));
}

/*
 * Fast lognormal draws for the per-row hot paths: exp(sigma * z) tabulated
 * at 4096 normal quantiles z (Acklam's inverse normal CDF), one table per
 * sigma; a draw picks an entry by 12 random bits and interpolates linearly
 * with 20 more.
 */
#define LNT_BITS 12
#define LNT_SIZE (1 << LNT_BITS)

typedef struct lognorm_table
{
	double		v[LNT_SIZE + 1];
} lognorm_table;

static double
inv_normal_cdf(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
	2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
	2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	double		q, rr;

	if (p < 0.02425)
	{
		q = sqrt(-2 * det_log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	if (p > 1 - 0.02425)
		return -inv_normal_cdf(1 - p);
	q = p - 0.5;
	rr = q * q;
	return (((((a[0] * rr + a[1]) * rr + a[2]) * rr + a[3]) * rr + a[4]) * rr + a[5]) * q /
		(((((b[0] * rr + b[1]) * rr + b[2]) * rr + b[3]) * rr + b[4]) * rr + 1);
}

static void
lognorm_init(lognorm_table *t, double sigma)
{
	int			i;

	/* entries at the quantiles (i + 0.5) / (LNT_SIZE + 1) */
	for (i = 0; i <= LNT_SIZE; i++)
		t->v[i] = det_exp(sigma * inv_normal_cdf((i + 0.5) / (LNT_SIZE + 1)));
}

static inline double
lognorm_draw(const lognorm_table *t, rng *r, double median)
{
	uint64_t	x = rng_next(r);
	uint32_t	i = (uint32_t) (x >> (64 - LNT_BITS));
	double		f = (double) ((x >> (64 - LNT_BITS - 20)) & 0xFFFFF) * (1.0 / 1048576.0);

	return median * (t->v[i] + f * (t->v[i + 1] - t->v[i]));
}

/* exponential with the given mean */
static double
rng_expo(rng *r, double mean)
{
	return -mean * det_log(1.0 - rng_unif(r));
}

/* geometric number of failures with the given mean (>= 0) */
static uint32_t
rng_geom(rng *r, double mean)
{
	double		x;

	if (mean <= 0.0)
		return 0;
	x = floor(rng_expo(r, mean + 0.5) );
	return x > 1e6 ? 1000000u : (uint32_t) x;
}

static double
clampd(double x, double lo, double hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

/* index of the first cdf entry > u (cdf ascending, cdf[n-1] >= u) */
static uint32_t
cdf_pick(const double *cdf, uint32_t n, double u)
{
	uint32_t	lo = 0, hi = n - 1;

	while (lo < hi)
	{
		uint32_t	mid = (lo + hi) / 2;

		if (cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static void
die(const char *msg)
{
	fprintf(stderr, "generate_usage: %s\n", msg);
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xcalloc(size_t n, size_t sz)
{
	void	   *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t		n = strlen(s) + 1;
	char	   *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Monday = 0 for a day number counted from 1970-01-01 (a Thursday) */
static int
weekday(int64_t day)
{
	return (int) (((day % 7) + 7 + 3) % 7);
}

static int64_t
days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned) (y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t) doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t		era, yy;
	unsigned	doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned) (z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t) yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int) (yy + (*m <= 2));
}

static inline char *
put2(char *p, unsigned v)
{
	p[0] = (char) ('0' + v / 10);
	p[1] = (char) ('0' + v % 10);
	return p + 2;
}

/* "YYYY-MM-DD HH:MM:SS", 19 bytes, no NUL */
static char *
put_ts(char *p, int64_t t)
{
	int64_t		day = floor_div(t, 86400);
	unsigned	sec = (unsigned) (t - day * 86400);
	int			y;
	unsigned	m, d, yv;

	civil_from_days(day, &y, &m, &d);
	yv = (unsigned) y;
	p[0] = (char) ('0' + (yv / 1000) % 10);
	p[1] = (char) ('0' + (yv / 100) % 10);
	p[2] = (char) ('0' + (yv / 10) % 10);
	p[3] = (char) ('0' + yv % 10);
	p[4] = '-';
	put2(p + 5, m);
	p[7] = '-';
	put2(p + 8, d);
	p[10] = ' ';
	put2(p + 11, sec / 3600);
	p[13] = ':';
	put2(p + 14, (sec / 60) % 60);
	p[16] = ':';
	put2(p + 17, sec % 60);
	return p + 19;
}

static inline char *
put_u64(char *p, uint64_t v)
{
	char		tmp[24];
	int			n = 0;

	do
	{
		tmp[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static inline char *
put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static inline char *
put_ip(char *p, uint32_t ip)
{
	p = put_u64(p, ip >> 24);
	*p++ = '.';
	p = put_u64(p, (ip >> 16) & 255);
	*p++ = '.';
	p = put_u64(p, (ip >> 8) & 255);
	*p++ = '.';
	return put_u64(p, ip & 255);
}

static const char HEX[] = "0123456789abcdef";

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */
/* ------------------------------------------------------------------ */

#define NDOM 20
#define NSUB 10
#define NTOPIC (NDOM * NSUB)
#define NWORD 10

enum
{
	D_CODING, D_MATH, D_REASONING, D_AGENTIC, D_WRITING, D_CHITCHAT,
	D_TRAVEL, D_COOKING, D_HEALTH, D_FINANCE, D_LEGAL, D_EDUCATION,
	D_SCIENCE, D_HISTORY, D_ENTERTAINMENT, D_SHOPPING, D_CAREER,
	D_RELATIONSHIPS, D_LANGUAGE, D_BUSINESS
};

static const char *const DOMAIN_NAME[NDOM] = {
	"coding", "math", "reasoning", "agentic", "writing", "chitchat",
	"travel", "cooking", "health", "finance", "legal", "education",
	"science", "history", "entertainment", "shopping", "career",
	"relationships", "language", "business"
};

static const char *const SUB_NAME[NDOM][NSUB] = {
	{"python", "javascript", "rust", "java", "cpp", "sql", "shell", "debugging", "code_review", "web_dev"},
	{"algebra", "calculus", "geometry", "statistics", "probability", "linear_algebra", "number_theory", "proofs", "arithmetic", "combinatorics"},
	{"logic", "puzzles", "planning", "chain_of_thought", "causal", "analogies", "riddles", "estimation", "decision_making", "critical_thinking"},
	{"tool_use", "web_browsing", "function_calling", "multi_step", "code_execution", "file_ops", "api_calls", "scheduling", "data_extraction", "computer_use"},
	{"email", "essay", "story", "poetry", "summarization", "editing", "cover_letter", "blog", "copywriting", "speech"},
	{"smalltalk", "jokes", "advice", "opinions", "games", "roleplay", "compliments", "trivia", "greetings", "venting"},
	{"planning", "flights", "hotels", "itinerary", "visas", "packing", "budget", "destinations", "road_trips", "local_tips"},
	{"recipes", "baking", "meal_prep", "substitutions", "nutrition", "vegan", "grilling", "desserts", "wine", "techniques"},
	{"fitness", "symptoms", "sleep", "diet", "mental_health", "medication", "running", "yoga", "first_aid", "weight_loss"},
	{"budgeting", "investing", "taxes", "crypto", "retirement", "loans", "insurance", "banking", "stocks", "accounting"},
	{"contracts", "tenancy", "employment", "immigration", "ip", "privacy", "small_claims", "wills", "traffic", "consumer"},
	{"homework", "exam_prep", "study_tips", "history_essay", "language_learning", "tutoring", "college_apps", "research", "lesson_plans", "citations"},
	{"physics", "chemistry", "biology", "astronomy", "climate", "geology", "neuroscience", "genetics", "ecology", "engineering"},
	{"ancient", "medieval", "modern", "wars", "empires", "revolutions", "biographies", "art_history", "archaeology", "timelines"},
	{"movies", "music", "tv_shows", "books", "video_games", "anime", "celebrities", "podcasts", "board_games", "streaming"},
	{"product_compare", "gifts", "deals", "electronics", "fashion", "home_goods", "reviews", "returns", "product_descriptions", "cars"},
	{"resume", "interview", "job_search", "negotiation", "management", "networking", "career_change", "freelancing", "productivity", "workplace"},
	{"dating", "family", "friendship", "parenting", "wedding", "conflict", "communication", "breakups", "etiquette", "pets"},
	{"translation", "grammar", "spanish", "french", "german", "chinese", "japanese", "vocabulary", "pronunciation", "idioms"},
	{"marketing", "strategy", "startups", "sales", "customer_support", "analytics", "pitch_decks", "hr", "operations", "product_management"}
};

static const char *const DOMAIN_WORD[NDOM][NWORD] = {
	{"function", "bug", "loop", "class", "error", "library", "unit test", "compile", "refactor", "recursion"},
	{"equation", "integral", "derivative", "proof", "matrix", "formula", "graph", "limit", "series", "vector"},
	{"argument", "premise", "deduction", "constraint", "scenario", "assumption", "inference", "paradox", "strategy", "tradeoff"},
	{"fill a form", "scrape a page", "book a meeting", "merge csv files", "rename files", "query an api", "parse a pdf", "send a webhook", "update a sheet", "run a script"},
	{"draft", "paragraph", "tone", "outline", "headline", "intro", "conclusion", "rewrite", "letter", "title"},
	{"weekend", "weather", "movie night", "hobby", "bored", "funny story", "coffee", "music", "dog", "birthday"},
	{"trip", "flight", "hotel", "beach", "itinerary", "museum", "train", "budget", "passport", "airport"},
	{"chicken", "pasta", "oven", "sauce", "bread", "soup", "garlic", "rice", "cake", "spices"},
	{"workout", "back pain", "headache", "protein", "sleep", "stretching", "calories", "knee", "stress", "vitamins"},
	{"savings", "budget", "index fund", "mortgage", "credit card", "tax return", "interest", "loan", "pension", "stocks"},
	{"lease", "landlord", "contract", "notice", "clause", "deposit", "rights", "lawsuit", "fine", "agreement"},
	{"assignment", "exam", "essay", "lecture", "thesis", "quiz", "chapter", "homework", "grade", "syllabus"},
	{"atom", "energy", "cell", "gravity", "molecule", "planet", "evolution", "climate", "reaction", "dna"},
	{"empire", "war", "king", "revolution", "treaty", "rome", "dynasty", "battle", "century", "colony"},
	{"movie", "album", "series", "game", "novel", "actor", "playlist", "episode", "concert", "anime"},
	{"laptop", "phone", "headphones", "shoes", "gift", "discount", "warranty", "sofa", "camera", "jacket"},
	{"resume", "interview", "salary", "manager", "promotion", "job offer", "linkedin", "cover letter", "skills", "deadline"},
	{"partner", "friend", "mom", "kids", "wedding", "argument", "date", "roommate", "cat", "neighbor"},
	{"sentence", "word", "phrase", "spanish", "accent", "verb", "tense", "meaning", "translation", "slang"},
	{"customer", "campaign", "revenue", "pitch", "startup", "churn", "funnel", "team", "roadmap", "kpi"}
};

static const char *const STARTER[] = {
	"how do i", "can you", "what is", "help me with", "explain", "why does",
	"tips for", "write", "give me", "is it ok to", "what are good", "compare",
	"show me", "any advice on", "i need", "quick question about", "tell me about",
	"fix", "suggest", "ok so", "hey, about", "what about", "best way to"
};
#define NSTARTER ((uint32_t) (sizeof(STARTER) / sizeof(STARTER[0])))

static const char *const FILLER[] = {
	"my", "the", "a", "for", "with", "about", "in", "quick", "simple", "best",
	"good", "new", "really", "some", "please", "today", "easy", "better",
	"example", "idea", "problem", "question", "way", "help", "again", "still",
	"just", "maybe", "first", "real", "this", "our", "next", "cheap"
};
#define NFILLER ((uint32_t) (sizeof(FILLER) / sizeof(FILLER[0])))

static const char *const LANGS[] = {
	"spanish", "french", "german", "japanese", "portuguese", "italian",
	"korean", "dutch", "polish", "turkish"
};

static const char *const CONSTRAINT[] = {
	"O(n log n) time", "all edge cases", "a formal proof", "unit tests",
	"no libraries", "a full derivation", "worked examples",
	"complexity analysis", "two alternative methods", "a counterexample"
};

/* Prompt templates.  %k keyword of the topic, %w and %v words of its domain,
 * %n a running item number, %c a constraint, %l a language. */
static const char *const TMPL_A[] = {
	"Solve step by step, showing all reasoning: %k task %n on %w with %c.",
	"Think carefully and write out your full chain of thought. %k problem %n: %w.",
	"You are a %k expert. Give a detailed worked solution for %w (case %n), %c.",
	"Reason step by step before the final answer. Exercise %n: %w and %v in %k.",
	"Explain every intermediate step. %k #%n: %w, %c. End with FINAL ANSWER."
};
static const char *const TMPL_B[] = {
	"TASK %n: use tools to %w for %k. Think, call a tool, observe, repeat. Return JSON trace.",
	"Tools: search, run_code, read_file. Goal %n: %w via %k. Log every call and result.",
	"Agent episode %n: plan steps for %k, execute %w, print each tool call as JSON.",
	"Act as an autonomous agent. Objective #%n: %w with %k; show the full trajectory."
};
static const char *const TMPL_C[] = {
	"Q%n: explain %k in depth with examples: %w, %v. Be thorough.",
	"Give a comprehensive expert answer about %k (%w). Item %n.",
	"Detailed tutorial on %w for %k, include edge cases. #%n",
	"Teach %k: %w and %v, step by step with exercises. ref %n",
	"Comprehensive answer required: %w in %k, cover every case. id %n",
	"As a world-class expert, answer fully: %k / %w. q%n"
};

typedef struct api_tmpl
{
	const char *text;
	const char *topic1;
	const char *topic2;			/* may be NULL */
} api_tmpl;

static const api_tmpl API_TMPL[] = {
	{"Summarize support ticket #%n: customer reports %w and %v.", "business.customer_support", "writing.summarization"},
	{"Translate to %l: %w, %v.", "language.translation", NULL},
	{"Review this diff for bugs and style: %k change %n.", "coding.code_review", "coding.python"},
	{"Write a product description for SKU %n: %w, %v.", "shopping.product_descriptions", NULL},
	{"Classify the sentiment of review %n: %w %v.", "business.analytics", NULL},
	{"Draft a polite reply to email %n about %w.", "writing.email", NULL},
	{"Extract invoice fields as JSON from document %n: %w.", "agentic.data_extraction", "finance.accounting"},
	{"Generate SQL for report %n: %w by %v.", "coding.sql", "business.analytics"}
};
#define NAPI_TMPL ((uint32_t) (sizeof(API_TMPL) / sizeof(API_TMPL[0])))

/* Most popular topics first; the rest follow in a fixed shuffled order. */
static const char *const PINNED_RANK[] = {
	"chitchat.smalltalk", "writing.email", "coding.python", "education.homework",
	"writing.summarization", "coding.javascript", "health.fitness",
	"cooking.recipes", "career.resume", "language.translation",
	"entertainment.movies", "travel.planning", "math.algebra",
	"finance.budgeting", "chitchat.advice", "relationships.dating", "coding.sql",
	"writing.essay", "health.symptoms", "shopping.product_compare"
};

typedef struct topic
{
	char		name[40];
	int			name_len;
	char		keyword[32];	/* subtopic with spaces */
	int			domain;
} topic;

static topic TOPICS[NTOPIC];
static double ZIPF_CDF[NTOPIC];
static uint8_t RANK_TOPIC[NTOPIC];

static int
topic_id(const char *name)
{
	int			i;

	for (i = 0; i < NTOPIC; i++)
		if (strcmp(TOPICS[i].name, name) == 0)
			return i;
	fprintf(stderr, "generate_usage: unknown topic %s\n", name);
	exit(2);
}

static void
init_topics(void)
{
	int			d, s, i, n = 0;
	uint8_t		used[NTOPIC];
	uint8_t		rest[NTOPIC];
	int			nrest = 0;
	rng			r;
	double		acc = 0.0;

	for (d = 0; d < NDOM; d++)
		for (s = 0; s < NSUB; s++)
		{
			topic	   *t = &TOPICS[d * NSUB + s];
			char	   *k;

			snprintf(t->name, sizeof(t->name), "%s.%s", DOMAIN_NAME[d], SUB_NAME[d][s]);
			t->name_len = (int) strlen(t->name);
			snprintf(t->keyword, sizeof(t->keyword), "%s", SUB_NAME[d][s]);
			for (k = t->keyword; *k; k++)
				if (*k == '_')
					*k = ' ';
			t->domain = d;
		}
	memset(used, 0, sizeof(used));
	for (i = 0; i < (int) (sizeof(PINNED_RANK) / sizeof(PINNED_RANK[0])); i++)
	{
		int			t = topic_id(PINNED_RANK[i]);

		RANK_TOPIC[n++] = (uint8_t) t;
		used[t] = 1;
	}
	for (i = 0; i < NTOPIC; i++)
		if (!used[i])
			rest[nrest++] = (uint8_t) i;
	/* fixed shuffle, independent of --seed, so the population is stable */
	rng_seed(&r, 0x5EB11C0FFEEULL, 7);
	for (i = nrest - 1; i > 0; i--)
	{
		uint32_t	j = rng_below(&r, (uint32_t) i + 1);
		uint8_t		tmp = rest[i];

		rest[i] = rest[j];
		rest[j] = tmp;
	}
	for (i = 0; i < nrest; i++)
		RANK_TOPIC[n++] = rest[i];
	for (i = 0; i < NTOPIC; i++)
	{
		acc += det_exp(-1.1 * det_log((double) (i + 1)));
		ZIPF_CDF[i] = acc;
	}
	for (i = 0; i < NTOPIC; i++)
		ZIPF_CDF[i] /= acc;
	ZIPF_CDF[NTOPIC - 1] = 1.0;
}

static inline int
zipf_topic(rng *r)
{
	return RANK_TOPIC[cdf_pick(ZIPF_CDF, NTOPIC, rng_unif(r))];
}

/* ------------------------------------------------------------------ */
/* IPs, devices, e-mail domains                                        */
/* ------------------------------------------------------------------ */

static const uint8_t RESIDENTIAL_OCTET[] = {
	24, 47, 50, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 81, 82, 83, 84, 86,
	87, 88, 89, 90, 91, 92, 93, 94, 95, 98, 99, 108, 109, 151, 174, 176, 177,
	178, 179, 180, 181, 186, 187, 188, 189, 190, 191, 201, 212, 213, 217,
	218, 219, 220, 221, 222
};
static const uint8_t DATACENTER_OCTET[] = {
	3, 13, 18, 34, 35, 44, 45, 52, 54, 64, 104, 107, 134, 137, 138, 139, 141,
	142, 143, 144, 146, 147, 149, 157, 159, 161, 162, 164, 165, 167, 168,
	170, 185, 193, 194, 195, 198, 206, 207, 209
};
static const uint8_t CAMPUS_OCTET[] = {128, 129, 130, 131, 132, 136, 140, 150, 152, 155};

#define ARRLEN(a) ((uint32_t) (sizeof(a) / sizeof((a)[0])))

static uint32_t
ip_in(rng *r, const uint8_t *octets, uint32_t n)
{
	uint32_t	a = octets[rng_below(r, n)];

	return (a << 24) | (rng_below(r, 256) << 16) | (rng_below(r, 256) << 8) |
		(1 + rng_below(r, 254));
}

/* a /24 base (last octet 0) */
static uint32_t
subnet_in(rng *r, const uint8_t *octets, uint32_t n)
{
	return ip_in(r, octets, n) & 0xFFFFFF00u;
}

enum
{
	DEV_WEB, DEV_IOS, DEV_ANDROID, DEV_MAC, DEV_WIN, DEV_API
};
static const char *const DEV_KIND[] = {"web", "ios", "android", "mac", "win", "api"};
static uint32_t next_device = 1;
static uint64_t device_salt;

static uint32_t
new_device(int kind)
{
	if (next_device >= (1u << 28))
		die("too many devices");
	return ((uint32_t) kind << 28) | next_device++;
}

static uint32_t
human_device(rng *r)
{
	double		u = rng_unif(r);

	if (u < 0.40)
		return new_device(DEV_WEB);
	if (u < 0.62)
		return new_device(DEV_IOS);
	if (u < 0.82)
		return new_device(DEV_ANDROID);
	if (u < 0.91)
		return new_device(DEV_MAC);
	return new_device(DEV_WIN);
}

static inline char *
put_device(char *p, uint32_t dev)
{
	uint64_t	h = mix64(device_salt ^ (dev & 0x0FFFFFFFu));
	int			i;

	p = put_str(p, DEV_KIND[dev >> 28]);
	*p++ = '-';
	for (i = 0; i < 12; i++)
	{
		*p++ = HEX[h & 15];
		h >>= 4;
	}
	return p;
}

static char **EMAIL;
static uint32_t n_email, cap_email;

static uint32_t
add_email(const char *d)
{
	if (n_email == cap_email)
	{
		cap_email = cap_email ? cap_email * 2 : 64;
		EMAIL = realloc(EMAIL, cap_email * sizeof(char *));
		if (EMAIL == NULL)
			die("out of memory");
	}
	EMAIL[n_email] = xstrdup(d);
	return n_email++;
}

static const char *const FREEMAIL[] = {
	"gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com",
	"proton.me", "qq.com", "163.com", "gmx.de", "yandex.ru", "mail.ru",
	"naver.com", "web.de", "aol.com", "live.com", "orange.fr"
};
static const double FREEMAIL_W[] = {
	40, 10, 6, 8, 8, 3, 4, 3, 2, 2, 2, 2, 1.5, 1.5, 2, 1
};
#define NFREEMAIL ARRLEN(FREEMAIL)
static double FREEMAIL_CDF[16];

static uint32_t
freemail(rng *r)
{
	return cdf_pick(FREEMAIL_CDF, NFREEMAIL, rng_unif(r));
}

static const char *const SYL[] = {
	"nor", "bel", "ham", "ton", "wick", "ash", "brook", "cor", "dal", "fen",
	"gar", "hal", "kin", "lan", "mar", "ock", "pen", "quin", "ros", "sel",
	"tam", "vel", "wex", "yar", "zen", "bri", "cas", "dor", "el", "fal"
};

static void
make_name(rng *r, char *buf, size_t len, int nsyl)
{
	size_t		used = 0;
	int			i;

	buf[0] = '\0';
	for (i = 0; i < nsyl; i++)
	{
		const char *s = SYL[rng_below(r, ARRLEN(SYL))];
		size_t		sl = strlen(s);

		if (used + sl + 1 >= len)
			break;
		memcpy(buf + used, s, sl + 1);
		used += sl;
	}
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

enum
{
	K_PERSON, K_UNIV, K_CORP, K_API, K_CAMP
};
static const char *const KIND_NAME[] = {"person", "university", "corporate", "api", "campaign"};

typedef struct account
{
	int64_t		created;
	int64_t		act0;			/* active in [act0, act1) */
	int64_t		act1;
	double		rate;			/* relative interactions per active day */
	uint32_t	id;
	uint32_t	count;
	uint32_t	off;			/* first slot in the time buffer */
	uint32_t	ip[3];
	uint32_t	dev[2];
	uint32_t	email;
	uint32_t	group;			/* org, batch or integration number */
	int16_t		tz;				/* minutes east of UTC */
	uint8_t		kind;
	uint8_t		camp;			/* campaign index + 1, 0 for benign */
	uint8_t		nip;
	uint8_t		ndev;
	uint8_t		ntop;
	int8_t		shift;			/* personal diurnal shift, hours */
	uint8_t		top[5];
	uint8_t		sess;			/* mean session length */
	uint16_t	tcum[5];		/* cumulative topic weights of 65535 */
	uint16_t	bg;				/* share of population topics, of 65535 */
	uint8_t		tmpl;			/* API template */
	uint8_t		mode;			/* API: 0 = 24/7, 1 = business hours;
								 * person: 1 = in a family */
	uint8_t		p_wd;			/* accept a weekday / weekend day, percent */
	uint8_t		p_we;
} account;

#define NARCH 3
#define MAXSPACE 80
#define MAXPOOLDEV 160

typedef struct campaign
{
	char		label[16];
	int			arch;			/* 0 = A, 1 = B, 2 = C */
	uint32_t	size;
	uint32_t	first;			/* index of first member in accounts[] */
	int			space[MAXSPACE];
	int			nspace;
	int			slice;
	double		camo;
	double		rate_factor;
	uint32_t	subnet[4];
	int			nsubnet;
	uint32_t   *pool;			/* residential proxy IPs (C) */
	uint32_t	npool;
	uint32_t	devpool[MAXPOOLDEV];
	int			ndevpool;
	uint32_t	email[4];
	double		email_cdf[4];
	int			nemail;
	int			nburst;
	int64_t		burst[8];
	double		tok_median;
	uint64_t	item;			/* running %n of the templates */
	uint32_t	tick_origin;
	uint64_t	interactions;
} campaign;

typedef struct org
{
	uint32_t	email;
	uint32_t	ip[4];
	int			nip;
	int16_t		tz;
	int			univ;
} org;

typedef struct config
{
	uint64_t	seed;
	uint32_t	accounts;
	uint64_t	interactions;
	uint32_t	days;
	int64_t		start;			/* unix seconds, midnight UTC */
	int			campaigns;
	double		fraud_share;
	uint32_t	campaign_max;
	const char *table;
	const char *out;
	const char *accounts_out;
	const char *interactions_out;
	const char *kinds_out;
	int			stats;
} config;

static config CFG;
static int64_t W0, W1;			/* window [W0, W1) */
static account *ACC;
static uint32_t NACC;
static campaign CAMP[26];
static int NCAMP;
static org *ORG;
static uint32_t NORG;
static uint32_t *VPN;
static uint32_t NVPN;
static uint32_t *CGNAT;			/* all carriers' pools, back to back */
static uint32_t NCGNAT;
static uint32_t *RANK;			/* accounts[] indices in account_id order */
static uint32_t n_by_kind[5];

/* time zones, minutes east of UTC, with weights */
static const int16_t TZ_MIN[] = {-480, -420, -360, -300, -180, 0, 60, 120, 180, 330, 420, 480, 540, 600};
static const double TZ_W[] = {12, 3, 8, 18, 5, 8, 15, 5, 4, 8, 3, 6, 4, 1};
static double TZ_CDF[14];

static int16_t
pick_tz(rng *r)
{
	return TZ_MIN[cdf_pick(TZ_CDF, ARRLEN(TZ_MIN), rng_unif(r))];
}

/* diurnal activity by local hour */
static const double HOUR_W[24] = {
	2.0, 1.2, 0.7, 0.4, 0.3, 0.4, 0.8, 1.6, 3.0, 4.2, 4.8, 5.0,
	4.6, 4.7, 4.9, 4.8, 4.5, 4.3, 4.4, 5.0, 5.4, 5.2, 4.2, 3.0
};
static double HOUR_CDF[24];

static void
make_cdf(const double *w, double *cdf, uint32_t n)
{
	double		acc = 0;
	uint32_t	i;

	for (i = 0; i < n; i++)
	{
		acc += w[i];
		cdf[i] = acc;
	}
	for (i = 0; i < n; i++)
		cdf[i] /= acc;
	cdf[n - 1] = 1.0;
}

/* personal topic mix: favourites (domain-coherent) plus population share */
static void
person_topics(rng *r, account *a, const int *pref_dom, int npref, double pref_p)
{
	int			nfav = 1 + (int) (rng_geom(r, 1.3));
	int			i;
	double		w[5], tot = 0, acc = 0;

	if (nfav > 5)
		nfav = 5;
	for (i = 0; i < nfav; i++)
	{
		int			t;

		if (i == 0 && npref > 0 && rng_unif(r) < pref_p)
			t = pref_dom[rng_below(r, (uint32_t) npref)] * NSUB + (int) rng_below(r, NSUB);
		else if (i > 0 && rng_unif(r) < 0.5)
			t = TOPICS[a->top[0]].domain * NSUB + (int) rng_below(r, NSUB);
		else
			t = zipf_topic(r);
		a->top[i] = (uint8_t) t;
		w[i] = rng_expo(r, 1.0) + 0.05;
		tot += w[i];
	}
	for (i = 0; i < nfav; i++)
	{
		acc += w[i];
		a->tcum[i] = (uint16_t) (i == nfav - 1 ? 65535 : (uint32_t) (65535.0 * acc / tot));
	}
	a->ntop = (uint8_t) nfav;
	/* share of background traffic drawn from the population distribution */
	a->bg = (uint16_t) (65535.0 * (0.05 + 0.80 * rng_unif(r)));
}

static double
person_rate(rng *r)
{
	double		x = rng_lognormal(r, 1.0, 1.3);

	if (rng_unif(r) < 0.25)
		x *= 0.03;				/* dormant: an occasional visit at most */
	return x;
}

static void
person_timing(rng *r, account *a)
{
	double		u = rng_unif(r);

	a->shift = (int8_t) ((int) rng_below(r, 6) - 2);
	a->sess = (uint8_t) (1 + rng_below(r, 8));
	if (u < 0.5)
	{
		a->p_wd = 100;
		a->p_we = (uint8_t) (35 + rng_below(r, 60));
	}
	else if (u < 0.8)
	{
		a->p_wd = 100;
		a->p_we = 100;
	}
	else
	{
		a->p_we = 100;
		a->p_wd = (uint8_t) (50 + rng_below(r, 45));
	}
}

/* account age: spread over the two years before the window end, skewed
 * toward recent sign-ups */
static int64_t
person_created(rng *r)
{
	double		u = rng_unif(r);
	double		age_days = (730.0 + CFG.days) * det_exp(1.3 * det_log(u + 1e-12));

	return W1 - 3600 - (int64_t) (age_days * 86400.0);
}

static void
set_activity(rng *r, account *a, double churn_p)
{
	a->act0 = a->created + 60 + (int64_t) rng_expo(r, 3600.0);
	if (a->act0 < W0)
		a->act0 = W0;
	a->act1 = W1;
	if (rng_unif(r) < churn_p)
	{
		/* stopped using the service part-way through the window */
		int64_t		stop = W0 + (int64_t) (rng_unif(r) * (double) (W1 - W0));

		if (stop > a->act0 + 3600)
			a->act1 = stop;
	}
}

static void
campaign_setup(rng *r, campaign *c, int idx, int arch)
{
	int			i, d;
	char		name[32], dom[64];

	memset(c, 0, sizeof(*c));
	snprintf(c->label, sizeof(c->label), "campaign-%c", 'A' + idx);
	c->arch = arch;
	c->nspace = 0;
	if (arch == 0)
	{
		int			doms[] = {D_CODING, D_MATH, D_REASONING};

		for (d = 0; d < 3; d++)
			for (i = 0; i < NSUB; i++)
				c->space[c->nspace++] = doms[d] * NSUB + i;
		c->slice = 2;
		c->camo = 0.02;
		c->rate_factor = 14.0;
		c->nsubnet = 3;
		c->ndevpool = 12;
		c->tok_median = 3000;
		c->nburst = 3;
	}
	else if (arch == 1)
	{
		for (i = 0; i < NSUB; i++)
			c->space[c->nspace++] = D_AGENTIC * NSUB + i;
		c->space[c->nspace++] = topic_id("coding.shell");
		c->space[c->nspace++] = topic_id("coding.python");
		c->space[c->nspace++] = topic_id("coding.debugging");
		c->space[c->nspace++] = topic_id("coding.sql");
		c->slice = 2;			/* 1 or 2 per account */
		c->camo = 0.03;
		c->rate_factor = 12.0;
		c->nsubnet = 2;
		c->ndevpool = 4;
		c->tok_median = 2000;
		c->nburst = 2;
	}
	else
	{
		int			doms[] = {D_CODING, D_MATH, D_REASONING, D_AGENTIC, D_SCIENCE, D_LANGUAGE, D_WRITING};

		for (d = 0; d < 7; d++)
			for (i = 0; i < NSUB; i++)
				c->space[c->nspace++] = doms[d] * NSUB + i;
		c->slice = 3;
		c->camo = 0.15;
		c->rate_factor = 7.0;
		c->nsubnet = 0;
		c->ndevpool = 150;
		c->tok_median = 1500;
		c->nburst = 6;
	}
	/* shuffle the capability space so slices are not alphabetical */
	for (i = c->nspace - 1; i > 0; i--)
	{
		uint32_t	j = rng_below(r, (uint32_t) i + 1);
		int			tmp = c->space[i];

		c->space[i] = c->space[j];
		c->space[j] = tmp;
	}
	for (i = 0; i < c->nsubnet; i++)
		c->subnet[i] = subnet_in(r, DATACENTER_OCTET, ARRLEN(DATACENTER_OCTET));
	for (i = 0; i < c->ndevpool; i++)
	{
		int			kind = arch == 0 ? DEV_WEB : arch == 1 ? DEV_API :
			(rng_unif(r) < 0.6 ? DEV_ANDROID : DEV_WEB);

		c->devpool[i] = new_device(kind);
	}
	if (arch == 0)
	{
		static const char *const tld[] = {".top", ".xyz", ".icu", ".click"};

		c->nemail = 3;
		for (i = 0; i < 3; i++)
		{
			make_name(r, name, sizeof(name), 2);
			snprintf(dom, sizeof(dom), "%smail%s", name, tld[rng_below(r, 4)]);
			c->email[i] = add_email(dom);
			c->email_cdf[i] = (i + 1) / 3.0;
		}
	}
	else if (arch == 1)
	{
		c->nemail = 2;
		c->email[0] = 0;		/* gmail.com */
		c->email[1] = 1;		/* outlook.com */
		c->email_cdf[0] = 0.7;
		c->email_cdf[1] = 1.0;
	}
	else
		c->nemail = 0;			/* free-mail like everybody */
	for (i = 0; i < c->nburst; i++)
	{
		/* between three days before the window and 60% into it */
		double		span = 3.0 * 86400.0 + 0.6 * (double) (W1 - W0);

		c->burst[i] = W0 - 3 * 86400 + (int64_t) (rng_unif(r) * span);
	}
	c->tick_origin = rng_below(r, 30);
}

static void
build_model(void)
{
	rng			r;
	uint32_t	n_camp_total = 0, n_api, n_univ, n_corp, n_person;
	uint32_t	i, j, k, n_univ_orgs, n_corp_orgs, n_carriers, pool_per_carrier;
	double	   *org_cdf_u, *org_cdf_c;
	uint32_t	idx = 0;
	double		mean_person_rate = 0;
	uint32_t	n_people_rate = 0;

	rng_seed(&r, CFG.seed, 1);
	device_salt = mix64(CFG.seed ^ 0xDE71CEULL);
	make_cdf(FREEMAIL_W, FREEMAIL_CDF, NFREEMAIL);
	make_cdf(TZ_W, TZ_CDF, ARRLEN(TZ_MIN));
	make_cdf(HOUR_W, HOUR_CDF, 24);
	for (i = 0; i < NFREEMAIL; i++)
		add_email(FREEMAIL[i]);

	/* campaign sizes: fraud_share of all accounts, split A 40%, B 25%,
	 * C 35% (equal shares beyond three), each within [min, campaign_max] */
	NCAMP = CFG.campaigns;
	for (i = 0; i < (uint32_t) NCAMP; i++)
	{
		double		share = NCAMP <= 3 ? (i == 0 ? 0.40 : i == 1 ? 0.25 : 0.35) * 3.0 / NCAMP
			: 1.0 / NCAMP;
		uint32_t	minsz = CFG.accounts / 40 < 100 ? CFG.accounts / 40 : 100;
		double		want = CFG.fraud_share * CFG.accounts * share;
		uint32_t	sz;

		if (minsz < 2)
			minsz = 2;
		sz = (uint32_t) (want + 0.5);
		if (sz < minsz)
			sz = minsz;
		if (sz > CFG.campaign_max)
			sz = CFG.campaign_max;
		campaign_setup(&r, &CAMP[i], (int) i, (int) (i % NARCH));
		CAMP[i].size = sz;
		n_camp_total += sz;
	}
	if (n_camp_total * 2 > CFG.accounts)
		die("campaigns would take over half of the accounts: raise --accounts or lower --campaigns");
	{
		uint32_t	benign = CFG.accounts - n_camp_total;

		n_api = benign / 300;
		if (n_api < 3)
			n_api = 3;
		n_univ = benign / 20;
		n_corp = benign / 12;
		if (n_api + n_univ + n_corp >= benign)
			die("--accounts is too small");
		n_person = benign - n_api - n_univ - n_corp;
	}
	NACC = CFG.accounts;
	ACC = xcalloc(NACC, sizeof(account));

	/* organisations: universities and companies, Zipf(1) sizes */
	n_univ_orgs = CFG.accounts / 8000 < 2 ? 2 : CFG.accounts / 8000;
	n_corp_orgs = CFG.accounts / 1000 < 5 ? 5 : CFG.accounts / 1000;
	NORG = n_univ_orgs + n_corp_orgs;
	ORG = xcalloc(NORG, sizeof(org));
	org_cdf_u = xmalloc(n_univ_orgs * sizeof(double));
	org_cdf_c = xmalloc(n_corp_orgs * sizeof(double));
	for (i = 0; i < NORG; i++)
	{
		org		   *o = &ORG[i];
		char		name[32], dom[64];
		int			univ = i < n_univ_orgs;
		uint32_t	sub;

		make_name(&r, name, sizeof(name), 2 + (int) rng_below(&r, 2));
		if (univ)
			snprintf(dom, sizeof(dom), "%s.edu", name);
		else
		{
			static const char *const fmt[] = {"%s.com", "%scorp.com", "%s.io", "%s-labs.com", "%sgroup.de"};

			snprintf(dom, sizeof(dom), fmt[rng_below(&r, 5)], name);
		}
		o->email = add_email(dom);
		o->univ = univ;
		o->tz = pick_tz(&r);
		o->nip = 1 + (int) rng_below(&r, univ ? 4 : 2);
		sub = univ ? subnet_in(&r, CAMPUS_OCTET, ARRLEN(CAMPUS_OCTET))
			: subnet_in(&r, DATACENTER_OCTET, ARRLEN(DATACENTER_OCTET));
		for (j = 0; j < (uint32_t) o->nip; j++)
			o->ip[j] = sub | (1 + rng_below(&r, 254));
	}
	for (i = 0; i < n_univ_orgs; i++)
		org_cdf_u[i] = (i ? org_cdf_u[i - 1] : 0) + 1.0 / (i + 1);
	for (i = 0; i < n_univ_orgs; i++)
		org_cdf_u[i] /= org_cdf_u[n_univ_orgs - 1];
	for (i = 0; i < n_corp_orgs; i++)
		org_cdf_c[i] = (i ? org_cdf_c[i - 1] : 0) + 1.0 / (i + 1);
	for (i = 0; i < n_corp_orgs; i++)
		org_cdf_c[i] /= org_cdf_c[n_corp_orgs - 1];

	/* mobile carriers' CGNAT egress pools: a few hundred users per IP */
	n_carriers = CFG.accounts / 100000 < 3 ? 3 : CFG.accounts / 100000;
	pool_per_carrier = (uint32_t) (0.40 * n_person / 300.0 / n_carriers);
	if (pool_per_carrier < 4)
		pool_per_carrier = 4;
	NCGNAT = n_carriers * pool_per_carrier;
	CGNAT = xmalloc(NCGNAT * sizeof(uint32_t));
	for (i = 0; i < n_carriers; i++)
	{
		uint32_t	base = subnet_in(&r, RESIDENTIAL_OCTET, ARRLEN(RESIDENTIAL_OCTET)) & 0xFFFFF800u;

		for (j = 0; j < pool_per_carrier; j++)
			CGNAT[i * pool_per_carrier + j] = base + ((j * 7u) % 2048u) + 1;
	}
	/* commercial VPN exits, packed in a few data-centre /24s */
	NVPN = CFG.accounts / 2000 < 10 ? 10 : CFG.accounts / 2000;
	VPN = xmalloc(NVPN * sizeof(uint32_t));
	{
		uint32_t	sub = 0;

		for (i = 0; i < NVPN; i++)
		{
			if (i % 40 == 0)
				sub = subnet_in(&r, DATACENTER_OCTET, ARRLEN(DATACENTER_OCTET));
			VPN[i] = sub | (2 + rng_below(&r, 252));
		}
	}

	/* ordinary people, families among them */
	while (idx < n_person)
	{
		uint32_t	fam = 1;

		if (rng_unif(&r) < 0.015)
			fam = 2 + rng_below(&r, 3);
		if (idx + fam > n_person)
			fam = n_person - idx;
		for (k = 0; k < fam; k++)
		{
			account    *a = &ACC[idx + k];
			double		u;

			a->kind = K_PERSON;
			a->group = idx;		/* family = index of its first member */
			a->mode = fam > 1;
			a->created = person_created(&r);
			set_activity(&r, a, 0.10);
			a->rate = person_rate(&r);
			a->email = freemail(&r);
			person_topics(&r, a, NULL, 0, 0);
			person_timing(&r, a);
			if (k == 0)
			{
				a->tz = pick_tz(&r);
				a->ip[0] = ip_in(&r, RESIDENTIAL_OCTET, ARRLEN(RESIDENTIAL_OCTET));
				a->dev[0] = human_device(&r);
			}
			else
			{
				a->tz = ACC[idx].tz;
				a->ip[0] = ACC[idx].ip[0];
				a->dev[0] = ACC[idx].dev[0];	/* the shared family tablet */
			}
			a->nip = 1;
			a->ndev = 1;
			u = rng_unif(&r);
			if (u < 0.35)
			{
				/* on mobile data too: one or two CGNAT egress IPs */
				uint32_t	carrier = rng_below(&r, n_carriers);

				a->ip[a->nip++] = CGNAT[carrier * pool_per_carrier + rng_below(&r, pool_per_carrier)];
				if (rng_unif(&r) < 0.3)
					a->ip[a->nip++] = CGNAT[carrier * pool_per_carrier + rng_below(&r, pool_per_carrier)];
				if (fam == 1 && rng_unif(&r) < 0.15)
				{
					/* mobile only: no home line */
					a->ip[0] = a->ip[--a->nip];
				}
			}
			else if (u < 0.38)
				a->ip[a->nip++] = VPN[rng_below(&r, NVPN)];
			else if (u < 0.55)
				a->ip[a->nip++] = ip_in(&r, RESIDENTIAL_OCTET, ARRLEN(RESIDENTIAL_OCTET));
			if (rng_unif(&r) < 0.3)
				a->dev[a->ndev++] = human_device(&r);
			n_by_kind[K_PERSON]++;
		}
		idx += fam;
	}
	/* university and company members behind their org's NAT */
	for (i = 0; i < n_univ + n_corp; i++)
	{
		account    *a = &ACC[idx++];
		int			univ = i < n_univ;
		uint32_t	o = univ ? cdf_pick(org_cdf_u, n_univ_orgs, rng_unif(&r))
			: n_univ_orgs + cdf_pick(org_cdf_c, n_corp_orgs, rng_unif(&r));
		static const int pref_u[] = {D_EDUCATION, D_MATH, D_CODING, D_SCIENCE, D_WRITING, D_LANGUAGE, D_HISTORY};
		static const int pref_c[] = {D_CODING, D_WRITING, D_BUSINESS, D_FINANCE, D_CAREER, D_LEGAL, D_AGENTIC};

		a->kind = univ ? K_UNIV : K_CORP;
		a->group = o;
		a->created = person_created(&r);
		set_activity(&r, a, univ ? 0.15 : 0.08);
		a->rate = person_rate(&r);
		a->email = rng_unif(&r) < 0.9 ? ORG[o].email : freemail(&r);
		person_topics(&r, a, univ ? pref_u : pref_c, 7, 0.7);
		person_timing(&r, a);
		a->tz = ORG[o].tz;
		a->ip[0] = ORG[o].ip[rng_below(&r, (uint32_t) ORG[o].nip)];
		a->nip = 1;
		if (rng_unif(&r) < 0.6)
			a->ip[a->nip++] = ip_in(&r, RESIDENTIAL_OCTET, ARRLEN(RESIDENTIAL_OCTET));
		a->dev[0] = human_device(&r);
		a->ndev = 1;
		if (rng_unif(&r) < 0.3)
			a->dev[a->ndev++] = human_device(&r);
		n_by_kind[a->kind]++;
	}
	/* ordinary rates are known now: scale the machine-like accounts */
	for (i = 0; i < idx; i++)
		mean_person_rate += ACC[i].rate;
	n_people_rate = idx;
	mean_person_rate /= n_people_rate ? n_people_rate : 1;

	/* legitimate API integrations */
	for (i = 0; i < n_api; i++)
	{
		account    *a = &ACC[idx++];
		const api_tmpl *t;
		char		name[32], dom[64];

		a->kind = K_API;
		a->group = i;
		a->tmpl = (uint8_t) rng_below(&r, NAPI_TMPL);
		t = &API_TMPL[a->tmpl];
		a->top[0] = (uint8_t) topic_id(t->topic1);
		a->ntop = 1;
		a->tcum[0] = 65535;
		if (t->topic2 != NULL && rng_unif(&r) < 0.6)
		{
			a->top[1] = (uint8_t) topic_id(t->topic2);
			a->tcum[0] = (uint16_t) (20000 + rng_below(&r, 40000));
			a->tcum[1] = 65535;
			a->ntop = 2;
		}
		a->bg = 0;
		make_name(&r, name, sizeof(name), 2);
		snprintf(dom, sizeof(dom), "%s%s", name, rng_unif(&r) < 0.5 ? ".io" : "-app.com");
		a->email = add_email(dom);
		a->created = W0 - 86400 * (int64_t) (30 + rng_below(&r, 600)) + (int64_t) rng_below(&r, 86400);
		if (rng_unif(&r) < 0.15)
			a->created = W0 + (int64_t) (rng_unif(&r) * 0.7 * (double) (W1 - W0));
		set_activity(&r, a, 0.0);
		a->rate = mean_person_rate * (8.0 + 30.0 * rng_unif(&r));
		a->mode = rng_unif(&r) < 0.3 ? 1 : 0;
		a->tz = pick_tz(&r);
		a->ip[0] = ip_in(&r, DATACENTER_OCTET, ARRLEN(DATACENTER_OCTET));
		a->nip = 1;
		a->dev[0] = new_device(DEV_API);
		a->ndev = 1;
		n_by_kind[K_API]++;
	}
	/* campaigns */
	for (i = 0; i < (uint32_t) NCAMP; i++)
	{
		campaign   *c = &CAMP[i];
		int64_t		t = 0;
		uint32_t	per_burst = (c->size + (uint32_t) c->nburst - 1) / (uint32_t) c->nburst;
		double		gap_mean = c->arch == 2 ? 120.0 : 15.0;

		c->first = idx;
		if (c->arch == 2)
		{
			/* residential proxy pool, 10% of it real users' home lines */
			c->npool = c->size * 2 < 300 ? 300 : c->size * 2;
			c->pool = xmalloc(c->npool * sizeof(uint32_t));
			for (j = 0; j < c->npool; j++)
				c->pool[j] = rng_unif(&r) < 0.10 && n_person > 0
					? ACC[rng_below(&r, n_person)].ip[0]
					: ip_in(&r, RESIDENTIAL_OCTET, ARRLEN(RESIDENTIAL_OCTET));
		}
		for (j = 0; j < c->size; j++)
		{
			account    *a = &ACC[idx++];
			uint32_t	s, start;

			if (j % per_burst == 0)
				t = c->burst[j / per_burst];
			t += 1 + (int64_t) rng_expo(&r, gap_mean);
			a->kind = K_CAMP;
			a->camp = (uint8_t) (i + 1);
			a->group = j / 25;	/* A: lockstep batch */
			a->created = t;
			a->act0 = t + 600 + (int64_t) rng_below(&r, 3 * 3600);
			if (a->act0 < W0)
				a->act0 = W0;
			a->act1 = a->act0 + 86400 * (int64_t) (c->arch == 2 ? 7 + rng_below(&r, 24) : 14 + rng_below(&r, 27));
			if (a->act1 > W1)
				a->act1 = W1;
			if (a->act1 <= a->act0)
				a->act1 = a->act0;
			a->rate = mean_person_rate * c->rate_factor * (0.8 + 0.45 * rng_unif(&r));
			if (c->nemail > 0)
				a->email = c->email[cdf_pick(c->email_cdf, (uint32_t) c->nemail, rng_unif(&r))];
			else
				a->email = freemail(&r);
			/* a narrow slice of the campaign's capability space */
			a->ntop = (uint8_t) c->slice;
			if (c->arch == 1 && rng_unif(&r) < 0.6)
				a->ntop = 1;
			start = (j * (uint32_t) c->slice) % (uint32_t) c->nspace;
			for (s = 0; s < a->ntop; s++)
				a->top[s] = (uint8_t) c->space[(start + s) % (uint32_t) c->nspace];
			if (c->arch == 2)
			{
				a->tcum[0] = 32768;
				a->tcum[1] = 52428;
				a->tcum[2] = 65535;
			}
			else
				for (s = 0; s < a->ntop; s++)
					a->tcum[s] = (uint16_t) (s == a->ntop - 1u ? 65535u : 65535u * (s + 1) / a->ntop);
			a->bg = (uint16_t) (65535.0 * c->camo);
			a->ndev = (uint8_t) (c->arch == 2 ? 2 : 1 + rng_below(&r, 2));
			for (s = 0; s < a->ndev; s++)
				a->dev[s] = c->devpool[rng_below(&r, (uint32_t) c->ndevpool)];
			a->nip = 0;
			a->tz = 0;
		}
		n_by_kind[K_CAMP] += c->size;
	}
	if (idx != NACC)
		die("internal error: account count mismatch");
	free(org_cdf_u);
	free(org_cdf_c);
}

/* account ids follow sign-up order, as a sequence would give them */
static const account *SORT_ACC;

static int
cmp_created(const void *pa, const void *pb)
{
	uint32_t	a = *(const uint32_t *) pa, b = *(const uint32_t *) pb;

	if (SORT_ACC[a].created != SORT_ACC[b].created)
		return SORT_ACC[a].created < SORT_ACC[b].created ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void
assign_ids(void)
{
	uint32_t	i;

	RANK = xmalloc(NACC * sizeof(uint32_t));
	for (i = 0; i < NACC; i++)
		RANK[i] = i;
	SORT_ACC = ACC;
	qsort(RANK, NACC, sizeof(uint32_t), cmp_created);
	for (i = 0; i < NACC; i++)
		ACC[RANK[i]].id = i + 1;
}

/* split the interactions over accounts in proportion to rate x active days,
 * by systematic sampling: exact total, each count the floor or ceiling of
 * its expectation */
static void
allocate(void)
{
	rng			r;
	double		tot = 0, cum = 0, u;
	uint64_t	assigned = 0;
	uint32_t	i;

	rng_seed(&r, CFG.seed, 2);
	u = rng_unif(&r);
	for (i = 0; i < NACC; i++)
	{
		double		active = (double) (ACC[i].act1 - ACC[i].act0);

		ACC[i].rate = active > 60 ? ACC[i].rate * active / 86400.0 : 0.0;
		tot += ACC[i].rate;
	}
	if (tot <= 0)
		die("no account is active in the window");
	for (i = 0; i < NACC; i++)
	{
		double		prev = cum;
		uint64_t	c;

		cum += ACC[i].rate / tot * (double) CFG.interactions;
		c = (uint64_t) floor(cum + u) - (uint64_t) floor(prev + u);
		if (i == NACC - 1 || assigned + c > CFG.interactions)
			c = CFG.interactions - assigned;
		ACC[i].off = (uint32_t) assigned;
		ACC[i].count = (uint32_t) c;
		assigned += c;
	}
}

/* ------------------------------------------------------------------ */
/* Timestamps                                                          */
/* ------------------------------------------------------------------ */

static uint32_t *TS;			/* seconds since W0, per interaction slot */
static lognorm_table LN_GAP, LN_TOKENS, LN_API, LN_CAMP[NARCH];

static void
init_lognorm_tables(void)
{
	int			k;
	static const double camp_sigma[NARCH] = {0.35, 0.4, 0.5};

	lognorm_init(&LN_GAP, 1.1);
	lognorm_init(&LN_TOKENS, 0.9);
	lognorm_init(&LN_API, 0.3);
	for (k = 0; k < NARCH; k++)
		lognorm_init(&LN_CAMP[k], camp_sigma[k]);
}

static inline uint32_t
clamp_ts(rng *r, const account *a, int64_t t)
{
	if (t < a->act0 || t >= a->act1)
		t = a->act0 + (int64_t) (rng_unif(r) * (double) (a->act1 - a->act0));
	return (uint32_t) (t - W0);
}

/* people: sessions on (clustered) days at diurnal local hours, bursty gaps */
static void
times_person(rng *r, const account *a)
{
	uint32_t	i = 0, c = a->count;
	int64_t		tzs = (int64_t) a->tz * 60;
	int64_t		d0 = floor_div(a->act0 + tzs, 86400);
	int64_t		d1 = floor_div(a->act1 - 1 + tzs, 86400);
	int64_t		lastday = -1;
	uint32_t   *out = TS + a->off;

	while (i < c)
	{
		uint32_t	s = 1 + rng_geom(r, (double) a->sess - 1.0);
		int64_t		start = 0, t;
		int			tries;

		if (s > c - i)
			s = c - i;
		for (tries = 0;; tries++)
		{
			int64_t		day;
			int			hour;

			if (tries > 10)
			{
				start = a->act0 + (int64_t) (rng_unif(r) * (double) (a->act1 - a->act0));
				break;
			}
			if (lastday >= 0 && rng_unif(r) < 0.55)
				day = lastday + (rng_unif(r) < 0.3 ? 1 : 0);
			else
				day = d0 + (int64_t) rng_below(r, (uint32_t) (d1 - d0 + 1));
			if (weekday(day) >= 5 ? rng_below(r, 100) >= a->p_we : rng_below(r, 100) >= a->p_wd)
				continue;
			hour = ((int) cdf_pick(HOUR_CDF, 24, rng_unif(r)) + a->shift + 24) % 24;
			start = day * 86400 + hour * 3600 + rng_below(r, 3600) - tzs;
			if (start >= a->act0 && start < a->act1)
				break;
		}
		lastday = floor_div(start + tzs, 86400);
		t = start;
		while (s-- > 0)
		{
			out[i++] = clamp_ts(r, a, t);
			t += 2 + (int64_t) lognorm_draw(&LN_GAP, r, 40.0);
			if (rng_unif(r) < 0.08)
				t += (int64_t) rng_expo(r, 900.0);
		}
	}
}

/* API integrations: fixed period, 24/7 or weekday business hours */
static void
times_api(rng *r, const account *a)
{
	uint32_t	j, c = a->count;
	uint32_t   *out = TS + a->off;
	double		span = (double) (a->act1 - a->act0);

	if (c == 0)
		return;
	if (a->mode == 0)
	{
		double		period = span / c;
		double		phase = rng_unif(r) * period;

		for (j = 0; j < c; j++)
		{
			double		t = (double) a->act0 + phase + j * period + (rng_unif(r) - 0.5) * 2.0;

			out[j] = clamp_ts(r, a, (int64_t) floor(t));
		}
	}
	else
	{
		/* 09:00-17:00 local on weekdays, cron-like */
		int64_t		tzs = (int64_t) a->tz * 60;
		int64_t		d0 = floor_div(a->act0 + tzs, 86400);
		int64_t		d1 = floor_div(a->act1 - 1 + tzs, 86400);
		int64_t		day;
		double		busy = 0, period, phase, bt;
		int64_t		bday_start = 0;
		double		done = 0;

		for (day = d0; day <= d1; day++)
			if (weekday(day) < 5)
				busy += 8 * 3600;
		if (busy <= 0)
		{
			for (j = 0; j < c; j++)
				out[j] = clamp_ts(r, a, a->act0 - 1);
			return;
		}
		period = busy / c;
		phase = rng_unif(r) * period;
		day = d0 - 1;
		done = -1;				/* business seconds before 'day' */
		for (j = 0; j < c; j++)
		{
			bt = phase + j * period;
			while (done < 0 || bt >= done + 8 * 3600)
			{
				if (done >= 0)
					done += 8 * 3600;
				else
					done = 0;
				do
					day++;
				while (weekday(day) >= 5);
				bday_start = day * 86400 + 9 * 3600 - tzs;
			}
			out[j] = clamp_ts(r, a, bday_start + (int64_t) (bt - done) +
							  (int64_t) rng_below(r, 3));
		}
	}
}

/* campaign A: lockstep batches on a shared tick grid */
static void
times_campaign_a(rng *r, const campaign *c)
{
	const int64_t G = 30;
	uint32_t	b0;

	for (b0 = 0; b0 < c->size; b0 += 25)
	{
		uint32_t	b1 = b0 + 25 < c->size ? b0 + 25 : c->size;
		uint32_t	m, maxc = 1;
		int64_t		minspan = INT64_MAX, stride, phase, origin;

		for (m = b0; m < b1; m++)
		{
			const account *a = &ACC[c->first + m];

			if (a->count > maxc)
				maxc = a->count;
			if (a->count > 0 && a->act1 - a->act0 < minspan)
				minspan = a->act1 - a->act0;
		}
		if (minspan == INT64_MAX)
			continue;
		stride = minspan / ((int64_t) maxc * G * 105 / 100) - 1;
		if (stride < 1)
			stride = 1;
		origin = W0 - 7 * 86400 + (int64_t) c->tick_origin;
		phase = (int64_t) rng_below(r, (uint32_t) stride);
		for (m = b0; m < b1; m++)
		{
			const account *a = &ACC[c->first + m];
			uint32_t   *out = TS + a->off;
			int64_t		k, step = stride * G;
			uint32_t	j;

			/* first batch tick at or after act0 */
			k = floor_div(a->act0 - origin - phase * G + step - 1, step);
			for (j = 0; j < a->count; j++, k++)
			{
				int64_t		t;

				if (rng_below(r, 100) < 3)
					k++;		/* a failed request, retried next tick */
				t = origin + phase * G + k * step + (int64_t) (m - b0) + (int64_t) rng_below(r, 2);
				out[j] = clamp_ts(r, a, t);
			}
		}
	}
}

/* campaign B: each account on its own machine-regular period */
static void
times_regular(rng *r, const account *a)
{
	uint32_t	j;
	double		period = (double) (a->act1 - a->act0) / (a->count ? a->count : 1);

	for (j = 0; j < a->count; j++)
	{
		double		t = (double) a->act0 + (j + 0.5) * period + rng_normal(r) * 0.02 * period;

		TS[a->off + j] = clamp_ts(r, a, (int64_t) floor(t));
	}
}

/* campaign C: a Poisson process, flat over the day */
static void
times_poisson(rng *r, const account *a)
{
	uint32_t	j;
	double		span = (double) (a->act1 - a->act0);

	for (j = 0; j < a->count; j++)
		TS[a->off + j] = clamp_ts(r, a, a->act0 + (int64_t) (rng_unif(r) * span));
}

static void
make_times(void)
{
	rng			r;
	uint32_t	i;
	int			k;

	TS = xmalloc((size_t) CFG.interactions * sizeof(uint32_t));
	rng_seed(&r, CFG.seed, 3);
	for (i = 0; i < NACC; i++)
	{
		const account *a = &ACC[i];

		if (a->count == 0)
			continue;
		switch (a->kind)
		{
			case K_PERSON:
			case K_UNIV:
			case K_CORP:
				times_person(&r, a);
				break;
			case K_API:
				times_api(&r, a);
				break;
			default:
				if (CAMP[a->camp - 1].arch == 1)
					times_regular(&r, a);
				else if (CAMP[a->camp - 1].arch == 2)
					times_poisson(&r, a);
				break;
		}
	}
	for (k = 0; k < NCAMP; k++)
		if (CAMP[k].arch == 0)
			times_campaign_a(&r, &CAMP[k]);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

#define OUTBUF (1 << 20)
static char *obuf;
static size_t olen;
static FILE *ofile;

static void
oflush(void)
{
	if (olen && fwrite(obuf, 1, olen, ofile) != olen)
	{
		fprintf(stderr, "generate_usage: write failed: %s\n", strerror(errno));
		exit(1);
	}
	olen = 0;
}

static FILE *
open_out(const char *path)
{
	FILE	   *f;

	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	f = fopen(path, "wb");
	if (f == NULL)
	{
		fprintf(stderr, "generate_usage: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void
close_out(FILE *f)
{
	oflush();
	if (fflush(f) != 0 || ferror(f) || (f != stdout && fclose(f) != 0))
	{
		fprintf(stderr, "generate_usage: write failed: %s\n", strerror(errno));
		exit(1);
	}
}

static void
write_accounts(FILE *f)
{
	uint32_t	i;

	ofile = f;
	for (i = 0; i < NACC; i++)
	{
		const account *a = &ACC[RANK[i]];
		char	   *p = obuf + olen;

		p = put_u64(p, a->id);
		*p++ = '\t';
		p = put_ts(p, a->created);
		p = put_str(p, "+00\t");
		p = put_str(p, EMAIL[a->email]);
		*p++ = '\t';
		if (a->camp)
			p = put_str(p, CAMP[a->camp - 1].label);
		else
			p = put_str(p, "\\N");
		*p++ = '\n';
		olen = (size_t) (p - obuf);
		if (olen > OUTBUF - 512)
			oflush();
	}
	close_out(f);
}

/* benign sub-populations, for measuring false positives by kind */
static void
write_kinds(FILE *f)
{
	uint32_t	i;

	ofile = f;
	for (i = 0; i < NACC; i++)
	{
		const account *a = &ACC[RANK[i]];
		char	   *p = obuf + olen;

		p = put_u64(p, a->id);
		*p++ = '\t';
		if (a->kind == K_PERSON && a->mode)
			p = put_str(p, "family\t");
		else
		{
			p = put_str(p, KIND_NAME[a->kind]);
			*p++ = '\t';
		}
		if (a->kind == K_PERSON && a->mode)
			p = put_u64(p, ACC[a->group].id);
		else if (a->kind == K_UNIV || a->kind == K_CORP)
			p = put_str(p, EMAIL[ORG[a->group].email]);
		else if (a->kind == K_CAMP)
		{
			p = put_str(p, CAMP[a->camp - 1].label);
			p = put_str(p, "/batch-");
			p = put_u64(p, a->group);
		}
		else if (a->kind == K_API)
		{
			p = put_str(p, "api-");
			p = put_u64(p, a->group);
		}
		else
			p = put_str(p, "\\N");
		*p++ = '\n';
		olen = (size_t) (p - obuf);
		if (olen > OUTBUF - 512)
			oflush();
	}
	close_out(f);
}

/* %-template expansion */
static char *
put_template(char *p, rng *r, const char *tmpl, int t, uint64_t item)
{
	int			d = TOPICS[t].domain;
	uint32_t	w1 = rng_below(r, NWORD);

	for (; *tmpl; tmpl++)
	{
		if (*tmpl != '%')
		{
			*p++ = *tmpl;
			continue;
		}
		switch (*++tmpl)
		{
			case 'k':
				p = put_str(p, TOPICS[t].keyword);
				break;
			case 'w':
				p = put_str(p, DOMAIN_WORD[d][w1]);
				break;
			case 'v':
				p = put_str(p, DOMAIN_WORD[d][(w1 + 1 + rng_below(r, NWORD - 1)) % NWORD]);
				break;
			case 'n':
				p = put_u64(p, item);
				break;
			case 'c':
				p = put_str(p, CONSTRAINT[rng_below(r, ARRLEN(CONSTRAINT))]);
				break;
			case 'l':
				p = put_str(p, LANGS[rng_below(r, ARRLEN(LANGS))]);
				break;
			default:
				*p++ = *tmpl;
				break;
		}
	}
	return p;
}

/* free-form prompt from starter, topic keyword, domain words and fillers */
static char *
put_freeform(char *p, rng *r, int t)
{
	int			d = TOPICS[t].domain;
	uint32_t	nwords = 2 + rng_below(r, 5);
	uint32_t	kpos = rng_below(r, nwords);
	uint32_t	j;

	p = put_str(p, STARTER[rng_below(r, NSTARTER)]);
	for (j = 0; j < nwords; j++)
	{
		*p++ = ' ';
		if (j == kpos)
			p = put_str(p, TOPICS[t].keyword);
		else if (rng_below(r, 100) < 55)
			p = put_str(p, DOMAIN_WORD[d][rng_below(r, NWORD)]);
		else
			p = put_str(p, FILLER[rng_below(r, NFILLER)]);
	}
	if (rng_below(r, 100) < 40)
		*p++ = '?';
	return p;
}

static int
pick_own_topic(rng *r, const account *a)
{
	uint32_t	u = rng_below(r, 65535);
	int			i;

	for (i = 0; i < a->ntop - 1; i++)
		if (u < a->tcum[i])
			return a->top[i];
	return a->top[a->ntop - 1];
}

static const double DOMAIN_TOKENS[NDOM] = {
	700, 500, 450, 800, 550, 120, 350, 300, 280, 320,
	380, 420, 400, 380, 200, 250, 450, 260, 220, 420
};

static uint64_t api_item[NAPI_TMPL];
static uint64_t rows_by_kind[5];

static void
write_interactions(FILE *f)
{
	rng			r;
	uint32_t	T = (uint32_t) (W1 - W0);
	uint32_t   *start = xcalloc((size_t) T + 1, sizeof(uint32_t));
	uint32_t   *order = xmalloc((size_t) CFG.interactions * sizeof(uint32_t));
	uint32_t	i, s, pos;
	uint64_t	n;
	char		tsbuf[32];

	ofile = f;
	/* counting sort by second; ties in account (index) order */
	for (n = 0; n < CFG.interactions; n++)
		start[TS[n] + 1]++;
	for (s = 0; s < T; s++)
		start[s + 1] += start[s];
	for (i = 0; i < NACC; i++)
	{
		const account *a = &ACC[i];
		uint32_t	j;

		for (j = 0; j < a->count; j++)
			order[start[TS[a->off + j]]++] = i;
	}
	free(TS);
	TS = NULL;
	/* start[s] now is the end of second s's run */
	rng_seed(&r, CFG.seed, 4);
	pos = 0;
	for (s = 0; s < T; s++)
	{
		uint32_t	end = start[s];

		if (pos == end)
			continue;
		put_ts(tsbuf, W0 + s);
		for (; pos < end; pos++)
		{
			account    *a = &ACC[order[pos]];
			char	   *p = obuf + olen;
			uint32_t	ms = rng_below(&r, 1000);
			uint64_t	h;
			uint32_t	ip, dev;
			int			t;
			double		tok;
			const campaign *c = a->camp ? &CAMP[a->camp - 1] : NULL;

			p = put_u64(p, a->id);
			*p++ = '\t';
			memcpy(p, tsbuf, 19);
			p += 19;
			*p++ = '.';
			*p++ = (char) ('0' + ms / 100);
			*p++ = (char) ('0' + (ms / 10) % 10);
			*p++ = (char) ('0' + ms % 10);
			p = put_str(p, "+00\t");

			/* network and device: sticky per account and hour (A: per batch
			 * and hour; B, C: rotate every 10 minutes) */
			if (c == NULL)
			{
				h = mix64(CFG.seed ^ ((uint64_t) a->id << 20) ^ (s / 3600));
				if (a->nip == 1 || (h & 0xFF) < 166)
					ip = a->ip[0];
				else
					ip = a->ip[1 + hash_below(h, a->nip - 1u)];
				dev = a->ndev == 1 || ((h >> 8) & 0xFF) < 190 ? a->dev[0] : a->dev[1];
			}
			else if (c->arch == 0)
			{
				h = mix64(CFG.seed ^ ((uint64_t) (a->camp * 1000003u + a->group) << 24) ^ (s / 3600));
				ip = c->subnet[hash_below(h, (uint32_t) c->nsubnet)] | (2 + (uint32_t) ((h >> 8) % 252));
				dev = a->dev[(h >> 20) % a->ndev];
			}
			else
			{
				h = mix64(CFG.seed ^ ((uint64_t) a->id << 20) ^ (s / 600));
				if (c->arch == 1)
					ip = c->subnet[hash_below(h, (uint32_t) c->nsubnet)] | (2 + (uint32_t) ((h >> 8) % 252));
				else
					ip = c->pool[hash_below(h, c->npool)];
				dev = a->dev[(h >> 20) % a->ndev];
			}
			p = put_ip(p, ip);
			*p++ = '\t';
			p = put_device(p, dev);
			*p++ = '\t';

			/* topic and prompt */
			if (a->bg && rng_below(&r, 65535) < a->bg)
			{
				t = zipf_topic(&r);
				c = NULL;		/* camouflage reads like anybody's */
				p = put_str(p, TOPICS[t].name);
				*p++ = '\t';
				p = put_freeform(p, &r, t);
			}
			else
			{
				t = pick_own_topic(&r, a);
				p = put_str(p, TOPICS[t].name);
				*p++ = '\t';
				if (a->kind == K_API)
					p = put_template(p, &r, API_TMPL[a->tmpl].text, t, 100000 + (++api_item[a->tmpl]) * 7 + a->group);
				else if (c != NULL)
				{
					campaign   *cm = &CAMP[a->camp - 1];
					const char *tm;

					cm->item++;
					tm = cm->arch == 0 ? TMPL_A[rng_below(&r, ARRLEN(TMPL_A))]
						: cm->arch == 1 ? TMPL_B[rng_below(&r, ARRLEN(TMPL_B))]
						: TMPL_C[rng_below(&r, ARRLEN(TMPL_C))];
					p = put_template(p, &r, tm, t, cm->item);
				}
				else
					p = put_freeform(p, &r, t);
			}
			*p++ = '\t';

			/* tokens: long outputs for campaigns */
			if (c != NULL)
				tok = lognorm_draw(&LN_CAMP[c->arch], &r, c->tok_median);
			else if (a->kind == K_API)
				tok = lognorm_draw(&LN_API, &r, 350.0);
			else
				tok = lognorm_draw(&LN_TOKENS, &r, DOMAIN_TOKENS[TOPICS[t].domain]);
			p = put_u64(p, (uint64_t) clampd(tok, 5.0, 16000.0));
			*p++ = '\n';
			olen = (size_t) (p - obuf);
			if (olen > OUTBUF - 1024)
				oflush();
			rows_by_kind[a->kind]++;
			if (a->camp)
				CAMP[a->camp - 1].interactions++;
		}
	}
	close_out(f);
	free(order);
	free(start);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static void
usage(FILE *f)
{
	fprintf(f,
			"usage: generate_usage [options] --table accounts|interactions|kinds [--out FILE]\n"
			"       generate_usage [options] [--accounts-out FILE] [--interactions-out FILE]\n"
			"                                [--kinds-out FILE]\n"
			"\n"
			"Writes synthetic usage data in PostgreSQL COPY text format (tab-separated,\n"
			"\\N for NULL), to stdout unless --out or the *-out options name files:\n"
			"  accounts(account_id bigint, created_at timestamptz, email_domain text,\n"
			"           campaign text)  -- campaign: ground-truth label, NULL if benign\n"
			"  interactions(account_id bigint, ts timestamptz, ip inet, device text,\n"
			"               topic text, prompt text, tokens int)  -- in ts order\n"
			"  kinds(account_id bigint, kind text, grp text)  -- ground truth for\n"
			"        evaluation: person, family, university, corporate, api, campaign;\n"
			"        grp: family's first account, org domain, api-N, campaign/batch-N\n"
			"The same options give the same bytes; accounts and kinds do not depend on\n"
			"--interactions, so the tables may be written by separate runs.\n"
			"\n"
			"options:\n"
			"  --seed N            random seed (default 42)\n"
			"  --accounts N        number of accounts (default 20000)\n"
			"  --interactions N    number of interactions (default 1000000)\n"
			"  --days N            length of the window in days (default 42)\n"
			"  --start YYYY-MM-DD  first day of the window, UTC (default 2025-01-06)\n"
			"  --campaigns N       planted campaigns, 0-26 (default 3; archetypes\n"
			"                      A coding/reasoning, B agentic, C broad sweep repeat)\n"
			"  --fraud-share F     share of accounts in campaigns (default 0.01); each\n"
			"                      campaign has at least min(100, accounts/40) and at\n"
			"                      most --campaign-max accounts\n"
			"  --campaign-max N    largest campaign (default 2000)\n"
			"  --stats             print a summary of the model to stderr\n"
			"\n"
			"example:\n"
			"  generate_usage --seed 42 --accounts 20000 --table accounts > accounts.tsv\n"
			"  generate_usage --seed 42 --accounts 20000 --interactions 1000000 \\\n"
			"      --table interactions | psql -c '\\copy interactions from stdin'\n");
}

static uint64_t
parse_u64(const char *opt, const char *v, uint64_t lo, uint64_t hi)
{
	char	   *end;
	unsigned long long x;

	errno = 0;
	if (v == NULL || *v == '\0' || *v == '-')
	{
		fprintf(stderr, "generate_usage: %s needs a non-negative integer\n", opt);
		exit(2);
	}
	x = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || x < lo || x > hi)
	{
		fprintf(stderr, "generate_usage: %s must be an integer in [%llu, %llu], got '%s'\n",
				opt, (unsigned long long) lo, (unsigned long long) hi, v);
		exit(2);
	}
	return (uint64_t) x;
}

static void
parse_args(int argc, char **argv)
{
	int			i;
	int			y = 2025;
	unsigned	m = 1, d = 6;

	CFG.seed = 42;
	CFG.accounts = 20000;
	CFG.interactions = 1000000;
	CFG.days = 42;
	CFG.campaigns = 3;
	CFG.fraud_share = 0.01;
	CFG.campaign_max = 2000;
	for (i = 1; i < argc; i++)
	{
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0)
		{
			usage(stdout);
			exit(0);
		}
		else if (strcmp(o, "--stats") == 0)
		{
			CFG.stats = 1;
			continue;
		}
		{
			static const char *const known[] = {
				"--seed", "--accounts", "--interactions", "--days", "--campaigns",
				"--campaign-max", "--fraud-share", "--start", "--table", "--out",
				"--accounts-out", "--interactions-out", "--kinds-out"
			};
			uint32_t	kk;

			for (kk = 0; kk < ARRLEN(known); kk++)
				if (strcmp(o, known[kk]) == 0)
					break;
			if (kk == ARRLEN(known))
			{
				fprintf(stderr, "generate_usage: unknown option %s (see --help)\n", o);
				exit(2);
			}
		}
		if (v == NULL)
		{
			fprintf(stderr, "generate_usage: %s needs a value (see --help)\n", o);
			exit(2);
		}
		i++;
		if (strcmp(o, "--seed") == 0)
			CFG.seed = parse_u64(o, v, 0, UINT64_MAX);
		else if (strcmp(o, "--accounts") == 0)
			CFG.accounts = (uint32_t) parse_u64(o, v, 100, 50000000);
		else if (strcmp(o, "--interactions") == 0)
			CFG.interactions = parse_u64(o, v, 0, 2000000000);
		else if (strcmp(o, "--days") == 0)
			CFG.days = (uint32_t) parse_u64(o, v, 1, 366);
		else if (strcmp(o, "--campaigns") == 0)
			CFG.campaigns = (int) parse_u64(o, v, 0, 26);
		else if (strcmp(o, "--campaign-max") == 0)
			CFG.campaign_max = (uint32_t) parse_u64(o, v, 2, 1000000);
		else if (strcmp(o, "--fraud-share") == 0)
		{
			char	   *end;

			errno = 0;
			CFG.fraud_share = strtod(v, &end);
			if (errno != 0 || *end != '\0' || !(CFG.fraud_share >= 0 && CFG.fraud_share <= 0.5))
			{
				fprintf(stderr, "generate_usage: --fraud-share must be a number in [0, 0.5]\n");
				exit(2);
			}
		}
		else if (strcmp(o, "--start") == 0)
		{
			char		tail;

			if (sscanf(v, "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
				y < 1971 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31)
			{
				fprintf(stderr, "generate_usage: --start must be YYYY-MM-DD\n");
				exit(2);
			}
		}
		else if (strcmp(o, "--table") == 0)
		{
			if (strcmp(v, "accounts") != 0 && strcmp(v, "interactions") != 0 &&
				strcmp(v, "kinds") != 0)
			{
				fprintf(stderr, "generate_usage: --table must be accounts, interactions or kinds\n");
				exit(2);
			}
			CFG.table = v;
		}
		else if (strcmp(o, "--out") == 0)
			CFG.out = v;
		else if (strcmp(o, "--accounts-out") == 0)
			CFG.accounts_out = v;
		else if (strcmp(o, "--interactions-out") == 0)
			CFG.interactions_out = v;
		else if (strcmp(o, "--kinds-out") == 0)
			CFG.kinds_out = v;
		else
		{
			fprintf(stderr, "generate_usage: unknown option %s (see --help)\n", o);
			exit(2);
		}
	}
	if (CFG.table == NULL && CFG.accounts_out == NULL && CFG.interactions_out == NULL &&
		CFG.kinds_out == NULL)
	{
		usage(stderr);
		exit(2);
	}
	if (CFG.table != NULL && (CFG.accounts_out != NULL || CFG.interactions_out != NULL ||
							  CFG.kinds_out != NULL))
	{
		fprintf(stderr, "generate_usage: use either --table or the --*-out options\n");
		exit(2);
	}
	if ((uint64_t) CFG.days * 86400u >= UINT32_MAX)
		die("window too long");
	CFG.start = days_from_civil(y, m, d) * 86400;
}

static void
print_stats(double secs)
{
	int			k;
	uint64_t	counted[5] = {0, 0, 0, 0, 0};
	uint32_t	i;

	for (i = 0; i < NACC; i++)
		counted[ACC[i].kind] += ACC[i].count;
	fprintf(stderr, "generate_usage: seed %llu, %u accounts, %llu interactions, %u days from ",
			(unsigned long long) CFG.seed, NACC, (unsigned long long) CFG.interactions, CFG.days);
	{
		char		b[32];

		*put_ts(b, W0) = '\0';
		fprintf(stderr, "%s UTC\n", b);
	}
	for (k = 0; k < 5; k++)
		fprintf(stderr, "  %-10s %8u accounts %11llu interactions\n", KIND_NAME[k],
				n_by_kind[k], (unsigned long long) counted[k]);
	fprintf(stderr, "  %u organisations, %u CGNAT egress IPs, %u VPN exits\n", NORG, NCGNAT, NVPN);
	for (k = 0; k < NCAMP; k++)
	{
		uint64_t	rows = 0;

		for (i = 0; i < CAMP[k].size; i++)
			rows += ACC[CAMP[k].first + i].count;
		fprintf(stderr, "  %s (archetype %c): %u accounts, %llu interactions, %d topics in its space\n",
				CAMP[k].label, 'A' + CAMP[k].arch, CAMP[k].size, (unsigned long long) rows,
				CAMP[k].nspace);
	}
	fprintf(stderr, "  %.2f s CPU\n", secs);
}

int
main(int argc, char **argv)
{
	clock_t		t0 = clock();

	parse_args(argc, argv);
	W0 = CFG.start;
	W1 = W0 + (int64_t) CFG.days * 86400;
	obuf = xmalloc(OUTBUF);
	init_topics();
	build_model();
	assign_ids();
	if (CFG.table ? strcmp(CFG.table, "accounts") == 0 : CFG.accounts_out != NULL)
		write_accounts(open_out(CFG.table ? CFG.out : CFG.accounts_out));
	if (CFG.table ? strcmp(CFG.table, "kinds") == 0 : CFG.kinds_out != NULL)
		write_kinds(open_out(CFG.table ? CFG.out : CFG.kinds_out));
	if (CFG.table ? strcmp(CFG.table, "interactions") == 0 : CFG.interactions_out != NULL)
	{
		allocate();
		init_lognorm_tables();
		make_times();
		write_interactions(open_out(CFG.table ? CFG.out : CFG.interactions_out));
	}
	if (CFG.stats)
	{
		if (CFG.table ? strcmp(CFG.table, "interactions") != 0 : CFG.interactions_out == NULL)
			allocate();
		print_stats((double) (clock() - t0) / CLOCKS_PER_SEC);
	}
	return 0;
}
