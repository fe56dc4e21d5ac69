/*
 * table.c - THE list of built-in rules, sorted by id. A rule that is not
 * here does not exist; the registry refuses an unsorted table and the
 * catalogue test checks each entry's fixtures and docs.
 */
#include "builtin/builtin.h"

const pl_rule *const pl_builtin_rules[] = {
        &pl_rule_flux_controller_namespace,
        &pl_rule_flux_dangling_ref,
        &pl_rule_flux_depends_on,
        &pl_rule_flux_imagepolicy_marker,
        &pl_rule_flux_imagepolicy_range,
        &pl_rule_flux_kustomization_path,
        &pl_rule_flux_marker_outside_update_path,
        &pl_rule_flux_tenant_service_account,
        &pl_rule_schema_invalid,
        &pl_rule_secrets_default_credential,
        &pl_rule_secrets_env_value,
        &pl_rule_secrets_k8s_secret,
        &pl_rule_secrets_pattern,
        &pl_rule_secrets_pulumi_config,
        &pl_rule_secrets_pulumi_stack,
        &pl_rule_secrets_token,
        &pl_rule_source_skipped,
        &pl_rule_source_unreadable,
        &pl_rule_suppression_expired,
        &pl_rule_suppression_missing_reason,
        &pl_rule_suppression_unused,
        &pl_rule_yaml_ambiguous_scalar,
        &pl_rule_yaml_duplicate_key,
        &pl_rule_yaml_limit,
        &pl_rule_yaml_merge_key,
        &pl_rule_yaml_syntax,
        &pl_rule_yaml_unrendered_template,
};

const size_t pl_builtin_rules_len = PL_ARRAY_SIZE(pl_builtin_rules);
