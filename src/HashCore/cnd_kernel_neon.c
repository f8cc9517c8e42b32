/*
 * NEON kernel: SHA-256d on four nonces at a time, one per 32-bit lane of AArch64's Advanced SIMD,
 * for cores without the SHA-2 extension (Cortex-A72 in the Raspberry Pi 4, Cortex-A53 in the
 * Pi 3, many boards). Advanced SIMD is part of every AArch64 Linux CPU (HWCAP_ASIMD), so this
 * file needs no flag beyond the ARMv8-A baseline and uses no crypto intrinsic.
 *
 * What a nonce costs and why the code looks like this (counted under qemu, the only ARM here;
 * speed could not be measured, see the README's ARM64 part):
 *  - AArch64 has no vector rotate; a rotation is a shift left and a shift-right-and-insert (sri),
 *    two instructions, so each Sigma is eight. Ch is one bit-select (bsl) and Maj another on
 *    b ^ c, so a round is about 25 instructions for four nonces.
 *  - One group of four lanes: its eight state words and sixteen-word schedule window take 24 of
 *    the 32 vector registers; a second group side by side would spill (docs/hashcore-design.md).
 *  - The same precomputation as the x86 kernels, made once per call in a `plan`: the rounds
 *    before the first nonce word, that word's round less the word (it enters a and e linearly),
 *    K + W of every constant word, the padding chunk's K + W; chunk 0 once per run of nonces when
 *    the nonce straddles into chunk 1.
 *  - The second hash is unrolled once per filter word, so the compiler folds every schedule
 *    term that reads only its constant padding (words 8..15), and for the Bitcoin filter (digest
 *    word 7, which is e after round 60) it stops after round 60, the last three rounds making e
 *    alone.
 *  - Rounds 16..63 of the first hash are one shared rolled loop: one unrolled copy per nonce
 *    position would not fit a small core's instruction cache.
 */
#include <arm_neon.h>

#include "cnd_impl.h"

#define INLINE static inline __attribute__((always_inline))

enum {
    LANES = 4,
    CHUNK_WORDS = 16,
    ROUNDS = 64,
};

typedef uint32x4_t vec;

INLINE vec splat(uint32_t x) { return vdupq_n_u32(x); }

/* x must be a plain variable: it is read twice. */
#define ROTR(x, n) vsriq_n_u32(vshlq_n_u32((x), 32 - (n)), (x), (n))
INLINE vec bsig0(vec x) { return ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22); }
INLINE vec bsig1(vec x) { return ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25); }
INLINE vec ssig0(vec x) { return ROTR(x, 7) ^ ROTR(x, 18) ^ vshrq_n_u32(x, 3); }
INLINE vec ssig1(vec x) { return ROTR(x, 17) ^ ROTR(x, 19) ^ vshrq_n_u32(x, 10); }
INLINE vec ch(vec e, vec f, vec g) { return vbslq_u32(e, f, g); }
/* Where b and c differ a decides, elsewhere they agree; b ^ c does not wait for the new a. */
INLINE vec maj(vec a, vec b, vec c) { return vbslq_u32(b ^ c, a, b); }

/*
 * Rounds keep the state in an array s[8] without moving it: round r finds state word k
 * (0 = a .. 7 = h) at s[(k - r) & 7], writes the new a over h and the new e into d, and
 * after every eighth round the words are in order again. Every index is a constant, so the
 * compiler keeps the array in registers.
 */
#define AT(s, k, r) (s)[((k) - (r)) & 7]
#define ROUND(s, r, kw)                                                                            \
    do {                                                                                           \
        vec t1_ = AT(s, 7, r) + (kw) + ch(AT(s, 4, r), AT(s, 5, r), AT(s, 6, r)) + bsig1(AT(s, 4, r)); \
        vec t2_ = bsig0(AT(s, 0, r)) + maj(AT(s, 0, r), AT(s, 1, r), AT(s, 2, r));                 \
        AT(s, 3, r) += t1_;                                                                        \
        AT(s, 7, r) = t1_ + t2_;                                                                   \
    } while (0)
/* A round whose new a nobody reads: only the new e. */
#define ROUND_E_ONLY(s, r, kw) \
    (AT(s, 3, r) += AT(s, 7, r) + (kw) + ch(AT(s, 4, r), AT(s, 5, r), AT(s, 6, r)) + bsig1(AT(s, 4, r)))

#define REPEAT_8(M, base) M((base) + 0) M((base) + 1) M((base) + 2) M((base) + 3) \
                          M((base) + 4) M((base) + 5) M((base) + 6) M((base) + 7)
#define REPEAT_16(M, base) REPEAT_8(M, base) REPEAT_8(M, (base) + 8)

/* Schedule word i + 16 over a rolling window of sixteen, written over word i. */
#define NEXT_WORD(w, i) \
    ((w)[(i) & 15] += ssig1((w)[((i) + 14) & 15]) + (w)[((i) + 9) & 15] + ssig0((w)[((i) + 1) & 15]))

/*
 * Rounds 16..63 with the whole schedule, from the state before round 16 and W[0..15].
 * Out of line and rolled by sixteen rounds: every first-hash chunk shares this one copy.
 */
static __attribute__((noinline)) void rounds_16_to_63(vec state[8], const vec window[CHUNK_WORDS], const vec k[ROUNDS])
{
    vec s[8], w[CHUNK_WORDS];
    for (int i = 0; i < 8; i++)
        s[i] = state[i];
    for (int j = 0; j < CHUNK_WORDS; j++)
        w[j] = window[j];
#pragma GCC unroll 1
    for (int r = 16; r < ROUNDS; r += 16) {
#define SCHEDULED_ROUND(i)  \
        NEXT_WORD(w, i);    \
        ROUND(s, i, w[i] + k[r + (i)]);
        REPEAT_16(SCHEDULED_ROUND, 0)
#undef SCHEDULED_ROUND
    }
    for (int i = 0; i < 8; i++)
        state[i] = s[i];
}

/* Everything about one chunk shape that is the same in every lane. */
typedef struct prep {
    vec init[8];            /* chaining value entering the chunk (fed forward at the end) */
    vec st[8];              /* state before round p, the first varying word's */
    vec round_a, round_e;   /* round p's new a and e with W[p] = 0 */
    vec cw[CHUNK_WORDS];    /* the message words (varying ones: their constant part) */
    vec kw[CHUNK_WORDS];    /* K[r] + cw[r] for constant words; K[r] for varying ones */
} prep;

INLINE int word_varies(int j, int p, int q) { return j >= p && j <= q; }

/*
 * One compression whose words P..Q (P..15 at most) are in[] and whose other words are the
 * prep's. With STATE_IN the chaining value varies too and comes in st; otherwise it is the
 * prep's and the rounds before P are already done. Leaves the chaining value after the chunk
 * in st. P, Q and STATE_IN are constants in every caller.
 */
INLINE void compress(const prep *pp, const vec *k, const vec *in, vec st[8], const int P, const int Q,
                     const int STATE_IN)
{
    vec w[CHUNK_WORDS] = {0};
    for (int j = P; j <= Q && j < CHUNK_WORDS; j++)
        w[j] = in[j - P];
    vec init[8], s[8];
    for (int i = 0; i < 8; i++)
        init[i] = STATE_IN ? st[i] : pp->init[i];
    /* Before round P, s[v] holds state word (v + P) & 7. */
    for (int v = 0; v < 8; v++)
        s[v] = STATE_IN ? st[v] : pp->st[(v + P) & 7];

#define HEAD_ROUND(r)                                    \
    if (!STATE_IN && (r) == P) {                         \
        AT(s, 7, r) = pp->round_a + w[P];                \
        AT(s, 3, r) = pp->round_e + w[P];                \
    } else if (STATE_IN || (r) > P) {                    \
        vec kw_ = pp->kw[r];                             \
        if (word_varies(r, P, Q))                        \
            kw_ += w[r];                                 \
        ROUND(s, r, kw_);                                \
    }
    REPEAT_16(HEAD_ROUND, 0)
#undef HEAD_ROUND

    vec window[CHUNK_WORDS];
    for (int j = 0; j < CHUNK_WORDS; j++)
        window[j] = word_varies(j, P, Q) ? w[j] : pp->cw[j];
    rounds_16_to_63(s, window, k);
    for (int i = 0; i < 8; i++)
        st[i] = s[i] + init[i];
}

/* The chunk with the nonce's first byte: nonce words P and P + 1 (when that is in the chunk). */
typedef void (*nonce_chunk_fn)(const prep *pp, const vec *k, const vec nonce_words[2], vec out[8]);
#define NONCE_CHUNK_AT(P)                                                                             \
    static __attribute__((noinline)) void nonce_chunk_##P(const prep *pp, const vec *k,                \
                                                          const vec nonce_words[2], vec out[8])        \
    {                                                                                                 \
        compress(pp, k, nonce_words, out, P, (P) + 1 < CHUNK_WORDS ? (P) + 1 : (P), 0);                \
    }
CND_EACH_CHUNK_WORD(NONCE_CHUNK_AT)
static const nonce_chunk_fn nonce_chunk_at[CHUNK_WORDS] = CND_CHUNK_WORD_TABLE(nonce_chunk);

/* Chunk 1 when the nonce straddles into its word 0: that word and the state vary. */
static __attribute__((noinline)) void straddled_chunk(const prep *pp, const vec *k, const vec *word0, vec st[8])
{
    compress(pp, k, word0, st, 0, 0, 1);
}

/* Chunk 1 when it is only padding: its K + W are known, so no schedule at all. */
static __attribute__((noinline)) void padding_chunk(const vec kw[ROUNDS], vec st[8])
{
    vec s[8];
    for (int i = 0; i < 8; i++)
        s[i] = st[i];
#pragma GCC unroll 1
    for (int r = 0; r < ROUNDS; r += 16) {
#define KNOWN_ROUND(i) ROUND(s, i, kw[r + (i)]);
        REPEAT_16(KNOWN_ROUND, 0)
#undef KNOWN_ROUND
    }
    for (int i = 0; i < 8; i++)
        st[i] += s[i];
}

/*
 * The second hash: its message is the 32-byte first digest (words 0..7) and fixed padding
 * (words 8..15), so which schedule terms are constant is known here.
 */
static const uint32_t SECOND_PADDING[CHUNK_WORDS] = {[8] = 0x80000000u, [15] = 256};

INLINE int second_padding_word(int j) { return j >= 8 && j < CHUNK_WORDS; }

/* W[t] of the second message (t = 16..63): terms that read padding words are folded into
 * one constant by the compiler (t is a constant in every use). */
INLINE vec second_schedule_word(const vec w[CHUNK_WORDS], const int t)
{
    uint32_t known = 0;
    vec varying = splat(0);
    const int j16 = t - 16, j15 = t - 15, j7 = t - 7, j2 = t - 2;
    if (second_padding_word(j16)) known += SECOND_PADDING[j16]; else varying += w[j16 & 15];
    if (second_padding_word(j15)) known += cnd_small_sigma0(SECOND_PADDING[j15]); else varying += ssig0(w[j15 & 15]);
    if (second_padding_word(j7)) known += SECOND_PADDING[j7]; else varying += w[j7 & 15];
    if (second_padding_word(j2)) known += cnd_small_sigma1(SECOND_PADDING[j2]); else varying += ssig1(w[j2 & 15]);
    return known ? varying + splat(known) : varying;
}

/* Which digest word the filter reads decides where the second hash may stop. */
enum tail {
    TAIL_ANY_WORD,      /* all 64 rounds, then the filter word (APPEND_BE reads word 0: a, made last) */
    TAIL_WORD7,         /* Bitcoin: word 7 is h, which is e after round 60 */
};

/* Second-hash K + W for rounds 0..15 (K, or K + padding) and its state after round 0 with W[0]
 * left out (W[0] enters a and e linearly): made once per call. */
typedef struct second_prep {
    vec kw[CHUNK_WORDS];
    vec after_round0[8];
} second_prep;

/* The filter word of each lane's second digest (feed-forward added, before any byte swap). */
INLINE vec second_hash(const second_prep *sp, const vec k[ROUNDS], const vec digest[8], int filter_word,
                       const enum tail tail)
{
    vec w[CHUNK_WORDS], s[8];
    for (int j = 0; j < 8; j++)
        w[j] = digest[j];
    /* Before round 1, s[v] holds word (v + 1) & 7. */
    for (int v = 0; v < 8; v++)
        s[v] = sp->after_round0[(v + 1) & 7];
    AT(s, 0, 1) += w[0];
    AT(s, 4, 1) += w[0];

    /* Round 60's new e is the final h; from round 58 on, the new a is never read. */
    const int last_round = tail == TAIL_WORD7 ? 60 : ROUNDS - 1;
    const int e_only_from = tail == TAIL_WORD7 ? 58 : ROUNDS;
#define SECOND_ROUND(r)                                                     \
    if ((r) >= 1 && (r) <= last_round) {                                    \
        vec kw_;                                                            \
        if ((r) < 8) {                                                      \
            kw_ = w[r] + sp->kw[r];                                         \
        } else if ((r) < CHUNK_WORDS) {                                     \
            kw_ = sp->kw[r];                                                \
        } else {                                                            \
            w[(r) & 15] = second_schedule_word(w, r);                       \
            kw_ = w[(r) & 15] + k[r];                                       \
        }                                                                   \
        if ((r) >= e_only_from)                                             \
            ROUND_E_ONLY(s, r, kw_);                                        \
        else                                                                \
            ROUND(s, r, kw_);                                               \
    }
    REPEAT_16(SECOND_ROUND, 0)
    REPEAT_16(SECOND_ROUND, 16)
    REPEAT_16(SECOND_ROUND, 32)
    REPEAT_16(SECOND_ROUND, 48)
#undef SECOND_ROUND

    if (tail == TAIL_WORD7)
        return AT(s, 3, 60) + splat(CND_SHA256_IV[7]);
    vec digest2[8];
    for (int i = 0; i < 8; i++)
        digest2[i] = s[i] + splat(CND_SHA256_IV[i]);
    return digest2[filter_word];
}

/* One out-of-line copy per tail, shared by every layout's scan. */
static __attribute__((noinline)) vec second_hash_any_word(const second_prep *sp, const vec k[ROUNDS],
                                                          const vec digest[8], int filter_word)
{
    return second_hash(sp, k, digest, filter_word, TAIL_ANY_WORD);
}
static __attribute__((noinline)) vec second_hash_word7(const second_prep *sp, const vec k[ROUNDS],
                                                       const vec digest[8], int filter_word)
{
    return second_hash(sp, k, digest, filter_word, TAIL_WORD7);
}

/* The message tail after the midstate (cnd_impl.h's scan-copy macro names these). */
enum layout { ONE_CHUNK, TWO_CHUNKS, TWO_CHUNKS_PADDING };

/* Everything a scan needs besides the nonce: made once per call. */
typedef struct plan {
    prep nonce_chunk;             /* chunk 0, whose words p (and p + 1) hold nonce bits */
    prep next_chunk;              /* chunk 1 when the nonce straddles into its word 0 */
    second_prep second;
    vec k[ROUNDS];                /* K, in every lane */
    vec padding_kw[ROUNDS];       /* chunk 1's K + W when it is only padding */
    nonce_chunk_fn compress_nonce_chunk; /* nonce_chunk_at[p] */
    vec lane_offset;              /* 0, 1, 2, 3 */
    vec lane_bit;                 /* 1, 2, 4, 8: a passing lane's bit in the result */
    int32x4_t high_shift;         /* vshlq counts: -shift (the nonce's bits in word p) */
    int32x4_t low_shift;          /* 32 - shift (its bits in word p + 1; 32 gives zero) */
    vec filter_max;
    int32_t filter_word;
    int32_t filter_bswap;
    int32_t nonce_le;
    enum tail tail;
    const cnd_job *job;
} plan;

INLINE vec byte_swap(vec x) { return vreinterpretq_u32_u8(vrev32q_u8(vreinterpretq_u8_u32(x))); }

/* The lowest nonce of [first, last] that passes; lanes past `last` (wrapping past
 * 0xFFFFFFFF) in the final batch are hashed but never reported. */
INLINE int scan(const plan *p, uint32_t first, uint32_t last, uint32_t *candidate, enum layout layout,
                enum tail tail)
{
    const cnd_job *job = p->job;
    const int word = job->nonce_word;
    const vec word_p = p->nonce_chunk.cw[word];
    const vec word_p1 = word + 1 < CHUNK_WORDS ? p->nonce_chunk.cw[word + 1] : splat(0);
    vec run_state[8] = {0};
    cnd_run run = {0};
    for (uint64_t n = first; n <= last; n += LANES) {
        vec nonce = p->lane_offset + (uint32_t)n;
        if (p->nonce_le)
            nonce = byte_swap(nonce);
        vec low = vshlq_u32(nonce, p->low_shift);
        vec nonce_words[2] = {word_p | vshlq_u32(nonce, p->high_shift), word_p1 | low};

        vec digest[8];
        if (layout == TWO_CHUNKS && cnd_job_same_run(job, (uint32_t)n, LANES)) {
            if (cnd_run_enter(&run, job, (uint32_t)n)) {
                for (int i = 0; i < 8; i++)
                    run_state[i] = splat(run.state[i]);
            }
            for (int i = 0; i < 8; i++)
                digest[i] = run_state[i];
        } else {
            p->compress_nonce_chunk(&p->nonce_chunk, p->k, nonce_words, digest);
        }
        if (layout == TWO_CHUNKS_PADDING) {
            padding_chunk(p->padding_kw, digest);
        } else if (layout == TWO_CHUNKS) {
            vec word0 = p->next_chunk.cw[0] | low;
            straddled_chunk(&p->next_chunk, p->k, &word0, digest);
        }

        vec v = tail == TAIL_WORD7 ? second_hash_word7(&p->second, p->k, digest, 7)
                                   : second_hash_any_word(&p->second, p->k, digest, p->filter_word);
        if (p->filter_bswap)
            v = byte_swap(v);
        vec pass = vcleq_u32(v, p->filter_max);
        if (__builtin_expect(vmaxvq_u32(pass) != 0, 0))
            return cnd_take_lowest_lane(n, vaddvq_u32(pass & p->lane_bit), last, candidate);
    }
    return 0;
}

/* Prep for a chunk whose words p..q vary (the others are words[]), entered with the chaining
 * value init, or with a varying one when init is NULL (then no round can be done ahead). */
static void prep_build(prep *pp, const uint32_t *init, const uint32_t words[CHUNK_WORDS], int p, int q)
{
    for (int j = 0; j < CHUNK_WORDS; j++) {
        pp->cw[j] = splat(words[j]);
        pp->kw[j] = splat(CND_SHA256_K[j] + (word_varies(j, p, q) ? 0 : words[j]));
    }
    if (init == NULL)
        return;
    uint32_t s[8];
    for (int i = 0; i < 8; i++) {
        s[i] = init[i];
        pp->init[i] = splat(init[i]);
    }
    for (int r = 0; r < p; r++)
        cnd_sha256_round(s, CND_SHA256_K[r] + words[r]);
    for (int i = 0; i < 8; i++)
        pp->st[i] = splat(s[i]);
    cnd_sha256_round(s, CND_SHA256_K[p]);   /* W[p] left out: the whole word comes in per nonce */
    pp->round_a = splat(s[0]);
    pp->round_e = splat(s[4]);
}

static void prepare_plan(plan *pl, const cnd_job *job)
{
    static const uint32_t lane_offset[LANES] = {0, 1, 2, 3}, lane_bit[LANES] = {1, 2, 4, 8};
    const int p = job->nonce_word, shift = job->nonce_shift;
    pl->job = job;
    prep_build(&pl->nonce_chunk, job->midstate, job->chunk[0], p, p + 1 < CHUNK_WORDS ? p + 1 : p);
    pl->compress_nonce_chunk = nonce_chunk_at[p];
    if (job->padding_constant) {
        for (int r = 0; r < ROUNDS; r++)
            pl->padding_kw[r] = splat(job->padding_kw[r]);
    } else if (job->nchunks == 2) {
        prep_build(&pl->next_chunk, NULL, job->chunk[1], 0, 0);
    }

    second_prep *sp = &pl->second;
    uint32_t s[8];
    for (int i = 0; i < 8; i++)
        s[i] = CND_SHA256_IV[i];
    cnd_sha256_round(s, CND_SHA256_K[0]);
    for (int i = 0; i < 8; i++)
        sp->after_round0[i] = splat(s[i]);
    for (int r = 0; r < ROUNDS; r++)
        pl->k[r] = splat(CND_SHA256_K[r]);
    for (int r = 0; r < CHUNK_WORDS; r++)
        sp->kw[r] = splat(CND_SHA256_K[r] + SECOND_PADDING[r]);

    pl->lane_offset = vld1q_u32(lane_offset);
    pl->lane_bit = vld1q_u32(lane_bit);
    pl->high_shift = vdupq_n_s32(-shift);
    pl->low_shift = vdupq_n_s32(32 - shift);
    pl->filter_max = splat(job->filter_max);
    pl->filter_word = job->filter_word;
    pl->filter_bswap = job->filter_bswap;
    pl->nonce_le = job->nonce_le;
    pl->tail = job->filter_word == 7 ? TAIL_WORD7 : TAIL_ANY_WORD;
}

CND_KERNEL_OF_SCAN_COPIES(cnd_kernel_neon, prepare_plan, TAIL_ANY_WORD, TAIL_WORD7)
