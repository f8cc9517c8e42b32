/*
 * AVX-512 kernel: sixteen nonces per zmm register, one per 32-bit lane.
 *
 * Everything that does not depend on the nonce is worked out once per call, in
 * scalar code, into a plan: the rounds before the first nonce-bearing word, most
 * of the round that mixes it in, the constant part of every message-schedule word,
 * and K + W for every constant word. The per-batch code spends vector instructions
 * only on nonce-dependent values. The second hash has a fixed shape (eight digest
 * words, then constant padding), so which of its terms vanish is known at compile
 * time, and it stops at the round that fixes the filter word.
 *
 * Two-chunk layouts (appended blocks of 52..63 bytes mod 64) are compiled per nonce
 * position too: a padding-only chunk 1 runs its rounds on a schedule made once per
 * call, for two batches side by side (its rounds alone are one long dependency chain),
 * and when the nonce straddles into chunk 1, chunk 0 depends only on the nonce's high
 * bits and is made once per run of nonces (cnd_job.run_shift).
 *
 * Compiled with -mavx512f -mavx512vl -mavx512bw only; cnd_dispatch.c calls it only on
 * CPUs that have those.
 */
#include <immintrin.h>

#include "cnd_impl.h"

/*
 * The round below groups its additions for the shortest dependency chain: on this
 * EPYC (Zen 5) even a vector add has a latency of 2 cycles, and the chain through
 * the rounds limits a batch as much as the issue width does. GCC's reassociation
 * pass would regroup them into a longer chain (measured 10% slower).
 */
#pragma GCC optimize("no-tree-reassoc")

#define INLINE static inline __attribute__((always_inline))
#define LANES 16

/* One batch is sixteen nonces, one zmm register per value (what was tried instead:
 * docs/hashcore-design.md). */
typedef __m512i vec;

INLINE vec vadd(vec a, vec b) { return _mm512_add_epi32(a, b); }
INLINE vec vsub(vec a, vec b) { return _mm512_sub_epi32(a, b); }
/* Per-call constants are broadcast once into the plan and added straight from memory. */
INLINE vec vaddc(vec a, const vec *c) { return _mm512_add_epi32(a, *c); }

/* imm 0x96: a ^ b ^ c.  0xca: a ? b : c.  0xe8: majority. */
INLINE vec vxor3(vec a, vec b, vec c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }
INLINE vec choose(vec e, vec f, vec g) { return _mm512_ternarylogic_epi32(e, f, g, 0xca); }
INLINE vec majority(vec a, vec b, vec c) { return _mm512_ternarylogic_epi32(a, b, c, 0xe8); }

#define ROR(x, n) _mm512_ror_epi32(x, n)
#define SHR(x, n) _mm512_srli_epi32(x, n)
INLINE vec big_sigma0(vec x) { return vxor3(ROR(x, 2), ROR(x, 13), ROR(x, 22)); }
INLINE vec big_sigma1(vec x) { return vxor3(ROR(x, 6), ROR(x, 11), ROR(x, 25)); }
INLINE vec small_sigma0(vec x) { return vxor3(ROR(x, 7), ROR(x, 18), SHR(x, 3)); }
INLINE vec small_sigma1(vec x) { return vxor3(ROR(x, 17), ROR(x, 19), SHR(x, 10)); }

/*
 * The eight working variables never move: in round i, role r (0 = a ... 7 = h) is
 * held by s[(r - i) & 7], so a round only rewrites the d and h slots. After full
 * unrolling every index is a constant and the array lives in registers.
 */
#define SLOT(role, i) (((role) - (i)) & 7)

/*
 * new e = (h + d + KW + Ch) + S1(e), then T1 = new e - d and new a = S0(a) + (Maj + T1).
 * One more operation than the textbook grouping, but e's chain is rotate, xor, add
 * (6 cycles) instead of rotate, xor, add, add, add, and a's chain is no longer.
 */
INLINE void vround(vec s[8], int i, vec kw)
{
    vec a = s[SLOT(0, i)], b = s[SLOT(1, i)], c = s[SLOT(2, i)], d = s[SLOT(3, i)];
    vec e = s[SLOT(4, i)], f = s[SLOT(5, i)], g = s[SLOT(6, i)], h = s[SLOT(7, i)];
    vec e_new = vadd(vadd(vadd(vadd(h, d), kw), choose(e, f, g)), big_sigma1(e));
    s[SLOT(3, i)] = e_new;
    s[SLOT(7, i)] = vadd(big_sigma0(a), vadd(majority(a, b, c), vsub(e_new, d)));
}

INLINE void sround(uint32_t s[8], int i, uint32_t kw)
{
    uint32_t a = s[SLOT(0, i)], e = s[SLOT(4, i)];
    uint32_t t1 = s[SLOT(7, i)] + kw + cnd_big_sigma1(e) + cnd_choose(e, s[SLOT(5, i)], s[SLOT(6, i)]);
    s[SLOT(3, i)] += t1;
    s[SLOT(7, i)] = t1 + cnd_big_sigma0(a) + cnd_majority(a, s[SLOT(1, i)], s[SLOT(2, i)]);
}

/* Which terms of W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) + W[i-16] depend on the nonce. */
enum { TERM_S1 = 1, TERM_W7 = 2, TERM_S0 = 4, TERM_W16 = 8, TERM_ALL = 15 };

INLINE unsigned schedule_terms(uint64_t variable, int i)
{
    return (unsigned)((variable >> (i - 2) & 1) * TERM_S1 | (variable >> (i - 7) & 1) * TERM_W7 |
                      (variable >> (i - 15) & 1) * TERM_S0 | (variable >> (i - 16) & 1) * TERM_W16);
}

/* The constant terms of W[i], given every word's value where it is constant. */
INLINE uint32_t schedule_base(const uint32_t w[64], unsigned terms, int i)
{
    uint32_t base = 0;
    if (!(terms & TERM_S1))
        base += cnd_small_sigma1(w[i - 2]);
    if (!(terms & TERM_W7))
        base += w[i - 7];
    if (!(terms & TERM_S0))
        base += cnd_small_sigma0(w[i - 15]);
    if (!(terms & TERM_W16))
        base += w[i - 16];
    return base;
}

/*
 * Bit i set when W[i] of a message chunk depends on the nonce, given the words lo
 * and hi (-1: none) that hold it. Folds to a constant when lo and hi are constants.
 */
INLINE uint64_t variable_words(int lo, int hi)
{
    uint64_t variable = (lo >= 0 ? 1ull << lo : 0) | (hi >= 0 ? 1ull << hi : 0);
#pragma GCC unroll 48
    for (int i = 16; i < 64; i++)
        if (schedule_terms(variable, i))
            variable |= 1ull << i;
    return variable;
}

/*
 * W[i] from its nonce-dependent terms plus `base` (NULL: zero), the sum of its
 * constant terms. s1(W[i-2]) comes last: it is the schedule's own chain. Adding
 * to a literal zero costs nothing; GCC folds it.
 */
INLINE vec schedule_word(const vec w[64], int i, unsigned terms, const vec *base)
{
    vec x = base ? *base : _mm512_setzero_si512();
    if (terms & TERM_W7)
        x = vadd(x, w[i - 7]);
    if (terms & TERM_W16)
        x = vadd(x, w[i - 16]);
    if (terms & TERM_S0)
        x = vadd(x, small_sigma0(w[i - 15]));
    if (terms & TERM_S1)
        x = vadd(x, small_sigma1(w[i - 2]));
    return x;
}

/* The 32-byte second message: digest words, then fixed padding for 256 bits. */
INLINE int second_variable(int i) { return i < 8 || i >= 16; }
INLINE uint32_t second_pad(int i) { return i == 8 ? 0x80000000u : i == 15 ? 256u : 0u; }
INLINE unsigned second_terms(int i) { return schedule_terms(0xffffffffffff00ffull, i); }

/* Constant terms of W[i] (i >= 16): only padding words are constant, so this folds. */
INLINE uint32_t second_base(int i)
{
    unsigned terms = second_terms(i);
    return (terms & TERM_S1 ? 0 : cnd_small_sigma1(second_pad(i - 2))) + (terms & TERM_W7 ? 0 : second_pad(i - 7)) +
           (terms & TERM_S0 ? 0 : cnd_small_sigma0(second_pad(i - 15))) + (terms & TERM_W16 ? 0 : second_pad(i - 16));
}

/*
 * Everything a batch needs that does not depend on the nonce. Word numbers are
 * global (chunk 0 then chunk 1); `lo`/`hi` receive n' >> shift and n' << (32 - shift).
 */
typedef struct plan {
    vec k[64];
    /* First hash, compile-time layouts: the chunk with the nonce's first byte... */
    vec base[64];          /* constant part of W[i] */
    vec kw[64];            /* K[i] + W[i] for constant words; K[i] + base[i] for words 0..15 */
    /* ...and the chunk after it in two-chunk layouts, whose state varies: all constant
     * (the padding spilled over) or with a varying word 0 (the nonce straddles). */
    vec next_base[64];
    vec next_kw[64];
    vec run_state[8];      /* the state after chunk 0 for the current run (cnd_job.run_shift) */
    /*
     * State entering round lo + 1, in that round's slot order, after rounds 0..lo
     * on the constant words: round lo's word is only the nonce part away from its
     * constant part, and adding that part to the new a and e finishes the round.
     */
    vec start[8];
    vec midstate[8];
    vec words[32];         /* any layout: the message words, nonce bytes zero */
    /* Second hash. */
    vec second_base[64];   /* constant part of W[i] */
    vec second_kw[16];     /* K[i] + padding word i */
    vec second_start[8];   /* state entering round 1, slot order, before adding W[0] */
    vec iv[8];
    vec filter_max;
    int32_t nchunks, lo, hi, shift, nonce_le, filter_word, filter_bswap;
} plan;

/* Where the nonce's second word falls: in the nonce chunk, or (16) word 0 of the next. */
INLINE int hi_in_chunk(int hi) { return hi < 16 ? hi : -1; }
INLINE int hi_in_next(int hi) { return hi == 16 ? 0 : -1; }

/*
 * The constant parts of a chunk whose words lo and hi (-1: none) vary: base[i] is
 * W[i] where constant and the sum of its constant terms where not; kw[i] is K[i]
 * plus W[i] or plus base[i] for words 0..15. Scalar results go to kw_out.
 */
static void plan_chunk(const uint32_t words[16], int lo, int hi, vec base[64], vec kw[64], uint32_t kw_out[64])
{
    uint64_t variable = variable_words(lo, hi);
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = words[i];
    for (int i = 16; i < 64; i++)
        w[i] = schedule_base(w, schedule_terms(variable, i), i);
    for (int i = 0; i < 64; i++) {
        kw_out[i] = CND_SHA256_K[i] + (i < 16 || !(variable >> i & 1) ? w[i] : 0);
        base[i] = _mm512_set1_epi32((int)w[i]);
        kw[i] = _mm512_set1_epi32((int)kw_out[i]);
    }
}

static void plan_first_hash(plan *p, const cnd_job *job)
{
    for (int i = 0; i < 32; i++)
        p->words[i] = _mm512_set1_epi32((int)job->chunk[i / 16][i % 16]);
    for (int r = 0; r < 8; r++)
        p->midstate[r] = _mm512_set1_epi32((int)job->midstate[r]);

    uint32_t kw[64], next_kw[64];
    plan_chunk(job->chunk[0], p->lo, hi_in_chunk(p->hi), p->base, p->kw, kw);
    if (job->nchunks == 2)
        plan_chunk(job->chunk[1], -1, hi_in_next(p->hi), p->next_base, p->next_kw, next_kw);

    uint32_t s[8];
    for (int r = 0; r < 8; r++)
        s[SLOT(r, 0)] = job->midstate[r];
    for (int i = 0; i <= p->lo; i++)
        sround(s, i, kw[i]);
    for (int r = 0; r < 8; r++)
        p->start[r] = _mm512_set1_epi32((int)s[r]);
}

static void plan_second_hash(plan *p)
{
    const uint32_t *iv = CND_SHA256_IV;
    for (int i = 16; i < 64; i++)
        p->second_base[i] = _mm512_set1_epi32((int)second_base(i));
    for (int i = 0; i < 16; i++)
        p->second_kw[i] = _mm512_set1_epi32((int)(CND_SHA256_K[i] + second_pad(i)));
    /* Round 0 starts from the IV: all but the message word is a constant. */
    uint32_t t1 = iv[7] + CND_SHA256_K[0] + cnd_big_sigma1(iv[4]) + cnd_choose(iv[4], iv[5], iv[6]);
    uint32_t t2 = cnd_big_sigma0(iv[0]) + cnd_majority(iv[0], iv[1], iv[2]);
    for (int r = 0; r < 8; r++) {
        uint32_t v = r == 0 ? t1 + t2 : r == 4 ? iv[3] + t1 : iv[(r + 7) & 7];
        p->second_start[SLOT(r, 1)] = _mm512_set1_epi32((int)v);
        p->iv[r] = _mm512_set1_epi32((int)iv[r]);
    }
}

/*
 * Out of line so that the batch code sees the plan's values only as memory and
 * adds them as memory operands; known constants would each cost a scalar move
 * and a broadcast per batch, or a register.
 */
static __attribute__((noinline)) void plan_build(plan *p, const cnd_job *job)
{
    p->nchunks = job->nchunks;
    p->lo = job->nonce_word;
    p->hi = job->nonce_shift ? job->nonce_word + 1 : -1;
    p->shift = job->nonce_shift;
    p->nonce_le = job->nonce_le;
    p->filter_word = job->filter_word;
    p->filter_bswap = job->filter_bswap;
    p->filter_max = _mm512_set1_epi32((int)job->filter_max);
    for (int i = 0; i < 64; i++)
        p->k[i] = _mm512_set1_epi32((int)CND_SHA256_K[i]);
    plan_first_hash(p, job);
    plan_second_hash(p);
}

/* A whole compression on vectors, nothing known in advance: s += compress(s, block). */
INLINE void compress_vectors(const plan *p, vec s[8], const vec block[16])
{
    vec w[64], in[8];
    for (int r = 0; r < 8; r++)
        in[r] = s[r];
#pragma GCC unroll 64
    for (int i = 0; i < 64; i++) {
        w[i] = i < 16 ? block[i] : schedule_word(w, i, TERM_ALL, NULL);
        vround(s, i, vaddc(w[i], &p->k[i]));
    }
    for (int r = 0; r < 8; r++)
        s[r] = vadd(s[r], in[r]);
}

/*
 * The first hash of any layout of `chunks` chunks (a compile-time 1 or 2, or 0:
 * the plan's count): message words placed at run time, every round run.
 */
INLINE void first_hash_any(const plan *p, vec h1[8], vec lo_part, vec hi_part, int chunks)
{
    vec block[32];
    if (chunks == 0)
        chunks = p->nchunks;
    for (int i = 0; i < 16 * chunks; i++)
        block[i] = p->words[i];
    block[p->lo] = vadd(block[p->lo], lo_part);
    if (p->hi >= 0)
        block[p->hi] = vadd(block[p->hi], hi_part);
    for (int r = 0; r < 8; r++)
        h1[r] = p->midstate[r];
    compress_vectors(p, h1, block);
    if (chunks == 2)
        compress_vectors(p, h1, block + 16);
}

/*
 * Rounds from..63 of a chunk whose varying words are the bits of `variable` (a
 * compile-time constant, so every test folds away). w[] holds the varying words
 * below 16 that are already placed; a varying word past round `from` and below 16
 * is the nonce's second word, hi_part plus its constant part.
 */
INLINE void chunk_rounds(const plan *p, vec s[8], vec w[64], const vec *base, const vec *kw, vec hi_part,
                         uint64_t variable, int from)
{
#pragma GCC unroll 64
    for (int i = from; i < 64; i++) {
        if (!(variable >> i & 1)) {
            vround(s, i, kw[i]);
        } else if (i < 16) {
            vround(s, i, vaddc(hi_part, &kw[i]));
        } else {
            w[i] = schedule_word(w, i, schedule_terms(variable, i), &base[i]);
            vround(s, i, vaddc(w[i], &p->k[i]));
        }
    }
}

/*
 * The 64 rounds of a chunk with no varying word: K + W all from the plan. Rolled by
 * eight rounds (the slot order repeats), which keeps a two-chunk batch near the size
 * of a one-chunk one (fully unrolled it is ~4,400 instructions, about 30 KB, and
 * measured a little slower).
 */
INLINE void known_rounds(vec s[8], const vec kw[64])
{
#pragma GCC unroll 1
    for (int j = 0; j < 64; j += 8) {
#pragma GCC unroll 8
        for (int i = 0; i < 8; i++)
            vround(s, i, kw[j + i]);
    }
}

/*
 * known_rounds for two batches side by side. One batch's rounds are a dependency chain
 * that leaves the vector pipes idle part of each round; a second, independent chain
 * fills them, and the two states (16 registers) and temporaries still fit in 32.
 */
INLINE void known_rounds_pair(vec s[8], vec t[8], const vec kw[64])
{
#pragma GCC unroll 1
    for (int j = 0; j < 64; j += 8) {
#pragma GCC unroll 8
        for (int i = 0; i < 8; i++) {
            vround(s, i, kw[j + i]);
            vround(t, i, kw[j + i]);
        }
    }
}

/* Chunk 1 of a two-chunk message, all 64 rounds from state h1, fed forward into h1. */
INLINE void next_chunk(const plan *p, vec h1[8], vec hi_part, int next_hi)
{
    vec w[64], s[8];
    if (next_hi >= 0)
        w[next_hi] = vaddc(hi_part, &p->next_base[next_hi]);
    for (int r = 0; r < 8; r++)
        s[r] = h1[r];
    if (next_hi < 0)
        known_rounds(s, p->next_kw);
    else
        chunk_rounds(p, s, w, p->next_base, p->next_kw, hi_part, variable_words(-1, next_hi), 0);
    for (int r = 0; r < 8; r++)
        h1[r] = vadd(s[r], h1[r]);
}

/*
 * The first hash of a message whose nonce words lo and hi (global word numbers)
 * and chunk count are compile-time constants. The nonce chunk starts from the
 * plan's state after round lo; a second chunk runs all its rounds, with whatever
 * of its schedule is constant taken from the plan.
 */
INLINE void first_hash_fixed(const plan *p, vec h1[8], vec lo_part, vec hi_part, int lo, int hi, int chunks)
{
    const uint64_t variable = variable_words(lo, hi_in_chunk(hi));
    vec w[64], s[8];
    for (int r = 0; r < 8; r++)
        s[r] = p->start[r];
    s[SLOT(0, lo + 1)] = vadd(s[SLOT(0, lo + 1)], lo_part);
    s[SLOT(4, lo + 1)] = vadd(s[SLOT(4, lo + 1)], lo_part);
    w[lo] = vaddc(lo_part, &p->base[lo]);
    if (hi_in_chunk(hi) >= 0)
        w[hi] = vaddc(hi_part, &p->base[hi]);
    chunk_rounds(p, s, w, p->base, p->kw, hi_part, variable, lo + 1);
    for (int r = 0; r < 8; r++)
        h1[r] = vaddc(s[r], &p->midstate[r]);
    if (chunks == 2)
        next_chunk(p, h1, hi_part, hi_in_next(hi));
}

/* The first hash when all lanes share one run: chunk 0's output is the plan's. */
INLINE void first_hash_run(const plan *p, vec h1[8], vec hi_part)
{
    for (int r = 0; r < 8; r++)
        h1[r] = p->run_state[r];
    next_chunk(p, h1, hi_part, 0);
}

/*
 * The second hash of the first digests, run only as far as the filter word needs.
 * Digest word j < 4 is the a register after round 63 - j, word j >= 4 the e
 * register after round 67 - j; `word` is a compile-time constant 0..7, or -1 to
 * finish all eight into out[].
 */
INLINE vec second_hash(const plan *p, const vec h1[8], int word, vec out[8])
{
    int last = word < 0 ? 63 : word < 4 ? 63 - word : 67 - word;
    vec w[64], s[8];
    for (int r = 0; r < 8; r++)
        s[r] = p->second_start[r];
    s[SLOT(0, 1)] = vadd(s[SLOT(0, 1)], h1[0]);
    s[SLOT(4, 1)] = vadd(s[SLOT(4, 1)], h1[0]);
    for (int i = 0; i < 8; i++)
        w[i] = h1[i];
#pragma GCC unroll 64
    for (int i = 1; i <= last; i++) {
        if (!second_variable(i)) {
            vround(s, i, p->second_kw[i]);
            continue;
        }
        if (i >= 16)
            w[i] = schedule_word(w, i, second_terms(i), second_base(i) ? &p->second_base[i] : NULL);
        vround(s, i, vaddc(w[i], &p->k[i]));
    }
    if (word < 0) {
        for (int r = 0; r < 8; r++)
            out[r] = vaddc(s[r], &p->iv[r]);
        return out[0];
    }
    return vaddc(word < 4 ? s[SLOT(0, last + 1)] : s[SLOT(4, last + 1)], &p->iv[word]);
}

INLINE vec bswap_lanes(vec x)
{
    return _mm512_shuffle_epi8(x, _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203));
}

/* In place of a nonce word: every lane's chunk 0 is the current run's (plan.run_state). */
enum { LAYOUT_RUN = -2 };

/* The nonce's share of its two message words for lanes base..base+15. */
INLINE void nonce_parts(const plan *p, uint32_t base, vec *lo_part, vec *hi_part)
{
    vec n = vadd(_mm512_set1_epi32((int)base), _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
    if (p->nonce_le)
        n = bswap_lanes(n);
    *lo_part = _mm512_srl_epi32(n, _mm_cvtsi32_si128(p->shift));
    *hi_part = _mm512_sll_epi32(n, _mm_cvtsi32_si128(32 - p->shift));
}

/* Bit j set when lane j's filter word v passes. */
INLINE uint32_t filter_lanes(const plan *p, vec v)
{
    if (p->filter_bswap)
        v = bswap_lanes(v);
    return _mm512_cmple_epu32_mask(v, p->filter_max);
}

/*
 * Bit j set when nonce base + j passes the filter. lo = -1 selects the any-layout
 * first hash of `chunks` chunks; word < 0 the full second hash with the plan's word.
 */
INLINE uint32_t scan_batch(const plan *p, uint32_t base, int lo, int hi, int chunks, int word)
{
    vec h1[8], out[8], lo_part, hi_part;
    nonce_parts(p, base, &lo_part, &hi_part);
    if (lo == LAYOUT_RUN)
        first_hash_run(p, h1, hi_part);
    else if (lo >= 0)
        first_hash_fixed(p, h1, lo_part, hi_part, lo, hi, chunks);
    else
        first_hash_any(p, h1, lo_part, hi_part, chunks);
    vec v = second_hash(p, h1, word, out);
    if (word < 0)
        v = out[p->filter_word];
    return filter_lanes(p, v);
}

/* One out-of-line batch function per layout, so the plan stays in memory, read as operands.
 * A batch is LANES nonces, or 2 * LANES for the padding layouts below. */
typedef uint32_t (*batch_fn)(const plan *p, uint32_t base);
#define BATCH_FN(name, lo, hi, chunks, word) \
    static __attribute__((noinline)) uint32_t name(const plan *p, uint32_t base) \
    { return scan_batch(p, base, lo, hi, chunks, word); }

/* The word-0 filter of the second hash of one batch's first digests. */
static __attribute__((noinline)) uint32_t second_hash_word0(const plan *p, const vec h1[8])
{
    return filter_lanes(p, second_hash(p, h1, 0, NULL));
}

/*
 * Padding layouts (chunk 1 is constant padding), two batches at a time: each batch's
 * nonce chunk alone (out of line, so GCC cannot merge the two into one block that
 * spills), then both padding chunks side by side (known_rounds_pair), then each second
 * hash. Bits 0..15 are the first batch's lanes, 16..31 the second's.
 */
INLINE uint32_t scan_padding_pair(const plan *p, uint32_t base, void (*nonce_chunk)(const plan *, uint32_t, vec *))
{
    vec h1[2][8], s[2][8];
    nonce_chunk(p, base, h1[0]);
    nonce_chunk(p, base + LANES, h1[1]);
    for (int r = 0; r < 8; r++) {
        s[0][r] = h1[0][r];
        s[1][r] = h1[1][r];
    }
    known_rounds_pair(s[0], s[1], p->next_kw);
    for (int r = 0; r < 8; r++) {
        h1[0][r] = vadd(s[0][r], h1[0][r]);
        h1[1][r] = vadd(s[1][r], h1[1][r]);
    }
    return second_hash_word0(p, h1[0]) | second_hash_word0(p, h1[1]) << LANES;
}

#define PADDING_PAIR_FN(name, lo, hi)                                                          \
    static __attribute__((noinline)) void name##_nonce_chunk(const plan *p, uint32_t base, vec *h1) \
    {                                                                                           \
        vec lo_part, hi_part;                                                                   \
        nonce_parts(p, base, &lo_part, &hi_part);                                               \
        first_hash_fixed(p, h1, lo_part, hi_part, lo, hi, 1);                                   \
    }                                                                                           \
    static __attribute__((noinline)) uint32_t name(const plan *p, uint32_t base)                \
    { return scan_padding_pair(p, base, name##_nonce_chunk); }

/*
 * Compile-time layouts for the two messages the project hashes most: a 14-byte
 * block with its nonce appended (words 3 and 4, filter on word 0) and a Bitcoin
 * header (word 3, filter on word 7); and for every two-chunk layout (appended
 * blocks of 52..63 bytes mod 64, nonce in words 13..16), where the third
 * compression would otherwise also pay for a constant message schedule. Other
 * appended blocks take the run-time layout with the word-0 filter cnd_scan.c gives
 * them; any other filter word, the full second hash.
 */
BATCH_FN(batch_append14, 3, 4, 1, 0)
BATCH_FN(batch_bitcoin, 3, -1, 1, 7)
PADDING_PAIR_FN(batch_two_13, 13, -1)
PADDING_PAIR_FN(batch_two_13_14, 13, 14)
PADDING_PAIR_FN(batch_two_14, 14, -1)
PADDING_PAIR_FN(batch_two_14_15, 14, 15)
PADDING_PAIR_FN(batch_two_15, 15, -1)
BATCH_FN(batch_two_15_16, 15, 16, 2, 0)
BATCH_FN(batch_run, LAYOUT_RUN, 16, 2, 0)
BATCH_FN(batch_any1_word0, -1, -1, 1, 0)
BATCH_FN(batch_any2_word0, -1, -1, 2, 0)
BATCH_FN(batch_any, -1, -1, 0, -1)

/* The two-chunk batch for nonce word lo (13..15) with a second word or without. */
static batch_fn two_chunk_batch(int lo, int straddles)
{
    static const batch_fn by_word[3][2] = {
        {batch_two_13, batch_two_13_14},
        {batch_two_14, batch_two_14_15},
        {batch_two_15, batch_two_15_16},
    };
    return lo >= 13 && lo <= 15 ? by_word[lo - 13][straddles] : NULL;
}

static batch_fn choose_batch(const cnd_job *job)
{
    int one_chunk = job->nchunks == 1;
    if (one_chunk && job->nonce_word == 3 && job->nonce_shift == 16 && job->filter_word == 0)
        return batch_append14;
    if (one_chunk && job->nonce_word == 3 && job->nonce_shift == 0 && job->filter_word == 7)
        return batch_bitcoin;
    if (job->filter_word != 0)
        return batch_any;
    if (one_chunk)
        return batch_any1_word0;
    batch_fn two = two_chunk_batch(job->nonce_word, job->nonce_shift != 0);
    return two ? two : batch_any2_word0;
}

/* Nonces per call of a batch function. */
static unsigned batch_width(batch_fn batch)
{
    return batch == batch_two_13 || batch == batch_two_13_14 || batch == batch_two_14 || batch == batch_two_14_15 ||
                   batch == batch_two_15
               ? 2 * LANES
               : LANES;
}

int cnd_kernel_avx512(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    plan p __attribute__((aligned(64)));
    plan_build(&p, job);
    batch_fn batch = choose_batch(job);
    const unsigned width = batch_width(batch);
    cnd_run run = {0};
    uint64_t remaining = (uint64_t)last - first + 1;
    uint32_t base = first;
    while (remaining > 0) {
        unsigned lanes = remaining < width ? (unsigned)remaining : width;
        batch_fn this_batch = batch;
        if (batch == batch_two_15_16 && cnd_job_same_run(job, base, LANES)) {
            if (cnd_run_enter(&run, job, base)) {
                for (int r = 0; r < 8; r++)
                    p.run_state[r] = _mm512_set1_epi32((int)run.state[r]);
            }
            this_batch = batch_run;
        }
        /* Lanes past `last` may wrap around 2^32; they are masked off, never reported. */
        uint32_t hits = this_batch(&p, base) & (uint32_t)((1ull << lanes) - 1);
        if (hits) {
            *candidate = base + (uint32_t)__builtin_ctz(hits);
            return 1;
        }
        base += width;
        remaining -= lanes;
    }
    return 0;
}
