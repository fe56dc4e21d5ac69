/*
 * test_base.c - the base module: arena, buf (cap, formatting, JSON
 * strings), vec, map, utf8 and error.
 *
 * Table-driven tests print every failing case (input as hex where bytes
 * matter) before failing, so one run shows them all.
 */
#include "testlib.h"
#include "base/sha256.h"
#include "base/siphash.h"
#include "base/similar.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/map.h"
#include "base/utf8.h"
#include "base/vec.h"

/* Writes len bytes of s as \xNN escapes into out (for failure messages). */
static const char *hex(char *out, size_t size, const char *s, size_t len)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < len && o + 5 < size; i++)
		o += (size_t)snprintf(out + o, size - o, "\\x%02x",
		                      (unsigned char)s[i]);
	return out;
}

/* --- arena ------------------------------------------------------------ */

static void test_arena__allocations_are_8_byte_aligned(void **state)
{
	pl_arena a;
	size_t size, failed = 0;

	(void)state;
	pl_arena_init(&a);
	for (size = 0; size < 200; size++) {
		void *p = pl_arena_alloc(&a, size);
		if (p == NULL || (uintptr_t)p % 8 != 0) {
			print_error("alloc(%zu) = %p, not 8-byte aligned\n",
			            size, p);
			failed++;
		}
	}
	/* a large block in its own chunk is aligned too */
	assert_int_equal((uintptr_t)pl_arena_alloc(&a, 40000) % 8, 0);
	assert_int_equal((uintptr_t)pl_arena_alloc(&a, 3) % 8, 0);
	pl_arena_release(&a);
	assert_int_equal(failed, 0);
}

static void test_arena__zalloc_returns_zeroed_memory(void **state)
{
	pl_arena a;
	unsigned char *p;
	size_t i;

	(void)state;
	pl_arena_init(&a);
	/* dirty the arena first so zeroing is not a malloc accident */
	memset(pl_arena_alloc(&a, 1000), 0xAB, 1000);
	p = pl_arena_zalloc(&a, 777);
	for (i = 0; i < 777; i++)
		assert_int_equal(p[i], 0);
	pl_arena_release(&a);
}

static void test_arena__strndup_copies_n_bytes_and_nul_terminates(void **state)
{
	pl_arena a;
	char *s;

	(void)state;
	pl_arena_init(&a);
	s = pl_arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	s = pl_arena_strndup(&a, "xyz", 0);
	assert_string_equal(s, "");
	/* embedded NUL: n bytes are copied, then one NUL */
	s = pl_arena_strndup(&a, "a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	s = pl_arena_strdup(&a, "hello");
	assert_string_equal(s, "hello");
	s = pl_arena_printf(&a, "%s-%d-%zu", "x", -5, (size_t)7);
	assert_string_equal(s, "x--5-7");
	pl_arena_release(&a);
}

static void test_arena__printf_longer_than_a_chunk(void **state)
{
	pl_arena a;
	char *s;
	size_t i;

	(void)state;
	pl_arena_init(&a);
	s = pl_arena_printf(&a, "%100000d|", 42);
	assert_int_equal(strlen(s), 100001);
	for (i = 0; i < 99998; i++)
		assert_int_equal(s[i], ' ');
	assert_string_equal(s + 99998, "42|");
	pl_arena_release(&a);
}

/*
 * Many small and large (> 16 KiB, own chunk) allocations, each filled
 * with its own byte; none may overlap another, which the final check of
 * every byte shows.
 */
static void
test_arena__many_small_and_large_allocations_do_not_overlap(void **state)
{
	enum { N = 3000 };
	static unsigned char *ptr[N];
	static size_t len[N];
	pl_arena a;
	size_t i, j, bad = 0, sum = 0;

	(void)state;
	pl_arena_init(&a);
	for (i = 0; i < N; i++) {
		if (i % 97 == 0)
			len[i] = 16 * 1024 + 1 + i * 13; /* own chunk */
		else if (i % 31 == 0)
			len[i] = 16 * 1024 - 8; /* just under the limit */
		else
			len[i] = 1 + (i * 7) % 300;
		ptr[i] = pl_arena_alloc(&a, len[i]);
		memset(ptr[i], (int)(i & 0xff), len[i]);
		sum += len[i];
	}
	for (i = 0; i < N && bad < 5; i++) {
		for (j = 0; j < len[i]; j++) {
			if (ptr[i][j] != (unsigned char)(i & 0xff)) {
				print_error("allocation %zu (%zu bytes) "
				            "overwritten at byte %zu\n",
				            i, len[i], j);
				bad++;
				break;
			}
		}
	}
	assert_int_equal(bad, 0);
	assert_true(a.used >= sum);
	assert_true(a.total >= a.used);
	pl_arena_release(&a);
}

static void test_arena__release_empties_and_arena_is_reusable(void **state)
{
	pl_arena a;
	char *s;

	(void)state;
	pl_arena_init(&a);
	pl_arena_alloc(&a, 100);
	pl_arena_alloc(&a, 100000);
	pl_arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.total, 0);
	s = pl_arena_strdup(&a, "again");
	assert_string_equal(s, "again");
	assert_non_null(pl_arena_alloc(&a, 50000));
	pl_arena_release(&a);
	/* releasing twice (and an empty arena) is harmless */
	pl_arena_release(&a);
	assert_null(a.head);
}

/*
 * A request that cannot be met must end in the out-of-memory exit
 * (status 3, xalloc.h), never hand back a small block. Run in a child so
 * the exit does not end the test run.
 */
static void test_arena__huge_request_exits_out_of_memory(void **state)
{
	pid_t pid;
	int status = 0;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pl_arena a;
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2);
		pl_arena_init(&a);
		pl_arena_alloc(&a, SIZE_MAX - 2);
		_exit(0); /* got memory it cannot have */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 3)
		print_error("pl_arena_alloc(SIZE_MAX - 2): child %s %d, "
		            "want exit 3 (out of memory)\n",
		            WIFEXITED(status) ? "exited" : "killed by signal",
		            WIFEXITED(status) ? WEXITSTATUS(status)
		                              : WTERMSIG(status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
}

/* --- buf -------------------------------------------------------------- */

static void test_buf__init_is_empty_nul_terminated(void **state)
{
	pl_buf b;

	(void)state;
	pl_buf_init(&b, 0);
	assert_non_null(b.ptr);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.max, PL_BUF_DEFAULT_MAX);
	assert_false(b.truncated);
	pl_buf_release(&b);
	pl_buf_release(&b); /* twice is harmless */
}

static void test_buf__appends_keep_length_and_nul(void **state)
{
	pl_buf b;

	(void)state;
	pl_buf_init(&b, 0);
	assert_int_equal(pl_buf_adds(&b, "ab"), 0);
	assert_int_equal(pl_buf_addc(&b, 'c'), 0);
	assert_int_equal(pl_buf_add(&b, "d\0e", 3), 0);
	assert_int_equal(pl_buf_add(&b, NULL, 0), 0);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.ptr, "abcd\0e\0", 7);
	pl_buf_release(&b);
}

static void test_buf__grows_past_many_reallocations(void **state)
{
	pl_buf b;
	size_t i;

	(void)state;
	pl_buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(pl_buf_addc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.ptr[100000], '\0');
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.ptr[i], 'a' + i % 26);
	pl_buf_release(&b);
}

static void test_buf__cap_truncates_and_returns_elimit(void **state)
{
	pl_buf b;

	(void)state;
	pl_buf_init(&b, 5);
	assert_int_equal(pl_buf_adds(&b, "abc"), 0);
	assert_false(b.truncated);
	assert_int_equal(pl_buf_adds(&b, "defg"), PL_ELIMIT);
	assert_true(b.truncated);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.ptr, "abcde");
	/* full: every further append fails and changes nothing */
	assert_int_equal(pl_buf_addc(&b, 'x'), PL_ELIMIT);
	assert_int_equal(pl_buf_addf(&b, "%d", 1), PL_ELIMIT);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.ptr, "abcde");
	pl_buf_release(&b);
}

static void test_buf__append_that_exactly_reaches_cap_is_ok(void **state)
{
	pl_buf b;

	(void)state;
	pl_buf_init(&b, 4);
	assert_int_equal(pl_buf_adds(&b, "ab"), 0);
	assert_int_equal(pl_buf_adds(&b, "cd"), 0);
	assert_false(b.truncated);
	assert_string_equal(b.ptr, "abcd");
	assert_int_equal(pl_buf_add(&b, "", 0), 0);
	assert_false(b.truncated);
	pl_buf_release(&b);
}

static void test_buf__addf_formats_and_truncates(void **state)
{
	pl_buf b;
	char big[3000];

	(void)state;
	pl_buf_init(&b, 0);
	assert_int_equal(pl_buf_addf(&b, "%s=%d;", "x", 42), 0);
	assert_int_equal(pl_buf_addf(&b, "%s", ""), 0);
	assert_int_equal(pl_buf_addf(&b, "%05.1f", 2.5), 0);
	assert_string_equal(b.ptr, "x=42;002.5");
	assert_int_equal(b.len, strlen("x=42;002.5"));
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(pl_buf_addf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 10 + 2 + 2999);
	assert_int_equal(b.ptr[b.len - 1], ']');
	pl_buf_release(&b);

	pl_buf_init(&b, 8);
	assert_int_equal(pl_buf_adds(&b, "ab"), 0);
	assert_int_equal(pl_buf_addf(&b, "%s-%s", "0123", "4567"), PL_ELIMIT);
	assert_true(b.truncated);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.ptr, "ab0123-4");
	pl_buf_release(&b);
}

static void test_buf__clear_keeps_buffer_usable(void **state)
{
	pl_buf b;

	(void)state;
	pl_buf_init(&b, 4);
	pl_buf_adds(&b, "abcdef");
	assert_true(b.truncated);
	pl_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	assert_false(b.truncated);
	assert_int_equal(pl_buf_adds(&b, "xy"), 0);
	assert_string_equal(b.ptr, "xy");
	pl_buf_release(&b);
}

static void test_buf__detach_hands_over_the_bytes(void **state)
{
	pl_buf b;
	char *s;
	size_t len = 99;

	(void)state;
	pl_buf_init(&b, 0);
	pl_buf_adds(&b, "hello");
	s = pl_buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	assert_int_equal(pl_buf_adds(&b, "new"), 0);
	assert_string_equal(b.ptr, "new");
	assert_string_equal(s, "hello"); /* no longer shared */
	free(s);
	pl_buf_release(&b);

	/* an empty buffer still detaches a freeable "" */
	pl_buf_init(&b, 0);
	s = pl_buf_detach(&b, NULL);
	assert_string_equal(s, "");
	free(s);
}

struct json_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *want;
};

static void test_buf__json_string_escapes(void **state)
{
	static const struct json_case cases[] = {
	        {"", 0, "\"\""},
	        {"plain text", 0, "\"plain text\""},
	        {"say \"hi\"", 0, "\"say \\\"hi\\\"\""},
	        {"C:\\dir\\", 0, "\"C:\\\\dir\\\\\""},
	        {"/", 0, "\"/\""},
	        {"a\nb\rc\td", 0, "\"a\\nb\\rc\\td\""},
	        {"\b\f", 0, "\"\\b\\f\""},
	        {"\x01", 0, "\"\\u0001\""},
	        {"\x1f", 0, "\"\\u001f\""},
	        {"\x0b\x1b", 0, "\"\\u000b\\u001b\""},
	        {"a\0b", 3, "\"a\\u0000b\""},
	        {"\x7f", 0, "\"\x7f\""},
	        {" ~", 0, "\" ~\""},
	        /* valid UTF-8 is kept as it is */
	        {"caf\xc3\xa9", 0, "\"caf\xc3\xa9\""},
	        {"\xe2\x82\xac 5", 0, "\"\xe2\x82\xac 5\""},
	        {"\xf0\x9f\x98\x80", 0, "\"\xf0\x9f\x98\x80\""},
	        {"\xc2\x80\xdf\xbf", 0, "\"\xc2\x80\xdf\xbf\""},
	        {"\xf4\x8f\xbf\xbf", 0, "\"\xf4\x8f\xbf\xbf\""},
	        {"\xe2\x80\xa8", 0, "\"\xe2\x80\xa8\""},
	        /* each invalid byte becomes U+FFFD */
	        {"\xff", 0, "\"\xef\xbf\xbd\""},
	        {"a\xfe"
	         "b",
	         0,
	         "\"a\xef\xbf\xbd"
	         "b\""},
	        {"\x80", 0, "\"\xef\xbf\xbd\""},
	        {"\xc3", 0, "\"\xef\xbf\xbd\""},
	        {"\xc3(", 0, "\"\xef\xbf\xbd(\""},
	        {"\xc0\xaf", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\""},
	        {"\xed\xa0\x80", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
	        {"\xf4\x90\x80\x80", 0,
	         "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
	        {"x\xe2\x82", 0, "\"x\xef\xbf\xbd\xef\xbf\xbd\""},
	        /* an escape right after an invalid byte, and the reverse */
	        {"\xff\"\n\xc3\xa9\\", 0,
	         "\"\xef\xbf\xbd\\\"\\n\xc3\xa9\\\\\""},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		const struct json_case *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		pl_buf b;
		char h1[200], h2[200], h3[200];
		int rc;

		pl_buf_init(&b, 0);
		rc = pl_buf_add_json_str(&b, c->in, len);
		if (rc != 0 || b.len != strlen(c->want) ||
		    memcmp(b.ptr, c->want, b.len) != 0) {
			print_error(
			        "json(%s) = %s rc %d, want %s\n",
			        hex(h1, sizeof(h1), c->in, len),
			        hex(h2, sizeof(h2), b.ptr, b.len), rc,
			        hex(h3, sizeof(h3), c->want, strlen(c->want)));
			failed++;
		}
		pl_buf_release(&b);
	}
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed,
		            PL_ARRAY_SIZE(cases));
		fail();
	}
}

static void test_buf__json_string_appends_to_existing_text(void **state)
{
	pl_buf b;

	(void)state;
	pl_buf_init(&b, 0);
	pl_buf_adds(&b, "{\"k\":");
	assert_int_equal(pl_buf_add_json_str(&b, "v\x01", 2), 0);
	pl_buf_addc(&b, '}');
	assert_string_equal(b.ptr, "{\"k\":\"v\\u0001\"}");
	pl_buf_release(&b);
}

static void test_buf__json_string_over_cap_returns_elimit(void **state)
{
	pl_buf b;

	(void)state;
	pl_buf_init(&b, 6);
	assert_int_equal(pl_buf_add_json_str(&b, "abcdefgh", 8), PL_ELIMIT);
	assert_true(b.truncated);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.ptr, "\"abcde");
	pl_buf_release(&b);

	/* the escape that does not fit is what crosses the cap */
	pl_buf_init(&b, 4);
	assert_int_equal(pl_buf_add_json_str(&b, "a\n", 2), PL_ELIMIT);
	assert_true(b.truncated);
	assert_int_equal(b.len, 4);
	pl_buf_release(&b);
}

/* --- vec -------------------------------------------------------------- */

struct item {
	int a;
	double b;
	char c[3];
};

static void test_vec__push_is_zeroed_append_copies(void **state)
{
	pl_vec v;
	struct item *it, x = {7, 2.5, "hi"};

	(void)state;
	pl_vec_init(&v, sizeof(struct item));
	assert_int_equal(v.len, 0);
	it = pl_vec_push(&v);
	assert_int_equal(it->a, 0);
	assert_true(it->b == 0.0);
	assert_int_equal(it->c[0], 0);
	it->a = 1;
	pl_vec_append(&v, &x);
	x.a = 99; /* the vec holds a copy */
	assert_int_equal(v.len, 2);
	it = pl_vec_at(&v, 0);
	assert_int_equal(it->a, 1);
	it = pl_vec_at(&v, 1);
	assert_int_equal(it->a, 7);
	assert_true(it->b == 2.5);
	assert_string_equal(it->c, "hi");
	pl_vec_release(&v);
	assert_int_equal(v.len, 0);
	assert_null(v.items);
	assert_int_equal(v.elem, sizeof(struct item));
	pl_vec_release(&v);
}

static void test_vec__keeps_values_through_growth(void **state)
{
	pl_vec v;
	size_t i;

	(void)state;
	pl_vec_init(&v, sizeof(size_t));
	for (i = 0; i < 50000; i++)
		pl_vec_append(&v, &i);
	assert_int_equal(v.len, 50000);
	assert_true(v.cap >= v.len);
	for (i = 0; i < 50000; i++)
		assert_int_equal(*(size_t *)pl_vec_at(&v, i), i);
	pl_vec_release(&v);
}

static void test_vec__truncate_only_shrinks(void **state)
{
	pl_vec v;
	int i;

	(void)state;
	pl_vec_init(&v, sizeof(int));
	for (i = 0; i < 10; i++)
		pl_vec_append(&v, &i);
	pl_vec_truncate(&v, 20);
	assert_int_equal(v.len, 10);
	pl_vec_truncate(&v, 3);
	assert_int_equal(v.len, 3);
	i = 42;
	pl_vec_append(&v, &i);
	assert_int_equal(v.len, 4);
	assert_int_equal(*(int *)pl_vec_at(&v, 2), 2);
	assert_int_equal(*(int *)pl_vec_at(&v, 3), 42);
	pl_vec_truncate(&v, 0);
	assert_int_equal(v.len, 0);
	pl_vec_release(&v);
}

/* --- map -------------------------------------------------------------- */

static void test_map__put_get_replace(void **state)
{
	pl_map m;
	int one = 1, two = 2, three = 3;
	void *old = &one;

	(void)state;
	pl_map_init(&m);
	assert_null(pl_map_get(&m, "a", 1));
	assert_true(pl_map_put(&m, "a", 1, &one, &old));
	assert_null(old);
	assert_true(pl_map_put(&m, "ab", 2, &two, NULL));
	assert_ptr_equal(pl_map_get(&m, "a", 1), &one);
	assert_ptr_equal(pl_map_get(&m, "ab", 2), &two);
	assert_null(pl_map_get(&m, "abc", 3));
	assert_null(pl_map_get(&m, "b", 1));
	assert_int_equal(m.len, 2);

	/* replacing returns the old value and keeps the count */
	assert_false(pl_map_put(&m, "a", 1, &three, &old));
	assert_ptr_equal(old, &one);
	assert_ptr_equal(pl_map_get(&m, "a", 1), &three);
	assert_int_equal(m.len, 2);

	/* keys compare by bytes and length, not by pointer or NUL */
	{
		char copy[] = "ab";
		assert_ptr_equal(pl_map_get(&m, copy, 2), &two);
		assert_ptr_equal(pl_map_get(&m, "abX", 2), &two);
	}
	pl_map_release(&m);
	assert_null(pl_map_get(&m, "a", 1));
}

static void test_map__zero_length_and_embedded_nul_keys(void **state)
{
	pl_map m;
	int e = 1, a = 2, nul = 3;

	(void)state;
	pl_map_init(&m);
	assert_true(pl_map_put(&m, "", 0, &e, NULL));
	assert_true(pl_map_put(&m, "a", 1, &a, NULL));
	assert_true(pl_map_put(&m, "a\0b", 3, &nul, NULL));
	assert_ptr_equal(pl_map_get(&m, "", 0), &e);
	assert_ptr_equal(pl_map_get(&m, "zzz", 0), &e);
	assert_ptr_equal(pl_map_get(&m, "a", 1), &a);
	assert_ptr_equal(pl_map_get(&m, "a\0b", 3), &nul);
	assert_null(pl_map_get(&m, "a\0c", 3));
	assert_false(pl_map_put(&m, "", 0, &a, NULL));
	assert_ptr_equal(pl_map_get(&m, "", 0), &a);
	assert_int_equal(m.len, 3);
	pl_map_release(&m);
}

static void test_map__grows_past_thousands_of_keys(void **state)
{
	enum { N = 20000 };
	static char keys[N][16];
	static size_t vals[N];
	pl_map m;
	size_t i, bad = 0;

	(void)state;
	pl_map_init(&m);
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key-%zu", i);
		vals[i] = i;
		if (!pl_map_put(&m, keys[i], strlen(keys[i]), &vals[i], NULL)) {
			print_error("key %s reported as present\n", keys[i]);
			bad++;
		}
	}
	assert_int_equal(m.len, N);
	assert_true(m.cap >= 2 * N);
	for (i = 0; i < N; i++) {
		size_t *v = pl_map_get(&m, keys[i], strlen(keys[i]));
		if (v != &vals[i]) {
			print_error("get(%s) = %p, want %p\n", keys[i],
			            (void *)v, (void *)&vals[i]);
			if (++bad > 5)
				break;
		}
	}
	assert_null(pl_map_get(&m, "key-20000", 9));
	assert_null(pl_map_get(&m, "key-", 4));
	pl_map_release(&m);
	assert_int_equal(bad, 0);
}

static void test_map__clear_forgets_keys(void **state)
{
	pl_map m;
	int v = 1;

	(void)state;
	pl_map_init(&m);
	pl_map_reset(&m); /* clearing an empty map is fine */
	pl_map_put(&m, "k", 1, &v, NULL);
	pl_map_put(&m, "l", 1, &v, NULL);
	pl_map_reset(&m);
	assert_int_equal(m.len, 0);
	assert_null(pl_map_get(&m, "k", 1));
	assert_true(pl_map_put(&m, "k", 1, &v, NULL));
	assert_ptr_equal(pl_map_get(&m, "k", 1), &v);
	assert_int_equal(m.len, 1);
	pl_map_release(&m);
}

static void test_map__hash_is_never_zero(void **state)
{
	char k[8];
	unsigned i;

	(void)state;
	assert_true(pl_map_hash("", 0) != 0);
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "%u", i);
		assert_true(pl_map_hash(k, strlen(k)) != 0);
	}
	assert_true(pl_map_hash("ab", 2) != pl_map_hash("ba", 2));
}

/* --- utf8 ------------------------------------------------------------- */

struct utf8_case {
	const char *s;
	size_t len;
	size_t want;
};

#define U(s, want)                                                             \
	{                                                                      \
		s, sizeof(s) - 1, want                                         \
	}

static void check_utf8_cases(const struct utf8_case *cases, size_t n,
                             bool count)
{
	size_t i, failed = 0;
	char h[100];

	for (i = 0; i < n; i++) {
		const struct utf8_case *c = &cases[i];
		size_t got = count ? pl_utf8_count(c->s, c->len)
		                   : pl_utf8_valid_len(c->s, c->len);
		if (got != c->want) {
			print_error("%s(\"%s\", %zu) = %zu, want %zu\n",
			            count ? "pl_utf8_count"
			                  : "pl_utf8_valid_len",
			            hex(h, sizeof(h), c->s, c->len), c->len,
			            got, c->want);
			failed++;
		}
	}
	if (failed) {
		print_error("%zu of %zu cases failed\n", failed, n);
		fail();
	}
}

static void test_utf8__valid_len_of_valid_sequences(void **state)
{
	static const struct utf8_case cases[] = {
	        U("a", 1),
	        U("\x7f", 1),
	        U("\t", 1),
	        U("\xc2\x80", 2),         /* U+0080 */
	        U("\xc3\xa9", 2),         /* é */
	        U("\xdf\xbf", 2),         /* U+07FF */
	        U("\xe0\xa0\x80", 3),     /* U+0800 */
	        U("\xe2\x82\xac", 3),     /* € */
	        U("\xed\x9f\xbf", 3),     /* U+D7FF, below surrogates */
	        U("\xee\x80\x80", 3),     /* U+E000, above them */
	        U("\xef\xbf\xbf", 3),     /* U+FFFF */
	        U("\xf0\x90\x80\x80", 4), /* U+10000 */
	        U("\xf0\x9f\x98\x80", 4), /* 😀 */
	        U("\xf4\x8f\xbf\xbf", 4), /* U+10FFFF */
	        /* only the first sequence counts */
	        U("\xc3\xa9xyz", 2),
	        U("ab", 1),
	};
	(void)state;
	check_utf8_cases(cases, PL_ARRAY_SIZE(cases), false);
}

static void test_utf8__valid_len_rejects_invalid_sequences(void **state)
{
	static const struct utf8_case cases[] = {
	        {"", 0, 0},
	        /* overlong forms */
	        U("\xc0\x80", 0),
	        U("\xc0\xaf", 0),
	        U("\xc1\xbf", 0),
	        U("\xe0\x80\x80", 0),
	        U("\xe0\x9f\xbf", 0),
	        U("\xf0\x80\x80\x80", 0),
	        U("\xf0\x8f\xbf\xbf", 0),
	        /* UTF-16 surrogates */
	        U("\xed\xa0\x80", 0),
	        U("\xed\xad\xbf", 0),
	        U("\xed\xb0\x80", 0),
	        U("\xed\xbf\xbf", 0),
	        /* above U+10FFFF */
	        U("\xf4\x90\x80\x80", 0),
	        U("\xf4\xbf\xbf\xbf", 0),
	        U("\xf5\x80\x80\x80", 0),
	        U("\xf7\xbf\xbf\xbf", 0),
	        U("\xf8\x88\x80\x80\x80", 0),
	        U("\xfc\x84\x80\x80\x80\x80", 0),
	        U("\xfe", 0),
	        U("\xff", 0),
	        /* truncated sequences */
	        U("\xc3", 0),
	        U("\xe2\x82", 0),
	        U("\xe2", 0),
	        U("\xf0\x9f\x98", 0),
	        U("\xf0\x9f", 0),
	        {"\xc3\xa9", 1, 0}, /* len cuts the sequence */
	        {"\xe2\x82\xac", 2, 0},
	        {"\xf0\x9f\x98\x80", 3, 0},
	        /* lone or missing continuation bytes */
	        U("\x80", 0),
	        U("\xbf", 0),
	        U("\xc3\x28", 0),
	        U("\xc3\xc3", 0),
	        U("\xe2\x28\xa1", 0),
	        U("\xe2\x82\x28", 0),
	        U("\xf0\x28\x8c\xbc", 0),
	        U("\xf0\x9f\x98\x28", 0),
	};
	(void)state;
	check_utf8_cases(cases, PL_ARRAY_SIZE(cases), false);
}

static void test_utf8__count_counts_code_points(void **state)
{
	static const struct utf8_case cases[] = {
	        {"", 0, 0},
	        U("abc", 3),
	        U("\xc3\xa9", 1),
	        U("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 4),
	        U("\t\t", 2),
	        /* an invalid byte counts as one */
	        U("\xff\xfe", 2),
	        U("a\xc3", 2),
	        U("\xe2\x82", 2),
	        U("\xed\xa0\x80", 3),
	        U("\xc0\xaf", 2),
	        U("\xc3\xa9\xff\xc3\xa9", 3),
	        {"abc", 2, 2}, /* only len bytes */
	        {"a\0b", 3, 3},
	};
	(void)state;
	check_utf8_cases(cases, PL_ARRAY_SIZE(cases), true);
}

static void test_utf8__seq_len_of_lead_bytes(void **state)
{
	static const struct {
		unsigned char c;
		size_t want;
	} cases[] = {
	        {0x00, 1}, {0x41, 1}, {0x7f, 1}, {0x80, 1}, {0xbf, 1},
	        {0xc0, 1}, {0xc1, 1}, {0xc2, 2}, {0xdf, 2}, {0xe0, 3},
	        {0xef, 3}, {0xf0, 4}, {0xf4, 4}, {0xf5, 1}, {0xff, 1},
	};
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		size_t got = pl_utf8_seq_len(cases[i].c);
		if (got != cases[i].want) {
			print_error("pl_utf8_seq_len(0x%02x) = %zu, want %zu\n",
			            cases[i].c, got, cases[i].want);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* --- error ------------------------------------------------------------ */

static void test_error__set_fills_and_returns_code(void **state)
{
	pl_error err;
	pl_pos pos = {3, 7, 42};
	char out[300];

	(void)state;
	pl_error_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.msg, "");
	assert_int_equal(pl_error_set(&err, PL_ECONFIG, ".plumb.yaml", &pos,
	                              "unknown key '%s'", "mach"),
	                 PL_ECONFIG);
	assert_int_equal(err.code, PL_ECONFIG);
	assert_int_equal(err.pos.line, 3);
	assert_int_equal(err.pos.col, 7);
	assert_int_equal(err.pos.offset, 42);
	assert_string_equal(err.msg, "unknown key 'mach'");
	pl_error_format(&err, out, sizeof(out));
	assert_string_equal(out, ".plumb.yaml:3:7: unknown key 'mach'");

	pl_error_set(&err, PL_EIO, "x.yaml", NULL, "cannot read");
	assert_int_equal(err.pos.line, 0);
	pl_error_format(&err, out, sizeof(out));
	assert_string_equal(out, "x.yaml: cannot read");

	pl_error_set(&err, PL_EUSAGE, NULL, NULL, "bad flag %d", 1);
	pl_error_format(&err, out, sizeof(out));
	assert_string_equal(out, "bad flag 1");

	/* a NULL error is allowed: only the code comes back */
	assert_int_equal(pl_error_set(NULL, PL_EIO, NULL, NULL, "x"), PL_EIO);
}

static void test_error__long_message_is_cut_to_msg_size(void **state)
{
	pl_error err;
	char long_text[600];

	(void)state;
	memset(long_text, 'm', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	pl_error_set(&err, PL_EPARSE, NULL, NULL, "%s", long_text);
	/* cut, with room for an escape sequence at the end (base/quote.h) */
	assert_true(strlen(err.msg) >= sizeof(err.msg) - 9);
	assert_true(strlen(err.msg) < sizeof(err.msg));
}

static void test_error__control_characters_are_escaped(void **state)
{
	pl_error err;
	char out[512];

	(void)state;
	pl_error_set(&err, PL_EUSAGE, "a\nb.yaml", NULL, "bad '%s'",
	             "x\033[2Jy\tz");
	pl_error_format(&err, out, sizeof(out));
	assert_string_equal(out, "a\\nb.yaml: bad 'x\\x1b[2Jy\\tz'");
}

static void test_error__long_path_keeps_its_tail(void **state)
{
	pl_error err;
	pl_pos pos = {12, 5, 0};
	char path[300], out[400];
	const char *tail;

	(void)state;
	memset(path, 'd', 250);
	memcpy(path + 250, "/deploy.yaml", 13);
	pl_error_set(&err, PL_ERULE, path, &pos, "boom");
	pl_error_format(&err, out, sizeof(out));
	assert_memory_equal(out, "...", 3);
	tail = out + strlen(out) - strlen("/deploy.yaml:12:5: boom");
	assert_string_equal(tail, "/deploy.yaml:12:5: boom");
	assert_int_equal(strlen(out), 3 + 117 + strlen(":12:5: boom"));
}

static void to_hex(char *out, const unsigned char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void test_sha256__abc_and_two_blocks(void **state)
{
	static const char two[] =
	        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	unsigned char d[PL_SHA256_LEN];
	char h[2 * PL_SHA256_LEN + 1];
	pl_sha256 c;
	(void)state;
	pl_sha256_init(&c);
	pl_sha256_update(&c, "abc", 3);
	pl_sha256_final(&c, d);
	to_hex(h, d, sizeof(d));
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
	                       "b00361a396177a9cb410ff61f20015ad");
	pl_sha256_init(&c);
	pl_sha256_update(&c, two, strlen(two));
	pl_sha256_final(&c, d);
	to_hex(h, d, sizeof(d));
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039"
	                       "a33ce45964ff2167f6ecedd419db06c1");
}

/* The paper's vectors (key 00..0f): the empty message and 00..0e for
 * 64 bits, the empty message for 128; fed in pieces, the same. */
static void test_siphash__paper_vectors(void **state)
{
	unsigned char k[PL_SIPHASH_KEY_LEN], m[15], o[16];
	char h[33];
	pl_siphash s;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(k); i++)
		k[i] = (unsigned char)i;
	for (i = 0; i < sizeof(m); i++)
		m[i] = (unsigned char)i;
	pl_siphash_init(&s, k, false);
	pl_siphash_final(&s, o);
	to_hex(h, o, 8);
	assert_string_equal(h, "310e0edd47db6f72"); /* 0x726fdb47dd0e0e31 */
	pl_siphash_init(&s, k, false);
	pl_siphash_update(&s, m, 15);
	pl_siphash_final(&s, o);
	to_hex(h, o, 8);
	assert_string_equal(h, "e545be4961ca29a1"); /* 0xa129ca6149be45e5 */
	pl_siphash_init(&s, k, false);
	pl_siphash_update(&s, m, 3);
	pl_siphash_update(&s, m + 3, 9);
	pl_siphash_update(&s, m + 12, 3);
	pl_siphash_final(&s, o);
	to_hex(h, o, 8);
	assert_string_equal(h, "e545be4961ca29a1");
	pl_siphash_init(&s, k, true);
	pl_siphash_final(&s, o);
	to_hex(h, o, 16);
	assert_string_equal(h, "a3817f04ba25a8e66df67214c7550293");
}

/* RFC 4231 §4.2-4.8, all seven cases (case 5 compares 128 bits). */
static void test_hmac_sha256__rfc4231_vectors(void **state)
{
	static const char big_data[] =
	        "This is a test using a larger than block-size key and a "
	        "larger than block-size data. The key needs to be hashed "
	        "before being used by the HMAC algorithm.";
	unsigned char k0b[20], kaa[20], k25[25], k0c[20], kaa131[131];
	unsigned char ddd[50], dcd[50];
	const struct {
		const unsigned char *key;
		size_t klen;
		const void *data;
		size_t dlen;
		size_t cmp; /* hex digits compared */
		const char *want;
	} cases[] = {
	        {k0b, 20, "Hi There", 8, 64,
	         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	        {(const unsigned char *)"Jefe", 4,
	         "what do ya want for nothing?", 28, 64,
	         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	        {kaa, 20, ddd, 50, 64,
	         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
	        {k25, 25, dcd, 50, 64,
	         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
	        {k0c, 20, "Test With Truncation", 20, 32,
	         "a3b6167473100ee06e0c796c2955552b"},
	        {kaa131, 131,
	         "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	         64,
	         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	        {kaa131, 131, big_data, sizeof(big_data) - 1, 64,
	         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	};
	size_t i;
	bool ok = true;
	(void)state;
	memset(k0b, 0x0b, sizeof(k0b));
	memset(kaa, 0xaa, sizeof(kaa));
	memset(k0c, 0x0c, sizeof(k0c));
	memset(kaa131, 0xaa, sizeof(kaa131));
	memset(ddd, 0xdd, sizeof(ddd));
	memset(dcd, 0xcd, sizeof(dcd));
	for (i = 0; i < sizeof(k25); i++)
		k25[i] = (unsigned char)(i + 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char mac[PL_SHA256_LEN];
		char h[2 * PL_SHA256_LEN + 1];
		const void *parts[2];
		size_t lens[2], half = cases[i].dlen / 2;
		/* fed in two parts: the parts API must not matter */
		parts[0] = cases[i].data;
		lens[0] = half;
		parts[1] = (const char *)cases[i].data + half;
		lens[1] = cases[i].dlen - half;
		pl_hmac_sha256(mac, cases[i].key, cases[i].klen, parts, lens,
		               2);
		to_hex(h, mac, sizeof(mac));
		if (strncmp(h, cases[i].want, cases[i].cmp) != 0) {
			print_error("RFC 4231 case %zu: got %s\n", i + 1, h);
			ok = false;
		}
	}
	assert_true(ok);
}

static void test_similar__distance_and_best(void **state)
{
	static const char *const names[] = {"format", "fail-on", "staged"};
	static const struct {
		const char *a, *b;
		size_t want;
	} cases[] = {
	        {"", "", 0},
	        {"format", "format", 0},
	        {"fromat", "format", 2},
	        {"chek", "check", 1},
	        {"abc", "", 3},
	        {"kitten", "sitting", 3},
	};
	char longer[200];
	size_t i;

	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++) {
		if (pl_similar_distance(cases[i].a, cases[i].b) !=
		    cases[i].want)
			fail_msg("distance('%s', '%s') != %zu", cases[i].a,
			         cases[i].b, cases[i].want);
	}
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_true(pl_similar_distance(longer, "a") == SIZE_MAX);
	assert_string_equal(pl_similar_best("fromat", names, 3, 2), "format");
	assert_string_equal(pl_similar_best("staeg", names, 3, 2), "staged");
	assert_null(pl_similar_best("zzzzzz", names, 3, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_arena__allocations_are_8_byte_aligned),
	        cmocka_unit_test(test_arena__zalloc_returns_zeroed_memory),
	        cmocka_unit_test(
	                test_arena__strndup_copies_n_bytes_and_nul_terminates),
	        cmocka_unit_test(test_arena__printf_longer_than_a_chunk),
	        cmocka_unit_test(
	                test_arena__many_small_and_large_allocations_do_not_overlap),
	        cmocka_unit_test(
	                test_arena__release_empties_and_arena_is_reusable),
	        cmocka_unit_test(test_arena__huge_request_exits_out_of_memory),
	        cmocka_unit_test(test_buf__init_is_empty_nul_terminated),
	        cmocka_unit_test(test_buf__appends_keep_length_and_nul),
	        cmocka_unit_test(test_buf__grows_past_many_reallocations),
	        cmocka_unit_test(test_buf__cap_truncates_and_returns_elimit),
	        cmocka_unit_test(
	                test_buf__append_that_exactly_reaches_cap_is_ok),
	        cmocka_unit_test(test_buf__addf_formats_and_truncates),
	        cmocka_unit_test(test_buf__clear_keeps_buffer_usable),
	        cmocka_unit_test(test_buf__detach_hands_over_the_bytes),
	        cmocka_unit_test(test_buf__json_string_escapes),
	        cmocka_unit_test(
	                test_buf__json_string_appends_to_existing_text),
	        cmocka_unit_test(test_buf__json_string_over_cap_returns_elimit),
	        cmocka_unit_test(test_vec__push_is_zeroed_append_copies),
	        cmocka_unit_test(test_vec__keeps_values_through_growth),
	        cmocka_unit_test(test_vec__truncate_only_shrinks),
	        cmocka_unit_test(test_map__put_get_replace),
	        cmocka_unit_test(test_map__zero_length_and_embedded_nul_keys),
	        cmocka_unit_test(test_map__grows_past_thousands_of_keys),
	        cmocka_unit_test(test_map__clear_forgets_keys),
	        cmocka_unit_test(test_map__hash_is_never_zero),
	        cmocka_unit_test(test_utf8__valid_len_of_valid_sequences),
	        cmocka_unit_test(
	                test_utf8__valid_len_rejects_invalid_sequences),
	        cmocka_unit_test(test_utf8__count_counts_code_points),
	        cmocka_unit_test(test_utf8__seq_len_of_lead_bytes),
	        cmocka_unit_test(test_error__set_fills_and_returns_code),
	        cmocka_unit_test(test_error__long_message_is_cut_to_msg_size),
	        cmocka_unit_test(test_error__long_path_keeps_its_tail),
	        cmocka_unit_test(test_error__control_characters_are_escaped),
	        cmocka_unit_test(test_sha256__abc_and_two_blocks),
	        cmocka_unit_test(test_siphash__paper_vectors),
	        cmocka_unit_test(test_hmac_sha256__rfc4231_vectors),
	        cmocka_unit_test(test_similar__distance_and_best),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
