/*
 * quote.h - pl_quote for rules: the helper lives in base/quote.h, shared
 * with error messages, so findings and errors escape user text alike.
 */
#ifndef PL_QUOTE_H
#define PL_QUOTE_H

#include "base/quote.h"

#endif
