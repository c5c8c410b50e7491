/* run.h - the `tcpconf run` command. */
#ifndef TCPCONF_RUN_H
#define TCPCONF_RUN_H

#define TCPCONF_VERSION "0.1"

/* Run the cases named on the command line; exit status for main(). */
int cmd_run(int argc, char **argv);

#endif
