/*
 * fuzz_http.c - libFuzzer harness for the HTTP types: [state][max_plen: 2 bytes][stream].
 * Frames the stream packet by packet as a socket does, following OTP's state machine, and
 * describes each packet as gt_decode does; every slice must lie inside its packet.
 */
#include "fuzz_common.h"
#include "http.h"

static void check_slice(int64_t off, int64_t len, size_t total)
{
    if (off < 0 || len < 0 || (uint64_t)(off + len) > total)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t io[(GT_DECODE_SLOTS * 8 + GT_DECODE_NAME_MAX) / 8];
    struct gt_packet_limits lim = {.delimiter = '\n'};
    struct gt_frame f;
    uint8_t *buf;
    size_t pos = 0;
    int state, kind, rc;

    state = (int)(take(&data, &size, 1) & 1);
    lim.packet_size = take(&data, &size, 2);
    buf = exact_copy(data, size);
    if (buf == NULL)
        return 0;
    while (pos < size) {
        lim.http_state = state;
        rc = gt__packet_frame(GT_PACKET_HTTP, buf + pos, size - pos, &lim, &f);
        check_frame(rc, size - pos, &f);
        if (rc != 1)
            break;
        if (f.total == 0)
            abort();
        memset(io, 0, sizeof(io));
        kind = gt__http_export(buf + pos, f.total, state, io);
        if (kind < GT_HTTP_REQUEST || kind > GT_HTTP_ERROR)
            abort();
        check_slice(io[GT_DECODE_BODY_OFF], io[GT_DECODE_BODY_LEN], f.total);
        check_slice(io[GT_DECODE_HTTP_METHOD_OFF], io[GT_DECODE_HTTP_METHOD_LEN], f.total);
        check_slice(io[GT_DECODE_HTTP_URI_A_OFF], io[GT_DECODE_HTTP_URI_A_LEN], f.total);
        check_slice(io[GT_DECODE_HTTP_URI_B_OFF], io[GT_DECODE_HTTP_URI_B_LEN], f.total);
        check_slice(io[GT_DECODE_HTTP_PHRASE_OFF], io[GT_DECODE_HTTP_PHRASE_LEN], f.total);
        check_slice(io[GT_DECODE_HTTP_FIELD_OFF], io[GT_DECODE_HTTP_FIELD_LEN], f.total);
        check_slice(io[GT_DECODE_HTTP_VALUE_OFF], io[GT_DECODE_HTTP_VALUE_LEN], f.total);
        if (io[GT_DECODE_HTTP_NAME_LEN] > GT_DECODE_NAME_MAX)
            abort();
        if (kind == GT_HTTP_REQUEST || kind == GT_HTTP_RESPONSE)
            state = 1;
        else if (kind == GT_HTTP_EOH)
            state = 0;
        pos += f.total;
    }
    free(buf);
    return 0;
}
