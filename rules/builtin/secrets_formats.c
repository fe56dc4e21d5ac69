/*
 * secrets_formats.c - the credential format table (secrets_formats.h).
 *
 * Facts come from the services' own documentation of their token formats
 * (prefixes, lengths, alphabets); the regexes are ours. Rows are grouped:
 * private keys, tokens recognisable by a prefix of their own, tokens that
 * are recognisable only by the key naming the service (PL_KEYED), then the
 * generic shapes: passwords in URLs, command-line and header credentials,
 * and secret-named assignments with a high-entropy value.
 *
 * Every regex is linear in practice: quantifiers are bounded, adjacent
 * quantified classes either exclude each other's characters or are short,
 * and no quantified group contains another unbounded quantifier.
 */
#include "builtin/secrets_formats.h"

/*
 * The assignment shapes a key-named secret turns up in, after the word
 * naming the service: the rest of the key (`_API_TOKEN`, `Token`), an
 * optional closing quote, then `=`, `:`, `:=`, `::=`, `:::=`, `?=`, `.=`,
 * `=>` (Ruby, Perl, Logstash), `"KEY", "value"` (setProperty, getenv
 * defaults), `<Key>value</Key>` (XML), and Go's `var key string =`.
 */
#define PL_KV_TAIL "[\\w.\\-]{0,24}?"
#define PL_KV_OP                                                               \
	"(?:[\"'\\x60]?(?:[ \\t]+(?i:string))?[ \\t]{0,8}"                     \
	"(?::{1,3}=|[?.]?=|=>|:)[ \\t]{0,8}"                                   \
	"|[\"'\\x60][ \\t]{0,4},[ \\t]{0,4}|>\\s{0,12})"
#define PL_KV_SEP PL_KV_TAIL PL_KV_OP "[\"'\\x60]?"
/* The value ends at a quote, a blank, a separator or the end of a line:
 * it is not the start of something longer. */
#define PL_KV_END "(?=[\"'\\x60;,)\\s\\\\<|&]|$)"
/* A service's word (caseless, not inside a longer word), an assignment,
 * and the value (case-sensitive) as group 1. */
#define PL_KEYED(key, value)                                                   \
	"(?<![A-Za-z0-9])(?i:" key ")" PL_KV_SEP "(" value ")" PL_KV_END

/* Where a key word starts: not inside a lower-case word (`jsonwebtoken`),
 * but at a camelCase hump (`apiToken`). */
#define PL_KEY_START "(?<!/)(?:(?<![A-Za-z0-9])|(?<=[a-z])(?=[A-Z]))"
/* A last word that makes the key about the secret, not the secret itself
 * (`tokenUrl`, `secretName`, `credentialsId`, `password_file`). */
#define PL_KEY_NOT_ABOUT                                                       \
	"(?<!id|ID|Id|name|Name|NAME|file|File|FILE|path|Path|PATH|url|Url"    \
	"|URL|uri|Uri|URI|ref|Ref|REF|type|Type|TYPE|size|Size|SIZE|length"    \
	"|Length|LENGTH|len|Len|LEN|prefix|Prefix|suffix|Suffix|header"        \
	"|Header|policy|Policy|mode|Mode|version|Version|format|Format|field"  \
	"|Field|label|Label|source|Source|count|Count|env|Env|ENV|dir|Dir"     \
	"|DIR|endpoint|Endpoint|provider|Provider|template|Template|store"     \
	"|Store|selector|Selector|ttl|TTL|Ttl|hash|Hash"                       \
	"|kind|Kind|variable|Variable|min|Min|MIN|max|Max|MAX|realm|Realm"     \
	"|REALM|bucket|Bucket|BUCKET|project|Project|PROJECT|scope|Scope"      \
	"|SCOPE|sha|Sha|SHA|checksum|Checksum|CHECKSUM|digest|Digest|DIGEST"   \
	"|user|User|USER|username|Username|USERNAME|hint|Hint|HINT|prompt"     \
	"|Prompt|PROMPT|HASH|TYPE|MODE|FORMAT|POLICY)"
/* Short padded base64 under a password key is a Kubernetes Secret's data
 * field: secrets/k8s-secret decodes and judges those. */
#define PL_NOT_SHORT_B64 "(?![A-Za-z0-9+/]{2,22}={1,2}" PL_VEND ")"
/* A quoted value (any bytes but blanks and escapes), or a bare one ending
 * where PL_KV_END says; group 1 in every branch. */
/* Characters that end a bare value. */
#define PL_VEND "(?:[\\s\"'\\x60\\\\;,<|&}\\]]|$)"
/* Values that name or point at a secret instead of being one: Kubernetes
 * object and key names (`grafana-admin-password`), environment variable
 * names (`ANTHROPIC_API_KEY`), URLs and paths (a password inside a URL
 * is the url-password row's), and code references (`var.db_password`,
 * `process.env.X`). */
#define PL_NOT_A_NAME                                                          \
	"(?![a-z]+(?>[\\-./_][a-z0-9]*[a-z][a-z0-9]*){0,20}"                   \
	"(?:[\\-._][a-z0-9]+)?" PL_VEND ")"                                    \
	"(?![A-Z][A-Z0-9_]*" PL_VEND ")"                                       \
	"(?!https?:|/|\\.\\.?/|(?:var|local|module|data|self|each|env"         \
	"|process|os|config|settings|values|Values)\\.)"                       \
	"(?![a-z][a-z0-9+.\\-]{1,20}://)"                                      \
	"(?!--|[^\\s\"'\\x60]{0,60}(?i:abcdefgh|12345678|23456789|01234567))"  \
	"(?!(?i:(?:my|your|some|the|a|new|old)?[_\\-]?(?:secret|token"         \
	"|passw(?:or)?d|pass|pwd)[_\\-]?[0-9]{0,4}|changeit)" PL_VEND ")"
/* Short padded base64 under a password key is a Kubernetes Secret's data
 * field: secrets/k8s-secret decodes and judges those. */
#define PL_NOT_SHORT_B64 "(?![A-Za-z0-9+/]{2,22}={1,2}" PL_VEND ")"
/* A quoted value (any bytes but blanks and escapes), or a bare one ending
 * where PL_VEND says; guard (lookaheads) is checked where it starts. Group
 * 1 in every branch. A bare value may hold a '$' (Password1$, pa$$word)
 * but not start with one: `$pass = $input` is code. */
#define PL_VALUE(guard, min, max)                                              \
	"(?|\"" guard "([^\"\\s\\\\]{" min "," max "})\""                      \
	"|'" guard "([^'\\s\\\\]{" min "," max "})'"                           \
	"|\\x60" guard "([^\\x60\\s\\\\]{" min "," max "})\\x60"               \
	"|" guard "(?!\\$)([\\w\\-+/=.~!@#%^*$]{" min "," max "})(?=" PL_VEND  \
	"))"

#define PL_UUID                                                                \
	"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"         \
	"[0-9A-Fa-f]{12}"

/* A tool whose short flag takes the password as the next word: sshpass -p,
 * az login -p, mongo and mongosh -p, redis-cli -a, the OpenLDAP tools' -w
 * (bind password), openssl's -pass/-passin/-passout pass:WORD. A prompt
 * (mongosh -p with no word, redis-cli --askpass) or a file (sshpass -f,
 * openssl file: or env:, a certificate path after az login -p) is not a
 * password on the line. */
#define PL_FLAG_ROW(id, keywords, command)                                     \
	{                                                                      \
		id, "Password on a command line", PL_SECRET_ASSIGNMENT,        \
		        keywords,                                              \
		        command "(?![\"']?(?:[~/]|\\.\\.?/))"                  \
		                "(?|\"([^\"\\s]{1,128})\"|'([^'\\s]{1,128})'"  \
		                "|([^\\s\"'$<>\\-][^\\s\"'<>]{0,127}))",       \
		        2.5                                                    \
	}

const pl_token_format pl_token_formats[] = {
        /* Private keys: the whole block, BEGIN to END, across lines (or
         * `\n` escapes inside a JSON string). Certificates, public keys and
         * age-armoured files have no "PRIVATE KEY" line. */
        /* A block whose END line is cut or missing (a paste that lost its
         * last line, a JSON key file edited by hand) still holds the key:
         * the second branch takes the BEGIN line and at least four full
         * lines of base64 body, up to where the body stops. Line breaks
         * may be real, or `\n` escapes in a JSON or YAML string. The
         * body is read once, possessively, up to the first run of five
         * dashes: a file of BEGIN lines without END costs one pass, not
         * one pass per BEGIN. */
        {"private-key", "Private key", PL_SECRET_PRIVATE_KEY, "private key",
         "(-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----"
         "(?:(?:[A-Za-z0-9+/=\\s:,.()\\\\]|-(?!----)){40,}+"
         "-----END[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----"
         "|(?:\\\\?\\r?\\n[ \\t]*|\\\\[rn])"
         "(?:[A-Za-z0-9+/=]{40,80}(?:\\\\?\\r?\\n[ \\t]*|\\\\[rn])){4,}+))",
         3.0},
        /* base64 of a whole PEM block ("-----BEGIN" encodes as
         * LS0tLS1CRUdJTi): kubeconfig client-key-data, Talos machine.ca.key
         * and cluster.*.key, talosconfig key, Helm values. Decoded and
         * judged as the block it holds (a certificate is not reported). */
        {PL_FORMAT_PRIVATE_KEY_BASE64, "Private key (base64 of a PEM block)",
         PL_SECRET_PRIVATE_KEY, "ls0tls1crudjti",
         "(?<![A-Za-z0-9+/])(LS0tLS1CRUdJTi[A-Za-z0-9+/]{80,60000}={0,2})"
         "(?![A-Za-z0-9+/=])",
         0},
        {"age-secret-key", "age secret key", PL_SECRET_PRIVATE_KEY,
         "age-secret-key-1",
         "\\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\\b", 0},

        /* Tokens with a prefix of their own. */
        {"github-pat", "GitHub personal access token", PL_SECRET_TOKEN, "ghp_",
         "\\b(ghp_[A-Za-z0-9]{36,255})\\b", 3.0},
        {"github-fine-grained-pat", "GitHub fine-grained access token",
         PL_SECRET_TOKEN, "github_pat_",
         "\\b(github_pat_[A-Za-z0-9_]{80,255})\\b", 3.0},
        {"github-oauth", "GitHub OAuth access token", PL_SECRET_TOKEN, "gho_",
         "\\b(gho_[A-Za-z0-9]{36,255})\\b", 3.0},
        /* an installation token is also written ghs_<app id>_<JWT> */
        {"github-app-token", "GitHub App token", PL_SECRET_TOKEN, "ghu_|ghs_",
         "\\b(gh[us]_[A-Za-z0-9]{36,255}\\b"
         "|ghs_[0-9]{1,12}_eyJ[A-Za-z0-9_\\-]{10,1000}\\.[A-Za-z0-9_\\-]{10,2000}"
         "\\.[A-Za-z0-9_\\-]{10,1000})",
         3.0},
        {"github-refresh-token", "GitHub refresh token", PL_SECRET_TOKEN,
         "ghr_", "\\b(ghr_[A-Za-z0-9]{36,255})\\b", 3.0},
        /* GitLab's token prefixes; where GitLab gives a token a fixed
         * length (a pipeline trigger token 40 characters, an incoming mail
         * token 25, an OAuth application secret 64, an agent token 50 or
         * more, a service account token 20 to 50), a longer or shorter run
         * is something else. */
        {"gitlab-token", "GitLab token", PL_SECRET_TOKEN,
         "glpat-|gldt-|glptt-|glrt|glcbt-|glffct-|glft-|glimt-|glagent-"
         "|gloas-|glsoat-",
         "(?<![\\w\\-])((?:glpat|gldt|glrt|glrtr|glcbt|glffct|glft)"
         "-[A-Za-z0-9_\\-.]{20,300}"
         "|(?:glptt-[\\w\\-]{40}|glimt-[\\w\\-]{25}|gloas-[\\w\\-]{64}"
         "|glagent-[\\w\\-]{50,300}|glsoat-[\\w\\-]{20,50})(?![\\w\\-]))",
         3.0},
        {"gitlab-runner-registration-token", "GitLab runner registration token",
         PL_SECRET_TOKEN, "gr1348941",
         "\\b(GR1348941[A-Za-z0-9_\\-]{20,50})(?![\\w\\-])", 3.0},
        {"gitlab-session-cookie", "GitLab session cookie", PL_SECRET_TOKEN,
         "_gitlab_session=", "_gitlab_session=([0-9a-z]{32})\\b", 3.0},
        {"aws-access-key-id", "AWS access key ID", PL_SECRET_TOKEN,
         "akia|asia|abia|acca|a3t",
         "\\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\\b", 3.0},
        {"aws-secret-access-key", "AWS secret access key", PL_SECRET_TOKEN,
         "aws|secret",
         "(?<![A-Za-z0-9])"
         "(?i:aws[\\w.\\-]{0,20}?secret|secret[_.\\-]?access)" PL_KV_SEP
         "([A-Za-z0-9/+]{40})" PL_KV_END,
         4.0},
        {"aws-bedrock-api-key", "Amazon Bedrock API key", PL_SECRET_TOKEN,
         "absk|bedrock-api-key-",
         "(?<![A-Za-z0-9+/])(ABSK[A-Za-z0-9+/]{109,269}={0,2}"
         "|bedrock-api-key-YmVkcm9jay5[A-Za-z0-9+/=%&]{20,4000})",
         3.0},
        {"slack-bot-token", "Slack bot token", PL_SECRET_TOKEN, "xox",
         "\\b(xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,34})\\b", 3.0},
        {"slack-user-token", "Slack user token", PL_SECRET_TOKEN, "xox",
         "\\b((?:xox[pe]-[0-9]{8,14}-[0-9]{8,14}-"
         "|xox[osar]-(?:[0-9]-)?[0-9]{6,14}-[0-9]{6,14}-)(?:[0-9]{6,14}-)?"
         "[A-Za-z0-9]{8,64})(?![A-Za-z0-9\\-#])",
         2.5},
        {"slack-app-token", "Slack app-level token", PL_SECRET_TOKEN, "xapp-",
         "\\b(xapp-[0-9]-[A-Z0-9]{8,16}-[0-9]{8,16}-[a-z0-9]{40,80})\\b", 3.0},
        {"slack-config-token", "Slack configuration token", PL_SECRET_TOKEN,
         "xox", "\\b((?:xoxe\\.xox[bp]|xoxe)-[0-9]-[A-Za-z0-9]{100,200})\\b",
         3.5},
        {"slack-webhook-url", "Slack webhook URL", PL_SECRET_TOKEN,
         "hooks.slack.com",
         "(hooks\\.slack\\.com/(?:services|workflows|triggers)/"
         "[A-Za-z0-9+/]{40,120})",
         3.0},
        {"openai-api-key", "OpenAI API key", PL_SECRET_TOKEN, "t3blbkfj",
         "\\b(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_\\-]{20,100}T3BlbkFJ"
         "[A-Za-z0-9_\\-]{20,100})",
         3.0},
        {"anthropic-api-key", "Anthropic API key", PL_SECRET_TOKEN, "sk-ant-",
         "\\b(sk-ant-api[0-9]{2}-[A-Za-z0-9_\\-]{93}AA)(?![A-Za-z0-9_\\-])",
         3.0},
        {"anthropic-admin-api-key", "Anthropic admin API key", PL_SECRET_TOKEN,
         "sk-ant-",
         "\\b(sk-ant-admin[0-9]{2}-[A-Za-z0-9_\\-]{93}AA)(?![A-Za-z0-9_\\-])",
         3.0},
        {"huggingface-access-token", "Hugging Face access token",
         PL_SECRET_TOKEN, "hf_", "\\b(hf_[A-Za-z]{34})\\b", 3.5},
        {"huggingface-organization-token", "Hugging Face organization token",
         PL_SECRET_TOKEN, "api_org_", "\\b(api_org_[A-Za-z0-9]{34})\\b", 3.5},
        {"google-api-key", "Google API key", PL_SECRET_TOKEN, "aiza",
         "\\b(AIzaSy(?![A-Za-z0-9_\\-]{0,25}abcdefgh)[A-Za-z0-9_\\-]{33})"
         "(?![A-Za-z0-9_\\-])",
         3.5},
        {"gcp-oauth-client-secret", "Google OAuth client secret",
         PL_SECRET_TOKEN, "gocspx-", "\\b(GOCSPX-[A-Za-z0-9_\\-]{28})\\b", 3.0},
        {"stripe-key", "Stripe secret or restricted key", PL_SECRET_TOKEN,
         "k_live_|k_test_|k_prod_",
         "\\b([sr]k_(?:live|test|prod)_[A-Za-z0-9]{24,247})\\b", 3.0},
        {"stripe-webhook-secret", "Stripe webhook signing secret",
         PL_SECRET_TOKEN, "whsec_", "\\b(whsec_[A-Za-z0-9]{32,64})\\b", 3.0},
        {"cloudflare-origin-ca-key", "Cloudflare Origin CA key",
         PL_SECRET_TOKEN, "v1.0-", "\\b(v1\\.0-[a-f0-9]{24}-[a-f0-9]{146})\\b",
         3.0},
        {"1password-service-account-token", "1Password service account token",
         PL_SECRET_TOKEN, "ops_eyj", "\\b(ops_eyJ[A-Za-z0-9+/]{250,}={0,3})",
         4.0},
        {"1password-secret-key", "1Password secret key", PL_SECRET_TOKEN, "a3-",
         "\\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})"
         "-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\\b",
         3.0},
        {"atlassian-api-token", "Atlassian API token", PL_SECRET_TOKEN,
         "atatt3|atctt3",
         "\\b(AT[AC]TT3[A-Za-z0-9_\\-=]{186,200})(?![A-Za-z0-9_\\-=])", 3.5},
        {"azure-ad-client-secret", "Azure AD client secret", PL_SECRET_TOKEN,
         "0q~|1q~|2q~|3q~|4q~|5q~|6q~|7q~|8q~|9q~",
         "(?<![A-Za-z0-9_~.\\-])"
         "([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.\\-]{31,34})"
         "(?![A-Za-z0-9_~.\\-])",
         3.0},
        {"azure-storage-account-key", "Azure storage account key",
         PL_SECRET_TOKEN,
         "accountkey=", "(?i:AccountKey=)([A-Za-z0-9+/]{86}==)", 4.0},
        {"clickhouse-cloud-api-secret", "ClickHouse Cloud API secret",
         PL_SECRET_TOKEN, "4b1d", "\\b(4b1d[A-Za-z0-9]{38})\\b", 3.0},
        {"databricks-api-token", "Databricks API token", PL_SECRET_TOKEN,
         "dapi", "\\b(dapi[a-fA-F0-9]{32}(?:-[0-9])?)\\b", 3.0},
        {"digitalocean-token", "DigitalOcean token", PL_SECRET_TOKEN, "_v1_",
         "\\b(do[opr]_v1_[a-f0-9]{64})\\b", 3.0},
        {"doppler-api-token", "Doppler API token", PL_SECRET_TOKEN, "dp.pt.",
         "\\b(dp\\.pt\\.[A-Za-z0-9]{43})\\b", 3.0},
        {"duffel-api-token", "Duffel API token", PL_SECRET_TOKEN,
         "duffel_test_|duffel_live_",
         "\\b(duffel_(?:test|live)_[A-Za-z0-9_\\-=]{43})", 3.0},
        {"dynatrace-api-token", "Dynatrace API token", PL_SECRET_TOKEN,
         "dt0c01.", "\\b(dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64})\\b", 3.0},
        {"easypost-api-token", "EasyPost API key", PL_SECRET_TOKEN, "ezak|eztk",
         "(?<![A-Za-z0-9+/])(EZ[AT]K[A-Za-z0-9]{54})(?![A-Za-z0-9+/=])", 3.0},
        {"facebook-page-access-token", "Facebook access token", PL_SECRET_TOKEN,
         "eaam|eaac", "\\b(EAA[MC][A-Za-z0-9]{80,400})\\b", 3.5},
        {"facebook-app-access-token", "Facebook app access token",
         PL_SECRET_TOKEN, "facebook",
         "(?<![0-9])([0-9]{15,16}(?:\\||%7[Cc])[A-Za-z0-9_\\-]{27,40})"
         "(?![A-Za-z0-9_\\-])",
         3.0},
        {"flutterwave-key", "Flutterwave key", PL_SECRET_TOKEN, "flw",
         "\\b(FLW(?:SEC|PUB)K(?:_TEST)?-[a-h0-9]{12,32}(?:-X)?)", 3.0},
        {"flyio-access-token", "Fly.io access token", PL_SECRET_TOKEN,
         "fo1_|flyv1 fm",
         "\\b(fo1_[A-Za-z0-9_\\-]{43}|FlyV1 fm[0-9][a-z]?_[A-Za-z0-9+/=,]{100,"
         "2000})",
         3.5},
        {"frameio-api-token", "Frame.io API token", PL_SECRET_TOKEN, "fio-u-",
         "\\b(fio-u-[A-Za-z0-9_\\-=]{64})", 3.0},
        {"grafana-cloud-api-token", "Grafana Cloud API token", PL_SECRET_TOKEN,
         "glc_", "\\b(glc_[A-Za-z0-9+/]{32,400}={0,2})", 3.5},
        {"grafana-service-account-token", "Grafana service account token",
         PL_SECRET_TOKEN, "glsa_",
         "\\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\\b", 3.0},
        {"grafana-api-key", "Grafana API key", PL_SECRET_TOKEN, "eyjrijoi",
         "\\b(eyJrIjoi[A-Za-z0-9]{70,400}={0,2})", 3.5},
        {"harness-api-key", "Harness API key", PL_SECRET_TOKEN, "pat.|sat.",
         "\\b((?:pat|sat)\\.[A-Za-z0-9_\\-]{22}\\.[0-9a-f]{24}"
         "\\.[A-Za-z0-9]{20})"
         "\\b",
         3.0},
        {"hashicorp-tf-api-token", "Terraform Cloud API token", PL_SECRET_TOKEN,
         "atlasv1", "\\b([A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_\\-=]{60,70})",
         3.5},
        {"vault-token", "HashiCorp Vault token", PL_SECRET_TOKEN,
         "hvs.|hvb.|hvr.", "\\b(hv[sbr]\\.[A-Za-z0-9_\\-]{90,300})", 3.5},
        {"vault-legacy-token", "HashiCorp Vault token (legacy)",
         PL_SECRET_TOKEN, "token|vault",
         PL_KEYED("token|vault[\\w.\\-]{0,20}token",
                  "s\\.(?=[A-Za-z]{0,23}[0-9])[A-Za-z0-9]{24}"),
         3.5},
        {"heroku-api-key-v2", "Heroku API key", PL_SECRET_TOKEN, "hrku-aa",
         "\\b(HRKU-AA[A-Za-z0-9_\\-]{58})", 3.5},
        {"infracost-api-token", "Infracost API token", PL_SECRET_TOKEN, "ico-",
         "(?<![\\w.\\-/])(ico-(?=[a-z0-9]{0,31}[A-Z])[A-Za-z0-9]{32})\\b", 3.0},
        {"intra42-client-secret", "42 Intra client secret", PL_SECRET_TOKEN,
         "s-s4t2", "\\b(s-s4t2(?:ud|af)-[a-f0-9]{64})\\b", 3.0},
        {"jfrog-api-key", "JFrog Artifactory API key", PL_SECRET_TOKEN, "akcp",
         "\\b(AKCp[A-Za-z0-9]{69})\\b", 4.0},
        {"jfrog-reference-token", "JFrog Artifactory reference token",
         PL_SECRET_TOKEN, "cmvmdg", "\\b(cmVmdG[A-Za-z0-9]{58})\\b", 4.0},
        {"linear-api-key", "Linear API key", PL_SECRET_TOKEN, "lin_api_",
         "\\b(lin_api_[A-Za-z0-9]{40})\\b", 3.0},
        {"mapbox-token", "Mapbox secret token", PL_SECRET_TOKEN, "sk.ey",
         "\\b(sk\\.eyJ[A-Za-z0-9_\\-]{50,200}\\.[A-Za-z0-9_\\-]{20,30})\\b",
         3.0},
        {"maxmind-license-key", "MaxMind license key", PL_SECRET_TOKEN, "_mmk",
         "\\b([A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk)\\b", 3.0},
        {"new-relic-key", "New Relic key", PL_SECRET_TOKEN, "nrak-|nrjs-|nrii-",
         "\\b(NRAK-[A-Z0-9]{27}|NRJS-[a-f0-9]{19}|NRII-[A-Za-z0-9\\-]{32})\\b",
         3.0},
        {"notion-api-token", "Notion API token", PL_SECRET_TOKEN, "ntn_",
         "\\b(ntn_[0-9]{11}(?=[0-9]{0,34}[A-Za-z])[A-Za-z0-9]{35})\\b", 3.0},
        {"npm-access-token", "npm access token", PL_SECRET_TOKEN, "npm_",
         "\\b(npm_[A-Za-z0-9]{36})\\b", 3.0},
        {"nuget-api-key", "NuGet API key", PL_SECRET_TOKEN, "oy2",
         "\\b(oy2[a-z0-9]{43})\\b", 3.5},
        {"octopus-deploy-api-key", "Octopus Deploy API key", PL_SECRET_TOKEN,
         "api-", "\\b(API-[A-Z0-9]{26})\\b", 3.0},
        {"openshift-user-token", "OpenShift user token", PL_SECRET_TOKEN,
         "sha256~", "(sha256~[A-Za-z0-9_\\-]{43})(?![A-Za-z0-9_\\-])", 3.5},
        {"perplexity-api-key", "Perplexity API key", PL_SECRET_TOKEN, "pplx-",
         "\\b(pplx-[A-Za-z0-9]{48})\\b", 3.0},
        {"planetscale-token", "PlanetScale password or token", PL_SECRET_TOKEN,
         "pscale_", "\\b(pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_\\-.=]{32,64})",
         3.0},
        {"postman-api-token", "Postman API key", PL_SECRET_TOKEN, "pmak-",
         "\\b(PMAK-[A-Fa-f0-9]{24}-[A-Fa-f0-9]{34})\\b", 3.0},
        {"prefect-api-token", "Prefect API key", PL_SECRET_TOKEN, "pnu_",
         "\\b(pnu_[A-Za-z0-9]{36})\\b", 3.0},
        {"pulumi-api-token", "Pulumi access token", PL_SECRET_TOKEN, "pul-",
         "\\b(pul-[a-f0-9]{40})\\b", 3.0},
        /* .npmrc: //<registry host>[:port]/<path>:_authToken=<token>, the
         * form npm writes (the registry URL without its scheme, ending in
         * '/'); any token format, a legacy UUID included */
        {"npmrc-auth-token", "npm registry token", PL_SECRET_TOKEN,
         "_authtoken",
         "(?<![\\w/])//[A-Za-z0-9.\\-]{1,253}(?::[0-9]{1,5})?/[^\\s:\"']{0,200}"
         ":_authToken=([A-Za-z0-9._\\-+/=]{20,512})(?=[\\s\"']|$)",
         0},
        {"pypi-upload-token", "PyPI upload token", PL_SECRET_TOKEN,
         "pypi-ageichlwas5vcmc|pypi-agendgvzdc5we",
         /* a macaroon for pypi.org, or for test.pypi.org: its identifier
          * and 32-byte signature make a whole token 100 characters or
          * more past the location; a shorter run is a token cut short */
         "\\b(pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)"
         "[A-Za-z0-9_\\-]{100,500})",
         3.0},
        {"readme-api-token", "ReadMe API key", PL_SECRET_TOKEN, "rdme_",
         "\\b(rdme_[a-z0-9]{70})\\b", 3.0},
        {"rubygems-api-token", "RubyGems API key", PL_SECRET_TOKEN, "rubygems_",
         "\\b(rubygems_[a-f0-9]{48})\\b", 3.0},
        {"scalingo-api-token", "Scalingo API token", PL_SECRET_TOKEN, "tk-us-",
         "\\b(tk-us-[A-Za-z0-9_\\-]{48})(?![A-Za-z0-9_\\-])", 3.0},
        {"sendgrid-api-token", "SendGrid API key", PL_SECRET_TOKEN, "sg.",
         "\\b(SG\\.[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43})"
         "(?![A-Za-z0-9_\\-])",
         3.5},
        {"sendinblue-api-token", "Brevo (Sendinblue) API key", PL_SECRET_TOKEN,
         "xkeysib-", "\\b(xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})\\b", 3.0},
        {"sentry-token", "Sentry token", PL_SECRET_TOKEN, "sntry",
         "\\b(sntrys_eyJ[A-Za-z0-9+/=]{30,400}_[A-Za-z0-9+/=]{30,100}"
         "|sntryu_[a-f0-9]{64})",
         3.5},
        {"settlemint-token", "SettleMint access token", PL_SECRET_TOKEN, "sm_",
         "\\b(sm_(?:pat|aat|sat)_[A-Za-z0-9]{16})\\b", 3.0},
        {"shippo-api-token", "Shippo API token", PL_SECRET_TOKEN,
         "shippo_live_|shippo_test_",
         "\\b(shippo_(?:live|test)_[a-f0-9]{40})\\b", 3.0},
        {"shopify-token", "Shopify access token or shared secret",
         PL_SECRET_TOKEN, "shp",
         "\\b(shp(?:ss|at|ca|pa)_(?:[a-fA-F0-9]{32}|[A-Za-z0-9]{32,64}))\\b",
         3.0},
        {"figma-access-token", "Figma personal access token", PL_SECRET_TOKEN,
         "figd_", "\\b(figd_[A-Za-z0-9_\\-]{40,64})(?![\\w\\-])", 3.5},
        /* tskey-<kind>-<id>-<secret>: auth, api, client, scim, webhook
         * keys, and kinds to come */
        {"tailscale-key", "Tailscale key", PL_SECRET_TOKEN, "tskey-",
         "(?<![A-Za-z0-9])(tskey-[a-z]{3,12}-[A-Za-z0-9]{6,24}-"
         "[A-Za-z0-9]{16,64})(?![\\w\\-])",
         3.5},
        {"sidekiq-secret", "Sidekiq Enterprise credentials", PL_SECRET_TOKEN,
         "contribsys__com",
         "(?i:BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM)[\"']?[ \\t]*[:=]"
         "[ \\t]*[\"']?([a-f0-9]{8}:[a-f0-9]{8})\\b",
         2.5},
        {"sonar-token", "SonarQube token", PL_SECRET_TOKEN, "squ_|sqp_|sqa_",
         "\\b(sq[upa]_[a-f0-9]{40})\\b", 3.0},
        {"sourcegraph-access-token", "Sourcegraph access token",
         PL_SECRET_TOKEN, "sgp_",
         "\\b(sgp_(?:[A-Fa-f0-9]{16}|local)_[A-Fa-f0-9]{40}"
         "|sgp_[A-Fa-f0-9]{40})\\b",
         3.0},
        {"square-token", "Square access token or secret", PL_SECRET_TOKEN,
         "sq0|eaaa",
         "\\b(sq0atp-[A-Za-z0-9_\\-]{22}|sq0csp-[A-Za-z0-9_\\-]{43}"
         "|EAAA[A-Za-z0-9_\\-]{60})(?![A-Za-z0-9_\\-])",
         3.0},
        /* Vercel: personal (vcp_), integration (vci_), app access
         * (vca_), app refresh (vcr_) and API keys (vck_) */
        {"vercel-token", "Vercel token", PL_SECRET_TOKEN,
         "vcp_|vci_|vca_|vcr_|vck_", "\\b(vc[pikar]_[A-Za-z0-9]{24,80})\\b",
         3.5},
        {"typeform-api-token", "Typeform API token", PL_SECRET_TOKEN, "tfp_",
         "\\b(tfp_[A-Za-z0-9_\\-.=]{59})", 3.0},
        {"yandex-token", "Yandex Cloud credential", PL_SECRET_TOKEN, "aqvn|t1.",
         "\\b(AQVN[A-Za-z0-9_\\-]{35,38}"
         "|t1\\.[A-Z0-9a-z_\\-]{10,200}={0,2}\\.[A-Z0-9a-z_\\-]{86}={0,2})"
         "(?![A-Za-z0-9_\\-])",
         3.5},
        {"authress-access-key", "Authress service client access key",
         PL_SECRET_TOKEN, ".acc_|.acc-",
         "\\b((?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\\.[a-z0-9]{4,6}\\.acc"
         "[_\\-][a-z0-9\\-]{10,32}\\.[A-Za-z0-9+/_=\\-]{30,120})",
         3.0},
        {"defined-networking-api-token", "Defined Networking API token",
         PL_SECRET_TOKEN, "dnkey-",
         "\\b(dnkey-[a-z0-9=_\\-]{26}-[a-z0-9=_\\-]{52})", 3.0},
        {"adobe-client-secret", "Adobe client secret", PL_SECRET_TOKEN, "p8e-",
         "\\b(p8e-[A-Za-z0-9]{32})\\b", 3.0},
        {"alibaba-access-key-id", "Alibaba Cloud AccessKey ID", PL_SECRET_TOKEN,
         "ltai", "\\b(LTAI[A-Za-z0-9]{20})\\b", 3.0},
        {"clojars-api-token", "Clojars deploy token", PL_SECRET_TOKEN,
         "clojars_", "\\b(CLOJARS_[a-z0-9]{60})\\b", 3.0},
        {"discord-webhook-url", "Discord webhook URL", PL_SECRET_TOKEN,
         "/api/webhooks/",
         "(discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/"
         "[A-Za-z0-9_\\-]{60,68})",
         3.0},
        {"microsoft-teams-webhook", "Microsoft Teams webhook URL",
         PL_SECRET_TOKEN, "webhook.office.com",
         "([A-Za-z0-9\\-]+\\.webhook\\.office\\.com/webhookb2/[A-Za-z0-9\\-@]"
         "{60,80}/IncomingWebhook/[A-Za-z0-9]{32}/[A-Za-z0-9\\-]{36}"
         "(?:/[A-Za-z0-9\\-_]{20,60})?)",
         3.0},
        {"twitter-bearer-token", "Twitter bearer token", PL_SECRET_TOKEN,
         "aaaaaaaaaaaaaaaaaaaaa", "\\b(A{22}[A-Za-z0-9%]{80,120})\\b", 3.5},

        /* JSON Web Tokens: header and payload are base64url JSON objects
         * (`{"` encodes as `eyJ`, `{ "` as `eyAi`); the signature may be
         * empty (alg none). */
        {"jwt", "JSON Web Token", PL_SECRET_TOKEN, "eyj|eyai",
         "\\b(ey[A-Za-z0-9_\\-]{10,8000}\\.ey[A-Za-z0-9_\\-]{10,16000}\\."
         "[A-Za-z0-9_\\-]{0,4000}={0,2})",
         3.0},

        /* Tokens recognisable only by the key that names the service. */
        {"atlassian-keyed-token", "Atlassian API token", PL_SECRET_TOKEN,
         "jira|confluence|atlassian",
         PL_KEYED("jira|confluence|atlassian",
                  "(?=[A-Za-z]{0,23}[0-9])[A-Za-z0-9]{24}"),
         3.5},
        {"cloudflare-api-token", "Cloudflare API token or key", PL_SECRET_TOKEN,
         "cloudflare|cf_api|cf-api",
         PL_KEYED("cloudflare|cf[_\\-]api", "[A-Za-z0-9_\\-]{40}|[a-f0-9]{37}"),
         3.5},
        {"heroku-api-key", "Heroku API key", PL_SECRET_TOKEN, "heroku",
         PL_KEYED("heroku", PL_UUID), 3.0},
        {"hubspot-api-key", "HubSpot API key", PL_SECRET_TOKEN, "hubspot",
         PL_KEYED("hubspot", PL_UUID), 3.0},
        {"snyk-api-token", "Snyk API token", PL_SECRET_TOKEN, "snyk",
         PL_KEYED("snyk", PL_UUID), 3.0},
        {"messagebird-key", "MessageBird API key or client ID", PL_SECRET_TOKEN,
         "bird", PL_KEYED("message[_\\-]?bird", PL_UUID "|[A-Za-z0-9]{25}"),
         3.0},
        {"squarespace-access-token", "Squarespace access token",
         PL_SECRET_TOKEN, "squarespace", PL_KEYED("squarespace", PL_UUID), 3.0},
        {"sonar-keyed-token", "SonarQube token", PL_SECRET_TOKEN, "sonar",
         PL_KEYED("sonar", "(?:sq[upa]_)?[A-Za-z0-9]{40}"), 3.0},
        {"mailchimp-api-key", "Mailchimp API key", PL_SECRET_TOKEN, "mailchimp",
         PL_KEYED("mailchimp", "[a-f0-9]{32}-us[0-9]{1,2}"), 3.0},
        {"mailgun-key", "Mailgun API or signing key", PL_SECRET_TOKEN,
         "mailgun",
         PL_KEYED("mailgun", "(?:pub)?key-[a-f0-9]{32}"
                             "|[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}"),
         3.0},
        {"facebook-secret", "Facebook app secret", PL_SECRET_TOKEN, "facebook",
         PL_KEYED("facebook", "[a-f0-9]{32}"), 3.0},
        {"okta-access-token", "Okta API token", PL_SECRET_TOKEN, "okta",
         PL_KEYED("okta", "00[A-Za-z0-9_=\\-]{40}"), 4.0},
        {"sumologic-access-id", "Sumo Logic access ID", PL_SECRET_TOKEN, "sumo",
         PL_KEYED("sumo(?:logic)?[_.\\-]?access[_.\\-]?id",
                  "su[A-Za-z0-9]{12}"),
         3.0},
        {"sumologic-access-key", "Sumo Logic access key", PL_SECRET_TOKEN,
         "sumo",
         PL_KEYED("sumo(?:logic)?[_.\\-]?access[_.\\-]?key", "[A-Za-z0-9]{64}"),
         4.0},
        {"sourcegraph-keyed-token", "Sourcegraph access token", PL_SECRET_TOKEN,
         "sourcegraph", PL_KEYED("sourcegraph", "[A-Fa-f0-9]{40}"), 3.0},
        /* IBM Cloud: an IAM API key is 44 characters of [A-Za-z0-9_-]
         * under a key naming IBM or IAM and ending in key, token or a
         * password word (ibm_cloud_iam-key, IBMCLOUDIAMAPIKEY); a longer
         * or shorter run is something else. */
        {"ibm-cloud-iam-api-key", "IBM Cloud IAM API key", PL_SECRET_TOKEN,
         "ibm_|ibm-|ibm.|ibmcloud|ibmapi|ibmkey|ibmtoken|ibmpwd|ibmpass"
         "|iamkey|iam_key|iam-key|iamapi|iam_api|iam-api",
         "(?<![A-Za-z0-9])(?i:ibm(?=[_.\\-]|cloud|api|key|token|pwd|pass)"
         "[\\w.\\-]{0,24}?(?:key|token|pwd|password|pass)"
         "|(?:cloud[_\\-]?)?iam[_\\-]?(?:api[_\\-]?)?key)" PL_KV_OP
         "[\"'\\x60]?([A-Za-z0-9_\\-]{44})(?![A-Za-z0-9_\\-])",
         3.5},
        /* IBM Cloud Object Storage HMAC credentials: the secret access key
         * is 48 hex digits (an AWS secret is 40 base64 characters), under
         * a key naming IBM, COS or HMAC, or S3's secret_access_key; a
         * plain secret_key is the generic row's. The regex starts at
         * "secret" and looks behind for the service's word, so that it
         * is tried only where "secret" is. */
        {"ibm-cos-hmac-secret", "IBM Cloud Object Storage HMAC secret key",
         PL_SECRET_TOKEN, "secret_key|secret-key|secret_access|secret-access",
         "(?:(?<=(?i)ibm|cos|hmac|ibm_|ibm-|cos_|cos-|hmac_|hmac-)"
         "|(?<![A-Za-z0-9])(?=(?i:secret[_\\-]access[_\\-]key)))"
         "(?i:secret[_\\-](?:access[_\\-])?key)" PL_KV_OP
         "[\"'\\x60]?([a-f0-9]{48})(?![A-Za-z0-9])",
         3.0},
        /* IBM Classic Infrastructure (SoftLayer): a 64-character API key,
         * under softlayer/sl api key (the Terraform provider's
         * iaas_classic_api_key), as slcli's --softlayer-api-key, or in the
         * SOAP endpoint's path */
        {"softlayer-api-key", "IBM SoftLayer API key", PL_SECRET_TOKEN,
         "softlayer|slkey|sl_key|sl-key|slapi|sl_api|sl-api|iaas_classic"
         "|iaas-classic|iaasclassic",
         "(?|(?<![A-Za-z0-9])(?i:softlayer|sl|iaas[_\\-]?classic)"
         "(?:[_\\-]?(?i:api))?"
         "[_\\-]?(?i:key)" PL_KV_OP "[\"'\\x60]?([a-z0-9]{64})(?![A-Za-z0-9])"
         "|--softlayer-api-key(?:=|[ \\t]+)[\"']?([a-z0-9]{64})(?![A-Za-z0-9])"
         "|api\\.softlayer\\.com/soap/v3(?:\\.1)?/([a-z0-9]{64})"
         "(?![A-Za-z0-9]))",
         3.0},
        /* IBM Cloudant: a legacy API key is 24 lower-case letters, a
         * password 64 hex digits */
        {"cloudant-credential", "IBM Cloudant API key or password",
         PL_SECRET_TOKEN, "cloudant|clou_|clou-",
         "(?<![A-Za-z0-9])(?i:cloudant|clou(?=[_\\-]))[_\\-]?(?i:api)?[_\\-]?"
         "(?i:key|pwd|pw|password|pass|token)" PL_KV_OP
         "[\"'\\x60]?([a-f0-9]{64}|[a-z]{24})(?![A-Za-z0-9])",
         3.0},
        /* a bot's numeric id, ':', then 35 characters that start AA */
        {"telegram-bot-token-bare", "Telegram bot token", PL_SECRET_TOKEN,
         ":aa",
         "(?<![\\w:/.\\-])([0-9]{8,10}:AA[A-Za-z0-9_\\-]{33})(?![\\w\\-])",
         3.0},
        {"telegram-bot-token", "Telegram bot token", PL_SECRET_TOKEN,
         "telegram", PL_KEYED("telegram", "[0-9]{5,16}:A[A-Za-z0-9_\\-]{34}"),
         3.0},
        {"twilio-api-key", "Twilio API key", PL_SECRET_TOKEN, "twilio",
         PL_KEYED("twilio", "SK[0-9a-f]{32}"), 3.0},
        {"datadog-access-token", "Datadog API or application key",
         PL_SECRET_TOKEN, "datadog|dd_api|dd_app",
         PL_KEYED("datadog|dd_api|dd_app", "[a-f0-9]{32}|[a-f0-9]{40}"), 3.0},
        {"service-keyed-secret", "Service API key or secret", PL_SECRET_TOKEN,
         "adobe|airtable|algolia|alibaba|asana|beamer|bitbucket|discord"
         "|dropbox|etsy|fastly|finicity|gocardless|intercom|linkedin|lob_"
         "|lob-|netlify|twitch|twitter|yandex|zendesk|linear",
         PL_KEYED("adobe|airtable|algolia|alibaba|asana|beamer|bitbucket"
                  "|discord|dropbox|etsy|fastly|finicity|gocardless|intercom"
                  "|linkedin|lob|netlify|twitch|twitter|yandex|zendesk|linear",
                  "(?=[A-Za-z_\\-]{0,99}[0-9])(?=[0-9_\\-]{0,99}[A-Za-z])"
                  "[A-Za-z0-9_\\-=.]{16,100}"),
         3.7},

        /* Passwords inside URLs: scheme://user:password@host. The user part
         * may be empty (redis://:password@host). */
        {"url-password", "Password in a URL", PL_SECRET_URL_PASSWORD, "://",
         "(?<=[A-Za-z0-9])://[^\\s:/?#@\"'<>\\\\\\[\\]]{0,64}:"
         "(?!(?i:my|your|some)?(?i:password|passwd|pass|pwd|secret)@)"
         "([^\\s:/?#@\"'<>\\\\\\[\\]]{1,128})@(?=[A-Za-z0-9\\[])",
         0},

        /* Credentials on command lines and in headers. */
        {"curl-user-password", "Password in a curl --user option",
         PL_SECRET_ASSIGNMENT, "curl",
         "\\bcurl\\b(?:[^\\n]|\\\\\\r?\\n){0,400}?[ \\t](?:-u|--user)[ \\t]+"
         "(?|\"[^\"\\s:<>\\[\\]]{0,64}:([^\"\\s<>\\[\\]]{1,128})\""
         "|'[^'\\s:<>\\[\\]]{0,64}:([^'\\s<>\\[\\]]{1,128})'"
         "|\"([^\"\\s:<>\\[\\]]{8,128}):\""
         "|\"[^\"\\s]{1,80}\":\"([^\"\\s]{1,128})\""
         "|[^\\s:\"'<>\\[\\]]{1,64}:'([^'\\s]{1,128})'"
         "|[^\\s:\"'<>\\[\\]]{1,64}:([^\\s\"'<>\\[\\]]{1,128}))",
         2.5},
        {"authorization-header", "Credential in an Authorization header",
         PL_SECRET_ASSIGNMENT, "auth",
         "(?<![\\w:.\\-/])(?i:authorization)[\"']?[ \\t]*[:=][ \\t]*[\"']?"
         "(?:(?i:basic|bearer|token|api-token|apikey|digest)[ \\t]+)?"
         "([A-Za-z0-9+/=_\\-.~@]{8,4000})",
         3.0},
        {"curl-header-token", "Credential in a curl header",
         PL_SECRET_ASSIGNMENT, "curl",
         "\\bcurl\\b(?:[^\\n]|\\\\\\r?\\n){0,400}?[ \\t](?:-H|--header)[ \\t]+"
         "[\"'](?i:[\\w\\-]{0,30}?(?:api[_\\-]?key|token|secret))[ \\t]*:"
         "[ \\t]*([^\"'\\s$<]{8,500})",
         2.75},
        {"password-flag", "Password on a command line", PL_SECRET_ASSIGNMENT,
         "pass|mysql",
         "(?|(?<![\\w\\-])--?(?i:(?:docker-|http-|ftp-|proxy-)?password|passwd)"
         "(?:=|[ \\t]+)"
         "(?|\"([^\"\\s]{1,128})\"|'([^'\\s]{1,128})'"
         "|([^\\s\"'$<>\\-][^\\s\"'<>]{0,127}))"
         "|\\bmysql(?:dump|admin)?\\b[^\\n]{0,100}?[ \\t]-p"
         "(?|\"([^\"\\s]{1,64})\"|'([^'\\s]{1,64})'"
         "|([^\\s\"'$<>\\-][^\\s\"'<>]{0,63})))",
         2.5},
        /* docker login -p X (its short flag; --password is above), and
         * htpasswd -b[c] [FILE] USER PASS / -nb USER PASS, whose password
         * is the last word (`-i` reads it from standard input). */
        {"docker-login-password", "Password on a docker login command line",
         PL_SECRET_ASSIGNMENT, "docker",
         "\\bdocker[ \\t]+login\\b[^\\n|;&]{0,200}?[ \\t]-p(?:=|[ \\t]+)"
         "(?|\"([^\"\\s]{1,128})\"|'([^'\\s]{1,128})'"
         "|([^\\s\"'$<>\\-][^\\s\"'<>]{0,127}))",
         2.5},
        /* Other commands whose short flag takes the password as the next
         * word (PL_FLAG_ROW), one row per tool so that a file naming one
         * runs one regex, which starts with that name. */
        PL_FLAG_ROW("sshpass-password", "sshpass",
                    "\\bsshpass\\b[^\\n|;&]{0,200}?[ \\t]-p(?:=|[ \\t]*)"),
        PL_FLAG_ROW("az-login-password", "az login",
                    "\\baz login\\b[^\\n|;&]{0,200}?[ \\t]-p(?:=|[ \\t]+)"),
        PL_FLAG_ROW("mongo-shell-password", "mongo",
                    "\\bmongo(?:sh)?\\b[^\\n|;&]{0,200}?[ \\t]-p(?:=|[ \\t]+)"),
        PL_FLAG_ROW("redis-cli-password", "redis-cli",
                    "\\bredis-cli\\b[^\\n|;&]{0,200}?[ \\t]-a[ \\t]+"),
        PL_FLAG_ROW("ldap-bind-password",
                    "ldapsearch|ldapadd|ldapmodify|ldapdelete|ldapmodrdn"
                    "|ldappasswd|ldapwhoami|ldapcompare|ldapexop",
                    "\\bldap(?:search|add|modify|delete|modrdn|passwd|whoami"
                    "|compare|exop)\\b[^\\n|;&]{0,200}?[ \\t]-w[ \\t]+"),
        PL_FLAG_ROW("openssl-pass-argument",
                    "-passin|-passout|-pass pass:|-pass\\tpass:",
                    "(?<![\\w\\-])(?:-pass(?:in|out)[ \\t]+|-pass[ \\t])pass:"),
        {"htpasswd-password", "Password on an htpasswd command line",
         PL_SECRET_ASSIGNMENT, "htpasswd",
         "\\bhtpasswd[ \\t]+(?:-[BCmdspDv]{1,4}[ \\t]+)*"
         "(?:-[a-zA-Z]*b[a-zA-Z]*[ \\t]+[^\\s]+[ \\t]+[^\\s\\-][^\\s]*"
         "|-[a-zA-Z]*n[a-zA-Z]*b[a-zA-Z]*[ \\t]+[^\\s\\-][^\\s]*)[ \\t]+"
         "(?|\"([^\"\\s]{1,128})\"|'([^'\\s]{1,128})'"
         "|([^\\s\"'$<>\\-][^\\s\"'<>]{0,127}))",
         2.5},
        {"nuget-config-password", "NuGet feed password", PL_SECRET_ASSIGNMENT,
         "pass",
         "<add\\s+key=\"(?i:(?:cleartext)?password)\"\\s+value=\""
         "(?!%[^\"%]*%\")([^\"]{1,128})\"",
         2.5},

        /* Secret-named keys with a credential-looking value. */
        {"password-assignment", "Password assignment", PL_SECRET_ASSIGNMENT,
         "pass|pwd",
         "(?:" PL_KEY_START "|(?<=[A-Z])(?=PASSW))"
         "(?i:passw(?:or)?d|passphrase|pwd|pass)(?![a-z])" PL_KV_TAIL
                 PL_KEY_NOT_ABOUT "(?<!key|Key|KEY)" PL_KV_OP PL_VALUE(
                         PL_NOT_A_NAME PL_NOT_SHORT_B64, "1", "128"),
         2.5},
        /* A shell assignment (NAME="...", no blanks around '=') of a
         * password-named variable whose quoted value holds blanks: a
         * passphrase (PASSWORD="correct horse battery staple"). Values
         * without blanks are the row above's; `$` and backquotes expand,
         * so a value holding them is not literal, and one holding the
         * other quote is code building a string ('Pass="' + v + '"'). The
         * name must start a command (a line, or after a blank, ; & | or
         * '('): the scanner checks that before the match, so that the
         * regex starts at the word and stays cheap. */
        {"shell-passphrase", "Password assignment", PL_SECRET_ASSIGNMENT,
         "pass|pwd",
         "(?:^|(?<=[A-Za-z0-9_ \\t;&|(]))(?i:passw(?:or)?d|passphrase|pwd)"
         "(?:_[A-Za-z0-9]{1,20})?" PL_KEY_NOT_ABOUT "="
         "(?|\"(?=[^\"\\n]{0,127}[ \\t][^\"\\n]{0,127}\")"
         "([^\"'\\n$\\x60\\\\]{8,128})\""
         "|'(?=[^'\\n]{0,127}[ \\t][^'\\n]{0,127}')([^'\"\\n]{8,128})')",
         2.5},
        {"generic-secret-assignment", "Secret assignment", PL_SECRET_ASSIGNMENT,
         "token|secret|api_key|apikey|api-key|api.key|access_key|accesskey"
         "|access-key|credential|auth|private",
         PL_KEY_START
         "(?i:(?<!public)(?<!public[_.\\-])(?<!csrf[_.\\-])(?<!xsrf[_.\\-]))"
         "(?i:api[_.\\-]?(?:key|token|secret)"
         "|access[_.\\-]?(?:token|key|secret)"
         "|auth[_.\\-]?(?:token|key)|secret[_.\\-]?key|client[_.\\-]?secret"
         "|private[_.\\-]?key"
         "|refresh[_.\\-]?token|bearer[_.\\-]?token|token|secret|credentials?"
         "|auth)(?![a-z])" PL_KV_TAIL PL_KEY_NOT_ABOUT PL_KV_OP PL_VALUE(
                 PL_NOT_A_NAME "(?=[^\\s\"'\\x60\\\\;,<|&]{0,199}[0-9])", "10",
                 "200"),
         3.5},
};

const size_t pl_token_formats_len =
        sizeof(pl_token_formats) / sizeof(pl_token_formats[0]);
