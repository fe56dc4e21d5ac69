/*
 * ip.c - the Kubernetes IP and CIDR libraries of CEL, in their basic
 * forms: ip(s), isIP(s), an IP's family, isUnspecified, isLoopback,
 * isLinkLocalMulticast, isLinkLocalUnicast and isGlobalUnicast;
 * cidr(s), isCIDR(s), a CIDR's ip, masked, prefixLength, containsIP
 * and containsCIDR; string() of either.
 *
 * Addresses are read as the Kubernetes library reads them: dotted IPv4
 * without leading zeros, IPv6 without a zone, and no IPv4-mapped IPv6
 * (::ffff:1.2.3.4), which the API server refuses as ambiguous. A CIDR
 * keeps the address it was written with (10.0.0.1/8); masked() clears
 * the host bits.
 */
#include <arpa/inet.h>

#include "cel/cel_impl.h"

#define NAME(s) (!strcmp(name, (s)))

/* Reads an address of s[0..len) into v; false when it is not one. */
static bool read_ip(const char *s, size_t len, pl_cel_val *v)
{
	char tmp[64];
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
	                                   0, 0, 0, 0, 0xff, 0xff};

	if (len == 0 || len >= sizeof tmp || memchr(s, '%', len))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	memset(v->u.net.a, 0, sizeof v->u.net.a);
	if (!memchr(s, ':', len)) {
		v->u.net.family = 4;
		return inet_pton(AF_INET, tmp, v->u.net.a) == 1;
	}
	v->u.net.family = 6;
	return inet_pton(AF_INET6, tmp, v->u.net.a) == 1 &&
	       memcmp(v->u.net.a, mapped, sizeof mapped) != 0;
}

static const pl_cel_val *parse_ip(pl_arena *a, const char *s, size_t len)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_IP);

	if (!read_ip(s, len, v))
		return NULL;
	v->u.net.prefix = v->u.net.family == 4 ? 32 : 128;
	return v;
}

static const pl_cel_val *parse_cidr(pl_arena *a, const char *s, size_t len)
{
	pl_cel_val *v = pl_cel_new(a, PL_CEL_CIDR);
	const char *slash = memchr(s, '/', len);
	size_t i, n;
	unsigned p = 0;

	if (!slash || !read_ip(s, (size_t)(slash - s), v))
		return NULL;
	n = len - (size_t)(slash - s) - 1;
	if (n == 0 || n > 3 || (n > 1 && slash[1] == '0'))
		return NULL;
	for (i = 0; i < n; i++) {
		if (slash[1 + i] < '0' || slash[1 + i] > '9')
			return NULL;
		p = p * 10 + (unsigned)(slash[1 + i] - '0');
	}
	if (p > (v->u.net.family == 4 ? 32u : 128u))
		return NULL;
	v->u.net.prefix = (uint8_t)p;
	return v;
}

void pl_cel_ip_format(pl_buf *b, const pl_cel_val *v)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(v->u.net.family == 4 ? AF_INET : AF_INET6, v->u.net.a,
	               tmp, sizeof tmp))
		tmp[0] = '\0';
	pl_buf_adds(b, tmp);
	if (v->kind == PL_CEL_CIDR)
		pl_buf_addf(b, "/%u", v->u.net.prefix);
}

bool pl_cel_ip_equal(const pl_cel_val *x, const pl_cel_val *y)
{
	return x->u.net.family == y->u.net.family &&
	       x->u.net.prefix == y->u.net.prefix &&
	       !memcmp(x->u.net.a, y->u.net.a, sizeof x->u.net.a);
}

/* Do the first bits bits of a and b agree? */
static bool same_prefix(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole))
		return false;
	return !rest || !((a[whole] ^ b[whole]) & (0xff << (8 - rest)));
}

static const pl_cel_val *masked(pl_arena *a, const pl_cel_val *c, int kind)
{
	pl_cel_val *v = pl_cel_new(a, (pl_cel_kind)kind);
	unsigned i, bits = c->u.net.prefix;

	v->u = c->u;
	for (i = 0; i < 16; i++) {
		unsigned keep = bits >= 8 ? 8 : bits;
		v->u.net.a[i] &= (uint8_t)(0xff << (8 - keep));
		bits -= keep;
	}
	if (kind == PL_CEL_IP)
		v->u.net.prefix = c->u.net.family == 4 ? 32 : 128;
	return v;
}

static const pl_cel_val *ip_test(const char *name, const pl_cel_val *v)
{
	const uint8_t *a = v->u.net.a;
	bool v4 = v->u.net.family == 4;
	static const uint8_t zero[16];
	bool unspec = !memcmp(a, zero, v4 ? 4 : 16);
	bool loop = v4 ? a[0] == 127 : !memcmp(a, zero, 15) && a[15] == 1;
	bool llmc = v4 ? a[0] == 224 && a[1] == 0 && a[2] == 0
	               : a[0] == 0xff && (a[1] & 0x0f) == 0x02;
	bool llu = v4 ? a[0] == 169 && a[1] == 254
	              : a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
	bool mc = v4 ? (a[0] & 0xf0) == 0xe0 : a[0] == 0xff;
	bool bcast =
	        v4 && a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255;

	if (NAME("isUnspecified"))
		return pl_cel_bool(unspec);
	if (NAME("isLoopback"))
		return pl_cel_bool(loop);
	if (NAME("isLinkLocalMulticast"))
		return pl_cel_bool(llmc);
	if (NAME("isLinkLocalUnicast"))
		return pl_cel_bool(llu);
	if (NAME("isGlobalUnicast"))
		return pl_cel_bool(!unspec && !loop && !mc && !llu && !bcast);
	return NULL;
}

const pl_cel_val *pl_cel_call_ip(pl_cel_ctx *c, uint32_t off, const char *name,
                                 const pl_cel_val *target,
                                 const pl_cel_val **args, size_t nargs)
{
	const pl_cel_val *x = nargs ? args[0] : NULL, *v;

	if (!target && nargs == 1 &&
	    (NAME("ip") || NAME("isIP") || NAME("cidr") || NAME("isCIDR"))) {
		bool is = name[0] == 'i' && name[1] == 's';
		bool cidr = NAME("cidr") || NAME("isCIDR");
		if (x->kind != PL_CEL_STRING)
			return pl_cel_nooverload(c, off, name);
		v = cidr ? parse_cidr(c->a, x->u.s.ptr, x->u.s.len)
		         : parse_ip(c->a, x->u.s.ptr, x->u.s.len);
		if (is)
			return pl_cel_bool(v != NULL);
		return v ? v
		         : pl_cel_err(c, off, "not %s: '%.*s'",
		                      cidr ? "a CIDR" : "an IP address",
		                      (int)(x->u.s.len > 60 ? 60 : x->u.s.len),
		                      x->u.s.ptr);
	}
	if (!target ||
	    (target->kind != PL_CEL_IP && target->kind != PL_CEL_CIDR))
		return NULL;
	if (!nargs && NAME("family"))
		return pl_cel_int(c->a, target->u.net.family);
	if (target->kind == PL_CEL_IP)
		return nargs ? NULL : ip_test(name, target);
	if (!nargs && NAME("prefixLength"))
		return pl_cel_int(c->a, target->u.net.prefix);
	if (!nargs && NAME("ip")) {
		pl_cel_val *ip = pl_cel_new(c->a, PL_CEL_IP);
		ip->u = target->u;
		ip->u.net.prefix = target->u.net.family == 4 ? 32 : 128;
		return ip;
	}
	if (!nargs && NAME("masked"))
		return masked(c->a, target, PL_CEL_CIDR);
	if (nargs == 1 && (NAME("containsIP") || NAME("containsCIDR"))) {
		bool want_cidr = NAME("containsCIDR");
		if (x->kind == PL_CEL_STRING) {
			v = want_cidr ? parse_cidr(c->a, x->u.s.ptr, x->u.s.len)
			              : parse_ip(c->a, x->u.s.ptr, x->u.s.len);
			if (!v)
				return pl_cel_err(
				        c, off, "not %s: '%.*s'",
				        want_cidr ? "a CIDR" : "an IP address",
				        (int)(x->u.s.len > 60 ? 60
				                              : x->u.s.len),
				        x->u.s.ptr);
			x = v;
		}
		if (x->kind != (want_cidr ? PL_CEL_CIDR : PL_CEL_IP))
			return pl_cel_nooverload(c, off, name);
		return pl_cel_bool(x->u.net.family == target->u.net.family &&
		                   x->u.net.prefix >= target->u.net.prefix &&
		                   same_prefix(x->u.net.a, target->u.net.a,
		                               target->u.net.prefix));
	}
	return NULL;
}
