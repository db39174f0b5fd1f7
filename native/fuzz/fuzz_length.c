/*
 * fuzz_length.c - libFuzzer harness for the length-announcing packet types: 1, 2, 4, sunrm,
 * asn1, cdr, fcgi, tpkt. Input: [type selector][packet_size: 4 bytes][stream]. Every prefix of
 * the stream is framed too, as a socket sees it arrive.
 */
#include "fuzz_common.h"

static const int types[] = {GT_PACKET_1,    GT_PACKET_2,   GT_PACKET_4,    GT_PACKET_SUNRM,
                            GT_PACKET_ASN1, GT_PACKET_CDR, GT_PACKET_FCGI, GT_PACKET_TPKT};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gt_packet_limits lim = {.delimiter = '\n'};
    int type = types[take(&data, &size, 1) % (sizeof(types) / sizeof(types[0]))];
    struct gt_frame f;
    uint8_t *buf;
    size_t n;
    int rc;

    lim.packet_size = take(&data, &size, 4);
    buf = exact_copy(data, size);
    if (buf == NULL)
        return 0;
    for (n = 0; n <= size; n++) {
        rc = gt__packet_frame(type, n > 0 ? buf : NULL, n, &lim, &f);
        check_frame(rc, n, &f);
        /* a complete frame stays complete, with the same length, as more bytes arrive */
        if (rc == 1) {
            struct gt_frame all;

            if (gt__packet_frame(type, buf, size, &lim, &all) != 1 || all.total != f.total)
                abort();
            break;
        }
    }
    free(buf);
    return 0;
}
