/*
 * opt.c - the option table parser.
 */
#include "cli/opt.h"
#include "base/quote.h"
#include "base/xalloc.h"
#include "base/similar.h"

static const pl_opt *find_long(const pl_opt *opts, size_t n, const char *name,
                               size_t len)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

/* The long option closest to name[0..len), for did-you-mean. */
static const char *suggest(const pl_opt *opts, size_t n, const char *name,
                           size_t len)
{
	const char *names[64], *best;
	char *want;
	size_t i, k = 0;

	for (i = 0; i < n && k < 63; i++)
		names[k++] = opts[i].name;
	names[k++] = "help";
	want = pl_xstrndup(name, len);
	best = pl_similar_best(want, names, k, len > 4 ? 3 : 2);
	free(want);
	return best;
}

static const pl_opt *find_short(const pl_opt *opts, size_t n, char c)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (opts[i].short_name && opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

static int set_value(const pl_opt *o, const char *value, pl_error *err)
{
	char *end;
	unsigned long v;

	if (o->later)
		return pl_error_set(err, PL_EUSAGE, NULL, NULL,
		                    "--%s is not yet supported", o->name);
	switch (o->type) {
	case PL_OPT_BOOL:
		*(bool *)o->target = true;
		return 0;
	case PL_OPT_STRING:
		*(const char **)o->target = value;
		return 0;
	case PL_OPT_UINT:
		errno = 0;
		v = strtoul(value, &end, 10);
		if (errno || end == value || *end || v > 4096 ||
		    value[0] == '-') {
			char q[PL_ECHO_MAX * 4 + 16];
			return pl_error_set(err, PL_EUSAGE, NULL, NULL,
			                    "--%s expects a number from 0 to "
			                    "4096, not '%s'",
			                    o->name,
			                    pl_echo(q, sizeof(q), value));
		}
		*(unsigned *)o->target = (unsigned)v;
		return 0;
	case PL_OPT_LIST: {
		pl_opt_list *l = o->target;
		l->items =
		        pl_xrealloc(l->items, (l->len + 1) * sizeof(*l->items));
		l->items[l->len].name = o->name;
		l->items[l->len].value = value;
		l->len++;
		return 0;
	}
	}
	return 0;
}

int pl_opt_parse(const pl_opt *opts, size_t nopts, int argc, char **argv,
                 const char ***args, size_t *nargs, bool *help, pl_error *err)
{
	const char **out = pl_xcalloc((size_t)argc + 1, sizeof(*out));
	size_t n = 0;
	bool only_args = false;
	int i, rc = 0;

	*help = false;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const pl_opt *o;
		const char *value = NULL;

		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			out[n++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			*help = true;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			o = find_long(opts, nopts, a + 2, len);
			if (!o) {
				char q[PL_ECHO_MAX * 4 + 16];
				const char *s =
				        suggest(opts, nopts, a + 2, len);
				pl_quote(q, sizeof(q), a, len + 2, PL_ECHO_MAX);
				if (s)
					rc = pl_error_set(
					        err, PL_EUSAGE, NULL, NULL,
					        "unknown option '%s' (did you "
					        "mean '--%s'?)",
					        q, s);
				else
					rc = pl_error_set(
					        err, PL_EUSAGE, NULL, NULL,
					        "unknown option '%s'", q);
				goto done;
			}
			if (o->type == PL_OPT_BOOL) {
				if (eq) {
					rc = pl_error_set(
					        err, PL_EUSAGE, NULL, NULL,
					        "option '--%s' takes no value",
					        o->name);
					goto done;
				}
			} else if (eq) {
				value = eq + 1;
			} else if (i + 1 < argc) {
				value = argv[++i];
			} else {
				rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
				                  "option '--%s' requires a "
				                  "value",
				                  o->name);
				goto done;
			}
		} else {
			o = find_short(opts, nopts, a[1]);
			if (!o) {
				rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
				                  "unknown option '-%c'", a[1]);
				goto done;
			}
			if (o->type != PL_OPT_BOOL) {
				if (a[2])
					value = a + 2;
				else if (i + 1 < argc)
					value = argv[++i];
				else {
					rc = pl_error_set(
					        err, PL_EUSAGE, NULL, NULL,
					        "option '-%c' requires a value",
					        a[1]);
					goto done;
				}
			} else if (a[2]) {
				char q[PL_ECHO_MAX * 4 + 16];
				rc = pl_error_set(err, PL_EUSAGE, NULL, NULL,
				                  "unknown option '%s'",
				                  pl_echo(q, sizeof(q), a));
				goto done;
			}
		}
		rc = set_value(o, value, err);
		if (rc)
			goto done;
	}
done:
	if (rc) {
		free(out);
		*args = NULL;
		*nargs = 0;
		return rc;
	}
	out[n] = NULL;
	*args = out;
	*nargs = n;
	return 0;
}

void pl_opt_usage(FILE *out, const char *usage, const char *summary,
                  const pl_opt *opts, size_t nopts)
{
	size_t i;
	fprintf(out, "usage: %s\n\n%s\n", usage, summary);
	if (nopts)
		fprintf(out, "\noptions:\n");
	for (i = 0; i < nopts; i++) {
		char left[64];
		const pl_opt *o = &opts[i];
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			         o->short_name, o->name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-28s %s%s\n", left, o->help,
		        o->later ? " (not yet supported)" : "");
	}
	fprintf(out, "  %-28s %s\n", "-h, --help", "show this help");
}
