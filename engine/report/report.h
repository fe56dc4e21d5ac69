/*
 * report.h - turning the sorted findings of a run into output.
 *
 * A reporter gets everything it needs in one read-only pl_report and
 * writes to one FILE: it decides nothing (severity, filtering, order and
 * suppression were settled before). Formats: text (compiler style, source
 * line and caret), json (schemas/report.schema.json), sarif (SARIF 2.1.0
 * for code scanning) and github (Actions workflow commands). Suppressed
 * findings are left out of text and github output and out of every count;
 * json and sarif carry them, marked. Reporters keep no state: several may
 * run at once on different reports.
 */
#ifndef PL_REPORT_H
#define PL_REPORT_H

#include "base/buf.h"
#include "base/error.h"
#include "finding/finding.h"
#include "rule/registry.h"

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
	bool quiet; /* text: the finding lines only (no excerpt, summary) */
	/* text: after the findings, one row per rule with findings: id,
	 * severity, findings shown, findings suppressed (--summary; also
	 * with quiet) */
	bool summary;
	/* sarif: rule metadata and effective severities; NULL lists no
	 * rules and gives results no ruleIndex */
	const pl_registry *registry;
	/* sarif: absolute path of the folder reported paths are relative
	 * to (%SRCROOT%), or NULL when there is none (standard input) */
	const char *root;
	/* sarif: the origins of the shipped declarative packs ("rules/
	 * postgres.yaml"); their rules, and the built-in ones, have a page
	 * in docs/rules/ and so a helpUri. NULL-terminated, may be NULL. */
	const char *const *shipped;
	/* content git could not give (--staged, --history): the sources of
	 * the paths not linted (kind PL_SOURCE_SKIPPED, skip PL_SKIP_GIT).
	 * The run is incomplete: json lists them under "unread", sarif says
	 * executionSuccessful: false with a notification each, text says
	 * how many. `files` does not count them. */
	const pl_source *const *unread;
	size_t nunread;
} pl_report;

typedef struct pl_report_counts {
	size_t error, warning, info;
	size_t suppressed; /* not in the three above */
} pl_report_counts;

/*
 * Appends a rule's help as CommonMark (SARIF help.markdown, plumb explain
 * --format markdown): paragraphs joined from wrapped lines, "Fix:" in
 * bold, "- " lists, indented lines fenced; Markdown's special characters
 * outside `code` escaped. No trailing newline.
 */
void pl_report_help_markdown(pl_buf *b, const char *help);

/* Counts the findings by severity; suppressed ones only as suppressed. */
void pl_report_count(pl_report_counts *out, const pl_findings *f);

/* Writes the report. Returns 0, or PL_EIO if the output failed. */
int pl_report_text(FILE *out, const pl_report *r, pl_error *err);
int pl_report_json(FILE *out, const pl_report *r, pl_error *err);
int pl_report_sarif(FILE *out, const pl_report *r, pl_error *err);
int pl_report_github(FILE *out, const pl_report *r, pl_error *err);

/*
 * THE list of report formats (report.c), in pl_format order: the name
 * --format takes, what it is for, and its writer. The --format parser,
 * its help and error message (pl_report_format_names) and so the shell
 * completions, which read that help, all come from it: a reporter is
 * added here and nowhere else.
 */
typedef struct pl_reporter {
	const char *name;
	pl_format format;
	const char *summary;
	int (*write)(FILE *out, const pl_report *r, pl_error *err);
} pl_reporter;

extern const pl_reporter pl_reporters[];
extern const size_t pl_nreporters;

/* The reporter named s, or NULL. */
const pl_reporter *pl_reporter_find(const char *s);

/* Parses a --format value; PL_EUSAGE for an unknown one. */
int pl_format_parse(pl_format *out, const char *s);

/* Writes r in format f through its reporter (pl_reporters[f]). */
int pl_report_write(FILE *out, pl_format f, const pl_report *r, pl_error *err);

/* Appends the format names as prose, "text, json, sarif or github", for
 * --format's help and its error message. */
void pl_report_format_names(pl_buf *out);

/* jansson's version string, for `plumb version`. */
const char *pl_report_jansson_version(void);

/* Shared by json.c and sarif.c (the only <jansson.h> users, hence the
 * struct tag): a JSON string of s, with every invalid UTF-8 byte replaced
 * by U+FFFD, as jansson refuses invalid UTF-8 and file names and
 * messages may hold it. */
struct json_t *pl_report__json_str(const char *s);
/* Writes doc (consumed) to out, indented, in key order, with a final
 * newline; PL_EIO if it cannot. */
int pl_report__json_write(struct json_t *doc, FILE *out, pl_error *err);

#endif
