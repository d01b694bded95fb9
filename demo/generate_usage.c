/*
 * generate_usage.c: synthetic AI-model usage logs for pg_sybil demos and
 * benchmarks, with planted distillation campaigns of eight styles and the
 * benign look-alikes a detector must leave alone.
 *
 * Build (C99, libc + libm only):
 *     cc -O2 -std=c99 -Wall -Wextra -Werror -o generate_usage demo/generate_usage.c -lm
 *
 * Writes PostgreSQL COPY text format; run with --help for the options.
 *
 *   accounts(account_id bigint, created_at timestamptz, email_domain text,
 *            payment_fingerprint text, signup_ip inet, country text,
 *            campaign text)      -- payment_fingerprint NULL for free accounts;
 *                                -- campaign: ground truth, NULL if benign
 *   interactions(account_id bigint, ts timestamptz, ip inet, device text,
 *                user_agent text, topic text, prompt text, tokens_out int,
 *                model text)     -- sorted by ts
 *   kinds(account_id bigint, kind text, grp text)   -- ground truth: which
 *            benign sub-population (or campaign batch) each account is
 *
 * Determinism: the output depends only on the options.  All randomness comes
 * from xoshiro256** seeded with splitmix64, and the only floating-point
 * operations are IEEE-754 +, -, *, / and sqrt, plus the exact frexp, ldexp
 * and floor (log and exp are computed here by series, not by libm), so a
 * seed gives the same bytes on every machine that does IEEE double
 * arithmetic (checked with gcc and clang, -O0 to -O3, -march=native and
 * -ffp-contract=fast).  The accounts and kinds tables depend on --seed,
 * --accounts, --days, --start, --variant, --campaigns, --fraud-share and
 * --campaign-max only (not on --interactions), so the tables can be
 * produced by separate runs and still agree.
 *
 * The model, in brief (demo/README.md has the tables):
 *   - 200 topics "domain.subtopic" (20 domains x 10), population popularity
 *     Zipf over a fixed ranking;
 *   - models: an older and a current version at the window's start, a new
 *     one released at ~70% of the window (--variant holdout: ~55%); people
 *     migrate over weeks (a few on day one, some never), API integrations
 *     pin a version and a few switch in one go on a deploy day;
 *   - ordinary people: heavy-tailed activity (lognormal rates, a quarter
 *     dormant), a personal topic mix, sessions at diurnal hours of their own
 *     time zone with bursty gaps, 1-3 IPs, 1-2 devices whose user agents are
 *     shared by huge crowds, free-form prompts; some pay (own card);
 *   - benign look-alikes: families (shared device, home IP, family card),
 *     mobile carrier CGNAT (hundreds of accounts per IP), VPN exits in
 *     data-centre /24s, universities and companies behind NATs (one e-mail
 *     domain), teams sharing one company card (2-30 accounts), busy power
 *     users (high volume, long answers, SDK clients, early adopters of the
 *     new model), API integrations (regular cadence, one template);
 *   - planted campaigns (ground truth in accounts.campaign, label
 *     <style>-<n>): blunt, proxy, camouflage, slowlow, agentic, aged, pivot
 *     and paraphrase (see campaign_setup and campaign_accounts); each
 *     divides its capability area among its accounts (each narrow, all
 *     together covering it) and asks for long answers;
 *   - --variant holdout: the same styles with other words, templates,
 *     languages, sizes, proportions, hub sizes, time-zone mix and activity
 *     parameters, for measuring a detector on data it was not tuned on.
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

#define ARRLEN(a) ((uint32_t) (sizeof(a) / sizeof((a)[0])))
#define LIST(a) a, ARRLEN(a)

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

/* Words of each domain for prompts: the main variant's and the holdout's. */
static const char *const DOMAIN_WORD_MAIN[NDOM][NWORD] = {
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

static const char *const DOMAIN_WORD_HOLD[NDOM][NWORD] = {
	{"stack trace", "null pointer", "regex", "dependency", "endpoint", "memory leak", "race condition", "git merge", "docker image", "type error"},
	{"polynomial", "eigenvalue", "inequality", "triangle", "sequence", "logarithm", "probability tree", "subset", "modulus", "determinant"},
	{"syllogism", "fallacy", "hypothesis", "dilemma", "counterfactual", "evidence", "grid puzzle", "induction", "premise set", "contradiction"},
	{"book a flight", "fill a spreadsheet", "download reports", "triage an inbox", "crawl a site", "post to slack", "open a ticket", "export a dashboard", "resize images", "sync a calendar"},
	{"essay draft", "blog post", "opening line", "summary", "style", "wording", "bullet points", "abstract", "thank-you note", "slogan"},
	{"lunch", "cats", "rainy day", "gaming", "holiday", "tv show", "meme", "sunday", "pizza", "traffic jam"},
	{"layover", "hostel", "rental car", "visa", "island", "backpack", "tour", "ferry", "jet lag", "currency"},
	{"curry", "salmon", "dough", "marinade", "stir fry", "lentils", "butter", "air fryer", "tofu", "pie"},
	{"blood pressure", "migraine", "cholesterol", "injury", "insomnia", "allergy", "posture", "hydration", "cold", "anxiety"},
	{"etf", "dividend", "credit score", "student loan", "capital gains", "paycheck", "rent", "401k", "bitcoin", "refinance"},
	{"tenant", "copyright", "nda", "divorce", "speeding ticket", "warranty claim", "eviction", "trademark", "will", "gdpr"},
	{"term paper", "midterm", "flashcards", "textbook", "study plan", "tutor", "sat", "dissertation", "seminar", "worksheet"},
	{"photosynthesis", "black hole", "enzyme", "quantum", "volcano", "neuron", "entropy", "bacteria", "orbit", "protein"},
	{"pharaoh", "crusade", "cold war", "renaissance", "samurai", "colonialism", "ottoman", "civil war", "bronze age", "monarchy"},
	{"sitcom", "soundtrack", "sequel", "band", "streamer", "manga", "box office", "trailer", "lyrics", "console"},
	{"sneakers", "tablet", "mattress", "coupon", "smartwatch", "vacuum", "refund", "stroller", "tv", "blender"},
	{"cv", "recruiter", "raise", "layoff", "internship", "portfolio", "boss", "remote job", "onboarding", "performance review"},
	{"boyfriend", "girlfriend", "sister", "in-laws", "toddler", "teenager", "coworker", "ex", "anniversary", "puppy"},
	{"conjugation", "idiom", "pronoun", "dialect", "subjunctive", "spelling", "synonym", "article", "false friend", "plural"},
	{"investor", "margin", "invoice", "supply chain", "okr", "hiring", "pricing", "retention", "b2b", "forecast"}
};

static const char *const STARTER_MAIN[] = {
	"how do i", "can you", "what is", "help me with", "explain", "why does",
	"tips for", "write", "give me", "is it ok to", "what are good", "compare",
	"show me", "any advice on", "i need", "quick question about", "tell me about",
	"fix", "suggest", "ok so", "hey, about", "what about", "best way to"
};
static const char *const STARTER_HOLD[] = {
	"could you", "please explain", "i want to", "how can i", "whats the",
	"need help with", "quick one:", "any idea about", "i was wondering about",
	"do you know", "teach me", "walk me through", "is there a way to",
	"thoughts on", "recommend", "summarize", "make", "hi! about", "so about",
	"how would you", "difference between", "pros and cons of"
};

static const char *const FILLER_MAIN[] = {
	"my", "the", "a", "for", "with", "about", "in", "quick", "simple", "best",
	"good", "new", "really", "some", "please", "today", "easy", "better",
	"example", "idea", "problem", "question", "way", "help", "again", "still",
	"just", "maybe", "first", "real", "this", "our", "next", "cheap"
};
static const char *const FILLER_HOLD[] = {
	"your", "an", "of", "on", "to", "from", "short", "detailed", "proper",
	"nice", "fast", "cool", "kind of", "pls", "tonight", "basic", "advanced",
	"practical", "thing", "issue", "options", "plan", "anyway", "actually",
	"usual", "own", "that", "those", "free", "great", "same", "whole"
};

static const char *const LANGS[] = {
	"spanish", "french", "german", "japanese", "portuguese", "italian",
	"korean", "dutch", "polish", "turkish"
};

static const char *const CONSTRAINT_MAIN[] = {
	"O(n log n) time", "all edge cases", "a formal proof", "unit tests",
	"no libraries", "a full derivation", "worked examples",
	"complexity analysis", "two alternative methods", "a counterexample"
};
static const char *const CONSTRAINT_HOLD[] = {
	"linear time", "every corner case", "a rigorous argument", "test cases",
	"only the standard library", "each derivation step", "three examples",
	"a correctness proof", "big-O analysis", "an alternative approach",
	"numbered steps", "a sanity check"
};

static const char *const TOOLS_MAIN[] = {
	"search", "run_code", "read_file", "http_get", "write_file", "click", "type_text", "sql_query"
};
static const char *const TOOLS_HOLD[] = {
	"browse", "python", "shell", "write_file", "screenshot", "scroll", "fetch_url", "calendar_api"
};

/*
 * Prompt templates.  %k keyword of the topic, %w and %v words of its
 * domain, %n a running item number of the campaign, %c a constraint, %l a
 * language, %e a made-up name, %d a small number, %g the campaign's tag,
 * %s / %S step and steps of an agent task, %t a tool, %j a tool result as
 * JSON, %P a paragraph of context (long prompts), %N a newline (written as
 * the COPY escape \n).
 */
static const char *const T_BLUNT_MAIN[] = {
	"Solve step by step, showing all reasoning: %k task %n on %w with %c.",
	"Think carefully and write out your full chain of thought. %k problem %n: %w.",
	"You are a %k expert. Give a detailed worked solution for %w (case %n), %c.",
	"Reason step by step before the final answer. Exercise %n: %w and %v in %k.",
	"Explain every intermediate step. %k #%n: %w, %c. End with FINAL ANSWER.",
	"[%g] %k item %n. Input: %w. Output the complete reasoning, then the answer."
};
static const char *const T_BLUNT_HOLD[] = {
	"[%g] Problem %n. Domain: %k. Input: %w, %v. Derive the answer rigorously, include %c.",
	"Answer with full derivation (%k). Given %w, find %v. Case id %n. Requirements: %c.",
	"%k drill %n -- %w. Show working for every line, then state RESULT: <answer>.",
	"Please provide an exhaustive, line-by-line solution. Topic=%k; item=%n; about=%w.",
	"Expert mode. %k question %n concerning %w and %v. Include %c and a final boxed answer."
};
static const char *const T_PROXY_MAIN[] = {
	"Q%n: explain %k in depth with examples: %w, %v. Be thorough.",
	"Give a comprehensive expert answer about %k (%w). Item %n.",
	"Detailed tutorial on %w for %k, include edge cases. #%n",
	"Teach %k: %w and %v, step by step with exercises. ref %n",
	"Comprehensive answer required: %w in %k, cover every case. id %n",
	"As a world-class expert, answer fully: %k / %w. q%n"
};
static const char *const T_PROXY_HOLD[] = {
	"Write a complete explanation of %k covering %w and %v. [ref:%n]",
	"%k deep dive #%n: everything about %w, with %c.",
	"Provide a long-form, textbook quality answer: %w (%k). ticket %n",
	"Explain %w to an expert in %k. Be exhaustive. #%n",
	"Generate a detailed reference answer for: %k / %w / %v. uid=%n",
	"Full answer needed (%k, %w). Include %c. n%n"
};
static const char *const T_CAMO_MAIN[] = {
	"Explain %k with a worked example about %w. I am practising, %n.",
	"Can you go through %w in %k step by step? Example %n please.",
	"For my notes: %k, especially %w and %v. Detailed please (%n).",
	"Give me a thorough walkthrough of %w (%k), with %c.",
	"I want to really understand %k. Cover %w, %v and common mistakes. #%n"
};
static const char *const T_CAMO_HOLD[] = {
	"studying %k today - could you explain %w properly with an example? (%n)",
	"ok next one: %w in %k. go deep, include %c",
	"help me master %k: %w vs %v, with exercises. set %n",
	"what is the full story behind %w in %k? long answer ok. %n",
	"need a detailed %k explanation of %w for a project, %c"
};
static const char *const T_SLOW_MAIN[] = {
	"You are an expert in %k. Read the material below and write an exhaustive, textbook-length answer.%N%NMaterial (%n):%N%P%N%NQuestion: explain %w and %v in full depth, with %c, then summarise.",
	"Long-form task %n (%k).%NContext:%N%P%NWrite at least 3000 words: derive, justify and illustrate %w. Include %c.",
	"Please produce a complete chapter on %k.%NNotes from the outline:%N%P%NCover %w, %v and edge cases; add exercises with solutions. ref %n",
	"Detailed analysis request %n.%NBackground:%N%P%N%NTask: a rigorous treatment of %w in %k, step by step, with %c."
};
static const char *const T_SLOW_HOLD[] = {
	"Document %n -- %k.%N%P%N%NUsing the document, write a comprehensive report on %w. Be as long and complete as possible; include %c.",
	"Read carefully:%N%P%NNow teach %k from first principles, focusing on %w and %v. No length limit. (%n)",
	"Case file %n (%k)%N---%N%P%N---%NProvide an expert, exhaustive answer addressing %w, with %c."
};
static const char *const T_AGENT_MAIN[] = {
	"TASK %n step %s/%S: goal=%w (%k). Last observation: %j. Choose the next tool (%t) and return the call as JSON.",
	"Agent run %n, turn %s of %S. Tools: search, run_code, read_file, http_get. Objective: %w via %k. Observation: %j. Next action?",
	"[episode %n][step %s] You are an autonomous agent solving: %w (%k). Previous tool output: %j. Think, then emit one tool call.",
	"Trajectory %n/%s: plan for %k -> %w. Result so far: %j. Output {\"tool\": ..., \"args\": ...} for the next step."
};
static const char *const T_AGENT_HOLD[] = {
	"<task id=%n turn=%s/%S> %k: %w. tool_result=%j. Reply with the next function call only.",
	"Workflow %n, stage %s. Available functions: browse, python, shell, write_file. Need to %w (%k). Last result: %j.",
	"You control a computer. Job %n (%k): %w. Step %s of %S. Screen/tool state: %j. What do you do next? Answer as JSON.",
	"Multi-step job #%n -- %w using %k. Completed steps: %s. Observation %j. Decide the next tool call (%t)."
};
static const char *const T_AGED_MAIN[] = {
	"Solve and explain fully: %k, %w (%n). Include %c.",
	"Detailed solution wanted for %k problem %n: %w and %v.",
	"Show complete reasoning for this %k question: %w. [%n]",
	"Write a thorough answer on %w (%k), %c. id %n"
};
static const char *const T_AGED_HOLD[] = {
	"%k / %w / item %n: full worked answer please, %c",
	"explain in detail: %w (%k) -- case %n",
	"complete solution with reasoning, %k, %w, %v, #%n"
};
static const char *const T_PIVOT_MAIN[] = {
	"Hard problem %n (%k): %w. Give your most rigorous solution, with %c.",
	"Benchmark item %n. Category: %k. Task: %w and %v. Think step by step; final answer last.",
	"Evaluate your capabilities: %k challenge %n on %w. Full reasoning required.",
	"Frontier-level question %n about %k: %w. Show every step, %c."
};
static const char *const T_PIVOT_HOLD[] = {
	"Challenge set %g-%n | %k | %w. Provide the strongest possible answer with %c.",
	"Difficult %k task (%n): %w given %v. Reason carefully and verify.",
	"Test prompt %n: %k. %w. Produce an expert-level derivation."
};

typedef struct api_tmpl
{
	const char *text;
	const char *topic1;
	const char *topic2;			/* may be NULL */
} api_tmpl;

static const api_tmpl API_TMPL_MAIN[] = {
	{"Summarize support ticket #%n: customer reports %w and %v.", "business.customer_support", "writing.summarization"},
	{"Translate to %l: %w, %v.", "language.translation", NULL},
	{"Review this diff for bugs and style: %k change %n.", "coding.code_review", "coding.python"},
	{"Write a product description for SKU %n: %w, %v.", "shopping.product_descriptions", NULL},
	{"Classify the sentiment of review %n: %w %v.", "business.analytics", NULL},
	{"Draft a polite reply to email %n about %w.", "writing.email", NULL},
	{"Extract invoice fields as JSON from document %n: %w.", "agentic.data_extraction", "finance.accounting"},
	{"Generate SQL for report %n: %w by %v.", "coding.sql", "business.analytics"}
};
static const api_tmpl API_TMPL_HOLD[] = {
	{"Categorize customer message %n: %w, %v.", "business.customer_support", NULL},
	{"Localize UI string %n into %l: %w.", "language.translation", NULL},
	{"Generate unit tests for function %n handling %w.", "coding.python", "coding.debugging"},
	{"Write a listing title and bullet points for item %n: %w.", "shopping.product_descriptions", NULL},
	{"Summarize meeting transcript %n about %w and %v.", "writing.summarization", "business.operations"},
	{"Answer FAQ %n for a patient asking about %w.", "health.symptoms", NULL},
	{"Convert receipt %n to JSON: %w, %v.", "agentic.data_extraction", "finance.budgeting"},
	{"Explain error log %n: %w.", "coding.debugging", NULL}
};
#define NAPI_TMPL 8

/*
 * Paraphrase vocabulary: the same intent ("explain this problem on topic X
 * step by step and give the answer") in several languages (ASCII, accents
 * dropped as many people type them), each slot with many wordings.  Each
 * account of a paraphrase campaign uses its own subset of the wordings,
 * orders and punctuation, so accounts share few word n-grams.
 */
typedef struct para_lang
{
	const char *code;
	const char *const *open; uint32_t nopen;
	const char *const *ask; uint32_t nask;
	const char *const *how; uint32_t nhow;
	const char *const *obj; uint32_t nobj;
	const char *const *about; uint32_t nabout;
	const char *const *cont; uint32_t ncont;
	const char *const *fmt; uint32_t nfmt;
	const char *const *thanks; uint32_t nthanks;
	const char *noun[6];		/* math, reasoning, science, language, coding, writing */
	const char *countries;		/* space-separated country codes */
} para_lang;

static const char *const EN_OPEN[] = {"", "hi,", "hello!", "please,", "quick request:", "hey there,", "ok,", "so,", "good morning,", "if you can,"};
static const char *const EN_ASK[] = {"explain", "walk me through", "help me understand", "break down", "clarify", "describe", "go over", "unpack", "teach me", "lay out", "spell out", "talk me through", "solve", "work through", "figure out", "show me"};
static const char *const EN_HOW[] = {"step by step", "one step at a time", "in careful stages", "showing each step", "with complete reasoning", "thinking out loud", "leaving nothing out", "in full detail", "slowly and carefully", "justifying every step", "in detail please", "with all the steps", "stage by stage", "without skipping steps"};
static const char *const EN_OBJ[] = {"this problem", "the following question", "this exercise", "a puzzle", "the case below", "this task", "the next item", "a tricky one", "my homework question", "this one", "the question", "a problem"};
static const char *const EN_ABOUT[] = {"about", "regarding", "on", "concerning", "related to", "in the area of", "involving", "dealing with"};
static const char *const EN_CONT[] = {"where n is %d", "given %d cases", "for %e with %d parts", "if x equals %d", "assuming %e has %d options", "with a limit of %d", "for the %e example", "using %d as input"};
static const char *const EN_FMT[] = {"and finish with the answer", "then state the result", "and end with a short answer", "ending with a one-line conclusion", "and box the final result", "then summarize in a sentence", "and double check it at the end", "finally verify your answer", "answer at the end", "final result last", "and conclude clearly", "then give the number"};
static const char *const EN_THX[] = {"thanks", "thank you!", "cheers", "much appreciated", "ty"};

static const char *const ES_OPEN[] = {"", "hola,", "por favor,", "buenas,", "oye,", "una consulta:", "si puedes,", "bueno,"};
static const char *const ES_ASK[] = {"explicame", "ayudame a entender", "desglosa", "aclarame", "describe", "analiza", "repasa conmigo", "ensename", "detalla", "resuelve"};
static const char *const ES_HOW[] = {"paso a paso", "poco a poco", "con todo el razonamiento", "sin saltarte nada", "con cada paso intermedio", "con calma y en detalle", "justificando cada paso", "de forma detallada"};
static const char *const ES_OBJ[] = {"este problema", "la siguiente pregunta", "este ejercicio", "un acertijo", "el caso siguiente", "esta tarea"};
static const char *const ES_ABOUT[] = {"sobre", "acerca de", "respecto a", "en el tema de", "relacionado con", "en torno a"};
static const char *const ES_CONT[] = {"donde n vale %d", "con %d casos", "para %e con %d partes", "si x es igual a %d", "suponiendo que %e tiene %d opciones", "con un limite de %d"};
static const char *const ES_FMT[] = {"y al final da la respuesta", "y luego indica el resultado", "terminando con una conclusion breve", "y verifica el resultado al final", "y resume en una frase", "con la respuesta final al final"};
static const char *const ES_THX[] = {"gracias", "muchas gracias", "mil gracias", "gracias!"};

static const char *const DE_OPEN[] = {"", "hallo,", "bitte", "guten tag,", "kurze frage:", "hey,", "wenn moeglich,", "also,"};
static const char *const DE_ASK[] = {"erklaere", "hilf mir zu verstehen", "zerlege", "beschreibe", "erlaeutere", "geh mit mir durch", "analysiere", "loese", "bring mir bei", "stelle dar"};
static const char *const DE_HOW[] = {"schritt fuer schritt", "ganz ausfuehrlich", "mit allen zwischenschritten", "mit vollstaendiger begruendung", "in kleinen schritten", "ohne etwas auszulassen", "sorgfaeltig und genau", "jeden schritt begruendend"};
static const char *const DE_OBJ[] = {"diese aufgabe", "die folgende frage", "diese uebung", "ein raetsel", "den folgenden fall", "dieses problem"};
static const char *const DE_ABOUT[] = {"zum thema", "ueber", "bezueglich", "im bereich", "rund um", "betreffend"};
static const char *const DE_CONT[] = {"wobei n gleich %d ist", "mit %d faellen", "fuer %e mit %d teilen", "wenn x gleich %d ist", "angenommen %e hat %d optionen", "mit einer grenze von %d"};
static const char *const DE_FMT[] = {"und nenne am ende das ergebnis", "und gib zum schluss die antwort", "mit einem kurzen fazit", "und pruefe das ergebnis am ende", "und fasse es in einem satz zusammen", "die endgueltige antwort zuletzt"};
static const char *const DE_THX[] = {"danke", "vielen dank", "danke dir", "besten dank"};

static const char *const FR_OPEN[] = {"", "bonjour,", "salut,", "s'il te plait,", "petite question :", "dis,", "si possible,", "alors,"};
static const char *const FR_ASK[] = {"explique", "aide-moi a comprendre", "decompose", "detaille", "clarifie", "decris", "analyse", "resous", "montre-moi", "passe en revue"};
static const char *const FR_HOW[] = {"etape par etape", "pas a pas", "avec tout le raisonnement", "sans rien omettre", "en justifiant chaque etape", "en detail", "calmement et precisement", "avec chaque etape intermediaire"};
static const char *const FR_OBJ[] = {"ce probleme", "la question suivante", "cet exercice", "une enigme", "le cas suivant", "cette tache"};
static const char *const FR_ABOUT[] = {"sur", "concernant", "a propos de", "dans le domaine de", "au sujet de", "lie a"};
static const char *const FR_CONT[] = {"ou n vaut %d", "avec %d cas", "pour %e avec %d parties", "si x est egal a %d", "en supposant que %e a %d options", "avec une limite de %d"};
static const char *const FR_FMT[] = {"et donne la reponse a la fin", "puis indique le resultat", "en terminant par une courte conclusion", "et verifie le resultat a la fin", "et resume en une phrase", "avec la reponse finale en dernier"};
static const char *const FR_THX[] = {"merci", "merci beaucoup", "merci d'avance", "merci !"};

static const char *const ZH_OPEN[] = {"", "ni hao,", "qing", "mafan ni,", "wen yi xia,", "hai,", "bang ge mang,"};
static const char *const ZH_ASK[] = {"jieshi yi xia", "bang wo lijie", "fenxi", "xiangxi shuoming", "jiang jie", "jieda", "qing jiao wo", "zhengli yi xia", "shuo qingchu"};
static const char *const ZH_HOW[] = {"yi bu yi bu de", "zhu bu", "ba mei yi bu dou xie chulai", "xiangxi de tuili", "bu yao tiao guo ren he bu zhou", "man man lai", "zixi de"};
static const char *const ZH_OBJ[] = {"zhe ge wenti", "xia mian de wenti", "zhe dao ti", "yi ge mi ti", "xia mian de anli", "zhe ge renwu"};
static const char *const ZH_ABOUT[] = {"guanyu", "youguan", "shejidao", "zhendui", "lingyu:"};
static const char *const ZH_CONT[] = {"n dengyu %d", "you %d ge qingkuang", "%e you %d ge bufen", "ruguo x shi %d", "jiashe %e you %d ge xuanxiang", "shangxian shi %d"};
static const char *const ZH_FMT[] = {"zuihou gei chu daan", "ranhou shuo chu jieguo", "zuihou zongjie yi ju", "zuihou jiancha yi xia jieguo", "jieshu shi gei chu zuizhong daan"};
static const char *const ZH_THX[] = {"xiexie", "xiexie ni", "duoxie"};

static const char *const E2_OPEN[] = {"", "yo,", "hiya,", "kindly", "request:", "morning!", "one more:", "could you please"};
static const char *const E2_ASK[] = {"elaborate on", "take me through", "make sense of", "dissect", "shed light on", "demystify", "work out", "reason about", "illustrate", "examine"};
static const char *const E2_HOW[] = {"piece by piece", "methodically", "bit by bit", "with all the working shown", "thoroughly", "in exhaustive detail", "carefully, justifying everything", "line by line"};
static const char *const E2_OBJ[] = {"this question", "my problem", "the item below", "this challenge", "a brain teaser", "the scenario"};
static const char *const E2_ABOUT[] = {"around", "with respect to", "touching on", "within", "as it relates to", "for"};
static const char *const E2_CONT[] = {"where k = %d", "across %d scenarios", "for %e, %d steps", "taking y as %d", "if %e offers %d choices", "bounded by %d"};
static const char *const E2_FMT[] = {"then wrap up with the answer", "conclude with the final value", "and report the outcome", "close with a recap", "and sanity-check the result", "answer last"};
static const char *const E2_THX[] = {"thx", "thanks a lot", "appreciate it", "many thanks"};

static const char *const PT_OPEN[] = {"", "ola,", "por favor,", "oi,", "uma duvida:", "bom dia,", "se puder,"};
static const char *const PT_ASK[] = {"explique", "me ajude a entender", "detalhe", "esclareca", "descreva", "analise", "resolva", "me ensine", "destrinche"};
static const char *const PT_HOW[] = {"passo a passo", "com calma", "com todo o raciocinio", "sem pular nada", "justificando cada passo", "em detalhes", "etapa por etapa"};
static const char *const PT_OBJ[] = {"este problema", "a pergunta a seguir", "este exercicio", "um enigma", "o caso abaixo", "esta tarefa"};
static const char *const PT_ABOUT[] = {"sobre", "a respeito de", "em relacao a", "no tema", "relacionado a"};
static const char *const PT_CONT[] = {"onde n vale %d", "com %d casos", "para %e com %d partes", "se x for %d", "supondo que %e tenha %d opcoes", "com limite de %d"};
static const char *const PT_FMT[] = {"e no final de a resposta", "depois informe o resultado", "terminando com uma conclusao curta", "e confira o resultado no fim", "e resuma em uma frase"};
static const char *const PT_THX[] = {"obrigado", "obrigada", "valeu", "muito obrigado"};

static const char *const IT_OPEN[] = {"", "ciao,", "per favore,", "salve,", "una domanda:", "buongiorno,", "se puoi,"};
static const char *const IT_ASK[] = {"spiegami", "aiutami a capire", "scomponi", "chiarisci", "descrivi", "analizza", "risolvi", "insegnami", "illustra"};
static const char *const IT_HOW[] = {"passo dopo passo", "un passo alla volta", "con tutto il ragionamento", "senza saltare nulla", "giustificando ogni passaggio", "nel dettaglio", "con calma"};
static const char *const IT_OBJ[] = {"questo problema", "la domanda seguente", "questo esercizio", "un indovinello", "il caso seguente", "questo compito"};
static const char *const IT_ABOUT[] = {"su", "riguardo a", "a proposito di", "nel campo di", "relativo a"};
static const char *const IT_CONT[] = {"dove n vale %d", "con %d casi", "per %e con %d parti", "se x vale %d", "supponendo che %e abbia %d opzioni", "con un limite di %d"};
static const char *const IT_FMT[] = {"e alla fine dai la risposta", "poi indica il risultato", "chiudendo con una breve conclusione", "e verifica il risultato alla fine", "e riassumi in una frase"};
static const char *const IT_THX[] = {"grazie", "grazie mille", "ti ringrazio"};

static const char *const NL_OPEN[] = {"", "hoi,", "alsjeblieft", "goedemorgen,", "vraagje:", "hallo,", "als het kan,"};
static const char *const NL_ASK[] = {"leg uit", "help me begrijpen", "ontleed", "verduidelijk", "beschrijf", "analyseer", "los op", "leer me", "licht toe"};
static const char *const NL_HOW[] = {"stap voor stap", "heel uitgebreid", "met alle tussenstappen", "met volledige redenering", "zonder iets over te slaan", "zorgvuldig", "elke stap onderbouwd"};
static const char *const NL_OBJ[] = {"dit probleem", "de volgende vraag", "deze opgave", "een raadsel", "het volgende geval", "deze taak"};
static const char *const NL_ABOUT[] = {"over", "betreffende", "op het gebied van", "rond", "met betrekking tot"};
static const char *const NL_CONT[] = {"waarbij n gelijk is aan %d", "met %d gevallen", "voor %e met %d delen", "als x %d is", "stel dat %e %d opties heeft", "met een grens van %d"};
static const char *const NL_FMT[] = {"en geef aan het eind het antwoord", "en noem dan de uitkomst", "met een korte conclusie", "en controleer het resultaat", "en vat samen in een zin"};
static const char *const NL_THX[] = {"dank je", "bedankt", "dank je wel"};

static const char *const JA_OPEN[] = {"", "sumimasen,", "onegai shimasu,", "konnichiwa,", "shitsumon desu:", "chotto,"};
static const char *const JA_ASK[] = {"setsumei shite", "wakariyasuku oshiete", "bunseki shite", "kuwashiku kaisetsu shite", "toite", "seiri shite", "oshiete kudasai"};
static const char *const JA_HOW[] = {"suteppu bai suteppu de", "ichi dankai zutsu", "subete no suiron o misete", "tochuu no keisan mo zenbu", "teinei ni", "shousai ni"};
static const char *const JA_OBJ[] = {"kono mondai", "tsugi no shitsumon", "kono enshuu", "nazonazo", "tsugi no kesu", "kono tasuku"};
static const char *const JA_ABOUT[] = {"ni tsuite", "ni kanshite", "no bunya de", "kanren de"};
static const char *const JA_CONT[] = {"n wa %d", "%d ko no kesu", "%e ni %d ko no buhin", "x ga %d no toki", "%e ni %d no sentakushi", "jougen wa %d"};
static const char *const JA_FMT[] = {"saigo ni kotae o kaite", "sorekara kekka o nobete", "mijikai matome de owatte", "saigo ni kekka o kakunin shite"};
static const char *const JA_THX[] = {"arigatou", "arigatou gozaimasu", "yoroshiku"};

#define PL(X) LIST(X##_OPEN), LIST(X##_ASK), LIST(X##_HOW), LIST(X##_OBJ), \
	LIST(X##_ABOUT), LIST(X##_CONT), LIST(X##_FMT), LIST(X##_THX)

static const para_lang PARA_MAIN[] = {
	{"en", PL(EN), {"maths", "logic", "science", "linguistics", "programming", "writing"}, "US GB IN CA AU"},
	{"es", PL(ES), {"matematicas", "logica", "ciencia", "linguistica", "programacion", "redaccion"}, "ES MX AR CO"},
	{"de", PL(DE), {"mathematik", "logik", "physik", "sprachwissenschaft", "programmierung", "schreiben"}, "DE AT CH"},
	{"fr", PL(FR), {"mathematiques", "logique", "sciences", "linguistique", "programmation", "redaction"}, "FR BE CA"},
	{"zh", PL(ZH), {"shuxue", "luoji", "kexue", "yuyanxue", "biancheng", "xiezuo"}, "CN TW SG"}
};
static const double PARA_MAIN_W[] = {40, 15, 15, 15, 15};
static const para_lang PARA_HOLD[] = {
	{"en", PL(E2), {"math", "logical reasoning", "natural science", "grammar", "software", "composition"}, "US GB IN AU"},
	{"pt", PL(PT), {"matematica", "logica", "ciencia", "linguistica", "programacao", "redacao"}, "BR PT"},
	{"it", PL(IT), {"matematica", "logica", "scienze", "linguistica", "programmazione", "scrittura"}, "IT"},
	{"nl", PL(NL), {"wiskunde", "logica", "natuurkunde", "taalkunde", "programmeren", "schrijven"}, "NL BE"},
	{"ja", PL(JA), {"suugaku", "ronri", "kagaku", "gengogaku", "puroguramingu", "bunshou"}, "JP"}
};
static const double PARA_HOLD_W[] = {35, 20, 15, 15, 15};

/* Most popular topics first; the rest follow in a fixed shuffled order. */
static const char *const PINNED_MAIN[] = {
	"chitchat.smalltalk", "writing.email", "coding.python", "education.homework",
	"writing.summarization", "coding.javascript", "health.fitness",
	"cooking.recipes", "career.resume", "language.translation",
	"entertainment.movies", "travel.planning", "math.algebra",
	"finance.budgeting", "chitchat.advice", "relationships.dating", "coding.sql",
	"writing.essay", "health.symptoms", "shopping.product_compare"
};
static const char *const PINNED_HOLD[] = {
	"writing.email", "coding.python", "chitchat.smalltalk", "writing.editing",
	"education.homework", "health.symptoms", "language.translation",
	"career.job_search", "coding.debugging", "cooking.recipes",
	"finance.taxes", "shopping.product_compare", "travel.itinerary",
	"entertainment.music", "math.statistics", "business.marketing",
	"chitchat.jokes", "writing.summarization", "relationships.parenting",
	"coding.web_dev"
};

/* ------------------------------------------------------------------ */
/* User agents, countries                                              */
/* ------------------------------------------------------------------ */

enum
{
	DEV_WEB, DEV_IOS, DEV_ANDROID, DEV_MAC, DEV_WIN, DEV_API, NDEVKIND
};
static const char *const DEV_KIND[] = {"web", "ios", "android", "mac", "win", "api"};

/*
 * User agents by device kind with the population's weights in the main and
 * the holdout variant (the holdout window is "later": newer versions lead).
 * %A is the app's brand (Atlas, Nova), %a its lower-case form.  Weights of
 * 0.01 are strings mostly seen from campaigns.
 */
typedef struct uagent
{
	uint8_t		kind;
	double		w[2];
	const char *s;
} uagent;

static const uagent UA_TABLE[] = {
	{DEV_WEB, {30, 10}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	{DEV_WEB, {8, 2}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"},
	{DEV_WEB, {0.5, 25}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36"},
	{DEV_WEB, {10, 8}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"},
	{DEV_WEB, {5, 3}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"},
	{DEV_WEB, {1.5, 5}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0"},
	{DEV_WEB, {1, 1}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0"},
	{DEV_WEB, {20, 8}, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	{DEV_WEB, {0.3, 14}, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36"},
	{DEV_WEB, {12, 12}, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15"},
	{DEV_WEB, {3, 2}, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15"},
	{DEV_WEB, {3, 2}, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0"},
	{DEV_WEB, {4, 3}, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	{DEV_WEB, {1.5, 1.5}, "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"},
	{DEV_WEB, {0.5, 0.5}, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
	{DEV_WEB, {2, 4}, "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	{DEV_WEB, {0.2, 0.1}, "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36"},
	{DEV_WEB, {0.3, 0.8}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36"},
	{DEV_WEB, {0.2, 0.2}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Vivaldi/7.0.3495.27"},
	{DEV_WEB, {0.01, 0.01}, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.85 Safari/537.36"},
	{DEV_IOS, {30, 10}, "%A/2.14.1 (com.%a.app; build:21401; iOS 18.2.0) Alamofire/5.9.1"},
	{DEV_IOS, {10, 4}, "%A/2.14.0 (com.%a.app; build:21400; iOS 18.1.1) Alamofire/5.9.1"},
	{DEV_IOS, {6, 3}, "%A/2.13.2 (com.%a.app; build:21302; iOS 17.6.1) Alamofire/5.9.1"},
	{DEV_IOS, {0.5, 25}, "%A/2.15.0 (com.%a.app; build:21500; iOS 18.2.1) Alamofire/5.10.2"},
	{DEV_IOS, {12, 10}, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1"},
	{DEV_IOS, {3, 2}, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"},
	{DEV_IOS, {3, 2}, "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1"},
	{DEV_IOS, {2, 2}, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.134 Mobile/15E148 Safari/604.1"},
	{DEV_IOS, {0.3, 0.3}, "%A/2.9.0 (com.%a.app; build:20900; iOS 16.7.10) Alamofire/5.8.0"},
	{DEV_ANDROID, {6, 3}, "%AAndroid/2.14.1 (Android 14; Pixel 8; build 21401) okhttp/4.12.0"},
	{DEV_ANDROID, {8, 4}, "%AAndroid/2.14.1 (Android 14; SM-S918B; build 21401) okhttp/4.12.0"},
	{DEV_ANDROID, {6, 4}, "%AAndroid/2.14.0 (Android 13; SM-A546B; build 21400) okhttp/4.12.0"},
	{DEV_ANDROID, {5, 6}, "%AAndroid/2.14.1 (Android 14; 23090RA98G; build 21401) okhttp/4.12.0"},
	{DEV_ANDROID, {2, 2}, "%AAndroid/2.13.2 (Android 12; moto g(30); build 21302) okhttp/4.11.0"},
	{DEV_ANDROID, {0.3, 6}, "%AAndroid/2.15.0 (Android 15; Pixel 9; build 21500) okhttp/4.12.0"},
	{DEV_ANDROID, {20, 15}, "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"},
	{DEV_ANDROID, {3, 3}, "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36"},
	{DEV_ANDROID, {0.3, 0.3}, "%AAndroid/2.6.3 (Android 9; SM-J730F; build 20603) okhttp/3.14.9"},
	{DEV_MAC, {6, 3}, "%ADesktop/1.4.2 (Macintosh; macOS 15.2) Electron/33.2.1"},
	{DEV_MAC, {0.5, 5}, "%ADesktop/1.5.0 (Macintosh; macOS 15.2) Electron/33.3.0"},
	{DEV_MAC, {2, 1}, "%ADesktop/1.3.9 (Macintosh; macOS 14.7.2) Electron/32.1.0"},
	{DEV_WIN, {5, 3}, "%ADesktop/1.4.2 (Windows NT 10.0; Win64) Electron/33.2.1"},
	{DEV_WIN, {0.3, 4}, "%ADesktop/1.5.0 (Windows NT 10.0; Win64) Electron/33.3.0"},
	{DEV_WIN, {1, 0.5}, "%ADesktop/1.3.9 (Windows NT 10.0; Win64) Electron/32.1.0"},
	{DEV_API, {20, 8}, "%a-python/1.58.1"},
	{DEV_API, {8, 4}, "%a-python/1.57.4"},
	{DEV_API, {0.5, 15}, "%a-python/1.61.0"},
	{DEV_API, {1, 0.5}, "%a-python/1.40.0"},
	{DEV_API, {10, 4}, "%a-node/4.77.0"},
	{DEV_API, {4, 2}, "%a-node/4.73.1"},
	{DEV_API, {0.3, 8}, "%a-node/4.80.1"},
	{DEV_API, {0.5, 0.5}, "%a-node/4.60.0"},
	{DEV_API, {10, 8}, "python-requests/2.32.3"},
	{DEV_API, {5, 3}, "python-requests/2.31.0"},
	{DEV_API, {5, 5}, "python-httpx/0.28.1"},
	{DEV_API, {1, 1}, "python-httpx/0.27.0"},
	{DEV_API, {2, 2}, "Python/3.12 aiohttp/3.11.11"},
	{DEV_API, {3, 3}, "curl/8.5.0"},
	{DEV_API, {3, 4}, "Go-http-client/2.0"},
	{DEV_API, {3, 3}, "axios/1.7.9"},
	{DEV_API, {1, 1.5}, "Java-http-client/21.0.5"},
	{DEV_API, {0.5, 0.5}, "PostmanRuntime/7.43.0"},
	{DEV_API, {1, 0.5}, "LangChain/0.3.13 %a-python/1.58.1"},
	{DEV_API, {1, 1}, "okhttp/4.12.0"}
};
#define NUA ARRLEN(UA_TABLE)

static char *UA_STR[NUA];
static uint8_t UA_LEN[NUA];
static double UA_CDF[NDEVKIND][NUA];	/* per kind, over the UA_IDX list */
static uint16_t UA_IDX[NDEVKIND][NUA];
static uint32_t UA_N[NDEVKIND];

/* index of the first user agent whose template contains s */
static uint32_t
ua_find(const char *s)
{
	uint32_t	i;

	for (i = 0; i < NUA; i++)
		if (strstr(UA_TABLE[i].s, s) != NULL)
			return i;
	fprintf(stderr, "generate_usage: internal error: no user agent %s\n", s);
	exit(2);
}

/* Countries by time zone, with weights. */
typedef struct country_tz
{
	int16_t		tz;				/* minutes east of UTC */
	const char *cc;
	double		w;
} country_tz;

static const country_tz COUNTRY_TZ[] = {
	{-480, "US", 85}, {-480, "CA", 15},
	{-420, "US", 70}, {-420, "MX", 30},
	{-360, "US", 60}, {-360, "MX", 35}, {-360, "CA", 5},
	{-300, "US", 75}, {-300, "CA", 12}, {-300, "CO", 8}, {-300, "PE", 5},
	{-180, "BR", 70}, {-180, "AR", 30},
	{0, "GB", 70}, {0, "PT", 15}, {0, "IE", 15},
	{60, "DE", 22}, {60, "FR", 20}, {60, "ES", 14}, {60, "IT", 12}, {60, "NL", 8},
	{60, "PL", 9}, {60, "SE", 5}, {60, "AT", 4}, {60, "CH", 3}, {60, "BE", 3},
	{120, "ZA", 25}, {120, "GR", 15}, {120, "RO", 20}, {120, "UA", 20}, {120, "FI", 10}, {120, "EG", 10},
	{180, "TR", 40}, {180, "RU", 35}, {180, "SA", 15}, {180, "KE", 10},
	{330, "IN", 100},
	{420, "VN", 35}, {420, "TH", 35}, {420, "ID", 30},
	{480, "CN", 35}, {480, "SG", 15}, {480, "PH", 20}, {480, "TW", 15}, {480, "MY", 15},
	{540, "JP", 60}, {540, "KR", 40},
	{600, "AU", 100}
};
#define NCTZ ARRLEN(COUNTRY_TZ)

/* time zones, minutes east of UTC, with the variants' weights */
static const int16_t TZ_MIN[] = {-480, -420, -360, -300, -180, 0, 60, 120, 180, 330, 420, 480, 540, 600};
#define NTZ ARRLEN(TZ_MIN)
static const double TZ_W[2][14] = {
	{12, 3, 8, 18, 5, 8, 15, 5, 4, 8, 3, 6, 4, 1},
	{7, 2, 5, 11, 8, 6, 17, 7, 6, 12, 6, 9, 3, 1}
};
static double TZ_CDF[NTZ];
static double CTZ_CDF[NTZ][12];	/* per zone, over its countries */
static uint8_t CTZ_IDX[NTZ][12];
static uint32_t CTZ_N[NTZ];

static int
tz_index(int16_t tz)
{
	uint32_t	i;

	for (i = 0; i < NTZ; i++)
		if (TZ_MIN[i] == tz)
			return (int) i;
	return 5;					/* UTC */
}

/* diurnal activity by local hour */
static const double HOUR_W[2][24] = {
	{2.0, 1.2, 0.7, 0.4, 0.3, 0.4, 0.8, 1.6, 3.0, 4.2, 4.8, 5.0,
	4.6, 4.7, 4.9, 4.8, 4.5, 4.3, 4.4, 5.0, 5.4, 5.2, 4.2, 3.0},
	{2.8, 1.9, 1.1, 0.6, 0.4, 0.4, 0.6, 1.1, 2.2, 3.4, 4.1, 4.4,
	4.0, 4.2, 4.5, 4.6, 4.6, 4.4, 4.8, 5.6, 6.2, 6.0, 5.1, 4.0}
};
static double HOUR_CDF[24];

/* ------------------------------------------------------------------ */
/* Variants: the main data set and the holdout                         */
/* ------------------------------------------------------------------ */

enum
{
	S_BLUNT, S_PROXY, S_CAMO, S_SLOWLOW, S_AGENTIC, S_AGED, S_PIVOT, S_PARA, NSTYLE
};
static const char *const STYLE_NAME[NSTYLE] = {
	"blunt", "proxy", "camouflage", "slowlow", "agentic", "aged", "pivot", "paraphrase"
};

typedef struct style_param
{
	double		weight;			/* share of the fraud accounts */
	double		rate;			/* per active day, x the mean ordinary rate */
	double		rate2;			/* aged: campaign phase; pivot: after the pivot */
	double		tok;			/* median output tokens */
	double		tok_sigma;
	double		camo_lo, camo_hi;	/* share of benign-looking traffic */
	int			slice_lo, slice_hi; /* topics per account */
	int			life_lo, life_hi;	/* active days; 0 = to the window's end */
	int			nburst;			/* sign-up bursts */
	double		gap;			/* mean seconds between sign-ups in a burst */
	double		burst_lo, burst_hi; /* bursts placed in [lo, hi] days from the
									 * window start (negative: before) or, if
									 * > 1000, (x - 1000) as a fraction of the
									 * window */
	int			ndoms;
	int			doms[8];		/* capability space: these domains */
} style_param;

typedef struct variant
{
	const char *name;
	int			v;				/* 0 main, 1 holdout: column of the weight tables */
	double		zipf_s;
	const char *const *pinned;
	uint64_t	rank_seed;
	double		person_sigma, dormant_p;
	double		family_p;
	int			family_max;
	double		mobile_p, vpn_p, second_home_p;
	double		cgnat_per_ip;	/* accounts per carrier-grade NAT egress IP */
	uint32_t	vpn_per_subnet, accounts_per_vpn;
	double		univ_share, corp_share;
	uint32_t	api_per, accounts_per_univ, accounts_per_corp;
	int			univ_nip, corp_nip;
	double		power_share, power_rate;
	double		paid_person, paid_univ, team_p, own_card_corp, family_card_p;
	int			team_max;
	const char *brand;
	const char *model[4];		/* older, current, new, small */
	double		release_frac;
	double		adopt_day1, adopt_mean_days, adopt_never, legacy_p;
	const char *const (*domain_word)[NWORD];
	const char *const *starter;
	uint32_t	nstarter;
	const char *const *filler;
	uint32_t	nfiller;
	const char *const *constraint;
	uint32_t	nconstraint;
	const char *const *tools;
	uint32_t	ntools;
	const api_tmpl *api;
	const para_lang *para;
	const double *para_w;
	uint32_t	npara;
	const char *const *tmpl[NSTYLE];
	uint32_t	ntmpl[NSTYLE];
	style_param st[NSTYLE];
} variant;

#define WIN(x) (1000.0 + (x))

static const variant VARIANTS[2] = {
	{
		"main", 0, 1.1, PINNED_MAIN, 0x5EB11C0FFEEULL,
		1.3, 0.25,
		0.015, 4,
		0.35, 0.03, 0.17,
		300.0, 40, 2000,
		0.05, 0.08, 300, 8000, 1000, 4, 2,
		0.008, 12.0,
		0.22, 0.10, 0.45, 0.15, 0.5, 30,
		"Atlas", {"atlas-3", "atlas-3.5", "atlas-4", "atlas-3.5-mini"},
		0.70,
		0.06, 9.0, 0.22, 0.12,
		DOMAIN_WORD_MAIN, LIST(STARTER_MAIN), LIST(FILLER_MAIN), LIST(CONSTRAINT_MAIN),
		LIST(TOOLS_MAIN), API_TMPL_MAIN, PARA_MAIN, PARA_MAIN_W, ARRLEN(PARA_MAIN),
		{T_BLUNT_MAIN, T_PROXY_MAIN, T_CAMO_MAIN, T_SLOW_MAIN, T_AGENT_MAIN, T_AGED_MAIN, T_PIVOT_MAIN, NULL},
		{ARRLEN(T_BLUNT_MAIN), ARRLEN(T_PROXY_MAIN), ARRLEN(T_CAMO_MAIN), ARRLEN(T_SLOW_MAIN),
		ARRLEN(T_AGENT_MAIN), ARRLEN(T_AGED_MAIN), ARRLEN(T_PIVOT_MAIN), 0},
		{
			/* weight rate rate2 tok sigma camo slice life bursts gap placement domains */
			{0.10, 12.0, 0, 3000, 0.35, 0.02, 0.02, 2, 2, 14, 40, 3, 15, -3, WIN(0.6),
			3, {D_CODING, D_MATH, D_REASONING}},
			{0.14, 9.0, 0, 2200, 0.45, 0.03, 0.08, 2, 3, 10, 35, 5, 90, -5, WIN(0.6),
			6, {D_CODING, D_MATH, D_REASONING, D_SCIENCE, D_WRITING, D_LANGUAGE}},
			{0.12, 5.0, 0, 1800, 0.5, 0.30, 0.50, 3, 3, 14, 42, 6, 120, -10, WIN(0.5),
			4, {D_CODING, D_REASONING, D_AGENTIC, D_SCIENCE}},
			{0.22, 1.8, 0, 6000, 0.3, 0.0, 0.0, 1, 1, 0, 0, 30, 600, -60, WIN(0.2),
			5, {D_MATH, D_REASONING, D_SCIENCE, D_WRITING, D_LEGAL}},
			{0.10, 10.0, 0, 1500, 0.4, 0.02, 0.04, 2, 2, 14, 40, 2, 15, -3, WIN(0.6),
			2, {D_AGENTIC, D_CODING}},
			{0.08, 1.0, 8.0, 2500, 0.4, 0.03, 0.06, 2, 2, 0, 0, 0, 0, 0, 0,
			2, {D_CODING, D_MATH}},
			{0.10, 3.0, 7.5, 2500, 0.4, 0.03, 0.06, 2, 2, 0, 0, 4, 60, -20, -2,
			3, {D_CODING, D_REASONING, D_AGENTIC}},
			{0.14, 5.0, 0, 1800, 0.5, 0.08, 0.12, 2, 2, 14, 42, 12, 400, -10, WIN(0.4),
			4, {D_REASONING, D_MATH, D_SCIENCE, D_LANGUAGE}}
		}
	},
	{
		"holdout", 1, 1.0, PINNED_HOLD, 0xB0B5EED5ULL,
		1.1, 0.35,
		0.025, 6,
		0.45, 0.05, 0.12,
		150.0, 60, 1000,
		0.04, 0.10, 200, 5000, 600, 6, 3,
		0.015, 9.0,
		0.30, 0.08, 0.55, 0.10, 0.35, 20,
		"Nova", {"nova-2", "nova-2.5", "nova-3", "nova-2.5-flash"},
		0.55,
		0.10, 6.0, 0.30, 0.20,
		DOMAIN_WORD_HOLD, LIST(STARTER_HOLD), LIST(FILLER_HOLD), LIST(CONSTRAINT_HOLD),
		LIST(TOOLS_HOLD), API_TMPL_HOLD, PARA_HOLD, PARA_HOLD_W, ARRLEN(PARA_HOLD),
		{T_BLUNT_HOLD, T_PROXY_HOLD, T_CAMO_HOLD, T_SLOW_HOLD, T_AGENT_HOLD, T_AGED_HOLD, T_PIVOT_HOLD, NULL},
		{ARRLEN(T_BLUNT_HOLD), ARRLEN(T_PROXY_HOLD), ARRLEN(T_CAMO_HOLD), ARRLEN(T_SLOW_HOLD),
		ARRLEN(T_AGENT_HOLD), ARRLEN(T_AGED_HOLD), ARRLEN(T_PIVOT_HOLD), 0},
		{
			{0.06, 16.0, 0, 3500, 0.3, 0.04, 0.04, 3, 3, 10, 30, 2, 40, -3, WIN(0.6),
			3, {D_MATH, D_SCIENCE, D_REASONING}},
			{0.18, 8.0, 0, 1800, 0.5, 0.05, 0.10, 2, 2, 14, 42, 8, 60, -5, WIN(0.6),
			6, {D_CODING, D_WRITING, D_BUSINESS, D_LEGAL, D_FINANCE, D_SCIENCE}},
			{0.16, 4.0, 0, 1500, 0.5, 0.35, 0.50, 2, 2, 0, 0, 4, 300, -10, WIN(0.4),
			4, {D_CODING, D_MATH, D_WRITING, D_HEALTH}},
			{0.16, 1.2, 0, 8000, 0.3, 0.03, 0.06, 1, 2, 0, 0, 45, 900, -75, WIN(0.25),
			4, {D_CODING, D_REASONING, D_LEGAL, D_HISTORY}},
			{0.08, 12.0, 0, 1200, 0.4, 0.03, 0.03, 1, 1, 14, 40, 3, 30, -3, WIN(0.6),
			2, {D_AGENTIC, D_BUSINESS}},
			{0.12, 1.0, 6.0, 2200, 0.4, 0.05, 0.08, 2, 2, 0, 0, 0, 0, 0, 0,
			2, {D_REASONING, D_SCIENCE}},
			{0.08, 4.0, 8.0, 2000, 0.45, 0.05, 0.08, 3, 3, 0, 0, 3, 120, -25, -2,
			3, {D_MATH, D_CODING, D_AGENTIC}},
			{0.16, 4.0, 0, 2000, 0.5, 0.10, 0.15, 2, 2, 14, 42, 20, 400, -14, WIN(0.45),
			4, {D_CODING, D_REASONING, D_LANGUAGE, D_WRITING}}
		}
	}
};

static const variant *V;
static int HOLD;

/* ------------------------------------------------------------------ */
/* Model state                                                         */
/* ------------------------------------------------------------------ */

enum
{
	K_PERSON, K_UNIV, K_CORP, K_API, K_CAMP
};
/* fine-grained ground-truth labels of the kinds table */
enum
{
	L_PERSON, L_FAMILY, L_MOBILE, L_VPN, L_POWER, L_UNIV, L_CORP, L_TEAM, L_API, L_CAMP, NLABEL
};
static const char *const LABEL_NAME[NLABEL] = {
	"person", "family", "mobile", "vpn", "power", "university", "corporate", "team", "api", "campaign"
};

#define NEVER INT64_MAX

typedef struct account
{
	/* what the interactions writer reads for every row: the first two
	 * cache lines (the array is 64-byte aligned, the struct 192 bytes) */
	int64_t		sw;				/* aged: turns to campaign work; pivot: the
								 * pivot; NEVER otherwise */
	int64_t		adopt;			/* first use of the new model, or NEVER */
	uint32_t	id;
	uint32_t	ip[3];
	uint32_t	dev[2];
	uint32_t	cdev;			/* aged: device of the campaign phase */
	uint32_t	group;			/* family, carrier, org, batch or integration */
	uint16_t	bg;				/* share of population topics, of 65535 */
	uint16_t	share_new;		/* share of the new model after adopt, of 65535 */
	uint16_t	tokf;			/* output length factor, percent */
	uint16_t	rot;			/* campaign: IP rotation period, seconds */
	uint16_t	phase;			/* campaign: rotation phase, seconds */
	uint16_t	tcum[5];		/* cumulative topic weights of 65535 */
	uint16_t	ctcum[3];
	uint8_t		top[5];
	uint8_t		ctop[3];		/* aged: slice of the campaign phase */
	uint8_t		kind;
	uint8_t		label;
	uint8_t		camp;			/* campaign index + 1, 0 for benign */
	uint8_t		nip;
	uint8_t		ndev;
	uint8_t		ntop;
	uint8_t		nctop;
	uint8_t		m_old, m_new;	/* model indexes */
	uint8_t		ua[2];			/* user agents of dev[] */
	uint8_t		cua;			/* of cdev */
	uint8_t		tmpl;			/* API template */
	uint8_t		lang[2];		/* paraphrase: languages */
	uint8_t		lang2p;			/* percent in the second language */
	uint8_t		pflags;			/* paraphrase: orders and punctuation */
	/* the rest */
	int64_t		created;
	int64_t		act0;			/* active in [act0, act1) */
	int64_t		act1;
	double		rate;			/* interactions per active day (before sw) */
	double		rate2;			/* after sw */
	uint32_t	count;
	uint32_t	count1;			/* of them before sw */
	uint32_t	off;			/* first slot in the time buffer */
	uint32_t	email;
	uint32_t	card;			/* 0 = free account */
	uint32_t	signup_ip;
	int16_t		tz;				/* minutes east of UTC */
	int8_t		shift;			/* personal diurnal shift, hours */
	uint8_t		sess;			/* mean session length */
	uint8_t		mode;			/* API: 0 = 24/7, 1 = business hours */
	uint8_t		p_wd;			/* accept a weekday / weekend day, percent */
	uint8_t		p_we;
	uint8_t		flat;			/* percent of sessions at any hour */
	uint8_t		country;
	uint8_t		pad[14];
} account;

/* 192 bytes, so an aligned array keeps the hot part in two cache lines */
typedef char account_size_check[sizeof(account) == 192 ? 1 : -1];

#define MAXSPACE 80
#define MAXPOOLDEV 64
#define MAXCAMP 64
#define MAXBURST 64

typedef struct campaign
{
	char		label[24];
	int			style;
	uint32_t	size;
	uint32_t	first;			/* index of first member in ACC[] */
	int			space[MAXSPACE];
	int			nspace;
	double		ratef, tokf;	/* the campaign's own variation */
	uint32_t	subnet[8];
	int			nsubnet;
	uint32_t   *pool;			/* residential proxy IPs */
	uint32_t	npool;
	uint32_t	devpool[MAXPOOLDEV];
	int			ndevpool;
	uint32_t	email[4];
	double		email_cdf[4];
	int			nemail;
	uint32_t	card0, ncards;	/* cards card0 .. card0 + ncards - 1 */
	int			nburst;
	int64_t		burst[MAXBURST];
	int64_t		t_switch;		/* aged */
	int16_t		tz;
	uint32_t	tmask;			/* templates the campaign uses */
	char		tag[8];
	uint32_t	batch;			/* lockstep batch size (blunt) */
	uint32_t	tick;			/* lockstep tick, seconds */
	uint32_t	tick_origin;
	uint32_t	cursor;			/* next topic of the space to hand out */
	uint16_t	bg2;			/* aged: camouflage of the campaign phase */
	uint64_t	item;			/* running %n of the templates */
	uint64_t	rows;
} campaign;

typedef struct org
{
	uint32_t	email;
	uint32_t	ip[6];
	int			nip;
	int16_t		tz;
	uint8_t		country;
	int			univ;
	uint32_t	team_card, team_left;
} org;

typedef struct config
{
	uint64_t	seed;
	uint32_t	accounts;
	uint64_t	interactions;
	uint32_t	days;
	int64_t		start;			/* unix seconds, midnight UTC */
	int			ncamp;
	uint8_t		camp_style[MAXCAMP];
	double		fraud_share;
	uint32_t	campaign_max;
	int			variant;
	const char *table;
	const char *out;
	const char *accounts_out;
	const char *interactions_out;
	const char *kinds_out;
	int			stats;
} config;

static config CFG;
static int64_t W0, W1;			/* window [W0, W1) */
static int64_t REL;				/* release of the new model */
static account *ACC;
static uint32_t NACC;
static campaign CAMP[MAXCAMP];
static int NCAMP;
static org *ORG;
static uint32_t NORG;
static uint32_t *VPN;
static uint32_t NVPN;
static uint32_t *CGNAT;			/* all carriers' pools, back to back */
static uint32_t NCGNAT;
static uint32_t *RANK;			/* ACC[] indices in account_id order */
static uint32_t n_by_label[NLABEL];
static uint32_t next_card = 1;
static uint64_t card_salt;
static double MEAN_RATE;		/* mean ordinary interactions per active day, relative */

/* ------------------------------------------------------------------ */
/* Topics                                                              */
/* ------------------------------------------------------------------ */

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
	for (i = 0; i < 20; i++)
	{
		int			t = topic_id(V->pinned[i]);

		RANK_TOPIC[n++] = (uint8_t) t;
		used[t] = 1;
	}
	for (i = 0; i < NTOPIC; i++)
		if (!used[i])
			rest[nrest++] = (uint8_t) i;
	/* fixed shuffle, independent of --seed, so the population is stable */
	rng_seed(&r, V->rank_seed, 7);
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
		acc += det_exp(-V->zipf_s * det_log((double) (i + 1)));
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
/* IPs, devices, e-mail domains, cards, countries                      */
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

static uint32_t
ip_in(rng *r, const uint8_t *octets, uint32_t n)
{
	uint32_t	a = octets[rng_below(r, n)];

	return (a << 24) | (rng_below(r, 256) << 16) | (rng_below(r, 256) << 8) |
		(1 + rng_below(r, 254));
}

#define RESIDENTIAL(r) ip_in(r, RESIDENTIAL_OCTET, ARRLEN(RESIDENTIAL_OCTET))
#define DATACENTER(r) ip_in(r, DATACENTER_OCTET, ARRLEN(DATACENTER_OCTET))

/* a /24 base (last octet 0) */
static uint32_t
subnet_in(rng *r, const uint8_t *octets, uint32_t n)
{
	return ip_in(r, octets, n) & 0xFFFFFF00u;
}

/* devices: kind in the top 4 bits, a serial below; their user agents */
static uint32_t next_device = 1;
static uint32_t cap_device;
static uint16_t *DEV_UA;
static uint64_t device_salt;

static uint32_t
new_device(int kind, uint32_t ua)
{
	if (next_device >= (1u << 28))
		die("too many devices");
	if (next_device >= cap_device)
	{
		cap_device = cap_device ? cap_device * 2 : 1u << 16;
		DEV_UA = realloc(DEV_UA, cap_device * sizeof(uint16_t));
		if (DEV_UA == NULL)
			die("out of memory");
	}
	DEV_UA[next_device] = (uint16_t) ua;
	return ((uint32_t) kind << 28) | next_device++;
}

static uint32_t
pick_ua(rng *r, int kind)
{
	return UA_IDX[kind][cdf_pick(UA_CDF[kind], UA_N[kind], rng_unif(r))];
}

static uint32_t
device_of_kind(rng *r, int kind)
{
	return new_device(kind, pick_ua(r, kind));
}

static uint32_t
human_device(rng *r)
{
	double		u = rng_unif(r);
	int			kind;

	if (u < 0.40)
		kind = DEV_WEB;
	else if (u < 0.62)
		kind = DEV_IOS;
	else if (u < 0.82)
		kind = DEV_ANDROID;
	else if (u < 0.91)
		kind = DEV_MAC;
	else
		kind = DEV_WIN;
	return device_of_kind(r, kind);
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

static inline char *
put_ua(char *p, uint32_t u)
{
	memcpy(p, UA_STR[u], UA_LEN[u]);
	return p + UA_LEN[u];
}

static void
init_user_agents(void)
{
	uint32_t	i, k;

	for (i = 0; i < NUA; i++)
	{
		const char *s = UA_TABLE[i].s;
		char		buf[256];
		size_t		n = 0;

		for (; *s && n < sizeof(buf) - 16; s++)
		{
			if (*s == '%' && (s[1] == 'A' || s[1] == 'a'))
			{
				const char *b = V->brand;

				for (; *b; b++)
					buf[n++] = s[1] == 'a' && *b >= 'A' && *b <= 'Z' ? (char) (*b - 'A' + 'a') : *b;
				s++;
			}
			else
				buf[n++] = *s;
		}
		buf[n] = '\0';
		UA_STR[i] = xstrdup(buf);
		UA_LEN[i] = (uint8_t) n;
	}
	for (k = 0; k < NDEVKIND; k++)
	{
		double		w[NUA];
		uint32_t	n = 0;

		for (i = 0; i < NUA; i++)
			if (UA_TABLE[i].kind == k)
			{
				UA_IDX[k][n] = (uint16_t) i;
				w[n++] = UA_TABLE[i].w[V->v];
			}
		make_cdf(w, UA_CDF[k], n);
		UA_N[k] = n;
	}
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
static const double FREEMAIL_W[2][16] = {
	{40, 10, 6, 8, 8, 3, 4, 3, 2, 2, 2, 2, 1.5, 1.5, 2, 1},
	{34, 12, 5, 6, 9, 5, 6, 4, 3, 2, 3, 3, 2, 1, 2, 2}
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

static uint32_t
new_card(void)
{
	return next_card++;
}

/* a card fingerprint: 16 characters [0-9A-Za-z] from the card number */
static const char B62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static char *
put_card(char *p, uint32_t card)
{
	uint64_t	h = mix64(card_salt ^ card);
	uint64_t	h2 = mix64(h ^ 0xCA4Du);
	int			i;

	for (i = 0; i < 8; i++)
	{
		*p++ = B62[h % 62];
		h /= 62;
	}
	for (i = 0; i < 8; i++)
	{
		*p++ = B62[h2 % 62];
		h2 /= 62;
	}
	return p;
}

/* countries */
static const char *COUNTRY[64];
static uint32_t NCOUNTRY;

static uint8_t
country_id(const char *cc)
{
	uint32_t	i;

	for (i = 0; i < NCOUNTRY; i++)
		if (strcmp(COUNTRY[i], cc) == 0)
			return (uint8_t) i;
	if (NCOUNTRY == ARRLEN(COUNTRY))
		die("internal error: too many countries");
	COUNTRY[NCOUNTRY] = cc;
	return (uint8_t) NCOUNTRY++;
}

static void
init_countries(void)
{
	uint32_t	z, i;

	make_cdf(TZ_W[V->v], TZ_CDF, NTZ);
	for (z = 0; z < NTZ; z++)
	{
		double		w[12];
		uint32_t	n = 0;

		for (i = 0; i < NCTZ; i++)
			if (COUNTRY_TZ[i].tz == TZ_MIN[z] && n < 12)
			{
				CTZ_IDX[z][n] = country_id(COUNTRY_TZ[i].cc);
				w[n++] = COUNTRY_TZ[i].w;
			}
		make_cdf(w, CTZ_CDF[z], n);
		CTZ_N[z] = n;
	}
}

static int16_t
pick_tz(rng *r)
{
	return TZ_MIN[cdf_pick(TZ_CDF, NTZ, rng_unif(r))];
}

static uint8_t
country_in_tz(rng *r, int16_t tz)
{
	int			z = tz_index(tz);

	return CTZ_IDX[z][cdf_pick(CTZ_CDF[z], CTZ_N[z], rng_unif(r))];
}

/* time zone of a country (its first listed zone) */
static int16_t
tz_of_country(uint8_t c)
{
	uint32_t	i;

	for (i = 0; i < NCTZ; i++)
		if (strcmp(COUNTRY_TZ[i].cc, COUNTRY[c]) == 0)
			return COUNTRY_TZ[i].tz;
	return 0;
}

/* the i-th space-separated code of a list */
static uint8_t
country_from_list(rng *r, const char *list)
{
	char		cc[4];
	uint32_t	n = 0, k, i;
	const char *p;

	for (p = list; *p; p++)
		if (*p != ' ' && (p == list || p[-1] == ' '))
			n++;
	k = rng_below(r, n);
	for (p = list, i = 0; *p; p++)
		if (*p != ' ' && (p == list || p[-1] == ' '))
		{
			if (i++ == k)
				break;
		}
	cc[0] = p[0];
	cc[1] = p[1];
	cc[2] = '\0';
	{
		uint32_t	j;

		for (j = 0; j < NCOUNTRY; j++)
			if (strcmp(COUNTRY[j], cc) == 0)
				return (uint8_t) j;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

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
	double		x = rng_lognormal(r, 1.0, V->person_sigma);

	if (rng_unif(r) < V->dormant_p)
		x *= 0.03;				/* dormant: an occasional visit at most */
	return x;
}

static void
person_timing(rng *r, account *a)
{
	double		u = rng_unif(r);

	a->shift = (int8_t) ((int) rng_below(r, 6) - 2);
	a->sess = (uint8_t) (1 + rng_below(r, HOLD ? 10 : 8));
	a->flat = 0;
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
	a->sw = NEVER;
	if (rng_unif(r) < churn_p)
	{
		/* stopped using the service part-way through the window */
		int64_t		stop = W0 + (int64_t) (rng_unif(r) * (double) (W1 - W0));

		if (stop > a->act0 + 3600)
			a->act1 = stop;
	}
}

/* ordinary model migration: most move to the new model over weeks, some
 * on the first day, some never; a few stay on the older model */
static void
set_models_person(rng *r, account *a, double day1)
{
	a->m_old = (uint8_t) (rng_unif(r) < V->legacy_p ? 0 : 1);
	a->m_new = 2;
	if (rng_unif(r) < V->adopt_never)
		a->adopt = NEVER;
	else if (rng_unif(r) < day1)
		a->adopt = REL + (int64_t) (rng_unif(r) * 86400.0);
	else
		a->adopt = REL + 86400 + (int64_t) (rng_expo(r, V->adopt_mean_days) * 86400.0);
	a->share_new = (uint16_t) (65535.0 * (0.6 + 0.4 * rng_unif(r)));
}

static void
set_models_campaign(rng *r, account *a)
{
	a->m_old = 1;
	a->m_new = 2;
	a->adopt = REL + (int64_t) ((1.0 + 9.0 * rng_unif(r)) * 86400.0);
	a->share_new = (uint16_t) (65535.0 * (0.2 + 0.3 * rng_unif(r)));
}

static int
popcount32(uint32_t x)
{
	int			n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static int64_t
burst_day(double x)
{
	if (x > 500.0)
		return W0 + (int64_t) ((x - 1000.0) * (double) (W1 - W0));
	return W0 + (int64_t) (x * 86400.0);
}

static uint32_t
ua_pick2(rng *r, const char *a, const char *b)
{
	return rng_unif(r) < 0.5 ? ua_find(a) : ua_find(b);
}

static void
make_pool(rng *r, campaign *c, uint32_t n, double real_share, uint32_t n_person)
{
	uint32_t	j;

	c->npool = n;
	c->pool = xmalloc(n * sizeof(uint32_t));
	for (j = 0; j < n; j++)
		c->pool[j] = rng_unif(r) < real_share && n_person > 0
			? ACC[rng_below(r, n_person)].ip[0]
			: RESIDENTIAL(r);
}

static void
campaign_setup(rng *r, campaign *c, int style, int nth, uint32_t size, uint32_t n_person)
{
	const style_param *st = &V->st[style];
	int			i, d;
	char		name[32], dom[64];
	uint32_t	j;

	memset(c, 0, sizeof(*c));
	c->size = size;
	snprintf(c->label, sizeof(c->label), "%s-%d", STYLE_NAME[style], nth);
	c->style = style;
	/* the capability space, shuffled so slices are not alphabetical */
	for (d = 0; d < st->ndoms; d++)
		for (i = 0; i < NSUB; i++)
			c->space[c->nspace++] = st->doms[d] * NSUB + i;
	for (i = c->nspace - 1; i > 0; i--)
	{
		uint32_t	k = rng_below(r, (uint32_t) i + 1);
		int			tmp = c->space[i];

		c->space[i] = c->space[k];
		c->space[k] = tmp;
	}
	/* the campaign's own variation: volume, output length, templates */
	c->ratef = 0.8 + 0.4 * rng_unif(r);
	c->tokf = 0.8 + 0.4 * rng_unif(r);
	if (V->ntmpl[style] > 0)
	{
		uint32_t	n = V->ntmpl[style];

		c->tmask = 0;
		for (j = 0; j < n; j++)
			if (rng_unif(r) < 0.75)
				c->tmask |= 1u << j;
		while (popcount32(c->tmask) < 2 && n >= 2)
			c->tmask |= 1u << rng_below(r, n);
		if (c->tmask == 0)
			c->tmask = 1;
	}
	make_name(r, name, sizeof(name), 1);
	snprintf(c->tag, sizeof(c->tag), "%c%c-%u", name[0] - 32, name[1] ? name[1] - 32 : 'X', 10 + rng_below(r, 90));
	c->tick_origin = rng_below(r, 30);
	c->tz = 0;
	c->nburst = st->nburst > MAXBURST ? MAXBURST : st->nburst;
	for (i = 0; i < c->nburst; i++)
	{
		int64_t		lo = burst_day(st->burst_lo);
		int64_t		hi = style == S_PIVOT ? REL + (int64_t) (st->burst_hi * 86400.0) : burst_day(st->burst_hi);

		if (hi <= lo)
			hi = lo + 3600;
		c->burst[i] = lo + (int64_t) (rng_unif(r) * (double) (hi - lo));
	}
	switch (style)
	{
		case S_BLUNT:
			c->nsubnet = HOLD ? 2 : 3;
			c->ndevpool = HOLD ? 6 : 12;
			for (i = 0; i < c->ndevpool; i++)
				c->devpool[i] = new_device(DEV_WEB, HOLD ? ua_pick2(r, "HeadlessChrome", "rv:128.0")
										   : ua_pick2(r, "HeadlessChrome", "X11; Linux x86_64) AppleWebKit"));
			{
				static const char *const tld[] = {".top", ".xyz", ".icu", ".click"};

				c->nemail = HOLD ? 2 : 3;
				for (i = 0; i < c->nemail; i++)
				{
					make_name(r, name, sizeof(name), 2);
					snprintf(dom, sizeof(dom), HOLD ? "%s-inbox%s" : "%smail%s", name, tld[rng_below(r, 4)]);
					c->email[i] = add_email(dom);
					c->email_cdf[i] = (i + 1.0) / c->nemail;
				}
			}
			c->ncards = HOLD ? 1 : 2;
			c->batch = HOLD ? 40 : 25;
			c->tick = HOLD ? 45 : 30;
			break;
		case S_PROXY:
			make_pool(r, c, HOLD ? (c->size * 12 > 10000 ? c->size * 12 : 10000)
					  : (c->size * 20 > 20000 ? c->size * 20 : 20000),
					  HOLD ? 0.40 : 0.25, n_person);
			c->ncards = c->size / (HOLD ? 40 : 25) + 1;
			break;
		case S_CAMO:
			c->tz = HOLD ? 60 : -300;
			make_pool(r, c, c->size * (HOLD ? 6 : 8) > 5000 ? c->size * (HOLD ? 6 : 8) : 5000,
					  HOLD ? 0.20 : 0.10, n_person);
			break;
		case S_SLOWLOW:
			make_pool(r, c, (uint32_t) (c->size * (HOLD ? 0.7 : 1.0)) + 50, 0.3, n_person);
			break;
		case S_AGENTIC:
			c->nsubnet = HOLD ? 6 : 4;
			c->ndevpool = HOLD ? 10 : 6;
			for (i = 0; i < c->ndevpool; i++)
				c->devpool[i] = new_device(DEV_API, HOLD ? ua_pick2(r, "%a-node/4.60.0", "Go-http-client")
										   : ua_pick2(r, "%a-python/1.40.0", "python-httpx/0.27.0"));
			if (HOLD)
			{
				make_name(r, name, sizeof(name), 2);
				snprintf(dom, sizeof(dom), "%s-ai.dev", name);
				c->nemail = 2;
				c->email[0] = add_email(dom);
				c->email[1] = 0;
				c->email_cdf[0] = 0.6;
				c->email_cdf[1] = 1.0;
			}
			else
			{
				c->nemail = 2;
				c->email[0] = 0;	/* gmail.com */
				c->email[1] = 1;	/* outlook.com */
				c->email_cdf[0] = 0.7;
				c->email_cdf[1] = 1.0;
			}
			c->ncards = c->size / (HOLD ? 6 : 10) + 1;
			break;
		case S_AGED:
			c->ndevpool = HOLD ? 20 : 10;
			for (i = 0; i < c->ndevpool; i++)
				c->devpool[i] = new_device(DEV_API, HOLD ? ua_pick2(r, "aiohttp", "curl/")
										   : ua_find("python-requests/2.31.0"));
			if (HOLD)
				make_pool(r, c, c->size * 10 + 1000, 0.3, n_person);
			else
				c->nsubnet = 4;
			c->t_switch = W0 + (int64_t) ((HOLD ? 0.3 + 0.3 * rng_unif(r) : 0.2 + 0.3 * rng_unif(r)) * (double) (W1 - W0));
			c->bg2 = (uint16_t) (65535.0 * st->camo_lo);
			break;
		case S_PIVOT:
			make_pool(r, c, c->size * (HOLD ? 5 : 3) > 3000 ? c->size * (HOLD ? 5 : 3) : 3000,
					  HOLD ? 0.25 : 0.15, n_person);
			c->ncards = c->size / (HOLD ? 8 : 15) + 1;
			break;
		case S_PARA:
			make_pool(r, c, HOLD ? (c->size * 8 > 10000 ? c->size * 8 : 10000)
					  : (c->size * 10 > 20000 ? c->size * 10 : 20000),
					  HOLD ? 0.3 : 0.2, n_person);
			break;
	}
	for (i = 0; i < c->nsubnet; i++)
		c->subnet[i] = subnet_in(r, DATACENTER_OCTET, ARRLEN(DATACENTER_OCTET));
	if (style == S_AGENTIC)
	{
		/* cloud VMs in the campaign's /24s, each running a few accounts */
		c->npool = c->size / (HOLD ? 5 : 8) + 2;
		c->pool = xmalloc(c->npool * sizeof(uint32_t));
		for (j = 0; j < c->npool; j++)
			c->pool[j] = c->subnet[rng_below(r, (uint32_t) c->nsubnet)] | (2 + rng_below(r, 252));
	}
	if (c->ncards > 0)
	{
		c->card0 = next_card;
		next_card += c->ncards;
	}
}

/* the campaign's narrow slice for one account: consecutive topics of the
 * shuffled space, so the accounts together sweep all of it */
static void
campaign_slice(rng *r, campaign *c, uint8_t *top, uint16_t *tcum, uint8_t *ntop)
{
	const style_param *st = &V->st[c->style];
	uint32_t	n = (uint32_t) st->slice_lo + rng_below(r, (uint32_t) (st->slice_hi - st->slice_lo + 1));
	double		w[3], tot = 0, acc = 0;
	uint32_t	s;

	if (n > 3)
		n = 3;
	for (s = 0; s < n; s++)
	{
		top[s] = (uint8_t) c->space[(c->cursor + s) % (uint32_t) c->nspace];
		w[s] = 0.4 + rng_unif(r);
		tot += w[s];
	}
	c->cursor = (c->cursor + n) % (uint32_t) c->nspace;
	for (s = 0; s < n; s++)
	{
		acc += w[s];
		tcum[s] = (uint16_t) (s == n - 1 ? 65535 : (uint32_t) (65535.0 * acc / tot));
	}
	*ntop = (uint8_t) n;
}

/* a card shared by a running group of lo..hi paid accounts */
static uint32_t
group_card(rng *r, uint32_t *cur, uint32_t *left, uint32_t lo, uint32_t hi)
{
	if (*left == 0)
	{
		*cur = new_card();
		*left = lo + rng_below(r, hi - lo + 1);
	}
	(*left)--;
	return *cur;
}

static void
campaign_accounts(rng *r, campaign *c, uint32_t *idxp, uint32_t n_person,
				  uint32_t n_carriers, uint32_t pool_per_carrier)
{
	const style_param *st = &V->st[c->style];
	uint32_t	per_burst = c->nburst > 0 ? (c->size + (uint32_t) c->nburst - 1) / (uint32_t) c->nburst : 1;
	uint32_t	j, s;
	int64_t		t = 0;
	uint32_t	gcard = 0, gleft = 0;

	(void) n_person;
	c->first = *idxp;
	for (j = 0; j < c->size; j++)
	{
		account    *a = &ACC[(*idxp)++];
		double		jit = 0.8 + 0.45 * rng_unif(r);

		a->kind = K_CAMP;
		a->label = L_CAMP;
		a->camp = (uint8_t) (c - CAMP + 1);
		a->sw = NEVER;
		a->group = c->nburst > 0 ? j / per_burst : 0;
		if (c->nburst > 0)
		{
			if (j % per_burst == 0)
				t = c->burst[j / per_burst];
			t += 1 + (int64_t) rng_expo(r, st->gap);
			a->created = t;
			a->act0 = t + 600 + (int64_t) rng_below(r, 3 * 3600);
		}
		if (c->style != S_AGED)
		{
			campaign_slice(r, c, a->top, a->tcum, &a->ntop);
			a->bg = (uint16_t) (65535.0 * (st->camo_lo + (st->camo_hi - st->camo_lo) * rng_unif(r)));
		}
		a->tokf = (uint16_t) (100.0 * c->tokf * (0.85 + 0.3 * rng_unif(r)));
		a->rate = MEAN_RATE * st->rate * c->ratef * jit;
		a->rate2 = MEAN_RATE * st->rate2 * c->ratef * jit;
		a->email = freemail(r);
		a->tz = 0;
		a->nip = 0;
		a->ndev = 1;
		a->country = country_in_tz(r, pick_tz(r));
		set_models_campaign(r, a);
		a->phase = (uint16_t) rng_below(r, 3600);
		switch (c->style)
		{
			case S_BLUNT:
				a->group = j / c->batch;
				a->email = c->email[cdf_pick(c->email_cdf, (uint32_t) c->nemail, rng_unif(r))];
				if (rng_unif(r) < 0.9)
					a->card = c->card0 + rng_below(r, c->ncards);
				a->ndev = (uint8_t) (1 + rng_below(r, 2));
				for (s = 0; s < a->ndev; s++)
					a->dev[s] = c->devpool[rng_below(r, (uint32_t) c->ndevpool)];
				a->signup_ip = c->subnet[rng_below(r, (uint32_t) c->nsubnet)] | (2 + rng_below(r, 252));
				if (rng_unif(r) < 0.8)
					a->country = country_id(HOLD ? "DE" : "US");
				break;
			case S_PROXY:
				if (rng_unif(r) < (HOLD ? 0.8 : 0.6))
					a->card = c->card0 + rng_below(r, c->ncards);
				a->ndev = (uint8_t) (1 + rng_below(r, 2));
				for (s = 0; s < a->ndev; s++)
					a->dev[s] = device_of_kind(r, rng_unif(r) < 0.8 ? DEV_WEB : DEV_ANDROID);
				a->rot = (uint16_t) (HOLD ? 60 + rng_below(r, 240) : 120 + rng_below(r, 300));
				a->phase = (uint16_t) rng_below(r, a->rot);
				a->signup_ip = c->pool[rng_below(r, c->npool)];
				break;
			case S_CAMO:
				if (rng_unif(r) < (HOLD ? 0.4 : 0.3))
					a->card = HOLD ? group_card(r, &gcard, &gleft, 2, 2) : new_card();
				a->ndev = (uint8_t) (1 + (rng_unif(r) < 0.3));
				for (s = 0; s < a->ndev; s++)
					a->dev[s] = human_device(r);
				a->rot = (uint16_t) (HOLD ? 900 + rng_below(r, 2700) : 1200 + rng_below(r, 1200));
				a->phase = (uint16_t) rng_below(r, a->rot);
				person_timing(r, a);
				a->shift = (int8_t) ((int) rng_below(r, 3) - 1);
				a->sess = (uint8_t) (2 + rng_below(r, 5));
				a->tz = c->tz;
				a->country = country_in_tz(r, c->tz);
				a->signup_ip = c->pool[rng_below(r, c->npool)];
				break;
			case S_SLOWLOW:
				if (rng_unif(r) < (HOLD ? 0.15 : 0.10))
					a->card = HOLD ? group_card(r, &gcard, &gleft, 2, 4) : group_card(r, &gcard, &gleft, 3, 5);
				a->dev[0] = human_device(r);
				a->nip = 2;
				a->ip[0] = c->pool[rng_below(r, c->npool)];
				a->ip[1] = c->pool[rng_below(r, c->npool)];
				a->signup_ip = a->ip[0];
				a->act0 = a->created + (int64_t) rng_below(r, 2 * 86400);
				a->act1 = W1;
				break;
			case S_AGENTIC:
				a->group = rng_below(r, c->npool);
				a->email = c->email[cdf_pick(c->email_cdf, (uint32_t) c->nemail, rng_unif(r))];
				a->card = c->card0 + rng_below(r, c->ncards);
				a->nip = 1;
				a->ip[0] = c->pool[a->group];
				a->ndev = (uint8_t) (1 + rng_below(r, 2));
				for (s = 0; s < a->ndev; s++)
					a->dev[s] = c->devpool[rng_below(r, (uint32_t) c->ndevpool)];
				a->signup_ip = a->ip[0];
				if (rng_unif(r) < 0.7)
					a->country = country_id("US");
				a->sess = (uint8_t) (HOLD ? 4 + rng_below(r, 9) : 3 + rng_below(r, 6));	/* steps per task */
				a->rot = (uint16_t) (6 + rng_below(r, 9));	/* seconds per step */
				break;
			case S_AGED:
				/* somebody's real account: months of ordinary use, then sold or
				 * taken over */
				a->created = W0 - (int64_t) ((HOLD ? 60 + 440 * rng_unif(r) : 90 + 610 * rng_unif(r)) * 86400.0);
				a->act0 = W0;
				a->act1 = W1;
				a->tz = pick_tz(r);
				a->country = country_in_tz(r, a->tz);
				person_topics(r, a, NULL, 0, 0);
				person_timing(r, a);
				a->rate = MEAN_RATE * (1.0 + 2.0 * rng_unif(r));	/* an active owner */
				a->nip = 1;
				a->ip[0] = RESIDENTIAL(r);
				if (rng_unif(r) < V->mobile_p && n_carriers > 0)
					a->ip[a->nip++] = CGNAT[rng_below(r, n_carriers) * pool_per_carrier + rng_below(r, pool_per_carrier)];
				a->dev[0] = human_device(r);
				a->signup_ip = rng_unif(r) < 0.6 ? a->ip[0] : RESIDENTIAL(r);
				if (rng_unif(r) < (HOLD ? 0.15 : 0.3))
					a->card = new_card();
				set_models_person(r, a, 0.06);
				campaign_slice(r, c, a->ctop, a->ctcum, &a->nctop);
				a->cdev = c->devpool[rng_below(r, (uint32_t) c->ndevpool)];
				a->sw = c->t_switch + (int64_t) (rng_unif(r) * 4.0 * 86400.0);
				a->rot = (uint16_t) (HOLD ? 300 : 600);
				a->phase = (uint16_t) rng_below(r, a->rot);
				break;
			case S_PIVOT:
				a->act1 = W1;
				a->card = c->card0 + rng_below(r, c->ncards);
				if (rng_unif(r) < 0.5)
					a->dev[0] = new_device(DEV_API, HOLD ? ua_pick2(r, "%a-python/1.61.0", "%a-node/4.80.1")
										   : ua_find("%a-python/1.58.1"));
				else
					a->dev[0] = device_of_kind(r, DEV_WEB);
				a->rot = (uint16_t) (HOLD ? 1800 : 3600);
				a->phase = (uint16_t) rng_below(r, a->rot);
				a->signup_ip = c->pool[rng_below(r, c->npool)];
				a->m_old = 1;
				a->adopt = REL + (int64_t) ((HOLD ? 2.0 + 20.0 * rng_unif(r) : 20.0 * rng_unif(r)) * 3600.0);
				a->share_new = (uint16_t) (65535.0 * (HOLD ? 0.5 + 0.3 * rng_unif(r) : 0.55 + 0.4 * rng_unif(r)));
				a->sw = a->adopt;
				break;
			case S_PARA:
				{
					double		cdf[8];
					uint32_t	l0, l1;

					make_cdf(V->para_w, cdf, V->npara);
					l0 = cdf_pick(cdf, V->npara, rng_unif(r));
					do
						l1 = cdf_pick(cdf, V->npara, rng_unif(r));
					while (l1 == l0);
					a->lang[0] = (uint8_t) l0;
					a->lang[1] = (uint8_t) l1;
					a->lang2p = (uint8_t) (5 + rng_below(r, 30));
					a->pflags = (uint8_t) rng_below(r, 256);
					a->country = country_from_list(r, V->para[l0].countries);
					a->tz = tz_of_country(a->country);
				}
				if (rng_unif(r) < (HOLD ? 0.3 : 0.4))
					a->card = HOLD ? group_card(r, &gcard, &gleft, 2, 2) : new_card();
				a->ndev = (uint8_t) (1 + (rng_unif(r) < 0.3));
				for (s = 0; s < a->ndev; s++)
					a->dev[s] = human_device(r);
				person_timing(r, a);
				a->shift = (int8_t) ((int) rng_below(r, 6) - 2);
				a->sess = (uint8_t) (1 + rng_below(r, 4));
				a->flat = (uint8_t) (HOLD ? 45 : 35);
				a->signup_ip = c->pool[rng_below(r, c->npool)];
				break;
		}
		if (c->style != S_AGED && c->style != S_SLOWLOW && c->style != S_PIVOT)
		{
			int64_t		life = (int64_t) st->life_lo + (int64_t) rng_below(r, (uint32_t) (st->life_hi - st->life_lo + 1));

			a->act1 = st->life_hi > 0 ? a->act0 + 86400 * life : W1;
		}
		if (a->act0 < W0)
			a->act0 = W0;
		if (a->act1 > W1)
			a->act1 = W1;
		if (a->act1 <= a->act0)
			a->act1 = a->act0;
		if (a->sw != NEVER && (a->sw >= a->act1 || a->sw <= a->act0))
			a->sw = a->sw >= a->act1 ? NEVER : a->act0;
	}
}

static void
build_model(void)
{
	rng			r;
	uint32_t	n_camp_total = 0, n_api, n_univ, n_corp, n_person;
	uint32_t	i, j, k, n_univ_orgs, n_corp_orgs, n_carriers, pool_per_carrier;
	double	   *org_cdf_u, *org_cdf_c;
	uint32_t	idx = 0;
	double		mean_rate = 0, wsum = 0;
	uint32_t	n_rate = 0;

	rng_seed(&r, CFG.seed, 1);
	device_salt = mix64(CFG.seed ^ 0xDE71CEULL);
	card_salt = mix64(CFG.seed ^ 0xCA4D5A17ULL);
	make_cdf(FREEMAIL_W[V->v], FREEMAIL_CDF, NFREEMAIL);
	make_cdf(HOUR_W[V->v], HOUR_CDF, 24);
	for (i = 0; i < NFREEMAIL; i++)
		add_email(FREEMAIL[i]);

	/* campaign sizes: fraud_share of all accounts split by the styles'
	 * weights, each within [min, campaign_max] */
	NCAMP = CFG.ncamp;
	for (i = 0; i < (uint32_t) NCAMP; i++)
		wsum += V->st[CFG.camp_style[i]].weight;
	for (i = 0; i < (uint32_t) NCAMP; i++)
	{
		uint32_t	minsz = CFG.accounts / 100 < 50 ? CFG.accounts / 100 : 50;
		double		want = CFG.fraud_share * CFG.accounts * V->st[CFG.camp_style[i]].weight / wsum;
		uint32_t	sz;

		if (minsz < 2)
			minsz = 2;
		sz = (uint32_t) (want + 0.5);
		if (sz < minsz)
			sz = minsz;
		if (sz > CFG.campaign_max)
			sz = CFG.campaign_max;
		CAMP[i].size = sz;
		n_camp_total += sz;
	}
	if (n_camp_total * 2 > CFG.accounts)
		die("campaigns would take over half of the accounts: raise --accounts or lower --campaigns");
	{
		uint32_t	benign = CFG.accounts - n_camp_total;

		n_api = benign / V->api_per;
		if (n_api < 3)
			n_api = 3;
		n_univ = (uint32_t) (benign * V->univ_share);
		n_corp = (uint32_t) (benign * V->corp_share);
		if (n_api + n_univ + n_corp >= benign)
			die("--accounts is too small");
		n_person = benign - n_api - n_univ - n_corp;
	}
	NACC = CFG.accounts;
	{
		/* 64-byte aligned (C99 has no aligned_alloc) */
		char	   *raw = xcalloc((size_t) NACC + 1, sizeof(account));

		ACC = (account *) (void *) (raw + ((64 - (uintptr_t) raw % 64) % 64));
	}

	/* organisations: universities and companies, Zipf(1) sizes */
	n_univ_orgs = CFG.accounts / V->accounts_per_univ < 2 ? 2 : CFG.accounts / V->accounts_per_univ;
	n_corp_orgs = CFG.accounts / V->accounts_per_corp < 5 ? 5 : CFG.accounts / V->accounts_per_corp;
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
			snprintf(dom, sizeof(dom), HOLD ? "%s.ac.uk" : "%s.edu", name);
		else
		{
			static const char *const fmt[] = {"%s.com", "%scorp.com", "%s.io", "%s-labs.com", "%sgroup.de", "%s.co"};

			snprintf(dom, sizeof(dom), fmt[rng_below(&r, HOLD ? 6 : 5)], name);
		}
		o->email = add_email(dom);
		o->univ = univ;
		o->tz = pick_tz(&r);
		o->country = country_in_tz(&r, o->tz);
		o->nip = 1 + (int) rng_below(&r, (uint32_t) (univ ? V->univ_nip : V->corp_nip));
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
	pool_per_carrier = (uint32_t) (1.15 * V->mobile_p * n_person / V->cgnat_per_ip / n_carriers);
	if (pool_per_carrier < 4)
		pool_per_carrier = 4;
	if (pool_per_carrier > 2048)
		pool_per_carrier = 2048;
	NCGNAT = n_carriers * pool_per_carrier;
	CGNAT = xmalloc(NCGNAT * sizeof(uint32_t));
	for (i = 0; i < n_carriers; i++)
	{
		uint32_t	base = subnet_in(&r, RESIDENTIAL_OCTET, ARRLEN(RESIDENTIAL_OCTET)) & 0xFFFFF800u;

		for (j = 0; j < pool_per_carrier; j++)
			CGNAT[i * pool_per_carrier + j] = base + ((j * 7u) % 2048u) + 1;
	}
	/* commercial VPN exits, packed in a few data-centre /24s */
	NVPN = CFG.accounts / V->accounts_per_vpn < 10 ? 10 : CFG.accounts / V->accounts_per_vpn;
	VPN = xmalloc(NVPN * sizeof(uint32_t));
	{
		uint32_t	sub = 0;

		for (i = 0; i < NVPN; i++)
		{
			if (i % V->vpn_per_subnet == 0)
				sub = subnet_in(&r, DATACENTER_OCTET, ARRLEN(DATACENTER_OCTET));
			VPN[i] = sub | (2 + rng_below(&r, 252));
		}
	}

	/* ordinary people: families, mobile users, VPN users, power users */
	while (idx < n_person)
	{
		uint32_t	fam = 1;
		uint32_t	fcard = 0;

		if (rng_unif(&r) < V->family_p)
			fam = 2 + rng_below(&r, (uint32_t) V->family_max - 1);
		if (idx + fam > n_person)
			fam = n_person - idx;
		if (fam > 1 && rng_unif(&r) < V->family_card_p)
			fcard = new_card();
		for (k = 0; k < fam; k++)
		{
			account    *a = &ACC[idx + k];
			double		u;
			int			power = fam == 1 && rng_unif(&r) < V->power_share;

			a->kind = K_PERSON;
			a->label = fam > 1 ? L_FAMILY : power ? L_POWER : L_PERSON;
			a->group = idx;		/* family = index of its first member */
			a->created = person_created(&r);
			set_activity(&r, a, 0.10);
			a->rate = person_rate(&r);
			a->email = freemail(&r);
			if (power)
			{
				static const int pref_p[] = {D_CODING, D_WRITING, D_REASONING, D_MATH, D_BUSINESS, D_SCIENCE};

				person_topics(&r, a, pref_p, 6, 0.85);
				a->bg = (uint16_t) (65535.0 * (0.05 + 0.25 * rng_unif(&r)));
				person_timing(&r, a);
				a->sess = (uint8_t) (10 + rng_below(&r, 21));
				a->p_we = (uint8_t) (70 + rng_below(&r, 31));
				a->tokf = (uint16_t) (180 + rng_below(&r, 150));
				set_models_person(&r, a, 0.35);
				a->act1 = W1;
			}
			else
			{
				person_topics(&r, a, NULL, 0, 0);
				person_timing(&r, a);
				a->tokf = 100;
				set_models_person(&r, a, V->adopt_day1);
			}
			if (k == 0)
			{
				a->tz = pick_tz(&r);
				a->country = country_in_tz(&r, a->tz);
				a->ip[0] = RESIDENTIAL(&r);
				a->dev[0] = human_device(&r);
			}
			else
			{
				a->tz = ACC[idx].tz;
				a->country = ACC[idx].country;
				a->ip[0] = ACC[idx].ip[0];
				a->dev[0] = ACC[idx].dev[0];	/* the shared family tablet */
			}
			a->nip = 1;
			a->ndev = 1;
			u = rng_unif(&r);
			if (u < V->mobile_p)
			{
				/* on mobile data too: one or two CGNAT egress IPs */
				uint32_t	carrier = rng_below(&r, n_carriers);

				a->ip[a->nip++] = CGNAT[carrier * pool_per_carrier + rng_below(&r, pool_per_carrier)];
				if (rng_unif(&r) < 0.3)
					a->ip[a->nip++] = CGNAT[carrier * pool_per_carrier + rng_below(&r, pool_per_carrier)];
				if (fam == 1 && rng_unif(&r) < 0.15)
					a->ip[0] = a->ip[--a->nip];		/* mobile only: no home line */
				if (a->label == L_PERSON)
					a->label = L_MOBILE;
				a->group = carrier;
			}
			else if (u < V->mobile_p + V->vpn_p)
			{
				uint32_t	v = rng_below(&r, NVPN);

				a->ip[a->nip++] = VPN[v];
				if (a->label == L_PERSON)
					a->label = L_VPN;
				a->group = v / V->vpn_per_subnet;
			}
			else if (u < V->mobile_p + V->vpn_p + V->second_home_p)
				a->ip[a->nip++] = RESIDENTIAL(&r);
			if (power)
			{
				/* a developer too: an SDK client, sometimes from a cloud box */
				if (rng_unif(&r) < 0.4)
					a->dev[a->ndev++] = device_of_kind(&r, DEV_API);
				if (a->nip < 3 && rng_unif(&r) < 0.2)
					a->ip[a->nip++] = DATACENTER(&r);
			}
			if (a->ndev < 2 && rng_unif(&r) < 0.3)
				a->dev[a->ndev++] = human_device(&r);
			if (fcard)
				a->card = fcard;
			else if (rng_unif(&r) < (power ? 0.9 : V->paid_person))
				a->card = new_card();
			a->signup_ip = rng_unif(&r) < 0.7 ? a->ip[0] : RESIDENTIAL(&r);
			n_by_label[a->label]++;
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
		a->label = univ ? L_UNIV : L_CORP;
		a->group = o;
		a->created = person_created(&r);
		set_activity(&r, a, univ ? 0.15 : 0.08);
		a->rate = person_rate(&r);
		a->email = rng_unif(&r) < 0.9 ? ORG[o].email : freemail(&r);
		person_topics(&r, a, univ ? pref_u : pref_c, 7, 0.7);
		person_timing(&r, a);
		a->tokf = 100;
		set_models_person(&r, a, V->adopt_day1);
		a->tz = ORG[o].tz;
		a->country = rng_unif(&r) < 0.9 ? ORG[o].country : country_in_tz(&r, pick_tz(&r));
		a->ip[0] = ORG[o].ip[rng_below(&r, (uint32_t) ORG[o].nip)];
		a->nip = 1;
		if (rng_unif(&r) < 0.6)
			a->ip[a->nip++] = RESIDENTIAL(&r);
		a->dev[0] = human_device(&r);
		a->ndev = 1;
		if (rng_unif(&r) < 0.3)
			a->dev[a->ndev++] = human_device(&r);
		if (univ)
		{
			if (rng_unif(&r) < V->paid_univ)
				a->card = new_card();
		}
		else if (rng_unif(&r) < V->team_p)
		{
			/* the team plan: one company card for 2..team_max colleagues */
			a->card = group_card(&r, &ORG[o].team_card, &ORG[o].team_left, 2, (uint32_t) V->team_max);
			a->label = L_TEAM;
		}
		else if (rng_unif(&r) < V->own_card_corp)
			a->card = new_card();
		a->signup_ip = rng_unif(&r) < 0.5 ? a->ip[0] : a->ip[a->nip - 1];
		n_by_label[a->label]++;
	}
	/* ordinary rates are known now: scale power users and the machine-like
	 * accounts by the mean */
	for (i = 0; i < idx; i++)
		if (ACC[i].label != L_POWER)
		{
			mean_rate += ACC[i].rate;
			n_rate++;
		}
	MEAN_RATE = mean_rate / (n_rate ? n_rate : 1);
	for (i = 0; i < idx; i++)
		if (ACC[i].label == L_POWER)
			ACC[i].rate = MEAN_RATE * rng_lognormal(&r, V->power_rate, 0.5);

	/* legitimate API integrations */
	for (i = 0; i < n_api; i++)
	{
		account    *a = &ACC[idx++];
		const api_tmpl *t;
		char		name[32], dom[64];
		double		u;

		a->kind = K_API;
		a->label = L_API;
		a->group = i;
		a->tmpl = (uint8_t) rng_below(&r, NAPI_TMPL);
		t = &V->api[a->tmpl];
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
		a->tokf = 100;
		make_name(&r, name, sizeof(name), 2);
		snprintf(dom, sizeof(dom), "%s%s", name, rng_unif(&r) < 0.5 ? ".io" : "-app.com");
		a->email = add_email(dom);
		a->created = W0 - 86400 * (int64_t) (30 + rng_below(&r, 600)) + (int64_t) rng_below(&r, 86400);
		if (rng_unif(&r) < 0.15)
			a->created = W0 + (int64_t) (rng_unif(&r) * 0.7 * (double) (W1 - W0));
		set_activity(&r, a, 0.0);
		a->rate = MEAN_RATE * (8.0 + 30.0 * rng_unif(&r));
		a->mode = rng_unif(&r) < 0.3 ? 1 : 0;
		a->tz = pick_tz(&r);
		a->country = country_in_tz(&r, a->tz);
		a->ip[0] = DATACENTER(&r);
		a->nip = 1;
		a->dev[0] = device_of_kind(&r, DEV_API);
		a->ndev = 1;
		a->card = new_card();
		a->signup_ip = rng_unif(&r) < 0.5 ? a->ip[0] : RESIDENTIAL(&r);
		/* a pinned model; some deployments move to the new one in one go */
		u = rng_unif(&r);
		a->m_old = (uint8_t) (u < 0.25 ? 0 : u < 0.70 ? 1 : 3);
		a->m_new = 2;
		a->share_new = 65535;
		a->adopt = rng_unif(&r) < 0.15 ? REL + (int64_t) ((0.3 + 13.7 * rng_unif(&r)) * 86400.0) : NEVER;
		n_by_label[L_API]++;
	}
	/* campaigns */
	{
		int			nth[NSTYLE] = {0};

		for (i = 0; i < (uint32_t) NCAMP; i++)
		{
			int			st = CFG.camp_style[i];

			campaign_setup(&r, &CAMP[i], st, ++nth[st], CAMP[i].size, n_person);
		}
	}
	for (i = 0; i < (uint32_t) NCAMP; i++)
	{
		campaign_accounts(&r, &CAMP[i], &idx, n_person, n_carriers, pool_per_carrier);
		n_by_label[L_CAMP] += CAMP[i].size;
	}
	if (idx != NACC)
		die("internal error: account count mismatch");
	/* user agents next to the devices, for the writer */
	for (i = 0; i < NACC; i++)
	{
		account    *a = &ACC[i];

		for (k = 0; k < a->ndev; k++)
			a->ua[k] = (uint8_t) DEV_UA[a->dev[k] & 0x0FFFFFFFu];
		if (a->cdev)
			a->cua = (uint8_t) DEV_UA[a->cdev & 0x0FFFFFFFu];
	}
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

/*
 * Split the interactions over accounts in proportion to rate x active days
 * (two rates for accounts that change behaviour at sw), by systematic
 * sampling: exact total, each count the floor or ceiling of its
 * expectation.
 */
static void
allocate(void)
{
	rng			r;
	double		tot = 0, cum = 0, u;
	uint64_t	assigned = 0;
	uint32_t	i;
	double	   *w = xmalloc(NACC * sizeof(double));
	double	   *w1 = xmalloc(NACC * sizeof(double));

	rng_seed(&r, CFG.seed, 2);
	u = rng_unif(&r);
	for (i = 0; i < NACC; i++)
	{
		const account *a = &ACC[i];
		double		active = (double) (a->act1 - a->act0);

		if (active <= 60)
			w[i] = w1[i] = 0.0;
		else if (a->sw == NEVER)
			w[i] = w1[i] = a->rate * active / 86400.0;
		else
		{
			w1[i] = a->rate * (double) (a->sw - a->act0) / 86400.0;
			w[i] = w1[i] + a->rate2 * (double) (a->act1 - a->sw) / 86400.0;
		}
		tot += w[i];
	}
	if (tot <= 0)
		die("no account is active in the window");
	for (i = 0; i < NACC; i++)
	{
		double		prev = cum;
		uint64_t	c;

		cum += w[i] / tot * (double) CFG.interactions;
		c = (uint64_t) floor(cum + u) - (uint64_t) floor(prev + u);
		if (i == NACC - 1 || assigned + c > CFG.interactions)
			c = CFG.interactions - assigned;
		ACC[i].off = (uint32_t) assigned;
		ACC[i].count = (uint32_t) c;
		ACC[i].count1 = w[i] > 0 ? (uint32_t) floor((double) c * (w1[i] / w[i]) + 0.5) : (uint32_t) c;
		if (ACC[i].count1 > c)
			ACC[i].count1 = (uint32_t) c;
		assigned += c;
	}
	free(w);
	free(w1);
}

/* ------------------------------------------------------------------ */
/* Timestamps                                                          */
/* ------------------------------------------------------------------ */

static uint32_t *TS;			/* seconds since W0, per interaction slot */
static lognorm_table LN_GAP, LN_TOKENS, LN_API, LN_STYLE[NSTYLE];

static void
init_lognorm_tables(void)
{
	int			k;

	lognorm_init(&LN_GAP, HOLD ? 1.2 : 1.1);
	lognorm_init(&LN_TOKENS, 0.9);
	lognorm_init(&LN_API, 0.3);
	for (k = 0; k < NSTYLE; k++)
		lognorm_init(&LN_STYLE[k], V->st[k].tok_sigma);
}

/* seconds since W0 of t, or of a uniform time in [t0, t1) if t is outside */
static inline uint32_t
clamp_in(rng *r, int64_t t, int64_t t0, int64_t t1)
{
	if (t < t0 || t >= t1)
		t = t0 + (int64_t) (rng_unif(r) * (double) (t1 - t0));
	return (uint32_t) (t - W0);
}

/* people: sessions on (clustered) days at diurnal local hours (or, for
 * a->flat percent of them, any hour), bursty gaps */
static void
times_person(rng *r, const account *a, uint32_t *out, uint32_t c, int64_t t0, int64_t t1)
{
	uint32_t	i = 0;
	int64_t		tzs = (int64_t) a->tz * 60;
	int64_t		d0 = floor_div(t0 + tzs, 86400);
	int64_t		d1 = floor_div(t1 - 1 + tzs, 86400);
	int64_t		lastday = -1;

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
				start = t0 + (int64_t) (rng_unif(r) * (double) (t1 - t0));
				break;
			}
			if (lastday >= 0 && rng_unif(r) < 0.55)
				day = lastday + (rng_unif(r) < 0.3 ? 1 : 0);
			else
				day = d0 + (int64_t) rng_below(r, (uint32_t) (d1 - d0 + 1));
			if (weekday(day) >= 5 ? rng_below(r, 100) >= a->p_we : rng_below(r, 100) >= a->p_wd)
				continue;
			if (a->flat && rng_below(r, 100) < a->flat)
				hour = (int) rng_below(r, 24);
			else
				hour = ((int) cdf_pick(HOUR_CDF, 24, rng_unif(r)) + a->shift + 24) % 24;
			start = day * 86400 + hour * 3600 + rng_below(r, 3600) - tzs;
			if (start >= t0 && start < t1)
				break;
		}
		lastday = floor_div(start + tzs, 86400);
		t = start;
		while (s-- > 0)
		{
			out[i++] = clamp_in(r, t, t0, t1);
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

			out[j] = clamp_in(r, (int64_t) floor(t), a->act0, a->act1);
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
				out[j] = clamp_in(r, a->act0 - 1, a->act0, a->act1);
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
			out[j] = clamp_in(r, bday_start + (int64_t) (bt - done) +
							  (int64_t) rng_below(r, 3), a->act0, a->act1);
		}
	}
}

/* blunt: lockstep batches on a shared tick grid */
static void
times_lockstep(rng *r, const campaign *c)
{
	const int64_t G = (int64_t) c->tick;
	uint32_t	b0;

	for (b0 = 0; b0 < c->size; b0 += c->batch)
	{
		uint32_t	b1 = b0 + c->batch < c->size ? b0 + c->batch : c->size;
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
				out[j] = clamp_in(r, t, a->act0, a->act1);
			}
		}
	}
}

/* a Poisson process, flat over the day */
static void
times_poisson(rng *r, uint32_t *out, uint32_t c, int64_t t0, int64_t t1)
{
	uint32_t	j;
	double		span = (double) (t1 - t0);

	for (j = 0; j < c; j++)
		out[j] = clamp_in(r, t0 + (int64_t) (rng_unif(r) * span), t0, t1);
}

/* slow and low: a few prompts now and then, at any hour, over the window */
static void
times_slowlow(rng *r, const account *a)
{
	uint32_t	i = 0, c = a->count;
	uint32_t   *out = TS + a->off;
	double		span = (double) (a->act1 - a->act0);

	while (i < c)
	{
		uint32_t	s = 1 + rng_below(r, HOLD ? 2 : 3);
		int64_t		t = a->act0 + (int64_t) (rng_unif(r) * span);

		for (; s > 0 && i < c; s--)
		{
			out[i++] = clamp_in(r, t, a->act0, a->act1);
			t += 180 + (int64_t) rng_below(r, 720);
		}
	}
}

/* agentic: multi-step tasks started on a machine-regular period */
static uint32_t
task_steps(rng *r, const account *a)
{
	uint32_t	m = a->sess - 1u + rng_below(r, 3);

	return m < 2 ? 2 : m;
}

static void
times_agentic(rng *r, const account *a)
{
	uint32_t	c = a->count, i = 0, ntask = 0, left = c, k;
	uint32_t   *out = TS + a->off;
	rng			rs, rs2;
	double		span = (double) (a->act1 - a->act0), period;
	double		jitter = HOLD ? 0.03 : 0.01;

	if (c == 0)
		return;
	rng_seed(&rs, rng_next(r), 11);
	rs2 = rs;
	while (left > 0)
	{
		uint32_t	m = task_steps(&rs2, a);

		left -= m < left ? m : left;
		ntask++;
	}
	period = span / ntask;
	for (k = 0; i < c; k++)
	{
		uint32_t	m = task_steps(&rs, a), s;
		double		start = (double) a->act0 + (k + 0.5) * period + rng_normal(r) * jitter * period;

		for (s = 0; s < m && i < c; s++)
			out[i++] = clamp_in(r, (int64_t) floor(start + s * a->rot * (0.9 + 0.2 * rng_unif(r))),
								a->act0, a->act1);
	}
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
		uint32_t   *out = TS + a->off;

		if (a->count == 0)
			continue;
		switch (a->kind)
		{
			case K_PERSON:
			case K_UNIV:
			case K_CORP:
				times_person(&r, a, out, a->count, a->act0, a->act1);
				break;
			case K_API:
				times_api(&r, a);
				break;
			default:
				switch (CAMP[a->camp - 1].style)
				{
					case S_PROXY:
						times_poisson(&r, out, a->count, a->act0, a->act1);
						break;
					case S_CAMO:
					case S_PARA:
						times_person(&r, a, out, a->count, a->act0, a->act1);
						break;
					case S_SLOWLOW:
						times_slowlow(&r, a);
						break;
					case S_AGENTIC:
						times_agentic(&r, a);
						break;
					case S_AGED:
						if (a->sw == NEVER)
							times_person(&r, a, out, a->count, a->act0, a->act1);
						else
						{
							times_person(&r, a, out, a->count1, a->act0, a->sw);
							times_poisson(&r, out + a->count1, a->count - a->count1, a->sw, a->act1);
						}
						break;
					case S_PIVOT:
						if (a->sw == NEVER)
							times_poisson(&r, out, a->count, a->act0, a->act1);
						else
						{
							times_poisson(&r, out, a->count1, a->act0, a->sw);
							times_poisson(&r, out + a->count1, a->count - a->count1, a->sw, a->act1);
						}
						break;
					default:
						break;	/* blunt: below */
				}
				break;
		}
	}
	for (k = 0; k < NCAMP; k++)
		if (CAMP[k].style == S_BLUNT)
			times_lockstep(&r, &CAMP[k]);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

#define OUTBUF (1 << 20)
#define ROWMAX (16 << 10)		/* longest row we write, with room */
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
		if (a->card)
			p = put_card(p, a->card);
		else
			p = put_str(p, "\\N");
		*p++ = '\t';
		p = put_ip(p, a->signup_ip);
		*p++ = '\t';
		p = put_str(p, COUNTRY[a->country]);
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
		p = put_str(p, LABEL_NAME[a->label]);
		*p++ = '\t';
		switch (a->label)
		{
			case L_FAMILY:
				p = put_str(p, "family-");
				p = put_u64(p, ACC[a->group].id);
				break;
			case L_MOBILE:
				p = put_str(p, "carrier-");
				p = put_u64(p, a->group + 1);
				break;
			case L_VPN:
				p = put_str(p, "vpn-");
				p = put_u64(p, a->group + 1);
				break;
			case L_UNIV:
			case L_CORP:
			case L_TEAM:
				p = put_str(p, EMAIL[ORG[a->group].email]);
				break;
			case L_API:
				p = put_str(p, "api-");
				p = put_u64(p, a->group + 1);
				break;
			case L_CAMP:
				p = put_str(p, CAMP[a->camp - 1].label);
				p = put_str(p, "/batch-");
				p = put_u64(p, a->group + 1);
				break;
			default:
				p = put_str(p, "\\N");
				break;
		}
		*p++ = '\n';
		olen = (size_t) (p - obuf);
		if (olen > OUTBUF - 512)
			oflush();
	}
	close_out(f);
}

/* ------------------------------------------------------------------ */
/* Prompts                                                             */
/* ------------------------------------------------------------------ */

typedef struct tctx
{
	int			t;				/* topic */
	uint64_t	item;
	const char *tag;
} tctx;

static char *
put_entity(char *p, rng *r)
{
	const char *a = SYL[rng_below(r, ARRLEN(SYL))];
	const char *b = SYL[rng_below(r, ARRLEN(SYL))];

	*p++ = (char) (a[0] - 'a' + 'A');
	p = put_str(p, a + 1);
	return put_str(p, b);
}

static char *
put_json(char *p, rng *r)
{
	switch (rng_below(r, 6) + (HOLD ? 6 : 0))
	{
		case 0:
			p = put_str(p, "{\"status\": 200, \"items\": ");
			p = put_u64(p, rng_below(r, 500));
			return put_str(p, "}");
		case 1:
			p = put_str(p, "{\"stdout\": \"ok\", \"exit_code\": ");
			p = put_u64(p, rng_below(r, 4) == 0);
			return put_str(p, "}");
		case 2:
			p = put_str(p, "{\"error\": \"timeout after ");
			p = put_u64(p, 5 + rng_below(r, 55));
			return put_str(p, "s\"}");
		case 3:
			p = put_str(p, "{\"rows\": ");
			p = put_u64(p, rng_below(r, 10000));
			return put_str(p, ", \"columns\": [\"id\", \"name\", \"total\"]}");
		case 4:
			p = put_str(p, "{\"url\": \"https://example.com/p/");
			p = put_u64(p, rng_below(r, 100000));
			p = put_str(p, "\", \"title\": \"");
			p = put_entity(p, r);
			return put_str(p, "\"}");
		case 5:
			p = put_str(p, "{\"files\": [\"");
			p = put_entity(p, r);
			p = put_str(p, ".csv\", \"");
			p = put_entity(p, r);
			return put_str(p, ".pdf\"]}");
		case 6:
			p = put_str(p, "{\"ok\": true, \"count\": ");
			p = put_u64(p, rng_below(r, 900));
			return put_str(p, "}");
		case 7:
			p = put_str(p, "{\"result\": \"");
			p = put_entity(p, r);
			p = put_str(p, "\", \"latency_ms\": ");
			p = put_u64(p, 20 + rng_below(r, 3000));
			return put_str(p, "}");
		case 8:
			p = put_str(p, "{\"exception\": \"KeyError: '");
			p = put_entity(p, r);
			return put_str(p, "'\"}");
		case 9:
			p = put_str(p, "{\"html_len\": ");
			p = put_u64(p, 1000 + rng_below(r, 90000));
			p = put_str(p, ", \"links\": ");
			p = put_u64(p, rng_below(r, 200));
			return put_str(p, "}");
		case 10:
			p = put_str(p, "{\"cells_updated\": ");
			p = put_u64(p, rng_below(r, 300));
			return put_str(p, "}");
		default:
			p = put_str(p, "{\"screen\": \"");
			p = put_entity(p, r);
			return put_str(p, " dialog open\"}");
	}
}

/* a paragraph of context for long prompts */
static char *
put_paragraph(char *p, rng *r, int t)
{
	int			d = TOPICS[t].domain;
	uint32_t	ns = 5 + rng_below(r, 12);
	uint32_t	i, j;

	for (i = 0; i < ns; i++)
	{
		uint32_t	nw = 6 + rng_below(r, 10);
		char	   *w0 = p;

		if (i > 0)
			*p++ = ' ';
		w0 = p;
		for (j = 0; j < nw; j++)
		{
			uint32_t	u = rng_below(r, 100);

			if (j > 0)
				*p++ = ' ';
			if (u < 35)
				p = put_str(p, V->domain_word[d][rng_below(r, NWORD)]);
			else if (u < 45)
				p = put_str(p, TOPICS[t].keyword);
			else if (u < 52)
				p = put_entity(p, r);
			else if (u < 58)
				p = put_u64(p, rng_below(r, 1000));
			else
				p = put_str(p, V->filler[rng_below(r, V->nfiller)]);
		}
		if (*w0 >= 'a' && *w0 <= 'z')
			*w0 = (char) (*w0 - 'a' + 'A');
		*p++ = '.';
		if (i % 5 == 4 && i + 1 < ns)
		{
			*p++ = '\\';
			*p++ = 'n';
		}
	}
	return p;
}

/* %-template expansion */
static char *
put_template(char *p, rng *r, const char *tmpl, const tctx *x)
{
	int			d = TOPICS[x->t].domain;
	uint32_t	w1 = rng_below(r, NWORD);
	uint32_t	nstep = 3 + rng_below(r, 8);

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
				p = put_str(p, TOPICS[x->t].keyword);
				break;
			case 'w':
				p = put_str(p, V->domain_word[d][w1]);
				break;
			case 'v':
				p = put_str(p, V->domain_word[d][(w1 + 1 + rng_below(r, NWORD - 1)) % NWORD]);
				break;
			case 'n':
				p = put_u64(p, x->item);
				break;
			case 'c':
				p = put_str(p, V->constraint[rng_below(r, V->nconstraint)]);
				break;
			case 'l':
				p = put_str(p, LANGS[rng_below(r, ARRLEN(LANGS))]);
				break;
			case 'e':
				p = put_entity(p, r);
				break;
			case 'd':
				p = put_u64(p, 2 + rng_below(r, 98));
				break;
			case 'g':
				p = put_str(p, x->tag);
				break;
			case 's':
				p = put_u64(p, 1 + rng_below(r, nstep));
				break;
			case 'S':
				p = put_u64(p, nstep);
				break;
			case 't':
				p = put_str(p, V->tools[rng_below(r, V->ntools)]);
				break;
			case 'j':
				p = put_json(p, r);
				break;
			case 'P':
				p = put_paragraph(p, r, x->t);
				break;
			case 'N':
				*p++ = '\\';
				*p++ = 'n';
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

	p = put_str(p, V->starter[rng_below(r, V->nstarter)]);
	for (j = 0; j < nwords; j++)
	{
		*p++ = ' ';
		if (j == kpos)
			p = put_str(p, TOPICS[t].keyword);
		else if (rng_below(r, 100) < 55)
			p = put_str(p, V->domain_word[d][rng_below(r, NWORD)]);
		else
			p = put_str(p, V->filler[rng_below(r, V->nfiller)]);
	}
	if (rng_below(r, 100) < 40)
		*p++ = '?';
	return p;
}

/* one wording of a slot from the account's own subset of wordings */
static const char *
para_pick(rng *r, uint64_t ah, int slot, const char *const *alts, uint32_t n)
{
	uint64_t	m = mix64(ah ^ ((uint64_t) slot * 0x9E3779B97F4A7C15ULL));
	uint32_t	allowed[32], na = 0, i;

	/* each wording with probability 1/8, at least two */
	for (i = 0; i < n && i < 21; i++)
		if (((m >> (3 * i)) & 7) == 0)
			allowed[na++] = i;
	if (na < 2)
		allowed[na++] = hash_below(mix64(m), n);
	if (na < 2)
		allowed[na++] = hash_below(mix64(m ^ 1), n);
	return alts[allowed[rng_below(r, na)]];
}

static char *
put_words(char *p, const char *s, int *first)
{
	if (*s == '\0')
		return p;
	if (!*first)
		*p++ = ' ';
	*first = 0;
	return put_str(p, s);
}

/* a cont wording with %d and %e filled in */
static char *
put_para_cont(char *p, rng *r, const char *s, int *first)
{
	if (!*first)
		*p++ = ' ';
	*first = 0;
	for (; *s; s++)
	{
		if (*s == '%' && s[1] == 'd')
		{
			p = put_u64(p, 2 + rng_below(r, 998));
			s++;
		}
		else if (*s == '%' && s[1] == 'e')
		{
			p = put_entity(p, r);
			s++;
		}
		else
			*p++ = *s;
	}
	return p;
}

static char *
put_para_topic(char *p, rng *r, const para_lang *L, int t, int *first)
{
	static const int noun_of_domain[NDOM] = {
		4, 0, 1, -1, 5, -1, -1, -1, -1, -1, -1, -1, 2, -1, -1, -1, -1, -1, 3, -1
	};
	int			ni = noun_of_domain[TOPICS[t].domain];
	uint32_t	u = rng_below(r, 100);

	if (ni < 0 || u < 45)
		return put_words(p, TOPICS[t].keyword, first);
	p = put_words(p, L->noun[ni], first);
	if (u < 70)
		return p;
	p = put_str(p, " (");
	p = put_str(p, TOPICS[t].keyword);
	return put_str(p, ")");
}

/*
 * Paraphrased prompt: the same request in the account's languages, with
 * the account's own choice of wordings, clause orders and punctuation.
 */
static char *
put_paraphrase(char *p, rng *r, const account *a, int t)
{
	int			second = rng_below(r, 100) < a->lang2p;
	const para_lang *L = &V->para[a->lang[second]];
	uint64_t	ah = mix64(CFG.seed ^ ((uint64_t) a->id * 0xD1B54A32D192ED03ULL) ^ (uint64_t) second);
	uint32_t	orders = a->pflags & 15u;
	uint32_t	order, k, n = 0, pick;
	int			first = 1;
	char	   *start = p;

	if (orders == 0)
		orders = 1u << (a->pflags >> 4 & 3u);
	for (k = 0; k < 4; k++)
		n += (orders >> k) & 1u;
	pick = rng_below(r, n);
	for (order = 0; order < 4; order++)
		if ((orders >> order) & 1u && pick-- == 0)
			break;
	switch (order)
	{
		case 0:
			p = put_words(p, para_pick(r, ah, 0, L->open, L->nopen), &first);
			p = put_words(p, para_pick(r, ah, 1, L->ask, L->nask), &first);
			p = put_words(p, para_pick(r, ah, 3, L->obj, L->nobj), &first);
			p = put_words(p, para_pick(r, ah, 4, L->about, L->nabout), &first);
			p = put_para_topic(p, r, L, t, &first);
			*p++ = ',';
			p = put_words(p, para_pick(r, ah, 2, L->how, L->nhow), &first);
			*p++ = ',';
			p = put_para_cont(p, r, para_pick(r, ah, 5, L->cont, L->ncont), &first);
			p = put_words(p, para_pick(r, ah, 6, L->fmt, L->nfmt), &first);
			break;
		case 1:
			p = put_para_topic(p, r, L, t, &first);
			*p++ = ':';
			p = put_words(p, para_pick(r, ah, 3, L->obj, L->nobj), &first);
			*p++ = ',';
			p = put_para_cont(p, r, para_pick(r, ah, 5, L->cont, L->ncont), &first);
			*p++ = '.';
			p = put_words(p, para_pick(r, ah, 1, L->ask, L->nask), &first);
			p = put_words(p, para_pick(r, ah, 2, L->how, L->nhow), &first);
			*p++ = ',';
			p = put_words(p, para_pick(r, ah, 6, L->fmt, L->nfmt), &first);
			break;
		case 2:
			p = put_words(p, para_pick(r, ah, 0, L->open, L->nopen), &first);
			p = put_para_cont(p, r, para_pick(r, ah, 5, L->cont, L->ncont), &first);
			p = put_str(p, " -");
			p = put_words(p, para_pick(r, ah, 1, L->ask, L->nask), &first);
			p = put_words(p, para_pick(r, ah, 2, L->how, L->nhow), &first);
			p = put_words(p, para_pick(r, ah, 4, L->about, L->nabout), &first);
			p = put_para_topic(p, r, L, t, &first);
			*p++ = ',';
			p = put_words(p, para_pick(r, ah, 6, L->fmt, L->nfmt), &first);
			break;
		default:
			p = put_words(p, para_pick(r, ah, 1, L->ask, L->nask), &first);
			p = put_words(p, para_pick(r, ah, 2, L->how, L->nhow), &first);
			*p++ = ':';
			p = put_words(p, para_pick(r, ah, 3, L->obj, L->nobj), &first);
			p = put_words(p, para_pick(r, ah, 4, L->about, L->nabout), &first);
			p = put_para_topic(p, r, L, t, &first);
			p = put_str(p, " (");
			first = 1;
			p = put_para_cont(p, r, para_pick(r, ah, 5, L->cont, L->ncont), &first);
			*p++ = ')';
			*p++ = ',';
			p = put_words(p, para_pick(r, ah, 6, L->fmt, L->nfmt), &first);
			break;
	}
	switch (a->pflags >> 6)
	{
		case 0:
			*p++ = '.';
			break;
		case 1:
			*p++ = '?';
			break;
		case 2:
			*p++ = '!';
			break;
		default:
			break;
	}
	if (rng_below(r, 100) < 25)
		p = put_words(p, para_pick(r, ah, 7, L->thanks, L->nthanks), &first);
	if ((a->pflags & 16u) && *start >= 'a' && *start <= 'z')
		*start = (char) (*start - 'a' + 'A');
	return p;
}

static inline int
pick_topic(rng *r, const uint8_t *top, const uint16_t *tcum, int ntop)
{
	uint32_t	u = rng_below(r, 65535);
	int			i;

	for (i = 0; i < ntop - 1; i++)
		if (u < tcum[i])
			return top[i];
	return top[ntop - 1];
}

static const double DOMAIN_TOKENS[NDOM] = {
	700, 500, 450, 800, 550, 120, 350, 300, 280, 320,
	380, 420, 400, 380, 200, 250, 450, 260, 220, 420
};

static uint64_t api_item[NAPI_TMPL];
static uint64_t rows_by_label[NLABEL];
static uint64_t rows_by_model[4];
static const char *MODEL_NAME[4];
static uint8_t MODEL_LEN[4];

/* which template of the campaign's subset */
static const char *
campaign_template(rng *r, const campaign *c)
{
	const char *const *tl = V->tmpl[c->style];
	uint32_t	n = V->ntmpl[c->style];
	uint32_t	k;

	do
		k = rng_below(r, n);
	while (!((c->tmask >> k) & 1u));
	return tl[k];
}

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
	int			m;

	for (m = 0; m < 4; m++)
	{
		MODEL_NAME[m] = V->model[m];
		MODEL_LEN[m] = (uint8_t) strlen(V->model[m]);
	}
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
		int64_t		t = W0 + s;

		if (pos == end)
			continue;
		put_ts(tsbuf, t);
		for (; pos < end; pos++)
		{
			account    *a = &ACC[order[pos]];
#if defined(__GNUC__)
			/* accounts come in time order, at random: fetch ahead */
			if (pos + 12 < CFG.interactions)
			{
				const char *ahead = (const char *) &ACC[order[pos + 12]];

				__builtin_prefetch(ahead);
				__builtin_prefetch(ahead + 64);
			}
#endif
			char	   *p = obuf + olen;
			uint32_t	ms = rng_below(&r, 1000);
			uint64_t	h, hid = (uint64_t) a->id << 20;
			uint32_t	ip, dev, ua;
			int			tp, camo = 0;
			double		tok, tokmax = 16000.0;
			campaign   *c = a->camp ? &CAMP[a->camp - 1] : NULL;

			if (c != NULL && c->style == S_AGED && t < a->sw)
				c = NULL;		/* still the owner's ordinary use */

			p = put_u64(p, a->id);
			*p++ = '\t';
			memcpy(p, tsbuf, 19);
			p += 19;
			*p++ = '.';
			*p++ = (char) ('0' + ms / 100);
			*p++ = (char) ('0' + (ms / 10) % 10);
			*p++ = (char) ('0' + ms % 10);
			p = put_str(p, "+00\t");

			/* network and device */
			if (c == NULL)
			{
				/* sticky per account and hour */
				h = mix64(CFG.seed ^ hid ^ (s / 3600));
				if (a->nip == 1 || (h & 0xFF) < 166)
					ip = a->ip[0];
				else
					ip = a->ip[1 + hash_below(h, a->nip - 1u)];
				dev = a->ndev == 1 || ((h >> 8) & 0xFF) < 190 ? a->dev[0] : a->dev[1];
			}
			else
				switch (c->style)
				{
					case S_BLUNT:
						/* one proxy IP per lockstep batch and hour */
						h = mix64(CFG.seed ^ ((uint64_t) (a->camp * 1000003u + a->group) << 24) ^ (s / 3600));
						ip = c->subnet[hash_below(h, (uint32_t) c->nsubnet)] | (2 + (uint32_t) ((h >> 8) % 252));
						dev = a->dev[(h >> 20) % a->ndev];
						break;
					case S_SLOWLOW:
						h = mix64(CFG.seed ^ hid ^ (s / 86400));
						ip = a->ip[h & 1];
						dev = a->dev[0];
						break;
					case S_AGENTIC:
						h = mix64(CFG.seed ^ hid ^ (s / 3600));
						ip = a->ip[0];
						dev = a->dev[(h >> 20) % a->ndev];
						break;
					case S_AGED:
						h = mix64(CFG.seed ^ hid ^ ((s + a->phase) / a->rot));
						if (c->npool)
							ip = c->pool[hash_below(h, c->npool)];
						else
							ip = c->subnet[hash_below(h, (uint32_t) c->nsubnet)] | (2 + (uint32_t) ((h >> 8) % 252));
						dev = a->cdev;
						break;
					case S_PARA:
						/* sticky residential exit per day */
						h = mix64(CFG.seed ^ hid ^ ((s + a->phase) / 86400));
						ip = c->pool[hash_below(h, c->npool)];
						dev = a->ndev == 1 || ((h >> 8) & 0xFF) < 190 ? a->dev[0] : a->dev[1];
						break;
					default:
						/* proxy, camouflage, pivot: rotating residential exits */
						h = mix64(CFG.seed ^ hid ^ ((s + a->phase) / a->rot));
						ip = c->pool[hash_below(h, c->npool)];
						dev = a->ndev == 1 || ((h >> 8) & 0xFF) < 200 ? a->dev[0] : a->dev[1];
						break;
				}
			p = put_ip(p, ip);
			*p++ = '\t';
			p = put_device(p, dev);
			*p++ = '\t';
			ua = dev == a->dev[0] ? a->ua[0] : dev == a->dev[1] ? a->ua[1] : a->cua;
			p = put_ua(p, ua);
			*p++ = '\t';

			/* topic and prompt */
			if (c == NULL)
			{
				if (a->bg && rng_below(&r, 65535) < a->bg)
				{
					tp = zipf_topic(&r);
					p = put_str(p, TOPICS[tp].name);
					*p++ = '\t';
					p = put_freeform(p, &r, tp);
				}
				else
				{
					tp = pick_topic(&r, a->top, a->tcum, a->ntop);
					p = put_str(p, TOPICS[tp].name);
					*p++ = '\t';
					if (a->kind == K_API)
					{
						tctx		x;

						x.t = tp;
						x.item = 100000 + (++api_item[a->tmpl]) * 7 + a->group;
						x.tag = "";
						p = put_template(p, &r, V->api[a->tmpl].text, &x);
					}
					else
						p = put_freeform(p, &r, tp);
				}
			}
			else
			{
				uint16_t	bg = c->style == S_AGED ? c->bg2 : a->bg;

				if (bg && rng_below(&r, 65535) < bg)
				{
					/* camouflage reads like anybody's */
					camo = 1;
					tp = zipf_topic(&r);
					p = put_str(p, TOPICS[tp].name);
					*p++ = '\t';
					p = put_freeform(p, &r, tp);
				}
				else
				{
					tp = c->style == S_AGED ? pick_topic(&r, a->ctop, a->ctcum, a->nctop)
						: pick_topic(&r, a->top, a->tcum, a->ntop);
					p = put_str(p, TOPICS[tp].name);
					*p++ = '\t';
					if (c->style == S_PARA)
						p = put_paraphrase(p, &r, a, tp);
					else
					{
						tctx		x;

						x.t = tp;
						x.item = ++c->item;
						x.tag = c->tag;
						p = put_template(p, &r, campaign_template(&r, c), &x);
					}
				}
			}
			*p++ = '\t';

			/* output tokens: long answers for campaigns */
			if (c != NULL && !camo)
			{
				tok = lognorm_draw(&LN_STYLE[c->style], &r, V->st[c->style].tok * a->tokf / 100.0);
				if (c->style == S_SLOWLOW)
					tokmax = 32000.0;
			}
			else if (a->kind == K_API)
				tok = lognorm_draw(&LN_API, &r, 350.0);
			else
				tok = lognorm_draw(&LN_TOKENS, &r, DOMAIN_TOKENS[TOPICS[tp].domain] *
								   (a->tokf ? a->tokf : 100) / 100.0);
			p = put_u64(p, (uint64_t) clampd(tok, 5.0, tokmax));
			*p++ = '\t';

			/* model: the account's old one until it adopts the new one */
			m = t >= a->adopt && (a->share_new == 65535 || rng_below(&r, 65535) < a->share_new)
				? a->m_new : a->m_old;
			memcpy(p, MODEL_NAME[m], MODEL_LEN[m]);
			p += MODEL_LEN[m];
			*p++ = '\n';
			olen = (size_t) (p - obuf);
			if (olen > OUTBUF - ROWMAX)
				oflush();
			rows_by_label[a->label]++;
			rows_by_model[m]++;
			if (a->camp)
				CAMP[a->camp - 1].rows++;
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
			"Writes synthetic AI-model usage data in PostgreSQL COPY text format\n"
			"(tab-separated, \\N for NULL), to stdout unless --out or the *-out options\n"
			"name files:\n"
			"  accounts(account_id bigint, created_at timestamptz, email_domain text,\n"
			"           payment_fingerprint text, signup_ip inet, country text,\n"
			"           campaign text)  -- campaign: ground-truth label, NULL if benign\n"
			"  interactions(account_id bigint, ts timestamptz, ip inet, device text,\n"
			"               user_agent text, topic text, prompt text, tokens_out int,\n"
			"               model text)  -- in ts order\n"
			"  kinds(account_id bigint, kind text, grp text)  -- ground truth for\n"
			"        evaluation: person, family, mobile, vpn, power, university,\n"
			"        corporate, team, api, campaign; grp: family, carrier, VPN /24,\n"
			"        org domain, api-N or campaign/batch-N\n"
			"The same options give the same bytes; accounts and kinds do not depend on\n"
			"--interactions, so the tables may be written by separate runs.\n"
			"\n"
			"options:\n"
			"  --seed N            random seed (default 42)\n"
			"  --accounts N        number of accounts (default 20000)\n"
			"  --interactions N    number of interactions (default 1000000)\n"
			"  --days N            length of the window in days (default 42)\n"
			"  --start YYYY-MM-DD  first day of the window, UTC (default 2025-01-06)\n"
			"  --variant V         main (default) or holdout: other words, templates,\n"
			"                      sizes, hubs, time zones and activity, for measuring\n"
			"                      detection on data it was not tuned on\n"
			"  --campaigns LIST    planted campaigns: a comma-separated list of styles\n"
			"                      (blunt, proxy, camouflage, slowlow, agentic, aged,\n"
			"                      pivot, paraphrase; repeats allowed) or a count N\n"
			"                      (0-64) cycling through the styles in that order;\n"
			"                      default: one of each (8)\n"
			"  --fraud-share F     share of accounts in campaigns (default 0.025), split\n"
			"                      by the styles' weights; each campaign has at least\n"
			"                      min(50, accounts/100) and at most --campaign-max\n"
			"  --campaign-max N    largest campaign (default 10000)\n"
			"  --stats             print a summary (per kind, style and campaign) to stderr\n"
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
parse_campaigns(const char *v)
{
	if (*v >= '0' && *v <= '9')
	{
		int			n = (int) parse_u64("--campaigns", v, 0, MAXCAMP), i;

		CFG.ncamp = n;
		for (i = 0; i < n; i++)
			CFG.camp_style[i] = (uint8_t) (i % NSTYLE);
		return;
	}
	CFG.ncamp = 0;
	while (*v)
	{
		size_t		len = strcspn(v, ",");
		int			k;

		for (k = 0; k < NSTYLE; k++)
			if (strlen(STYLE_NAME[k]) == len && strncmp(v, STYLE_NAME[k], len) == 0)
				break;
		if (k == NSTYLE)
		{
			fprintf(stderr, "generate_usage: --campaigns: unknown style '%.*s' (blunt, proxy, camouflage, "
					"slowlow, agentic, aged, pivot, paraphrase, or a count)\n", (int) len, v);
			exit(2);
		}
		if (CFG.ncamp == MAXCAMP)
		{
			fprintf(stderr, "generate_usage: --campaigns: at most %d campaigns\n", MAXCAMP);
			exit(2);
		}
		CFG.camp_style[CFG.ncamp++] = (uint8_t) k;
		v += len;
		if (*v == ',')
			v++;
	}
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
	CFG.fraud_share = 0.025;
	CFG.campaign_max = 10000;
	CFG.variant = 0;
	parse_campaigns("8");
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
				"--accounts-out", "--interactions-out", "--kinds-out", "--variant"
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
			parse_campaigns(v);
		else if (strcmp(o, "--campaign-max") == 0)
			CFG.campaign_max = (uint32_t) parse_u64(o, v, 2, 1000000);
		else if (strcmp(o, "--variant") == 0)
		{
			if (strcmp(v, "main") == 0)
				CFG.variant = 0;
			else if (strcmp(v, "holdout") == 0)
				CFG.variant = 1;
			else
			{
				fprintf(stderr, "generate_usage: --variant must be main or holdout\n");
				exit(2);
			}
		}
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
print_stats(double secs, int wrote_interactions)
{
	int			k;
	uint64_t	rows_label[NLABEL], rows_style[NSTYLE], camp_rows = 0, total = 0;
	uint32_t	acc_style[NSTYLE], camp_acc = 0;
	uint32_t	i;
	char		b[32];

	memset(rows_label, 0, sizeof(rows_label));
	memset(rows_style, 0, sizeof(rows_style));
	memset(acc_style, 0, sizeof(acc_style));
	for (i = 0; i < NACC; i++)
	{
		rows_label[ACC[i].label] += ACC[i].count;
		total += ACC[i].count;
	}
	*put_ts(b, W0) = '\0';
	fprintf(stderr, "generate_usage: variant %s, seed %llu, %u accounts, %llu interactions, %u days from %s UTC\n",
			V->name, (unsigned long long) CFG.seed, NACC, (unsigned long long) CFG.interactions,
			CFG.days, b);
	*put_ts(b, REL) = '\0';
	fprintf(stderr, "  models %s, %s (older, pinned by some), %s released %s UTC, %s (API)\n",
			V->model[1], V->model[0], V->model[2], b, V->model[3]);
	fprintf(stderr, "  %-12s %9s %7s %13s %7s\n", "kind", "accounts", "share", "interactions", "share");
	for (k = 0; k < NLABEL; k++)
		fprintf(stderr, "  %-12s %9u %6.2f%% %13llu %6.2f%%\n", LABEL_NAME[k], n_by_label[k],
				100.0 * n_by_label[k] / NACC, (unsigned long long) rows_label[k],
				total ? 100.0 * rows_label[k] / total : 0.0);
	fprintf(stderr, "  benign hubs: %u organisations, %u CGNAT egress IPs, %u VPN exits\n",
			NORG, NCGNAT, NVPN);
	for (k = 0; k < NCAMP; k++)
	{
		uint64_t	rows = 0;

		for (i = 0; i < CAMP[k].size; i++)
			rows += ACC[CAMP[k].first + i].count;
		rows_style[CAMP[k].style] += rows;
		acc_style[CAMP[k].style] += CAMP[k].size;
		camp_rows += rows;
		camp_acc += CAMP[k].size;
	}
	fprintf(stderr, "  %-12s %9s %7s %13s %7s %9s\n", "style", "accounts", "share", "interactions", "share", "per acct");
	for (k = 0; k < NSTYLE; k++)
		if (acc_style[k] > 0)
			fprintf(stderr, "  %-12s %9u %6.2f%% %13llu %6.2f%% %9.1f\n", STYLE_NAME[k], acc_style[k],
					100.0 * acc_style[k] / NACC, (unsigned long long) rows_style[k],
					total ? 100.0 * rows_style[k] / total : 0.0, (double) rows_style[k] / acc_style[k]);
	fprintf(stderr, "  %-12s %9u %6.2f%% %13llu %6.2f%% %9.1f\n", "all", camp_acc,
			100.0 * camp_acc / NACC, (unsigned long long) camp_rows,
			total ? 100.0 * camp_rows / total : 0.0, camp_acc ? (double) camp_rows / camp_acc : 0.0);
	for (k = 0; k < NCAMP; k++)
	{
		uint64_t	rows = 0;

		for (i = 0; i < CAMP[k].size; i++)
			rows += ACC[CAMP[k].first + i].count;
		fprintf(stderr, "  %-14s %6u accounts %10llu interactions, %2d topics in its space\n",
				CAMP[k].label, CAMP[k].size, (unsigned long long) rows, CAMP[k].nspace);
	}
	if (wrote_interactions)
		fprintf(stderr, "  rows by model: %s %llu, %s %llu, %s %llu, %s %llu\n",
				V->model[0], (unsigned long long) rows_by_model[0],
				V->model[1], (unsigned long long) rows_by_model[1],
				V->model[2], (unsigned long long) rows_by_model[2],
				V->model[3], (unsigned long long) rows_by_model[3]);
	fprintf(stderr, "  %.2f s CPU\n", secs);
}

int
main(int argc, char **argv)
{
	clock_t		t0 = clock();
	int			want_int;

	parse_args(argc, argv);
	V = &VARIANTS[CFG.variant];
	HOLD = CFG.variant;
	W0 = CFG.start;
	W1 = W0 + (int64_t) CFG.days * 86400;
	REL = W0 + (int64_t) (V->release_frac * CFG.days) * 86400 + 17 * 3600;
	if (REL >= W1)
		REL = W0 + (int64_t) (V->release_frac * (double) (W1 - W0));
	obuf = xmalloc(OUTBUF);
	init_topics();
	init_user_agents();
	init_countries();
	build_model();
	assign_ids();
	if (CFG.table ? strcmp(CFG.table, "accounts") == 0 : CFG.accounts_out != NULL)
		write_accounts(open_out(CFG.table ? CFG.out : CFG.accounts_out));
	if (CFG.table ? strcmp(CFG.table, "kinds") == 0 : CFG.kinds_out != NULL)
		write_kinds(open_out(CFG.table ? CFG.out : CFG.kinds_out));
	want_int = CFG.table ? strcmp(CFG.table, "interactions") == 0 : CFG.interactions_out != NULL;
	if (want_int)
	{
		allocate();
		init_lognorm_tables();
		make_times();
		write_interactions(open_out(CFG.table ? CFG.out : CFG.interactions_out));
	}
	if (CFG.stats)
	{
		if (!want_int)
			allocate();
		print_stats((double) (clock() - t0) / CLOCKS_PER_SEC, want_int);
	}
	return 0;
}
