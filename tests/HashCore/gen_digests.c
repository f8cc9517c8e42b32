/*
 * Writes (input, digest) records for check_digests.py, which recomputes every digest
 * with Python's hashlib: an implementation that shares no code with ours.
 *
 *   S <hex input> <hex sha256>            cnd_sha256
 *   D <hex input> <hex sha256d>           cnd_sha256d
 *   N <hex block> <nonce> <hex digest>    cnd_hash_nonce, append mode
 *   A <hex block> <nonce> <hex digest>    cnd_scan (scalar kernel, one nonce, D = 0), append mode
 *   B <hex header> <nonce> <hex digest>   cnd_scan as above, bitcoin mode
 *
 * The A and B records go through job building, the midstate and the scan's re-check,
 * so the path a real search takes is checked, not just the one-shot helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cndhash.h"
#include "test_util.h"

enum { PER_LENGTH = 25, MAX_SHORT = 200 };

static char *hex_buf;

static const char *hex_of(const uint8_t *bytes, size_t len)
{
    test_hex(bytes, len, hex_buf);
    return hex_buf;
}

static int scan_one(const uint8_t *block, size_t len, int32_t mode, uint32_t nonce, uint8_t out[32])
{
    cnd_scan_params p;
    cnd_scan_result r;
    memset(&p, 0, sizeof p);
    p.block = block;
    p.block_len = len;
    p.mode = mode;
    p.difficulty = 0;
    p.use_difficulty = 1;
    p.nonce_start = p.nonce_end = nonce;
    p.kernel = CND_KERNEL_SCALAR;
    p.threads = 1;
    if (cnd_scan(&p, &r) != CND_STATUS_FOUND || r.nonce != nonce) {
        fprintf(stderr, "gen_digests: a D=0 scan of one nonce did not find it (status %d)\n", r.status);
        return -1;
    }
    memcpy(out, r.hash, 32);
    return 0;
}

static int emit(const uint8_t *data, size_t len, uint64_t *seed)
{
    uint8_t digest[32];
    char d[65];
    cnd_sha256(data, len, digest);
    test_hex(digest, 32, d);
    printf("S %s %s\n", hex_of(data, len), d);
    cnd_sha256d(data, len, digest);
    test_hex(digest, 32, d);
    printf("D %s %s\n", hex_of(data, len), d);

    uint32_t nonce = (uint32_t)test_rand(seed);
    cnd_hash_nonce(data, len, CND_MODE_APPEND_BE, nonce, digest);
    test_hex(digest, 32, d);
    printf("N %s %u %s\n", hex_of(data, len), nonce, d);
    nonce = (uint32_t)test_rand(seed);
    if (scan_one(data, len, CND_MODE_APPEND_BE, nonce, digest) != 0)
        return -1;
    test_hex(digest, 32, d);
    printf("A %s %u %s\n", hex_of(data, len), nonce, d);
    if (len == 80) {
        nonce = (uint32_t)test_rand(seed);
        if (scan_one(data, len, CND_MODE_BITCOIN, nonce, digest) != 0)
            return -1;
        test_hex(digest, 32, d);
        printf("B %s %u %s\n", hex_of(data, len), nonce, d);
    }
    return 0;
}

int main(void)
{
    static const size_t long_lengths[] = {255, 256, 1000, 4095, 4096, 65535, 65536 + 61, 1u << 20};
    size_t max_len = 1u << 20;
    uint8_t *data = malloc(max_len);
    hex_buf = malloc(2 * max_len + 1);
    if (data == NULL || hex_buf == NULL)
        return 1;
    uint64_t seed = 20261125;

    for (size_t len = 0; len <= MAX_SHORT; len++) {
        for (int rep = 0; rep < PER_LENGTH; rep++) {
            test_rand_bytes(&seed, data, len);
            if (emit(data, len, &seed) != 0)
                return 1;
        }
    }
    for (size_t i = 0; i < sizeof long_lengths / sizeof long_lengths[0]; i++) {
        test_rand_bytes(&seed, data, long_lengths[i]);
        if (emit(data, long_lengths[i], &seed) != 0)
            return 1;
    }
    free(data);
    free(hex_buf);
    return fflush(stdout) == 0 ? 0 : 1;
}
