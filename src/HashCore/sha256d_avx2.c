/*
 * AVX2 kernel: eight nonces per 256-bit register, one nonce per 32-bit lane.
 *
 * A batch costs two SHA-256 compressions (three when the message tail spans two
 * chunks), so the speed comes from leaving out the work that does not depend on the
 * nonce:
 *  - Per call ("prep"): the rounds before the first nonce-bearing word, the nonce
 *    word's own round less its nonce term, and the nonce-free part of every message
 *    schedule word, all broadcast once into vectors.
 *  - The first chunk is compiled once per position of that word (16 variants), so
 *    each variant computes exactly the schedule terms that carry nonce bits and
 *    adds the precomputed rest as one vector.
 *  - The second hash's IV and padding words are compile-time constants the compiler
 *    folds, and its rounds are cut back to what the filter word needs (word 7 is
 *    final four rounds before the end).
 *  - When the nonce's high bits sit alone in one word (big-endian, shift >= 16), that
 *    word is constant over runs of 2^shift nonces: the run gets its own prep and the
 *    nonce effectively starts one word later.
 * AVX2 has no rotate: a rotation is two shifts, and Sigma functions XOR six shifted
 * copies directly (no OR needed).
 */
#include <immintrin.h>

#include "cnd_impl.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

typedef uint32_t v8 __attribute__((vector_size(32)));

enum { LANES = 8, CHUNK_WORDS = 16 };

static ALWAYS_INLINE v8 splat(uint32_t x) { return (v8){x, x, x, x, x, x, x, x}; }

static ALWAYS_INLINE v8 bsig0(v8 x) { return (x >> 2 ^ x << 30) ^ (x >> 13 ^ x << 19) ^ (x >> 22 ^ x << 10); }
static ALWAYS_INLINE v8 bsig1(v8 x) { return (x >> 6 ^ x << 26) ^ (x >> 11 ^ x << 21) ^ (x >> 25 ^ x << 7); }
static ALWAYS_INLINE v8 ssig0(v8 x) { return (x >> 7 ^ x << 25) ^ (x >> 18 ^ x << 14) ^ x >> 3; }
static ALWAYS_INLINE v8 ssig1(v8 x) { return (x >> 17 ^ x << 15) ^ (x >> 19 ^ x << 13) ^ x >> 10; }
static ALWAYS_INLINE v8 ch(v8 e, v8 f, v8 g) { return g ^ (e & (f ^ g)); }
/* b ^ c here is the previous round's a ^ b, which the compiler reuses. */
static ALWAYS_INLINE v8 maj(v8 a, v8 b, v8 c) { return b ^ ((a ^ b) & (b ^ c)); }

/* One round: the new a lands in h's variable and the new e in d's, so callers rotate
 * the names instead of moving eight registers. kw is K[r] + W[r]. */
#define ROUND(a, b, c, d, e, f, g, h, kw)                      \
    do {                                                       \
        v8 t1_ = (h) + (kw) + ch(e, f, g) + bsig1(e);          \
        v8 t2_ = bsig0(a) + maj(a, b, c);                      \
        (d) += t1_;                                            \
        (h) = t1_ + t2_;                                       \
    } while (0)

/* Round r sees state word k in s[(k - r) & 7]; after 64 rounds s0..s7 are a..h again. */
#define ROUNDS_8(RND, r)                          \
    RND((r) + 0, s0, s1, s2, s3, s4, s5, s6, s7)  \
    RND((r) + 1, s7, s0, s1, s2, s3, s4, s5, s6)  \
    RND((r) + 2, s6, s7, s0, s1, s2, s3, s4, s5)  \
    RND((r) + 3, s5, s6, s7, s0, s1, s2, s3, s4)  \
    RND((r) + 4, s4, s5, s6, s7, s0, s1, s2, s3)  \
    RND((r) + 5, s3, s4, s5, s6, s7, s0, s1, s2)  \
    RND((r) + 6, s2, s3, s4, s5, s6, s7, s0, s1)  \
    RND((r) + 7, s1, s2, s3, s4, s5, s6, s7, s0)
#define ROUNDS_64(RND)                                                     \
    ROUNDS_8(RND, 0) ROUNDS_8(RND, 8) ROUNDS_8(RND, 16) ROUNDS_8(RND, 24)  \
    ROUNDS_8(RND, 32) ROUNDS_8(RND, 40) ROUNDS_8(RND, 48) ROUNDS_8(RND, 56)

#define SCHEDULE(w, r) (ssig1((w)[(r) - 2]) + (w)[(r) - 7] + ssig0((w)[(r) - 15]) + (w)[(r) - 16])

/* A full compression with feed-forward. Inlined with constant words, the compiler
 * folds everything they touch; the rounds after the last one whose output the caller
 * reads disappear as dead code. */
static ALWAYS_INLINE void compress(v8 st[8], const v8 in[CHUNK_WORDS])
{
    v8 w[64];
    for (int i = 0; i < CHUNK_WORDS; i++)
        w[i] = in[i];
    v8 s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3], s4 = st[4], s5 = st[5], s6 = st[6], s7 = st[7];
#define COMPRESS_RND(r, a, b, c, d, e, f, g, h)            \
    if ((r) >= CHUNK_WORDS)                                \
        w[r] = SCHEDULE(w, r);                             \
    ROUND(a, b, c, d, e, f, g, h, w[r] + CND_SHA256_K[r]);
    ROUNDS_64(COMPRESS_RND)
#undef COMPRESS_RND
    st[0] += s0; st[1] += s1; st[2] += s2; st[3] += s3;
    st[4] += s4; st[5] += s5; st[6] += s6; st[7] += s7;
}

/* Out of line for the rare second nonce-bearing chunk and for prep. */
static __attribute__((noinline)) void compress_chunk(v8 st[8], const v8 in[CHUNK_WORDS])
{
    compress(st, in);
}

/* SHA-256 of the 32-byte first digest: only its first eight words vary. */
static ALWAYS_INLINE void second_hash(const v8 digest[8], v8 out[8])
{
    const v8 w[CHUNK_WORDS] = {
        digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
        splat(0x80000000u), splat(0), splat(0), splat(0), splat(0), splat(0), splat(0), splat(256),
    };
    for (int k = 0; k < 8; k++)
        out[k] = splat(CND_SHA256_IV[k]);
    compress(out, w);
}

/*
 * Which message words of the nonce chunk carry nonce bits, for nonce words p and p+1
 * (p+1 only inside the chunk). A schedule word W[j] depends on the nonce when one of
 * W[j-2], W[j-7], W[j-15], W[j-16] does; from the first such j on, every word is
 * treated as nonce-dependent (each j and j+1 then has W[j-2] or W[j-7] dependent, but
 * for p = 15 a few are not: those just get a nonce part of zero, folded away).
 */
static ALWAYS_INLINE int first_dependent_schedule_word(int p)
{
    int j = p + 16;                                    /* W[j-16] = W[p] */
    if (p >= 1) j = p + 15;                            /* W[j-15] = W[p] */
    if (p + 7 >= 16 && p + 7 < j) j = p + 7;           /* W[j-7] = W[p] */
    if (p + 1 < 16 && p + 8 >= 16 && p + 8 < j) j = p + 8;
    if (p + 2 >= 16 && p + 2 < j) j = p + 2;           /* W[j-2] = W[p] */
    if (p + 1 < 16 && p + 3 >= 16 && p + 3 < j) j = p + 3;
    return j;
}

static ALWAYS_INLINE int nonce_dependent(int j, int p)
{
    if (j < CHUNK_WORDS)
        return j == p || j == p + 1;
    return j >= first_dependent_schedule_word(p);
}

/*
 * Everything about one run of nonces that is the same for all of them. The nonce
 * chunk is chunk (p_abs / 16) of the job; `init` already includes any chunk before it.
 */
typedef struct prep {
    v8 init[8];                 /* chaining value entering the nonce chunk */
    v8 st[8];                   /* state before round p */
    v8 round_a, round_e;        /* round p's new a and e, less the nonce word's nonce part */
    v8 cw[64];                  /* nonce-free part of each message word of the nonce chunk */
    v8 kw[64];                  /* K[r] + cw[r] */
    v8 next_chunk[CHUNK_WORDS]; /* the chunk after it, when the message has one */
    __m256i nonce_order;        /* vpshufb mask: identity, or byte swap for little-endian nonces */
    __m128i a_left, a_right;    /* nonce part of word p: (n' << a_left) >> a_right */
    __m128i b_left;             /* nonce part of word p+1: n' << b_left (32: none) */
    int p;
    int has_next_chunk;
} prep;

/* The sum of the terms of W[r] that carry nonce bits; the rest is in cw[r]. */
static ALWAYS_INLINE v8 dependent_terms(const v8 *w, int r, int p)
{
    v8 x = splat(0);
    if (nonce_dependent(r - 2, p)) x += ssig1(w[r - 2]);
    if (nonce_dependent(r - 7, p)) x += w[r - 7];
    if (nonce_dependent(r - 15, p)) x += ssig0(w[r - 15]);
    if (nonce_dependent(r - 16, p)) x += w[r - 16];
    return x;
}

/* The nonce chunk for eight nonces whose parts of words p and p+1 are na and nb;
 * writes the chaining value after the chunk. P is a compile-time constant. */
static ALWAYS_INLINE void nonce_chunk(const prep *pp, v8 na, v8 nb, v8 out[8], const int P)
{
    v8 w[64];
    w[P] = pp->cw[P] + na;
    if (P + 1 < CHUNK_WORDS)
        w[P + 1] = pp->cw[P + 1] + nb;
    v8 s0 = pp->st[P & 7], s1 = pp->st[(P + 1) & 7], s2 = pp->st[(P + 2) & 7], s3 = pp->st[(P + 3) & 7];
    v8 s4 = pp->st[(P + 4) & 7], s5 = pp->st[(P + 5) & 7], s6 = pp->st[(P + 6) & 7], s7 = pp->st[(P + 7) & 7];
#define NONCE_RND(r, a, b, c, d, e, f, g, h)                                  \
    if ((r) == P) {                                                           \
        h = pp->round_a + na;                                                 \
        d = pp->round_e + na;                                                 \
    } else if ((r) > P) {                                                     \
        v8 kw_ = pp->kw[r];                                                   \
        if ((r) >= CHUNK_WORDS && nonce_dependent(r, P)) {                    \
            v8 x_ = dependent_terms(w, r, P);                                 \
            w[r] = pp->cw[r] + x_;                                            \
            kw_ += x_;                                                        \
        } else if ((r) == P + 1 && (r) < CHUNK_WORDS) {                       \
            kw_ += nb;                                                        \
        }                                                                     \
        ROUND(a, b, c, d, e, f, g, h, kw_);                                   \
    }
    ROUNDS_64(NONCE_RND)
#undef NONCE_RND
    out[0] = s0 + pp->init[0]; out[1] = s1 + pp->init[1];
    out[2] = s2 + pp->init[2]; out[3] = s3 + pp->init[3];
    out[4] = s4 + pp->init[4]; out[5] = s5 + pp->init[5];
    out[6] = s6 + pp->init[6]; out[7] = s7 + pp->init[7];
}

typedef void (*nonce_chunk_fn)(const prep *pp, v8 na, v8 nb, v8 out[8]);
#define NONCE_CHUNK_AT(P) \
    static void nonce_chunk_##P(const prep *pp, v8 na, v8 nb, v8 out[8]) { nonce_chunk(pp, na, nb, out, P); }
NONCE_CHUNK_AT(0) NONCE_CHUNK_AT(1) NONCE_CHUNK_AT(2) NONCE_CHUNK_AT(3)
NONCE_CHUNK_AT(4) NONCE_CHUNK_AT(5) NONCE_CHUNK_AT(6) NONCE_CHUNK_AT(7)
NONCE_CHUNK_AT(8) NONCE_CHUNK_AT(9) NONCE_CHUNK_AT(10) NONCE_CHUNK_AT(11)
NONCE_CHUNK_AT(12) NONCE_CHUNK_AT(13) NONCE_CHUNK_AT(14) NONCE_CHUNK_AT(15)
static const nonce_chunk_fn nonce_chunk_at[CHUNK_WORDS] = {
    nonce_chunk_0, nonce_chunk_1, nonce_chunk_2, nonce_chunk_3,
    nonce_chunk_4, nonce_chunk_5, nonce_chunk_6, nonce_chunk_7,
    nonce_chunk_8, nonce_chunk_9, nonce_chunk_10, nonce_chunk_11,
    nonce_chunk_12, nonce_chunk_13, nonce_chunk_14, nonce_chunk_15,
};

static void rotate_state(v8 s[8])
{
    v8 a = s[7];
    for (int k = 7; k > 0; k--)
        s[k] = s[k - 1];
    s[0] = a;
}

/*
 * Prep for the nonces in the run starting at `first`. With `fixed_high` set, the
 * nonce's high bits (constant over the run) are written into word nonce_word, and the
 * varying low bits become the nonce part of word nonce_word + 1.
 */
static void prep_build(prep *pp, const cnd_job *job, int fixed_high, uint32_t first)
{
    uint32_t words[2 * CHUNK_WORDS];
    int shift = job->nonce_shift;
    int p_abs = job->nonce_word;
    for (int i = 0; i < 2 * CHUNK_WORDS; i++)
        words[i] = job->chunk[i / CHUNK_WORDS][i % CHUNK_WORDS];
    if (fixed_high) {
        words[p_abs] |= first >> shift;
        p_abs++;
    }
    int c = p_abs / CHUNK_WORDS, p = p_abs % CHUNK_WORDS;
    const uint32_t *cw = words + c * CHUNK_WORDS;

    for (int k = 0; k < 8; k++)
        pp->init[k] = splat(job->midstate[k]);
    if (c == 1) {
        v8 first_chunk[CHUNK_WORDS];
        for (int i = 0; i < CHUNK_WORDS; i++)
            first_chunk[i] = splat(words[i]);
        compress_chunk(pp->init, first_chunk);
    }

    /* The schedule: full values of nonce-free words, nonce-free parts of the others. */
    v8 full[64];
    for (int j = 0; j < 64; j++) {
        if (j < CHUNK_WORDS) {
            full[j] = pp->cw[j] = splat(cw[j]);
        } else {
            v8 terms[4] = {ssig1(full[j - 2]), full[j - 7], ssig0(full[j - 15]), full[j - 16]};
            const int from[4] = {j - 2, j - 7, j - 15, j - 16};
            pp->cw[j] = splat(0);
            for (int t = 0; t < 4; t++) {
                if (!nonce_dependent(from[t], p))
                    pp->cw[j] += terms[t];
            }
            full[j] = pp->cw[j];
        }
        pp->kw[j] = pp->cw[j] + CND_SHA256_K[j];
    }

    v8 s[8];
    for (int k = 0; k < 8; k++)
        s[k] = pp->init[k];
    for (int r = 0; r < p; r++) {
        ROUND(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], pp->kw[r]);
        rotate_state(s);
    }
    for (int k = 0; k < 8; k++)
        pp->st[k] = s[k];
    ROUND(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], pp->kw[p]);
    pp->round_a = s[7];
    pp->round_e = s[3];

    pp->p = p;
    pp->has_next_chunk = c == 0 && job->nchunks == 2;
    for (int i = 0; i < CHUNK_WORDS; i++)
        pp->next_chunk[i] = splat(words[CHUNK_WORDS + i]);

    pp->nonce_order = job->nonce_le
        ? _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
                           3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)
        : _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                           0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    pp->a_left = _mm_cvtsi32_si128(fixed_high ? 32 - shift : 0);
    pp->a_right = _mm_cvtsi32_si128(fixed_high ? 0 : shift);
    pp->b_left = _mm_cvtsi32_si128(fixed_high ? 32 : 32 - shift);
}

static ALWAYS_INLINE uint32_t lanes_in_range(uint32_t base, uint32_t last)
{
    uint32_t left = last - base;
    return left >= LANES - 1 ? 0xffu : (1u << (left + 1)) - 1;
}

/*
 * Scans [first, last] with one prep. FW is the filter word when it is a compile-time
 * constant (the second hash then stops where that word is final), or -1.
 */
static ALWAYS_INLINE int scan_run(const prep *pp, const cnd_job *job, uint32_t first, uint32_t last,
                                  uint32_t *candidate, const int FW)
{
    const nonce_chunk_fn chunk_fn = nonce_chunk_at[pp->p];
    const __m256i lane_offsets = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i filter_order = job->filter_bswap
        ? _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
                           3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)
        : _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                           0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m256i filter_max = _mm256_set1_epi32((int)job->filter_max);
    const int word = FW >= 0 ? FW : job->filter_word;

    for (uint32_t base = first;; base += LANES) {
        __m256i n = _mm256_add_epi32(_mm256_set1_epi32((int)base), lane_offsets);
        n = _mm256_shuffle_epi8(n, pp->nonce_order);
        v8 na = (v8)_mm256_srl_epi32(_mm256_sll_epi32(n, pp->a_left), pp->a_right);
        v8 nb = (v8)_mm256_sll_epi32(n, pp->b_left);

        v8 digest[8], out[8];
        chunk_fn(pp, na, nb, digest);
        if (pp->has_next_chunk) {
            v8 w[CHUNK_WORDS];
            for (int i = 0; i < CHUNK_WORDS; i++)
                w[i] = pp->next_chunk[i];
            if (pp->p == CHUNK_WORDS - 1)
                w[0] += nb;
            compress_chunk(digest, w);
        }
        second_hash(digest, out);

        __m256i v = _mm256_shuffle_epi8((__m256i)out[word], filter_order);
        __m256i pass = _mm256_cmpeq_epi32(_mm256_max_epu32(v, filter_max), filter_max);
        uint32_t hits = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(pass)) & lanes_in_range(base, last);
        if (hits) {
            *candidate = base + (uint32_t)__builtin_ctz(hits);
            return 1;
        }
        if (last - base < LANES)
            return 0;
    }
}

static int scan_run_word0(const prep *pp, const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    return scan_run(pp, job, first, last, candidate, 0);
}

static int scan_run_word7(const prep *pp, const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    return scan_run(pp, job, first, last, candidate, 7);
}

static int scan_run_any_word(const prep *pp, const cnd_job *job, uint32_t first, uint32_t last,
                             uint32_t *candidate)
{
    return scan_run(pp, job, first, last, candidate, -1);
}

/* The layouts cnd_job_build produces; anything else goes to the reference kernel. */
static int layout_supported(const cnd_job *job)
{
    int words = CHUNK_WORDS * job->nchunks;
    int shift = job->nonce_shift;
    return (job->nchunks == 1 || job->nchunks == 2) &&
           job->nonce_word >= 0 && job->nonce_word < words &&
           (shift == 0 || shift == 8 || shift == 16 || shift == 24) &&
           (shift == 0 || job->nonce_word + 1 < words) &&
           job->filter_word >= 0 && job->filter_word < 8;
}

int cnd_kernel_avx2(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    if (!layout_supported(job))
        return cnd_kernel_scalar(job, first, last, candidate);

    int (*scan)(const prep *, const cnd_job *, uint32_t, uint32_t, uint32_t *) =
        job->filter_word == 0 ? scan_run_word0 : job->filter_word == 7 ? scan_run_word7 : scan_run_any_word;
    int shift = job->nonce_shift;
    /* Only worth a new prep per run when runs are long (2^16 nonces or more). */
    int fixed_high = !job->nonce_le && shift >= 16;

    prep pp;
    for (uint32_t from = first;;) {
        uint32_t to = last;
        if (fixed_high) {
            uint32_t run_end = from | ((1u << shift) - 1);
            if (run_end < to)
                to = run_end;
        }
        prep_build(&pp, job, fixed_high, from);
        if (scan(&pp, job, from, to, candidate))
            return 1;
        if (to == last)
            return 0;
        from = to + 1;
    }
}
