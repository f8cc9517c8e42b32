/*
 * The golden rule: leading-zero counting, nBits and difficulty targets, the exact
 * test, and the job's one-word filter (necessary always, exact for append D <= 32).
 */
#include <string.h>

#include "cnd_impl.h"
#include "test_util.h"

static void leading_zero_bits(void)
{
    uint8_t d[32];
    memset(d, 0, 32);
    CHECK(cnd_leading_zero_bits(d) == 256, "all zero");
    for (int bit = 0; bit < 256; bit++) {
        memset(d, 0, 32);
        d[bit / 8] = (uint8_t)(0x80 >> (bit % 8));
        d[31] |= 1;   /* lower set bits must not matter */
        CHECK(cnd_leading_zero_bits(d) == bit, "single bit at %d gives %d", bit, cnd_leading_zero_bits(d));
    }
}

static void header_with_bits(uint8_t header[80], uint32_t bits)
{
    memset(header, 0, 80);
    for (int i = 0; i < 4; i++)
        header[72 + i] = (uint8_t)(bits >> (8 * i));
}

static void expect_target(uint32_t bits, const char *expected_hex)
{
    uint8_t header[80], want[32];
    cnd_rule rule;
    header_with_bits(header, bits);
    test_unhex(expected_hex, want, 32);
    CHECK(cnd_rule_init(&rule, header, 80, CND_MODE_BITCOIN, 0, 0) == 0, "nBits %08x rejected", bits);
    char got[65];
    test_hex(rule.target, 32, got);
    CHECK(memcmp(rule.target, want, 32) == 0, "nBits %08x: target %s, want %s", bits, got, expected_hex);
}

static void targets(void)
{
    expect_target(0x1d00ffff, "00000000ffff0000000000000000000000000000000000000000000000000000");
    expect_target(0x1a44b9f2, "00000000000044b9f20000000000000000000000000000000000000000000000");
    expect_target(0x03123456, "0000000000000000000000000000000000000000000000000000000000123456");
    expect_target(0x02123456, "0000000000000000000000000000000000000000000000000000000000001234");
    expect_target(0x01123456, "0000000000000000000000000000000000000000000000000000000000000012");
    expect_target(0x00123456, "0000000000000000000000000000000000000000000000000000000000000000");
    expect_target(0x207fffff, "7fffff0000000000000000000000000000000000000000000000000000000000");
    expect_target(0x22000001, "0100000000000000000000000000000000000000000000000000000000000000");
    expect_target(0x04800000, "0000000000000000000000000000000000000000000000000000000000000000");

    uint8_t header[80];
    cnd_rule rule;
    static const uint32_t invalid[] = {0x04923456, 0x01800001, 0x23000001, 0x21010000, 0xff000001};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        header_with_bits(header, invalid[i]);
        CHECK(cnd_rule_init(&rule, header, 80, CND_MODE_BITCOIN, 0, 0) == CND_ERR_INVALID_ARGUMENT,
              "nBits %08x accepted", invalid[i]);
    }

    /* With use_difficulty: 2^(256-D) - 1. */
    for (int d = 0; d <= 256; d++) {
        CHECK(cnd_rule_init(&rule, header, 80, CND_MODE_BITCOIN, d, 1) == 0, "difficulty %d", d);
        int zeros = 0;
        while (zeros < 256 && !(rule.target[zeros / 8] & (0x80 >> (zeros % 8))))
            zeros++;
        CHECK(zeros == d, "difficulty %d: target has %d leading zeros", d, zeros);
        int ones = 1;
        for (int b = zeros; b < 256; b++)
            ones &= (rule.target[b / 8] >> (7 - b % 8)) & 1;
        CHECK(ones, "difficulty %d: target is not all ones after the zeros", d);
    }
}

static void invalid_arguments(void)
{
    uint8_t block[80] = {0};
    cnd_rule rule;
    CHECK(cnd_rule_init(&rule, block, 10, CND_MODE_APPEND_BE, -1, 0) < 0, "D = -1");
    CHECK(cnd_rule_init(&rule, block, 10, CND_MODE_APPEND_BE, 257, 0) < 0, "D = 257");
    CHECK(cnd_rule_init(&rule, block, 79, CND_MODE_BITCOIN, 0, 1) < 0, "79-byte header");
    CHECK(cnd_rule_init(&rule, block, 81, CND_MODE_BITCOIN, 0, 1) < 0, "81-byte header");
    CHECK(cnd_rule_init(&rule, block, 80, CND_MODE_BITCOIN, 257, 1) < 0, "header with D = 257");
    CHECK(cnd_rule_init(&rule, block, 80, 2, 0, 0) < 0, "mode 2");
    CHECK(cnd_rule_init(&rule, NULL, 1, CND_MODE_APPEND_BE, 0, 0) < 0, "NULL block with a length");
    CHECK(cnd_rule_init(&rule, NULL, 0, CND_MODE_APPEND_BE, 0, 0) == 0, "NULL empty block");
    uint8_t digest[32] = {0};
    CHECK(cnd_is_golden(block, 79, CND_MODE_BITCOIN, 0, 1, digest) == CND_ERR_INVALID_ARGUMENT,
          "cnd_is_golden passes errors on");
}

/* A little-endian digest equal to the target is golden; one more is not. */
static void bitcoin_boundary(void)
{
    uint8_t header[80], digest[32];
    header_with_bits(header, 0x1d00ffff);
    memset(digest, 0, 32);
    digest[27] = 0xff;   /* as a little-endian number: 0x00000000ffff00...00, the target */
    digest[26] = 0xff;
    CHECK(cnd_is_golden(header, 80, CND_MODE_BITCOIN, 0, 0, digest) == 1, "digest == target");
    digest[0] = 1;
    CHECK(cnd_is_golden(header, 80, CND_MODE_BITCOIN, 0, 0, digest) == 0, "digest == target + 1");
    digest[0] = 0;
    digest[26] = 0xfe;
    digest[25] = 0xff;
    CHECK(cnd_is_golden(header, 80, CND_MODE_BITCOIN, 0, 0, digest) == 1, "digest just below target");
    digest[31] = 1;
    CHECK(cnd_is_golden(header, 80, CND_MODE_BITCOIN, 0, 0, digest) == 0, "top byte set");
}

static int filter_passes(const cnd_job *job, const uint8_t digest[32])
{
    uint32_t h[8];
    cnd_words_from_bytes(digest, h, 8);
    uint32_t v = job->filter_bswap ? cnd_bswap32(h[job->filter_word]) : h[job->filter_word];
    return v <= job->filter_max;
}

/* Random digests skewed toward the boundary: the filter never rejects a golden digest. */
static void filter_is_necessary(void)
{
    uint64_t seed = 17;
    uint8_t block[80];
    for (int iter = 0; iter < 200000; iter++) {
        int bitcoin = iter & 1;
        int d = (int)test_rand_below(&seed, 257);
        uint8_t digest[32];
        test_rand_bytes(&seed, digest, 32);
        int zero_bits = (int)test_rand_below(&seed, 64);
        /* Clear the number's top bits: its first bytes (append) or last bytes (bitcoin). */
        for (int b = 0; b < zero_bits; b++)
            digest[bitcoin ? 31 - b / 8 : b / 8] &= (uint8_t)~(0x80 >> (b % 8));
        test_rand_bytes(&seed, block, 80);
        cnd_rule rule;
        cnd_job job;
        int use_difficulty = !bitcoin || (iter & 2);
        if (cnd_rule_init(&rule, block, 80, bitcoin ? CND_MODE_BITCOIN : CND_MODE_APPEND_BE, d,
                          use_difficulty) != 0)
            continue;   /* a random nBits may be invalid */
        cnd_job_build(&job, block, 80, &rule);
        if (bitcoin && (iter & 4)) {
            /* The digest sits on the target, give or take one byte below the top word. */
            for (int i = 0; i < 32; i++)
                digest[31 - i] = rule.target[i];
            int at = 31 - 4 - (int)test_rand_below(&seed, 28);
            digest[at] = (uint8_t)(digest[at] + (iter & 8 ? 1 : -1));
        }
        int golden = cnd_rule_golden(&rule, digest);
        int passes = filter_passes(&job, digest);
        CHECK(!golden || passes, "iteration %d: golden digest rejected by the filter", iter);
        if (!bitcoin && d <= 32)
            CHECK(golden == passes, "iteration %d: append D=%d filter should be exact", iter, d);
    }
}

static void filter_values(void)
{
    static const struct { int d; uint32_t max; } expected[] = {
        {0, 0xffffffffu}, {1, 0x7fffffffu}, {8, 0x00ffffffu}, {31, 1}, {32, 0}, {33, 0}, {256, 0},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        cnd_rule rule;
        cnd_job job;
        cnd_rule_init(&rule, NULL, 0, CND_MODE_APPEND_BE, expected[i].d, 0);
        cnd_job_build(&job, NULL, 0, &rule);
        CHECK(job.filter_word == 0 && !job.filter_bswap && job.filter_max == expected[i].max,
              "D=%d: filter word %d bswap %d max %08x", expected[i].d, job.filter_word,
              job.filter_bswap, job.filter_max);
    }
    uint8_t header[80];
    header_with_bits(header, 0x1d00ffff);
    cnd_rule rule;
    cnd_job job;
    cnd_rule_init(&rule, header, 80, CND_MODE_BITCOIN, 0, 0);
    cnd_job_build(&job, header, 80, &rule);
    CHECK(job.filter_word == 7 && job.filter_bswap && job.filter_max == 0 && job.nonce_le &&
              job.nonce_word == 3 && job.nonce_shift == 0 && job.nchunks == 1,
          "bitcoin job: word %d bswap %d max %08x", job.filter_word, job.filter_bswap, job.filter_max);
}

int main(void)
{
    leading_zero_bits();
    targets();
    invalid_arguments();
    bitcoin_boundary();
    filter_values();
    filter_is_necessary();
    return test_finish("test_rule");
}
