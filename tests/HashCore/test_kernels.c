/*
 * One SIMD kernel against the scalar reference, first at the kernel contract (raw
 * filter answers on random jobs and ranges), then through cnd_scan (found nonce, digest,
 * hash count) on random blocks, ranges and difficulties, and on every block length
 * 0..130. CTest runs it once per kernel the build compiles; a kernel this CPU lacks
 * exits TEST_SKIPPED.
 *
 * usage: test_kernels KERNEL [seed]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnd_impl.h"
#include "test_util.h"

/* Lengths 60..63 mod 64 (the nonce at or across the chunk boundary) come up often. */
static size_t random_block_len(uint64_t *seed)
{
    if (test_rand_below(seed, 3) == 0)
        return 64 * test_rand_below(seed, 3) + 60 + test_rand_below(seed, 4);
    return test_rand_below(seed, 201);
}

/* A range of the given length, often at the ends of the nonce space or unaligned. */
static void random_range(uint64_t *seed, uint32_t length, uint32_t *first, uint32_t *last)
{
    switch (test_rand_below(seed, 4)) {
    case 0: *first = 0xffffffffu - (length - 1); break;
    case 1: *first = test_rand_below(seed, 64); break;
    default: *first = (uint32_t)(test_rand(seed) % (UINT64_C(0x100000000) - length + 1)); break;
    }
    *last = *first + (length - 1);
}

static uint32_t random_length(uint64_t *seed, uint32_t max)
{
    switch (test_rand_below(seed, 4)) {
    case 0: return 1 + test_rand_below(seed, 40);                 /* shorter than a SIMD batch or two */
    case 1: return 16 * (1 + test_rand_below(seed, 64)) + test_rand_below(seed, 3) - 1;
    default: return 1 + test_rand_below(seed, max);
    }
}

static void contract(int32_t kernel, cnd_kernel_fn fn, uint64_t seed, int iterations)
{
    cnd_kernel_fn ref = cnd_kernel_function(CND_KERNEL_SCALAR);
    uint8_t block[200];
    for (int it = 0; it < iterations; it++) {
        int bitcoin = test_rand_below(&seed, 4) == 0;
        size_t len = bitcoin ? 80 : random_block_len(&seed);
        test_rand_bytes(&seed, block, len);
        cnd_rule rule;
        cnd_job job;
        cnd_rule_init(&rule, block, len, bitcoin ? CND_MODE_BITCOIN : CND_MODE_APPEND_BE, 0, 1);
        cnd_job_build(&job, block, len, &rule);
        /* From "every nonce passes" to "about one in 4096", and sometimes "none". */
        int strictness = (int)test_rand_below(&seed, 14);
        job.filter_max = strictness == 13 ? 0 : 0xffffffffu >> strictness;

        uint32_t first, last;
        random_range(&seed, random_length(&seed, 3000), &first, &last);
        uint32_t want = 0, got = 0;
        int want_found = ref(&job, first, last, &want);
        int got_found = fn(&job, first, last, &got);
        CHECK(want_found == got_found && (!want_found || want == got),
              "%s: block len %zu mode %s max %08x range [%u, %u]: scalar %d/%u, kernel %d/%u",
              cnd_kernel_name(kernel), len, bitcoin ? "bitcoin" : "append", job.filter_max, first,
              last, want_found, want, got_found, got);
        if (test_failure_count() > 20)
            return;
    }
}

static int32_t random_difficulty(uint64_t *seed)
{
    switch (test_rand_below(seed, 6)) {
    case 0: return 0;
    case 1: return 256;
    case 2: return 33 + (int32_t)test_rand_below(seed, 224);
    default: return (int32_t)test_rand_below(seed, 15);   /* many golden nonces */
    }
}

static void through_scan(int32_t kernel, uint64_t seed, int iterations)
{
    uint8_t block[200];
    for (int it = 0; it < iterations; it++) {
        cnd_scan_params p;
        memset(&p, 0, sizeof p);
        int bitcoin = test_rand_below(&seed, 4) == 0;
        p.block_len = bitcoin ? 80 : random_block_len(&seed);
        test_rand_bytes(&seed, block, p.block_len);
        p.block = block;
        p.mode = bitcoin ? CND_MODE_BITCOIN : CND_MODE_APPEND_BE;
        p.difficulty = random_difficulty(&seed);
        p.use_difficulty = 1;
        uint32_t first, last;
        random_range(&seed, random_length(&seed, 40000), &first, &last);
        p.nonce_start = first;
        p.nonce_end = last;
        p.threads = 1 + (int32_t)test_rand_below(&seed, 3);

        cnd_scan_result want, got;
        p.kernel = CND_KERNEL_SCALAR;
        cnd_scan(&p, &want);
        p.kernel = kernel;
        cnd_scan(&p, &got);
        int same = want.status == got.status && want.found == got.found &&
                   (!want.found || (want.nonce == got.nonce && memcmp(want.hash, got.hash, 32) == 0)) &&
                   want.next_nonce == got.next_nonce &&
                   (want.status != CND_STATUS_EXHAUSTED || want.hashes == got.hashes);
        CHECK(same && got.kernel == kernel,
              "%s: len %zu mode %s D=%d range [%u, %u]: scalar status %d nonce %u hashes %llu, "
              "kernel status %d nonce %u hashes %llu",
              cnd_kernel_name(kernel), p.block_len, bitcoin ? "bitcoin" : "append", p.difficulty,
              first, last, want.status, want.nonce, (unsigned long long)want.hashes, got.status,
              got.nonce, (unsigned long long)got.hashes);
        if (want.status == CND_STATUS_EXHAUSTED)
            CHECK(want.hashes == (uint64_t)last - first + 1, "exhausted scan counted %llu hashes",
                  (unsigned long long)want.hashes);
        if (test_failure_count() > 20)
            return;
    }
}

/*
 * Every appended-block length 0..130 (each nonce and padding layout mod 64, with and
 * without a midstate, and past two chunks) through cnd_scan, at difficulties low
 * enough that the range holds golden nonces, so each kernel's first hash, early exit
 * and candidate path all run against the scalar reference's answer.
 */
static void every_length(int32_t kernel, uint64_t seed)
{
    uint8_t block[130];
    for (size_t len = 0; len <= sizeof block; len++) {
        for (int32_t difficulty = 3; difficulty <= 7; difficulty += 4) {
            cnd_scan_params p;
            memset(&p, 0, sizeof p);
            test_rand_bytes(&seed, block, len);
            p.block = block;
            p.block_len = len;
            p.mode = CND_MODE_APPEND_BE;
            p.difficulty = difficulty;
            p.use_difficulty = 1;
            uint32_t first, last;
            random_range(&seed, 1000 + test_rand_below(&seed, 40), &first, &last);
            if (len % 64 >= 61) {
                /* The nonce straddles chunks: kernels reuse chunk 0 along a run of nonces
                 * sharing their high bits, so cross from one run into the next. */
                uint32_t run_bits = (uint32_t)(len % 4) * 8;
                first = (1 + test_rand_below(&seed, 200)) << run_bits;
                first -= 1 + test_rand_below(&seed, 600);
                last = first + 999;
            }
            p.nonce_start = first;
            p.nonce_end = last;
            p.threads = 1;

            cnd_scan_result want, got;
            p.kernel = CND_KERNEL_SCALAR;
            cnd_scan(&p, &want);
            p.kernel = kernel;
            cnd_scan(&p, &got);
            CHECK(want.found && got.found && want.nonce == got.nonce && memcmp(want.hash, got.hash, 32) == 0 &&
                      want.hashes == got.hashes && got.kernel == kernel,
                  "%s: len %zu D=%d range [%u, %u]: scalar found %d nonce %u hashes %llu, "
                  "kernel found %d nonce %u hashes %llu",
                  cnd_kernel_name(kernel), len, difficulty, first, last, want.found, want.nonce,
                  (unsigned long long)want.hashes, got.found, got.nonce, (unsigned long long)got.hashes);
            if (test_failure_count() > 20)
                return;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: test_kernels KERNEL [seed]\n");
        return 2;
    }
    int32_t k = cnd_kernel_from_name(argv[1]);
    if (k <= CND_KERNEL_SCALAR) {
        fprintf(stderr, "test_kernels: \"%s\" is not a SIMD kernel's name\n", argv[1]);
        return 2;
    }
    cnd_kernel_fn fn = cnd_kernel_function(k);
    if (fn == NULL) {
        printf("SKIP %s: not built or not supported by this CPU\n", argv[1]);
        return TEST_SKIPPED;
    }
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 20261125;
    printf("seed %llu\n", (unsigned long long)seed);
    double t0 = test_now();
    contract(k, fn, seed + (uint64_t)k, 600);
    through_scan(k, seed + 100 + (uint64_t)k, 150);
    every_length(k, seed + 200 + (uint64_t)k);
    printf("%s vs scalar: %.2f s\n", argv[1], test_now() - t0);
    return test_finish("test_kernels");
}
