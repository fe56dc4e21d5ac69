/*
 * builtin.h - the built-in rules, one extern per rule, and the table that
 * lists them (table.c, sorted by id).
 */
#ifndef PL_BUILTIN_H
#define PL_BUILTIN_H

#include "rule/decl.h"

extern const pl_rule pl_rule_flux_controller_namespace;
extern const pl_rule pl_rule_flux_dangling_ref;
extern const pl_rule pl_rule_flux_depends_on;
extern const pl_rule pl_rule_flux_imagepolicy_marker;
extern const pl_rule pl_rule_flux_imagepolicy_range;
extern const pl_rule pl_rule_flux_kustomization_path;
extern const pl_rule pl_rule_flux_marker_outside_update_path;
extern const pl_rule pl_rule_flux_tenant_service_account;
extern const pl_rule pl_rule_schema_invalid;
extern const pl_rule pl_rule_secrets_default_credential;
extern const pl_rule pl_rule_secrets_env_value;
extern const pl_rule pl_rule_secrets_k8s_secret;
extern const pl_rule pl_rule_secrets_pattern;
extern const pl_rule pl_rule_secrets_pulumi_config;
extern const pl_rule pl_rule_secrets_pulumi_stack;
extern const pl_rule pl_rule_secrets_token;
extern const pl_rule pl_rule_source_skipped;
extern const pl_rule pl_rule_source_unreadable;
extern const pl_rule pl_rule_suppression_expired;
extern const pl_rule pl_rule_suppression_missing_reason;
extern const pl_rule pl_rule_suppression_unused;
extern const pl_rule pl_rule_yaml_ambiguous_scalar;
extern const pl_rule pl_rule_yaml_duplicate_key;
extern const pl_rule pl_rule_yaml_limit;
extern const pl_rule pl_rule_yaml_merge_key;
extern const pl_rule pl_rule_yaml_syntax;
extern const pl_rule pl_rule_yaml_unrendered_template;

extern const pl_rule *const pl_builtin_rules[];
extern const size_t pl_builtin_rules_len;

/* The declarative packs (rules/ YAML files), compiled in (ci/embed.sh). */
extern const pl_pack pl_builtin_packs[];
extern const size_t pl_builtin_packs_len;
/* The curated kind schemas (schemas/kinds/, named as kubeconform names
 * them), compiled in (ci/embed.sh). */
extern const pl_pack pl_builtin_kinds[];
extern const size_t pl_builtin_kinds_len;
/* The schemas of plumb's own inputs: schemas/config.schema.json and
 * schemas/rule.schema.json, in that order (ci/embed.sh). */
extern const pl_pack pl_builtin_inputs[];
extern const size_t pl_builtin_inputs_len;

#endif
