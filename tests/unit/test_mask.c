/*
 * test_mask.c - masking flagged values in any text (finding/mask.h).
 */
#include "testlib.h"
#include "finding/mask.h"

static void add(pl_masks *m, const char *s)
{
	pl_masks_add(m, s, strlen(s));
}

static void test_mask__value_keeps_a_head_only_when_long(void **state)
{
	char out[32];
	(void)state;
	pl_mask_value(out, sizeof(out), "ghp_abcdefghijklmnop", 20);
	assert_string_equal(out, "ghp_***");
	pl_mask_value(out, sizeof(out), "abc", 3);
	assert_string_equal(out, "***");
	pl_mask_value(out, sizeof(out), "fifteen-chars-x", 15);
	assert_string_equal(out, "***");
}

static void test_mask__every_copy_in_any_text_is_masked(void **state)
{
	static const struct {
		const char *in, *want; /* want NULL: unchanged */
	} cases[] = {
	        {"got string \"ghp_abcdefghijklmnop1234\"",
	         "got string \"ghp_***\""},
	        {"a ghp_abcdefghijklmnop1234 b ghp_abcdefghijklmnop1234",
	         "a ghp_*** b ghp_***"},
	        /* a quoted copy cut short is still the value */
	        {"value 'ghp_abcdefghijklmn...'", "value 'ghp_***...'"},
	        {"quote it: \"yes\"", "quote it: \"***\""},
	        /* a short value only as a whole word */
	        {"eyes and yesterday", NULL},
	        {"pw=hunter2!", "pw=***!"},
	        {"no secret here", NULL},
	        /* a short value is masked as a value, not inside names */
	        {"'grafana-admin9-secret' is set", NULL},
	        {"host admin9.example.org, admin9_user", NULL},
	        {"password: admin9.", "password: ***."},
	        {"-p admin9 --user=admin9", "-p *** --user=***"},
	        {"db-admin9: x", NULL},
	        /* a line of a multi-line value */
	        {"MIIEowIBAAKCAQEAx", "MIIE***"},
	};
	pl_masks m;
	size_t i;
	bool ok = true;
	(void)state;
	pl_masks_init(&m);
	add(&m, "ghp_abcdefghijklmnop1234");
	add(&m, "yes");
	add(&m, "hunter2");
	add(&m, "admin9");
	add(&m, "-----BEGIN RSA PRIVATE KEY-----\n  MIIEowIBAAKCAQEAx\n  ab\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = pl_masks_apply(&m, cases[i].in);
		if ((got == NULL) != (cases[i].want == NULL) ||
		    (got && strcmp(got, cases[i].want) != 0)) {
			print_error("'%s': got '%s', want '%s'\n", cases[i].in,
			            got ? got : "(unchanged)",
			            cases[i].want ? cases[i].want
			                          : "(unchanged)");
			ok = false;
		}
		free(got);
	}
	pl_masks_release(&m);
	assert_true(ok);
}

static void test_mask__hidden_marks_bytes_past_the_head(void **state)
{
	const char *line = "  token: ghp_abcdefghijklmnop1234 # ok";
	size_t len = strlen(line), i;
	bool hidden[64];
	pl_masks m;
	char shown[64];
	(void)state;
	memset(hidden, 0, sizeof(hidden));
	pl_masks_init(&m);
	add(&m, "ghp_abcdefghijklmnop1234");
	pl_masks_hidden(&m, line, len, hidden);
	for (i = 0; i < len; i++)
		shown[i] = hidden[i] ? '*' : line[i];
	shown[len] = '\0';
	assert_string_equal(shown, "  token: ghp_******************** # ok");
	pl_masks_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_mask__value_keeps_a_head_only_when_long),
	        cmocka_unit_test(test_mask__every_copy_in_any_text_is_masked),
	        cmocka_unit_test(test_mask__hidden_marks_bytes_past_the_head),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
