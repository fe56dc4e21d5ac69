/*
 * time.c - CEL durations and timestamps: parsing (Go duration syntax,
 * RFC 3339), printing, arithmetic with range checks, and the accessors
 * (getFullYear, getHours, ...) in UTC, a fixed offset or an IANA zone
 * read from the system's zoneinfo files.
 *
 * Timestamps span 0001-01-01 to 9999-12-31 UTC and durations +-10000
 * years, as cel-spec requires; a result outside is an error.
 */
#include <math.h>

#include "cel/cel_impl.h"

#define NAME(s)  (!strcmp(name, (s)))
#define TS_MIN   (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define TS_MAX   (253402300799LL) /* 9999-12-31T23:59:59Z */
#define DUR_MAX  (9223372036LL)   /* int64 nanoseconds, as cel-go */
#define NS_PER_S 1000000000LL

const pl_cel_val *pl_cel_mktime(pl_cel_ctx *c, uint32_t off, pl_cel_kind k,
                                int64_t sec, int64_t nsec)
{
	pl_cel_val *v;

	sec += nsec / NS_PER_S;
	nsec %= NS_PER_S;
	if (k == PL_CEL_TIMESTAMP && nsec < 0) {
		nsec += NS_PER_S;
		sec--;
	}
	if (k == PL_CEL_DURATION && sec > 0 && nsec < 0) {
		nsec += NS_PER_S;
		sec--;
	} else if (k == PL_CEL_DURATION && sec < 0 && nsec > 0) {
		nsec -= NS_PER_S;
		sec++;
	}
	if (k == PL_CEL_TIMESTAMP ? (sec < TS_MIN || sec > TS_MAX)
	                          : (sec < -DUR_MAX || sec > DUR_MAX))
		return pl_cel_err(c, off, "range error");
	v = pl_cel_new(c->a, k);
	v->u.t.sec = sec;
	v->u.t.nsec = (int32_t)nsec;
	return v;
}

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

void pl_cel_timestamp_format(pl_buf *b, int64_t sec, int32_t nsec)
{
	int64_t days = floordiv(sec, 86400), y, rem = sec - days * 86400;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	pl_buf_addf(b, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
	            (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (nsec) {
		if (nsec % 1000000 == 0)
			pl_buf_addf(b, ".%03d", nsec / 1000000);
		else if (nsec % 1000 == 0)
			pl_buf_addf(b, ".%06d", nsec / 1000);
		else
			pl_buf_addf(b, ".%09d", nsec);
	}
	pl_buf_addc(b, 'Z');
}

void pl_cel_duration_format(pl_buf *b, int64_t sec, int32_t nsec)
{
	if (sec < 0 || nsec < 0) {
		pl_buf_addc(b, '-');
		sec = -sec;
		nsec = -nsec;
	}
	pl_buf_addf(b, "%lld", (long long)sec);
	if (nsec) {
		char frac[16];
		int n;
		snprintf(frac, sizeof frac, "%09d", nsec);
		for (n = 9; n > 0 && frac[n - 1] == '0'; n--)
			;
		pl_buf_addf(b, ".%.*s", n, frac);
	}
	pl_buf_addc(b, 's');
}

static int digits(const char *s, size_t len, size_t *i, int n)
{
	int v = 0, k;

	for (k = 0; k < n; k++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[(*i)++] - '0');
	}
	return v;
}

const pl_cel_val *pl_cel_timestamp_parse(pl_cel_ctx *c, uint32_t off,
                                         const char *s, size_t len)
{
	size_t i = 0;
	int y, mo, d, h, mi, se, oh = 0, om = 0;
	int64_t nsec = 0, sec;
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};

	y = digits(s, len, &i, 4);
	if (y < 0 || i >= len || s[i++] != '-')
		goto bad;
	mo = digits(s, len, &i, 2);
	if (mo < 1 || mo > 12 || i >= len || s[i++] != '-')
		goto bad;
	d = digits(s, len, &i, 2);
	if (d < 1 || d > mdays[mo - 1] || i >= len ||
	    (s[i] != 'T' && s[i] != 't'))
		goto bad;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 || y % 400 == 0)))
		goto bad;
	i++;
	h = digits(s, len, &i, 2);
	if (h < 0 || h > 23 || i >= len || s[i++] != ':')
		goto bad;
	mi = digits(s, len, &i, 2);
	if (mi < 0 || mi > 59 || i >= len || s[i++] != ':')
		goto bad;
	se = digits(s, len, &i, 2);
	if (se < 0 || se > 60)
		goto bad;
	if (i < len && s[i] == '.') {
		int n = 0;
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (n < 9) {
				nsec = nsec * 10 + (s[i] - '0');
				n++;
			}
			i++;
		}
		if (n == 0)
			goto bad;
		for (; n < 9; n++)
			nsec *= 10;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i++] == '-' ? -1 : 1;
		oh = digits(s, len, &i, 2);
		if (oh < 0 || oh > 23 || i >= len || s[i++] != ':')
			goto bad;
		om = digits(s, len, &i, 2);
		if (om < 0 || om > 59)
			goto bad;
		oh *= sign;
		om *= sign;
	} else {
		goto bad;
	}
	if (i != len)
		goto bad;
	sec = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
	      mi * 60 + se - (oh * 3600 + om * 60);
	return pl_cel_mktime(c, off, PL_CEL_TIMESTAMP, sec, nsec);
bad:
	return pl_cel_err(c, off, "invalid timestamp '%.*s'",
	                  (int)(len > 64 ? 64 : len), s);
}

const pl_cel_val *pl_cel_duration_parse(pl_cel_ctx *c, uint32_t off,
                                        const char *s, size_t len)
{
	static const struct {
		const char *u;
		int64_t ns;
	} units[] = {{"ns", 1},
	             {"us", 1000},
	             {"\xC2\xB5s", 1000},
	             {"ms", 1000000},
	             {"s", NS_PER_S},
	             {"m", 60 * NS_PER_S},
	             {"h", 3600 * NS_PER_S}};
	size_t i = 0, k;
	bool neg = false;
	long double total = 0; /* nanoseconds */
	int64_t sec, nsec;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (len - i == 1 && s[i] == '0')
		return pl_cel_mktime(c, off, PL_CEL_DURATION, 0, 0);
	if (i >= len)
		goto bad;
	while (i < len) {
		long double v = 0, frac = 0, scale = 1;
		size_t st = i;
		bool any = false;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (s[i++] - '0');
			any = true;
		}
		if (i < len && s[i] == '.') {
			i++;
			while (i < len && s[i] >= '0' && s[i] <= '9') {
				frac = frac * 10 + (s[i++] - '0');
				scale *= 10;
				any = true;
			}
		}
		if (!any || i == st)
			goto bad;
		for (k = 0; k < PL_ARRAY_SIZE(units); k++) {
			size_t ul = strlen(units[k].u);
			if (len - i >= ul && !memcmp(s + i, units[k].u, ul) &&
			    !(ul == 1 && s[i] == 'm' && i + 1 < len &&
			      s[i + 1] == 's'))
				break;
		}
		if (k == PL_ARRAY_SIZE(units))
			goto bad;
		i += strlen(units[k].u);
		total += (v + frac / scale) * (long double)units[k].ns;
		if (total > 1e22L)
			goto range;
	}
	if (neg)
		total = -total;
	sec = (int64_t)(total / NS_PER_S);
	nsec = (int64_t)(total - (long double)sec * NS_PER_S);
	if (sec > DUR_MAX || sec < -DUR_MAX)
		goto range;
	return pl_cel_mktime(c, off, PL_CEL_DURATION, sec, nsec);
range:
	return pl_cel_err(c, off, "range error");
bad:
	return pl_cel_err(c, off, "invalid duration '%.*s'",
	                  (int)(len > 64 ? 64 : len), s);
}

/* The UTC offset in seconds of zone tz at instant t; false if unknown. */
static bool tz_offset(const char *tz, int64_t t, int64_t *out)
{
	char path[300];
	unsigned char *buf = NULL;
	FILE *f;
	size_t n, cap = 1 << 16, i, k;
	bool ok = false;

	if (!strcmp(tz, "UTC") || !strcmp(tz, "Z")) {
		*out = 0;
		return true;
	}
	if (tz[0] == '+' || tz[0] == '-' || (tz[0] >= '0' && tz[0] <= '9')) {
		int sign = tz[0] == '-' ? -1 : 1;
		const char *p = (tz[0] == '+' || tz[0] == '-') ? tz + 1 : tz;
		size_t j = 0, l = strlen(p);
		int h = digits(p, l, &j, 2), m;
		if (h < 0 || j >= l || p[j++] != ':')
			return false;
		m = digits(p, l, &j, 2);
		if (m < 0 || j != l)
			return false;
		*out = sign * (h * 3600 + m * 60);
		return true;
	}
	for (i = 0; tz[i]; i++)
		if (!(tz[i] == '/' || tz[i] == '_' || tz[i] == '-' ||
		      tz[i] == '+' || (tz[i] >= 'a' && tz[i] <= 'z') ||
		      (tz[i] >= 'A' && tz[i] <= 'Z') ||
		      (tz[i] >= '0' && tz[i] <= '9')) ||
		    (tz[i] == '.'))
			return false;
	if (strstr(tz, "..") || i > 100)
		return false;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	f = fopen(path, "rb");
	if (!f)
		return false;
	buf = malloc(cap);
	n = buf ? fread(buf, 1, cap, f) : 0;
	fclose(f);
	if (n >= 44 && !memcmp(buf, "TZif", 4)) {
		/* TZif: header counts, then v1 data; v2+ repeats with 64-bit
		 * times after it (RFC 8536) */
		size_t at = 0;
		int pass;
		for (pass = 0; pass < 2; pass++) {
			uint32_t cnt[6];
			size_t tsz = pass ? 8 : 4, need;
			for (k = 0; k < 6; k++)
				cnt[k] = (uint32_t)buf[at + 20 + 4 * k] << 24 |
				         (uint32_t)buf[at + 21 + 4 * k] << 16 |
				         (uint32_t)buf[at + 22 + 4 * k] << 8 |
				         buf[at + 23 + 4 * k];
			/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
			need = 44 + cnt[3] * tsz + cnt[3] + cnt[4] * 6 +
			       cnt[5] + cnt[2] * (tsz + 4) + cnt[1] + cnt[0];
			if (at + need > n || cnt[4] == 0)
				break;
			if (pass == 0 && buf[4] >= '2') {
				at += need;
				if (at + 44 > n)
					break;
				continue;
			}
			{
				const unsigned char *tp = buf + at + 44;
				const unsigned char *ix = tp + cnt[3] * tsz;
				const unsigned char *tt = ix + cnt[3];
				size_t idx = 0;
				for (k = 0; k < cnt[3]; k++) {
					int64_t v = 0;
					size_t b;
					for (b = 0; b < tsz; b++)
						v = (int64_t)((uint64_t)v << 8 |
						              tp[k * tsz + b]);
					if (tsz == 4)
						v = (int32_t)v;
					if (v > t)
						break;
					idx = ix[k];
				}
				if (k == 0) /* before the first transition */
					idx = 0;
				if (idx >= cnt[4])
					break;
				*out = (int32_t)((uint32_t)tt[idx * 6] << 24 |
				                 (uint32_t)tt[idx * 6 + 1]
				                         << 16 |
				                 (uint32_t)tt[idx * 6 + 2]
				                         << 8 |
				                 tt[idx * 6 + 3]);
				ok = true;
			}
			break;
		}
	}
	free(buf);
	return ok;
}

static const pl_cel_val *ts_get(pl_cel_ctx *c, uint32_t off, const char *name,
                                const pl_cel_val *t, const pl_cel_val *tz)
{
	int64_t offs = 0, sec, days, y, rem;
	unsigned m, d;

	if (tz) {
		if (tz->kind != PL_CEL_STRING)
			return pl_cel_nooverload(c, off, name);
		if (!tz_offset(tz->u.s.ptr, t->u.t.sec, &offs))
			return pl_cel_err(c, off, "unknown time zone '%s'",
			                  tz->u.s.ptr);
	}
	sec = t->u.t.sec + offs;
	days = floordiv(sec, 86400);
	rem = sec - days * 86400;
	civil_from_days(days, &y, &m, &d);
	if (NAME("getFullYear"))
		return pl_cel_int(c->a, y);
	if (NAME("getMonth"))
		return pl_cel_int(c->a, m - 1);
	if (NAME("getDate"))
		return pl_cel_int(c->a, d);
	if (NAME("getDayOfMonth"))
		return pl_cel_int(c->a, d - 1);
	if (NAME("getDayOfYear"))
		return pl_cel_int(c->a, days - days_from_civil(y, 1, 1));
	if (NAME("getDayOfWeek"))
		return pl_cel_int(c->a, ((days % 7) + 11) % 7);
	if (NAME("getHours"))
		return pl_cel_int(c->a, rem / 3600);
	if (NAME("getMinutes"))
		return pl_cel_int(c->a, rem / 60 % 60);
	if (NAME("getSeconds"))
		return pl_cel_int(c->a, rem % 60);
	if (NAME("getMilliseconds"))
		return pl_cel_int(c->a, t->u.t.nsec / 1000000);
	return NULL;
}

static const pl_cel_val *dur_get(pl_cel_ctx *c, const char *name,
                                 const pl_cel_val *d)
{
	if (NAME("getHours"))
		return pl_cel_int(c->a, d->u.t.sec / 3600);
	if (NAME("getMinutes"))
		return pl_cel_int(c->a, d->u.t.sec / 60);
	if (NAME("getSeconds"))
		return pl_cel_int(c->a, d->u.t.sec);
	if (NAME("getMilliseconds"))
		return pl_cel_int(c->a, d->u.t.nsec / 1000000);
	return NULL;
}

static const pl_cel_val *time_arith(pl_cel_ctx *c, uint32_t off,
                                    const char *name, const pl_cel_val *x,
                                    const pl_cel_val *y)
{
	int64_t s, n;
	pl_cel_kind k;

	if (NAME("_+_")) {
		if (x->kind == PL_CEL_DURATION && y->kind == PL_CEL_TIMESTAMP) {
			const pl_cel_val *t = x;
			x = y;
			y = t;
		}
		if (y->kind != PL_CEL_DURATION)
			return pl_cel_nooverload(c, off, name);
		k = x->kind;
		if (__builtin_add_overflow(x->u.t.sec, y->u.t.sec, &s))
			return pl_cel_err(c, off, "range error");
		n = (int64_t)x->u.t.nsec + y->u.t.nsec;
	} else if (NAME("_-_")) {
		if (x->kind == PL_CEL_TIMESTAMP && y->kind == PL_CEL_TIMESTAMP)
			k = PL_CEL_DURATION;
		else if (y->kind == PL_CEL_DURATION)
			k = x->kind;
		else
			return pl_cel_nooverload(c, off, name);
		if (__builtin_sub_overflow(x->u.t.sec, y->u.t.sec, &s))
			return pl_cel_err(c, off, "range error");
		n = (int64_t)x->u.t.nsec - y->u.t.nsec;
	} else {
		return pl_cel_nooverload(c, off, name);
	}
	return pl_cel_mktime(c, off, k, s, n);
}

const pl_cel_val *pl_cel_call_time(pl_cel_ctx *c, uint32_t off,
                                   const char *name, const pl_cel_val *target,
                                   const pl_cel_val **args, size_t nargs)
{
	const pl_cel_val *x = nargs > 0 ? args[0] : NULL, *v;

	if (!target && nargs == 2 && name[0] == '_')
		return time_arith(c, off, name, args[0], args[1]);
	if (!target && nargs == 1 && NAME("-_"))
		return pl_cel_mktime(c, off, PL_CEL_DURATION, -x->u.t.sec,
		                     -(int64_t)x->u.t.nsec);
	if (!target && nargs == 1 && NAME("duration")) {
		if (x->kind == PL_CEL_DURATION)
			return x;
		if (x->kind != PL_CEL_STRING)
			return pl_cel_nooverload(c, off, name);
		return pl_cel_duration_parse(c, off, x->u.s.ptr, x->u.s.len);
	}
	if (!target && nargs == 1 && NAME("timestamp")) {
		if (x->kind == PL_CEL_TIMESTAMP)
			return x;
		if (x->kind == PL_CEL_INT)
			return pl_cel_mktime(c, off, PL_CEL_TIMESTAMP, x->u.i,
			                     0);
		if (x->kind != PL_CEL_STRING)
			return pl_cel_nooverload(c, off, name);
		return pl_cel_timestamp_parse(c, off, x->u.s.ptr, x->u.s.len);
	}
	if (target && target->kind == PL_CEL_TIMESTAMP && nargs <= 1 &&
	    !strncmp(name, "get", 3)) {
		v = ts_get(c, off, name, target, x);
		if (v)
			return v;
	}
	if (target && target->kind == PL_CEL_DURATION && nargs == 0 &&
	    !strncmp(name, "get", 3)) {
		v = dur_get(c, name, target);
		if (v)
			return v;
	}
	return NULL;
}
