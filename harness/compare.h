/* compare.h - `tcpconf compare`: several kernels' results side by side, verdicts and timings. */
#ifndef TCPCONF_COMPARE_H
#define TCPCONF_COMPARE_H

/*
 * tcpconf compare [--format text|markdown|html] [--output FILE] DIR...
 * Each DIR is a results/<kernel release>/ holding results.jsonl (a
 * results.jsonl file may be named directly).  Returns the exit status:
 * 0 when every case has the same verdict on every kernel and none failed,
 * 1 when some verdict differs (a case missing on one kernel counts) or a
 * case failed anywhere, also on every kernel; 2 on a usage or I/O error.
 */
int cmd_compare(int argc, char **argv);

#endif
