/*
 * report.h - turning the sorted findings of a run into output.
 *
 * A reporter gets everything it needs in one read-only pl_report and
 * writes to one FILE: it decides nothing (severity, filtering and order
 * were settled before). Formats: text (compiler style, source line and
 * caret), json (schemas/report.schema.json). SARIF and GitHub annotations
 * come with the CI-reports issue.
 */
#ifndef PL_REPORT_H
#define PL_REPORT_H

#include "base/error.h"
#include "finding/finding.h"

typedef enum pl_format {
	PL_FORMAT_TEXT,
	PL_FORMAT_JSON,
	PL_FORMAT_SARIF,
	PL_FORMAT_GITHUB,
} pl_format;

typedef struct pl_report {
	const pl_findings *findings; /* sorted */
	size_t files;                /* files looked at */
	bool color;                  /* text: ANSI colours */
} pl_report;

typedef struct pl_report_counts {
	size_t error, warning, info;
} pl_report_counts;

void pl_report_count(pl_report_counts *out, const pl_findings *f);

/* Writes the report. Returns 0, or PL_EIO if the output failed. */
int pl_report_text(FILE *out, const pl_report *r, pl_error *err);
int pl_report_json(FILE *out, const pl_report *r, pl_error *err);

/* Parses a --format value; PL_EUSAGE for an unknown one. */
int pl_format_parse(pl_format *out, const char *s);

/* jansson's version string, for `plumb version`. */
const char *pl_report_jansson_version(void);

#endif
