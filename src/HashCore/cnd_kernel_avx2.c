/*
 * AVX2 kernel: 16 nonces per batch, as two independent groups of eight 32-bit lanes.
 *
 * A batch costs two SHA-256 compressions per group (three when the message tail
 * spans two chunks: when chunk 1 is only padding, its 64 rounds take K + W from the
 * job and compute no schedule; when the nonce straddles into it, chunk 0 is made once
 * per run of nonces sharing their high bits, so two again). What shapes the code
 * (measured on Zen 5, where this was tuned):
 *  - Vector adds and logic take two cycles there and a round's dependency chain is
 *    about six of them deep, so one group alone leaves the vector ports idle; two
 *    groups go through every round side by side and keep them busy.
 *  - A fully unrolled double hash is ~6,000 instructions per group. With two groups
 *    that no longer fits the instruction cache and the front end becomes the limit
 *    (measured: slower than one group). So only rounds 0..15 are unrolled per message
 *    shape (the "head"), and rounds 16..63 are one shared loop (the "tail").
 *  - The head is compiled once per shape (which message words vary between lanes, and
 *    whether the starting state does) and skips what does not depend on the nonce,
 *    using a "prep" made once per call: the rounds before the first varying word, that
 *    word's round less the word itself (the round is linear in it), and K + W for the
 *    constant words. The second hash is the same head with words 0..7 varying.
 *  - Constants are memory operands: GCC would otherwise rebuild each broadcast
 *    immediate with three instructions, two of them on the vector ports.
 * AVX2 has no rotate, so a rotation is two shifts and an OR.
 * What was tried and left out: docs/hashcore-design.md.
 */
#include <immintrin.h>

#include "cnd_impl.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

enum {
    VEC_LANES = 8,
    GROUPS = 2,
    LANES = VEC_LANES * GROUPS,
    CHUNK_WORDS = 16,
    ROUNDS = 64,
    NO_WORD = CHUNK_WORDS,  /* "no varying message word" */
};

typedef uint32_t vec __attribute__((vector_size(4 * VEC_LANES)));

static ALWAYS_INLINE vec splat(uint32_t x) { return (vec){0} + x; }

/* OR-ed shift pairs keep each rotation a separate depth-2 unit; as one flat XOR of
 * six shifts the compiler may chain them serially and double the latency. */
#define ROTR(x, n) ((x) >> (n) | (x) << (32 - (n)))
static ALWAYS_INLINE vec bsig0(vec x) { return ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22); }
static ALWAYS_INLINE vec bsig1(vec x) { return ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25); }
static ALWAYS_INLINE vec ssig0(vec x) { return ROTR(x, 7) ^ ROTR(x, 18) ^ x >> 3; }
static ALWAYS_INLINE vec ssig1(vec x) { return ROTR(x, 17) ^ ROTR(x, 19) ^ x >> 10; }
static ALWAYS_INLINE vec ch(vec e, vec f, vec g) { return g ^ (e & (f ^ g)); }
/* b ^ c here is the previous round's a ^ b, which the compiler reuses. */
static ALWAYS_INLINE vec maj(vec a, vec b, vec c) { return b ^ ((a ^ b) & (b ^ c)); }

/* One round: the new a lands in h's variable and the new e in d's, so callers rotate
 * the names instead of moving eight registers. kw is K[r] + W[r]. */
#define ROUND(a, b, c, d, e, f, g, h, kw)                      \
    do {                                                       \
        vec t1_ = (h) + (kw) + ch(e, f, g) + bsig1(e);         \
        vec t2_ = bsig0(a) + maj(a, b, c);                     \
        (d) += t1_;                                            \
        (h) = t1_ + t2_;                                       \
    } while (0)

/* Round r sees state word k in variable number (k - r) & 7, so after every eighth
 * round the variables are a..h in order again. RND gets i and those numbers. */
#define ROUNDS_8(RND, i)                   \
    RND((i) + 0, 0, 1, 2, 3, 4, 5, 6, 7)  \
    RND((i) + 1, 7, 0, 1, 2, 3, 4, 5, 6)  \
    RND((i) + 2, 6, 7, 0, 1, 2, 3, 4, 5)  \
    RND((i) + 3, 5, 6, 7, 0, 1, 2, 3, 4)  \
    RND((i) + 4, 4, 5, 6, 7, 0, 1, 2, 3)  \
    RND((i) + 5, 3, 4, 5, 6, 7, 0, 1, 2)  \
    RND((i) + 6, 2, 3, 4, 5, 6, 7, 0, 1)  \
    RND((i) + 7, 1, 2, 3, 4, 5, 6, 7, 0)

/* The two groups' state: s0..s7 and t0..t7 are a..h of group 0 and group 1. */
#define STATE_LOAD(src)                                                               \
    vec s0 = (src)[0], s1 = (src)[1], s2 = (src)[2], s3 = (src)[3], s4 = (src)[4],     \
        s5 = (src)[5], s6 = (src)[6], s7 = (src)[7], t0 = (src)[8], t1 = (src)[9],     \
        t2 = (src)[10], t3 = (src)[11], t4 = (src)[12], t5 = (src)[13], t6 = (src)[14], \
        t7 = (src)[15]
#define STATE_STORE(dst)                                                    \
    do {                                                                    \
        (dst)[0] = s0; (dst)[1] = s1; (dst)[2] = s2; (dst)[3] = s3;         \
        (dst)[4] = s4; (dst)[5] = s5; (dst)[6] = s6; (dst)[7] = s7;         \
        (dst)[8] = t0; (dst)[9] = t1; (dst)[10] = t2; (dst)[11] = t3;       \
        (dst)[12] = t4; (dst)[13] = t5; (dst)[14] = t6; (dst)[15] = t7;     \
    } while (0)

/*
 * Rounds 16..63 of both groups with the whole message schedule. win holds W[0..15]
 * of each group (16 words per group) and is the rolling schedule window; k is
 * K[0..63] broadcast. Out of line and not unrolled on purpose: one copy serves every
 * head, so the hot code stays small enough for the instruction cache.
 */
static __attribute__((noinline)) void tail_rounds(vec state[2 * 8], vec win[2 * 16], const vec *k)
{
    STATE_LOAD(state);
    vec *w0 = win, *w1 = win + 16;
#pragma GCC unroll 1
    for (int r = 16; r < ROUNDS; r += 16) {
#define NEXT_WORD(w, i) w[i] += ssig1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] + ssig0(w[((i) + 1) & 15])
#define TAIL_RND(i, A, B, C, D, E, F, G, H)                                          \
        NEXT_WORD(w0, i);                                                            \
        ROUND(s##A, s##B, s##C, s##D, s##E, s##F, s##G, s##H, w0[i] + k[r + (i)]);  \
        NEXT_WORD(w1, i);                                                            \
        ROUND(t##A, t##B, t##C, t##D, t##E, t##F, t##G, t##H, w1[i] + k[r + (i)]);
        ROUNDS_8(TAIL_RND, 0)
        ROUNDS_8(TAIL_RND, 8)
#undef TAIL_RND
#undef NEXT_WORD
    }
    STATE_STORE(state);
}

/* Words p..q of a chunk vary between lanes (p = NO_WORD: none); the rest are constant. */
static ALWAYS_INLINE int word_varies(int j, int p, int q)
{
    return j >= p && j <= q;
}

/* Everything about one compression shape that is the same in every lane. */
typedef struct prep {
    vec init[8];            /* chaining value entering the chunk (fed forward at the end) */
    vec st[8];              /* state before round p */
    vec round_a, round_e;   /* round p's new a and e with W[p] = 0 */
    vec cw[CHUNK_WORDS];    /* the message words (varying ones: their constant part) */
    vec kw[CHUNK_WORDS];    /* K[r] + cw[r]; just K[r] for the varying words p..q */
} prep;

/*
 * One compression of both groups, whose words P..Q are in[] (in_stride words per
 * group, group 0 first) and whose other words are the prep's constants. With STATE_IN
 * the starting state varies too and is read from st (16 vectors); otherwise it is the
 * prep's and rounds before P are already done. Writes the chaining values after the
 * chunk to st. P, Q and STATE_IN are compile-time constants in every caller.
 */
static ALWAYS_INLINE void compress(const prep *pp, const vec *k, const vec *in, int in_stride, vec *st,
                                   const int P, const int Q, const int STATE_IN)
{
    vec w0[CHUNK_WORDS], w1[CHUNK_WORDS];
    for (int j = P; j <= Q && j < CHUNK_WORDS; j++) {
        w0[j] = in[j - P];
        w1[j] = in[in_stride + j - P];
    }
    vec init[2 * 8];
    for (int i = 0; i < 2 * 8; i++)
        init[i] = STATE_IN ? st[i] : pp->init[i % 8];
    /* Variable number v holds state word (v + P) & 7 before round P. */
    const int at = STATE_IN ? 0 : P;
    vec start[2 * 8];
    for (int i = 0; i < 2 * 8; i++)
        start[i] = STATE_IN ? st[(i & 8) | ((i + at) & 7)] : pp->st[(i + at) & 7];
    STATE_LOAD(start);

#define GROUP_RND(r, S, W, A, B, C, D, E, F, G, H)                            \
    if (!STATE_IN && (r) == P) {                                              \
        S##H = pp->round_a + W[P];                                            \
        S##D = pp->round_e + W[P];                                            \
    } else if (STATE_IN || (r) > P) {                                         \
        vec kw_ = pp->kw[r];                                                  \
        if (word_varies(r, P, Q))                                             \
            kw_ += W[r];                                                      \
        ROUND(S##A, S##B, S##C, S##D, S##E, S##F, S##G, S##H, kw_);           \
    }
#define HEAD_RND(r, A, B, C, D, E, F, G, H)                                   \
    GROUP_RND(r, s, w0, A, B, C, D, E, F, G, H)                               \
    GROUP_RND(r, t, w1, A, B, C, D, E, F, G, H)
    ROUNDS_8(HEAD_RND, 0)
    ROUNDS_8(HEAD_RND, 8)
#undef HEAD_RND
#undef GROUP_RND

    vec win[2 * 16];
    for (int j = 0; j < CHUNK_WORDS; j++) {
        win[j] = word_varies(j, P, Q) ? w0[j] : pp->cw[j];
        win[16 + j] = word_varies(j, P, Q) ? w1[j] : pp->cw[j];
    }
    vec state[2 * 8];
    STATE_STORE(state);
    tail_rounds(state, win, k);
    for (int i = 0; i < 2 * 8; i++)
        st[i] = state[i] + init[i];
}

/* The first chunk with nonce bits, nonce in words P and P+1: one head per P. */
typedef void (*nonce_chunk_fn)(const prep *pp, const vec *k, const vec *words, vec *out);
#define NONCE_CHUNK_AT(P)                                                                        \
    static void nonce_chunk_##P(const prep *pp, const vec *k, const vec *words, vec *out)        \
    {                                                                                            \
        compress(pp, k, words, 2, out, P, (P) + 1 < CHUNK_WORDS ? (P) + 1 : (P), 0);             \
    }
CND_EACH_CHUNK_WORD(NONCE_CHUNK_AT)
static const nonce_chunk_fn nonce_chunk_at[CHUNK_WORDS] = CND_CHUNK_WORD_TABLE(nonce_chunk);

/* The chunk after the nonce chunk: its state varies, and its word 0 too when the
 * nonce straddles into it. */
typedef void (*next_chunk_fn)(const prep *pp, const vec *k, const vec *word0, vec *st);

static void next_chunk_straddled(const prep *pp, const vec *k, const vec *word0, vec *st)
{
    compress(pp, k, word0, 1, st, 0, 0, 1);
}

/*
 * The padding chunk (no nonce bit in it): only its state varies, and k is the whole
 * schedule plus K, made once per scan, so its 64 rounds compute no message word.
 * Out of line and rolled by eight rounds, for the front end: rolled by sixteen like
 * tail_rounds, the padding layouts measured about 7 % slower.
 */
static __attribute__((noinline)) void padding_chunk(const prep *pp, const vec *kw, const vec *none, vec *st)
{
    (void)pp;
    (void)none;
    STATE_LOAD(st);
#pragma GCC unroll 1
    for (int r = 0; r < ROUNDS; r += 8) {
#define PADDING_RND(i, A, B, C, D, E, F, G, H)                                 \
        ROUND(s##A, s##B, s##C, s##D, s##E, s##F, s##G, s##H, kw[r + (i)]);   \
        ROUND(t##A, t##B, t##C, t##D, t##E, t##F, t##G, t##H, kw[r + (i)]);
        ROUNDS_8(PADDING_RND, 0)
#undef PADDING_RND
    }
    vec out[2 * 8];
    STATE_STORE(out);
    for (int i = 0; i < 2 * 8; i++)
        st[i] += out[i];
}

/* The second hash: its message is the 32-byte first digest, padded. */
static void second_hash(const prep *pp, const vec *k, const vec *digest, vec *out)
{
    compress(pp, k, digest, 8, out, 0, 7, 0);
}

static void rotate_state(vec s[8])
{
    vec a = s[7];
    for (int i = 7; i > 0; i--)
        s[i] = s[i - 1];
    s[0] = a;
}

/* Prep for a chunk whose words p..q vary (p = NO_WORD: none) and whose other words
 * are words[]. init is the chaining value it starts from, or NULL when that varies
 * between lanes too (then there is no round to do ahead). */
static void prep_build(prep *pp, const uint32_t *init, const uint32_t words[CHUNK_WORDS], int p, int q)
{
    for (int j = 0; j < CHUNK_WORDS; j++) {
        pp->cw[j] = splat(words[j]);
        pp->kw[j] = (word_varies(j, p, q) ? splat(0) : pp->cw[j]) + CND_SHA256_K[j];
    }
    if (init == NULL)
        return;
    for (int i = 0; i < 8; i++)
        pp->init[i] = splat(init[i]);
    if (p >= CHUNK_WORDS)
        return;

    vec s[8];
    for (int i = 0; i < 8; i++)
        s[i] = pp->init[i];
    for (int r = 0; r < p; r++) {
        ROUND(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], pp->kw[r]);
        rotate_state(s);
    }
    for (int i = 0; i < 8; i++)
        pp->st[i] = s[i];
    ROUND(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], pp->kw[p]);
    pp->round_a = s[7];
    pp->round_e = s[3];
}

/* Everything a scan needs besides the job: made once per call. */
typedef struct plan {
    prep nonce_chunk;            /* the chunk with the nonce's first byte */
    prep next_chunk;             /* the chunk after it, when the message tail has two */
    prep second;                 /* the second hash: words 0..7 vary */
    vec k[ROUNDS];               /* K, broadcast */
    vec padding_kw[ROUNDS];      /* K + W of the padding chunk, when job->padding_constant */
    nonce_chunk_fn nonce_chunk_fn;
    next_chunk_fn next_chunk_fn; /* NULL: no next chunk */
    vec lane_index[GROUPS];      /* 0, 1, ..., LANES - 1 */
} plan;

static ALWAYS_INLINE vec byte_swap(vec x)
{
    return x << 24 | (x & 0xff00) << 8 | (x >> 8 & 0xff00) | x >> 24;
}

static void plan_build(plan *pl, const cnd_job *job)
{
    static const uint32_t second_words[CHUNK_WORDS] = {0, 0, 0, 0, 0, 0, 0, 0, 0x80000000u, 0, 0, 0, 0, 0, 0, 256};
    const uint32_t *chunk = job->chunk[0];
    int p = job->nonce_word;

    prep_build(&pl->nonce_chunk, job->midstate, chunk, p, p + 1 < CHUNK_WORDS ? p + 1 : p);
    pl->nonce_chunk_fn = nonce_chunk_at[p];

    pl->next_chunk_fn = NULL;
    if (job->padding_constant) {
        for (int r = 0; r < ROUNDS; r++)
            pl->padding_kw[r] = splat(job->padding_kw[r]);
        pl->next_chunk_fn = padding_chunk;
    } else if (job->nchunks == 2) {
        /* Not the padding alone, so the nonce straddles into word 0. */
        prep_build(&pl->next_chunk, NULL, job->chunk[1], 0, 0);
        pl->next_chunk_fn = next_chunk_straddled;
    }
    prep_build(&pl->second, CND_SHA256_IV, second_words, 0, 7);

    for (int r = 0; r < ROUNDS; r++)
        pl->k[r] = splat(CND_SHA256_K[r]);
    for (int i = 0; i < LANES; i++)
        pl->lane_index[i / VEC_LANES][i % VEC_LANES] = (uint32_t)i;
}

static ALWAYS_INLINE uint32_t lanes_in_range(uint32_t base, uint32_t last)
{
    uint32_t left = last - base;
    return left >= LANES - 1 ? (1u << LANES) - 1 : (1u << (left + 1)) - 1;
}

static int scan(const plan *pl, const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    const int shift = job->nonce_shift;
    /* The nonce words with their nonce bits still zero (word p+1 may be in the next chunk). */
    const vec word_p = pl->nonce_chunk.cw[job->nonce_word];
    const vec word_p1 = job->nonce_word + 1 < CHUNK_WORDS ? pl->nonce_chunk.cw[job->nonce_word + 1] : splat(0);
    /* The state after the nonce chunk for the current run of job->run_shift, when known. */
    vec run_state[8] = {0};
    cnd_run run = {0};
    for (uint32_t base = first;; base += LANES) {
        vec nonce_words[2 * GROUPS], low[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            vec n = pl->lane_index[g] + base;
            if (job->nonce_le)
                n = byte_swap(n);
            low[g] = shift ? n << (32 - shift) : splat(0);
            nonce_words[2 * g] = word_p + (n >> shift);
            nonce_words[2 * g + 1] = word_p1 + low[g];
        }
        vec digest[8 * GROUPS], final[8 * GROUPS];
        if (cnd_job_same_run(job, base, LANES)) {
            if (cnd_run_enter(&run, job, base)) {
                for (int i = 0; i < 8; i++)
                    run_state[i] = splat(run.state[i]);
            }
            for (int i = 0; i < 8 * GROUPS; i++)
                digest[i] = run_state[i % 8];
        } else {
            pl->nonce_chunk_fn(&pl->nonce_chunk, pl->k, nonce_words, digest);
        }
        if (pl->next_chunk_fn) {
            vec next_word0[GROUPS];
            for (int g = 0; g < GROUPS; g++)
                next_word0[g] = pl->next_chunk.cw[0] + low[g];
            pl->next_chunk_fn(&pl->next_chunk, job->padding_constant ? pl->padding_kw : pl->k, next_word0,
                              digest);
        }
        second_hash(&pl->second, pl->k, digest, final);

        uint32_t hits = 0;
        for (int g = 0; g < GROUPS; g++) {
            vec v = final[8 * g + job->filter_word];
            if (job->filter_bswap)
                v = byte_swap(v);
            vec pass = v <= job->filter_max;
            hits |= (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps((__m256i)pass)) << (VEC_LANES * g);
        }
        hits &= lanes_in_range(base, last);
        if (hits) {
            *candidate = base + (uint32_t)__builtin_ctz(hits);
            return 1;
        }
        if (last - base < LANES)
            return 0;
    }
}

/* The layouts cnd_job_build makes (the nonce starts in chunk 0); anything else goes to
 * the reference kernel. */
static int layout_supported(const cnd_job *job)
{
    int shift = job->nonce_shift;
    return (job->nchunks == 1 || job->nchunks == 2) &&
           job->nonce_word >= 0 && job->nonce_word < CHUNK_WORDS &&
           (shift == 0 || shift == 8 || shift == 16 || shift == 24) &&
           (shift == 0 || job->nonce_word + 1 < CHUNK_WORDS * job->nchunks) &&
           job->filter_word >= 0 && job->filter_word < 8;
}

int cnd_kernel_avx2(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    if (!layout_supported(job))
        return cnd_kernel_scalar(job, first, last, candidate);
    plan pl;
    plan_build(&pl, job);
    return scan(&pl, job, first, last, candidate);
}
