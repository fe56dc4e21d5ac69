/*
 * suppression.c - the suppression/ family: suppressions that are wrong.
 *
 * These findings come from the suppression stage (finding/suppress.c),
 * which runs after every rule, since only then is it known what each
 * suppression hid. The descriptors are here so that the rules have ids,
 * help, severities users can change in .plumb.yaml, and SARIF metadata;
 * .stage = PL_STAGE_SUPPRESSION says the stage reports them, so they
 * have no check function.
 */
#include "builtin/builtin.h"
#include "finding/suppress.h"

const pl_rule pl_rule_suppression_expired = {
        .id = PL_SUPPRESS_RULE_EXPIRED,
        .severity = PL_SEV_WARNING,
        .summary = "A suppression's until= date has passed, so it no longer "
                   "suppresses",
        .help = "`plumb:ignore RULE until=YYYY-MM-DD -- reason` (and the "
                "annotation and .plumb.yaml forms) suppress until the end "
                "of that day (UTC). After it, the findings it hid are "
                "reported again and this finding says why; an until= that "
                "is not a date suppresses nothing.\n"
                "Fix: fix what the suppression hid, or renew the date with "
                "a reason that still holds.",
        .scope = PL_SCOPE_FILE,
        .example = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: app-settings\n"
                   "data:\n"
                   "  LOG_LEVEL: info\n"
                   "  LOG_LEVEL: debug "
                   "# plumb:ignore yaml/duplicate-key until=2024-01-31 "
                   "-- until the 2.0 chart lands\n",
        .tags = PL_TAGS("suppression"),
        .precision = PL_PRECISION_HIGH,
        .stage = PL_STAGE_SUPPRESSION,
};

const pl_rule pl_rule_suppression_missing_reason = {
        .id = PL_SUPPRESS_RULE_MISSING_REASON,
        .severity = PL_SEV_WARNING,
        .summary = "A suppression gives no reason",
        .help = "A suppression without a reason cannot be reviewed: nobody "
                "can tell a deliberate exception from a silenced bug. The "
                "suppression still applies; this finding asks for the "
                "reason.\n"
                "Fix: write it after two dashes: `# plumb:ignore "
                "secrets/token -- fixture of the scanner's tests`; in "
                "annotations the same text; in .plumb.yaml `reason:`.",
        .scope = PL_SCOPE_FILE,
        .example = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: app-settings\n"
                   "data:\n"
                   "  LOG_LEVEL: info\n"
                   "  LOG_LEVEL: debug # plumb:ignore yaml/duplicate-key\n",
        .tags = PL_TAGS("suppression"),
        .precision = PL_PRECISION_HIGH,
        .stage = PL_STAGE_SUPPRESSION,
};

const pl_rule pl_rule_suppression_unused = {
        .id = PL_SUPPRESS_RULE_UNUSED,
        .severity = PL_SEV_WARNING,
        .summary = "A suppression suppresses nothing",
        .help = "An ignore whose rule no longer fires where it points (the "
                "problem was fixed, the line moved, the rule id is "
                "misspelt) is dead weight, and worse: it silently hides the "
                "next real finding of that rule there.\n"
                "Fix: remove the suppression, or correct its rule id or "
                "position.",
        .scope = PL_SCOPE_FILE,
        .example = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: app-settings\n"
                   "data:\n"
                   "  LOG_LEVEL: debug "
                   "# plumb:ignore yaml/duplicate-key "
                   "-- the chart reads the last one\n",
        .tags = PL_TAGS("suppression"),
        .precision = PL_PRECISION_HIGH,
        .stage = PL_STAGE_SUPPRESSION,
};
