/*
 * banned.h - libc calls that are too easy to misuse, made compile errors.
 *
 * Included last by base.h. Use snprintf, pl_buf and strtol/strtoull (with
 * an end pointer and errno) instead. System headers are already included
 * when these macros are defined, so only plumb's own code is affected.
 */
#ifndef PL_BANNED_H
#define PL_BANNED_H

#define PL_BANNED(func) sorry_##func##_is_banned_in_plumb

#undef strcpy
#define strcpy(x, y) PL_BANNED(strcpy)
#undef strcat
#define strcat(x, y) PL_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) PL_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) PL_BANNED(strncat)
#undef sprintf
#define sprintf(...) PL_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PL_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) PL_BANNED(strtok)
#undef atoi
#define atoi(x) PL_BANNED(atoi)
#undef atol
#define atol(x) PL_BANNED(atol)
#undef atof
#define atof(x) PL_BANNED(atof)
#undef gets
#define gets(x) PL_BANNED(gets)
#undef gmtime
#define gmtime(x) PL_BANNED(gmtime)
#undef localtime
#define localtime(x) PL_BANNED(localtime)

#endif
