/* nft.h - the nftables table that keeps the harness namespace's own stack off the wire (libnftnl batches, sent through nl). */
#ifndef TCPCONF_NFT_H
#define TCPCONF_NFT_H

#include <stddef.h>
#include <stdint.h>

#define NFT_SILENCE_TABLE	"tcpconf"

/*
 * Build, into buf (size bytes), one batch that creates netdev table
 * NFT_SILENCE_TABLE with two base chains on ifname:
 *   ingress: counter, drop everything (AF_PACKET taps still see frames);
 *   egress:  accept meta mark == mark, counter, drop everything else.
 * seq numbers the messages from seq upward.  *len gets the batch length,
 * *nmsgs how many messages ask for an ack.  No socket is touched, so this
 * can be unit-tested without privileges.
 */
int nft_silence_build(void *buf, size_t size, const char *ifname,
		      uint32_t mark, uint32_t seq, size_t *len,
		      unsigned int *nmsgs, char **error);

/*
 * Install that table in the calling thread's current namespace (call it
 * inside the harness namespace).  Every ack is read; a kernel error comes
 * back with its strerror text.  STATUS_SKIP when nf_tables or the netdev
 * egress hook is not available, or privileges are missing.
 */
int nft_silence_apply(const char *ifname, uint32_t mark, char **error);

/*
 * Read the packet counts of the ingress and egress drop counters of the
 * table in the current namespace.  Used by tests to prove the chains act.
 */
int nft_silence_counters(uint64_t *ingress_dropped, uint64_t *egress_dropped,
			 char **error);

#endif
