/*
 * http.c - {packet, http*}: where an HTTP line ends, and what OTP makes of it.
 *
 * Two steps, as in OTP's packet_parser: gt__http_frame finds the end of the next packet (a
 * line, or a header with its continuation lines), then gt__http_parse turns that packet into
 * the description of a term. The rules are OTP's, quirks included, because a peer's bytes
 * must produce the same term here as under gen_tcp; test_http.c holds the vectors measured
 * on OTP 25. One rule is OTP 26's instead: an absoluteURI host in brackets ("[::1]:4000") is
 * kept whole with its port, where OTP 25 cut the host at the first ':' and gave "[".
 *
 * No allocation, no state between calls; every read is bounds-checked against the length
 * the caller gave.
 */
#include <limits.h>
#include <string.h>

#include "http.h"

/* The atoms, in OTP's order: a header's bit and a method's index are the position + 1. */
static const char *const header_names[GT_HTTP_HEADER_COUNT] = {
    "Cache-Control",
    "Connection",
    "Date",
    "Pragma",
    "Transfer-Encoding",
    "Upgrade",
    "Via",
    "Accept",
    "Accept-Charset",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "From",
    "Host",
    "If-Modified-Since",
    "If-Match",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Max-Forwards",
    "Proxy-Authorization",
    "Range",
    "Referer",
    "User-Agent",
    "Age",
    "Location",
    "Proxy-Authenticate",
    "Public",
    "Retry-After",
    "Server",
    "Vary",
    "Warning",
    "Www-Authenticate",
    "Allow",
    "Content-Base",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Location",
    "Content-Md5",
    "Content-Range",
    "Content-Type",
    "Etag",
    "Expires",
    "Last-Modified",
    "Accept-Ranges",
    "Set-Cookie",
    "Set-Cookie2",
    "X-Forwarded-For",
    "Cookie",
    "Keep-Alive",
    "Proxy-Connection",
};

static const char *const method_names[GT_HTTP_METHOD_COUNT] = {
    "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE",
};

const char *gt__http_header_name(int index)
{
    return index >= 1 && index <= GT_HTTP_HEADER_COUNT ? header_names[index - 1] : NULL;
}

const char *gt__http_method_name(int index)
{
    return index >= 1 && index <= GT_HTTP_METHOD_COUNT ? method_names[index - 1] : NULL;
}

/* ---- framing ---- */

static int is_sp(uint8_t c)
{
    return c == ' ' || c == '\t';
}

int gt__http_frame(const uint8_t *buf, size_t n, int header_state, uint64_t max_plen, size_t *total)
{
    size_t from = 0, len;
    const uint8_t *lf;

    *total = 0;
    /* A buffer that is exactly an empty line is complete with no lookahead and no limit
     * check (OTP 25: httph "\r\n" with packet_size 1 is http_eoh, but "\r\nX" is invalid,
     * because that one goes through the general path below). */
    if ((n == 1 && buf[0] == '\n') || (n == 2 && buf[0] == '\r' && buf[1] == '\n')) {
        *total = n;
        return 1;
    }
    for (;;) {
        lf = from < n ? memchr(buf + from, '\n', n - from) : NULL;
        if (lf == NULL) {
            /* The limit counts every byte buffered, not just the unfinished line. */
            if (max_plen != 0 && n >= max_plen)
                return -1;
            return 0;
        }
        len = (size_t)(lf - buf) + 1;
        /* A header line continues when the next line starts with SP/HTAB. A first line of
         * at most 2 bytes ("\r\n", "\n", "a\n") never continues: an empty line ends the
         * headers even when the next request starts with a space. */
        if (header_state && len < n && len > 2 && is_sp(buf[len])) {
            from = len;
            continue;
        }
        if ((max_plen != 0 && len > max_plen) || len > INT_MAX)
            return -1;
        /* A header line is complete only when the next byte shows it does not continue. */
        if (header_state && len == n)
            return 0;
        *total = len;
        return 1;
    }
}

/* ---- parsing ---- */

/* A byte of an HTTP token: printable ASCII except the separators. DEL (127) counts as a
 * token byte, as in OTP (its table leaves 127 unmarked: method "GE\177T" is a string). */
static int is_token(uint8_t c)
{
    if (c <= 32 || c >= 128)
        return 0;
    switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '@':
    case ',':
    case ';':
    case ':':
    case '\\':
    case '"':
    case '/':
    case '[':
    case ']':
    case '?':
    case '=':
    case '{':
    case '}':
        return 0;
    default:
        return 1;
    }
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static uint8_t ascii_lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* OTP accumulates digits in a C int. Unsigned arithmetic wraps modulo 2^32 without undefined
 * behaviour; this reads the result back as the signed value OTP ends up with. */
static int32_t as_int32(uint32_t v)
{
    return v <= INT32_MAX ? (int32_t)v : -(int32_t)~v - 1;
}

/* Reads decimal digits from P[*I..N) into *V (modulo 2^32); returns how many there were. */
static size_t read_digits(const uint8_t *p, size_t n, size_t *i, uint32_t *v)
{
    size_t start = *i;
    uint32_t acc = 0;

    while (*i < n && is_digit(p[*i])) {
        acc = acc * 10u + (uint32_t)(p[*i] - '0');
        (*i)++;
    }
    *v = acc;
    return *i - start;
}

static size_t skip_sp(const uint8_t *p, size_t n, size_t i)
{
    while (i < n && is_sp(p[i]))
        i++;
    return i;
}

/* Is the C string S exactly the N bytes at P? (strncmp stops at the first difference, so a
 * shorter S is never read past its NUL, which no token byte equals.) */
static int equals(const char *s, const uint8_t *p, size_t n)
{
    return strncmp(s, (const char *)p, n) == 0 && s[n] == '\0';
}

static struct gt_http_str slice(size_t from, size_t to)
{
    struct gt_http_str s = {(uint32_t)from, (uint32_t)(to - from)};
    return s;
}

/* "<major>.<minor>" at P[*I..N), each one or more digits. 0 when malformed. */
static int read_version(const uint8_t *p, size_t n, size_t *i, struct gt_http_result *r)
{
    uint32_t v;

    if (read_digits(p, n, i, &v) == 0 || *i >= n || p[*i] != '.')
        return 0;
    r->major = as_int32(v);
    (*i)++;
    if (read_digits(p, n, i, &v) == 0)
        return 0;
    r->minor = as_int32(v);
    return 1;
}

/* The last occurrence of C in P[FROM..TO), or TO. */
static size_t last_of(const uint8_t *p, size_t from, size_t to, uint8_t c)
{
    size_t i = to;

    while (i > from) {
        if (p[--i] == c)
            return i;
    }
    return to;
}

/* The first occurrence of C in P[FROM..TO), or TO. */
static size_t first_of(const uint8_t *p, size_t from, size_t to, uint8_t c)
{
    const uint8_t *q = from < to ? memchr(p + from, c, to - from) : NULL;

    return q != NULL ? (size_t)(q - p) : to;
}

/* A port: P[FROM..TO) must be all digits and not (after OTP's wrap) 0, else undefined. */
static int32_t parse_port(const uint8_t *p, size_t from, size_t to)
{
    size_t i = from;
    uint32_t v;

    read_digits(p, to, &i, &v);
    if (i != to || v == 0)
        return -1;
    return as_int32(v);
}

/* After "http://" or "https://": host [":" port] [path], at P[S..E). */
static void parse_absolute(const uint8_t *p, size_t s, size_t e, struct gt_http_result *r)
{
    size_t host_end = first_of(p, s, e, '/');
    size_t colon, bracket;

    if (host_end < e) {
        r->uri_b = slice(host_end, e);
    } else {
        /* No path: OTP gives "/". The '/' just before S (from "//") is a slice of the packet
         * that reads "/", so the caller needs no special case. */
        r->uri_b = slice(s - 1, s);
    }
    r->port = -1;
    colon = first_of(p, s, host_end, ':');
    if (colon == host_end) {
        r->uri_a = slice(s, host_end);
        return;
    }
    /* An IPv6 literal (OTP 26+): "[" first and a "]" somewhere; the port counts only when the
     * last ':' of the host part directly follows the first ']'. */
    bracket = p[s] == '[' ? first_of(p, s, host_end, ']') : host_end;
    if (bracket < host_end) {
        r->uri_a = slice(s, bracket + 1);
        if (last_of(p, s, host_end, ':') == bracket + 1)
            r->port = parse_port(p, bracket + 2, host_end);
        return;
    }
    r->uri_a = slice(s, colon);
    r->port = parse_port(p, colon + 1, host_end);
}

/* Does P[S..E) start with PREFIX, ignoring ASCII case? */
static int has_prefix_nocase(const uint8_t *p, size_t s, size_t e, const char *prefix)
{
    size_t k, len = strlen(prefix);

    if (e - s < len)
        return 0;
    for (k = 0; k < len; k++) {
        if (ascii_lower(p[s + k]) != (uint8_t)prefix[k])
            return 0;
    }
    return 1;
}

/* The Request-URI at P[S..E), never empty. */
static void parse_uri(const uint8_t *p, size_t s, size_t e, struct gt_http_result *r)
{
    size_t colon;

    if (e - s == 1 && p[s] == '*') {
        r->uri = GT_URI_STAR;
    } else if (e - s <= 1 || p[s] == '/') {
        /* Any one-byte URI is a path too ("GET a HTTP/1.1" gives {abs_path,"a"}). */
        r->uri = GT_URI_ABS_PATH;
        r->uri_a = slice(s, e);
    } else if (has_prefix_nocase(p, s, e, "http://")) {
        r->uri = GT_URI_ABSOLUTE;
        r->scheme = GT_HTTP_SCHEME_HTTP;
        parse_absolute(p, s + 7, e, r);
    } else if (has_prefix_nocase(p, s, e, "https://")) {
        r->uri = GT_URI_ABSOLUTE;
        r->scheme = GT_HTTP_SCHEME_HTTPS;
        parse_absolute(p, s + 8, e, r);
    } else if ((colon = first_of(p, s, e, ':')) < e) {
        r->uri = GT_URI_SCHEME;
        r->uri_a = slice(s, colon);
        r->uri_b = slice(colon + 1, e);
    } else {
        r->uri = GT_URI_STRING;
        r->uri_a = slice(s, e);
    }
}

/* "HTTP/" major "." minor 1*(SP) [status] [1*(SP) phrase], the "HTTP/" already matched. The
 * status may have no digits at all ("HTTP/1.1 \r\n" is status 0), but whatever follows it
 * must be separated by SP/HTAB. */
static int parse_response(const uint8_t *p, size_t n, struct gt_http_result *r)
{
    size_t i = 5, mark;
    uint32_t status;

    if (!read_version(p, n, &i, r))
        return 0;
    mark = i;
    i = skip_sp(p, n, i);
    if (i == mark)
        return 0;
    read_digits(p, n, &i, &status);
    mark = i;
    i = skip_sp(p, n, i);
    if (i == mark && i < n)
        return 0;
    r->kind = GT_HTTP_RESPONSE;
    r->status = as_int32(status);
    r->phrase = slice(i, n);
    return 1;
}

/* Method 1*(SP) Request-URI [1*(SP) "HTTP/" major "." minor <ignored>]. Runs of SP/HTAB
 * separate the parts; without a version it is HTTP/0.9. */
static int parse_request(const uint8_t *p, size_t n, struct gt_http_result *r)
{
    size_t i = 0, uri_start, uri_end;
    int k;

    while (i < n && is_token(p[i]))
        i++;
    if (i == 0 || i == n || !is_sp(p[i]))
        return 0;
    r->method_str = slice(0, i);
    for (k = 0; k < GT_HTTP_METHOD_COUNT; k++) { /* case-sensitive: "get" is a string */
        if (equals(method_names[k], p, i)) {
            r->method = k + 1;
            break;
        }
    }
    i = skip_sp(p, n, i);
    uri_start = i;
    while (i < n && !is_sp(p[i]))
        i++;
    uri_end = i;
    if (uri_end == uri_start)
        return 0;
    i = skip_sp(p, n, i);
    if (i == n) {
        r->major = 0;
        r->minor = 9;
    } else {
        /* At least "HTTP/" and "d.d", though a shorter rest would fail below anyway. */
        if (n - i < 8 || memcmp(p + i, "HTTP/", 5) != 0)
            return 0;
        i += 5;
        if (!read_version(p, n, &i, r))
            return 0;
    }
    r->kind = GT_HTTP_REQUEST;
    parse_uri(p, uri_start, uri_end, r);
    return 1;
}

/* Name ":" *(SP) value. The name is a token; OTP normalizes it (first byte and each byte
 * after a '-' upper case, the others lower case) to find the known headers, but only when it
 * is at most GT_HTTP_MAX_NAME_LEN bytes; a longer one is left as sent and never matches. */
static int parse_header(const uint8_t *p, size_t n, struct gt_http_result *r)
{
    size_t i = 0;
    int upper = 1, k;
    uint8_t c;

    /* N > 0 here. The name may be empty (": x" is a header named []), but it must be
     * followed by ':' with no space, so "Name : x" is an error (OTP 22.2+). */
    while (is_token(p[i])) {
        if (i < GT_HTTP_MAX_NAME_LEN) {
            c = p[i];
            if (upper) {
                if (c >= 'a' && c <= 'z')
                    c = (uint8_t)(c - ('a' - 'A'));
                upper = 0; /* so "a--b" gives "A--b": a '-' right after a '-' arms nothing */
            } else if (c >= 'A' && c <= 'Z') {
                c = (uint8_t)(c + ('a' - 'A'));
            } else if (c == '-') {
                upper = 1;
            }
            r->name[i] = (char)c;
        }
        if (++i == n)
            return 0;
    }
    if (p[i] != ':')
        return 0;
    r->kind = GT_HTTP_HEADER;
    r->field = slice(0, i);
    r->name_len = (uint32_t)i;
    if (i > GT_HTTP_MAX_NAME_LEN) {
        r->name_is_field = 1;
        memset(r->name, 0, sizeof r->name);
    } else {
        for (k = 0; k < GT_HTTP_HEADER_COUNT; k++) {
            if (equals(header_names[k], (const uint8_t *)r->name, i)) {
                r->bit = k + 1;
                break;
            }
        }
    }
    i = skip_sp(p, n, i + 1);
    r->value = slice(i, n);
    return 1;
}

int gt__http_parse(const uint8_t *packet, size_t len, int header_state, struct gt_http_result *r)
{
    size_t n = len;
    int ok;

    memset(r, 0, sizeof *r);
    if (len > INT_MAX) {
        r->kind = GT_HTTP_ERROR;
        return r->kind;
    }
    /* Drop the line end. Like OTP, a CR second to last is taken for "\r\n" without looking at
     * the last byte, which framing guarantees is the LF; a lone CR elsewhere stays in. */
    if (n >= 2 && packet[n - 2] == '\r')
        n -= 2;
    else if (n >= 1 && packet[n - 1] == '\n')
        n -= 1;

    if (header_state) {
        if (n == 0) {
            r->kind = GT_HTTP_EOH;
            return r->kind;
        }
        ok = parse_header(packet, n, r);
    } else if (n >= 5 && memcmp(packet, "HTTP/", 5) == 0) {
        /* A status line is recognised by its case-sensitive "HTTP/" alone: once that matches,
         * a malformed rest is an error, never a request. */
        ok = parse_response(packet, n, r);
    } else {
        ok = parse_request(packet, n, r);
    }
    if (!ok) {
        memset(r, 0, sizeof *r);
        r->kind = GT_HTTP_ERROR;
        r->line = slice(0, len);
    }
    return r->kind;
}
