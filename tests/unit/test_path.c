/*
 * test_path.c - resolving repository-relative paths (base/path.h).
 */
#include "testlib.h"
#include "base/path.h"

static void test_path__join_resolves_dots_and_refuses_escapes(void **state)
{
	static const struct {
		const char *dir, *rel, *want; /* want NULL: refused */
	} cases[] = {
	        {"", "apps", "apps"},
	        {"", "./apps/", "apps"},
	        {"", "./", ""},
	        {"", ".", ""},
	        {"clusters/prod/", "../../base//app.yaml", "base/app.yaml"},
	        {"a/b/", "./c/./d/..", "a/b/c"},
	        {"a/", "../..", NULL},
	        {"", "../outside.yaml", NULL},
	        {"a/", "/etc/passwd", NULL},
	        {"", "apps/../infrastructure/", "infrastructure"},
	};
	size_t i;
	bool ok = true;
	pl_buf b;
	(void)state;
	pl_buf_init(&b, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = pl_path_join(&b, cases[i].dir, cases[i].rel);
		const char *s = b.ptr ? b.ptr : "";
		if (got != (cases[i].want != NULL) ||
		    (got && strcmp(s, cases[i].want) != 0)) {
			print_error("'%s' + '%s': %s '%s', want %s\n",
			            cases[i].dir, cases[i].rel,
			            got ? "got" : "refused", got ? s : "",
			            cases[i].want ? cases[i].want : "refused");
			ok = false;
		}
	}
	pl_buf_release(&b);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(
	                test_path__join_resolves_dots_and_refuses_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
