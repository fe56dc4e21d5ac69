/*
 * test_emit.c - fixes and related places as rules attach them (rule/rule.h
 * pl_emit_fix and pl_emit_related, finding/finding.h pl_edit and
 * pl_related): where they go, what is refused, what keeps them.
 */
#include "testlib.h"
#include "model/model.h"
#include "rule/ctx.h"
#include "rule/eval.h"
#include "rule/registry.h"

static void check_none(pl_ctx *ctx, const pl_object *o)
{
	(void)ctx;
	(void)o;
}

static const pl_rule yaml_rule = {
        .id = "yaml/test",
        .severity = PL_SEV_ERROR,
        .scope = PL_SCOPE_OBJECT,
        .check_object = check_none,
};

static const pl_rule secret_rule = {
        .id = "secrets/test",
        .severity = PL_SEV_ERROR,
        .secret = true,
        .scope = PL_SCOPE_OBJECT,
        .check_object = check_none,
};

typedef struct fixture {
	pl_file file;
	pl_findings out;
	pl_ctx ctx;
} fixture;

static const char text[] = "a: 1\nb: yes\n";

static void setup(fixture *f, const pl_rule *rule, pl_severity sev)
{
	pl_file_init(&f->file);
	tl_source(&f->file.src, text, sizeof(text) - 1);
	pl_findings_init(&f->out);
	pl_ctx_init(&f->ctx, &f->out, 100);
	pl_ctx_set_file(&f->ctx, &f->file);
	pl_ctx_set_rule(&f->ctx, rule, sev, NULL, NULL);
}

static void teardown(fixture *f)
{
	pl_ctx_release(&f->ctx);
	pl_findings_release(&f->out);
	pl_file_release(&f->file);
}

/* the span of text[from..to) on line 2 ("b: yes") */
static pl_span at(size_t from, size_t to)
{
	pl_span s;
	memset(&s, 0, sizeof(s));
	s.start.line = s.end.line = 2;
	s.start.col = (uint32_t)(from - 5 + 1);
	s.end.col = (uint32_t)(to - 5 + 1);
	s.start.offset = from;
	s.end.offset = to;
	return s;
}

static void test_emit__fix_goes_to_the_last_finding(void **state)
{
	fixture f;
	const pl_finding *x;
	(void)state;
	setup(&f, &yaml_rule, PL_SEV_ERROR);
	pl_emit_span(&f.ctx, at(8, 11), "quote it");
	assert_true(pl_emit_fix(&f.ctx, at(8, 11), "\"yes\""));
	x = pl_findings_at(&f.out, 0);
	assert_int_equal(x->nedits, 1);
	assert_int_equal(x->edits[0].offset, 8);
	assert_int_equal(x->edits[0].len, 3);
	assert_string_equal(x->edits[0].text, "\"yes\"");
	assert_true(tl_pos_is("start", &x->edits[0].start, 2, 4, 8));
	assert_true(tl_pos_is("end", &x->edits[0].end, 2, 7, 11));
	/* a second, separate edit of the same finding is kept in order */
	assert_true(pl_emit_fix(&f.ctx, at(5, 6), "c"));
	assert_int_equal(x->nedits, 2);
	assert_int_equal(x->edits[0].offset, 5);
	teardown(&f); /* frees the edits: make san would see a leak */
}

static void test_emit__overlapping_or_outside_edits_are_refused(void **state)
{
	fixture f;
	pl_span past = at(8, 11);
	(void)state;
	setup(&f, &yaml_rule, PL_SEV_ERROR);
	pl_emit_span(&f.ctx, at(8, 11), "quote it");
	assert_true(pl_emit_fix(&f.ctx, at(8, 11), "'yes'"));
	assert_false(pl_emit_fix(&f.ctx, at(10, 12), "x"));
	assert_false(pl_emit_fix(&f.ctx, at(8, 8), "x")); /* same start */
	past.start.offset = sizeof(text);
	past.end.offset = sizeof(text) + 2;
	assert_false(pl_emit_fix(&f.ctx, past, "x"));
	assert_int_equal(pl_findings_at(&f.out, 0)->nedits, 1);
	teardown(&f);
}

static void test_emit__secrets_never_carry_a_fix(void **state)
{
	fixture f;
	(void)state;
	setup(&f, &secret_rule, PL_SEV_ERROR);
	pl_emit_secret(&f.ctx, at(8, 11), "yes", 3, NULL, "a secret");
	assert_false(pl_emit_fix(&f.ctx, at(8, 11), "\"yes\""));
	/* not through the plain emit either: the descriptor decides */
	pl_emit_span(&f.ctx, at(8, 11), "a secret");
	assert_false(pl_emit_fix(&f.ctx, at(8, 11), "\"yes\""));
	assert_int_equal(pl_findings_len(&f.out), 2);
	assert_int_equal(pl_findings_at(&f.out, 0)->nedits, 0);
	assert_int_equal(pl_findings_at(&f.out, 1)->nedits, 0);
	teardown(&f);
}

static void test_emit__no_finding_no_fix(void **state)
{
	fixture f;
	(void)state;
	setup(&f, &yaml_rule, PL_SEV_OFF);
	pl_emit_span(&f.ctx, at(8, 11), "off");
	assert_false(pl_emit_fix(&f.ctx, at(8, 11), "\"yes\""));
	assert_int_equal(pl_findings_len(&f.out), 0);
	/* nor right after another rule or file was set */
	pl_ctx_set_rule(&f.ctx, &yaml_rule, PL_SEV_ERROR, NULL, NULL);
	pl_emit_span(&f.ctx, at(8, 11), "on");
	pl_ctx_set_file(&f.ctx, &f.file);
	assert_false(pl_emit_fix(&f.ctx, at(8, 11), "\"yes\""));
	teardown(&f);
}

/* a node of the file at text[from..to) on line 2 */
static pl_node node_at(size_t from, size_t to)
{
	pl_node n;
	memset(&n, 0, sizeof(n));
	n.span = at(from, to);
	return n;
}

static void test_emit__related_goes_to_the_last_finding(void **state)
{
	fixture f;
	pl_node b = node_at(5, 6), v = node_at(8, 11);
	const pl_finding *x;
	(void)state;
	setup(&f, &yaml_rule, PL_SEV_ERROR);
	pl_emit_span(&f.ctx, at(8, 11), "first");
	pl_emit_span(&f.ctx, at(8, 11), "second");
	assert_true(pl_emit_related(&f.ctx, &f.file, &b, "key %s", "b"));
	assert_true(pl_emit_related(&f.ctx, NULL, &v, "its value"));
	/* the same place twice is one place, with the last words */
	assert_true(pl_emit_related(&f.ctx, &f.file, &b, "key %s again", "b"));
	assert_false(pl_emit_related(&f.ctx, &f.file, NULL, "no node"));
	assert_int_equal(pl_findings_at(&f.out, 0)->nrelated, 0);
	x = pl_findings_at(&f.out, 1);
	assert_int_equal(x->nrelated, 2);
	assert_ptr_equal(x->related[0].src, &f.file.src);
	assert_string_equal(x->related[0].message, "key b again");
	assert_true(tl_pos_is("start", &x->related[0].span.start, 2, 1, 5));
	assert_string_equal(x->related[1].message, "its value");
	teardown(&f); /* frees them: make san would see a leak */
}

static void test_emit__secrets_and_silence_carry_no_related(void **state)
{
	fixture f;
	pl_node b = node_at(5, 6);
	(void)state;
	setup(&f, &secret_rule, PL_SEV_ERROR);
	pl_emit_secret(&f.ctx, at(8, 11), "yes", 3, NULL, "a secret");
	assert_false(pl_emit_related(&f.ctx, &f.file, &b, "where"));
	pl_emit_span(&f.ctx, at(8, 11), "a secret");
	assert_false(pl_emit_related(&f.ctx, &f.file, &b, "where"));
	teardown(&f);
	setup(&f, &yaml_rule, PL_SEV_OFF);
	pl_emit_span(&f.ctx, at(8, 11), "off");
	assert_false(pl_emit_related(&f.ctx, &f.file, &b, "where"));
	assert_int_equal(pl_findings_len(&f.out), 0);
	teardown(&f);
}

/* Two builds report one finding, each naming another place: dedupe keeps
 * one finding with both places, and its `stable` hash is the one it had
 * without them (baselines stay valid). */
static void test_emit__related_survive_dedupe_not_fingerprint(void **state)
{
	fixture f, plain;
	pl_node b = node_at(5, 6), v = node_at(8, 11);
	const pl_finding *x;
	(void)state;
	setup(&f, &yaml_rule, PL_SEV_ERROR);
	pl_emit_span(&f.ctx, at(8, 11), "same");
	pl_emit_related(&f.ctx, &f.file, &v, "from the second build");
	pl_emit_span(&f.ctx, at(8, 11), "same");
	pl_emit_related(&f.ctx, &f.file, &b, "from the first build");
	pl_findings_sort(&f.out);
	pl_findings_dedupe(&f.out);
	pl_findings_redact(&f.out);
	pl_findings_fingerprint(&f.out);
	assert_int_equal(pl_findings_len(&f.out), 1);
	x = pl_findings_at(&f.out, 0);
	assert_int_equal(x->nrelated, 2);
	/* sorted by their related places: the same whatever -j is */
	assert_string_equal(x->related[0].message, "from the first build");
	assert_string_equal(x->related[1].message, "from the second build");
	setup(&plain, &yaml_rule, PL_SEV_ERROR);
	pl_emit_span(&plain.ctx, at(8, 11), "same");
	pl_findings_sort(&plain.out);
	pl_findings_redact(&plain.out);
	pl_findings_fingerprint(&plain.out);
	assert_true(pl_findings_at(&plain.out, 0)->stable == x->stable);
	teardown(&plain);
	teardown(&f);
}

static void test_emit__related_messages_are_masked(void **state)
{
	fixture f;
	pl_node b = node_at(5, 6);
	const char *secret = "Zq8vR2mX7kLp4Wn9Tt3Y";
	(void)state;
	setup(&f, &yaml_rule, PL_SEV_ERROR);
	pl_emit_span(&f.ctx, at(8, 11), "a finding");
	assert_true(pl_emit_related(&f.ctx, &f.file, &b, "holds %s", secret));
	pl_findings_flag(&f.out, secret, strlen(secret));
	pl_findings_redact(&f.out);
	assert_null(
	        strstr(pl_findings_at(&f.out, 0)->related[0].message, secret));
	teardown(&f);
}

/* A pl_par that runs the items last first, as a pool may finish them. */
static size_t backwards_calls;
static void run_backwards(void *ctx, size_t n, pl_par_fn fn, void *arg)
{
	(void)ctx;
	while (n--) {
		backwards_calls++;
		fn(arg, n);
	}
}

/* Fills f with 100 findings (the cap of setup) on line 2, the secret in every
 * 3rd one's message: more than one item of a parallel pass, all equal but for
 * the message, so each `stable` depends on the count of those before it. */
static void many(fixture *f, const char *secret)
{
	size_t i;
	setup(f, &yaml_rule, PL_SEV_ERROR);
	for (i = 0; i < 100; i++)
		pl_emit_span(&f->ctx, at(8, 11), "finding %zu%s%s", i,
		             i % 3 ? "" : " holds ", i % 3 ? "" : secret);
	pl_findings_flag(&f->out, secret, strlen(secret));
}

/* Masking and hashing shared out over a pool (session.c) give what one
 * thread gives, in whatever order the items are done. */
static void
test_emit__parallel_redact_and_fingerprint_match_serial(void **state)
{
	fixture one, par;
	pl_par back = {run_backwards, NULL};
	const char *secret = "Zq8vR2mX7kLp4Wn9Tt3Y";
	size_t i;
	(void)state;
	many(&one, secret);
	many(&par, secret);
	pl_findings_redact(&one.out);
	pl_findings_fingerprint(&one.out);
	backwards_calls = 0;
	pl_findings_redact_par(&par.out, &back);
	pl_findings_fingerprint_par(&par.out, &back);
	assert_true(backwards_calls >= 2 * 2); /* items of both passes */
	assert_int_equal(pl_findings_len(&par.out), 100);
	for (i = 0; i < 100; i++) {
		const pl_finding *a = pl_findings_at(&one.out, i);
		const pl_finding *b = pl_findings_at(&par.out, i);
		assert_string_equal(a->message, b->message);
		assert_null(strstr(b->message, secret));
		assert_true(a->stable == b->stable);
		if (i)
			assert_true(b->stable !=
			            pl_findings_at(&par.out, i - 1)->stable);
	}
	teardown(&par);
	teardown(&one);
}

static void check_alone(pl_ctx *ctx, const pl_file *f)
{
	(void)f;
	pl_emit_span(ctx, at(8, 11), "alone");
}

static void check_rest(pl_ctx *ctx, const pl_file *f)
{
	(void)f;
	pl_emit_span(ctx, at(5, 6), "rest");
}

static const pl_rule alone_rule = {
        .id = "a/alone",
        .severity = PL_SEV_ERROR,
        .summary = "Runs beside the model build",
        .help = "A test rule.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_alone,
};

static const pl_rule rest_rule = {
        .id = "b/rest",
        .severity = PL_SEV_ERROR,
        .summary = "Runs once the model is built",
        .help = "A test rule.",
        .scope = PL_SCOPE_FILE,
        .file_kinds = PL_FILES_YAML,
        .check_file = check_rest,
};

/* The rules picked (run/session.c: the cacheable ones, beside the model
 * build), then the others, are every rule once: what pl_eval_file runs. */
static void test_emit__eval_parts_split_the_rules(void **state)
{
	const pl_rule *table[] = {&alone_rule, &rest_rule};
	const bool pick[] = {true, false};
	const char *want[] = {"alone", "rest", NULL};
	pl_registry reg;
	pl_error err;
	fixture f;
	size_t i;
	(void)state;
	assert_int_equal(pl_registry_init(&reg, table, 2, &err), 0);
	for (i = 0; i < 3; i++) {
		setup(&f, &yaml_rule, PL_SEV_ERROR);
		f.file.src.kind = PL_SOURCE_YAML;
		if (i < 2) {
			pl_ctx_set_file(&f.ctx, &f.file);
			pl_eval_file_some(&f.ctx, &reg, &f.file, pick, i == 0);
		} else {
			pl_eval_file(&f.ctx, &reg, &f.file);
		}
		if (want[i]) {
			assert_int_equal(pl_findings_len(&f.out), 1);
			assert_string_equal(pl_findings_at(&f.out, 0)->message,
			                    want[i]);
		} else {
			assert_int_equal(pl_findings_len(&f.out), 2);
		}
		teardown(&f);
	}
	pl_registry_release(&reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_emit__fix_goes_to_the_last_finding),
	        cmocka_unit_test(
	                test_emit__overlapping_or_outside_edits_are_refused),
	        cmocka_unit_test(test_emit__secrets_never_carry_a_fix),
	        cmocka_unit_test(test_emit__no_finding_no_fix),
	        cmocka_unit_test(test_emit__related_goes_to_the_last_finding),
	        cmocka_unit_test(
	                test_emit__secrets_and_silence_carry_no_related),
	        cmocka_unit_test(
	                test_emit__related_survive_dedupe_not_fingerprint),
	        cmocka_unit_test(test_emit__related_messages_are_masked),
	        cmocka_unit_test(
	                test_emit__parallel_redact_and_fingerprint_match_serial),
	        cmocka_unit_test(test_emit__eval_parts_split_the_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
