/*
 * base.h - the one include every plumb source starts with.
 *
 * Pulls in the C11/POSIX headers the engine uses everywhere, defines the
 * attribute macros (PL_PRINTF, PL_NONNULL, PL_UNUSED) and, last, banned.h,
 * so that misuse-prone libc calls are compile errors in our own code.
 * Depends on nothing in plumb.
 */
#ifndef PL_BASE_H
#define PL_BASE_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define PL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define PL_NONNULL(...)      __attribute__((nonnull(__VA_ARGS__)))
#define PL_UNUSED            __attribute__((unused))
#define PL_NORETURN          __attribute__((noreturn))
#else
#define PL_PRINTF(fmt, args)
#define PL_NONNULL(...)
#define PL_UNUSED
#define PL_NORETURN
#endif

#define PL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PL_VERSION "0.1.0"

#include "base/banned.h"

#endif
