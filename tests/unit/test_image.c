/*
 * test_image.c - image references: Docker Hub defaults, registries with
 * ports, tags and digests, the errors for malformed references, templated
 * values, repository equality and the two name formats.
 *
 * Each test is a table; every failing case is printed with its input
 * before the test fails, so one run shows them all.
 */
#include "testlib.h"

#include "lib/image.h"
#include "model/image_override.h"

#define HEX64  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA256 "sha256:" HEX64
#define SHA512 "sha512:" HEX64 HEX64

static bool same_str(const char *got, const char *want)
{
	if (!got || !want)
		return got == want;
	return strcmp(got, want) == 0;
}

static const char *or_null(const char *s)
{
	return s ? s : "(null)";
}

/* --- references that parse ------------------------------------------- */

struct ok_case {
	const char *in;
	const char *registry, *repository, *tag, *digest;
	bool registry_defaulted, library_defaulted;
	const char *familiar;
};

static bool check_field(const char *in, const char *field, const char *got,
                        const char *want)
{
	if (same_str(got, want))
		return true;
	print_error("'%s': %s '%s', want '%s'\n", in, field, or_null(got),
	            or_null(want));
	return false;
}

static bool check_familiar(const struct ok_case *c, const pl_image *img)
{
	pl_buf familiar;
	bool ok;

	pl_buf_init(&familiar, 0);
	assert_int_equal(pl_image_familiar_name(&familiar, img), 0);
	ok = check_field(c->in, "familiar name", familiar.ptr, c->familiar);
	pl_buf_release(&familiar);
	return ok;
}

static bool check_ok(const struct ok_case *c, pl_arena *arena)
{
	pl_image img;
	pl_error err;
	bool ok = true;
	int rc;

	pl_error_clear(&err);
	rc = pl_image_parse(&img, arena, c->in, strlen(c->in), &err);
	if (rc != 0) {
		print_error("'%s': rc %d (%s), want 0\n", c->in, rc, err.msg);
		return false;
	}
	ok = check_field(c->in, "registry", img.registry, c->registry) && ok;
	ok = check_field(c->in, "repository", img.repository, c->repository) &&
	     ok;
	ok = check_field(c->in, "tag", img.tag, c->tag) && ok;
	ok = check_field(c->in, "digest", img.digest, c->digest) && ok;
	if (img.registry_defaulted != c->registry_defaulted ||
	    img.library_defaulted != c->library_defaulted) {
		print_error("'%s': defaulted registry %d library %d, want %d "
		            "%d\n",
		            c->in, img.registry_defaulted,
		            img.library_defaulted, c->registry_defaulted,
		            c->library_defaulted);
		ok = false;
	}
	return check_familiar(c, &img) && ok;
}

static void check_ok_cases(const struct ok_case *cases, size_t n)
{
	pl_arena arena;
	size_t i, failed = 0;

	pl_arena_init(&arena);
	for (i = 0; i < n; i++)
		if (!check_ok(&cases[i], &arena))
			failed++;
	pl_arena_release(&arena);
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed, n);
		fail();
	}
}

#define CHECK_OK(cases) check_ok_cases(cases, PL_ARRAY_SIZE(cases))

/* in, registry, repository, tag, digest, reg. defaulted, lib. defaulted,
 * familiar name */
#define HUB(in, repo, tag, digest, regdef, libdef, familiar)                   \
	{                                                                      \
		in, "docker.io", repo, tag, digest, regdef, libdef, familiar   \
	}
#define AT(in, reg, repo, tag, digest)                                         \
	{                                                                      \
		in, reg, repo, tag, digest, false, false, reg "/" repo         \
	}

static void test_image__docker_hub_defaults(void **state)
{
	static const struct ok_case cases[] = {
	        HUB("nginx", "library/nginx", NULL, NULL, true, true, "nginx"),
	        HUB("nginx:1.25", "library/nginx", "1.25", NULL, true, true,
	            "nginx"),
	        HUB("library/nginx", "library/nginx", NULL, NULL, true, false,
	            "nginx"),
	        HUB("docker.io/nginx", "library/nginx", NULL, NULL, false, true,
	            "nginx"),
	        HUB("docker.io/library/nginx:latest", "library/nginx", "latest",
	            NULL, false, false, "nginx"),
	        HUB("bitnami/redis:7.2", "bitnami/redis", "7.2", NULL, true,
	            false, "bitnami/redis"),
	        HUB("a/b/c/d", "a/b/c/d", NULL, NULL, true, false, "a/b/c/d"),
	        HUB("library/a/b", "library/a/b", NULL, NULL, true, false,
	            "library/a/b"),
	        /* `localhost` without a '/' is a name, 5000 its tag */
	        HUB("localhost:5000", "library/localhost", "5000", NULL, true,
	            true, "localhost"),
	};
	(void)state;
	CHECK_OK(cases);
}

static void test_image__docker_hub_aliases_normalise(void **state)
{
	static const struct ok_case cases[] = {
	        HUB("index.docker.io/nginx", "library/nginx", NULL, NULL, false,
	            true, "nginx"),
	        HUB("index.docker.io/library/nginx:1", "library/nginx", "1",
	            NULL, false, false, "nginx"),
	        HUB("registry-1.docker.io/bitnami/redis:7", "bitnami/redis",
	            "7", NULL, false, false, "bitnami/redis"),
	        HUB("Docker.IO/nginx", "library/nginx", NULL, NULL, false, true,
	            "nginx"),
	};
	(void)state;
	CHECK_OK(cases);
}

static void test_image__registries_hosts_and_ports(void **state)
{
	static const struct ok_case cases[] = {
	        AT("ghcr.io/fluxcd/source-controller:v1.3.0", "ghcr.io",
	           "fluxcd/source-controller", "v1.3.0", NULL),
	        AT("gcr.io/distroless/static:nonroot", "gcr.io",
	           "distroless/static", "nonroot", NULL),
	        AT("localhost/app", "localhost", "app", NULL, NULL),
	        AT("localhost:5000/app", "localhost:5000", "app", NULL, NULL),
	        AT("localhost:5000/a/b:1@" SHA256, "localhost:5000", "a/b", "1",
	           SHA256),
	        AT("registry.example.com:443/team/app",
	           "registry.example.com:443", "team/app", NULL, NULL),
	        AT("10.0.0.1:5000/app:v2", "10.0.0.1:5000", "app", "v2", NULL),
	        AT("[::1]:5000/app:v1", "[::1]:5000", "app", "v1", NULL),
	        AT("[fe80::1]/app", "[fe80::1]", "app", NULL, NULL),
	        AT("my-registry.local/x", "my-registry.local", "x", NULL, NULL),
	        /* an upper-case first component can only be a host */
	        AT("MyRegistry/app", "MyRegistry", "app", NULL, NULL),
	        AT("quay.io/a__b/c-d--e/f.g_h:V1_x.y-z", "quay.io",
	           "a__b/c-d--e/f.g_h", "V1_x.y-z", NULL),
	};
	(void)state;
	CHECK_OK(cases);
}

static void test_image__tags_and_digests(void **state)
{
	static const struct ok_case cases[] = {
	        HUB("nginx@" SHA256, "library/nginx", NULL, SHA256, true, true,
	            "nginx"),
	        HUB("nginx:1.25@" SHA256, "library/nginx", "1.25", SHA256, true,
	            true, "nginx"),
	        HUB("nginx@" SHA512, "library/nginx", NULL, SHA512, true, true,
	            "nginx"),
	        HUB("app:_x", "library/app", "_x", NULL, true, true, "app"),
	        HUB("app:V1.2-rc.3_b", "library/app", "V1.2-rc.3_b", NULL, true,
	            true, "app"),
	        AT("ghcr.io/a/b@" SHA256, "ghcr.io", "a/b", NULL, SHA256),
	};
	(void)state;
	CHECK_OK(cases);
}

/* 128 characters is the longest tag; 255 the longest name. */
static void test_image__length_limits_are_inclusive(void **state)
{
	char in[300];
	pl_image img;
	pl_error err;
	pl_arena arena;

	(void)state;
	pl_arena_init(&arena);
	memcpy(in, "app:", 4);
	memset(in + 4, 't', PL_IMAGE_TAG_MAX);
	assert_int_equal(
	        pl_image_parse(&img, &arena, in, 4 + PL_IMAGE_TAG_MAX, &err),
	        0);
	assert_int_equal(strlen(img.tag), PL_IMAGE_TAG_MAX);
	memset(in, 'a', PL_IMAGE_NAME_MAX);
	assert_int_equal(
	        pl_image_parse(&img, &arena, in, PL_IMAGE_NAME_MAX, &err), 0);
	assert_int_equal(strlen(img.repository),
	                 strlen("library/") + PL_IMAGE_NAME_MAX);
	pl_arena_release(&arena);
}

/* --- references that do not ------------------------------------------ */

struct bad_case {
	const char *in;
	const char *detail; /* after "invalid image reference '...': " */
};

#define PREFIX "invalid image reference '"

/* The message is PREFIX, the quoted input (cut when long: see
 * over_long_parts_are_refused), "': " and the detail. */
static bool message_is(const char *msg, const char *detail)
{
	size_t m = strlen(msg), d = strlen(detail);

	return strncmp(msg, PREFIX, strlen(PREFIX)) == 0 && m >= d + 3 &&
	       strcmp(msg + m - d, detail) == 0 &&
	       strncmp(msg + m - d - 3, "': ", 3) == 0;
}

static void check_bad_cases(const struct bad_case *cases, size_t n)
{
	pl_arena arena;
	size_t i, failed = 0;

	pl_arena_init(&arena);
	for (i = 0; i < n; i++) {
		const struct bad_case *c = &cases[i];
		pl_image img;
		pl_error err;
		int rc;

		pl_error_clear(&err);
		rc = pl_image_parse(&img, &arena, c->in, strlen(c->in), &err);
		if (rc != PL_EPARSE || err.code != PL_EPARSE ||
		    !message_is(err.msg, c->detail)) {
			print_error("'%s': rc %d, message '%s'\n"
			            "   want PL_EPARSE, detail '%s'\n",
			            c->in, rc, err.msg, c->detail);
			failed++;
		} else if (img.registry || img.repository) {
			print_error("'%s': fields set on failure\n", c->in);
			failed++;
		}
	}
	pl_arena_release(&arena);
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed, n);
		fail();
	}
}

#define CHECK_BAD(cases) check_bad_cases(cases, PL_ARRAY_SIZE(cases))
#define BAD(in, detail)                                                        \
	{                                                                      \
		in, detail                                                     \
	}

static void test_image__malformed_text_is_refused(void **state)
{
	static const struct bad_case cases[] = {
	        BAD("ngi nx", "whitespace at byte 4"),
	        BAD(" nginx", "whitespace at byte 1"),
	        BAD("nginx:1.25\t", "whitespace at byte 11"),
	        BAD("nginx\x01", "byte 0x01 at 6 is not allowed"),
	        BAD("h\xc3\xa9llo", "byte 0xc3 at 2 is not allowed"),
	        BAD(HEX64, "a 64-digit hex string is an image id, not a name"),
	        BAD("@" SHA256, "no repository name"),
	        BAD(":1.0", "no repository name"),
	};
	(void)state;
	CHECK_BAD(cases);
}

static void test_image__uppercase_repository_is_refused(void **state)
{
	static const struct bad_case cases[] = {
	        BAD("Nginx", "repository 'Nginx' must be lower case"),
	        BAD("nginX:1.0", "repository 'nginX' must be lower case"),
	        BAD("docker.io/Library/nginx",
	            "repository 'Library/nginx' must be lower case"),
	        BAD("ghcr.io/FluxCD/source-controller",
	            "repository 'FluxCD/source-controller' must be lower "
	            "case"),
	        BAD("myorg/App", "repository 'myorg/App' must be lower case"),
	};
	(void)state;
	CHECK_BAD(cases);
}

static void test_image__bad_paths_are_refused(void **state)
{
	static const struct bad_case cases[] = {
	        BAD("a//b", "repository 'a//b' has an empty component"),
	        BAD("ghcr.io/", "repository '' has an empty component"),
	        BAD("app/", "repository 'app/' has an empty component"),
	        BAD("/app", "repository '/app' has an empty component"),
	        BAD("app-/x", "repository component 'app-' is not valid"),
	        BAD("a___b", "repository component 'a___b' is not valid"),
	        BAD("a..b/c/d:1", "registry 'a..b' is not a valid host name"),
	        BAD("_app", "repository component '_app' is not valid"),
	        BAD("app!/x", "repository component 'app!' is not valid"),
	        BAD("nginx:1.0:2",
	            "repository component 'nginx:1.0' is not valid"),
	};
	(void)state;
	CHECK_BAD(cases);
}

static void test_image__bad_registries_are_refused(void **state)
{
	static const struct bad_case cases[] = {
	        BAD("-bad.com/app", "registry '-bad.com' is not a valid host "
	                            "name"),
	        BAD("bad-.com/app", "registry 'bad-.com' is not a valid host "
	                            "name"),
	        BAD("ex_ample.com/app", "registry 'ex_ample.com' is not a "
	                                "valid host name"),
	        BAD("example.com./app", "registry 'example.com.' is not a "
	                                "valid host name"),
	        BAD(":5000/app", "registry ':5000' is not a valid host name"),
	        BAD("localhost:abc/app", "port 'abc' is not a number"),
	        BAD("localhost:/app", "registry 'localhost:' has an empty "
	                              "port"),
	        BAD("[::1/app", "registry '[::1' is not a valid host name"),
	        BAD("[zz::1]:5000/app", "registry '[zz::1]:5000' is not a "
	                                "valid host name"),
	};
	(void)state;
	CHECK_BAD(cases);
}

static void test_image__bad_tags_and_digests_are_refused(void **state)
{
	static const struct bad_case cases[] = {
	        BAD("nginx:", "empty tag after ':'"),
	        BAD("nginx:-1", "tag '-1' is not valid"),
	        BAD("nginx:.1", "tag '.1' is not valid"),
	        BAD("nginx:1.0!", "tag '1.0!' is not valid"),
	        BAD("nginx:1+2", "tag '1+2' is not valid"),
	        BAD("nginx@", "empty digest after '@'"),
	        BAD("nginx@sha256", "digest 'sha256' is not algorithm:hex"),
	        BAD("nginx@:abcd", "digest ':abcd' is not algorithm:hex"),
	        BAD("nginx@sha256:abcz", "digest 'sha256:abcz' is not "
	                                 "algorithm:hex"),
	        BAD("nginx@1sha:abcd", "digest '1sha:abcd' is not "
	                               "algorithm:hex"),
	        BAD("nginx@sha256:abc",
	            "a sha256 digest has 64 lower-case hex digits"),
	        BAD("nginx@sha256:" HEX64 "0",
	            "a sha256 digest has 64 lower-case hex digits"),
	        BAD("nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abc"
	            "def0123456789abcdef",
	            "a sha256 digest has 64 lower-case hex digits"),
	        BAD("nginx@sha512:" HEX64,
	            "a sha512 digest has 128 lower-case hex digits"),
	        BAD("nginx@md5:0123456789abcdef0123456789abcdef",
	            "digest algorithm 'md5' is not supported"),
	        BAD("nginx@sha256:ab@cd",
	            "digest 'sha256:ab@cd' is not algorithm:hex"),
	};
	(void)state;
	CHECK_BAD(cases);
}

/* Long inputs are cut in messages, and the limits are enforced. */
static void test_image__over_long_parts_are_refused(void **state)
{
	char in[400], want[256];
	pl_image img;
	pl_error err;
	pl_arena arena;

	(void)state;
	pl_arena_init(&arena);
	memcpy(in, "app:", 4);
	memset(in + 4, 't', PL_IMAGE_TAG_MAX + 1);
	assert_int_equal(
	        pl_image_parse(&img, &arena, in, 5 + PL_IMAGE_TAG_MAX, &err),
	        PL_EPARSE);
	snprintf(want, sizeof(want),
	         "invalid image reference 'app:%.60s...': tag '%.64s...' is "
	         "longer than 128 characters",
	         in + 4, in + 4);
	assert_string_equal(err.msg, want);

	memset(in, 'a', sizeof(in));
	assert_int_equal(
	        pl_image_parse(&img, &arena, in, PL_IMAGE_NAME_MAX + 1, &err),
	        PL_EPARSE);
	snprintf(want, sizeof(want),
	         "invalid image reference '%.64s...': name is longer than 255 "
	         "characters",
	         in);
	assert_string_equal(err.msg, want);
	pl_arena_release(&arena);
}

/* --- templates, allocation, lengths ---------------------------------- */

static void test_image__templated_values_are_not_images(void **state)
{
	static const char *const cases[] = {
	        "{{ .Values.image }}",
	        "{{ .Values.image.repository }}:{{ .Values.image.tag }}",
	        "ghcr.io/org/app:{{ .Chart.AppVersion }}",
	        "${IMAGE}",
	        "registry.example.com/app:${TAG:=latest}",
	        "{{image}}",
	};
	pl_arena arena;
	size_t i, failed = 0;

	(void)state;
	pl_arena_init(&arena);
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_image img;
		pl_error err;
		int rc;

		pl_error_clear(&err);
		memset(&img, 0xff, sizeof(img));
		rc = pl_image_parse(&img, &arena, cases[i], strlen(cases[i]),
		                    &err);
		if (rc != PL_IMAGE_TEMPLATED || err.code != 0 || img.registry ||
		    img.repository || img.tag || img.digest) {
			print_error("'%s': rc %d, err %d '%s'\n", cases[i], rc,
			            err.code, err.msg);
			failed++;
		}
	}
	assert_int_equal(arena.used, 0);
	pl_arena_release(&arena);
	if (failed)
		fail();
}

/* What is not a `{{` or `${` template is a reference, and malformed. */
static void test_image__near_templates_are_errors(void **state)
{
	static const struct bad_case cases[] = {
	        BAD("$IMAGE", "repository '$IMAGE' must be lower case"),
	        BAD("$image", "repository component '$image' is not valid"),
	        BAD("app:{1}", "tag '{1}' is not valid"),
	        BAD("app:$(TAG)", "tag '$(TAG)' is not valid"),
	        BAD("<your-image>", "repository component '<your-image>' is "
	                            "not valid"),
	};
	(void)state;
	CHECK_BAD(cases);
}

/* The one message without a token to quote. */
static void test_image__empty_reference_is_refused(void **state)
{
	pl_image img;
	pl_error err;
	pl_arena arena;

	(void)state;
	pl_arena_init(&arena);
	assert_int_equal(pl_image_parse(&img, &arena, "", 0, &err), PL_EPARSE);
	assert_string_equal(err.msg, "empty image reference");
	pl_arena_release(&arena);
}

static void test_image__failure_allocates_nothing(void **state)
{
	static const char *const cases[] = {"Nginx", "nginx:", "a//b",
	                                    "nginx@sha256:abc"};
	pl_arena arena;
	pl_image img;
	pl_error err;
	size_t i;

	(void)state;
	pl_arena_init(&arena);
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++)
		assert_int_equal(pl_image_parse(&img, &arena, cases[i],
		                                strlen(cases[i]), &err),
		                 PL_EPARSE);
	assert_int_equal(arena.used, 0);
	pl_arena_release(&arena);
}

/* The input is a YAML scalar's bytes: nothing past len is read, and the
 * result does not point into it. */
static void test_image__reads_only_len_bytes(void **state)
{
	char in[] = "nginx:1.25 and more";
	pl_image img;
	pl_error err;
	pl_arena arena;

	(void)state;
	pl_arena_init(&arena);
	assert_int_equal(pl_image_parse(&img, &arena, in, 10, &err), 0);
	memset(in, 'x', sizeof(in) - 1);
	assert_string_equal(img.repository, "library/nginx");
	assert_string_equal(img.tag, "1.25");
	pl_arena_release(&arena);
}

/* --- equality -------------------------------------------------------- */

static void test_image__same_repository_after_normalising(void **state)
{
	static const struct {
		const char *a, *b;
		bool same;
	} cases[] = {
	        {"nginx", "docker.io/library/nginx", true},
	        {"nginx", "library/nginx:1.25", true},
	        {"nginx:1", "index.docker.io/nginx@" SHA256, true},
	        {"nginx", "registry-1.docker.io/library/nginx", true},
	        {"bitnami/redis", "docker.io/bitnami/redis:7", true},
	        {"ghcr.io/a/b", "GHCR.IO/a/b:2", true},
	        {"nginx", "bitnami/nginx", false},
	        {"nginx", "ghcr.io/library/nginx", false},
	        {"localhost:5000/app", "localhost/app", false},
	        {"ghcr.io/a/b", "ghcr.io/a/b/c", false},
	        {"library/a/b", "a/b", false},
	};
	pl_arena arena;
	size_t i, failed = 0;

	(void)state;
	pl_arena_init(&arena);
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_image a, b;
		pl_error err;

		assert_int_equal(pl_image_parse(&a, &arena, cases[i].a,
		                                strlen(cases[i].a), &err),
		                 0);
		assert_int_equal(pl_image_parse(&b, &arena, cases[i].b,
		                                strlen(cases[i].b), &err),
		                 0);
		if (pl_image_same_repository(&a, &b) != cases[i].same ||
		    pl_image_same_repository(&b, &a) != cases[i].same) {
			print_error("'%s' vs '%s': same %d, want %d\n",
			            cases[i].a, cases[i].b, !cases[i].same,
			            cases[i].same);
			failed++;
		}
	}
	pl_arena_release(&arena);
	if (failed)
		fail();
}

/* A zeroed image (what a template leaves) equals nothing. */
static void test_image__empty_image_equals_nothing(void **state)
{
	pl_image empty, nginx;
	pl_error err;
	pl_arena arena;

	(void)state;
	pl_arena_init(&arena);
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(pl_image_parse(&nginx, &arena, "nginx", 5, &err), 0);
	assert_false(pl_image_same_repository(&empty, &nginx));
	assert_false(pl_image_same_repository(&empty, &empty));
	pl_arena_release(&arena);
}

static void test_image__names_format_normalised_and_familiar(void **state)
{
	static const struct {
		const char *in, *name, *familiar;
	} cases[] = {
	        {"nginx:1", "docker.io/library/nginx", "nginx"},
	        {"index.docker.io/bitnami/redis", "docker.io/bitnami/redis",
	         "bitnami/redis"},
	        {"localhost:5000/a/b@" SHA256, "localhost:5000/a/b",
	         "localhost:5000/a/b"},
	        {"ghcr.io/fluxcd/source-controller:v1.3.0",
	         "ghcr.io/fluxcd/source-controller",
	         "ghcr.io/fluxcd/source-controller"},
	};
	pl_arena arena;
	pl_buf buf;
	size_t i;

	(void)state;
	pl_arena_init(&arena);
	pl_buf_init(&buf, 0);
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		pl_image img;
		pl_error err;

		assert_int_equal(pl_image_parse(&img, &arena, cases[i].in,
		                                strlen(cases[i].in), &err),
		                 0);
		pl_buf_reset(&buf);
		assert_int_equal(pl_image_name(&buf, &img), 0);
		assert_string_equal(buf.ptr, cases[i].name);
		/* it appends */
		assert_int_equal(pl_buf_adds(&buf, " "), 0);
		assert_int_equal(pl_image_familiar_name(&buf, &img), 0);
		assert_int_equal(strlen(buf.ptr),
		                 strlen(cases[i].name) + 1 +
		                         strlen(cases[i].familiar));
		assert_string_equal(buf.ptr + strlen(cases[i].name) + 1,
		                    cases[i].familiar);
	}
	pl_buf_release(&buf);
	pl_arena_release(&arena);
}

/* kustomize images: entries, applied in order, as kubectl kustomize
 * does (https://kubectl.docs.kubernetes.io: kustomization images). */
static void test_image__kustomize_overrides_apply_in_order(void **state)
{
	static const struct {
		const char *image, *want; /* want NULL: no entry applies */
	} cases[] = {
	        {"nginx", "nginx:1.27.2"},
	        {"nginx:latest", "nginx:1.27.2"},
	        {"nginx@sha256:aaa", "nginx:1.27.2"}, /* newTag drops it */
	        {"postgres:8", "my-registry/my-postgres:v1"},
	        {"alpine:3.7", "alpine@sha256:24a0"}, /* digest drops tag */
	        {"localhost:5000/app", "localhost:5000/app:2"}, /* a port */
	        /* renamed by one entry, then tagged by a later one */
	        {"demo", "registry.example.org/demo:7"},
	        {"nginxx", NULL},
	        {"docker.io/library/nginx",
	         NULL}, /* names compare as written */
	};
	tl_doc d;
	const pl_node *root, *list;
	const pl_node *entries[16];
	size_t i, n;
	pl_buf out;

	(void)state;
	tl_load(&d, "images:\n"
	            "  - {name: nginx, newTag: 1.27.2}\n"
	            "  - {name: postgres, newName: my-registry/my-postgres, "
	            "newTag: v1}\n"
	            "  - {name: alpine, digest: 'sha256:24a0'}\n"
	            "  - {name: localhost:5000/app, newTag: 2}\n"
	            "  - {name: demo, newName: registry.example.org/demo}\n"
	            "  - {name: registry.example.org/demo, newTag: 7}\n");
	root = tl_root(&d, 0);
	list = pl_node_get(root, "images");
	assert_non_null(list);
	n = list->u.seq.len;
	assert_true(n <= PL_ARRAY_SIZE(entries));
	for (i = 0; i < n; i++)
		entries[i] = list->u.seq.items[i];
	pl_buf_init(&out, 0);
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		bool applied = pl_image_apply_overrides(&out, cases[i].image,
		                                        strlen(cases[i].image),
		                                        entries, n);
		if (!cases[i].want) {
			if (applied)
				fail_msg("%s: changed to %s", cases[i].image,
				         out.ptr);
			continue;
		}
		if (!applied)
			fail_msg("%s: no entry applied", cases[i].image);
		assert_string_equal(out.ptr, cases[i].want);
	}
	pl_buf_release(&out);
	tl_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_image__docker_hub_defaults),
	        cmocka_unit_test(test_image__docker_hub_aliases_normalise),
	        cmocka_unit_test(test_image__registries_hosts_and_ports),
	        cmocka_unit_test(test_image__tags_and_digests),
	        cmocka_unit_test(test_image__length_limits_are_inclusive),
	        cmocka_unit_test(test_image__malformed_text_is_refused),
	        cmocka_unit_test(test_image__uppercase_repository_is_refused),
	        cmocka_unit_test(test_image__bad_paths_are_refused),
	        cmocka_unit_test(test_image__bad_registries_are_refused),
	        cmocka_unit_test(test_image__bad_tags_and_digests_are_refused),
	        cmocka_unit_test(test_image__over_long_parts_are_refused),
	        cmocka_unit_test(test_image__templated_values_are_not_images),
	        cmocka_unit_test(test_image__near_templates_are_errors),
	        cmocka_unit_test(test_image__empty_reference_is_refused),
	        cmocka_unit_test(test_image__failure_allocates_nothing),
	        cmocka_unit_test(test_image__reads_only_len_bytes),
	        cmocka_unit_test(test_image__same_repository_after_normalising),
	        cmocka_unit_test(test_image__empty_image_equals_nothing),
	        cmocka_unit_test(
	                test_image__names_format_normalised_and_familiar),
	        cmocka_unit_test(
	                test_image__kustomize_overrides_apply_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
