/*
 * yaml_suite.c - runs `plumb dump` over every case of the official
 * yaml-test-suite (../shared/testsuites/yaml-test-suite) and compares.
 *
 *   valid case with in.json   dump must exit 0 and print the same JSON
 *                             values (numbers compared by value)
 *   valid case without it     dump must exit 0
 *   error case                dump must exit 1 (a YAML error)
 *
 * A miss is allowed only when tests/suites/yaml-deviations.tsv lists the
 * case, with the reason (a known libyaml deviation). An unlisted miss is a
 * bug of ours; a listed case that now passes is a stale entry. Both fail
 * the run, as does a match rate under the required 84% of the valid cases
 * with in.json. The figures are printed either way.
 *
 * usage: yaml_suite PLUMB SUITE_DIR DEVIATIONS_FILE
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <jansson.h>

#include "known.h"

#define REQUIRED_PERCENT 84.0

static known_list devs;

/* snprintf that refuses to truncate: paths here are short, so a cut one
 * is a broken set-up, not something to carry on with */
#define FMT(buf, ...)                                                          \
	do {                                                                   \
		int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__);              \
		if (n_ < 0 || (size_t)n_ >= sizeof(buf)) {                     \
			fprintf(stderr, "yaml_suite: path too long\n");        \
			exit(2);                                               \
		}                                                              \
	} while (0)

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* JSON equality where 1 and 1.0 are the same number. */
static bool same(json_t *a, json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b) ||
		       (isnan(json_number_value(a)) &&
		        isnan(json_number_value(b)));
	if (json_typeof(a) != json_typeof(b))
		return false;
	if (json_is_array(a)) {
		size_t i;
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!same(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	}
	if (json_is_object(a)) {
		const char *k;
		json_t *v;
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach(a, k, v)
		{
			json_t *w = json_object_get(b, k);
			if (!w || !same(v, w))
				return false;
		}
		return true;
	}
	return json_equal(a, b);
}

/* Parses a stream of JSON values (in.json). */
static size_t parse_stream(const char *s, size_t len, json_t **out, size_t max)
{
	size_t n = 0, off = 0;
	while (off < len && n < max) {
		json_error_t e;
		json_t *v;
		while (off < len && strchr(" \t\r\n", s[off]))
			off++;
		if (off >= len)
			break;
		v = json_loadb(s + off, len - off,
		               JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK |
		                       JSON_ALLOW_NUL,
		               &e);
		if (!v)
			return (size_t)-1;
		out[n++] = v;
		off += (size_t)e.position;
	}
	return n;
}

/* Runs plumb dump; returns its exit status, output in *out. */
static int dump(const char *plumb, const char *file, char **out, size_t *len)
{
	char cmd[8300];
	FILE *p;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int status;

	FMT(cmd, "'%s' dump '%s' 2>/dev/null", plumb, file);
	p = popen(cmd, "r");
	if (!p) {
		perror("popen");
		exit(2);
	}
	for (;;) {
		size_t r;
		if (n + 1024 > cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		r = fread(buf + n, 1, cap - n - 1, p);
		if (r == 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	status = pclose(p);
	*out = buf;
	*len = n;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

typedef struct stats {
	int json_cases, json_match;
	int plain_cases, plain_ok;
	int error_cases, error_rejected;
} stats;

static void miss(const char *id, const char *what)
{
	known_entry *d;
	if (known_outcome(&devs, id, NULL, false, id, &d) == KNOWN_LISTED)
		printf("  deviation %-8s %s: %s [%s]\n", id, what, d->field[2],
		       d->field[1]);
	else
		printf("  BUG       %-8s %s (not a listed libyaml deviation)\n",
		       id, what);
}

static void pass(const char *id)
{
	known_outcome(&devs, id, NULL, true, id, NULL);
}

static void run_case(stats *st, const char *plumb, const char *dir,
                     const char *id)
{
	char in[4096], js[4096], er[4096];
	char *out = NULL, *want = NULL;
	size_t outlen = 0, wantlen = 0;
	int rc;

	FMT(in, "%s/in.yaml", dir);
	FMT(js, "%s/in.json", dir);
	FMT(er, "%s/error", dir);
	if (!exists(in))
		return;
	rc = dump(plumb, in, &out, &outlen);
	if (rc > 1) {
		devs.bugs++; /* a crash is never a listed deviation */
		printf("  BUG       %-8s plumb dump exited %d (crash?)\n", id,
		       rc);
		free(out);
		return;
	}
	if (exists(er)) {
		st->error_cases++;
		if (rc == 1) {
			st->error_rejected++;
			pass(id);
		} else {
			miss(id, "error case accepted");
		}
		free(out);
		return;
	}
	if (!exists(js)) {
		st->plain_cases++;
		if (rc == 0) {
			st->plain_ok++;
			pass(id);
		} else {
			miss(id, "valid case rejected");
		}
		free(out);
		return;
	}
	st->json_cases++;
	if (rc != 0) {
		miss(id, "valid case rejected");
		free(out);
		return;
	}
	want = read_all(js, &wantlen);
	{
		json_t *a[64], *b[64];
		size_t na = parse_stream(want, wantlen, a, 64);
		size_t nb = parse_stream(out, outlen, b, 64);
		bool ok = na != (size_t)-1 && nb != (size_t)-1 && na == nb;
		size_t i;
		for (i = 0; ok && i < na; i++)
			ok = same(a[i], b[i]);
		if (ok) {
			st->json_match++;
			pass(id);
		} else {
			miss(id, "JSON differs from in.json");
		}
		if (na != (size_t)-1)
			for (i = 0; i < na; i++)
				json_decref(a[i]);
		if (nb != (size_t)-1)
			for (i = 0; i < nb; i++)
				json_decref(b[i]);
	}
	free(want);
	free(out);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_dir(const char *path, char **names, size_t max)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.')
			continue;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_str);
	return n;
}

int main(int argc, char **argv)
{
	static char *ids[1024], *subs[64];
	stats st;
	size_t n, i, j;
	double pct;
	int failed;

	if (argc != 4) {
		fprintf(stderr, "usage: yaml_suite PLUMB SUITE_DIR "
		                "DEVIATIONS\n");
		return 2;
	}
	memset(&st, 0, sizeof(st));
	known_load(&devs, argv[3], 3, 1);
	n = list_dir(argv[2], ids, 1024);
	if (n == 0) {
		fprintf(stderr, "yaml_suite: no cases in %s\n", argv[2]);
		return 2;
	}
	for (i = 0; i < n; i++) {
		char dir[4096], in[4096];
		FMT(dir, "%s/%s", argv[2], ids[i]);
		FMT(in, "%s/in.yaml", dir);
		if (exists(in)) {
			run_case(&st, argv[1], dir, ids[i]);
		} else {
			size_t ns = list_dir(dir, subs, 64);
			for (j = 0; j < ns; j++) {
				char sub[4096], id[64];
				FMT(sub, "%s/%s", dir, subs[j]);
				FMT(id, "%s/%s", ids[i], subs[j]);
				run_case(&st, argv[1], sub, id);
				free(subs[j]);
			}
		}
		free(ids[i]);
	}
	failed = known_finish(&devs);
	pct = st.json_cases ? 100.0 * st.json_match / st.json_cases : 0;
	printf("yaml-test-suite: %d/%d valid cases match in.json (%.1f%%, "
	       "required %.0f%%)\n",
	       st.json_match, st.json_cases, pct, REQUIRED_PERCENT);
	printf("yaml-test-suite: %d/%d valid cases without in.json parse\n",
	       st.plain_ok, st.plain_cases);
	printf("yaml-test-suite: %d/%d error cases rejected\n",
	       st.error_rejected, st.error_cases);
	printf("yaml-test-suite: %d listed libyaml deviations, %d bugs, %d "
	       "stale entries\n",
	       devs.listed, devs.bugs, devs.stale);
	known_free(&devs);
	if (failed || pct < REQUIRED_PERCENT)
		return 1;
	return 0;
}
