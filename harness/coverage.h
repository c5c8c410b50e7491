/* coverage.h - the requirement traceability table: each requirement, the cases that check it, and their verdict per kernel. */
#ifndef TCPCONF_COVERAGE_H
#define TCPCONF_COVERAGE_H

#include <stddef.h>

/* The comment prefix a case names its requirement with, one per line. */
#define COVERAGE_TAG	"// Requirement: "

/* The line under a requirement in the list that says why no case checks it. */
#define COVERAGE_UNCOVERED	"not covered: "

struct coverage;

/* An empty table; NULL when out of memory.  Free with coverage_free. */
struct coverage *coverage_new(void);
void coverage_free(struct coverage *c);

/*
 * Read the requirement list: one requirement per line, exactly as cases
 * cite it after COVERAGE_TAG; '#' starts a comment line; an indented line
 * "not covered: REASON" under a requirement says why no case checks it.
 * A duplicate or malformed line is an error naming path:line.
 */
int coverage_read_list(struct coverage *c, const char *path, char **error);

/*
 * Read the COVERAGE_TAG lines of every .pkt under dir (the walk of `run`);
 * a case is named by its path under dir without ".pkt", as results name
 * it when dir is cases/.
 */
int coverage_read_cases(struct coverage *c, const char *dir, char **error);

/* Add a results directory (results.jsonl inside) as one kernel column. */
int coverage_read_results(struct coverage *c, const char *dir, char **error);

/*
 * Problems that make the table untrustworthy, one per line in *problems
 * (malloc'd, caller frees; "" when none): a case citing a requirement the
 * list does not have, a case citing none, a requirement no case checks
 * and no reason excuses.  Returns their number.
 */
size_t coverage_problems(const struct coverage *c, char **problems);

/* The table as "text" or "markdown" in a malloc'd string *out. */
int coverage_format(const struct coverage *c, const char *format, char **out,
		    size_t *len, char **error);

/* `tcpconf coverage`: exit 0, 1 when coverage_problems found some, 2 on errors. */
int cmd_coverage(int argc, char **argv);

#endif
