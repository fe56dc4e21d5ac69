/*
 * cmd_semver.c - `plumb semver RANGE VERSION...`: does each VERSION
 * satisfy RANGE, decided as Flux's ImagePolicy decides (lib/semver.h).
 *
 * One line per VERSION on stdout (`1.2.3 satisfies '^1.0'`). An invalid
 * RANGE or VERSION is reported on stderr as `plumb: range:1:COL: message`
 * (or `version:1:COL`), then the argument with a caret under the token.
 * Exit 0 when every VERSION satisfies RANGE, 1 when one does not, 2 when
 * RANGE or a VERSION is invalid (the valid versions are still answered).
 */
#include "cli/cmd.h"
#include "cli/opt.h"
#include "lib/semver.h"

/* Arguments longer than this are not echoed under an error. */
#define ECHO_MAX 200

/* Where an underlined token ends: a range's tokens end at white space,
 * ',' or '|'; a version's parts also at '.', '-' and '+'. */
static bool is_break(char c, bool version)
{
	if (version && (c == '.' || c == '-' || c == '+'))
		return true;
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == ',' || c == '|';
}

/*
 * `plumb: what:1:COL: message`, then the argument and `^~~` under the
 * token at the error's offset; control bytes are echoed as spaces so the
 * caret stays aligned.
 */
static void show_error(const char *what, const char *arg, const pl_error *err)
{
	bool version = strcmp(what, "version") == 0;
	size_t len = strlen(arg), i, off = err->pos.offset, end;
	uint32_t col;

	fprintf(stderr, "plumb: %s:%u:%u: %s\n", what, err->pos.line,
	        err->pos.col, err->msg);
	if (len > ECHO_MAX || off > len)
		return;
	fputs("  ", stderr);
	for (i = 0; i < len; i++)
		fputc((unsigned char)arg[i] < 0x20 ? ' ' : arg[i], stderr);
	fputs("\n  ", stderr);
	for (col = 1; col < err->pos.col; col++)
		fputc(' ', stderr);
	fputc('^', stderr);
	for (end = off + 1; end < len && !is_break(arg[end], version); end++)
		if (((unsigned char)arg[end] & 0xC0) != 0x80)
			fputc('~', stderr);
	fputc('\n', stderr);
}

int pl_cmd_semver(int argc, char **argv)
{
	bool quiet = false, help = false, invalid = false, unmet = false;
	const pl_opt opts[] = {
	        {"quiet", 'q', PL_OPT_BOOL, NULL,
	         "print nothing on standard output; the exit code answers",
	         &quiet, false},
	};
	const char **args = NULL;
	size_t nargs = 0, i;
	pl_semver_range *range = NULL;
	pl_error err;
	int rc;

	pl_error_clear(&err);
	rc = pl_opt_parse(opts, PL_ARRAY_SIZE(opts), argc, argv, &args, &nargs,
	                  &help, &err);
	if (rc)
		return pl_cmd_fail(&err);
	if (help) {
		pl_opt_usage(
		        stdout, "plumb semver [options] RANGE VERSION...",
		        "Tell whether each VERSION satisfies RANGE as Flux's "
		        "ImagePolicy decides\n(spec.policy.semver.range).\n\n"
		        "RANGE is Masterminds/semver v3 syntax: '>=1.2 <2', "
		        "'^1.2', '~1.2.3', '1.x', '1.2 - 1.4.5',\n"
		        "'!=1.3.0'; a space or ',' means AND, '||' means OR. "
		        "Each VERSION is read as Flux reads\n"
		        "an image tag: one leading 'v', then strict "
		        "MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]\n"
		        "('1.2' and 'latest' are not versions). A prerelease "
		        "satisfies only an alternative\n"
		        "of RANGE that names a prerelease ('>=1.2.0-0').\n\n"
		        "Exit 0 if every VERSION satisfies RANGE, 1 if one does "
		        "not, 2 if RANGE or a VERSION\n"
		        "is invalid (reported as 'plumb: range:1:COL: message' "
		        "or 'plumb: version:1:COL: ...').",
		        opts, PL_ARRAY_SIZE(opts));
		free(args);
		return 0;
	}
	if (nargs < 2) {
		free(args);
		fprintf(stderr, "plumb: semver takes a RANGE and at least one "
		                "VERSION; see 'plumb semver --help'\n");
		return 2;
	}
	if (pl_semver_range_new(&range, args[0], strlen(args[0]), &err) != 0) {
		show_error("range", args[0], &err);
		free(args);
		return 2;
	}
	for (i = 1; i < nargs; i++) {
		const char *s = args[i];
		pl_semver v;
		pl_error_clear(&err);
		if (pl_semver_tag(&v, s, strlen(s), &err) != 0) {
			show_error("version", s, &err);
			invalid = true;
			continue;
		}
		if (pl_semver_range_match(range, &v)) {
			if (!quiet)
				printf("%s satisfies '%s'\n", s, args[0]);
			continue;
		}
		unmet = true;
		if (quiet)
			continue;
		if (v.pre_len &&
		    pl_semver_range_match_opt(range, &v,
		                              PL_SEMVER_INCLUDE_PRERELEASE))
			printf("%s does not satisfy '%s': a prerelease "
			       "satisfies only an alternative that names a "
			       "prerelease\n",
			       s, args[0]);
		else
			printf("%s does not satisfy '%s'\n", s, args[0]);
	}
	pl_semver_range_free(range);
	free(args);
	return invalid ? 2 : unmet ? 1 : 0;
}
