/*
 * test_cache.c - the persistent cache of per-file findings (run/cache.h):
 * which rules it may cache (pinned, so that a new rule that reads other
 * files cannot become cached unnoticed), an entry replayed as recorded,
 * a file that does not decode trusted for nothing, and a flagged value
 * stored as a place in the file, never as its text.
 */
#include "testlib.h"
#include "run/cache.h"
#include "run/run.h"
#include "base/xalloc.h"

#include <sys/stat.h>
#include <unistd.h>

/* Every rule of the registry (built-in and shipped packs) whose findings
 * are cached; all others must not be. Adding a rule here is a review of
 * its check: it must read its own file only. */
static const char *const cacheable[] = {
        "secrets/default-credential",
        "secrets/env-value",
        "secrets/k8s-secret",
        "secrets/pulumi-stack",
        "secrets/token",
        "yaml/ambiguous-scalar",
        "yaml/duplicate-key",
        "yaml/limit",
        "yaml/merge-key",
        "yaml/syntax",
        "yaml/unrendered-template",
};

static bool listed(const char *id)
{
	size_t i;
	for (i = 0; i < PL_ARRAY_SIZE(cacheable); i++)
		if (strcmp(cacheable[i], id) == 0)
			return true;
	return false;
}

static void test_cache__cacheable_rules_are_pinned(void **state)
{
	pl_registry reg;
	pl_ruleset *packs = NULL;
	pl_error err;
	size_t i, n = 0;

	(void)state;
	pl_error_clear(&err);
	assert_int_equal(pl_run_registry(&reg, &packs, NULL, 0, &err), 0);
	for (i = 0; i < reg.len; i++) {
		const pl_rule *r = reg.rules[i];
		bool want = listed(r->id);
		if (pl_cache_rule_cacheable(r) != want)
			fail_msg("%s: cacheable is %d, want %d", r->id, !want,
			         want);
		n += want;
	}
	/* every listed id exists */
	assert_int_equal(n, PL_ARRAY_SIZE(cacheable));
	pl_registry_release(&reg);
	pl_ruleset_free(packs);
}

/* A rule that reads across files is never cached, whatever else it is. */
static void test_cache__cross_file_rules_are_not(void **state)
{
	pl_rule r;
	(void)state;
	memset(&r, 0, sizeof(r));
	r.id = "test/x";
	r.scope = PL_SCOPE_OBJECT;
	r.as_written = true;
	r.check_object = (void (*)(pl_ctx *, const pl_object *))1;
	assert_true(pl_cache_rule_cacheable(&r));
	r.reads_files = true;
	assert_false(pl_cache_rule_cacheable(&r));
	r.reads_files = false;
	r.reads = PL_KINDS("ConfigMap");
	assert_false(pl_cache_rule_cacheable(&r));
	r.reads = NULL;
	r.as_written = false; /* judges built objects */
	assert_false(pl_cache_rule_cacheable(&r));
	r.as_written = true;
	r.origin = "rules/x.yaml";
	assert_false(pl_cache_rule_cacheable(&r));
	r.origin = NULL;
	r.stage = PL_STAGE_SOURCE;
	assert_false(pl_cache_rule_cacheable(&r));
}

typedef struct fx {
	char dir[64];
	pl_registry reg;
	pl_ruleset *packs;
	pl_source src;
	pl_limits limits;
	unsigned char fpkey[32];
	pl_cache_inputs in; /* what the run digest is made of */
	unsigned char key[PL_CACHE_KEY_LEN];
} fx;

static pl_cache *fx_open(fx *x)
{
	pl_cache *c = pl_cache_open("/tmp", false, &x->in, 1);
	assert_non_null(c);
	pl_cache_key(c, x->key, &x->src);
	return c;
}

static const char text[] = "token: ghp_0123456789abcdefghij0123456789abcdef\n"
                           "name: web\n";

static void fx_init(fx *x)
{
	pl_error err;
	pl_error_clear(&err);
	snprintf(x->dir, sizeof(x->dir), "/tmp/plumb-test-cache.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	setenv("PLUMB_CACHE_DIR", x->dir, 1);
	assert_int_equal(pl_run_registry(&x->reg, &x->packs, NULL, 0, &err), 0);
	tl_source(&x->src, text, strlen(text));
	x->src.kind = PL_SOURCE_YAML;
	pl_limits_default(&x->limits);
	memset(x->fpkey, 7, sizeof(x->fpkey));
	memset(&x->in, 0, sizeof(x->in));
	x->in.build = "test";
	x->in.reg = &x->reg;
	x->in.key = x->fpkey;
	x->in.key_len = sizeof(x->fpkey);
	x->in.limits = &x->limits;
}

static void fx_release(fx *x)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("PLUMB_CACHE_DIR");
	pl_source_release(&x->src);
	pl_registry_release(&x->reg);
	pl_ruleset_free(x->packs);
}

/* Records one secrets/token finding on text, with its flagged value. */
static void record(fx *x)
{
	pl_cache *c = fx_open(x);
	pl_findings out;
	pl_finding *f;
	char cmd[256];

	pl_findings_init(&out);
	f = pl_vec_push(&out.items);
	memset(f, 0, sizeof(*f));
	f->rule = "secrets/token";
	f->severity = PL_SEV_ERROR;
	f->src = &x->src;
	f->span.start = (pl_pos){1, 8, 7};
	f->span.end = (pl_pos){1, 48, 47};
	f->message = pl_xstrdup("a GitHub token: 'ghp_01***'");
	f->fingerprint = pl_xstrdup("secrets/token:0011223344556677");
	pl_findings_flag(&out, text + 7, 40);
	assert_true(pl_cache_record(c, 0, x->key, &x->src, &out, 0, 0));
	pl_findings_release(&out);
	pl_cache_close(c);
	/* the secret's text is nowhere in the folder */
	snprintf(cmd, sizeof(cmd), "grep -rqF ghp_0123456789abcdefghij '%s'",
	         x->dir);
	assert_int_not_equal(system(cmd), 0);
}

static void test_cache__entry_replays_as_recorded(void **state)
{
	pl_findings out;
	pl_cache *c;
	fx x;
	size_t n = 0;

	(void)state;
	fx_init(&x);
	record(&x);
	c = fx_open(&x);
	pl_findings_init(&out);
	assert_true(pl_cache_replay(c, x.key, &x.reg, &x.src, &out, &n));
	assert_int_equal(n, 1);
	assert_string_equal(pl_findings_at(&out, 0)->rule, "secrets/token");
	assert_string_equal(pl_findings_at(&out, 0)->message,
	                    "a GitHub token: 'ghp_01***'");
	assert_true(tl_span_is("replayed", &pl_findings_at(&out, 0)->span, 1, 8,
	                       7, 1, 48, 47));
	assert_ptr_equal(pl_findings_at(&out, 0)->src, &x.src);
	/* the flagged value, read back from the file's own bytes */
	assert_int_equal(out.flagged.len, 1);
	assert_memory_equal(*(char **)pl_vec_at(&out.flagged, 0), text + 7, 40);
	pl_findings_release(&out);
	pl_cache_close(c);
	/* the content key depends on the fingerprint key: another clone's
	 * cache cannot be made to collide by someone who knows the bytes */
	{
		unsigned char k1[PL_CACHE_KEY_LEN];
		memcpy(k1, x.key, sizeof(k1));
		x.fpkey[0] ^= 1;
		pl_cache_close(fx_open(&x));
		assert_memory_not_equal(k1, x.key, sizeof(k1));
		x.fpkey[0] ^= 1;
		pl_cache_close(fx_open(&x));
		assert_memory_equal(k1, x.key, sizeof(k1));
	}
	/* another digest (another build, configuration): nothing */
	x.in.build = "test 2";
	c = fx_open(&x);
	pl_findings_init(&out);
	assert_false(pl_cache_replay(c, x.key, &x.reg, &x.src, &out, &n));
	assert_int_equal(pl_findings_len(&out), 0);
	pl_findings_release(&out);
	pl_cache_close(c);
	fx_release(&x);
}

/* A value flagged that is not a run of the file's bytes (decoded base64)
 * cannot be stored as a place: the entry is not recorded. */
static void test_cache__decoded_value_is_not_recorded(void **state)
{
	pl_cache *c;
	pl_findings out;
	fx x;

	(void)state;
	fx_init(&x);
	c = fx_open(&x);
	pl_findings_init(&out);
	pl_findings_flag(&out, "not-in-the-file", 15);
	assert_false(pl_cache_record(c, 0, x.key, &x.src, &out, 0, 0));
	pl_findings_release(&out);
	pl_cache_close(c);
	fx_release(&x);
}

/* Each byte of the file flipped in turn: every flip is a miss (the
 * checksum, the header), never a finding made up. */
static void test_cache__a_damaged_file_is_trusted_for_nothing(void **state)
{
	char path[256], cmd[512];
	unsigned char *buf;
	struct stat st;
	FILE *f;
	fx x;
	long i;

	(void)state;
	fx_init(&x);
	record(&x);
	snprintf(cmd, sizeof(cmd), "ls '%s'/*/*.cache > '%s/list'", x.dir,
	         x.dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/list", x.dir);
	f = fopen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(path, sizeof(path), f));
	fclose(f);
	path[strcspn(path, "\n")] = '\0';
	assert_int_equal(stat(path, &st), 0);
	buf = pl_xmalloc((size_t)st.st_size);
	f = fopen(path, "rb");
	assert_int_equal(fread(buf, 1, (size_t)st.st_size, f),
	                 (size_t)st.st_size);
	fclose(f);
	for (i = 0; i <= st.st_size; i++) {
		pl_findings out;
		pl_cache *c;
		size_t n;
		f = fopen(path, "wb");
		if (i < st.st_size) {
			buf[i] ^= 0x20;
			fwrite(buf, 1, (size_t)st.st_size, f);
			buf[i] ^= 0x20;
		} else {
			fwrite(buf, 1, (size_t)st.st_size / 2, f); /* cut */
		}
		fclose(f);
		c = fx_open(&x);
		pl_findings_init(&out);
		if (pl_cache_replay(c, x.key, &x.reg, &x.src, &out, &n))
			fail_msg("byte %ld flipped: still a hit", i);
		pl_findings_release(&out);
		pl_cache_close(c); /* replaces it: rewritten next round */
	}
	free(buf);
	fx_release(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cache__cacheable_rules_are_pinned),
	        cmocka_unit_test(test_cache__cross_file_rules_are_not),
	        cmocka_unit_test(test_cache__entry_replays_as_recorded),
	        cmocka_unit_test(test_cache__decoded_value_is_not_recorded),
	        cmocka_unit_test(
	                test_cache__a_damaged_file_is_trusted_for_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
