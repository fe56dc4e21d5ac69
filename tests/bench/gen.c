/*
 * gen.c - writes the deterministic GitOps-like corpus `make bench` times
 * plumb on (issue 9): apps of multi-document Deployments (env, probes,
 * resources), Services, ConfigMaps, Secrets (mostly placeholders or SOPS,
 * a few fake but realistic credentials), Flux objects (GitRepository,
 * Kustomization, HelmRepository, HelmRelease, ImageRepository, ImagePolicy
 * with $imagepolicy markers, ImageUpdateAutomation), kustomization.yaml
 * files with namespaces, Pulumi projects and stacks with secure: values,
 * shell scripts, Markdown and a few 1 MiB files.
 *
 * The same SIZE always gives the same bytes: a fixed-seed splitmix64 of our
 * own (not rand(), whose sequence differs between C libraries).
 * usage: gen DIR small|medium; prints what it wrote on one line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define BIG_FILE      (1024 * 1024)
#define AGE_RECIPIENT "qyh3cx0xg7ed3lcmt9ztzmgvw8g4ty2sm3c5y6jzhsp8nvkd7xq0xs"
#define NELEM(a)      (sizeof(a) / sizeof((a)[0]))

typedef struct {
	const char *root;
	uint64_t seed;
	unsigned long files, docs, resources;
	unsigned long long bytes;
} gen;

/* One file being written: documents after the first get a `---`. */
typedef struct {
	FILE *f;
	unsigned ndocs;
} out;

static const char *const teams[] = {
        "storefront", "payments", "platform",  "data",     "identity",
        "growth",     "search",   "media",     "ops",      "ml",
        "mobile",     "partners", "billing",   "support",  "logistics",
        "catalog",    "fraud",    "messaging", "security", "analytics",
        "checkout",   "content",  "devex",     "infra",
};

static const char *const words[] = {
        "api",     "web",      "worker",  "auth",     "search",   "cart",
        "catalog", "checkout", "ledger",  "notify",   "gateway",  "reports",
        "media",   "chat",     "metrics", "orders",   "profile",  "ranking",
        "feeds",   "uploads",  "pricing", "quotes",   "shipping", "tickets",
        "wiki",    "audit",    "export",  "invoices", "sessions", "events",
};

static const char *const prose[] = {
        "the",      "service",   "reads",     "its",        "configuration",
        "from",     "a",         "ConfigMap", "and",        "secrets",
        "through",  "the",       "operator",  "rollout",    "waits",
        "for",      "readiness", "before",    "traffic",    "shifts",
        "to",       "new",       "pods",      "database",   "migrations",
        "run",      "as",        "an",        "init",       "container",
        "alerts",   "page",      "on-call",   "when",       "latency",
        "exceeds",  "budget",    "Flux",      "reconciles", "every",
        "interval", "images",    "are",       "promoted",   "by",
        "policy",   "with",      "semver",    "ranges",     "cluster",
};

static const char alnum[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* splitmix64 (Steele, Lea, Flood 2014): tiny, and good enough here. */
static uint64_t next(gen *g)
{
	uint64_t z = (g->seed += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rnd(gen *g, unsigned n)
{
	return (unsigned)(next(g) % n);
}

/* Fills s with n characters of set and a NUL; s holds n + 1 bytes. */
static void rnd_chars(gen *g, char *s, size_t n, const char *set)
{
	size_t k = strlen(set), i;
	for (i = 0; i < n; i++)
		s[i] = set[next(g) % k];
	s[n] = '\0';
}

static void base64(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src), i, o = 0;
	for (i = 0; i < n && o + 5 < cap; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)src[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)(unsigned char)src[i + 1] << 8;
		if (i + 2 < n)
			v |= (uint32_t)(unsigned char)src[i + 2];
		dst[o++] = b64[(v >> 18) & 63];
		dst[o++] = b64[(v >> 12) & 63];
		dst[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		dst[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	dst[o] = '\0';
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "gen: %s '%s': %s\n", what, path, strerror(errno));
	exit(2);
}

/* mkdir -p of the folders above path (path itself is a file). */
static void make_parents(char *path)
{
	char *p;
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			die("cannot create", path);
		*p = '/';
	}
}

static out open_file(gen *g, const char *fmt, ...)
{
	char rel[512], path[1024];
	va_list ap;
	out o;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", g->root, rel);
	make_parents(path);
	o.f = fopen(path, "w");
	if (!o.f)
		die("cannot write", path);
	o.ndocs = 0;
	return o;
}

static void close_file(gen *g, out *o)
{
	long n = ftell(o->f);
	if (n > 0)
		g->bytes += (unsigned long long)n;
	if (ferror(o->f) || fclose(o->f) != 0)
		die("cannot write", g->root);
	g->files++;
}

/* Starts a YAML document; resources are Kubernetes and Flux objects. */
static void doc(gen *g, out *o, int resource)
{
	if (o->ndocs++ > 0)
		fputs("---\n", o->f);
	g->docs++;
	if (resource)
		g->resources++;
}

static void sentence(gen *g, FILE *f, unsigned n)
{
	unsigned i;
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", prose[rnd(g, NELEM(prose))]);
	fputs(".", f);
}

static void meta(FILE *f, const char *name, const char *ns)
{
	fprintf(f, "metadata:\n  name: %s\n", name);
	if (ns)
		fprintf(f, "  namespace: %s\n", ns);
}

static void container(gen *g, FILE *f, const char *app, const char *image,
                      int marker)
{
	unsigned i, nenv = 3 + rnd(g, 10);

	fprintf(f, "        - name: %s\n", app);
	fprintf(f, "          image: %s:1.%u.%u", image, rnd(g, 20),
	        rnd(g, 30));
	if (marker)
		fprintf(f, " # {\"$imagepolicy\": \"flux-system:%s\"}", app);
	fputs("\n          imagePullPolicy: IfNotPresent\n"
	      "          args: [\"--port=8080\", \"--log-level=info\"]\n"
	      "          ports:\n"
	      "            - name: http\n"
	      "              containerPort: 8080\n"
	      "              protocol: TCP\n"
	      "            - name: metrics\n"
	      "              containerPort: 9090\n"
	      "          env:\n",
	      f);
	for (i = 0; i < nenv; i++)
		fprintf(f,
		        "            - name: %s_%u\n"
		        "              value: \"%s-%u\"\n",
		        i % 2 ? "FEATURE" : "UPSTREAM", i,
		        words[rnd(g, NELEM(words))], rnd(g, 1000));
	if (rnd(g, 25) == 0)
		fputs("            - name: ENABLE_CACHE\n"
		      "              value: yes\n",
		      f);
	fprintf(f,
	        "            - name: DB_PASSWORD\n"
	        "              valueFrom:\n"
	        "                secretKeyRef:\n"
	        "                  name: %s-secrets\n"
	        "                  key: DB_PASSWORD\n"
	        "            - name: POD_NAME\n"
	        "              valueFrom:\n"
	        "                fieldRef:\n"
	        "                  fieldPath: metadata.name\n"
	        "          envFrom:\n"
	        "            - configMapRef:\n"
	        "                name: %s-config\n",
	        app, app);
	fprintf(f,
	        "          resources:\n"
	        "            requests:\n"
	        "              cpu: %um\n"
	        "              memory: %uMi\n"
	        "            limits:\n"
	        "              cpu: %um\n"
	        "              memory: %uMi\n",
	        50 + 50 * rnd(g, 4), 64 << rnd(g, 3), 500 + 250 * rnd(g, 4),
	        256 << rnd(g, 3));
	fputs("          readinessProbe:\n"
	      "            httpGet:\n"
	      "              path: /readyz\n"
	      "              port: http\n"
	      "            initialDelaySeconds: 5\n"
	      "            periodSeconds: 10\n"
	      "          livenessProbe:\n"
	      "            httpGet:\n"
	      "              path: /healthz\n"
	      "              port: http\n"
	      "            initialDelaySeconds: 15\n"
	      "            periodSeconds: 20\n"
	      "            failureThreshold: 3\n"
	      "          securityContext:\n"
	      "            allowPrivilegeEscalation: false\n"
	      "            readOnlyRootFilesystem: true\n"
	      "            capabilities:\n"
	      "              drop: [\"ALL\"]\n"
	      "          volumeMounts:\n"
	      "            - name: tmp\n"
	      "              mountPath: /tmp\n",
	      f);
}

static void deployment(gen *g, out *o, const char *name, const char *app,
                       const char *team, const char *image)
{
	FILE *f = o->f;

	doc(g, o, 1);
	fputs("apiVersion: apps/v1\nkind: Deployment\n", f);
	meta(f, name, NULL);
	fprintf(f,
	        "  labels:\n"
	        "    app.kubernetes.io/name: %s\n"
	        "    app.kubernetes.io/part-of: %s\n"
	        "spec:\n"
	        "  replicas: %u\n"
	        "  revisionHistoryLimit: 5\n"
	        "  selector:\n"
	        "    matchLabels:\n"
	        "      app.kubernetes.io/name: %s\n"
	        "  template:\n"
	        "    metadata:\n"
	        "      labels:\n"
	        "        app.kubernetes.io/name: %s\n"
	        "      annotations:\n"
	        "        prometheus.io/scrape: \"true\"\n"
	        "        prometheus.io/port: \"9090\"\n"
	        "    spec:\n"
	        "      serviceAccountName: %s\n"
	        "      securityContext:\n"
	        "        runAsNonRoot: true\n"
	        "        runAsUser: 10001\n"
	        "        fsGroup: 10001\n"
	        "      containers:\n",
	        name, team, 1 + rnd(g, 4), name, name, app);
	container(g, f, app, image, 1);
	if (rnd(g, 4) == 0)
		container(g, f, "log-shipper", "docker.io/fluent/fluent-bit",
		          0);
	fputs("      volumes:\n"
	      "        - name: tmp\n"
	      "          emptyDir: {}\n",
	      f);
}

static void service(gen *g, out *o, const char *app)
{
	doc(g, o, 1);
	fputs("apiVersion: v1\nkind: Service\n", o->f);
	meta(o->f, app, NULL);
	fprintf(o->f,
	        "  labels:\n"
	        "    app.kubernetes.io/name: %s\n"
	        "spec:\n"
	        "  type: ClusterIP\n"
	        "  selector:\n"
	        "    app.kubernetes.io/name: %s\n"
	        "  ports:\n"
	        "    - name: http\n"
	        "      port: 80\n"
	        "      targetPort: http\n"
	        "    - name: metrics\n"
	        "      port: 9090\n"
	        "      targetPort: metrics\n",
	        app, app);
}

static void postgres(gen *g, out *o, const char *app)
{
	doc(g, o, 1);
	fputs("apiVersion: apps/v1\nkind: StatefulSet\n", o->f);
	fprintf(o->f,
	        "metadata:\n  name: %s-db\n"
	        "spec:\n"
	        "  serviceName: %s-db\n"
	        "  replicas: 1\n"
	        "  selector:\n"
	        "    matchLabels: {app.kubernetes.io/name: %s-db}\n"
	        "  template:\n"
	        "    metadata:\n"
	        "      labels: {app.kubernetes.io/name: %s-db}\n"
	        "    spec:\n"
	        "      containers:\n"
	        "        - name: postgres\n"
	        "          image: docker.io/library/postgres:16.%u\n"
	        "          env:\n"
	        "            - name: POSTGRES_DB\n"
	        "              value: %s\n"
	        "            - name: POSTGRES_USER\n"
	        "              value: %s\n"
	        "            - name: POSTGRES_PASSWORD\n"
	        "              valueFrom:\n"
	        "                secretKeyRef: {name: %s-secrets, key: "
	        "DB_PASSWORD}\n"
	        "          resources:\n"
	        "            requests: {cpu: 250m, memory: 512Mi}\n"
	        "            limits: {cpu: \"1\", memory: 1Gi}\n"
	        "  volumeClaimTemplates:\n"
	        "    - metadata:\n"
	        "        name: data\n"
	        "      spec:\n"
	        "        accessModes: [ReadWriteOnce]\n"
	        "        resources:\n"
	        "          requests:\n"
	        "            storage: %uGi\n",
	        app, app, app, app, rnd(g, 5), app, app, app, 5 << rnd(g, 4));
}

static void configmap(gen *g, const char *dir, const char *app)
{
	out o = open_file(g, "%s/configmap.yaml", dir);
	unsigned i, n = 5 + rnd(g, 15);

	doc(g, &o, 1);
	fputs("apiVersion: v1\nkind: ConfigMap\n", o.f);
	fprintf(o.f, "metadata:\n  name: %s-config\ndata:\n", app);
	fputs("  LOG_FORMAT: json\n  LOG_LEVEL: info\n", o.f);
	for (i = 0; i < n; i++)
		fprintf(o.f, "  %s_%s_%u: \"%u\"\n",
		        i % 3 ? "FEATURE" : "LIMIT",
		        words[rnd(g, NELEM(words))], i, rnd(g, 5000));
	fprintf(o.f,
	        "  config.yaml: |\n"
	        "    server:\n"
	        "      port: 8080\n"
	        "      readTimeout: %us\n"
	        "    upstreams:\n",
	        5 + rnd(g, 55));
	n = 2 + rnd(g, 4);
	for (i = 0; i < n; i++)
		fprintf(o.f,
		        "      - name: %s\n"
		        "        url: http://%s.%s.svc.cluster.local\n",
		        words[i], words[rnd(g, NELEM(words))],
		        teams[rnd(g, NELEM(teams))]);
	close_file(g, &o);
}

/*
 * Most Secrets hold placeholders or SOPS ciphertext, as in real GitOps
 * repositories; one app in 40 commits fake but realistic credentials, so
 * the benchmark also pays for reporting findings.
 */
static void secret(gen *g, const char *dir, const char *app, unsigned idx)
{
	out o = open_file(g, "%s/secret.yaml", dir);
	char a[64], b[64], enc[128];
	unsigned kind = idx % 40 == 7 ? 2 : rnd(g, 3) == 0 ? 1 : 0;

	doc(g, &o, 1);
	fputs("apiVersion: v1\nkind: Secret\n", o.f);
	fprintf(o.f, "metadata:\n  name: %s-secrets\ntype: Opaque\n", app);
	if (kind == 0) {
		fputs("stringData:\n"
		      "  DB_PASSWORD: ${DB_PASSWORD}\n"
		      "  API_KEY: <your-api-key>\n"
		      "  SESSION_SECRET: changeme\n"
		      "  DB_USER: app\n",
		      o.f);
	} else if (kind == 1) {
		rnd_chars(g, a, 24, alnum);
		rnd_chars(g, b, 43, alnum);
		fprintf(o.f,
		        "stringData:\n"
		        "  DB_PASSWORD: ENC[AES256_GCM,data:%s,iv:%s=,tag:"
		        "%.22s==,type:str]\n"
		        "sops:\n"
		        "  age:\n"
		        "    - recipient: age1%.52s\n"
		        "  lastmodified: \"2024-0%u-1%uT10:00:00Z\"\n"
		        "  version: 3.8.1\n",
		        a, b, b, AGE_RECIPIENT, 1 + rnd(g, 9), rnd(g, 10));
	} else {
		rnd_chars(g, a, 20, alnum);
		base64(enc, sizeof(enc), a);
		fprintf(o.f, "data:\n  DB_PASSWORD: %s\nstringData:\n", enc);
		rnd_chars(g, a, 36, alnum);
		fprintf(o.f, "  GITHUB_TOKEN: ghp_%s\n", a);
		rnd_chars(g, a, 16, upper);
		rnd_chars(g, b, 40, alnum);
		fprintf(o.f,
		        "  AWS_ACCESS_KEY_ID: AKIA%s\n"
		        "  AWS_SECRET_ACCESS_KEY: %s\n",
		        a, b);
	}
	close_file(g, &o);
}

static void image_policy(gen *g, const char *dir, const char *app,
                         const char *image)
{
	out o = open_file(g, "%s/image-policy.yaml", dir);

	doc(g, &o, 1);
	fputs("apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
	      "kind: ImageRepository\n",
	      o.f);
	meta(o.f, app, "flux-system");
	fprintf(o.f, "spec:\n  image: %s\n  interval: %uh\n", image,
	        1 + rnd(g, 6));
	doc(g, &o, 1);
	fputs("apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
	      "kind: ImagePolicy\n",
	      o.f);
	meta(o.f, app, "flux-system");
	fprintf(o.f,
	        "spec:\n"
	        "  imageRepositoryRef:\n"
	        "    name: %s\n"
	        "  policy:\n"
	        "    semver:\n"
	        "      range: \">=1.0.0 <2.0.0\"\n",
	        app);
	close_file(g, &o);
}

static void helm_release(gen *g, const char *dir, const char *app,
                         const char *team)
{
	out o = open_file(g, "%s/helmrelease.yaml", dir);

	doc(g, &o, 1);
	fputs("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n",
	      o.f);
	fprintf(o.f, "metadata:\n  name: %s-redis\n  namespace: %s\n", app,
	        team);
	fprintf(o.f,
	        "spec:\n"
	        "  interval: 30m\n"
	        "  chart:\n"
	        "    spec:\n"
	        "      chart: redis\n"
	        "      version: \"18.%u.x\"\n"
	        "      sourceRef:\n"
	        "        kind: HelmRepository\n"
	        "        name: bitnami\n"
	        "        namespace: flux-system\n"
	        "  install:\n"
	        "    remediation:\n"
	        "      retries: 3\n"
	        "  values:\n"
	        "    architecture: standalone\n"
	        "    auth:\n"
	        "      existingSecret: %s-secrets\n"
	        "      existingSecretPasswordKey: DB_PASSWORD\n"
	        "    master:\n"
	        "      persistence:\n"
	        "        size: %uGi\n"
	        "      resources:\n"
	        "        requests: {cpu: 100m, memory: 128Mi}\n"
	        "        limits: {memory: 256Mi}\n",
	        rnd(g, 10), app, 1 << rnd(g, 4));
	close_file(g, &o);
}

static void app_readme(gen *g, const char *dir, const char *app,
                       const char *team)
{
	out o = open_file(g, "%s/README.md", dir);
	unsigned i, n = 2 + rnd(g, 6);

	fprintf(o.f, "# %s\n\nOwned by the %s team.\n\n", app, team);
	for (i = 0; i < n; i++) {
		sentence(g, o.f, 8 + rnd(g, 20));
		fputs(i % 2 ? "\n\n" : " ", o.f);
	}
	fprintf(o.f,
	        "\n\n## Operating\n\n"
	        "| what | where |\n| --- | --- |\n"
	        "| dashboard | https://grafana.example.org/d/%s |\n"
	        "| runbook | docs/runbooks/%s.md |\n\n"
	        "```sh\nkubectl -n %s rollout status deployment/%s\n```\n",
	        app, app, team, app);
	close_file(g, &o);
}

static void deploy_script(gen *g, const char *dir, const char *app,
                          const char *team, unsigned idx)
{
	out o = open_file(g, "%s/scripts/deploy.sh", dir);
	char tok[64];

	fprintf(o.f,
	        "#!/usr/bin/env bash\n"
	        "# Restarts %s and waits for the rollout.\n"
	        "set -euo pipefail\n\n"
	        "NAMESPACE=\"${NAMESPACE:-%s}\"\n"
	        "CONTEXT=\"${CONTEXT:-production}\"\n\n",
	        app, team);
	if (idx % 60 == 10) {
		rnd_chars(g, tok, 36, alnum);
		fprintf(o.f, "export GITHUB_TOKEN=ghp_%s\n\n", tok);
	}
	fprintf(o.f,
	        "kubectl --context \"$CONTEXT\" -n \"$NAMESPACE\" rollout "
	        "restart deployment/%s\n"
	        "if ! kubectl --context \"$CONTEXT\" -n \"$NAMESPACE\" "
	        "rollout status deployment/%s --timeout=%us; then\n"
	        "\techo \"rollout of %s failed\" >&2\n"
	        "\texit 1\n"
	        "fi\n",
	        app, app, 60 + 30 * rnd(g, 8), app);
	close_file(g, &o);
}

/* apps/TEAM/APP: 6 to 8 files, a Flux Kustomization in its cluster file. */
static void app(gen *g, out *cluster, const char *team, unsigned idx)
{
	char name[64], dir[128], image[128], worker[80];
	int helm = rnd(g, 3) == 0, db = rnd(g, 10) == 0;
	out o;

	snprintf(name, sizeof(name), "%s-%04u", words[rnd(g, NELEM(words))],
	         idx);
	snprintf(dir, sizeof(dir), "apps/%s/%s", team, name);
	if (rnd(g, 2))
		snprintf(image, sizeof(image), "ghcr.io/example/%s", name);
	else
		snprintf(image, sizeof(image), "registry.example.org/%s/%s",
		         team, name);

	o = open_file(g, "%s/kustomization.yaml", dir);
	doc(g, &o, 0);
	fprintf(o.f,
	        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
	        "kind: Kustomization\n"
	        "namespace: %s\n"
	        "resources:\n"
	        "  - deployment.yaml\n"
	        "  - configmap.yaml\n"
	        "  - secret.yaml\n"
	        "  - image-policy.yaml\n%s"
	        "labels:\n"
	        "  - pairs:\n"
	        "      team: %s\n",
	        team, helm ? "  - helmrelease.yaml\n" : "", team);
	close_file(g, &o);

	o = open_file(g, "%s/deployment.yaml", dir);
	deployment(g, &o, name, name, team, image);
	service(g, &o, name);
	if (rnd(g, 3) == 0) {
		snprintf(worker, sizeof(worker), "%s-worker", name);
		deployment(g, &o, worker, name, team, image);
	}
	if (db)
		postgres(g, &o, name);
	close_file(g, &o);

	configmap(g, dir, name);
	secret(g, dir, name, idx);
	image_policy(g, dir, name, image);
	if (helm)
		helm_release(g, dir, name, team);
	app_readme(g, dir, name, team);
	if (idx % 2 == 0)
		deploy_script(g, dir, name, team, idx);

	doc(g, cluster, 1);
	fputs("apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
	      "kind: Kustomization\n",
	      cluster->f);
	meta(cluster->f, name, "flux-system");
	fprintf(cluster->f,
	        "spec:\n"
	        "  interval: 10m\n"
	        "  path: ./%s\n"
	        "  prune: true\n"
	        "  wait: true\n"
	        "  sourceRef:\n"
	        "    kind: GitRepository\n"
	        "    name: flux-system\n"
	        "  dependsOn:\n"
	        "    - name: infrastructure\n",
	        dir);
}

static void flux_system(gen *g)
{
	out o = open_file(g, "clusters/production/flux-system/gotk-sync.yaml");
	doc(g, &o, 1);
	fputs("apiVersion: source.toolkit.fluxcd.io/v1\n"
	      "kind: GitRepository\n",
	      o.f);
	meta(o.f, "flux-system", "flux-system");
	fputs("spec:\n"
	      "  interval: 1m\n"
	      "  ref:\n"
	      "    branch: main\n"
	      "  secretRef:\n"
	      "    name: flux-system\n"
	      "  url: ssh://git@github.com/example/fleet\n",
	      o.f);
	doc(g, &o, 1);
	fputs("apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
	      "kind: Kustomization\n",
	      o.f);
	meta(o.f, "flux-system", "flux-system");
	fputs("spec:\n"
	      "  interval: 10m\n"
	      "  path: ./clusters/production\n"
	      "  prune: true\n"
	      "  sourceRef:\n"
	      "    kind: GitRepository\n"
	      "    name: flux-system\n",
	      o.f);
	close_file(g, &o);

	o = open_file(g, "clusters/production/infrastructure.yaml");
	doc(g, &o, 1);
	fputs("apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
	      "kind: Kustomization\n",
	      o.f);
	meta(o.f, "infrastructure", "flux-system");
	fputs("spec:\n"
	      "  interval: 1h\n"
	      "  path: ./infrastructure\n"
	      "  prune: true\n"
	      "  sourceRef:\n"
	      "    kind: GitRepository\n"
	      "    name: flux-system\n",
	      o.f);
	close_file(g, &o);

	o = open_file(g, "clusters/production/image-automation.yaml");
	doc(g, &o, 1);
	fputs("apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
	      "kind: ImageUpdateAutomation\n",
	      o.f);
	meta(o.f, "apps", "flux-system");
	fputs("spec:\n"
	      "  interval: 30m\n"
	      "  sourceRef:\n"
	      "    kind: GitRepository\n"
	      "    name: flux-system\n"
	      "  git:\n"
	      "    checkout:\n"
	      "      ref: {branch: main}\n"
	      "    commit:\n"
	      "      author: {name: fluxbot, email: fluxbot@example.org}\n"
	      "    push:\n"
	      "      branch: main\n"
	      "  update:\n"
	      "    path: ./apps\n"
	      "    strategy: Setters\n",
	      o.f);
	close_file(g, &o);

	o = open_file(g, "infrastructure/sources/helm-repositories.yaml");
	doc(g, &o, 1);
	fputs("apiVersion: source.toolkit.fluxcd.io/v1\n"
	      "kind: HelmRepository\n",
	      o.f);
	meta(o.f, "bitnami", "flux-system");
	fputs("spec:\n"
	      "  interval: 24h\n"
	      "  url: https://charts.bitnami.com/bitnami\n",
	      o.f);
	close_file(g, &o);
}

/* pulumi/PROJECT: the project with its config declarations, two stacks. */
static void pulumi(gen *g, unsigned idx)
{
	char proj[64], v[128];
	const char *stacks[] = {"dev", "prod"};
	unsigned s;
	out o;

	snprintf(proj, sizeof(proj), "%s-infra-%03u",
	         words[rnd(g, NELEM(words))], idx);
	o = open_file(g, "pulumi/%s/Pulumi.yaml", proj);
	doc(g, &o, 0);
	fprintf(o.f,
	        "name: %s\n"
	        "runtime: yaml\n"
	        "description: Cloud resources of %s\n"
	        "config:\n"
	        "  dbPassword:\n"
	        "    type: string\n"
	        "    secret: true\n"
	        "  instanceType:\n"
	        "    type: string\n"
	        "    default: t3.medium\n"
	        "resources:\n"
	        "  bucket:\n"
	        "    type: aws:s3:BucketV2\n"
	        "    properties:\n"
	        "      tags:\n"
	        "        project: %s\n"
	        "  db:\n"
	        "    type: aws:rds:Instance\n"
	        "    properties:\n"
	        "      engine: postgres\n"
	        "      instanceClass: db.${instanceType}\n"
	        "      password: ${dbPassword}\n"
	        "outputs:\n"
	        "  bucketName: ${bucket.id}\n",
	        proj, proj, proj);
	close_file(g, &o);

	for (s = 0; s < NELEM(stacks); s++) {
		o = open_file(g, "pulumi/%s/Pulumi.%s.yaml", proj, stacks[s]);
		doc(g, &o, 0);
		rnd_chars(g, v, 12, alnum);
		fprintf(o.f, "encryptionsalt: v1:%s=:v1:", v);
		rnd_chars(g, v, 16, alnum);
		fprintf(o.f, "%s:", v);
		rnd_chars(g, v, 32, alnum);
		fprintf(o.f,
		        "%s==\nconfig:\n"
		        "  aws:region: eu-west-%u\n"
		        "  %s:instanceType: t3.%s\n",
		        v, 1 + rnd(g, 3), proj, s ? "large" : "small");
		rnd_chars(g, v, 80, alnum);
		fprintf(o.f, "  %s:dbPassword:\n    secure: AAABA%s\n", proj,
		        v);
		if (idx % 15 == 4 && s == 0) {
			rnd_chars(g, v, 24, alnum);
			fprintf(o.f, "  %s:stripeKey: sk_live_%s\n", proj, v);
		}
		close_file(g, &o);
	}
}

static void docs(gen *g, unsigned idx)
{
	out o = open_file(g, "docs/runbooks/runbook-%04u.md", idx);
	unsigned i, n = 4 + rnd(g, 12);

	fprintf(o.f, "# Runbook %u\n\n", idx);
	for (i = 0; i < n; i++) {
		if (i % 4 == 0)
			fprintf(o.f, "## Step %u\n\n", i / 4 + 1);
		sentence(g, o.f, 10 + rnd(g, 25));
		fputs("\n\n", o.f);
	}
	close_file(g, &o);
}

/* 1 MiB like a vendored install.yaml: CRDs with deep schemas, RBAC. */
static void big_install(gen *g, unsigned idx)
{
	out o = open_file(g, "infrastructure/vendor/install-%u.yaml", idx);
	unsigned n = 0, i;

	while (ftell(o.f) < BIG_FILE) {
		doc(g, &o, 1);
		fprintf(o.f,
		        "apiVersion: apiextensions.k8s.io/v1\n"
		        "kind: CustomResourceDefinition\n"
		        "metadata:\n"
		        "  name: widgets%u.v%u.example.org\n"
		        "spec:\n"
		        "  group: v%u.example.org\n"
		        "  names:\n"
		        "    kind: Widget%u\n"
		        "    plural: widgets%u\n"
		        "  scope: Namespaced\n"
		        "  versions:\n"
		        "    - name: v1\n"
		        "      served: true\n"
		        "      storage: true\n"
		        "      schema:\n"
		        "        openAPIV3Schema:\n"
		        "          type: object\n"
		        "          properties:\n"
		        "            spec:\n"
		        "              type: object\n"
		        "              properties:\n",
		        n, idx, idx, n, n);
		for (i = 0; i < 40; i++) {
			fprintf(o.f,
			        "                %s%u:\n"
			        "                  description: ",
			        words[rnd(g, NELEM(words))], i);
			sentence(g, o.f, 6 + rnd(g, 12));
			fprintf(o.f, "\n                  type: %s\n",
			        i % 3 ? "string" : "integer");
		}
		doc(g, &o, 1);
		fprintf(o.f,
		        "apiVersion: rbac.authorization.k8s.io/v1\n"
		        "kind: ClusterRole\n"
		        "metadata:\n"
		        "  name: widget%u-editor\n"
		        "rules:\n"
		        "  - apiGroups: [v%u.example.org]\n"
		        "    resources: [widgets%u, widgets%u/status]\n"
		        "    verbs: [get, list, watch, create, update, patch]\n",
		        n, idx, n, n);
		n++;
	}
	close_file(g, &o);
}

/* 1 MiB ConfigMap holding a dashboard as one literal block scalar. */
static void big_dashboard(gen *g, unsigned idx)
{
	out o = open_file(g, "infrastructure/monitoring/dashboards-%u.yaml",
	                  idx);
	unsigned n = 0;

	doc(g, &o, 1);
	fprintf(o.f,
	        "apiVersion: v1\n"
	        "kind: ConfigMap\n"
	        "metadata:\n"
	        "  name: dashboards-%u\n"
	        "  namespace: monitoring\n"
	        "  labels:\n"
	        "    grafana_dashboard: \"1\"\n"
	        "data:\n"
	        "  fleet.json: |\n"
	        "    {\"title\": \"fleet %u\", \"panels\": [\n",
	        idx, idx);
	while (ftell(o.f) < BIG_FILE)
		fprintf(o.f,
		        "      {\"id\": %u, \"type\": \"timeseries\", "
		        "\"title\": \"%s p99\", \"targets\": [{\"expr\": "
		        "\"histogram_quantile(0.99, sum(rate(http_request_"
		        "duration_seconds_bucket{app=\\\"%s\\\"}[5m])) by "
		        "(le))\"}]},\n",
		        n++, words[rnd(g, NELEM(words))],
		        words[rnd(g, NELEM(words))]);
	fputs("      {\"id\": 0}]}\n", o.f);
	close_file(g, &o);
}

static void big_changelog(gen *g, unsigned idx)
{
	out o = open_file(g, "docs/CHANGELOG-%u.md", idx);
	unsigned n = 0;

	fputs("# Changelog\n\n", o.f);
	while (ftell(o.f) < BIG_FILE) {
		fprintf(o.f, "## %u.%u.%u\n\n- ", n / 100, n / 10 % 10, n % 10);
		sentence(g, o.f, 10 + rnd(g, 20));
		fputs("\n- ", o.f);
		sentence(g, o.f, 10 + rnd(g, 20));
		fputs("\n\n", o.f);
		n++;
	}
	close_file(g, &o);
}

int main(int argc, char **argv)
{
	gen g;
	unsigned napps, nteams, i, t, big;
	out o;

	if (argc != 3 ||
	    (strcmp(argv[2], "small") != 0 && strcmp(argv[2], "medium") != 0)) {
		fprintf(stderr, "usage: gen DIR small|medium\n");
		return 2;
	}
	memset(&g, 0, sizeof(g));
	g.root = argv[1];
	g.seed = 0x706c756d62ULL; /* "plumb" */
	if (mkdir(g.root, 0755) != 0 && errno != EEXIST)
		die("cannot create", g.root);
	/* about 7 files an app, plus stacks, runbooks and 1 MiB files */
	if (strcmp(argv[2], "small") == 0) {
		napps = 135, nteams = 8, big = 1;
	} else {
		napps = 1350, nteams = 24, big = 2;
	}

	o = open_file(&g, "README.md");
	fputs("# fleet\n\nThe production cluster, reconciled by Flux.\n", o.f);
	close_file(&g, &o);
	flux_system(&g);
	for (t = 0; t < nteams; t++) {
		o = open_file(&g, "clusters/production/apps-%s.yaml", teams[t]);
		for (i = t; i < napps; i += nteams)
			app(&g, &o, teams[t], i);
		close_file(&g, &o);
	}
	for (i = 0; i < napps / 15; i++)
		pulumi(&g, i);
	for (i = 0; i < napps / 10; i++)
		docs(&g, i);
	for (i = 0; i < big; i++) {
		big_install(&g, i);
		big_dashboard(&g, i);
		big_changelog(&g, i);
	}
	printf("%lu files %llu bytes %lu documents %lu resources\n", g.files,
	       g.bytes, g.docs, g.resources);
	return 0;
}
