/*
 * fuzz_line.c - libFuzzer harness for {packet, line}: [delimiter][packet_size: 2 bytes]
 * [trunc_len: 2 bytes][stream]. A socket's stream is consumed frame by frame to the end.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gt_packet_limits lim;
    struct gt_frame f;
    uint8_t *buf;
    size_t pos = 0;
    int rc;

    lim.delimiter = (int)take(&data, &size, 1);
    lim.packet_size = take(&data, &size, 2);
    lim.trunc_len = take(&data, &size, 2);
    lim.http_state = 0;
    buf = exact_copy(data, size);
    if (buf == NULL)
        return 0;
    while (pos < size) {
        rc = gt__packet_frame(GT_PACKET_LINE, buf + pos, size - pos, &lim, &f);
        check_frame(rc, size - pos, &f);
        if (rc != 1)
            break;
        if (f.total == 0) /* a complete line is never empty: no endless loop */
            abort();
        pos += f.total;
    }
    free(buf);
    return 0;
}
