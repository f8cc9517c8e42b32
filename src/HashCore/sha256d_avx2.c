/*
 * AVX2 kernel: 16 nonces per batch, as two independent groups of eight 32-bit lanes.
 *
 * A batch costs two SHA-256 compressions per group (three when the message tail
 * spans two chunks). What shapes the code, measured on Zen 5 (see the report in the
 * commit that added this file for figures):
 *  - Vector adds and logic take two cycles there, and one SHA-256 round is a chain of
 *    about six of them, so a single group leaves the ports idle; two groups go
 *    through every round side by side and fill them.
 *  - A fully unrolled double hash is ~6,000 instructions per group; twice that no
 *    longer fits the instruction cache and the front end becomes the limit. So only
 *    rounds 0..15 are unrolled per message shape ("head"), and rounds 16..63 are one
 *    shared loop ("tail").
 *  - The head is compiled once per shape (which message words vary between lanes,
 *    and whether the starting state does) and leaves out everything nonce-independent,
 *    using a "prep" made once per call: the rounds before the first varying word, that
 *    word's round less the word itself, K[r] + W[r] for constant words, and the
 *    constant part of schedule words 16..31 (where most of the known zeros of the
 *    padding sit), so only their varying terms are computed per batch.
 *  - When the nonce's high bits sit alone in one word (big-endian, shift >= 16), that
 *    word is constant over runs of 2^shift nonces: each run gets its own prep and the
 *    varying part starts one word later.
 * Constants are read from memory as operands: GCC would otherwise rebuild each
 * broadcast immediate with three instructions, two of them on the vector ports.
 * AVX2 has no rotate: a rotation is two shifts and an OR.
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
    HEAD_WORDS = 32,        /* schedule words the head computes: W[0..31] */
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
 * K[0..63] broadcast. Out of line on purpose: one copy serves every head, so the hot
 * code stays small enough for the instruction cache.
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

/*
 * Which message words vary from lane to lane when words p..q of the chunk do (p =
 * NO_WORD: none). W[j] (j >= 16) varies when one of W[j-2], W[j-7], W[j-15], W[j-16]
 * does; the first such j is the first that reaches back into p..q. From there on every
 * word is treated as varying: most are, and the few that are not get a varying part of
 * zero, which costs nothing. In a compiled head all of this folds to constants.
 */
static ALWAYS_INLINE int reach_from(int p, int q, int lag, int j)
{
    if (q + lag < CHUNK_WORDS)
        return j;
    int at = p + lag < CHUNK_WORDS ? CHUNK_WORDS : p + lag;
    return at < j ? at : j;
}

static ALWAYS_INLINE int word_varies(int j, int p, int q)
{
    if (j < CHUNK_WORDS)
        return j >= p && j <= q;
    if (p >= CHUNK_WORDS)
        return 0;
    int first = reach_from(p, q, 2, reach_from(p, q, 7, reach_from(p, q, 15, reach_from(p, q, 16, ROUNDS))));
    return j >= first;
}

/* Everything about one compression shape that is the same in every lane. */
typedef struct prep {
    vec init[8];            /* chaining value entering the chunk (fed forward at the end) */
    vec st[8];              /* state before round p */
    vec round_a, round_e;   /* round p's new a and e with W[p] = 0 (the round is linear in W[p]) */
    vec cw[HEAD_WORDS];     /* constant part of message words 0..31 */
    vec kw[CHUNK_WORDS];    /* K[r] + cw[r]; just K[r] for the varying words p..q */
} prep;

/* The sum of the terms of W[j] that vary; the rest is in cw[j]. */
static ALWAYS_INLINE vec varying_terms(const vec *w, int j, int p, int q)
{
    vec x = splat(0);
    if (word_varies(j - 2, p, q)) x += ssig1(w[j - 2]);
    if (word_varies(j - 7, p, q)) x += w[j - 7];
    if (word_varies(j - 15, p, q)) x += ssig0(w[j - 15]);
    if (word_varies(j - 16, p, q)) x += w[j - 16];
    return x;
}

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

/* The chunk after the nonce chunk: its state varies, and its word 0 too when the
 * nonce straddles into it. */
typedef void (*next_chunk_fn)(const prep *pp, const vec *k, const vec *word0, vec *st);

static void next_chunk_straddled(const prep *pp, const vec *k, const vec *word0, vec *st)
{
    compress(pp, k, word0, 1, st, 0, 0, 1);
}

static void next_chunk_constant(const prep *pp, const vec *k, const vec *none, vec *st)
{
    compress(pp, k, none, 0, st, NO_WORD, NO_WORD, 1);
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
 * are words[]; the chunk starts from chaining value init. */
static void prep_build(prep *pp, const uint32_t init[8], const uint32_t words[CHUNK_WORDS], int p, int q)
{
    static const int lags[4] = {2, 7, 15, 16};
    vec full[HEAD_WORDS];
    for (int i = 0; i < 8; i++)
        pp->init[i] = splat(init[i]);
    for (int j = 0; j < HEAD_WORDS; j++) {
        if (j < CHUNK_WORDS) {
            pp->cw[j] = splat(words[j]);
            pp->kw[j] = (word_varies(j, p, q) ? splat(0) : pp->cw[j]) + CND_SHA256_K[j];
        } else {
            const vec terms[4] = {ssig1(full[j - 2]), full[j - 7], ssig0(full[j - 15]), full[j - 16]};
            pp->cw[j] = splat(0);
            for (int t = 0; t < 4; t++) {
                if (!word_varies(j - lags[t], p, q))
                    pp->cw[j] += terms[t];
            }
        }
        full[j] = pp->cw[j];
    }
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

/* Everything one run of nonces needs. */
typedef struct run {
    prep nonce_chunk;            /* the first chunk that holds nonce bits */
    prep next_chunk;             /* the chunk after it, when the message tail has two */
    prep second;                 /* the second hash: words 0..7 vary */
    vec k[ROUNDS];               /* K, broadcast */
    nonce_chunk_fn nonce_chunk_fn;
    next_chunk_fn next_chunk_fn; /* NULL: no next chunk */
    vec word_p, word_p1;         /* nonce words p and p+1 with their nonce bits zero */
    vec next_word0;              /* the same for word 0 of the next chunk */
    vec lane_index[GROUPS];      /* 0, 1, ..., LANES - 1 */
    int nonce_le;
    int high_left, high_right;   /* nonce bits of word p: (n' << high_left) >> high_right */
    int low_left;                /* of word p+1 or the next chunk's word 0: n' << low_left ... */
    uint32_t low_mask;           /* ... & low_mask (0 when no bits go there) */
} run;

static ALWAYS_INLINE vec byte_swap(vec x)
{
    return x << 24 | (x & 0xff00) << 8 | (x >> 8 & 0xff00) | x >> 24;
}

/*
 * The run starting at nonce `first`. With `fixed_high`, the nonce's high bits (the
 * same for the whole run) are written into word nonce_word, and the low bits in word
 * nonce_word + 1 are all that varies.
 */
static void run_build(run *rn, const cnd_job *job, int fixed_high, uint32_t first)
{
    static const uint32_t second_words[CHUNK_WORDS] = {0, 0, 0, 0, 0, 0, 0, 0, 0x80000000u, 0, 0, 0, 0, 0, 0, 256};
    uint32_t words[2 * CHUNK_WORDS];
    uint32_t init[8];
    int shift = job->nonce_shift;
    int p_abs = job->nonce_word;
    for (int i = 0; i < 2 * CHUNK_WORDS; i++)
        words[i] = job->chunk[i / CHUNK_WORDS][i % CHUNK_WORDS];
    for (int i = 0; i < 8; i++)
        init[i] = job->midstate[i];
    if (fixed_high) {
        words[p_abs] |= first >> shift;
        p_abs++;
    }
    int p = p_abs % CHUNK_WORDS;
    const uint32_t *chunk = words;
    if (p_abs >= CHUNK_WORDS) {
        cnd_sha256_compress(init, words);
        chunk = words + CHUNK_WORDS;
    }
    prep_build(&rn->nonce_chunk, init, chunk, p, p + 1 < CHUNK_WORDS ? p + 1 : p);
    rn->nonce_chunk_fn = nonce_chunk_at[p];
    rn->word_p = splat(chunk[p]);
    rn->word_p1 = splat(p + 1 < CHUNK_WORDS ? chunk[p + 1] : 0);
    rn->next_word0 = splat(words[CHUNK_WORDS]);

    rn->next_chunk_fn = NULL;
    if (p_abs < CHUNK_WORDS && job->nchunks == 2) {
        int straddles = p == CHUNK_WORDS - 1;
        prep_build(&rn->next_chunk, init, words + CHUNK_WORDS, straddles ? 0 : NO_WORD, straddles ? 0 : NO_WORD);
        rn->next_chunk_fn = straddles ? next_chunk_straddled : next_chunk_constant;
    }
    prep_build(&rn->second, CND_SHA256_IV, second_words, 0, 7);

    for (int r = 0; r < ROUNDS; r++)
        rn->k[r] = splat(CND_SHA256_K[r]);
    for (int i = 0; i < LANES; i++)
        rn->lane_index[i / VEC_LANES][i % VEC_LANES] = (uint32_t)i;
    rn->nonce_le = job->nonce_le;
    rn->high_left = fixed_high ? 32 - shift : 0;
    rn->high_right = fixed_high ? 0 : shift;
    rn->low_left = (32 - shift) & 31;
    rn->low_mask = fixed_high || shift == 0 ? 0 : 0xffffffffu;
}

static ALWAYS_INLINE uint32_t lanes_in_range(uint32_t base, uint32_t last)
{
    uint32_t left = last - base;
    return left >= LANES - 1 ? (1u << LANES) - 1 : (1u << (left + 1)) - 1;
}

/* Scans [first, last] within one run. */
static int scan_run(const run *rn, const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    for (uint32_t base = first;; base += LANES) {
        vec nonce_words[2 * GROUPS], low[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            vec n = rn->lane_index[g] + base;
            if (rn->nonce_le)
                n = byte_swap(n);
            low[g] = n << rn->low_left & rn->low_mask;
            nonce_words[2 * g] = rn->word_p + (n << rn->high_left >> rn->high_right);
            nonce_words[2 * g + 1] = rn->word_p1 + low[g];
        }
        vec digest[8 * GROUPS], final[8 * GROUPS];
        rn->nonce_chunk_fn(&rn->nonce_chunk, rn->k, nonce_words, digest);
        if (rn->next_chunk_fn) {
            vec next_word0[GROUPS];
            for (int g = 0; g < GROUPS; g++)
                next_word0[g] = rn->next_word0 + low[g];
            rn->next_chunk_fn(&rn->next_chunk, rn->k, next_word0, digest);
        }
        second_hash(&rn->second, rn->k, digest, final);

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

    int shift = job->nonce_shift;
    /* A new prep per run pays off only when runs are long (2^16 nonces or more). */
    int fixed_high = !job->nonce_le && shift >= 16;

    run rn;
    for (uint32_t from = first;;) {
        uint32_t to = last;
        if (fixed_high) {
            uint32_t run_end = from | ((1u << shift) - 1);
            if (run_end < to)
                to = run_end;
        }
        run_build(&rn, job, fixed_high, from);
        if (scan_run(&rn, job, from, to, candidate))
            return 1;
        if (to == last)
            return 0;
        from = to + 1;
    }
}
