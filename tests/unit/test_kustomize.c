/*
 * test_kustomize.c - engine/model/kustomize: folders built as kustomize
 * v5 builds them, and the folders it refuses, with the entry at fault.
 *
 * Each case writes its files into a fresh temporary folder, builds it
 * and compares the YAML stream with what plumb must print, or the error
 * with the message and position it must give. The expected streams were
 * checked object for object against `kubectl kustomize` (kustomize
 * v5.5.0) when they were written; the kustomize-build suite
 * (tests/suites/kustomize_suite.c) holds the model to kustomize over
 * the whole corpus.
 */
#include "testlib.h"

#include "model/kustomize.h"

#include <sys/stat.h>
#include <unistd.h>

struct file {
	const char *path;
	const char *text;
};

struct build_case {
	const char *name;
	struct file files[4];
	const char *dir;   /* built, relative to the case's folder */
	const char *want;  /* the stream, or NULL when it must fail */
	const char *error; /* "file:line:col: message" start, after the
	                    * folder */
};

static const struct build_case build_cases[] = {
        {
                "strategic_merge_lists_by_name_patch_elements_first",
                {
                        {"kustomization.yaml",
                         "resources: [d.yaml]\n"
                         "patches:\n"
                         "  - patch: |\n"
                         "      apiVersion: apps/v1\n"
                         "      kind: Deployment\n"
                         "      metadata:\n"
                         "        name: web\n"
                         "      spec:\n"
                         "        template:\n"
                         "          spec:\n"
                         "            containers:\n"
                         "              - name: app\n"
                         "                env:\n"
                         "                  - name: C\n"
                         "                    value: \"3\"\n"
                         "                  - name: B\n"
                         "                    value: two\n"},
                        {"d.yaml",
                         "apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata:\n"
                         "  name: web\n"
                         "  labels:\n"
                         "    app: web\n"
                         "spec:\n"
                         "  selector:\n"
                         "    matchLabels:\n"
                         "      app: web\n"
                         "  template:\n"
                         "    metadata:\n"
                         "      labels:\n"
                         "        app: web\n"
                         "    spec:\n"
                         "      containers:\n"
                         "        - name: app\n"
                         "          image: nginx:1.25\n"
                         "          env:\n"
                         "            - name: A\n"
                         "              value: \"1\"\n"
                         "            - name: B\n"
                         "              value: \"2\"\n"
                         "        - name: sidecar\n"
                         "          image: docker.io/library/busybox:1.36@sha256:abc\n"},
                },
                ".",
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: web\n"
                "  labels:\n"
                "    app: web\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app: web\n"
                "  template:\n"
                "    metadata:\n"
                "      labels:\n"
                "        app: web\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: app\n"
                "        image: nginx:1.25\n"
                "        env:\n"
                "        - name: C\n"
                "          value: \"3\"\n"
                "        - name: B\n"
                "          value: two\n"
                "        - name: A\n"
                "          value: \"1\"\n"
                "      - name: sidecar\n"
                "        image: docker.io/library/busybox:1.36@sha256:abc\n",
                NULL,
        },
        {
                "strategic_merge_delete_directive_and_null",
                {
                        {"kustomization.yaml",
                         "resources: [d.yaml]\n"
                         "patches:\n"
                         "  - patch: |\n"
                         "      apiVersion: apps/v1\n"
                         "      kind: Deployment\n"
                         "      metadata:\n"
                         "        name: web\n"
                         "        labels: null\n"
                         "      spec:\n"
                         "        template:\n"
                         "          spec:\n"
                         "            containers:\n"
                         "              - name: sidecar\n"
                         "                $patch: delete\n"},
                        {"d.yaml",
                         "apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata:\n"
                         "  name: web\n"
                         "  labels:\n"
                         "    app: web\n"
                         "spec:\n"
                         "  selector:\n"
                         "    matchLabels:\n"
                         "      app: web\n"
                         "  template:\n"
                         "    metadata:\n"
                         "      labels:\n"
                         "        app: web\n"
                         "    spec:\n"
                         "      containers:\n"
                         "        - name: app\n"
                         "          image: nginx:1.25\n"
                         "          env:\n"
                         "            - name: A\n"
                         "              value: \"1\"\n"
                         "            - name: B\n"
                         "              value: \"2\"\n"
                         "        - name: sidecar\n"
                         "          image: docker.io/library/busybox:1.36@sha256:abc\n"},
                },
                ".",
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: web\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app: web\n"
                "  template:\n"
                "    metadata:\n"
                "      labels:\n"
                "        app: web\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: app\n"
                "        image: nginx:1.25\n"
                "        env:\n"
                "        - name: A\n"
                "          value: \"1\"\n"
                "        - name: B\n"
                "          value: \"2\"\n",
                NULL,
        },
        {
                "json6902_operations",
                {
                        {"kustomization.yaml",
                         "resources: [d.yaml]\n"
                         "patches:\n"
                         "  - target: {kind: Deployment, name: w.b}\n"
                         "    patch: |\n"
                         "      - op: test\n"
                         "        path: /spec/template/spec/containers/0/name\n"
                         "        value: app\n"
                         "      - op: add\n"
                         "        path: /spec/replicas\n"
                         "        value: 2\n"
                         "      - op: replace\n"
                         "        path: /spec/template/spec/containers/0/image\n"
                         "        value: nginx:1.27\n"
                         "      - op: remove\n"
                         "        path: /spec/template/spec/containers/0/env/0\n"
                         "      - op: copy\n"
                         "        from: /metadata/labels\n"
                         "        path: /metadata/annotations\n"
                         "      - op: move\n"
                         "        from: /spec/template/spec/containers/1\n"
                         "        path: /spec/template/spec/initContainers\n"},
                        {"d.yaml",
                         "apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata:\n"
                         "  name: web\n"
                         "  labels:\n"
                         "    app: web\n"
                         "spec:\n"
                         "  selector:\n"
                         "    matchLabels:\n"
                         "      app: web\n"
                         "  template:\n"
                         "    metadata:\n"
                         "      labels:\n"
                         "        app: web\n"
                         "    spec:\n"
                         "      containers:\n"
                         "        - name: app\n"
                         "          image: nginx:1.25\n"
                         "          env:\n"
                         "            - name: A\n"
                         "              value: \"1\"\n"
                         "            - name: B\n"
                         "              value: \"2\"\n"
                         "        - name: sidecar\n"
                         "          image: docker.io/library/busybox:1.36@sha256:abc\n"},
                },
                ".",
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: web\n"
                "  labels:\n"
                "    app: web\n"
                "  annotations:\n"
                "    app: web\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app: web\n"
                "  template:\n"
                "    metadata:\n"
                "      labels:\n"
                "        app: web\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: app\n"
                "        image: nginx:1.27\n"
                "        env:\n"
                "        - name: B\n"
                "          value: \"2\"\n"
                "      initContainers:\n"
                "        name: sidecar\n"
                "        image: docker.io/library/busybox:1.36@sha256:abc\n"
                "  replicas: 2\n",
                NULL,
        },
        {
                "images_name_tag_digest",
                {
                        {"kustomization.yaml",
                         "resources: [d.yaml]\n"
                         "images:\n"
                         "  - name: nginx\n"
                         "    newName: registry.example.com/nginx\n"
                         "    newTag: \"1.27\"\n"
                         "  - name: docker.io/library/busybox\n"
                         "    digest: sha256:def\n"},
                        {"d.yaml",
                         "apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata:\n"
                         "  name: web\n"
                         "  labels:\n"
                         "    app: web\n"
                         "spec:\n"
                         "  selector:\n"
                         "    matchLabels:\n"
                         "      app: web\n"
                         "  template:\n"
                         "    metadata:\n"
                         "      labels:\n"
                         "        app: web\n"
                         "    spec:\n"
                         "      containers:\n"
                         "        - name: app\n"
                         "          image: nginx:1.25\n"
                         "          env:\n"
                         "            - name: A\n"
                         "              value: \"1\"\n"
                         "            - name: B\n"
                         "              value: \"2\"\n"
                         "        - name: sidecar\n"
                         "          image: docker.io/library/busybox:1.36@sha256:abc\n"},
                },
                ".",
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: web\n"
                "  labels:\n"
                "    app: web\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app: web\n"
                "  template:\n"
                "    metadata:\n"
                "      labels:\n"
                "        app: web\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: app\n"
                "        image: registry.example.com/nginx:1.27\n"
                "        env:\n"
                "        - name: A\n"
                "          value: \"1\"\n"
                "        - name: B\n"
                "          value: \"2\"\n"
                "      - name: sidecar\n"
                "        image: docker.io/library/busybox@sha256:def\n",
                NULL,
        },
        {
                "namespace_skips_cluster_scoped_and_sets_default_subjects",
                {
                        {"kustomization.yaml", "namespace: team\n"
                                               "resources: [r.yaml]\n"},
                        {"r.yaml", "apiVersion: v1\n"
                                   "kind: ServiceAccount\n"
                                   "metadata:\n"
                                   "  name: default\n"
                                   "---\n"
                                   "apiVersion: rbac.authorization.k8s.io/v1\n"
                                   "kind: ClusterRole\n"
                                   "metadata:\n"
                                   "  name: reader\n"
                                   "---\n"
                                   "apiVersion: rbac.authorization.k8s.io/v1\n"
                                   "kind: ClusterRoleBinding\n"
                                   "metadata:\n"
                                   "  name: reader\n"
                                   "roleRef:\n"
                                   "  apiGroup: rbac.authorization.k8s.io\n"
                                   "  kind: ClusterRole\n"
                                   "  name: reader\n"
                                   "subjects:\n"
                                   "  - kind: ServiceAccount\n"
                                   "    name: default\n"
                                   "    namespace: other\n"
                                   "  - kind: ServiceAccount\n"
                                   "    name: robot\n"
                                   "    namespace: other\n"
                                   "---\n"
                                   "apiVersion: example.com/v1\n"
                                   "kind: Widget\n"
                                   "metadata:\n"
                                   "  name: w\n"
                                   "  namespace: elsewhere\n"},
                },
                ".",
                "apiVersion: v1\n"
                "kind: ServiceAccount\n"
                "metadata:\n"
                "  name: default\n"
                "  namespace: team\n"
                "---\n"
                "apiVersion: rbac.authorization.k8s.io/v1\n"
                "kind: ClusterRole\n"
                "metadata:\n"
                "  name: reader\n"
                "---\n"
                "apiVersion: rbac.authorization.k8s.io/v1\n"
                "kind: ClusterRoleBinding\n"
                "metadata:\n"
                "  name: reader\n"
                "roleRef:\n"
                "  apiGroup: rbac.authorization.k8s.io\n"
                "  kind: ClusterRole\n"
                "  name: reader\n"
                "subjects:\n"
                "- kind: ServiceAccount\n"
                "  name: default\n"
                "  namespace: team\n"
                "- kind: ServiceAccount\n"
                "  name: robot\n"
                "  namespace: other\n"
                "---\n"
                "apiVersion: example.com/v1\n"
                "kind: Widget\n"
                "metadata:\n"
                "  name: w\n"
                "  namespace: team\n",
                NULL,
        },
        {
                "common_labels_reach_selectors_labels_reach_templates",
                {
                        {"kustomization.yaml", "resources: [d.yaml, s.yaml]\n"
                                               "commonLabels:\n"
                                               "  team: a\n"
                                               "labels:\n"
                                               "  - pairs: {tier: web}\n"
                                               "    includeTemplates: true\n"
                                               "commonAnnotations:\n"
                                               "  owner: me\n"},
                        {"d.yaml",
                         "apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata:\n"
                         "  name: web\n"
                         "  labels:\n"
                         "    app: web\n"
                         "spec:\n"
                         "  selector:\n"
                         "    matchLabels:\n"
                         "      app: web\n"
                         "  template:\n"
                         "    metadata:\n"
                         "      labels:\n"
                         "        app: web\n"
                         "    spec:\n"
                         "      containers:\n"
                         "        - name: app\n"
                         "          image: nginx:1.25\n"
                         "          env:\n"
                         "            - name: A\n"
                         "              value: \"1\"\n"
                         "            - name: B\n"
                         "              value: \"2\"\n"
                         "        - name: sidecar\n"
                         "          image: docker.io/library/busybox:1.36@sha256:abc\n"},
                        {"s.yaml", "apiVersion: v1\n"
                                   "kind: Service\n"
                                   "metadata:\n"
                                   "  name: web\n"
                                   "spec:\n"
                                   "  selector:\n"
                                   "    app: web\n"
                                   "  ports:\n"
                                   "    - port: 80\n"},
                },
                ".",
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: web\n"
                "  labels:\n"
                "    app: web\n"
                "    tier: web\n"
                "    team: a\n"
                "  annotations:\n"
                "    owner: me\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app: web\n"
                "      team: a\n"
                "  template:\n"
                "    metadata:\n"
                "      labels:\n"
                "        app: web\n"
                "        tier: web\n"
                "        team: a\n"
                "      annotations:\n"
                "        owner: me\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: app\n"
                "        image: nginx:1.25\n"
                "        env:\n"
                "        - name: A\n"
                "          value: \"1\"\n"
                "        - name: B\n"
                "          value: \"2\"\n"
                "      - name: sidecar\n"
                "        image: docker.io/library/busybox:1.36@sha256:abc\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Service\n"
                "metadata:\n"
                "  name: web\n"
                "  labels:\n"
                "    tier: web\n"
                "    team: a\n"
                "  annotations:\n"
                "    owner: me\n"
                "spec:\n"
                "  selector:\n"
                "    app: web\n"
                "    team: a\n"
                "  ports:\n"
                "  - port: 80\n",
                NULL,
        },
        {
                "generator_hash_prefix_and_references",
                {
                        {"kustomization.yaml",
                         "namePrefix: p-\n"
                         "resources: [d.yaml]\n"
                         "configMapGenerator:\n"
                         "  - name: settings\n"
                         "    literals: [MODE=fast, \"QUOTED='x'\"]\n"
                         "secretGenerator:\n"
                         "  - name: creds\n"
                         "    literals: [PASSWORD=hunter2]\n"
                         "replicas:\n"
                         "  - name: web\n"
                         "    count: 3\n"},
                        {"d.yaml",
                         "apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata:\n"
                         "  name: web\n"
                         "  labels:\n"
                         "    app: web\n"
                         "spec:\n"
                         "  selector:\n"
                         "    matchLabels:\n"
                         "      app: web\n"
                         "  template:\n"
                         "    metadata:\n"
                         "      labels:\n"
                         "        app: web\n"
                         "    spec:\n"
                         "      containers:\n"
                         "        - name: app\n"
                         "          image: nginx:1.25\n"
                         "          envFrom:\n"
                         "            - configMapRef: {name: settings}\n"
                         "            - secretRef: {name: creds}\n"
                         "          env:\n"
                         "            - name: A\n"
                         "              value: \"1\"\n"
                         "            - name: B\n"
                         "              value: \"2\"\n"
                         "        - name: sidecar\n"
                         "          image: docker.io/library/busybox:1.36@sha256:abc\n"},
                },
                ".",
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: p-web\n"
                "  labels:\n"
                "    app: web\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app: web\n"
                "  template:\n"
                "    metadata:\n"
                "      labels:\n"
                "        app: web\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: app\n"
                "        image: nginx:1.25\n"
                "        envFrom:\n"
                "        - configMapRef:\n"
                "            name: p-settings-fg66dc8ff2\n"
                "        - secretRef:\n"
                "            name: p-creds-9279h2tbm8\n"
                "        env:\n"
                "        - name: A\n"
                "          value: \"1\"\n"
                "        - name: B\n"
                "          value: \"2\"\n"
                "      - name: sidecar\n"
                "        image: docker.io/library/busybox:1.36@sha256:abc\n"
                "  replicas: 3\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: ConfigMap\n"
                "metadata:\n"
                "  name: p-settings-fg66dc8ff2\n"
                "data:\n"
                "  MODE: fast\n"
                "  QUOTED: x\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Secret\n"
                "metadata:\n"
                "  name: p-creds-9279h2tbm8\n"
                "type: Opaque\n"
                "data:\n"
                "  PASSWORD: aHVudGVyMg==\n",
                NULL,
        },
        {
                "overlay_patch_matches_base_before_its_namespace",
                {
                        {"base/kustomization.yaml", "namespace: one\n"
                                                    "resources: [d.yaml]\n"},
                        {"base/d.yaml",
                         "apiVersion: apps/v1\n"
                         "kind: Deployment\n"
                         "metadata:\n"
                         "  name: web\n"
                         "  labels:\n"
                         "    app: web\n"
                         "spec:\n"
                         "  selector:\n"
                         "    matchLabels:\n"
                         "      app: web\n"
                         "  template:\n"
                         "    metadata:\n"
                         "      labels:\n"
                         "        app: web\n"
                         "    spec:\n"
                         "      containers:\n"
                         "        - name: app\n"
                         "          image: nginx:1.25\n"
                         "          env:\n"
                         "            - name: A\n"
                         "              value: \"1\"\n"
                         "            - name: B\n"
                         "              value: \"2\"\n"
                         "        - name: sidecar\n"
                         "          image: docker.io/library/busybox:1.36@sha256:abc\n"},
                        {"overlay/kustomization.yaml",
                         "namespace: two\n"
                         "resources: [../base]\n"
                         "patchesStrategicMerge:\n"
                         "  - |-\n"
                         "    apiVersion: apps/v1\n"
                         "    kind: Deployment\n"
                         "    metadata:\n"
                         "      name: web\n"
                         "    spec:\n"
                         "      replicas: 5\n"},
                },
                "overlay",
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "metadata:\n"
                "  name: web\n"
                "  labels:\n"
                "    app: web\n"
                "  namespace: two\n"
                "spec:\n"
                "  selector:\n"
                "    matchLabels:\n"
                "      app: web\n"
                "  template:\n"
                "    metadata:\n"
                "      labels:\n"
                "        app: web\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: app\n"
                "        image: nginx:1.25\n"
                "        env:\n"
                "        - name: A\n"
                "          value: \"1\"\n"
                "        - name: B\n"
                "          value: \"2\"\n"
                "      - name: sidecar\n"
                "        image: docker.io/library/busybox:1.36@sha256:abc\n"
                "  replicas: 5\n",
                NULL,
        },
        {
                "json6902_test_failure_names_the_operation",
                {
                        {"kustomization.yaml",
                         "resources: [d.yaml]\n"
                         "patches:\n"
                         "  - target: {kind: Deployment}\n"
                         "    patch: |\n"
                         "      - op: test\n"
                         "        path: /metadata/name\n"
                         "        value: api\n"},
                        {"d.yaml", "apiVersion: apps/v1\n"
                                   "kind: Deployment\n"
                                   "metadata:\n"
                                   "  name: web\n"},
                },
                ".",
                NULL,
                "kustomization.yaml:5:9: testing value /metadata/name failed",
        },
        {
                "patch_without_match_is_refused",
                {
                        {"kustomization.yaml", "resources: [d.yaml]\n"
                                               "patchesStrategicMerge:\n"
                                               "  - p.yaml\n"},
                        {"d.yaml", "apiVersion: apps/v1\n"
                                   "kind: Deployment\n"
                                   "metadata:\n"
                                   "  name: web\n"},
                        {"p.yaml", "apiVersion: apps/v1\n"
                                   "kind: Deployment\n"
                                   "metadata:\n"
                                   "  name: api\n"},
                },
                ".",
                NULL,
                "kustomization.yaml:3:5: no resource matches strategic merge patch \"Deployment api\"",
        },
        {
                "folder_that_includes_itself_is_a_cycle",
                {
                        {"kustomization.yaml", "resources: [sub]\n"},
                        {"sub/kustomization.yaml", "resources: [..]\n"},
                },
                ".",
                NULL,
                "sub/kustomization.yaml:1:13: accumulating resources: cycle detected",
        },
        {
                "replicas_without_target_is_refused",
                {
                        {"kustomization.yaml", "resources: [d.yaml]\n"
                                               "replicas:\n"
                                               "  - name: api\n"
                                               "    count: 2\n"},
                        {"d.yaml", "apiVersion: apps/v1\n"
                                   "kind: Deployment\n"
                                   "metadata:\n"
                                   "  name: web\n"},
                },
                ".",
                NULL,
                "kustomization.yaml:3:11: replicas: no Deployment",
        },
        {
                "duplicate_identity_is_refused",
                {
                        {"kustomization.yaml", "resources: [a.yaml, b.yaml]\n"},
                        {"a.yaml", "apiVersion: v1\n"
                                   "kind: ConfigMap\n"
                                   "metadata:\n"
                                   "  name: x\n"},
                        {"b.yaml", "apiVersion: v1\n"
                                   "kind: ConfigMap\n"
                                   "metadata:\n"
                                   "  name: x\n"},
                },
                ".",
                NULL,
                "b.yaml:1:1: may not add resource with an already registered id: ConfigMap x",
        },
        {
                "unknown_field_is_an_invalid_kustomization",
                {
                        {"kustomization.yaml", "resources: []\n"
                                               "images:\n"
                                               "  - name: nginx\n"
                                               "    newDigest: sha256:abc\n"},
                },
                ".",
                NULL,
                "kustomization.yaml:4:5: invalid Kustomization: unknown "
                "field 'newDigest'",
        },
        {
                "file_outside_the_folder_is_refused",
                {
                        {"overlay/kustomization.yaml",
                         "resources: [../base/cm.yaml]\n"},
                        {"base/cm.yaml", "apiVersion: v1\n"
                                         "kind: ConfigMap\n"
                                         "metadata: {name: x}\n"},
                },
                "overlay",
                NULL,
                "overlay/kustomization.yaml:1:13: accumulating resources: "
                "security; file",
        },
};

static bool write_files(const char *root, const struct file *files)
{
	size_t i;
	for (i = 0; i < 4 && files[i].path; i++) {
		char path[4096], *slash;
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s", root, files[i].path);
		slash = strrchr(path, '/');
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
		f = fopen(path, "w");
		if (!f)
			return false;
		fputs(files[i].text, f);
		fclose(f);
	}
	return true;
}

static void remove_tree(const char *root)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		print_error("cannot remove %s\n", root);
}

/* Builds one case; prints what differs and returns false on a miss. */
static bool run_case(const struct build_case *c)
{
	char root[] = "/tmp/plumb-test-kustomize.XXXXXX", dir[4200];
	char msg[1024];
	pl_kbuild *b = NULL;
	pl_error err;
	pl_buf out;
	bool ok = true;
	int rc;

	if (!mkdtemp(root)) {
		print_error("%s: mkdtemp failed\n", c->name);
		return false;
	}
	if (!write_files(root, c->files)) {
		print_error("%s: cannot write files\n", c->name);
		remove_tree(root);
		return false;
	}
	snprintf(dir, sizeof(dir), "%s/%s", root, c->dir);
	pl_buf_init(&out, 0);
	rc = pl_kustomize_build(&b, dir, &err);
	if (c->want) {
		if (rc) {
			pl_error_format(&err, msg, sizeof(msg));
			print_error("%s: build failed: %s\n", c->name, msg);
			ok = false;
		} else if (pl_kustomize_emit(&out, b, false) != 0 || !out.ptr ||
		           strcmp(out.ptr, c->want) != 0) {
			print_error("%s: got\n%s\nwant\n%s\n", c->name,
			            out.ptr ? out.ptr : "", c->want);
			ok = false;
		}
	} else if (rc == 0) {
		print_error("%s: built, want the error %s\n", c->name,
		            c->error);
		ok = false;
	} else {
		size_t rlen = strlen(root);
		pl_error_format(&err, msg, sizeof(msg));
		if (strncmp(msg, root, rlen) != 0 || msg[rlen] != '/' ||
		    strncmp(msg + rlen + 1, c->error, strlen(c->error)) != 0) {
			print_error("%s: error %s, want %s/%s\n", c->name, msg,
			            root, c->error);
			ok = false;
		}
	}
	pl_buf_release(&out);
	pl_kbuild_free(b);
	remove_tree(root);
	return ok;
}

static void test_kustomize__builds_and_refuses_as_kustomize(void **state)
{
	size_t i, failed = 0;
	(void)state;
	for (i = 0; i < PL_ARRAY_SIZE(build_cases); i++)
		if (!run_case(&build_cases[i]))
			failed++;
	assert_int_equal(failed, 0);
}

static void test_kustomize__missing_folder_is_an_error(void **state)
{
	pl_kbuild *b = NULL;
	pl_error err;
	(void)state;
	assert_int_equal(pl_kustomize_build(&b, "/nonexistent/plumb", &err),
	                 PL_ENOTFOUND);
	assert_null(b);
	assert_string_equal(err.msg, "'/nonexistent/plumb' is not a folder");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(
	                test_kustomize__builds_and_refuses_as_kustomize),
	        cmocka_unit_test(test_kustomize__missing_folder_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
