/*
 * options.h - what options.c tells the rest of the core (besides gt__opts_inherit, in
 * internal.h): its table's numbers, by name.
 */
#ifndef GENTCP_OPTIONS_H
#define GENTCP_OPTIONS_H

#include <stdint.h>

/* For gt_constant: "GT_OPT_<NAME>" is option NAME's id, "GT_OPT_<NAME>_MIN" and "_MAX" the
 * range gt_setopt takes (not for active), "GT_OPTS_ABSENT" the bit (1 << id) of each kernel
 * option this platform lacks; INT64_MIN for any other name. */
int64_t gt__opts_constant(const char *name);

#endif /* GENTCP_OPTIONS_H */
