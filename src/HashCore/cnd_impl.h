/*
 * Internal contract between the scan layer (cnd_scan.c) and the per-instruction-set
 * kernels (cnd_kernel_scalar.c, cnd_kernel_avx2.c, cnd_kernel_avx512.c, cnd_kernel_shani.c,
 * cnd_kernel_armv8.c, cnd_kernel_neon.c).
 *
 * cnd_scan.c turns (block, mode, difficulty) into a cnd_job once per scan: it compresses
 * every 64-byte chunk that holds no nonce byte into `midstate`, lays the rest of the
 * message (1 or 2 chunks, SHA-256 padding included, nonce bytes zero) into `chunk`,
 * and reduces the golden test to a filter on ONE word of the second digest. Kernels
 * only answer "which is the lowest nonce in [first, last] whose filter word passes";
 * cnd_scan.c re-checks every candidate with the portable code before believing it, so a
 * filter that lets through too much is slow, never wrong.
 */
#ifndef CND_IMPL_H
#define CND_IMPL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stddef.h>
#include "cndhash.h"

/* Internal to the library. A Windows DLL exports only what is marked dllexport (CND_API),
 * so there the marker is empty; an ELF library exports everything not marked hidden. */
#if defined(_WIN32)
#define CND_HIDDEN
#else
#define CND_HIDDEN __attribute__((visibility("hidden")))
#endif

typedef struct cnd_job {
    uint32_t midstate[8];   /* SHA-256 state after the nonce-free leading chunks */
    uint32_t chunk[2][16];  /* the remaining chunks as big-endian words, padded, nonce bytes = 0 */
    int32_t nchunks;        /* 1 or 2 (2 when the nonce or the length field spills over) */
    /*
     * Where the nonce goes. Let n' = nonce_le ? bswap32(nonce) : nonce, and let
     * W be chunk[0] followed by chunk[1] as one array of 32 words. Then
     *     W[nonce_word]     |= n' >> nonce_shift;
     *     W[nonce_word + 1] |= n' << (32 - nonce_shift);   only when nonce_shift != 0
     * nonce_shift is 0, 8, 16 or 24. nonce_word + 1 may be 16: the nonce straddles
     * the chunk boundary (then nchunks == 2 and chunk 0 is nonce-dependent too).
     */
    int32_t nonce_word;
    int32_t nonce_shift;
    int32_t nonce_le;
    /*
     * When nchunks == 2 and chunk 1 holds no nonce bit (the padding spilled over,
     * block length 52..60 mod 64), its whole message schedule is constant:
     * padding_kw[i] = K[i] + W[i] for its 64 rounds, made once per scan, and
     * padding_constant is 1. Otherwise padding_constant is 0 and padding_kw unused.
     */
    int32_t padding_constant;
    uint32_t padding_kw[64];
    /*
     * Nonzero when the nonce straddles into chunk 1 as a big-endian number: chunk 0
     * then holds only nonce >> run_shift, so the state after it is the same for a
     * whole run of 2^run_shift nonces and a kernel may make it once per run
     * (cnd_job_nonce_chunk_state) and compress only chunk 1 per nonce.
     */
    int32_t run_shift;
    /*
     * Filter on the second digest's state words h[0..7] (after the feed-forward
     * addition, i.e. the big-endian words of the digest bytes):
     *     v = filter_bswap ? bswap32(h[filter_word]) : h[filter_word];
     *     candidate when v <= filter_max
     * APPEND_BE uses word 0 unswapped; BITCOIN uses word 7 byte-swapped.
     */
    int32_t filter_word;
    int32_t filter_bswap;
    uint32_t filter_max;
} cnd_job;

/*
 * A kernel: find the lowest nonce in [first, last] (inclusive; any values with
 * first <= last, including last == 0xFFFFFFFF) whose filter passes. Returns 1 and
 * stores it in *candidate, or returns 0 when no nonce in the range passes.
 * Must not read or write outside its arguments; must be thread-safe (no globals).
 */
typedef int (*cnd_kernel_fn)(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate);

CND_HIDDEN int cnd_kernel_scalar(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate);
CND_HIDDEN int cnd_kernel_avx2(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate);
CND_HIDDEN int cnd_kernel_avx512(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate);
CND_HIDDEN int cnd_kernel_shani(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate);
CND_HIDDEN int cnd_kernel_armv8(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate);
CND_HIDDEN int cnd_kernel_neon(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate);

/* A batch starting at nonce `batch_start` had the lanes in the `lanes` mask pass the filter: the
 * lowest is the candidate, unless it lies past `last` (the batch ran over the range's end). */
static inline int cnd_take_lowest_lane(uint64_t batch_start, unsigned lanes, uint32_t last, uint32_t *candidate)
{
    uint64_t hit = batch_start + (uint64_t)__builtin_ctz(lanes);
    if (hit > last)
        return 0;
    *candidate = (uint32_t)hit;
    return 1;
}

/* A kernel that compiles a chunk's rounds once per word the nonce may start at (AVX2, NEON) makes
 * one copy with M(P) for each word P, and lists them, `name`_0 .. `name`_15, in a table by word. */
#define CND_EACH_CHUNK_WORD(M)                                                                    \
    M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#define CND_CHUNK_WORD_TABLE(name)                                                                \
    { name##_0, name##_1, name##_2, name##_3, name##_4, name##_5, name##_6, name##_7,             \
      name##_8, name##_9, name##_10, name##_11, name##_12, name##_13, name##_14, name##_15 }

/*
 * The entry point of a kernel that compiles its scan once per (layout, tail) pair, so that neither
 * is tested inside the loop (SHA-NI, ARMv8, NEON). The kernel file defines `plan` (with a `tail` member,
 * 0 for TAIL0 and 1 for TAIL1), `enum layout { ONE_CHUNK, TWO_CHUNKS, TWO_CHUNKS_PADDING, ... }`,
 * scan(const plan *, first, last, candidate, layout, tail) and PREPARE(plan *, const cnd_job *).
 */
#define CND_SCAN_COPY(name, layout, tail)                                                        \
    static __attribute__((noinline)) int name(const plan *p, uint32_t first, uint32_t last,      \
                                              uint32_t *candidate)                               \
    {                                                                                            \
        return scan(p, first, last, candidate, layout, tail);                                    \
    }
#define CND_KERNEL_OF_SCAN_COPIES(name, prepare, tail0, tail1)                                   \
    CND_SCAN_COPY(name##_one_chunk_0, ONE_CHUNK, tail0)                                          \
    CND_SCAN_COPY(name##_one_chunk_1, ONE_CHUNK, tail1)                                          \
    CND_SCAN_COPY(name##_two_chunks_0, TWO_CHUNKS, tail0)                                        \
    CND_SCAN_COPY(name##_two_chunks_1, TWO_CHUNKS, tail1)                                        \
    CND_SCAN_COPY(name##_padding_0, TWO_CHUNKS_PADDING, tail0)                                   \
    CND_SCAN_COPY(name##_padding_1, TWO_CHUNKS_PADDING, tail1)                                   \
    int name(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)             \
    {                                                                                            \
        static int (*const copies[3][2])(const plan *, uint32_t, uint32_t, uint32_t *) = {       \
            [ONE_CHUNK] = {name##_one_chunk_0, name##_one_chunk_1},                              \
            [TWO_CHUNKS] = {name##_two_chunks_0, name##_two_chunks_1},                           \
            [TWO_CHUNKS_PADDING] = {name##_padding_0, name##_padding_1},                         \
        };                                                                                       \
        plan p;                                                                                  \
        prepare(&p, job);                                                                        \
        enum layout layout = job->nchunks == 1          ? ONE_CHUNK                              \
                             : job->padding_constant ? TWO_CHUNKS_PADDING                       \
                                                     : TWO_CHUNKS;                               \
        return copies[layout][p.tail](&p, first, last, candidate);                              \
    }

/* cnd_dispatch.c: the CPU asked once; NULL when the kernel is not built or the CPU lacks it. */
CND_HIDDEN cnd_kernel_fn cnd_kernel_function(int32_t kernel);
/* The choice apart from the CPU it runs on, so a test can ask about another CPU: what "auto"
 * means given which kernels a CPU has (cpu_has: CND_KERNEL_COUNT flags) and the CND_KERNEL
 * setting (may be NULL): that kernel when it is usable, else the fastest usable one. */
CND_HIDDEN int32_t cnd_choose_kernel(const int cpu_has[], const char *forced_name);
#if defined(__aarch64__)
/* Sets the flags of the kernels an AArch64 CPU can run, from its getauxval(AT_HWCAP) bits. */
CND_HIDDEN void cnd_kernels_from_hwcap(unsigned long hwcap, int has[]);
#endif
/* One past the last kernel id; internal, so callers of the library walk cnd_kernel_name until NULL
 * and a new kernel never changes the public header's constants. */
#define CND_KERNEL_COUNT (CND_KERNEL_NEON + 1)

/* Portable SHA-256 pieces (cnd_sha256.c), shared by cnd_scan.c, the plan builders and the reference kernel. */
CND_HIDDEN void cnd_sha256_compress(uint32_t state[8], const uint32_t w[16]);
/* The 64 message-schedule words of a chunk. */
CND_HIDDEN void cnd_sha256_schedule(const uint32_t w[16], uint32_t schedule[64]);
CND_HIDDEN void cnd_job_message(const cnd_job *job, uint32_t nonce, uint32_t w[32]);
CND_HIDDEN void cnd_job_digest(const cnd_job *job, uint32_t nonce, uint32_t h[8]);
/* The chaining value after chunk 0 of the nonce's message (feed-forward included). */
CND_HIDDEN void cnd_job_nonce_chunk_state(const cnd_job *job, uint32_t nonce, uint32_t state[8]);
/* Whether nonces first..first + count - 1 (no wrap) share one run of job->run_shift. */
static inline int cnd_job_same_run(const cnd_job *job, uint32_t first, uint32_t count)
{
    uint32_t last = first + (count - 1);
    return job->run_shift != 0 && last >= first && first >> job->run_shift == last >> job->run_shift;
}

/*
 * For the 128-bit kernels' byte shuffles (pshufb, tbl): adds to a shuffle control the moves
 * that put the nonce bytes belonging to message word `word` (0..31 over both chunks) into
 * 32-bit `lane`, as that word's bits, and returns how many there are. The nonce sits in lane
 * 0 of the source as a number; a word's big-endian byte i is its lane's byte 3 - i (both ISAs
 * are little-endian). Start from a control of 0x80 bytes, which both instructions read as zero.
 */
static inline int cnd_place_nonce_word(uint8_t ctl[16], const cnd_job *job, int word, int lane)
{
    int first_byte = 4 * job->nonce_word + job->nonce_shift / 8;
    int placed = 0;
    for (int i = 0; i < 4; i++) {
        int at = first_byte + i; /* message byte holding the nonce's i-th byte */
        if (at / 4 == word) {
            ctl[4 * lane + 3 - at % 4] = (uint8_t)(job->nonce_le ? i : 3 - i);
            placed++;
        }
    }
    return placed;
}

/* A kernel's cache of the chunk-0 state of the run it is scanning. Start it zeroed. */
typedef struct cnd_run {
    int known;
    uint32_t run;           /* nonce >> job->run_shift */
    uint32_t state[8];      /* cnd_job_nonce_chunk_state of that run */
} cnd_run;

/* Makes run->state the one for nonce's run; returns 1 when it changed. */
static inline int cnd_run_enter(cnd_run *run, const cnd_job *job, uint32_t nonce)
{
    uint32_t which = nonce >> job->run_shift;
    if (run->known && run->run == which)
        return 0;
    cnd_job_nonce_chunk_state(job, nonce, run->state);
    run->run = which;
    run->known = 1;
    return 1;
}

/* Streaming SHA-256 (cnd_sha256.c): the one-shot helpers and the midstate use it. */
typedef struct cnd_sha256_ctx {
    uint32_t state[8];
    uint64_t total;         /* bytes fed so far */
    uint8_t buf[64];
    size_t used;            /* bytes waiting in buf */
} cnd_sha256_ctx;
CND_HIDDEN void cnd_sha256_init(cnd_sha256_ctx *ctx);
CND_HIDDEN void cnd_sha256_update(cnd_sha256_ctx *ctx, const uint8_t *data, size_t len);
CND_HIDDEN void cnd_sha256_final(cnd_sha256_ctx *ctx, uint8_t out[32]);
/* Big-endian conversion between bytes and 32-bit words (4 * nwords bytes). */
CND_HIDDEN void cnd_words_from_bytes(const uint8_t *bytes, uint32_t *words, size_t nwords);
CND_HIDDEN void cnd_bytes_from_words(const uint32_t *words, uint8_t *bytes, size_t nwords);

/*
 * The full golden rule of a scan (cnd_job.c). The job's filter is only a necessary
 * condition; cnd_rule_golden is the exact test every candidate must pass.
 */
typedef struct cnd_rule {
    int32_t mode;           /* cnd_mode */
    int32_t difficulty;     /* APPEND_BE: leading zero bits required */
    uint8_t target[32];     /* BITCOIN: the target, most significant byte first */
} cnd_rule;

/* Validates the arguments (CND_ERR_INVALID_ARGUMENT) and returns 0 on success. */
CND_HIDDEN int32_t cnd_rule_init(cnd_rule *rule, const uint8_t *block, size_t block_len,
                                 int32_t mode, int32_t difficulty, int32_t use_difficulty);
CND_HIDDEN int cnd_rule_golden(const cnd_rule *rule, const uint8_t digest[32]);
/* The job for a block under a rule made by cnd_rule_init from the same block. */
CND_HIDDEN void cnd_job_build(cnd_job *job, const uint8_t *block, size_t block_len, const cnd_rule *rule);

/*
 * The operating system (cnd_platform.c, one Windows and one POSIX branch). Times are in
 * seconds; cnd_online_cores (public) lives there too.
 */
CND_HIDDEN double cnd_monotonic_seconds(void);
CND_HIDDEN double cnd_process_cpu_seconds(void);

typedef struct cnd_thread cnd_thread;
/* Runs main(arg) on a new thread; NULL when the thread cannot be made. */
CND_HIDDEN cnd_thread *cnd_thread_start(void (*main)(void *), void *arg);
/* Waits for the thread to end and frees it. */
CND_HIDDEN void cnd_thread_join(cnd_thread *thread);

/* A lock with one condition variable. */
typedef struct cnd_monitor cnd_monitor;
CND_HIDDEN cnd_monitor *cnd_monitor_create(void);   /* NULL on failure */
CND_HIDDEN void cnd_monitor_destroy(cnd_monitor *monitor);
CND_HIDDEN void cnd_monitor_lock(cnd_monitor *monitor);
CND_HIDDEN void cnd_monitor_unlock(cnd_monitor *monitor);
CND_HIDDEN void cnd_monitor_broadcast(cnd_monitor *monitor);
/* With the lock held: releases it until a broadcast or until cnd_monotonic_seconds() reaches
 * deadline (<= 0: no deadline), then takes it again. May return early: callers re-check. */
CND_HIDDEN void cnd_monitor_wait(cnd_monitor *monitor, double deadline);

typedef struct cnd_once {
    atomic_int state;
} cnd_once;
#define CND_ONCE_INIT {0}
/* Runs init exactly once per cnd_once; every caller returns after it has finished. */
CND_HIDDEN void cnd_call_once(cnd_once *once, void (*init)(void));

static inline uint32_t cnd_bswap32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint32_t cnd_rotr32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* The scalar SHA-256 functions (FIPS 180-4, 4.1.2), once for the portable code and the
 * kernels' per-call plan builders. */
static inline uint32_t cnd_big_sigma0(uint32_t x) { return cnd_rotr32(x, 2) ^ cnd_rotr32(x, 13) ^ cnd_rotr32(x, 22); }
static inline uint32_t cnd_big_sigma1(uint32_t x) { return cnd_rotr32(x, 6) ^ cnd_rotr32(x, 11) ^ cnd_rotr32(x, 25); }
static inline uint32_t cnd_small_sigma0(uint32_t x) { return cnd_rotr32(x, 7) ^ cnd_rotr32(x, 18) ^ (x >> 3); }
static inline uint32_t cnd_small_sigma1(uint32_t x) { return cnd_rotr32(x, 17) ^ cnd_rotr32(x, 19) ^ (x >> 10); }
static inline uint32_t cnd_choose(uint32_t e, uint32_t f, uint32_t g) { return (e & f) ^ (~e & g); }
static inline uint32_t cnd_majority(uint32_t a, uint32_t b, uint32_t c) { return (a & b) ^ (a & c) ^ (b & c); }

/* One round on the working variables a..h = s[0..7], with kw = K[t] + W[t]. */
static inline void cnd_sha256_round(uint32_t s[8], uint32_t kw)
{
    uint32_t t1 = s[7] + cnd_big_sigma1(s[4]) + cnd_choose(s[4], s[5], s[6]) + kw;
    uint32_t t2 = cnd_big_sigma0(s[0]) + cnd_majority(s[0], s[1], s[2]);
    for (int i = 7; i > 0; i--)
        s[i] = s[i - 1];
    s[4] += t1;
    s[0] = t1 + t2;
}

static const uint32_t CND_SHA256_IV[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

static const uint32_t CND_SHA256_K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

#endif /* CND_IMPL_H */
