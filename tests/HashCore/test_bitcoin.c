/*
 * Real Bitcoin main-chain headers. Each must hash to its published block hash and meet
 * its own nBits target; then the kernel named on the command line, scanning a small
 * range around the real nonce, must find that nonce again (the range ends are varied so
 * the nonce falls at the start, the end and the middle of a range and of a SIMD batch).
 * CTest runs it once per kernel; a kernel this CPU lacks exits TEST_SKIPPED.
 *
 * usage: test_bitcoin KERNEL
 *
 * Sources of the header fields (display order, as block explorers print them):
 *   block 0: UsingBlockchain/BlockSnippets, src/snippets/bitcoin/genesis.ts (header fields)
 *     and Gnaf/GenesisBlockZero's README (hash);
 *   blocks 1 and 2: the mainnet headers and hashes in the tests of the Rust crate
 *     maya_btc_spv (the same values every block explorer shows);
 *   block 125552: the Bitcoin wiki page "Block hashing algorithm".
 */
#include <stdio.h>
#include <string.h>

#include "cnd_impl.h"
#include "test_util.h"

typedef struct mainnet_block {
    int height;
    uint32_t version;
    const char *prev;         /* display order (reversed bytes) */
    const char *merkle_root;  /* display order */
    uint32_t time, bits, nonce;
    const char *hash;         /* display order */
} mainnet_block;

static const mainnet_block blocks[] = {
    {0, 1, "0000000000000000000000000000000000000000000000000000000000000000",
     "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", 1231006505, 0x1d00ffff,
     2083236893, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"},
    {1, 1, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
     "0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098", 1231469665, 0x1d00ffff,
     2573394689u, "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048"},
    {2, 1, "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048",
     "9b0fc92260312ce44e74ef369f5c66bbb85848f2eddd5a7a1cde251e54ccfdd5", 1231469744, 0x1d00ffff,
     1639830024, "000000006a625f06636b8bb6ac7b960a8d03705d1ace08b1a19da3fdcc99ddbd"},
    {125552, 1, "00000000000008a3a41b85b8b29ad444def299fee21793cd8b9e567eab02cd81",
     "2b12fcf1b09288fcaff797d71e950e71ae42b91e8bdb2304758dfcffc2b620e3", 1305998791, 0x1a44b9f2,
     2504433986u, "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d"},
};

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Display-order hex is the reverse of the bytes in the header. */
static void put_reversed(uint8_t *p, const char *display_hex)
{
    uint8_t bytes[32];
    test_unhex(display_hex, bytes, 32);
    for (int i = 0; i < 32; i++)
        p[i] = bytes[31 - i];
}

static void build_header(const mainnet_block *b, uint8_t header[80])
{
    put_le32(header, b->version);
    put_reversed(header + 4, b->prev);
    put_reversed(header + 36, b->merkle_root);
    put_le32(header + 68, b->time);
    put_le32(header + 72, b->bits);
    put_le32(header + 76, b->nonce);
}

static void check_block(const mainnet_block *b, int32_t k)
{
    uint8_t header[80], digest[32], expected[32], via_nonce[32];
    build_header(b, header);
    put_reversed(expected, b->hash);

    cnd_sha256d(header, 80, digest);
    CHECK(memcmp(digest, expected, 32) == 0, "block %d does not hash to its published hash", b->height);
    cnd_hash_nonce(header, 80, CND_MODE_BITCOIN, b->nonce, via_nonce);
    CHECK(memcmp(via_nonce, expected, 32) == 0, "block %d: cnd_hash_nonce differs", b->height);
    CHECK(cnd_is_golden(header, 80, CND_MODE_BITCOIN, 0, 0, digest) == 1, "block %d misses its target", b->height);
    /* Every main-chain target is below 2^224, so D = 32 accepts these blocks too. */
    CHECK(cnd_is_golden(header, 80, CND_MODE_BITCOIN, 32, 1, digest) == 1, "block %d under D=32", b->height);

    /* Zero the nonce field: the scan must not depend on it. */
    memset(header + 76, 0, 4);
    static const struct { uint32_t before, after; } spans[] = {{0, 0}, {0, 9000}, {9000, 0}, {20000, 21}, {37, 40000}};
    for (size_t s = 0; s < sizeof spans / sizeof spans[0]; s++) {
        cnd_scan_params p;
        memset(&p, 0, sizeof p);
        p.block = header;
        p.block_len = 80;
        p.mode = CND_MODE_BITCOIN;
        p.kernel = k;
        p.threads = 2;
        p.nonce_start = b->nonce - spans[s].before;
        p.nonce_end = b->nonce + spans[s].after;
        cnd_scan_result r;
        int32_t rc = cnd_scan(&p, &r);
        CHECK(rc == CND_STATUS_FOUND && r.nonce == b->nonce && memcmp(r.hash, expected, 32) == 0,
              "block %d, %s, range [%u, %u]: status %d nonce %u", b->height, cnd_kernel_name(k),
              p.nonce_start, p.nonce_end, rc, r.nonce);
    }
}

int main(int argc, char **argv)
{
    int32_t k = argc == 2 ? cnd_kernel_from_name(argv[1]) : -1;
    if (k < CND_KERNEL_SCALAR) {
        fprintf(stderr, "usage: test_bitcoin KERNEL (scalar, avx2, ...)\n");
        return 2;
    }
    if (!cnd_kernel_available(k)) {
        printf("SKIP %s: not built or not supported by this CPU\n", argv[1]);
        return TEST_SKIPPED;
    }
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        check_block(&blocks[i], k);
    printf("%zu main-chain blocks checked with %s\n", sizeof blocks / sizeof blocks[0], argv[1]);
    return test_finish("test_bitcoin");
}
