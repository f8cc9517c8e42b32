/*
 * AVX2 kernel: eight nonces per 256-bit register, one nonce per 32-bit lane.
 *
 * A batch costs two SHA-256 compressions (three when the message tail spans two
 * chunks), so the speed comes from leaving out the work that does not depend on the
 * nonce. One routine, chunk_rounds(), does every compression; it is compiled once
 * per shape (which message words vary from lane to lane, whether the starting state
 * does), and a "prep" made once per call supplies everything constant in that shape:
 *  - the rounds before the first varying word, and that word's round less the word;
 *  - the constant part of every message-schedule word, so a variant computes only the
 *    schedule terms that carry varying words and adds the rest as one vector;
 *  - K[r] + W[r] for every round whose word is constant.
 * The second hash is the same routine with words 0..7 varying and the IV as the
 * constant start; its rounds past the filter word's last change are dead code and
 * the compiler drops them (word 7 is final four rounds before the end).
 * When the nonce's high bits sit alone in one word (big-endian, shift >= 16), that
 * word is constant over runs of 2^shift nonces: each run gets its own prep and the
 * varying part starts one word later.
 *
 * Constants come from the prep in memory, never from immediates: GCC would build each
 * broadcast immediate with a scalar move, a move to a vector register and a broadcast,
 * which costs vector-port slots that the rounds need.
 * AVX2 has no rotate: a rotation is two shifts, and the Sigma functions XOR six
 * shifted copies.
 */
#include <immintrin.h>

#include "cnd_impl.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Two independent groups of eight lanes go through every round side by side: on
 * CPUs whose vector adds and logic take two cycles (Zen 5), one group alone leaves
 * the vector ports idle half the time waiting on the round's dependency chain. */
#ifndef CND_AVX2_GROUPS
#define CND_AVX2_GROUPS 2
#endif
#ifndef LOOP_FROM
#define LOOP_FROM 64
#endif
enum {
    VEC_LANES = 8, GROUPS = CND_AVX2_GROUPS, LANES = VEC_LANES * GROUPS,
    CHUNK_WORDS = 16, ROUNDS = 64, NO_WORD = CHUNK_WORDS,
};

typedef uint32_t vec __attribute__((vector_size(4 * VEC_LANES)));

static ALWAYS_INLINE vec splat(uint32_t x) { return (vec){0} + x; }

/* Written as OR-ed shift pairs so each rotation stays a separate depth-2 unit: as one
 * flat XOR of six shifts the compiler may chain them serially, doubling the latency. */
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
        vec t1_ = (h) + (kw) + ch(e, f, g) + bsig1(e);          \
        vec t2_ = bsig0(a) + maj(a, b, c);                      \
        (d) += t1_;                                            \
        (h) = t1_ + t2_;                                       \
    } while (0)

/* Round r sees state word k in variable (k - r) & 7; after 64 rounds 0..7 are a..h
 * again. RND gets the round and the variable numbers for a..h. */
#define ROUNDS_8(RND, r)                   \
    RND((r) + 0, 0, 1, 2, 3, 4, 5, 6, 7)  \
    RND((r) + 1, 7, 0, 1, 2, 3, 4, 5, 6)  \
    RND((r) + 2, 6, 7, 0, 1, 2, 3, 4, 5)  \
    RND((r) + 3, 5, 6, 7, 0, 1, 2, 3, 4)  \
    RND((r) + 4, 4, 5, 6, 7, 0, 1, 2, 3)  \
    RND((r) + 5, 3, 4, 5, 6, 7, 0, 1, 2)  \
    RND((r) + 6, 2, 3, 4, 5, 6, 7, 0, 1)  \
    RND((r) + 7, 1, 2, 3, 4, 5, 6, 7, 0)
#define ROUNDS_64(RND)                                                     \
    ROUNDS_8(RND, 0) ROUNDS_8(RND, 8) ROUNDS_8(RND, 16) ROUNDS_8(RND, 24)  \
    ROUNDS_8(RND, 32) ROUNDS_8(RND, 40) ROUNDS_8(RND, 48) ROUNDS_8(RND, 56)

/*
 * Which message words vary from lane to lane when words p..q of the chunk do (p = 16:
 * none). W[j] (j >= 16) varies when one of W[j-2], W[j-7], W[j-15], W[j-16] does; the
 * first such j is the first one that reaches back into p..q. From there on every word
 * is treated as varying: most are, and the few that are not get a varying part of
 * zero, which costs nothing. All of this folds to constants in a compiled variant.
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
    vec init[8];           /* chaining value entering the chunk (fed forward at the end) */
    vec st[8];             /* state before round p */
    vec round_a, round_e;  /* round p's new a and e with W[p] = 0 (the round is linear in W[p]) */
    vec cw[ROUNDS];        /* constant part of each message word */
    vec kw[ROUNDS];        /* K[r] + cw[r]; just K[r] for the varying words p..q */
    vec k[ROUNDS];
} prep;

/* The sum of the terms of W[r] that vary; the rest is in cw[r]. */
static ALWAYS_INLINE vec varying_terms(const vec *w, int r, int p, int q)
{
    vec x = splat(0);
    if (word_varies(r - 2, p, q)) x += ssig1(w[r - 2]);
    if (word_varies(r - 7, p, q)) x += w[r - 7];
    if (word_varies(r - 15, p, q)) x += ssig0(w[r - 15]);
    if (word_varies(r - 16, p, q)) x += w[r - 16];
    return x;
}

/*
 * One compression of every group, whose words P..Q are in[] (in_stride words per
 * group, group after group) and
 * whose other words are the prep's constants. With STATE_IN the starting state varies
 * too and comes from st (then all 64 rounds run); otherwise it is the prep's, and
 * rounds before P are already done. Writes the chaining values after the chunk to st
 * (eight words per group). P, Q and STATE_IN are compile-time constants in every caller.
 */
static ALWAYS_INLINE void chunk_rounds(const prep *pp, const vec *in, int in_stride, vec *st,
                                       const int P, const int Q, const int STATE_IN)
{
    const int at = STATE_IN ? 0 : P;
    const vec *from0 = STATE_IN ? st : pp->st;
    const vec *from1 = STATE_IN ? st + 8 * (GROUPS - 1) : pp->st;
    vec w0[ROUNDS], w1[ROUNDS];
    for (int j = P; j <= Q && j < CHUNK_WORDS; j++) {
        w0[j] = in[j - P];
        w1[j] = in[in_stride * (GROUPS - 1) + j - P];
    }
    vec init0[8], init1[8];
    for (int k = 0; k < 8; k++) {
        init0[k] = STATE_IN ? st[k] : pp->init[k];
        init1[k] = STATE_IN ? st[8 * (GROUPS - 1) + k] : pp->init[k];
    }
    vec s0 = from0[at & 7], s1 = from0[(at + 1) & 7], s2 = from0[(at + 2) & 7], s3 = from0[(at + 3) & 7];
    vec s4 = from0[(at + 4) & 7], s5 = from0[(at + 5) & 7], s6 = from0[(at + 6) & 7], s7 = from0[(at + 7) & 7];
    vec t0 = from1[at & 7], t1 = from1[(at + 1) & 7], t2 = from1[(at + 2) & 7], t3 = from1[(at + 3) & 7];
    vec t4 = from1[(at + 4) & 7], t5 = from1[(at + 5) & 7], t6 = from1[(at + 6) & 7], t7 = from1[(at + 7) & 7];
#define GROUP_RND(r, S, W, A, B, C, D, E, F, G, H)                            \
    if (!STATE_IN && (r) == P) {                                              \
        S##H = pp->round_a + W[P];                                            \
        S##D = pp->round_e + W[P];                                            \
    } else if (STATE_IN || (r) > P) {                                         \
        vec kw_ = pp->kw[r];                                                  \
        if ((r) >= LOOP_FROM) {                                               \
        } else if ((r) >= CHUNK_WORDS && word_varies(r, P, Q)) {              \
            vec x_ = varying_terms(W, r, P, Q);                               \
            W[r] = pp->cw[r] + x_;                                            \
            kw_ += x_;                                                        \
        } else if (word_varies(r, P, Q)) {                                    \
            kw_ += W[r];                                                      \
        }                                                                     \
        if ((r) < LOOP_FROM)                                                  \
            ROUND(S##A, S##B, S##C, S##D, S##E, S##F, S##G, S##H, kw_);       \
    }
#define CHUNK_RND(r, A, B, C, D, E, F, G, H)                                  \
    GROUP_RND(r, s, w0, A, B, C, D, E, F, G, H)                               \
    if (GROUPS > 1) {                                                         \
        GROUP_RND(r, t, w1, A, B, C, D, E, F, G, H)                           \
    }
    ROUNDS_64(CHUNK_RND)
#undef CHUNK_RND
#undef GROUP_RND
    if (LOOP_FROM < ROUNDS) {
        vec win0[16], win1[16];
        for (int j = 0; j < 16; j++) {
            int idx = LOOP_FROM - 16 + j;
            win0[j] = word_varies(idx, P, Q) ? w0[idx] : pp->cw[idx];
            win1[j] = word_varies(idx, P, Q) ? w1[idx] : pp->cw[idx];
        }
#pragma GCC unroll 1
        for (int r = LOOP_FROM; r < ROUNDS; r += 16) {
#define LOOP_GROUP_RND(i, S, WIN, A, B, C, D, E, F, G, H)                                            \
            WIN[i] = ssig1(WIN[((i) + 14) & 15]) + WIN[((i) + 9) & 15] + ssig0(WIN[((i) + 1) & 15]) + WIN[i]; \
            ROUND(S##A, S##B, S##C, S##D, S##E, S##F, S##G, S##H, WIN[i] + pp->k[r + (i)]);
#define LOOP_RND(i, A, B, C, D, E, F, G, H)                  \
            LOOP_GROUP_RND(i, s, win0, A, B, C, D, E, F, G, H) \
            if (GROUPS > 1) {                                  \
                LOOP_GROUP_RND(i, t, win1, A, B, C, D, E, F, G, H) \
            }
            ROUNDS_8(LOOP_RND, 0) ROUNDS_8(LOOP_RND, 8)
#undef LOOP_RND
#undef LOOP_GROUP_RND
        }
    }
    st[0] = s0 + init0[0]; st[1] = s1 + init0[1]; st[2] = s2 + init0[2]; st[3] = s3 + init0[3];
    st[4] = s4 + init0[4]; st[5] = s5 + init0[5]; st[6] = s6 + init0[6]; st[7] = s7 + init0[7];
    if (GROUPS > 1) {
        vec *st1 = st + 8 * (GROUPS - 1);
        st1[0] = t0 + init1[0]; st1[1] = t1 + init1[1]; st1[2] = t2 + init1[2]; st1[3] = t3 + init1[3];
        st1[4] = t4 + init1[4]; st1[5] = t5 + init1[5]; st1[6] = t6 + init1[6]; st1[7] = t7 + init1[7];
    }
}

/* The first nonce chunk, nonce in words P and P+1: one variant per P. */
typedef void (*nonce_chunk_fn)(const prep *pp, const vec *words, vec *out);
#define NONCE_CHUNK_AT(P)                                                            \
    static void nonce_chunk_##P(const prep *pp, const vec *words, vec *out)          \
    {                                                                                \
        chunk_rounds(pp, words, 2, out, P, (P) + 1 < CHUNK_WORDS ? (P) + 1 : (P), 0);\
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

/* The chunk after the nonce chunk: varying state, and word 0 varies only when the
 * nonce straddles into it. */
static void next_chunk_straddled(const prep *pp, const vec *word0, vec *st)
{
    chunk_rounds(pp, word0, 1, st, 0, 0, 1);
}

static void next_chunk_constant(const prep *pp, const vec *none, vec *st)
{
    chunk_rounds(pp, none, 0, st, NO_WORD, NO_WORD, 1);
}

static void rotate_state(vec s[8])
{
    vec a = s[7];
    for (int k = 7; k > 0; k--)
        s[k] = s[k - 1];
    s[0] = a;
}

/* Prep for a chunk whose words p..q vary (p = NO_WORD: none) and whose other words
 * are words[]; the chunk starts from chaining value init. */
static void prep_build(prep *pp, const uint32_t init[8], const uint32_t words[CHUNK_WORDS], int p, int q)
{
    vec full[ROUNDS];
    for (int k = 0; k < 8; k++)
        pp->init[k] = splat(init[k]);
    for (int j = 0; j < ROUNDS; j++) {
        if (j < CHUNK_WORDS) {
            pp->cw[j] = splat(words[j]);
        } else {
            const vec terms[4] = {ssig1(full[j - 2]), full[j - 7], ssig0(full[j - 15]), full[j - 16]};
            const int lags[4] = {2, 7, 15, 16};
            pp->cw[j] = splat(0);
            for (int t = 0; t < 4; t++) {
                if (!word_varies(j - lags[t], p, q))
                    pp->cw[j] += terms[t];
            }
        }
        full[j] = pp->cw[j];
        pp->k[j] = splat(CND_SHA256_K[j]);
        pp->kw[j] = (word_varies(j, p, q) && j < CHUNK_WORDS ? splat(0) : pp->cw[j]) + CND_SHA256_K[j];
    }
    if (p >= CHUNK_WORDS)
        return;

    vec s[8];
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
}

/* What one run of nonces needs besides the preps. */
typedef struct run {
    prep nonce_chunk;           /* the first chunk that holds nonce bits */
    prep next_chunk;            /* the chunk after it, when the message tail has two */
    prep second_hash;           /* the 32-byte first digest, padded: words 0..7 vary */
    nonce_chunk_fn nonce_chunk_fn;
    void (*next_chunk_fn)(const prep *pp, const vec *in, vec *st);  /* NULL: no next chunk */
    vec word_p, word_p1;         /* words p and p+1 with their nonce bits zero */
    vec next_word0;              /* the same for word 0 of the next chunk */
    vec lane_index[GROUPS];      /* 0, 1, ..., LANES - 1 */
    int nonce_le;
    int high_left, high_right;   /* nonce bits of word p: (n' << high_left) >> high_right */
    int low_left;                /* nonce bits of word p+1 (or next chunk's word 0): n' << low_left ... */
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
    uint32_t words[2 * CHUNK_WORDS];
    uint32_t init[8];
    int shift = job->nonce_shift;
    int p_abs = job->nonce_word;
    for (int i = 0; i < 2 * CHUNK_WORDS; i++)
        words[i] = job->chunk[i / CHUNK_WORDS][i % CHUNK_WORDS];
    for (int k = 0; k < 8; k++)
        init[k] = job->midstate[k];
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

    const uint32_t padding[CHUNK_WORDS] = {0, 0, 0, 0, 0, 0, 0, 0, 0x80000000u, 0, 0, 0, 0, 0, 0, 256};
    prep_build(&rn->second_hash, CND_SHA256_IV, padding, 0, 7);

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
    return left >= LANES - 1 ? (uint32_t)((1ull << LANES) - 1) : (1u << (left + 1)) - 1;
}

/* One bit per lane of a comparison result (all-ones or zero lanes). */
static ALWAYS_INLINE uint32_t pass_mask(vec pass)
{
    return (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps((__m256i)pass));
}

/*
 * Scans [first, last] within one run. FW is the filter word when it is a compile-time
 * constant (the second hash then keeps only the rounds that word needs), or -1.
 */
static ALWAYS_INLINE int scan_run(const run *rn, const cnd_job *job, uint32_t first, uint32_t last,
                                  uint32_t *candidate, const int FW)
{
    const int word = FW >= 0 ? FW : job->filter_word;

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
        vec digest[8 * GROUPS];
        rn->nonce_chunk_fn(&rn->nonce_chunk, nonce_words, digest);
        if (rn->next_chunk_fn) {
            vec next_word0[GROUPS];
            for (int g = 0; g < GROUPS; g++)
                next_word0[g] = rn->next_word0 + low[g];
            rn->next_chunk_fn(&rn->next_chunk, next_word0, digest);
        }
        /* A fresh array that never escapes, so the rounds the filter word does not
         * need are dead code. */
        vec second[8 * GROUPS];
        chunk_rounds(&rn->second_hash, digest, 8, second, 0, 7, 0);

        uint32_t hits = 0;
        for (int g = 0; g < GROUPS; g++) {
            vec v = second[8 * g + word];
            if (job->filter_bswap)
                v = byte_swap(v);
            hits |= pass_mask(v <= job->filter_max) << (VEC_LANES * g);
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

static int scan_run_word0(const run *rn, const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    return scan_run(rn, job, first, last, candidate, 0);
}

static int scan_run_word7(const run *rn, const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    return scan_run(rn, job, first, last, candidate, 7);
}

static int scan_run_any_word(const run *rn, const cnd_job *job, uint32_t first, uint32_t last,
                             uint32_t *candidate)
{
    return scan_run(rn, job, first, last, candidate, -1);
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

    int (*scan)(const run *, const cnd_job *, uint32_t, uint32_t, uint32_t *) =
        job->filter_word == 0 ? scan_run_word0 : job->filter_word == 7 ? scan_run_word7 : scan_run_any_word;
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
        if (scan(&rn, job, from, to, candidate))
            return 1;
        if (to == last)
            return 0;
        from = to + 1;
    }
}
