/* packet_line.h - the packet line of a script: "< S. 1:1(0) ack 1 win 257 <mss 1460,nop>". */
#ifndef TCPCONF_PACKET_LINE_H
#define TCPCONF_PACKET_LINE_H

#include "lexer.h"
#include "script.h"

/* Parse the packet line whose direction ('<' or '>') is the current token
 * into ev (EVENT_PACKET); -1 after an error. */
int packet_line_parse(struct parser *p, struct event *ev);

#endif
