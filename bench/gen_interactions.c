/*
 * gen_interactions.c: the benchmark's synthetic usage log, written to stdout
 * in COPY text format (account_id TAB topic), one row per interaction.
 *
 * Usage: gen_interactions [rows [accounts [seed]]]
 *        defaults: 30000000 1000000 20240601
 *
 * Deterministic: the same arguments give the same bytes (splitmix64 PRNG, no
 * libc rand, no floating-point output; only exp/log/cos come from libm, so
 * another libm could move a rare rounding).  The model, documented in
 * bench/README.md:
 *
 *   - 200 topics "domain.subtopic" (20 domains x 10 subtopics) whose global
 *     popularity is Zipf with exponent 1 (coding.python most popular);
 *   - account activity is heavy-tailed: every account has at least one
 *     interaction, the rest are shared out in proportion to a log-normal
 *     weight (sigma 1.3), so the median account is light and a few accounts
 *     have thousands of interactions;
 *   - each account has 1 to 6 interests drawn from the global popularity;
 *     75% of its interactions go to its interests (the first one most), the
 *     rest are drawn from the global popularity;
 *   - rows are in time order, i.e. accounts interleave at random (a seeded
 *     Fisher-Yates shuffle), as in a real append-only log.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTOPICS 200
#define MAX_INTERESTS 6

static const char *const domains[20][11] = {
	{"coding", "python", "javascript", "rust", "sql", "cpp", "java", "go", "debugging", "testing", "devops"},
	{"math", "algebra", "calculus", "geometry", "statistics", "probability", "proofs", "number_theory", "linear_algebra", "combinatorics", "olympiad"},
	{"reasoning", "logic", "puzzles", "planning", "chain_of_thought", "riddles", "analogies", "causal", "counterfactual", "estimation", "deduction"},
	{"agents", "tool_use", "browsing", "function_calling", "shell", "workflow", "scheduling", "retrieval", "multi_step", "api_calls", "code_exec"},
	{"writing", "email", "essay", "fiction", "poetry", "editing", "summarizing", "copywriting", "resume", "blog", "screenplay"},
	{"science", "physics", "chemistry", "biology", "astronomy", "geology", "ecology", "neuroscience", "genetics", "materials", "climate"},
	{"business", "marketing", "finance", "strategy", "sales", "hr", "operations", "accounting", "startups", "negotiation", "product"},
	{"legal", "contracts", "compliance", "ip", "privacy", "employment", "litigation", "tax", "immigration", "corporate", "regulatory"},
	{"health", "nutrition", "fitness", "symptoms", "mental_health", "medication", "sleep", "pediatrics", "cardiology", "dermatology", "first_aid"},
	{"education", "tutoring", "lesson_plans", "homework", "exam_prep", "language_learning", "history", "geography", "literature", "civics", "study_skills"},
	{"data", "analysis", "visualization", "pandas", "spreadsheets", "etl", "dashboards", "ml_training", "feature_engineering", "forecasting", "sql_tuning"},
	{"security", "pentest", "malware_analysis", "cryptography", "auth", "threat_modeling", "forensics", "secure_coding", "network", "phishing", "cloud"},
	{"creative", "worldbuilding", "roleplay", "jokes", "lyrics", "game_design", "art_prompts", "characters", "dialogue", "kids_stories", "trivia"},
	{"translation", "spanish", "french", "german", "chinese", "japanese", "arabic", "hindi", "portuguese", "russian", "korean"},
	{"travel", "itineraries", "visas", "packing", "flights", "hotels", "budget", "food", "local_customs", "road_trips", "transit"},
	{"money", "budgeting", "investing", "retirement", "taxes", "credit", "mortgages", "crypto_assets", "insurance", "savings", "debt"},
	{"home", "cooking", "gardening", "diy", "cleaning", "parenting", "pets", "repairs", "decor", "moving", "shopping"},
	{"tech_support", "windows", "macos", "linux", "android", "ios", "networking", "printers", "smart_home", "email_setup", "backups"},
	{"ml", "transformers", "fine_tuning", "rlhf", "evaluation", "prompting", "embeddings", "distillation", "datasets", "inference", "safety"},
	{"philosophy", "ethics", "metaphysics", "epistemology", "politics", "religion", "existentialism", "aesthetics", "formal_logic", "mind", "history"},
};

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

static double zipf_cdf[NTOPICS];

static uint32_t
next_zipf(void)
{
	double		u = next_unit();
	uint32_t	lo = 0,
				hi = NTOPICS - 1;

	while (lo < hi)
	{
		uint32_t	mid = (lo + hi) / 2;

		if (zipf_cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n);

	if (p == NULL)
	{
		fprintf(stderr, "gen_interactions: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

int
main(int argc, char **argv)
{
	uint64_t	rows = argc > 1 ? strtoull(argv[1], NULL, 10) : 30000000;
	uint32_t	accounts = argc > 2 ? (uint32_t) strtoul(argv[2], NULL, 10) : 1000000;
	uint64_t	seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 20240601;
	char		names[NTOPICS][48];
	uint8_t		name_len[NTOPICS];
	uint32_t	by_rank[NTOPICS];	/* popularity rank -> topic */
	double	   *weight;
	uint32_t   *count;
	uint32_t   *log_rows;
	uint8_t    (*interests)[MAX_INTERESTS + 1];	/* [0] = how many */
	double		wsum = 0,
				zsum = 0;
	uint64_t	spare,
				given = 0;
	uint64_t	i;
	uint32_t	a,
				t;
	static char outbuf[1 << 20];
	size_t		outpos = 0;

	if (accounts == 0 || rows < accounts || rows > UINT32_MAX)
	{
		fprintf(stderr, "usage: %s [rows [accounts [seed]]] with 0 < accounts <= rows < 2^32\n", argv[0]);
		return 2;
	}
	rng_state = seed;

	for (t = 0; t < NTOPICS; t++)
	{
		int			len = snprintf(names[t], sizeof names[t], "%s.%s",
								   domains[t / 10][0], domains[t / 10][1 + t % 10]);

		name_len[t] = (uint8_t) len;
	}
	/* Popularity: the first subtopic of every domain (domains in the order
	 * listed), then every second subtopic, and so on. */
	for (t = 0; t < NTOPICS; t++)
		by_rank[t] = (t % 20) * 10 + t / 20;
	for (t = 0; t < NTOPICS; t++)
		zsum += 1.0 / (t + 1);
	for (t = 0; t < NTOPICS; t++)
		zipf_cdf[t] = (t ? zipf_cdf[t - 1] : 0) + 1.0 / (t + 1) / zsum;
	zipf_cdf[NTOPICS - 1] = 2.0;	/* catch u close to 1 */

	/* Activity: one row each, the rest in proportion to a log-normal weight. */
	weight = xmalloc(sizeof(double) * accounts);
	count = xmalloc(sizeof(uint32_t) * accounts);
	for (a = 0; a < accounts; a++)
		wsum += weight[a] = exp(1.3 * next_normal());
	spare = rows - accounts;
	for (a = 0; a < accounts; a++)
	{
		count[a] = 1 + (uint32_t) floor(weight[a] / wsum * (double) spare);
		given += count[a] - 1;
	}
	while (given < spare)		/* the rounding remainder, < accounts rows */
	{
		count[next_below(accounts)]++;
		given++;
	}
	free(weight);

	/* Interests: 1 to 6, from the global popularity, without repeats. */
	interests = xmalloc(sizeof(*interests) * accounts);
	for (a = 0; a < accounts; a++)
	{
		uint32_t	k = 1 + next_below(MAX_INTERESTS);
		uint32_t	have = 0;

		while (have < k)
		{
			uint8_t		topic = (uint8_t) by_rank[next_zipf()];
			uint32_t	j;

			for (j = 0; j < have && interests[a][1 + j] != topic; j++)
				;
			if (j == have)
				interests[a][1 + have++] = topic;
		}
		interests[a][0] = (uint8_t) k;
	}

	/* The log in time order: each account's rows, shuffled together. */
	log_rows = xmalloc(sizeof(uint32_t) * rows);
	for (a = 0, i = 0; a < accounts; a++)
		for (uint32_t r = 0; r < count[a]; r++)
			log_rows[i++] = a;
	for (i = rows - 1; i > 0; i--)
	{
		uint64_t	j = (uint64_t) (((unsigned __int128) next_u64() * (i + 1)) >> 64);
		uint32_t	x = log_rows[i];

		log_rows[i] = log_rows[j];
		log_rows[j] = x;
	}
	free(count);

	for (i = 0; i < rows; i++)
	{
		uint32_t	acc = log_rows[i];
		uint32_t	topic;
		char		digits[12];
		int			nd = 0;
		uint64_t	id = (uint64_t) acc + 1;

		if (next_unit() < 0.75)
		{
			/* interest j with weight 1/(j+1): the first one dominates */
			uint32_t	k = interests[acc][0];
			static const double hk[MAX_INTERESTS + 1] = {0, 1.0, 1.5, 11.0 / 6, 25.0 / 12, 137.0 / 60, 49.0 / 20};
			double		u = next_unit() * hk[k],
						c = 0;
			uint32_t	j;

			for (j = 0; j + 1 < k; j++)
				if (u < (c += 1.0 / (j + 1)))
					break;
			topic = interests[acc][1 + j];
		}
		else
			topic = by_rank[next_zipf()];

		if (outpos + 80 > sizeof outbuf)
		{
			if (fwrite(outbuf, 1, outpos, stdout) != outpos)
			{
				perror("gen_interactions: write");
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
		memcpy(outbuf + outpos, names[topic], name_len[topic]);
		outpos += name_len[topic];
		outbuf[outpos++] = '\n';
	}
	if (fwrite(outbuf, 1, outpos, stdout) != outpos || fflush(stdout) != 0)
	{
		perror("gen_interactions: write");
		return 1;
	}
	free(log_rows);
	free(interests);
	return 0;
}
