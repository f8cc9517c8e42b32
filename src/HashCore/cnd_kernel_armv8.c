/*
 * ARMv8 Cryptography Extension kernel (the SHA-2 instructions of AArch64).
 *
 * sha256h and sha256h2 do four rounds each: the first returns the new A..D, the
 * second the new E..H, and both read the old A..D, so a quad of rounds is the pair
 * of them on the same K + W. A quad's result feeds the next quad, and the instructions
 * take several cycles while independent ones can overlap: one hash alone would leave
 * the unit waiting, so STREAMS independent nonces advance in lockstep. sha256su0 and
 * sha256su1 make four message-schedule words from the previous sixteen.
 *
 * The design follows the SHA-NI kernel, in quads instead of round pairs: everything
 * that does not depend on the nonce is prepared once per call in a `plan` (the
 * rounds before the first nonce-bearing quad, the second hash's padding words and
 * one schedule term of them, the padding chunk's K + W), a quad whose only nonce
 * word is its last one is replaced by one vector addition, and the second hash
 * stops at the instruction that fixes the filter word.
 *
 * Register layout: a state is two vectors, A..D and E..H with A and E in lane 0 (the
 * order of the words in memory), and message vectors hold W[4g..4g+3] in lanes 0..3,
 * so a digest is the next hash's message as it stands: no shuffles anywhere.
 *
 * Compiled with -march=armv8-a+crypto only (GCC 12 keys the SHA-2 intrinsics to
 * +crypto, not +sha2); cnd_dispatch.c calls it only when Linux reports HWCAP_SHA2.
 */
#include <arm_neon.h>
#include <string.h>

#include "cnd_impl.h"

/*
 * Speed cannot be measured here (only under qemu), so the count is chosen by the code
 * GCC 12 makes: with three streams, the states and message rings fit in AArch64's 32
 * vector registers (about 13 stack accesses per nonce, most for the message vectors that
 * take the nonce); with four they spill (about 145 per nonce). Three independent quads
 * at a time also give the SHA-2 unit more to overlap than two.
 */
#define STREAMS 3
_Static_assert(STREAMS >= 2 && STREAMS <= 4, "the filter gathers one lane per stream with tbl");

#define EACH_STREAM(s) _Pragma("GCC unroll 8") for (int s = 0; s < STREAMS; s++)

#define INLINE static inline __attribute__((always_inline))

typedef struct state {
    uint32x4_t abcd;
    uint32x4_t efgh;
} state;

/*
 * Which half of the second hash's final state holds the filter word. The last quad
 * then runs only the instruction that makes that half.
 */
enum tail { TAIL_ABCD, TAIL_EFGH };

/*
 * The message tail: one chunk, two, or two whose second is the constant padding.
 * SAME_RUN is a two-chunk group whose nonces all share chunk 0 (cnd_job.run_shift):
 * its state after chunk 0 is given, and only chunk 1 is compressed.
 */
enum layout { ONE_CHUNK, TWO_CHUNKS, TWO_CHUNKS_PADDING, SAME_RUN };

typedef struct plan {
    uint32x4_t k[16];          /* round constants, four per vector */
    state start;               /* first-hash state before quad start_quad, nonce bits of the linear word left out */
    uint8x16_t start_add;      /* tbl: the nonce's share of the linear word into lane 0 (A and E), or nothing */
    int start_quad;            /* first quad that reads the nonce through its message vector */
    state mid;                 /* midstate: chunk 0's feed-forward */
    uint32x4_t base[8];        /* the job's two chunks as message vectors, nonce bytes zero */
    uint8x16_t place[8];       /* tbl: the nonce bytes of each vector */
    int nonce_vec[2];          /* the one or two vectors that hold nonce bytes (may be equal) */
    uint32x4_t padding_wk[16]; /* the padding chunk's K + W per quad (job->padding_constant) */
    state iv;                  /* second-hash start state */
    uint32x4_t pad_wk[2];      /* second-hash words 8..15 (fixed padding) plus K */
    uint32x4_t pad_su0;        /* sha256su0 of those padding words: a schedule term with no digest in it */
    uint32x4_t filter_iv;      /* the feed-forward of the half that holds the filter word */
    uint8x16_t filter_gather;  /* tbl over the streams' halves: stream s's filter word to lane s, byte-swapped or not */
    uint32x4_t filter_max;     /* in every lane */
    uint32x4_t stream_bit;     /* 1 << s in lane s: turns a lane mask into a bit mask */
    enum tail tail;
    const cnd_job *job;        /* for the once-per-run chunk-0 state */
} plan;

/* Second-hash message words 8..11 and 12..15: the padding of a 32-byte message. */
static const uint32_t PAD_WORDS[8] = {0x80000000u, 0, 0, 0, 0, 0, 0, 256};

/* Four rounds of one stream. */
INLINE void quad(state *st, uint32x4_t wk)
{
    uint32x4_t abcd = st->abcd;
    st->abcd = vsha256hq_u32(abcd, st->efgh, wk);
    st->efgh = vsha256h2q_u32(st->efgh, abcd, wk);
}

/* Schedule words 4g..4g+3 from the previous sixteen, kept in a ring of four vectors. */
INLINE uint32x4_t schedule(const uint32x4_t m[4], int g)
{
    return vsha256su1q_u32(vsha256su0q_u32(m[g & 3], m[(g + 1) & 3]), m[(g + 2) & 3], m[(g + 3) & 3]);
}

/* A chunk's message vectors, as the schedule's starting ring. */
INLINE void load_chunk(uint32x4_t m[STREAMS][4], const uint32x4_t msg[STREAMS][8], int chunk)
{
    EACH_STREAM(s) {
        _Pragma("GCC unroll 4") for (int g = 0; g < 4; g++)
            m[s][g] = msg[s][4 * chunk + g];
    }
}

/*
 * A compression of a nonce-bearing chunk, entered at quad `start` (0..4) because the
 * state already holds the rounds before it. The switch falls through: entering at
 * case n runs quads n..3, then rounds 16..63.
 */
INLINE void compress_from(state st[STREAMS], uint32x4_t m[STREAMS][4], const plan *p, int start)
{
#define QUAD(g) EACH_STREAM(s) quad(&st[s], vaddq_u32(m[s][g], p->k[g]));
    switch (start) {
    case 0: QUAD(0) /* fall through */
    case 1: QUAD(1) /* fall through */
    case 2: QUAD(2) /* fall through */
    case 3: QUAD(3) /* fall through */
    default: break;
    }
#undef QUAD
    _Pragma("GCC unroll 12") for (int g = 4; g < 16; g++) {
        EACH_STREAM(s) {
            uint32x4_t w = m[s][g & 3] = schedule(m[s], g);
            quad(&st[s], vaddq_u32(w, p->k[g]));
        }
    }
}

/* The feed-forward: chunk input state plus compression output, per stream. */
INLINE void add_state(state st[STREAMS], const state in[STREAMS])
{
    EACH_STREAM(s) {
        st[s].abcd = vaddq_u32(st[s].abcd, in[s].abcd);
        st[s].efgh = vaddq_u32(st[s].efgh, in[s].efgh);
    }
}

/* All 64 rounds of a chunk whose K + W are known: no message schedule at all. */
INLINE void compress_known(state st[STREAMS], const uint32x4_t wk[16])
{
    _Pragma("GCC unroll 16") for (int g = 0; g < 16; g++) {
        EACH_STREAM(s) quad(&st[s], wk[g]);
    }
}

/*
 * The first hash of nonces n .. n+STREAMS-1: each stream's digest. msg holds each
 * stream's message vectors; only those with nonce bytes are rewritten.
 */
INLINE void first_hash(state st[STREAMS], uint32x4_t msg[STREAMS][8], const plan *p, uint32_t n,
                       enum layout layout, const state *run_state)
{
    uint32x4_t m[STREAMS][4];
    state in[STREAMS];
    EACH_STREAM(s) {
        uint8x16_t nonce = vreinterpretq_u8_u32(vdupq_n_u32(n + (uint32_t)s));
        for (int i = 0; i < 2; i++) {
            int v = p->nonce_vec[i];
            msg[s][v] = vorrq_u32(p->base[v], vreinterpretq_u32_u8(vqtbl1q_u8(nonce, p->place[v])));
        }
        if (layout == SAME_RUN) {
            st[s] = *run_state;
            continue;
        }
        uint32x4_t linear = vreinterpretq_u32_u8(vqtbl1q_u8(nonce, p->start_add));
        st[s].abcd = vaddq_u32(p->start.abcd, linear);
        st[s].efgh = vaddq_u32(p->start.efgh, linear);
        in[s] = p->mid;
    }
    if (layout != SAME_RUN) {
        load_chunk(m, (const uint32x4_t(*)[8])msg, 0);
        compress_from(st, m, p, p->start_quad);
        add_state(st, in);
    }
    if (layout == ONE_CHUNK)
        return;
    EACH_STREAM(s) in[s] = st[s];
    if (layout == TWO_CHUNKS_PADDING) {
        compress_known(st, p->padding_wk);
    } else {
        load_chunk(m, (const uint32x4_t(*)[8])msg, 1);
        compress_from(st, m, p, 0);
    }
    add_state(st, in);
}

/*
 * Second-hash message words 4g..4g+3 plus K. The message is the digest (words 0..7)
 * and fixed padding (8..15): words 8..15 plus K are precomputed, and so is the one
 * sha256su0 that reads only padding (for words 24..27).
 */
INLINE uint32x4_t second_wk(uint32x4_t m[4], int g, const plan *p)
{
    uint32x4_t w;
    switch (g) {
    case 0: case 1: w = m[g]; break;
    case 2: case 3: return p->pad_wk[g - 2];
    case 6: w = vsha256su1q_u32(p->pad_su0, m[0], m[1]); break;
    default: w = schedule(m, g); break;
    }
    if (g >= 4)
        m[g & 3] = w;
    return vaddq_u32(w, p->k[g]);
}

/* Each stream's filter word to lane s (byte-swapped when the plan says so). */
INLINE uint32x4_t gather_filter_words(const uint32x4_t half[STREAMS], uint8x16_t control)
{
#define U8(s) vreinterpretq_u8_u32(half[s])
#if STREAMS == 4
    uint8x16x4_t table = {{U8(0), U8(1), U8(2), U8(3)}};
    return vreinterpretq_u32_u8(vqtbl4q_u8(table, control));
#elif STREAMS == 3
    uint8x16x3_t table = {{U8(0), U8(1), U8(2)}};
    return vreinterpretq_u32_u8(vqtbl3q_u8(table, control));
#else
    uint8x16x2_t table = {{U8(0), U8(1)}};
    return vreinterpretq_u32_u8(vqtbl2q_u8(table, control));
#endif
#undef U8
}

/*
 * The second hash of each stream's first digest, only as far as the filter word
 * needs, then the filter. Returns a bit per passing stream.
 */
INLINE unsigned second_hash(const state first[STREAMS], const plan *p, enum tail tail)
{
    uint32x4_t m[STREAMS][4];
    state st[STREAMS];
    EACH_STREAM(s) {
        m[s][0] = first[s].abcd;
        m[s][1] = first[s].efgh;
        m[s][2] = vld1q_u32(&PAD_WORDS[0]);
        m[s][3] = vld1q_u32(&PAD_WORDS[4]);
        st[s] = p->iv;
    }
    _Pragma("GCC unroll 15") for (int g = 0; g < 15; g++) {
        EACH_STREAM(s) quad(&st[s], second_wk(m[s], g, p));
    }
    /* The last quad: only the half that holds the filter word. */
    uint32x4_t half[STREAMS];
    EACH_STREAM(s) {
        uint32x4_t wk = second_wk(m[s], 15, p);
        if (tail == TAIL_ABCD)
            half[s] = vsha256hq_u32(st[s].abcd, st[s].efgh, wk);
        else
            half[s] = vsha256h2q_u32(st[s].efgh, st[s].abcd, wk);
        half[s] = vaddq_u32(half[s], p->filter_iv);
    }
    uint32x4_t v = gather_filter_words(half, p->filter_gather);
    uint32x4_t pass = vandq_u32(vcleq_u32(v, p->filter_max), p->stream_bit);
    return vaddvq_u32(pass);
}

/* The lowest nonce of [first, last] that passes. Nonces past `last` (wrapping
 * past 0xFFFFFFFF) in the final group are hashed but never reported. */
INLINE int scan(const plan *p, uint32_t first, uint32_t last, uint32_t *candidate, enum layout layout,
                enum tail tail)
{
    uint32x4_t msg[STREAMS][8];
    EACH_STREAM(s) {
        for (int v = 0; v < 8; v++)
            msg[s][v] = p->base[v];
    }
    state run_state = {vdupq_n_u32(0), vdupq_n_u32(0)};
    cnd_run run = {0};
    for (uint64_t n = first; n <= last; n += STREAMS) {
        state digest[STREAMS];
        if (layout == TWO_CHUNKS && cnd_job_same_run(p->job, (uint32_t)n, STREAMS)) {
            if (cnd_run_enter(&run, p->job, (uint32_t)n)) {
                run_state.abcd = vld1q_u32(&run.state[0]);
                run_state.efgh = vld1q_u32(&run.state[4]);
            }
            first_hash(digest, msg, p, (uint32_t)n, SAME_RUN, &run_state);
        } else {
            first_hash(digest, msg, p, (uint32_t)n, layout, &run_state);
        }
        unsigned pass = second_hash(digest, p, tail);
        if (__builtin_expect(pass != 0, 0))
            return cnd_take_lowest_lane(n, pass, last, candidate);
    }
    return 0;
}

static uint8x16_t control(const uint8_t ctl[16]) { return vld1q_u8(ctl); }

/* tbl zeroes every byte whose control byte is out of range (>= 16 per table register). */
static void clear_control(uint8_t ctl[16]) { memset(ctl, 0x80, 16); }

/*
 * The first hash up to the nonce: rounds before word r = nonce_word read only
 * constants, so the quads before r's are made here. Round r adds W[r] linearly to A
 * and E, so when r is the last round of its quad, that quad becomes "constant state
 * + nonce bits in lane 0" and the per-nonce quads start after it.
 */
static void plan_first_hash(plan *p, const cnd_job *job)
{
    int r = job->nonce_word;
    int linear = r % 4 == 3;
    p->start_quad = r / 4 + linear;
    uint32_t s[8];
    for (int i = 0; i < 8; i++)
        s[i] = job->midstate[i];
    for (int t = 0; t < 4 * p->start_quad; t++)
        cnd_sha256_round(s, CND_SHA256_K[t] + job->chunk[0][t]);
    p->start.abcd = vld1q_u32(&s[0]);
    p->start.efgh = vld1q_u32(&s[4]);
    uint8_t ctl[16];
    clear_control(ctl);
    if (linear)
        cnd_place_nonce_word(ctl, job, r, 0);
    p->start_add = control(ctl);

    /* Four consecutive bytes touch one message vector or two. */
    int found = 0;
    p->nonce_vec[0] = 0;
    for (int v = 0; v < 8; v++) {
        clear_control(ctl);
        int placed = 0;
        for (int lane = 0; lane < 4; lane++)
            placed += cnd_place_nonce_word(ctl, job, 4 * v + lane, lane);
        p->base[v] = vld1q_u32(&job->chunk[v / 4][4 * (v % 4)]);
        p->place[v] = control(ctl);
        if (placed && found < 2)
            p->nonce_vec[found++] = v;
    }
    if (found < 2)
        p->nonce_vec[1] = p->nonce_vec[0];
    p->mid.abcd = vld1q_u32(&job->midstate[0]);
    p->mid.efgh = vld1q_u32(&job->midstate[4]);
}

static void plan_second_hash(plan *p, const cnd_job *job)
{
    p->iv.abcd = vld1q_u32(&CND_SHA256_IV[0]);
    p->iv.efgh = vld1q_u32(&CND_SHA256_IV[4]);
    uint32x4_t pad_lo = vld1q_u32(&PAD_WORDS[0]), pad_hi = vld1q_u32(&PAD_WORDS[4]);
    p->pad_wk[0] = vaddq_u32(pad_lo, p->k[2]);
    p->pad_wk[1] = vaddq_u32(pad_hi, p->k[3]);
    p->pad_su0 = vsha256su0q_u32(pad_lo, pad_hi);

    int w = job->filter_word & 7;
    int lane = w & 3;
    p->tail = w < 4 ? TAIL_ABCD : TAIL_EFGH;
    p->filter_iv = p->tail == TAIL_ABCD ? p->iv.abcd : p->iv.efgh;
    uint8_t ctl[16];
    uint32_t bits[4];
    for (int s = 0; s < 4; s++) {
        for (int i = 0; i < 4; i++)
            ctl[4 * s + i] = s < STREAMS ? (uint8_t)(16 * s + 4 * lane + (job->filter_bswap ? 3 - i : i)) : 0x80;
        bits[s] = s < STREAMS ? 1u << s : 0;
    }
    p->filter_gather = control(ctl);
    p->filter_max = vdupq_n_u32(job->filter_max);
    p->stream_bit = vld1q_u32(bits);
}

static void plan_padding(plan *p, const cnd_job *job)
{
    if (!job->padding_constant)
        return;
    for (int g = 0; g < 16; g++)
        p->padding_wk[g] = vld1q_u32(&job->padding_kw[4 * g]);
}

/* The plan a call scans with: everything that does not depend on the nonce. */
static void prepare_plan(plan *p, const cnd_job *job)
{
    p->job = job;
    for (int g = 0; g < 16; g++)
        p->k[g] = vld1q_u32(&CND_SHA256_K[4 * g]);
    plan_first_hash(p, job);
    plan_second_hash(p, job);
    plan_padding(p, job);
}

CND_KERNEL_OF_SCAN_COPIES(cnd_kernel_armv8, prepare_plan, TAIL_ABCD, TAIL_EFGH)
