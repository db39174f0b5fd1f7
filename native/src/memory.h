/*
 * memory.h - counted allocations and the receive budget (memory.c). Knows no socket: base
 * layer (see internal.h).
 */
#ifndef GENTCP_MEMORY_H
#define GENTCP_MEMORY_H

#include <stddef.h>
#include <stdint.h>

/* The counted allocations of one pool (gt_memory_stats). gt__mem_account tells a
 * block of a pool that went from WAS to NOW bytes (0: no block), for a block another allocator
 * made (a test's stand-in); the others allocate, resize and free counting. */
enum gt_mem_pool { GT_MEM_RBUF, GT_MEM_SENDQ, GT_MEM_MAILBOX, GT_MEM_POOLS };
void gt__mem_account(int pool, size_t was, size_t now);
void *gt__mem_alloc(int pool, size_t size);
void *gt__mem_zalloc(int pool, size_t size);
void *gt__mem_realloc(int pool, void *p, size_t was, size_t now);
void gt__mem_free(int pool, void *p, size_t size);
/* How many times any counted block was made or grown so far: tests check that steady traffic
 * leaves it where it was. */
int64_t gt__mem_growths(void);
/* The receive budget (gentcp.h, gt_set_receive_budget): charge BYTES more (0, or -EMSGSIZE
 * when that would pass the budget: nothing is charged), or give BYTES back. */
int gt__budget_charge(size_t bytes);
void gt__budget_release(size_t bytes);

#endif /* GENTCP_MEMORY_H */
