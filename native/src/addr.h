/*
 * addr.h - socket addresses (addr.c): made for bind and connect, written for sockname and
 * peername. Knows no socket: base layer (see internal.h).
 */
#ifndef GENTCP_ADDR_H
#define GENTCP_ADDR_H

#include <stdint.h>
#include <sys/socket.h>

/* An inet or inet6 address of FAMILY: the address in HI (inet6's first 8 bytes) and LO, the
 * port in bits 0..15 of PORT_SCOPE and an IPv6 scope id (interface index) in bits 32..63.
 * 0, -EINVAL, or -EAFNOSUPPORT for another family. */
int gt__addr_inet(int64_t family, int64_t hi, int64_t lo, int64_t port_scope,
                  struct sockaddr_storage *ss, socklen_t *len);
/* An AF_UNIX address from the LEN bytes at NAME (the caller's, read during the call only): a
 * path, an abstract name (first byte NUL, Linux) or, LEN 0, autobind (Linux). 0 or -EINVAL. */
int gt__addr_local(int64_t name, int64_t len, struct sockaddr_storage *ss, socklen_t *sslen);
/* Write the address SS (LEN bytes, as the kernel gave it) to DST in gentcp.h's layout (CAP
 * bytes there): 0, -EINVAL when CAP is too small, -EAFNOSUPPORT for another family. */
int gt__addr_write(const struct sockaddr_storage *ss, socklen_t len, int64_t dst, int32_t cap);

#endif /* GENTCP_ADDR_H */
