/*
 * test_http.c - HTTP framing and parsing (http.c) against OTP 25.
 *
 * Each vector is one erlang:decode_packet/3 call and the result OTP printed: the HTTP vectors
 * of the reference experiments (http.out, http2.out, dp2.out, dp3.out; dp.out has none) and
 * edge cases asked of OTP 25.2.3 for this module (overflow, URI forms, status lines, name
 * normalization, limits). decode() below plays decode_packet with gt__http_frame and
 * gt__http_parse, and render() prints the term as ~p does, on one line, so a vector is
 * checked as a whole. The only expectations that are not OTP 25's are the bracketed IPv6
 * hosts, where we follow OTP 26+ (marked).
 */
#include <string.h>

#include "check.h"
#include "http.h"

enum { T_HTTP, T_HTTPH, T_HTTP_BIN, T_HTTPH_BIN };

struct vec {
    int type;
    const char *in;
    size_t len;
    uint64_t packet_size, line_length;
    const char *want;
};

/* ---- printing a term as OTP's ~p does ---- */

struct out {
    char buf[8192];
    size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
    CHECK(o->len + n < sizeof o->buf);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_int(struct out *o, int64_t v)
{
    char tmp[32];

    snprintf(tmp, sizeof tmp, "%" PRId64, v);
    puts_(o, tmp);
}

/* io_lib's latin-1 printable set: such a list prints as "...", anything else as [1,2,3]. */
static int printable(const uint8_t *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (!((c >= 32 && c <= 126) || c >= 160 || (c >= 8 && c <= 13) || c == 27))
            return 0;
    }
    return 1;
}

static void put_chars(struct out *o, const uint8_t *s, size_t n)
{
    static const char esc[] = "btnvfr"; /* 8 .. 13 */
    size_t i;
    char c[3] = {'\\', 0, 0};

    for (i = 0; i < n; i++) {
        if (s[i] >= 8 && s[i] <= 13) {
            c[1] = esc[s[i] - 8];
            put(o, c, 2);
        } else if (s[i] == 27) {
            put(o, "\\e", 2);
        } else if (s[i] == '"' || s[i] == '\\') {
            c[1] = (char)s[i];
            put(o, c, 2);
        } else {
            put(o, (const char *)s + i, 1);
        }
    }
}

/* A string: a list (http, httph) or a binary (http_bin, httph_bin). */
static void put_string(struct out *o, int bin, const uint8_t *s, size_t n)
{
    size_t i;

    if (n == 0) {
        puts_(o, bin ? "<<>>" : "[]");
        return;
    }
    puts_(o, bin ? "<<" : "");
    if (printable(s, n)) {
        puts_(o, "\"");
        put_chars(o, s, n);
        puts_(o, "\"");
    } else {
        puts_(o, bin ? "" : "[");
        for (i = 0; i < n; i++) {
            if (i > 0)
                puts_(o, ",");
            put_int(o, s[i]);
        }
        puts_(o, bin ? "" : "]");
    }
    puts_(o, bin ? ">>" : "");
}

/* A slice must lie inside the packet. */
static void put_slice(struct out *o, int bin, const uint8_t *p, size_t len, struct gt_http_str s)
{
    CHECK((uint64_t)s.off + s.len <= len);
    put_string(o, bin, p + s.off, s.len);
}

/* The next element of a tuple: ",SLICE". */
static void put_next_slice(struct out *o, int bin, const uint8_t *p, size_t len,
                           struct gt_http_str s)
{
    puts_(o, ",");
    put_slice(o, bin, p, len, s);
}

/* A quoted atom: 'NAME'. */
static void put_atom(struct out *o, const char *name)
{
    puts_(o, "'");
    puts_(o, name);
    puts_(o, "'");
}

static void put_version(struct out *o, const struct gt_http_result *r)
{
    puts_(o, "{");
    put_int(o, r->major);
    puts_(o, ",");
    put_int(o, r->minor);
    puts_(o, "}");
}

static void render(struct out *o, int bin, const uint8_t *p, size_t len,
                   const struct gt_http_result *r)
{
    switch (r->kind) {
    case GT_HTTP_REQUEST:
        puts_(o, "{http_request,");
        if (r->method != 0) {
            CHECK(gt__http_method_name(r->method) != NULL);
            put_atom(o, gt__http_method_name(r->method));
        } else {
            put_slice(o, bin, p, len, r->method_str);
        }
        puts_(o, ",");
        switch (r->uri) {
        case GT_URI_STAR:
            puts_(o, "'*'");
            break;
        case GT_URI_ABS_PATH:
            puts_(o, "{abs_path,");
            put_slice(o, bin, p, len, r->uri_a);
            puts_(o, "}");
            break;
        case GT_URI_ABSOLUTE:
            CHECK(r->scheme == GT_HTTP_SCHEME_HTTP || r->scheme == GT_HTTP_SCHEME_HTTPS);
            puts_(o,
                  r->scheme == GT_HTTP_SCHEME_HTTP ? "{absoluteURI,http," : "{absoluteURI,https,");
            put_slice(o, bin, p, len, r->uri_a);
            puts_(o, ",");
            if (r->port == -1)
                puts_(o, "undefined");
            else
                put_int(o, r->port);
            put_next_slice(o, bin, p, len, r->uri_b);
            puts_(o, "}");
            break;
        case GT_URI_SCHEME:
            puts_(o, "{scheme,");
            put_slice(o, bin, p, len, r->uri_a);
            put_next_slice(o, bin, p, len, r->uri_b);
            puts_(o, "}");
            break;
        case GT_URI_STRING:
            put_slice(o, bin, p, len, r->uri_a);
            break;
        default:
            CHECK(!"uri kind");
        }
        puts_(o, ",");
        put_version(o, r);
        puts_(o, "}");
        break;
    case GT_HTTP_RESPONSE:
        puts_(o, "{http_response,");
        put_version(o, r);
        puts_(o, ",");
        put_int(o, r->status);
        put_next_slice(o, bin, p, len, r->phrase);
        puts_(o, "}");
        break;
    case GT_HTTP_HEADER:
        puts_(o, "{http_header,");
        put_int(o, r->bit);
        puts_(o, ",");
        CHECK_EQ(r->name_len, r->field.len);
        if (r->bit != 0) {
            CHECK(gt__http_header_name(r->bit) != NULL);
            CHECK(memcmp(r->name, gt__http_header_name(r->bit), r->name_len) == 0);
            put_atom(o, gt__http_header_name(r->bit));
        } else if (r->name_is_field) {
            CHECK(r->field.len > GT_HTTP_MAX_NAME_LEN);
            put_slice(o, bin, p, len, r->field);
        } else {
            CHECK(r->name_len <= GT_HTTP_MAX_NAME_LEN);
            put_string(o, bin, (const uint8_t *)r->name, r->name_len);
        }
        put_next_slice(o, bin, p, len, r->field);
        put_next_slice(o, bin, p, len, r->value);
        puts_(o, "}");
        break;
    case GT_HTTP_EOH:
        puts_(o, "http_eoh");
        break;
    case GT_HTTP_ERROR:
        puts_(o, "{http_error,");
        CHECK(r->line.off == 0 && r->line.len == len); /* the whole packet */
        put_slice(o, bin, p, len, r->line);
        puts_(o, "}");
        break;
    default:
        CHECK(!"kind");
    }
}

/* erlang:decode_packet(Type, Bin, [{packet_size, PS}, {line_length, LL}]) on one line. As in
 * OTP, line_length bounds HTTP lines only when packet_size is 0, and the state comes from the
 * type: httph* parses headers, http* a request or response line. */
static void decode(struct out *o, int type, const uint8_t *in, size_t n, uint64_t ps, uint64_t ll)
{
    int state = type == T_HTTPH || type == T_HTTPH_BIN;
    int bin = type == T_HTTP_BIN || type == T_HTTPH_BIN;
    struct gt_http_result r;
    size_t total = 12345;
    int rc;

    o->len = 0;
    o->buf[0] = '\0';
    rc = gt__http_frame(in, n, state, ps != 0 ? ps : ll, &total);
    if (rc < 0) {
        CHECK_EQ(total, 0);
        puts_(o, "{error,invalid}");
        return;
    }
    if (rc == 0) {
        CHECK_EQ(total, 0);
        puts_(o, "{more,undefined}");
        return;
    }
    CHECK(total > 0 && total <= n);
    CHECK_EQ(gt__http_parse(in, total, state, &r), r.kind);
    puts_(o, "{ok,");
    render(o, bin, in, total, &r);
    puts_(o, ",");
    put_string(o, 1, in + total, n - total);
    puts_(o, "}");
}

static int check_vec(const struct vec *v)
{
    struct out o;

    decode(&o, v->type, (const uint8_t *)v->in, v->len, v->packet_size, v->line_length);
    if (strcmp(o.buf, v->want) != 0) {
        fprintf(stderr, "input \"%s\"\n  want %s\n  got  %s\n", v->in, v->want, o.buf);
        return 0;
    }
    return 1;
}

static const struct vec vectors[] = {
    /* reference http.out: 82 vectors */
    {T_HTTP, "GET / HTTP/1.1\r\n", 16, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1\r\nHost: x\r\n", 25, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<\"Host: x\\r\\n\">>}"},
    {T_HTTP, "GET / HTTP/1.1\n", 15, 0, 0, "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1", 14, 0, 0, "{more,undefined}"},
    {T_HTTP, "get / HTTP/1.1\r\n", 16, 0, 0,
     "{ok,{http_request,\"get\",{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "PATCH /x HTTP/1.1\r\n", 19, 0, 0,
     "{ok,{http_request,\"PATCH\",{abs_path,\"/x\"},{1,1}},<<>>}"},
    {T_HTTP, "OPTIONS * HTTP/1.1\r\n", 20, 0, 0, "{ok,{http_request,'OPTIONS','*',{1,1}},<<>>}"},
    {T_HTTP, "CONNECT example.com:443 HTTP/1.1\r\n", 34, 0, 0,
     "{ok,{http_request,\"CONNECT\",{scheme,\"example.com\",\"443\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://example.com:8080/a/b?c=d HTTP/1.1\r\n", 46, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"example.com\",8080,\"/a/b?c=d\"},{1,1}},<<>>}"},
    {T_HTTP, "GET HTTP://Example.com/ HTTP/1.1\r\n", 34, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"Example.com\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://example.com HTTP/1.1\r\n", 33, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"example.com\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://example.com:0/ HTTP/1.1\r\n", 36, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"example.com\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://example.com:80x/ HTTP/1.1\r\n", 38, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"example.com\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET https://example.com/x HTTP/1.0\r\n", 36, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,https,\"example.com\",undefined,\"/x\"},{1,0}},<<>>}"},
    /* OTP 26+ (OTP 25 gives the host "[" and port undefined for both) */
    {T_HTTP, "GET http://[::1]:4000/p HTTP/1.1\r\n", 34, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"[::1]\",4000,\"/p\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://[::1]/p HTTP/1.1\r\n", 29, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"[::1]\",undefined,\"/p\"},{1,1}},<<>>}"},
    {T_HTTP, "GET ftp://host/file HTTP/1.1\r\n", 30, 0, 0,
     "{ok,{http_request,'GET',{scheme,\"ftp\",\"//host/file\"},{1,1}},<<>>}"},
    {T_HTTP, "GET something_else HTTP/1.1\r\n", 29, 0, 0,
     "{ok,{http_request,'GET',\"something_else\",{1,1}},<<>>}"},
    {T_HTTP, "GET /\r\n", 7, 0, 0, "{ok,{http_request,'GET',{abs_path,\"/\"},{0,9}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1 extra\r\n", 22, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET  /  HTTP/1.1\r\n", 18, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/x.1\r\n", 16, 0, 0, "{ok,{http_error,\"GET / HTTP/x.1\\r\\n\"},<<>>}"},
    {T_HTTP, "GET / HTTP/12.345\r\n", 19, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{12,345}},<<>>}"},
    {T_HTTP, "GET / FOO/1.1\r\n", 15, 0, 0, "{ok,{http_error,\"GET / FOO/1.1\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 200 OK\r\n", 17, 0, 0, "{ok,{http_response,{1,1},200,\"OK\"},<<>>}"},
    {T_HTTP, "HTTP/1.0 404 Object Not Found\r\n", 31, 0, 0,
     "{ok,{http_response,{1,0},404,\"Object Not Found\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 200\r\n", 14, 0, 0, "{ok,{http_response,{1,1},200,[]},<<>>}"},
    {T_HTTP, "HTTP/1.1 200 \r\n", 15, 0, 0, "{ok,{http_response,{1,1},200,[]},<<>>}"},
    {T_HTTP, "HTTP/1.1 abc\r\n", 14, 0, 0, "{ok,{http_error,\"HTTP/1.1 abc\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 2000 Too big\r\n", 23, 0, 0,
     "{ok,{http_response,{1,1},2000,\"Too big\"},<<>>}"},
    {T_HTTP, "HTTP/1.1\r\n", 10, 0, 0, "{ok,{http_error,\"HTTP/1.1\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1 200 OK\r\n", 15, 0, 0, "{ok,{http_error,\"HTTP/1 200 OK\\r\\n\"},<<>>}"},
    {T_HTTP, "\r\n", 2, 0, 0, "{ok,{http_error,\"\\r\\n\"},<<>>}"},
    {T_HTTP, "\n", 1, 0, 0, "{ok,{http_error,\"\\n\"},<<>>}"},
    {T_HTTP, "garbage\r\n", 9, 0, 0, "{ok,{http_error,\"garbage\\r\\n\"},<<>>}"},
    {T_HTTP, "Host: x\r\n", 9, 0, 0, "{ok,{http_error,\"Host: x\\r\\n\"},<<>>}"},
    {T_HTTP_BIN, "GET /a HTTP/1.1\r\n", 17, 0, 0,
     "{ok,{http_request,'GET',{abs_path,<<\"/a\">>},{1,1}},<<>>}"},
    {T_HTTP_BIN, "GET http://h:1/p HTTP/1.1\r\n", 27, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,<<\"h\">>,1,<<\"/p\">>},{1,1}},<<>>}"},
    {T_HTTP_BIN, "FOO /a HTTP/1.1\r\n", 17, 0, 0,
     "{ok,{http_request,<<\"FOO\">>,{abs_path,<<\"/a\">>},{1,1}},<<>>}"},
    {T_HTTP_BIN, "HTTP/1.1 200 OK\r\n", 17, 0, 0, "{ok,{http_response,{1,1},200,<<\"OK\">>},<<>>}"},
    {T_HTTP_BIN, "garbage\r\n", 9, 0, 0, "{ok,{http_error,<<\"garbage\\r\\n\">>},<<>>}"},
    {T_HTTPH, "Host: example.com\r\n", 19, 0, 0, "{more,undefined}"},
    {T_HTTPH, "host: example.com\r\n", 19, 0, 0, "{more,undefined}"},
    {T_HTTPH, "HOST:example.com\r\n", 18, 0, 0, "{more,undefined}"},
    {T_HTTPH, "content-length:   42  \r\n", 24, 0, 0, "{more,undefined}"},
    {T_HTTPH, "X-Custom-Header: v\r\n", 20, 0, 0, "{more,undefined}"},
    {T_HTTPH, "x-custom-header: v\r\n", 20, 0, 0, "{more,undefined}"},
    {T_HTTPH, "x-forwarded-for: 1.2.3.4\r\n", 26, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Set-Cookie2: a\r\n", 16, 0, 0, "{more,undefined}"},
    {T_HTTPH, "WWW-Authenticate: a\r\n", 21, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Content-MD5: a\r\n", 16, 0, 0, "{more,undefined}"},
    {T_HTTPH, "ETag: a\r\n", 9, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Sec-WebSocket-Key: a\r\n", 22, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Multi-Line: a\r\n b\r\n\tc\r\nNext: d\r\n", 32, 0, 0,
     "{ok,{http_header,0,\"Multi-Line\",\"Multi-Line\",\"a\\r\\n b\\r\\n\\tc\"},<<\"Next: "
     "d\\r\\n\">>}"},
    {T_HTTPH, "Multi-Line: a\r\n b\r\n", 19, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Multi-Line: a\r\n", 15, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Invalid line without a colon\r\n", 30, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Bad Name: x\r\n", 13, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Name : x\r\n", 10, 0, 0, "{more,undefined}"},
    {T_HTTPH, ": x\r\n", 5, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Empty:\r\n", 8, 0, 0, "{more,undefined}"},
    {T_HTTPH, "\r\n", 2, 0, 0, "{ok,http_eoh,<<>>}"},
    {T_HTTPH, "\n", 1, 0, 0, "{ok,http_eoh,<<>>}"},
    {T_HTTPH, "\r\nGET", 5, 0, 0, "{ok,http_eoh,<<\"GET\">>}"},
    {T_HTTPH, "Host: a\n", 8, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Host: a\r", 8, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Host: a\rb\r\n", 11, 0, 0, "{more,undefined}"},
    {T_HTTPH, "GET / HTTP/1.1\r\n", 16, 0, 0, "{more,undefined}"},
    {T_HTTPH_BIN, "Host: example.com\r\n", 19, 0, 0, "{more,undefined}"},
    {T_HTTPH_BIN, "x-foo-BAR: v\r\n", 14, 0, 0, "{more,undefined}"},
    {T_HTTPH_BIN, "\r\n", 2, 0, 0, "{ok,http_eoh,<<>>}"},
    {T_HTTPH, "Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij: v\r\n", 55, 0, 0,
     "{more,undefined}"},
    {T_HTTPH, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk: v\r\n", 56, 0, 0,
     "{more,undefined}"},
    {T_HTTPH, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij: v\r\n", 55, 0, 0,
     "{more,undefined}"},
    {T_HTTP, "GET /aaaaaaaaaa HTTP/1.1\r\n", 26, 10, 0, "{error,invalid}"},
    {T_HTTP, "GET /aaaaaaaaaa HTTP/1.1", 24, 10, 0, "{error,invalid}"},
    {T_HTTP, "GET /aaa", 8, 10, 0, "{more,undefined}"},
    {T_HTTP, "GET /aaaaaaaaaa HTTP/1.1\r\n", 26, 0, 10, "{error,invalid}"},
    {T_HTTPH, "Host: aaaaaaaaaaaaaaaaaaaa\r\n", 28, 10, 0, "{error,invalid}"},
    {T_HTTPH, "Host: a\r\n b\r\n", 13, 10, 0, "{error,invalid}"},
    {T_HTTPH, "Host: aaa\r\n", 11, 11, 0, "{more,undefined}"},
    {T_HTTPH, "Host: aaa\r\n", 11, 10, 0, "{error,invalid}"},
    /* reference http2.out: 39 vectors */
    {T_HTTPH, "Host: example.com\r\n\r\n", 21, 0, 0,
     "{ok,{http_header,14,'Host',\"Host\",\"example.com\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "host: example.com\r\n\r\n", 21, 0, 0,
     "{ok,{http_header,14,'Host',\"host\",\"example.com\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "HOST:example.com\r\n\r\n", 20, 0, 0,
     "{ok,{http_header,14,'Host',\"HOST\",\"example.com\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "content-length:   42  \r\n\r\n", 26, 0, 0,
     "{ok,{http_header,38,'Content-Length',\"content-length\",\"42  \"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "X-Custom-Header: v\r\n\r\n", 22, 0, 0,
     "{ok,{http_header,0,\"X-Custom-Header\",\"X-Custom-Header\",\"v\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "x-custom-header: v\r\n\r\n", 22, 0, 0,
     "{ok,{http_header,0,\"X-Custom-Header\",\"x-custom-header\",\"v\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "x-forwarded-for: 1.2.3.4\r\n\r\n", 28, 0, 0,
     "{ok,{http_header,49,'X-Forwarded-For',\"x-forwarded-for\",\"1.2.3.4\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "X-FORWARDED-FOR: 1.2.3.4\r\n\r\n", 28, 0, 0,
     "{ok,{http_header,49,'X-Forwarded-For',\"X-FORWARDED-FOR\",\"1.2.3.4\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Set-Cookie2: a\r\n\r\n", 18, 0, 0,
     "{ok,{http_header,48,'Set-Cookie2',\"Set-Cookie2\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "WWW-Authenticate: a\r\n\r\n", 23, 0, 0,
     "{ok,{http_header,33,'Www-Authenticate',\"WWW-Authenticate\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Www-Authenticate: a\r\n\r\n", 23, 0, 0,
     "{ok,{http_header,33,'Www-Authenticate',\"Www-Authenticate\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Content-MD5: a\r\n\r\n", 18, 0, 0,
     "{ok,{http_header,40,'Content-Md5',\"Content-MD5\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "ETag: a\r\n\r\n", 11, 0, 0,
     "{ok,{http_header,43,'Etag',\"ETag\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Sec-WebSocket-Key: a\r\n\r\n", 24, 0, 0,
     "{ok,{http_header,0,\"Sec-Websocket-Key\",\"Sec-WebSocket-Key\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Multi-Line: a\r\n b\r\n\r\n", 21, 0, 0,
     "{ok,{http_header,0,\"Multi-Line\",\"Multi-Line\",\"a\\r\\n b\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Invalid line without a colon\r\n\r\n", 32, 0, 0,
     "{ok,{http_error,\"Invalid line without a colon\\r\\n\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Bad Name: x\r\n\r\n", 15, 0, 0,
     "{ok,{http_error,\"Bad Name: x\\r\\n\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Name : x\r\n\r\n", 12, 0, 0, "{ok,{http_error,\"Name : x\\r\\n\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, ": x\r\n\r\n", 7, 0, 0, "{ok,{http_header,0,[],[],\"x\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Empty:\r\n\r\n", 10, 0, 0,
     "{ok,{http_header,0,\"Empty\",\"Empty\",[]},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Empty:   \r\n\r\n", 13, 0, 0,
     "{ok,{http_header,0,\"Empty\",\"Empty\",[]},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Host: a\n\r\n", 10, 0, 0,
     "{ok,{http_header,14,'Host',\"Host\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Host: a\rb\r\n\r\n", 13, 0, 0,
     "{ok,{http_header,14,'Host',\"Host\",\"a\\rb\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Host:\ta\r\n\r\n", 11, 0, 0,
     "{ok,{http_header,14,'Host',\"Host\",\"a\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "GET / HTTP/1.1\r\n\r\n", 18, 0, 0,
     "{ok,{http_error,\"GET / HTTP/1.1\\r\\n\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Keep-Alive: 1\r\n\r\n", 17, 0, 0,
     "{ok,{http_header,51,'Keep-Alive',\"Keep-Alive\",\"1\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Proxy-Connection: 1\r\n\r\n", 23, 0, 0,
     "{ok,{http_header,52,'Proxy-Connection',\"Proxy-Connection\",\"1\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "cookie: 1\r\n\r\n", 13, 0, 0,
     "{ok,{http_header,50,'Cookie',\"cookie\",\"1\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Cache-Control: 1\r\n\r\n", 20, 0, 0,
     "{ok,{http_header,1,'Cache-Control',\"Cache-Control\",\"1\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij: v\r\n\r\n", 57, 0, 0,
     "{ok,{http_header,0,\"Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij\","
     "\"Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij\",\"v\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk: v\r\n\r\n", 58, 0, 0,
     "{ok,{http_header,0,\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk\","
     "\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk\",\"v\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "x-a_b.c~d: v\r\n\r\n", 16, 0, 0,
     "{ok,{http_header,0,\"X-A_b.c~d\",\"x-a_b.c~d\",\"v\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Ho@st: v\r\n\r\n", 12, 0, 0, "{ok,{http_error,\"Ho@st: v\\r\\n\"},<<\"\\r\\n\">>}"},
    {T_HTTPH_BIN, "Host: example.com\r\n\r\n", 21, 0, 0,
     "{ok,{http_header,14,'Host',<<\"Host\">>,<<\"example.com\">>},<<\"\\r\\n\">>}"},
    {T_HTTPH_BIN, "x-foo-BAR: v\r\n\r\n", 16, 0, 0,
     "{ok,{http_header,0,<<\"X-Foo-Bar\">>,<<\"x-foo-BAR\">>,<<\"v\">>},<<\"\\r\\n\">>}"},
    {T_HTTPH_BIN, "Multi-Line: a\r\n b\r\n\r\n", 21, 0, 0,
     "{ok,{http_header,0,<<\"Multi-Line\">>,<<\"Multi-Line\">>,<<\"a\\r\\n b\">>},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Host: a\r\n", 9, 0, 0, "{more,undefined}"},
    {T_HTTPH, "Host: a\r\nX", 10, 0, 0, "{ok,{http_header,14,'Host',\"Host\",\"a\"},<<\"X\">>}"},
    {T_HTTPH, "Host: a\r\n ", 10, 0, 0, "{more,undefined}"},

    /* reference dp2.out, HTTP lines: 16 vectors */
    {T_HTTP, "GET / HTTP/1.1\r\n", 16, 16, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1\r\n", 16, 15, 0, "{error,invalid}"},
    {T_HTTP, "GET /a\r\n", 8, 0, 0, "{ok,{http_request,'GET',{abs_path,\"/a\"},{0,9}},<<>>}"},
    {T_HTTP, "GET\r\n", 5, 0, 0, "{ok,{http_error,\"GET\\r\\n\"},<<>>}"},
    {T_HTTP, " GET / HTTP/1.1\r\n", 17, 0, 0, "{ok,{http_error,\" GET / HTTP/1.1\\r\\n\"},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1\r\r\n", 17, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1\n\r\n", 17, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<\"\\r\\n\">>}"},
    {T_HTTPH, "Host: a\r\n\tb\r\n\r\n", 15, 0, 0,
     "{ok,{http_header,14,'Host',\"Host\",\"a\\r\\n\\tb\"},<<\"\\r\\n\">>}"},
    {T_HTTPH, "\r\n Host: a\r\n", 12, 0, 0, "{ok,http_eoh,<<\" Host: a\\r\\n\">>}"},
    {T_HTTPH, " Host: a\r\n\r\n", 12, 0, 0, "{ok,{http_error,\" Host: a\\r\\n\"},<<\"\\r\\n\">>}"},
    {T_HTTP_BIN, "GET http://h/p?q HTTP/1.1\r\n", 27, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,<<\"h\">>,undefined,<<\"/p?q\">>},{1,1}},<<>>}"},
    {T_HTTP, "GET HTTPS://h:443 HTTP/1.1\r\n", 28, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,https,\"h\",443,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://:80/ HTTP/1.1\r\n", 26, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,[],80,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:99999/ HTTP/1.1\r\n", 30, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",99999,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1", 14, 100, 0, "{more,undefined}"},
    {T_HTTP, "HTTP/1.1 200 OK", 15, 0, 0, "{more,undefined}"},
    /* reference dp3.out, HTTP lines: 5 vectors */
    {T_HTTP, "GET /aaaaa", 10, 10, 0, "{error,invalid}"},
    {T_HTTP, "GET /aaaa", 9, 10, 0, "{more,undefined}"},
    {T_HTTPH, "A: b\r\n c\r\n", 10, 10, 0, "{more,undefined}"},
    {T_HTTPH, "A: b\r\n c\r\nX", 11, 11, 0,
     "{ok,{http_header,0,\"A\",\"A\",\"b\\r\\n c\"},<<\"X\">>}"},
    {T_HTTPH, "A: b\r\n c\r\nX", 11, 10, 0,
     "{ok,{http_header,0,\"A\",\"A\",\"b\\r\\n c\"},<<\"X\">>}"},
    /* asked of OTP 25 for this module, part 1 (versions, status, URIs): 61 vectors */
    {T_HTTP, "GET / HTTP/99999999999.1\r\n", 26, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1215752191,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/2147483647.2147483648\r\n", 34, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{2147483647,-2147483648}},<<>>}"},
    {T_HTTP, "GET / HTTP/4294967296.4294967297\r\n", 34, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{0,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/134217727.134217728\r\n", 32, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{134217727,134217728}},<<>>}"},
    {T_HTTP, "GET / HTTP/576460752303423487.576460752303423488\r\n", 50, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{-1,0}},<<>>}"},
    {T_HTTP, "HTTP/1.1 99999999999 X\r\n", 24, 0, 0,
     "{ok,{http_response,{1,1},1215752191,\"X\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 2147483648 X\r\n", 23, 0, 0,
     "{ok,{http_response,{1,1},-2147483648,\"X\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 4294967296 X\r\n", 23, 0, 0, "{ok,{http_response,{1,1},0,\"X\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 4294967295 X\r\n", 23, 0, 0, "{ok,{http_response,{1,1},-1,\"X\"},<<>>}"},
    {T_HTTP, "GET http://h:99999999999/ HTTP/1.1\r\n", 36, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",1215752191,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:4294967296/ HTTP/1.1\r\n", 35, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:4294967297/ HTTP/1.1\r\n", 35, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",1,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:2147483648/ HTTP/1.1\r\n", 35, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",-2147483648,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:2147483647/ HTTP/1.1\r\n", 35, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",2147483647,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:00080/ HTTP/1.1\r\n", 30, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",80,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:/ HTTP/1.1\r\n", 25, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://h:8:0/ HTTP/1.1\r\n", 28, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"h\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http:// HTTP/1.1\r\n", 22, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,[],undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http:/ HTTP/1.1\r\n", 21, 0, 0,
     "{ok,{http_request,'GET',{scheme,\"http\",\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET https:// HTTP/1.1\r\n", 23, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,https,[],undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET a HTTP/1.1\r\n", 16, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"a\"},{1,1}},<<>>}"},
    {T_HTTP, "GET * HTTP/1.1\r\n", 16, 0, 0, "{ok,{http_request,'GET','*',{1,1}},<<>>}"},
    {T_HTTP, "GET ** HTTP/1.1\r\n", 17, 0, 0, "{ok,{http_request,'GET',\"**\",{1,1}},<<>>}"},
    {T_HTTP, "GET :x HTTP/1.1\r\n", 17, 0, 0,
     "{ok,{http_request,'GET',{scheme,[],\"x\"},{1,1}},<<>>}"},
    {T_HTTP, "GET x: HTTP/1.1\r\n", 17, 0, 0,
     "{ok,{http_request,'GET',{scheme,\"x\",[]},{1,1}},<<>>}"},
    {T_HTTP, "HTTP/1.1 \r\n", 11, 0, 0, "{ok,{http_response,{1,1},0,[]},<<>>}"},
    {T_HTTP, "HTTP/1.1  \r\n", 12, 0, 0, "{ok,{http_response,{1,1},0,[]},<<>>}"},
    {T_HTTP, "HTTP/1.1 OK\r\n", 13, 0, 0, "{ok,{http_error,\"HTTP/1.1 OK\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 200OK\r\n", 16, 0, 0, "{ok,{http_error,\"HTTP/1.1 200OK\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1.1\t200\tOK \r\n", 18, 0, 0, "{ok,{http_response,{1,1},200,\"OK \"},<<>>}"},
    {T_HTTP, "HTTP/1.1 200  OK  \r\n", 20, 0, 0, "{ok,{http_response,{1,1},200,\"OK  \"},<<>>}"},
    {T_HTTP, "HTTP/.1 200 OK\r\n", 16, 0, 0, "{ok,{http_error,\"HTTP/.1 200 OK\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1. 200 OK\r\n", 16, 0, 0, "{ok,{http_error,\"HTTP/1. 200 OK\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1.1x 200 OK\r\n", 18, 0, 0, "{ok,{http_error,\"HTTP/1.1x 200 OK\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/\r\n", 7, 0, 0, "{ok,{http_error,\"HTTP/\\r\\n\"},<<>>}"},
    {T_HTTP, "HTTP/1.1 200 OK\n", 16, 0, 0, "{ok,{http_response,{1,1},200,\"OK\"},<<>>}"},
    {T_HTTP, "http/1.1 200 OK\r\n", 17, 0, 0, "{ok,{http_error,\"http/1.1 200 OK\\r\\n\"},<<>>}"},
    {T_HTTP, "GET / HTTP/1.\r\n", 15, 0, 0, "{ok,{http_error,\"GET / HTTP/1.\\r\\n\"},<<>>}"},
    {T_HTTP, "GET / HTTP/1.x\r\n", 16, 0, 0, "{ok,{http_error,\"GET / HTTP/1.x\\r\\n\"},<<>>}"},
    {T_HTTP, "GET / HTTP/11\r\n", 15, 0, 0, "{ok,{http_error,\"GET / HTTP/11\\r\\n\"},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1x\r\n", 17, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.1\r\r\r\n", 18, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET / http/1.1\r\n", 16, 0, 0, "{ok,{http_error,\"GET / http/1.1\\r\\n\"},<<>>}"},
    {T_HTTP, "GET / H\r\n", 9, 0, 0, "{ok,{http_error,\"GET / H\\r\\n\"},<<>>}"},
    {T_HTTP, "GET \r\n", 6, 0, 0, "{ok,{http_error,\"GET \\r\\n\"},<<>>}"},
    {T_HTTP, "GET\t/\tHTTP/1.0\r\n", 16, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,0}},<<>>}"},
    {T_HTTP, "G@T / HTTP/1.0\r\n", 16, 0, 0, "{ok,{http_error,\"G@T / HTTP/1.0\\r\\n\"},<<>>}"},
    {T_HTTP, "GE\177T / HTTP/1.0\r\n", 17, 0, 0,
     "{ok,{http_request,[71,69,127,84],{abs_path,\"/\"},{1,0}},<<>>}"},
    {T_HTTP, "GE\310T / HTTP/1.0\r\n", 17, 0, 0,
     "{ok,{http_error,\"GE\310T / HTTP/1.0\\r\\n\"},<<>>}"},
    {T_HTTP, "GET /a\310b HTTP/1.0\r\n", 19, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/a\310b\"},{1,0}},<<>>}"},
    {T_HTTP, "GET /a\rb HTTP/1.0\r\n", 19, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/a\\rb\"},{1,0}},<<>>}"},
    {T_HTTP, "GET /\r HTTP/1.0\r\n", 17, 0, 0,
     "{ok,{http_request,'GET',{abs_path,\"/\\r\"},{1,0}},<<>>}"},
    {T_HTTP, "GET / HTTP/1.0\r", 15, 0, 0, "{more,undefined}"},
    {T_HTTP, "\r\r\n", 3, 0, 0, "{ok,{http_error,\"\\r\\r\\n\"},<<>>}"},
    /* OTP 26+ for the next four (OTP 25: host "[", port undefined) */
    {T_HTTP, "GET http://[::1]:4000/p HTTP/1.1\r\n", 34, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"[::1]\",4000,\"/p\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://[::1] HTTP/1.1\r\n", 27, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"[::1]\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://[::1]: HTTP/1.1\r\n", 28, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"[::1]\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://[::1]x:80 HTTP/1.1\r\n", 31, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"[::1]\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://[::1:80 HTTP/1.1\r\n", 29, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"[\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET http://x[::1]:80 HTTP/1.1\r\n", 31, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,http,\"x[\",undefined,\"/\"},{1,1}},<<>>}"},
    {T_HTTP, "GET HtTpS://H:1?x HTTP/1.1\r\n", 28, 0, 0,
     "{ok,{http_request,'GET',{absoluteURI,https,\"H\",undefined,\"/\"},{1,1}},<<>>}"},
    /* part 2 (header names, values, framing limits): 58 vectors */
    {T_HTTPH, "a--b: v\r\nX", 10, 0, 0, "{ok,{http_header,0,\"A--b\",\"a--b\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "-a: v\r\nX", 8, 0, 0, "{ok,{http_header,0,\"-a\",\"-a\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "x-1a: v\r\nX", 10, 0, 0, "{ok,{http_header,0,\"X-1a\",\"x-1a\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "a-B-c: v\r\nX", 11, 0, 0,
     "{ok,{http_header,0,\"A-B-C\",\"a-B-c\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "A\177b: v\r\nX", 9, 0, 0,
     "{ok,{http_header,0,[65,127,98],[65,127,98],\"v\"},<<\"X\">>}"},
    {T_HTTPH, "host:v\r\nX", 9, 0, 0, "{ok,{http_header,14,'Host',\"host\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "A:\r\n b\r\nX", 9, 0, 0, "{ok,{http_header,0,\"A\",\"A\",\"\\r\\n b\"},<<\"X\">>}"},
    {T_HTTPH, "A: \r\n b\r\nX", 10, 0, 0,
     "{ok,{http_header,0,\"A\",\"A\",\"\\r\\n b\"},<<\"X\">>}"},
    {T_HTTPH, "A:\r\nX", 5, 0, 0, "{ok,{http_header,0,\"A\",\"A\",[]},<<\"X\">>}"},
    {T_HTTPH, "A\r\nX", 4, 0, 0, "{ok,{http_error,\"A\\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, "A: v \t\r\nX", 9, 0, 0, "{ok,{http_header,0,\"A\",\"A\",\"v \\t\"},<<\"X\">>}"},
    {T_HTTPH, "Host\t: v\r\nX", 11, 0, 0, "{ok,{http_error,\"Host\\t: v\\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, "\tHost: v\r\nX", 11, 0, 0, "{ok,{http_error,\"\\tHost: v\\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, "Content-md5: x\r\nX", 17, 0, 0,
     "{ok,{http_header,40,'Content-Md5',\"Content-md5\",\"x\"},<<\"X\">>}"},
    {T_HTTPH, "CONTENT-MD5: x\r\nX", 17, 0, 0,
     "{ok,{http_header,40,'Content-Md5',\"CONTENT-MD5\",\"x\"},<<\"X\">>}"},
    {T_HTTPH, "H\310st: v\r\nX", 10, 0, 0, "{ok,{http_error,\"H\310st: v\\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, "Ho\rst: v\r\nX", 11, 0, 0, "{ok,{http_error,\"Ho\\rst: v\\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, "Host:: v\r\nX", 11, 0, 0, "{ok,{http_header,14,'Host',\"Host\",\": v\"},<<\"X\">>}"},
    {T_HTTPH, "Host:v:w\r\nX", 11, 0, 0, "{ok,{http_header,14,'Host',\"Host\",\"v:w\"},<<\"X\">>}"},
    {T_HTTPH, "Ho/st: v\r\nX", 11, 0, 0, "{ok,{http_error,\"Ho/st: v\\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, "\r\r\nX", 4, 0, 0, "{ok,{http_error,\"\\r\\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, " \r\nX", 4, 0, 0, "{ok,{http_error,\" \\r\\n\"},<<\"X\">>}"},
    {T_HTTPH, "a_b: v\r\nX", 9, 0, 0, "{ok,{http_header,0,\"A_b\",\"a_b\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "1-a: v\r\nX", 9, 0, 0, "{ok,{http_header,0,\"1-A\",\"1-a\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "-: v\r\nX", 7, 0, 0, "{ok,{http_header,0,\"-\",\"-\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "--: v\r\nX", 8, 0, 0, "{ok,{http_header,0,\"--\",\"--\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh-j: v\r\nX", 56, 0, 0,
     "{ok,{http_header,0,\"Abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh-J\","
     "\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh-j\",\"v\"},<<\"X\">>}"},
    {T_HTTPH, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh-jk: v\r\nX", 57, 0, 0,
     "{ok,{http_header,0,\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh-jk\","
     "\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh-jk\",\"v\"},<<\"X\">>}"},
    {T_HTTPH,
     "Content-Lengthxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: 1\r\nX", 86,
     0, 0,
     "{ok,{http_header,0,\"Content-"
     "Lengthxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"Content-"
     "Lengthxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"1\"},<<\"X\">>"
     "}"},
    {T_HTTPH, "\r\n", 2, 1, 0, "{ok,http_eoh,<<>>}"},
    {T_HTTP, "\r\n", 2, 1, 0, "{ok,{http_error,\"\\r\\n\"},<<>>}"},
    {T_HTTPH, "\n", 1, 1, 0, "{ok,http_eoh,<<>>}"},
    {T_HTTPH, "\r\nX", 3, 1, 0, "{error,invalid}"},
    {T_HTTPH, "\nX", 2, 1, 0, "{ok,http_eoh,<<\"X\">>}"},
    {T_HTTPH, "\n\tX", 3, 0, 0, "{ok,http_eoh,<<\"\\tX\">>}"},
    {T_HTTPH, "\r\n\tX", 4, 0, 0, "{ok,http_eoh,<<\"\\tX\">>}"},
    {T_HTTPH, "a\n\tX", 4, 0, 0, "{ok,{http_error,\"a\\n\"},<<\"\\tX\">>}"},
    {T_HTTPH, "a\n\tX\n", 5, 0, 0, "{ok,{http_error,\"a\\n\"},<<\"\\tX\\n\">>}"},
    {T_HTTPH, "a\n\tX\nY", 6, 0, 0, "{ok,{http_error,\"a\\n\"},<<\"\\tX\\nY\">>}"},
    {T_HTTPH, "ab\n\tX\nY", 7, 0, 0, "{ok,{http_error,\"ab\\n\\tX\\n\"},<<\"Y\">>}"},
    {T_HTTPH, "\r\r\n X\nY", 7, 0, 0, "{ok,{http_error,\"\\r\\r\\n X\\n\"},<<\"Y\">>}"},
    {T_HTTPH, "A: b\r\n c", 8, 8, 0, "{error,invalid}"},
    {T_HTTPH, "A: b\r\n c", 8, 9, 0, "{more,undefined}"},
    {T_HTTPH, "A: b\r\n", 6, 6, 0, "{more,undefined}"},
    {T_HTTPH, "A: b\r\n", 6, 5, 0, "{error,invalid}"},
    {T_HTTPH, "A: b\r\n", 6, 7, 0, "{more,undefined}"},
    {T_HTTPH, "A: b\r\nX", 7, 6, 0, "{ok,{http_header,0,\"A\",\"A\",\"b\"},<<\"X\">>}"},
    {T_HTTPH, "A: b\r\nX", 7, 5, 0, "{error,invalid}"},
    {T_HTTPH, "A: b", 4, 4, 0, "{error,invalid}"},
    {T_HTTPH, "A: b", 4, 5, 0, "{more,undefined}"},
    {T_HTTPH, "", 0, 1, 0, "{more,undefined}"},
    {T_HTTP, "", 0, 0, 0, "{more,undefined}"},
    {T_HTTP, "A: b", 4, 0, 4, "{error,invalid}"},
    {T_HTTP, "A: b", 4, 0, 5, "{more,undefined}"},
    {T_HTTP, "A: b", 4, 4, 5, "{error,invalid}"},
    {T_HTTP, "GET / HTTP/1.1\r\n", 16, 0, 15, "{error,invalid}"},
    {T_HTTP, "GET / HTTP/1.1\r\n", 16, 0, 16,
     "{ok,{http_request,'GET',{abs_path,\"/\"},{1,1}},<<>>}"},
    {T_HTTPH, "Host: a", 7, 0, 7, "{error,invalid}"},
};

/* http2.out: the bit of every header atom, and three names that have none. */
static const struct {
    int bit;
    const char *name;
} header_bits[] = {
    {1, "Cache-Control"},
    {2, "Connection"},
    {3, "Date"},
    {4, "Pragma"},
    {5, "Transfer-Encoding"},
    {6, "Upgrade"},
    {7, "Via"},
    {8, "Accept"},
    {9, "Accept-Charset"},
    {10, "Accept-Encoding"},
    {11, "Accept-Language"},
    {12, "Authorization"},
    {13, "From"},
    {14, "Host"},
    {15, "If-Modified-Since"},
    {16, "If-Match"},
    {17, "If-None-Match"},
    {18, "If-Range"},
    {19, "If-Unmodified-Since"},
    {20, "Max-Forwards"},
    {21, "Proxy-Authorization"},
    {22, "Range"},
    {23, "Referer"},
    {24, "User-Agent"},
    {25, "Age"},
    {26, "Location"},
    {27, "Proxy-Authenticate"},
    {28, "Public"},
    {29, "Retry-After"},
    {30, "Server"},
    {31, "Vary"},
    {32, "Warning"},
    {33, "Www-Authenticate"},
    {34, "Allow"},
    {35, "Content-Base"},
    {36, "Content-Encoding"},
    {37, "Content-Language"},
    {38, "Content-Length"},
    {39, "Content-Location"},
    {40, "Content-Md5"},
    {41, "Content-Range"},
    {42, "Content-Type"},
    {43, "Etag"},
    {44, "Expires"},
    {45, "Last-Modified"},
    {46, "Accept-Ranges"},
    {47, "Set-Cookie"},
    {48, "Set-Cookie2"},
    {49, "X-Forwarded-For"},
    {50, "Cookie"},
    {51, "Keep-Alive"},
    {52, "Proxy-Connection"},
    {0, "Link"},
    {0, "Origin"},
    {0, "Content-Disposition"},
};

/* http2.out: which methods are atoms (case-sensitive). */
static const struct {
    int index;
    const char *name;
} methods[] = {
    {1, "OPTIONS"}, {2, "GET"},     {3, "HEAD"},  {4, "POST"}, {5, "PUT"}, {6, "DELETE"},
    {7, "TRACE"},   {0, "CONNECT"}, {0, "PATCH"}, {0, "get"},  {0, "Get"},
};

static void test_tables(void)
{
    struct gt_http_result r;
    char line[64];
    size_t i;
    int n;

    for (i = 0; i < sizeof header_bits / sizeof header_bits[0]; i++) {
        n = snprintf(line, sizeof line, "%s: v\r\n", header_bits[i].name);
        CHECK_EQ(gt__http_parse((const uint8_t *)line, (size_t)n, 1, &r), GT_HTTP_HEADER);
        CHECK_EQ(r.bit, header_bits[i].bit);
        if (header_bits[i].bit != 0)
            CHECK(strcmp(gt__http_header_name(r.bit), header_bits[i].name) == 0);
    }
    for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        n = snprintf(line, sizeof line, "%s / HTTP/1.1\r\n", methods[i].name);
        CHECK_EQ(gt__http_parse((const uint8_t *)line, (size_t)n, 0, &r), GT_HTTP_REQUEST);
        CHECK_EQ(r.method, methods[i].index);
        if (methods[i].index != 0)
            CHECK(strcmp(gt__http_method_name(r.method), methods[i].name) == 0);
        CHECK_EQ(r.method_str.off, 0);
        CHECK_EQ(r.method_str.len, strlen(methods[i].name));
    }
    CHECK(gt__http_header_name(0) == NULL);
    CHECK(gt__http_header_name(53) == NULL);
    CHECK(gt__http_method_name(0) == NULL);
    CHECK(gt__http_method_name(8) == NULL);
    CHECK(strcmp(gt__http_method_name(7), "TRACE") == 0);
}

static int frame(const char *s, size_t n, int state, uint64_t max, size_t *total)
{
    return gt__http_frame((const uint8_t *)s, n, state, max, total);
}

/* Every truncation of a valid packet needs more; the packet itself is complete (a header
 * only with the next byte); with a limit of its own length it still is, one less is invalid. */
static void test_prefixes(void)
{
    static const struct {
        const char *s;
        int state;
        size_t len; /* the packet, before the lookahead byte */
    } cases[] = {
        {"GET /index.html HTTP/1.1\r\nX", 0, 26},
        {"HTTP/1.1 200 OK\nX", 0, 16},
        {"\r\nX", 0, 2},
        {"Host: example.com\r\nX", 1, 19},
        {"Multi-Line: a\r\n b\r\n\tc\r\nX", 1, 23},
        {"A: b\n c\nX", 1, 8},
    };
    size_t i, n, total;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].s;
        size_t len = cases[i].len, whole = strlen(s);
        int state = cases[i].state;

        for (n = 0; n < len; n++) {
            total = 99;
            CHECK_EQ(frame(s, n, state, 0, &total), 0);
            CHECK_EQ(total, 0);
            CHECK_EQ(frame(s, n, state, len, &total), 0);
            CHECK_EQ(frame(s, n, state, len + 1, &total), 0);
        }
        /* the packet alone: complete for a request line, waiting for lookahead for a header */
        CHECK_EQ(frame(s, len, state, 0, &total), state ? 0 : 1);
        CHECK_EQ(frame(s, whole, state, 0, &total), 1);
        CHECK_EQ(total, len);
        CHECK_EQ(frame(s, whole, state, len, &total), 1);
        CHECK_EQ(total, len);
        if (len > 2) /* the empty line is exempt only when it is all there is */
            CHECK_EQ(frame(s, whole, state, len - 1, &total), -1);
    }
    /* nothing buffered (and no buffer) */
    CHECK_EQ(gt__http_frame(NULL, 0, 0, 0, &total), 0);
    CHECK_EQ(gt__http_frame(NULL, 0, 1, 1, &total), 0);
}

static void test_limits(void)
{
    size_t total;

    /* dp3.out: a partial line of n >= packet_size bytes is invalid, shorter needs more */
    CHECK_EQ(frame("GET /aaaaa", 10, 0, 10, &total), -1);
    CHECK_EQ(frame("GET /aaaa", 9, 0, 10, &total), 0);
    /* the limit counts the bytes buffered, continuation lines included */
    CHECK_EQ(frame("A: b\r\n c", 8, 1, 8, &total), -1);
    CHECK_EQ(frame("A: b\r\n c", 8, 1, 9, &total), 0);
    /* a lone empty line skips the check; an empty line with more behind it does not */
    CHECK_EQ(frame("\r\n", 2, 1, 1, &total), 1);
    CHECK_EQ(total, 2);
    CHECK_EQ(frame("\r\n", 2, 0, 1, &total), 1);
    CHECK_EQ(frame("\r\nX", 3, 1, 1, &total), -1);
    CHECK_EQ(frame("\nX", 2, 1, 1, &total), 1);
    CHECK_EQ(total, 1);
    /* a first line of at most 2 bytes never continues */
    CHECK_EQ(frame("a\n\tX", 4, 1, 0, &total), 1);
    CHECK_EQ(total, 2);
    CHECK_EQ(frame("ab\n\tX\nY", 7, 1, 0, &total), 1);
    CHECK_EQ(total, 6);
    /* in state 0 a line never continues: no lookahead */
    CHECK_EQ(frame("GET / HTTP/1.1\r\n ", 17, 0, 0, &total), 1);
    CHECK_EQ(total, 16);
    /* a huge limit is no limit */
    CHECK_EQ(frame("GET /", 5, 0, UINT64_MAX, &total), 0);
    CHECK_EQ(frame("A: b\r\nX", 7, 1, UINT64_MAX, &total), 1);
}

/* A connection's worth of packets, with the state kept as inet_drv keeps it (http.h). */
static void test_sequence(void)
{
    static const char stream[] = "garbage\r\n"
                                 "GET /a HTTP/1.1\r\nHost: x\r\nX-Long: 1\r\n 2\r\n\r\n"
                                 "HTTP/1.0 404 Not Found\r\nServer: s\r\n\r\n"
                                 "GET /\r\n\r\n";
    static const int kinds[] = {GT_HTTP_ERROR,   GT_HTTP_REQUEST,  GT_HTTP_HEADER, GT_HTTP_HEADER,
                                GT_HTTP_EOH,     GT_HTTP_RESPONSE, GT_HTTP_HEADER, GT_HTTP_EOH,
                                GT_HTTP_REQUEST, GT_HTTP_EOH};
    const uint8_t *p = (const uint8_t *)stream;
    size_t off = 0, n = sizeof stream - 1, total;
    struct gt_http_result r;
    int state = 0, kind;
    size_t k = 0;

    while (off < n) {
        CHECK_EQ(gt__http_frame(p + off, n - off, state, 0, &total), 1);
        kind = gt__http_parse(p + off, total, state, &r);
        CHECK(k < sizeof kinds / sizeof kinds[0]);
        CHECK_EQ(kind, kinds[k++]);
        if (kind == GT_HTTP_HEADER && r.bit == 0) /* "X-Long: 1\r\n 2" */
            CHECK(memcmp(p + off + r.value.off, "1\r\n 2", r.value.len) == 0);
        if (kind == GT_HTTP_REQUEST || kind == GT_HTTP_RESPONSE)
            state = 1;
        else if (kind == GT_HTTP_EOH)
            state = 0;
        off += total;
    }
    CHECK_EQ(k, sizeof kinds / sizeof kinds[0]);
}

static void test_fields(void)
{
    static const char req[] = "GET http://h:8/p HTTP/1.1\r\n";
    static const char hdr[] = "content-TYPE:\t text/plain \r\n";
    struct gt_http_result r;

    /* slices are offsets into the packet */
    CHECK_EQ(gt__http_parse((const uint8_t *)req, sizeof req - 1, 0, &r), GT_HTTP_REQUEST);
    CHECK_EQ(r.uri_a.off, 11);
    CHECK_EQ(r.uri_a.len, 1);
    CHECK_EQ(r.uri_b.off, 14);
    CHECK_EQ(r.uri_b.len, 2);
    CHECK_EQ(r.port, 8);
    /* without a path, "/" is the slice of the second '/' of "http://" */
    CHECK_EQ(gt__http_parse((const uint8_t *)"GET http://h HTTP/1.1\n", 22, 0, &r),
             GT_HTTP_REQUEST);
    CHECK_EQ(r.uri_b.off, 10);
    CHECK_EQ(r.uri_b.len, 1);
    /* A port that wraps to -1 is undefined here (OTP 25 says -1: -1 is our sentinel); one
     * that wraps to -2 is -2 as in OTP. */
    CHECK_EQ(gt__http_parse((const uint8_t *)"GET http://h:4294967295/ HTTP/1.1\r\n", 35, 0, &r),
             GT_HTTP_REQUEST);
    CHECK_EQ(r.port, -1);
    CHECK_EQ(gt__http_parse((const uint8_t *)"GET http://h:4294967294/ HTTP/1.1\r\n", 35, 0, &r),
             GT_HTTP_REQUEST);
    CHECK_EQ(r.port, -2);
    /* a known header: the normalized name is its atom's text */
    CHECK_EQ(gt__http_parse((const uint8_t *)hdr, sizeof hdr - 1, 1, &r), GT_HTTP_HEADER);
    CHECK_EQ(r.bit, 42);
    CHECK_EQ(r.name_len, 12);
    CHECK(memcmp(r.name, "Content-Type", 12) == 0);
    CHECK_EQ(r.name_is_field, 0);
    CHECK_EQ(r.value.off, 15);
    CHECK_EQ(r.value.len, 11); /* "text/plain " */
    /* an error clears everything else */
    CHECK_EQ(gt__http_parse((const uint8_t *)"GET /x HTTP/1.x\r\n", 17, 0, &r), GT_HTTP_ERROR);
    CHECK_EQ(r.method, 0);
    CHECK_EQ(r.uri, 0);
    CHECK_EQ(r.line.len, 17);
    /* not framed, but still in bounds: an empty packet, a packet without a line end */
    CHECK_EQ(gt__http_parse((const uint8_t *)"", 0, 0, &r), GT_HTTP_ERROR);
    CHECK_EQ(gt__http_parse((const uint8_t *)"", 0, 1, &r), GT_HTTP_EOH);
    CHECK_EQ(gt__http_parse((const uint8_t *)"Host", 4, 1, &r), GT_HTTP_ERROR);
    CHECK_EQ(gt__http_parse((const uint8_t *)"GET", 3, 0, &r), GT_HTTP_ERROR);
    CHECK_EQ(gt__http_parse((const uint8_t *)"HTTP/", 5, 0, &r), GT_HTTP_ERROR);
}

int main(void)
{
    size_t i;

    for (i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        CHECK(check_vec(&vectors[i]));
    printf("%zu decode_packet vectors\n", i);
    test_tables();
    test_prefixes();
    test_limits();
    test_sequence();
    test_fields();
    CHECK_DONE();
}
