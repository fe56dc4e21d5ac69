/*
 * test_secrets.c - the shared pieces of the secrets/ rules: placeholders
 * and references, credential key names, masking, base64, entropy.
 */
#include "testlib.h"
#include "builtin/secrets_scan.h"

static void
test_secrets__placeholders_and_references_are_not_secrets(void **state)
{
	static const struct {
		const char *value;
		bool placeholder;
	} cases[] = {
	        {"", true},
	        {"<password>", true},
	        {"<your-api-key>", true},
	        {"${DB_PASSWORD}", true},
	        {"$DB_PASSWORD", true},
	        {"$(API_TOKEN)", true},
	        {"{{ .password }}", true},
	        {"prefix-{{ .Values.token }}", true},
	        {"op://homelab/cloudflare/token", true},
	        {"vault:secret/data/app#password", true},
	        {"changeme", true},
	        {"CHANGEME", true},
	        {"xxxxxxxxxxxxxxxx", true},
	        {"****", true},
	        {"aaaaaaaaaaaa", true},
	        {"ENC[AES256_GCM,data:abc,type:str]", true},
	        {"sha256:0123456789abcdef", true},
	        {"password", true},
	        {"your_token_here", true},
	        {"xoxb-123-secret-token", true},
	        {"**SOPS**", true},
	        {"Zr8qL1vT9xWc2mN4", false},
	        {"hunter2hunter2", false},
	        {"s3cr3t-Pa55w0rd!", false},
	        {"$5ecretValue", false},
	};
	size_t i;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++)
		if (pl_secret_placeholder(cases[i].value,
		                          strlen(cases[i].value)) !=
		    cases[i].placeholder)
			fail_msg("pl_secret_placeholder(\"%s\") != %d",
			         cases[i].value, cases[i].placeholder);
}

static void test_secrets__key_names_on_word_boundaries(void **state)
{
	static const struct {
		const char *key;
		bool credential;
	} cases[] = {
	        {"password", true},        {"dbPassword", true},
	        {"DB_PASSWORD", true},     {"db-password", true},
	        {"apiKey", true},          {"api_key", true},
	        {"API-KEY", true},         {"privateKey", true},
	        {"clientSecret", true},    {"secret", true},
	        {"accessToken", true},     {"GITHUB_TOKEN", true},
	        {"secretAccessKey", true}, {"insecure", false},
	        {"tokenizer", false},      {"secretName", false},
	        {"existingSecret", false}, {"passwordFile", false},
	        {"tokenUrl", false},       {"secretKeyRef", false},
	        {"passwordPolicy", false}, {"deploy-key", false},
	        {"region", false},         {"keyboard", false},
	};
	size_t i;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(cases); i++)
		if (pl_secret_key_name(cases[i].key, strlen(cases[i].key)) !=
		    cases[i].credential)
			fail_msg("pl_secret_key_name(\"%s\") != %d",
			         cases[i].key, cases[i].credential);
}

static void
test_secrets__mask_shows_four_characters_of_long_values(void **state)
{
	char out[32];
	(void)state;
	pl_secret_mask(out, sizeof(out), "ghp_abcdefghijklmnop", 20);
	assert_string_equal(out, "ghp_***");
	/* a value too short for a 4-character head is masked whole */
	pl_secret_mask(out, sizeof(out), "hunter2hunter", 13);
	assert_string_equal(out, "***");
	pl_secret_mask(out, sizeof(out), "4821", 4);
	assert_string_equal(out, "***");
	pl_secret_mask(out, sizeof(out), "ab", 2);
	assert_string_equal(out, "***");
	/* the head stops at a control character */
	pl_secret_mask(out, sizeof(out), "a\nbcdefghijklmnopq", 18);
	assert_string_equal(out, "a***");
}

static void test_secrets__base64_decoding(void **state)
{
	char *out = NULL;
	size_t len = 0;
	(void)state;
	assert_true(pl_base64_decode("aHVudGVyMg==", 12, &out, &len));
	assert_int_equal(len, 7);
	assert_memory_equal(out, "hunter2", 7);
	free(out);
	assert_true(pl_base64_decode("aHVu\ndGVy", 9, &out, &len));
	assert_int_equal(len, 6);
	assert_memory_equal(out, "hunter", 6);
	free(out);
	assert_false(pl_base64_decode("not base64!", 11, &out, &len));
	assert_false(pl_base64_decode("aGk=aGk=", 8, &out, &len));
	assert_false(pl_base64_decode("aGk-", 4, &out, &len));  /* URL-safe */
	assert_false(pl_base64_decode("aGVsb", 5, &out, &len)); /* 1 left */
}

static void test_secrets__entropy(void **state)
{
	(void)state;
	assert_true(pl_secret_entropy("aaaaaaaa", 8) == 0.0);
	assert_true(pl_secret_entropy("abababab", 8) == 1.0);
	assert_true(pl_secret_entropy("abcdefgh", 8) == 3.0);
	assert_true(pl_secret_entropy("", 0) == 0.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(
	                test_secrets__placeholders_and_references_are_not_secrets),
	        cmocka_unit_test(test_secrets__key_names_on_word_boundaries),
	        cmocka_unit_test(
	                test_secrets__mask_shows_four_characters_of_long_values),
	        cmocka_unit_test(test_secrets__base64_decoding),
	        cmocka_unit_test(test_secrets__entropy),
	};
	return cmocka_run_group_tests_name("secrets", tests, NULL, NULL);
}
