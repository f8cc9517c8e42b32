/*
 * AVX-512 kernel: sixteen nonces per batch, one per 32-bit lane of a zmm register.
 *
 * Everything that does not depend on the nonce is worked out once per call, in
 * scalar code, into a chunk_plan: the rounds before the first nonce-bearing word,
 * most of the round that mixes it in, the constant part of every message-schedule
 * word, and K + W for every constant word. The per-batch code then only spends
 * vector instructions on nonce-dependent values. The second hash has a fixed shape
 * (eight digest words, then constant padding), so its constants fold at compile
 * time, and it stops at the round that fixes the filter word.
 *
 * Compiled with -mavx512f -mavx512vl -mavx512bw only; dispatch.c calls it only on
 * CPUs that have those.
 */
#include <immintrin.h>

#include "cnd_impl.h"

#define INLINE static inline __attribute__((always_inline))

#ifndef CND_AVX512_WAYS
#define CND_AVX512_WAYS 2
#endif
#define WAYS CND_AVX512_WAYS
#define LANES (16 * WAYS)
#define EACH(k) for (int k = 0; k < WAYS; k++)

/*
 * A "vector" is WAYS independent zmm registers, side by side: every operation is
 * issued once per register, so the batches interleave instruction by instruction
 * and one batch's dependency chains fill the other's latency.
 */
typedef struct vec {
    __m512i z[WAYS];
} vec;

INLINE vec vset(uint32_t x)
{
    vec r;
    EACH(k) r.z[k] = _mm512_set1_epi32((int)x);
    return r;
}
INLINE vec vadd(vec a, vec b)
{
    EACH(k) a.z[k] = _mm512_add_epi32(a.z[k], b.z[k]);
    return a;
}
INLINE vec vror(vec a, int n)
{
    EACH(k) a.z[k] = _mm512_ror_epi32(a.z[k], n);
    return a;
}
INLINE vec vshr(vec a, int n)
{
    EACH(k) a.z[k] = _mm512_srli_epi32(a.z[k], n);
    return a;
}
/* imm 0x96: a ^ b ^ c.  0xca: a ? b : c.  0xe8: majority. */
#define VTERN(r, a, b, c, imm) EACH(k) (r).z[k] = _mm512_ternarylogic_epi32((a).z[k], (b).z[k], (c).z[k], imm)
INLINE vec vxor3(vec a, vec b, vec c) { vec r; VTERN(r, a, b, c, 0x96); return r; }
INLINE vec choose(vec e, vec f, vec g) { vec r; VTERN(r, e, f, g, 0xca); return r; }
INLINE vec majority(vec a, vec b, vec c) { vec r; VTERN(r, a, b, c, 0xe8); return r; }

INLINE vec big_sigma0(vec x) { return vxor3(vror(x, 2), vror(x, 13), vror(x, 22)); }
INLINE vec big_sigma1(vec x) { return vxor3(vror(x, 6), vror(x, 11), vror(x, 25)); }
INLINE vec small_sigma0(vec x) { return vxor3(vror(x, 7), vror(x, 18), vshr(x, 3)); }
INLINE vec small_sigma1(vec x) { return vxor3(vror(x, 17), vror(x, 19), vshr(x, 10)); }

/* Scalar twins, for the per-call precomputation and for compile-time folding. */
INLINE uint32_t s_big_sigma0(uint32_t x) { return cnd_rotr32(x, 2) ^ cnd_rotr32(x, 13) ^ cnd_rotr32(x, 22); }
INLINE uint32_t s_big_sigma1(uint32_t x) { return cnd_rotr32(x, 6) ^ cnd_rotr32(x, 11) ^ cnd_rotr32(x, 25); }
INLINE uint32_t s_small_sigma0(uint32_t x) { return cnd_rotr32(x, 7) ^ cnd_rotr32(x, 18) ^ (x >> 3); }
INLINE uint32_t s_small_sigma1(uint32_t x) { return cnd_rotr32(x, 17) ^ cnd_rotr32(x, 19) ^ (x >> 10); }
INLINE uint32_t s_choose(uint32_t e, uint32_t f, uint32_t g) { return (e & f) ^ (~e & g); }
INLINE uint32_t s_majority(uint32_t a, uint32_t b, uint32_t c) { return (a & b) ^ (a & c) ^ (b & c); }

/*
 * The eight working variables never move: in round i, role r (0 = a ... 7 = h) is
 * held by s[(r - i) & 7], so a round only rewrites the d and h slots. After full
 * unrolling every index is a constant and the array lives in registers.
 */
#define SLOT(role, i) (((role) - (i)) & 7)

INLINE void vround(vec s[8], int i, vec kw)
{
    vec a = s[SLOT(0, i)], b = s[SLOT(1, i)], c = s[SLOT(2, i)];
    vec e = s[SLOT(4, i)], f = s[SLOT(5, i)], g = s[SLOT(6, i)];
    vec t1 = vadd(vadd(s[SLOT(7, i)], kw), vadd(big_sigma1(e), choose(e, f, g)));
    s[SLOT(3, i)] = vadd(s[SLOT(3, i)], t1);
    s[SLOT(7, i)] = vadd(t1, vadd(big_sigma0(a), majority(a, b, c)));
}

INLINE void sround(uint32_t s[8], int i, uint32_t kw)
{
    uint32_t a = s[SLOT(0, i)], e = s[SLOT(4, i)];
    uint32_t t1 = s[SLOT(7, i)] + kw + s_big_sigma1(e) + s_choose(e, s[SLOT(5, i)], s[SLOT(6, i)]);
    s[SLOT(3, i)] += t1;
    s[SLOT(7, i)] = t1 + s_big_sigma0(a) + s_majority(a, s[SLOT(1, i)], s[SLOT(2, i)]);
}

/* Which terms of W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) + W[i-16] depend on the nonce. */
enum { TERM_S1 = 1, TERM_W7 = 2, TERM_S0 = 4, TERM_W16 = 8 };

INLINE unsigned schedule_terms(uint64_t variable, int i)
{
    return (unsigned)((variable >> (i - 2) & 1) * TERM_S1 | (variable >> (i - 7) & 1) * TERM_W7 |
                      (variable >> (i - 15) & 1) * TERM_S0 | (variable >> (i - 16) & 1) * TERM_W16);
}

/*
 * Bit i set when W[i] of a one-chunk message depends on the nonce, given the words
 * lo and hi (-1: none) that hold it. Folds to a constant when lo and hi are constants.
 */
INLINE uint64_t variable_words(int lo, int hi)
{
    uint64_t variable = 1ull << lo | (hi >= 0 ? 1ull << hi : 0);
#pragma GCC unroll 48
    for (int i = 16; i < 64; i++)
        if (schedule_terms(variable, i))
            variable |= 1ull << i;
    return variable;
}

/* W[i] from its nonce-dependent terms plus `base`, the sum of its constant terms. */
INLINE vec schedule_word(const vec w[64], int i, unsigned terms, uint32_t base)
{
    vec x = vset(base);
    if (terms & TERM_S1)
        x = vadd(x, small_sigma1(w[i - 2]));
    if (terms & TERM_W7)
        x = vadd(x, w[i - 7]);
    if (terms & TERM_S0)
        x = vadd(x, small_sigma0(w[i - 15]));
    if (terms & TERM_W16)
        x = vadd(x, w[i - 16]);
    return x;
}

/* A whole compression on vectors, nothing known in advance: s += compress(s, w). */
INLINE void compress_vectors(vec s[8], const vec block[16])
{
    vec w[64], in[8];
    for (int r = 0; r < 8; r++)
        in[r] = s[r];
#pragma GCC unroll 16
    for (int i = 0; i < 16; i++) {
        w[i] = block[i];
        vround(s, i, vadd(w[i], vset(CND_SHA256_K[i])));
    }
#pragma GCC unroll 48
    for (int i = 16; i < 64; i++) {
        w[i] = schedule_word(w, i, TERM_S1 | TERM_W7 | TERM_S0 | TERM_W16, 0);
        vround(s, i, vadd(w[i], vset(CND_SHA256_K[i])));
    }
    for (int r = 0; r < 8; r++)
        s[r] = vadd(s[r], in[r]);
}

/*
 * The first hash as known in advance, once per call. Word numbers are global
 * (chunk 0 then chunk 1); `lo`/`hi` receive n' >> shift and n' << (32 - shift).
 * The fields after `words` serve the one-chunk fast path only.
 */
typedef struct first_plan {
    int32_t nchunks, lo, hi, shift, nonce_le;
    uint32_t midstate[8];
    uint32_t words[32];    /* the message words with the nonce bytes zero */
    uint32_t base[64];     /* constant part of W[i]: the whole word when it is constant */
    uint32_t kw[64];       /* K[i] + W[i] for constant words, K[i] + base for words 0..15 */
    /*
     * State entering round lo + 1, in that round's slot order, having run rounds
     * 0..lo on the constant words: round lo's word is only the nonce part away
     * from its constant part, and that part is added to the new a and e per batch.
     */
    uint32_t start_state[8];
} first_plan;

static void plan_first(first_plan *p, const cnd_job *job)
{
    p->nchunks = job->nchunks;
    p->lo = job->nonce_word;
    p->hi = job->nonce_shift ? job->nonce_word + 1 : -1;
    p->shift = job->nonce_shift;
    p->nonce_le = job->nonce_le;
    for (int i = 0; i < 8; i++)
        p->midstate[i] = job->midstate[i];
    for (int i = 0; i < 32; i++)
        p->words[i] = job->chunk[i / 16][i % 16];
    if (p->nchunks != 1)
        return;

    uint64_t variable = variable_words(p->lo, p->hi);
    for (int i = 0; i < 16; i++)
        p->base[i] = p->words[i];
    for (int i = 16; i < 64; i++) {
        unsigned terms = schedule_terms(variable, i);
        uint32_t base = 0;
        if (!(terms & TERM_S1))
            base += s_small_sigma1(p->base[i - 2]);
        if (!(terms & TERM_W7))
            base += p->base[i - 7];
        if (!(terms & TERM_S0))
            base += s_small_sigma0(p->base[i - 15]);
        if (!(terms & TERM_W16))
            base += p->base[i - 16];
        p->base[i] = base;
    }
    for (int i = 0; i < 64; i++)
        p->kw[i] = CND_SHA256_K[i] + (i < 16 || !(variable >> i & 1) ? p->base[i] : 0);

    uint32_t s[8];
    for (int r = 0; r < 8; r++)
        s[SLOT(r, 0)] = p->midstate[r];
    for (int i = 0; i <= p->lo; i++)
        sround(s, i, p->kw[i]);
    for (int r = 0; r < 8; r++)
        p->start_state[r] = s[r];
}

/*
 * The first hash of a one-chunk message whose nonce words lo and hi are
 * compile-time constants, so every nonce-free value is a broadcast constant and
 * every test below folds away.
 */
INLINE void first_hash_fixed(const first_plan *p, vec h1[8], vec lo_part, vec hi_part, int lo, int hi)
{
    const uint64_t variable = variable_words(lo, hi);
    vec w[64], s[8];
    for (int r = 0; r < 8; r++)
        s[r] = vset(p->start_state[r]);
    s[SLOT(0, lo + 1)] = vadd(s[SLOT(0, lo + 1)], lo_part);
    s[SLOT(4, lo + 1)] = vadd(s[SLOT(4, lo + 1)], lo_part);
    w[lo] = vadd(vset(p->base[lo]), lo_part);
    if (hi >= 0)
        w[hi] = vadd(vset(p->base[hi]), hi_part);
#pragma GCC unroll 16
    for (int i = lo + 1; i < 16; i++)
        vround(s, i, i == hi ? vadd(vset(p->kw[i]), hi_part) : vset(p->kw[i]));
#pragma GCC unroll 48
    for (int i = 16; i < 64; i++) {
        if (variable >> i & 1) {
            w[i] = schedule_word(w, i, schedule_terms(variable, i), p->base[i]);
            vround(s, i, vadd(w[i], vset(CND_SHA256_K[i])));
        } else {
            vround(s, i, vset(p->kw[i]));
        }
    }
    for (int r = 0; r < 8; r++)
        h1[r] = vadd(s[r], vset(p->midstate[r]));
}

/* The first hash of any layout: message words placed at run time, every round run. */
INLINE void first_hash_any(const first_plan *p, vec h1[8], vec lo_part, vec hi_part)
{
    vec block[32];
    for (int i = 0; i < 16 * p->nchunks; i++)
        block[i] = vset(p->words[i]);
    block[p->lo] = vadd(block[p->lo], lo_part);
    if (p->hi >= 0)
        block[p->hi] = vadd(block[p->hi], hi_part);
    for (int r = 0; r < 8; r++)
        h1[r] = vset(p->midstate[r]);
    compress_vectors(h1, block);
    if (p->nchunks == 2)
        compress_vectors(h1, block + 16);
}

/* The 32-byte second message: digest words, then fixed padding for 256 bits. */
INLINE int second_variable(int i) { return i < 8 || i >= 16; }
INLINE uint32_t second_pad(int i) { return i == 8 ? 0x80000000u : i == 15 ? 256u : 0u; }

/* Constant part of second-hash schedule word i; folds to a literal after unrolling. */
INLINE uint32_t second_base(int i)
{
    uint32_t base = 0;
    if (!second_variable(i - 2))
        base += s_small_sigma1(second_pad(i - 2));
    if (!second_variable(i - 7))
        base += second_pad(i - 7);
    if (!second_variable(i - 15))
        base += s_small_sigma0(second_pad(i - 15));
    if (!second_variable(i - 16))
        base += second_pad(i - 16);
    return base;
}

INLINE unsigned second_terms(int i)
{
    return (second_variable(i - 2) ? TERM_S1 : 0) | (second_variable(i - 7) ? TERM_W7 : 0) |
           (second_variable(i - 15) ? TERM_S0 : 0) | (second_variable(i - 16) ? TERM_W16 : 0);
}

/*
 * The second hash of sixteen first digests, run only as far as the filter word
 * needs. Digest word j < 4 is the a register after round 63 - j, word j >= 4 the
 * e register after round 67 - j; `word` is a compile-time constant 0..7, or -1 to
 * compute all eight into out[].
 */
INLINE vec second_hash(const vec h1[8], int word, vec out[8])
{
    const uint32_t *iv = CND_SHA256_IV;
    int last = word < 0 ? 63 : word < 4 ? 63 - word : 67 - word;
    vec w[64], s[8];

    /* Round 0 starts from the IV: all but the message word is a constant. */
    uint32_t t1 = iv[7] + CND_SHA256_K[0] + s_big_sigma1(iv[4]) + s_choose(iv[4], iv[5], iv[6]);
    uint32_t t2 = s_big_sigma0(iv[0]) + s_majority(iv[0], iv[1], iv[2]);
    for (int r = 0; r < 8; r++)
        s[SLOT(r, 1)] = vset(iv[(r + 7) & 7]);
    s[SLOT(0, 1)] = vadd(h1[0], vset(t1 + t2));
    s[SLOT(4, 1)] = vadd(h1[0], vset(iv[3] + t1));

#pragma GCC unroll 16
    for (int i = 0; i < 16; i++)
        w[i] = second_variable(i) ? h1[i] : vset(second_pad(i));
#pragma GCC unroll 16
    for (int i = 1; i < 16; i++)
        vround(s, i, second_variable(i) ? vadd(w[i], vset(CND_SHA256_K[i]))
                                        : vset(CND_SHA256_K[i] + second_pad(i)));
#pragma GCC unroll 48
    for (int i = 16; i < 64; i++) {
        if (i <= last) {
            w[i] = schedule_word(w, i, second_terms(i), second_base(i));
            vround(s, i, vadd(w[i], vset(CND_SHA256_K[i])));
        }
    }
    if (word < 0) {
        for (int r = 0; r < 8; r++)
            out[r] = vadd(s[r], vset(iv[r]));
        return out[0];
    }
    return vadd(word < 4 ? s[SLOT(0, last + 1)] : s[SLOT(4, last + 1)], vset(iv[word]));
}

INLINE vec bswap_lanes(vec x)
{
    const __m512i order = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
    EACH(k) x.z[k] = _mm512_shuffle_epi8(x.z[k], order);
    return x;
}

/*
 * Lanes of the batch nonces..nonces+15 whose filter word passes. lo < 0 selects
 * the any-layout first hash; word < 0 the full second hash with a run-time word.
 */
INLINE uint64_t scan_batch(const first_plan *p, const cnd_job *job, vec nonces, int lo, int hi, int word)
{
    vec n = p->nonce_le ? bswap_lanes(nonces) : nonces, lo_part, hi_part;
    EACH(k) {
        lo_part.z[k] = _mm512_srl_epi32(n.z[k], _mm_cvtsi32_si128(p->shift));
        hi_part.z[k] = _mm512_sll_epi32(n.z[k], _mm_cvtsi32_si128(32 - p->shift));
    }
    vec h1[8], out[8];
    if (lo >= 0)
        first_hash_fixed(p, h1, lo_part, hi_part, lo, hi);
    else
        first_hash_any(p, h1, lo_part, hi_part);
    vec v = second_hash(h1, word, out);
    if (word < 0)
        v = out[job->filter_word];
    if (job->filter_bswap)
        v = bswap_lanes(v);
    uint64_t hits = 0;
    EACH(k) hits |= (uint64_t)_mm512_cmple_epu32_mask(v.z[k], _mm512_set1_epi32((int)job->filter_max)) << (16 * k);
    return hits;
}

INLINE int scan_range(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate,
                      int lo, int hi, int word)
{
    vec lane;
    EACH(k) lane.z[k] = _mm512_add_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                         _mm512_set1_epi32(16 * k));
    first_plan p;
    plan_first(&p, job);
    uint64_t remaining = (uint64_t)last - first + 1;
    uint32_t base = first;
    while (remaining > 0) {
        unsigned lanes = remaining < LANES ? (unsigned)remaining : LANES;
        /* Lanes past `last` may wrap around 2^32; they are masked off, never reported. */
        uint64_t hits = scan_batch(&p, job, vadd(vset(base), lane), lo, hi, word) & ((1ull << lanes) - 1);
        if (hits) {
            *candidate = base + (uint32_t)__builtin_ctzll(hits);
            return 1;
        }
        base += LANES;
        remaining -= lanes;
    }
    return 0;
}

int cnd_kernel_avx512(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    int one_chunk = job->nchunks == 1;
    /*
     * Compile-time layouts for the two messages the project hashes most: a 14-byte
     * block with its nonce appended (words 3 and 4, filter on word 0) and a Bitcoin
     * header (word 3, filter on word 7). Everything else takes the run-time layout.
     */
    if (one_chunk && job->nonce_word == 3 && job->nonce_shift == 16 && job->filter_word == 0)
        return scan_range(job, first, last, candidate, 3, 4, 0);
    if (one_chunk && job->nonce_word == 3 && job->nonce_shift == 0 && job->filter_word == 7)
        return scan_range(job, first, last, candidate, 3, -1, 7);
    switch (job->filter_word) {
    case 0:
        return scan_range(job, first, last, candidate, -1, -1, 0);
    case 7:
        return scan_range(job, first, last, candidate, -1, -1, 7);
    default:
        return scan_range(job, first, last, candidate, -1, -1, -1);
    }
}
