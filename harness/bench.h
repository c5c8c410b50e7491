/* bench.h - the `tcpconf bench` command: what a test bed, a round trip and the whole suite cost. */
#ifndef TCPCONF_BENCH_H
#define TCPCONF_BENCH_H

/* Run the benchmark; exit status for main() (77 when it cannot run: not root). */
int cmd_bench(int argc, char **argv);

#endif
