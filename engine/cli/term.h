/*
 * term.h - whether to colour output: only on a terminal, never when
 * NO_COLOR is set to anything non-empty (no-color.org).
 */
#ifndef PL_TERM_H
#define PL_TERM_H

#include "base/base.h"

bool pl_term_color(FILE *stream);

#endif
