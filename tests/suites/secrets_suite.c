/*
 * secrets_suite.c - plumb's secrets/ rules against the labelled suites of
 * ../shared/testsuites/secrets (see its README for each suite's labels).
 *
 *   gitleaks rule-cases.json  every literal true positive must fire a
 *                             secrets/ rule and every false positive stay
 *                             silent, each case scanned as its own file
 *                             (with its path when the case gives one).
 *                             Every miss listed in
 *                             tests/suites/secrets-known.tsv, exactly.
 *   secretlint                ng/ok cases (output.json). A case whose
 *                             input is byte for byte another case's of
 *                             the opposite label (told apart only by a
 *                             .secretlintrc.json allow-list, a switched-
 *                             off option or the file's name) cannot be
 *                             judged by its content: both are left out
 *                             of both figures, and counted. The
 *                             pattern rule's cases run with their
 *                             own patterns, as .plumb.yaml
 *                             secrets.patterns.
 *   detect-secrets            plugin-cases.json (payload|line,
 *                             should_flag).
 * Each suite must reach its recall and stay under its share of flagged
 * negatives (bars[] below).
 *
 * SECRETS_SUITE_VERBOSE=1 also lists every secretlint and detect-secrets
 * case plumb gets wrong, and keeps the case files for a look.
 *
 * All cases are written under one temporary folder and linted by one
 * `plumb check --format json` run. Fake secrets only; nothing is kept.
 *
 * usage: secrets_suite PLUMB SUITE_DIR KNOWN_TSV
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "known.h"

#include <jansson.h>

/*
 * What each suite must reach: recall (positives found) at least
 * min_recall and negatives flagged at most max_flagged, in percent. The
 * goals are issue 16's; where plumb is short of one, the figure it
 * reached is the floor instead (no regression), and the output shows
 * the gap.
 */
typedef struct bar {
	const char *name;
	double min_recall, max_flagged;   /* enforced */
	double goal_recall, goal_flagged; /* issue 16 */
} bar;

static const bar bars[] = {
        /* 12 of 323 flagged (secrets-known.tsv gives each reason): 2 are
         * one Anthropic key that is the other Anthropic row's true
         * positive; 2 are path-limited rules (freemius .php, NuGet's file
         * name) meeting the same text elsewhere; 3 are credential-named
         * keys with high-entropy values that the generic row reports where
         * the vendor's format check rejects them; 3 are a vendor prefix
         * with a repeated or low-entropy body, which plumb reports as the
         * secretlint suite labels that shape; 1 a signed JWT in an
         * Authorization header; 1 an apiKey in minified JavaScript. The
         * Google API keys and NuGet passwords their owners publish are
         * silent (pl_secret_published). */
        {"gitleaks rule cases", 98.0, 5.0, 98.0, 5.0},
        /* 54 of 72. The pattern cases run with their .secretlintrc.json
         * patterns as .plumb.yaml secrets.patterns (write_pattern_config).
         * The 18 misses: the example rules' THIS IS SECRET text (5 cases),
         * no-homedir's configured home folder (2), identifiers (tenant and
         * client UUIDs, an account id: 3), user:pass@example.com (3: a
         * documentation URL whose password is the word pass), stand-ins
         * the issue keeps silent (hf_xxxx..., dckr_pat_Example...,
         * lin_api_...EXAMPLE), a .env file's mere presence, and a bare 0x
         * hex string that a transaction hash shares (secp256k1). */
        {"secretlint cases", 75.0, 8.0, 75.0, 8.0},
        /* 132 of 176, above the 50%; the floor is that figure.
         * Of the 44 misses: dummies the issue counts as placeholders
         * (AP6xxx..., AKCxxx..., SKxxx..., npm_xxx..., username:password@,
         * glimt-my-tokens...), 9 Discord tokens (no literal to prefilter
         * on), 5 public IP addresses, 3 unsigned JWTs and 2 Mailchimp keys
         * without a key naming them (gitleaks counts that shape a false
         * positive) */
        {"detect-secrets labelled lines", 75.0, 8.0, 50.0, 8.0},
};

typedef enum suite { GITLEAKS, SECRETLINT, DETECT, PL_SUITES } suite;

typedef struct kase {
	suite suite;
	char id[192];   /* rule_id tp|fp index, or a folder name */
	char path[512]; /* relative to the temporary folder */
	bool positive;
	bool fired;
	bool contradicted; /* same input as a case of the opposite label */
} kase;

static kase *cases;
static size_t ncases, capcases;
static char root[256];

/* snprintf that refuses to truncate: a cut path is a broken set-up */
static void fmt(char *buf, size_t size, const char *f, ...)
        __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;
	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "secrets_suite: text too long: %.60s...\n",
		        buf);
		exit(2);
	}
}

static void die(const char *what)
{
	fprintf(stderr, "secrets_suite: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void mkdirs(const char *path)
{
	char buf[1024];
	size_t i;
	fmt(buf, sizeof(buf), "%s", path);
	for (i = 1; buf[i]; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			die(buf);
		buf[i] = '/';
	}
}

static kase *add_case(suite s, const char *id, const char *rel,
                      const char *text, size_t len, bool positive)
{
	char full[1024];
	FILE *f;
	kase *k;

	if (ncases == capcases) {
		capcases = capcases ? capcases * 2 : 1024;
		cases = realloc(cases, capcases * sizeof(*cases));
		if (!cases)
			die("realloc");
	}
	k = &cases[ncases++];
	memset(k, 0, sizeof(*k));
	k->suite = s;
	k->positive = positive;
	fmt(k->id, sizeof(k->id), "%s", id);
	fmt(k->path, sizeof(k->path), "%s", rel);
	fmt(full, sizeof(full), "%s/%s", root, rel);
	mkdirs(full);
	f = fopen(full, "wb");
	if (!f)
		die(full);
	if (len && fwrite(text, 1, len, f) != len)
		die(full);
	fclose(f);
	return k;
}

/* --- gitleaks ------------------------------------------------------- */

static void add_gitleaks_list(const char *rule, json_t *list, bool positive)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		char id[192], rel[512];
		const char *text, *name = "case.txt";
		const char *slash;
		fmt(id, sizeof(id), "%s\t%s\t%zu", rule, positive ? "tp" : "fp",
		    i);
		if (json_is_object(v)) {
			text = json_string_value(json_object_get(v, "text"));
			name = json_string_value(json_object_get(v, "path"));
			if (!name || !*name)
				name = "case.txt";
		} else {
			text = json_string_value(v);
		}
		if (!text)
			continue;
		slash = strrchr(name, '/');
		fmt(rel, sizeof(rel), "gitleaks/%s/%s-%zu/%s", rule,
		    positive ? "tp" : "fp", i, slash ? slash + 1 : name);
		add_case(GITLEAKS, id, rel, text, strlen(text), positive);
	}
}

static void load_gitleaks(const char *dir)
{
	char path[1024];
	json_error_t e;
	json_t *doc, *rules, *r;
	size_t i;

	fmt(path, sizeof(path), "%s/gitleaks/rule-cases.json", dir);
	doc = json_load_file(path, 0, &e);
	if (!doc) {
		fprintf(stderr, "secrets_suite: %s: %s\n", path, e.text);
		exit(2);
	}
	rules = json_object_get(doc, "rules");
	json_array_foreach(rules, i, r)
	{
		const char *id =
		        json_string_value(json_object_get(r, "rule_id"));
		add_gitleaks_list(id, json_object_get(r, "true_positives"),
		                  true);
		add_gitleaks_list(id, json_object_get(r, "false_positives"),
		                  false);
	}
	json_decref(doc);
}

/* --- secretlint ----------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	FILE *f;
	char *buf;
	long n;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL; /* a folder of a case is not an input */
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	if (n < 0) {
		fclose(f);
		return NULL;
	}
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void load_secretlint_case(const char *rule, const char *casedir,
                                 const char *name)
{
	char out[1024], rel[1024], id[192];
	DIR *d;
	struct dirent *de;
	json_t *o;
	bool positive;

	fmt(out, sizeof(out), "%s/output.json", casedir);
	o = json_load_file(out, 0, NULL);
	if (!o)
		return;
	positive = json_array_size(json_object_get(o, "messages")) > 0;
	json_decref(o);
	d = opendir(casedir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char in[1024];
		size_t len;
		char *text;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "output.json") ||
		    !strcmp(de->d_name, "options.json") ||
		    !strcmp(de->d_name, ".secretlintrc.json"))
			continue;
		fmt(in, sizeof(in), "%s/%s", casedir, de->d_name);
		text = slurp(in, &len);
		if (!text)
			continue;
		fmt(rel, sizeof(rel), "secretlint/%s/%s/%s", rule, name,
		    de->d_name);
		fmt(id, sizeof(id), "%s/%s", rule, name);
		add_case(SECRETLINT, id, rel, text, len, positive);
		free(text);
	}
	closedir(d);
}

static void load_secretlint(const char *dir)
{
	char base[1024];
	DIR *d, *r;
	struct dirent *de, *ce;

	fmt(base, sizeof(base), "%s/secretlint", dir);
	d = opendir(base);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char rdir[1024];
		if (strncmp(de->d_name, "secretlint-rule-", 16) != 0)
			continue;
		fmt(rdir, sizeof(rdir), "%s/%s", base, de->d_name);
		r = opendir(rdir);
		if (!r)
			continue;
		while ((ce = readdir(r))) {
			char cdir[2048];
			if (ce->d_name[0] == '.')
				continue;
			fmt(cdir, sizeof(cdir), "%s/%s", rdir, ce->d_name);
			load_secretlint_case(de->d_name, cdir, ce->d_name);
		}
		closedir(r);
	}
	closedir(d);
}

/* --- secretlint-rule-pattern's options as .plumb.yaml ---------------- */

/*
 * secretlint runs each pattern case with the patterns its
 * .secretlintrc.json declares; plumb's equivalent is .plumb.yaml
 * secrets.patterns (secrets/pattern). Each case's patterns are written
 * into the one configuration of the run, their paths limited to the
 * case's folder. JavaScript regexes (/body/flags) become PCRE2 with the
 * flags i and s inline; an allow that is no regex is a plain substring,
 * as secretlint reads it; globs lose a leading `**` + '/' (plumb's '*'
 * crosses '/') and a trailing `**` becomes '*'.
 */
static void yaml_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* A JavaScript regex literal as PCRE2; false if s is none. */
static bool js_regex(const char *s, char *out, size_t size)
{
	const char *end = strrchr(s, '/');
	char flags[8] = "";
	size_t o = 0;
	if (s[0] != '/' || !end || end == s)
		return false;
	if (strchr(end, 'i'))
		flags[o++] = 'i';
	if (strchr(end, 's'))
		flags[o++] = 's';
	if (o)
		fmt(out, size, "(?%s)%.*s", flags, (int)(end - s - 1), s + 1);
	else
		fmt(out, size, "%.*s", (int)(end - s - 1), s + 1);
	return true;
}

static void write_allows(FILE *f, json_t *rule_allows, json_t *allows)
{
	json_t *lists[2] = {rule_allows, allows}, *v;
	size_t i, k;
	bool any = false;
	for (k = 0; k < 2; k++)
		json_array_foreach(lists[k], i, v)
		{
			char re[1024], lit[1024];
			const char *a = json_string_value(v);
			if (!a)
				continue;
			if (!any)
				fputs("      allow:\n", f);
			any = true;
			fputs("        - ", f);
			if (!js_regex(a, re, sizeof(re))) {
				fmt(lit, sizeof(lit), "\\Q%s\\E", a);
				yaml_quoted(f, lit);
			} else {
				yaml_quoted(f, re);
			}
			fputc('\n', f);
		}
}

static void write_paths(FILE *f, const char *prefix, json_t *globs)
{
	json_t *v;
	size_t i;
	fputs("      paths:\n", f);
	if (json_array_size(globs) == 0) {
		char all[1024];
		fmt(all, sizeof(all), "%s*", prefix);
		fputs("        - ", f);
		yaml_quoted(f, all);
		fputc('\n', f);
	}
	json_array_foreach(globs, i, v)
	{
		char g[1024], p[1024];
		const char *s = json_string_value(v);
		bool neg;
		size_t n;
		if (!s)
			continue;
		neg = s[0] == '!';
		s += neg;
		if (strncmp(s, "**/", 3) == 0)
			s += 3;
		fmt(g, sizeof(g), "%s", s);
		n = strlen(g);
		if (n >= 2 && strcmp(g + n - 2, "**") == 0)
			g[n - 1] = '\0';
		fmt(p, sizeof(p), "%s%s%s", neg ? "!" : "", prefix, g);
		fputs("        - ", f);
		yaml_quoted(f, p);
		fputc('\n', f);
	}
}

static size_t written; /* patterns written */

static void write_pattern(FILE *f, const char *prefix, json_t *rule_allows,
                          json_t *pat)
{
	json_t *regexes = json_object_get(pat, "patterns"), *v;
	json_t *one = json_object_get(pat, "pattern");
	const char *name = json_string_value(json_object_get(pat, "name"));
	size_t i, n = json_array_size(regexes) + (one != NULL);
	for (i = 0; i < (n ? n : 1); i++) {
		char re[1024];
		v = i < json_array_size(regexes) ? json_array_get(regexes, i)
		                                 : one;
		written++;
		fputs("    - name: ", f);
		yaml_quoted(f, name && *name ? name : "secretlint pattern");
		fputc('\n', f);
		if (v && json_string_value(v)) {
			if (!js_regex(json_string_value(v), re, sizeof(re)))
				fmt(re, sizeof(re), "%s", json_string_value(v));
			fputs("      regex: ", f);
			yaml_quoted(f, re);
			fputc('\n', f);
		}
		write_paths(f, prefix, json_object_get(pat, "filePathGlobs"));
		write_allows(f, rule_allows, json_object_get(pat, "allows"));
	}
}

/* Writes root/.plumb.yaml from the pattern cases under dir. */
static void write_pattern_config(const char *dir)
{
	const char *rule = "secretlint-rule-pattern";
	char base[1024], path[1024];
	DIR *d;
	struct dirent *de;
	FILE *f;

	fmt(path, sizeof(path), "%s/.plumb.yaml", root);
	f = fopen(path, "w");
	if (!f)
		die(path);
	fputs("secrets:\n  patterns:\n", f);
	fmt(base, sizeof(base), "%s/secretlint/%s", dir, rule);
	d = opendir(base);
	while (d && (de = readdir(d))) {
		char rc[2048], prefix[512];
		json_t *o, *rules, *r, *pats, *p;
		size_t i, j;
		if (de->d_name[0] == '.')
			continue;
		fmt(rc, sizeof(rc), "%s/%s/.secretlintrc.json", base,
		    de->d_name);
		o = json_load_file(rc, 0, NULL);
		if (!o)
			continue;
		fmt(prefix, sizeof(prefix), "secretlint/%s/%s/", rule,
		    de->d_name);
		rules = json_object_get(o, "rules");
		json_array_foreach(rules, i, r)
		{
			json_t *opt = json_object_get(r, "options");
			pats = json_object_get(opt, "patterns");
			json_array_foreach(pats, j, p) write_pattern(
			        f, prefix, json_object_get(opt, "allows"), p);
		}
		json_decref(o);
	}
	if (d)
		closedir(d);
	if (!written)
		fputs("    []\n", f); /* no pattern cases: an empty list */
	if (fclose(f) != 0)
		die(path);
}

/* Marks the secretlint cases whose input another case of the opposite
 * label has too. */
static void mark_contradictions(void)
{
	size_t i, j;
	for (i = 0; i < ncases; i++) {
		char pi[1024];
		size_t li;
		char *ti;
		if (cases[i].suite != SECRETLINT)
			continue;
		fmt(pi, sizeof(pi), "%s/%s", root, cases[i].path);
		ti = slurp(pi, &li);
		if (!ti)
			continue;
		for (j = i + 1; j < ncases; j++) {
			char pj[1024];
			size_t lj;
			char *tj;
			if (cases[j].suite != SECRETLINT ||
			    cases[j].positive == cases[i].positive)
				continue;
			fmt(pj, sizeof(pj), "%s/%s", root, cases[j].path);
			tj = slurp(pj, &lj);
			if (tj && lj == li && memcmp(ti, tj, li) == 0)
				cases[i].contradicted = cases[j].contradicted =
				        true;
			free(tj);
		}
		free(ti);
	}
}

/* --- detect-secrets --------------------------------------------------- */

static void load_detect(const char *dir)
{
	char path[1024];
	json_t *doc, *files, *f;
	size_t i, n = 0;

	fmt(path, sizeof(path), "%s/detect-secrets/plugin-cases.json", dir);
	doc = json_load_file(path, 0, NULL);
	if (!doc)
		return;
	files = json_object_get(doc, "files");
	json_array_foreach(files, i, f)
	{
		json_t *ps = json_object_get(f, "parametrize"), *p;
		size_t j;
		json_array_foreach(ps, j, p)
		{
			json_t *cs = json_object_get(p, "cases"), *c;
			size_t k;
			json_array_foreach(cs, k, c)
			{
				json_t *flag =
				        json_object_get(c, "should_flag");
				const char *text = json_string_value(
				        json_object_get(c, "payload"));
				char rel[256], id[192];
				if (!text)
					text = json_string_value(
					        json_object_get(c, "line"));
				if (!text || !json_is_boolean(flag))
					continue;
				fmt(rel, sizeof(rel),
				    "detect-secrets/case-%zu.txt", n);
				fmt(id, sizeof(id), "%s %s #%zu",
				    json_string_value(
				            json_object_get(f, "file")),
				    json_string_value(
				            json_object_get(p, "test")),
				    k);
				add_case(DETECT, id, rel, text, strlen(text),
				         json_is_true(flag));
				n++;
			}
		}
	}
	json_decref(doc);
}

/* --- running plumb and reading its report ---------------------------- */

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const kase *)a)->path, ((const kase *)b)->path);
}

static void run_plumb(const char *plumb)
{
	char cmd[2048], report[512];
	json_t *doc, *list, *fnd;
	size_t i;
	int st;

	fmt(report, sizeof(report), "%s.report.json", root);
	fmt(cmd, sizeof(cmd),
	    "cd '%s' && '%s' check --format json -o '%s' . 2>/dev/null", root,
	    plumb, report);
	st = system(cmd);
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
		fprintf(stderr, "secrets_suite: plumb exited %d\n",
		        WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		exit(1);
	}
	doc = json_load_file(report, 0, NULL);
	if (!doc) {
		fprintf(stderr, "secrets_suite: cannot read the report\n");
		exit(1);
	}
	unlink(report);
	qsort(cases, ncases, sizeof(*cases), cmp_path);
	list = json_object_get(doc, "findings");
	json_array_foreach(list, i, fnd)
	{
		const char *rule =
		        json_string_value(json_object_get(fnd, "rule"));
		kase key, *k;
		if (!rule || strncmp(rule, "secrets/", 8) != 0)
			continue;
		fmt(key.path, sizeof(key.path), "%s",
		    json_string_value(json_object_get(fnd, "path")));
		k = bsearch(&key, cases, ncases, sizeof(*cases), cmp_path);
		if (k)
			k->fired = true;
	}
	json_decref(doc);
}

int main(int argc, char **argv)
{
	size_t i;
	bool failed = false;
	size_t stp[PL_SUITES] = {0}, stpf[PL_SUITES] = {0};
	size_t sfp[PL_SUITES] = {0}, sfpf[PL_SUITES] = {0};
	int contradicted = 0, bad;
	known_list known;
	double recall, fprate;
	char cmd[512];
	bool verbose = getenv("SECRETS_SUITE_VERBOSE") != NULL;

	if (argc != 4) {
		fprintf(stderr, "usage: secrets_suite PLUMB SUITE_DIR "
		                "KNOWN_TSV\n");
		return 2;
	}
	fmt(root, sizeof(root), "/tmp/plumb-secrets-%ld/cases", (long)getpid());
	/* rule_id, tp|fp, index name a case; the reason follows */
	known_load(&known, argv[3], 4, 3);
	load_gitleaks(argv[2]);
	load_secretlint(argv[2]);
	load_detect(argv[2]);
	mark_contradictions();
	write_pattern_config(argv[2]);
	run_plumb(argv[1]);

	for (i = 0; i < ncases; i++) {
		kase *k = &cases[i];
		bool miss = k->positive != k->fired;
		if (k->contradicted) {
			contradicted++;
			continue;
		}
		if (k->positive) {
			stp[k->suite]++;
			stpf[k->suite] += k->fired;
		} else {
			sfp[k->suite]++;
			sfpf[k->suite] += k->fired;
		}
		if (k->suite != GITLEAKS) {
			if (miss && verbose)
				printf("  %s %s %s\n",
				       k->suite == SECRETLINT
				               ? "secretlint"
				               : "detect-secrets",
				       k->positive ? "missed" : "flagged",
				       k->id);
			continue;
		}
		switch (known_outcome(&known, k->id, NULL, !miss, k->id,
		                      NULL)) {
		case KNOWN_BUG:
			printf("  UNLISTED %s %s\n",
			       k->positive ? "missed" : "flagged", k->id);
			break;
		default:
			break;
		}
	}
	bad = known_finish(&known);
	fmt(cmd, sizeof(cmd), "rm -rf '/tmp/plumb-secrets-%ld'",
	    (long)getpid());
	if (verbose)
		printf("cases kept in %s\n", root);
	else if (system(cmd) != 0)
		fprintf(stderr, "secrets_suite: could not remove %s\n", root);

	printf("gitleaks: %d listed known misses, %d unlisted, %d stale\n",
	       known.listed, known.bugs, known.stale);
	printf("secretlint: %d case files left out (the same input labelled "
	       "both ways)\n",
	       contradicted);
	for (i = 0; i < PL_SUITES; i++) {
		const bar *b = &bars[i];
		recall = stp[i] ? 100.0 * (double)stpf[i] / (double)stp[i] : 0;
		fprate = sfp[i] ? 100.0 * (double)sfpf[i] / (double)sfp[i] : 0;
		printf("%s: recall %zu/%zu (%.1f%%, required %.1f%%, goal "
		       "%.0f%%), negatives flagged %zu/%zu (%.1f%%, allowed "
		       "%.1f%%, goal %.0f%%)\n",
		       b->name, stpf[i], stp[i], recall, b->min_recall,
		       b->goal_recall, sfpf[i], sfp[i], fprate, b->max_flagged,
		       b->goal_flagged);
		if (recall < b->min_recall || fprate > b->max_flagged) {
			printf("  FAIL %s below its bar\n", b->name);
			failed = true;
		}
	}
	known_free(&known);
	if (failed || bad)
		return 1;
	return 0;
}
