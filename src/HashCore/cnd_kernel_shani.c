/*
 * SHA-NI kernel. sha256rnds2 does two rounds with ~4 cycles of latency but can
 * start every 2 cycles, so one hash alone leaves the unit idle half the time:
 * STREAMS independent nonces advance in lockstep to keep it busy. The unit is the
 * bottleneck, so the design counts round pairs: everything that does not depend
 * on the nonce is prepared once per call in a `plan`, and a round that is linear
 * in its message word is done with one vector addition instead of a pair.
 *
 * Register layout (Intel's): a state is two vectors, ABEF and CDGH (A in lane 3),
 * and a round pair turns (CDGH, ABEF) into the new ABEF while the old ABEF becomes
 * CDGH. So the two swap roles after each pair: before pair number n, st[n & 1]
 * holds ABEF. Message vectors hold four schedule words, word t in lane t % 4.
 *
 * Two-chunk layouts: a padding-only chunk 1 takes K + W from the job (no msg1/msg2),
 * and a nonce straddling into chunk 1 leaves chunk 0 the same along a run of nonces
 * (cnd_job.run_shift), made once per run. The round pairs themselves are the limit:
 * a padding layout needs 32 more pairs than a one-chunk one (about 89 against 58).
 */
#include <immintrin.h>
#include <string.h>
#include "cnd_impl.h"

/* Two streams leave the unit idle whenever an operand is late (measured 11%
 * slower than three). Four measured 3-6% faster than three, although their
 * states and schedules spill out of SSE's sixteen registers. */
#define STREAMS 4
_Static_assert(STREAMS <= 4, "the filter gives each stream one lane of a vector");

#define EACH_STREAM(s) _Pragma("GCC unroll 8") for (int s = 0; s < STREAMS; s++)

#define INLINE static inline __attribute__((always_inline))

/*
 * How far the second hash runs. The last two rounds only shift A..C into B..D and
 * E..G into F..H, so the final C, D, G and H are already in the state after round
 * 62 (A, B, E and F of it) and their pair can be left out.
 */
enum tail { TAIL_64, TAIL_62 };

/*
 * The message tail: one chunk, two, or two whose second is the constant padding.
 * SAME_RUN is a two-chunk group whose nonces all share chunk 0 (cnd_job.run_shift):
 * its state after chunk 0 is given, and only chunk 1 is compressed.
 */
enum layout { ONE_CHUNK, TWO_CHUNKS, TWO_CHUNKS_PADDING, SAME_RUN };

typedef struct plan {
    __m128i k[16];           /* round constants, four per vector */
    __m128i start[2];        /* first-hash state before pair start_pair (st[start_pair & 1] is ABEF) */
    __m128i start_add[2];    /* pshufb controls: the nonce's share of the one linear round, per vector */
    int start_pair;          /* first round pair that reads the nonce */
    __m128i mid[2];          /* midstate as ABEF, CDGH: the chunk-0 feed-forward */
    __m128i base[8];         /* the job's two chunks as message vectors, nonce bytes zero */
    __m128i place[8];        /* pshufb controls that move the nonce bytes into each vector */
    int nonce_vec[2];        /* the one or two vectors that hold nonce bytes (may be equal) */
    __m128i padding_wk[32];  /* the padding chunk's K + W, one vector per round pair (job->padding_constant) */
    __m128i iv[2];           /* second-hash start state */
    __m128i pad_wk[2];       /* second-hash words 8..15 (fixed padding) plus K */
    __m128i pad_msg1;        /* msg1 of those padding words: a schedule term with no digest in it */
    __m128i filter_gather[STREAMS]; /* pshufb: filter lane of stream s's ABEF to lane s */
    __m128i filter_add;      /* IV word of the filter word, in every lane */
    __m128i filter_order;    /* pshufb: byte-swap each lane, or keep it */
    __m128i filter_max;      /* in every lane */
    enum tail tail;
    const cnd_job *job;      /* for the once-per-run chunk-0 state */
} plan;

/* Second-hash message words 8..11 and 12..15: the padding of a 32-byte message. */
#define PAD_LO _mm_set_epi32(0, 0, 0, (int)0x80000000u)
#define PAD_HI _mm_set_epi32(256, 0, 0, 0)

INLINE __m128i high_pair(__m128i wk) { return _mm_shuffle_epi32(wk, 0x0E); }

/* Two rounds; `n`, the pair's number (a constant after unrolling), says which vector is ABEF. */
INLINE void round_pair(__m128i st[2], __m128i wk, int n)
{
    if (n & 1)
        st[0] = _mm_sha256rnds2_epu32(st[0], st[1], wk);
    else
        st[1] = _mm_sha256rnds2_epu32(st[1], st[0], wk);
}

/* Four rounds of every stream from message vectors msg[s] (K not yet added). */
INLINE void round_quad(__m128i st[STREAMS][2], const __m128i msg[STREAMS], __m128i k)
{
    /* Both pairs of one stream back to back: its W+K lives in xmm0 (which
     * sha256rnds2 reads implicitly) for both, saving a register copy. */
    EACH_STREAM(s) {
        __m128i wk = _mm_add_epi32(msg[s], k);
        round_pair(st[s], wk, 0);
        round_pair(st[s], high_pair(wk), 1);
    }
}

/* Schedule words 4g..4g+3 from the previous sixteen, kept in a ring of four vectors. */
INLINE __m128i schedule(const __m128i m[4], int g)
{
    __m128i t = _mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]);
    t = _mm_add_epi32(t, _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4));
    return _mm_sha256msg2_epu32(t, m[(g + 3) & 3]);
}

/* A chunk's message vectors, as the schedule's starting ring. */
INLINE void load_chunk(__m128i m[STREAMS][4], const __m128i msg[STREAMS][8], int chunk)
{
    EACH_STREAM(s) {
        _Pragma("GCC unroll 4") for (int g = 0; g < 4; g++)
            m[s][g] = msg[s][4 * chunk + g];
    }
}

/*
 * A compression of a nonce-bearing chunk, entered at round pair `start` (0..8)
 * because the state already holds the rounds before it. The switch falls through:
 * entering at case n runs pairs n..7, then rounds 16..63.
 */
INLINE void compress_from(__m128i st[STREAMS][2], __m128i m[STREAMS][4], const plan *p, int start)
{
#define PAIR(n)                                                                                \
    EACH_STREAM(s) {                                                                           \
        __m128i wk = _mm_add_epi32(m[s][(n) / 2], p->k[(n) / 2]);                              \
        round_pair(st[s], (n) & 1 ? high_pair(wk) : wk, n);                                    \
    }
    switch (start) {
    case 0: PAIR(0) /* fall through */
    case 1: PAIR(1) /* fall through */
    case 2: PAIR(2) /* fall through */
    case 3: PAIR(3) /* fall through */
    case 4: PAIR(4) /* fall through */
    case 5: PAIR(5) /* fall through */
    case 6: PAIR(6) /* fall through */
    case 7: PAIR(7) /* fall through */
    default: break;
    }
#undef PAIR
    _Pragma("GCC unroll 12") for (int g = 4; g < 16; g++) {
        __m128i next[STREAMS];
        EACH_STREAM(s) next[s] = m[s][g & 3] = schedule(m[s], g);
        round_quad(st, next, p->k[g]);
    }
}

/* The feed-forward: chunk input state plus compression output, per stream. */
INLINE void add_state(__m128i st[STREAMS][2], const __m128i in[STREAMS][2])
{
    EACH_STREAM(s) {
        st[s][0] = _mm_add_epi32(st[s][0], in[s][0]);
        st[s][1] = _mm_add_epi32(st[s][1], in[s][1]);
    }
}

/* All 64 rounds of a chunk whose K + W are known: no message schedule at all. */
INLINE void compress_known(__m128i st[STREAMS][2], const __m128i wk[32])
{
    _Pragma("GCC unroll 16") for (int n = 0; n < 32; n += 2) {
        EACH_STREAM(s) {
            round_pair(st[s], wk[n], n);
            round_pair(st[s], wk[n + 1], n + 1);
        }
    }
}

/*
 * The first hash of nonces n .. n+STREAMS-1: its digests as ABEF, CDGH. msg holds
 * each stream's message vectors; only those with nonce bytes are rewritten.
 */
INLINE void first_hash(__m128i st[STREAMS][2], __m128i msg[STREAMS][8], const plan *p, uint32_t n,
                       enum layout layout, const __m128i run_state[2])
{
    __m128i m[STREAMS][4], in[STREAMS][2];
    EACH_STREAM(s) {
        __m128i nonce = _mm_cvtsi32_si128((int)(n + (uint32_t)s));
        for (int i = 0; i < 2; i++) {
            int v = p->nonce_vec[i];
            msg[s][v] = _mm_or_si128(p->base[v], _mm_shuffle_epi8(nonce, p->place[v]));
        }
        if (layout == SAME_RUN) {
            st[s][0] = run_state[0];
            st[s][1] = run_state[1];
            continue;
        }
        st[s][0] = _mm_add_epi32(p->start[0], _mm_shuffle_epi8(nonce, p->start_add[0]));
        st[s][1] = _mm_add_epi32(p->start[1], _mm_shuffle_epi8(nonce, p->start_add[1]));
        in[s][0] = p->mid[0];
        in[s][1] = p->mid[1];
    }
    if (layout != SAME_RUN) {
        load_chunk(m, (const __m128i(*)[8])msg, 0);
        compress_from(st, m, p, p->start_pair);
        add_state(st, (const __m128i(*)[2])in);
    }
    if (layout == ONE_CHUNK)
        return;
    EACH_STREAM(s) {
        in[s][0] = st[s][0];
        in[s][1] = st[s][1];
    }
    if (layout == TWO_CHUNKS_PADDING) {
        compress_known(st, p->padding_wk);
    } else {
        load_chunk(m, (const __m128i(*)[8])msg, 1);
        compress_from(st, m, p, 0);
    }
    add_state(st, (const __m128i(*)[2])in);
}

/* ABEF/CDGH to message order: A..D and E..H, word 0 in lane 0. */
INLINE void state_to_words(const __m128i st[2], __m128i *abcd, __m128i *efgh)
{
    __m128i feba = _mm_shuffle_epi32(st[0], 0x1B);
    __m128i dchg = _mm_shuffle_epi32(st[1], 0xB1);
    *abcd = _mm_blend_epi16(feba, dchg, 0xF0);
    *efgh = _mm_alignr_epi8(dchg, feba, 8);
}

/*
 * Second-hash message words 4g..4g+3 plus K. The message is the digest (words
 * 0..7) and fixed padding (8..15): words 8..15 plus K are precomputed, and the
 * schedule of words 16..27 drops terms that are zero (words 9..14).
 */
INLINE __m128i second_wk(__m128i m[4], int g, const plan *p)
{
    __m128i w;
    switch (g) {
    case 0: case 1: w = m[g]; break;
    case 2: case 3: return p->pad_wk[g - 2];
    case 4: w = _mm_sha256msg2_epu32(_mm_sha256msg1_epu32(m[0], m[1]), PAD_HI); break;
    case 5: w = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(m[1], PAD_LO),
                                                   _mm_alignr_epi8(m[0], PAD_HI, 4)), m[0]); break;
    case 6: w = _mm_sha256msg2_epu32(_mm_add_epi32(p->pad_msg1, _mm_alignr_epi8(m[1], m[0], 4)), m[1]); break;
    default: w = schedule(m, g); break;
    }
    if (g >= 4)
        m[g & 3] = w;
    return _mm_add_epi32(w, p->k[g]);
}

/*
 * The second hash of each stream's first digest, only as far as the filter word
 * needs, then the filter. Returns a bit per passing stream.
 */
INLINE unsigned second_hash(const __m128i first[STREAMS][2], const plan *p, enum tail tail)
{
    __m128i m[STREAMS][4], st[STREAMS][2];
    EACH_STREAM(s) {
        state_to_words(first[s], &m[s][0], &m[s][1]);
        m[s][2] = PAD_LO;
        m[s][3] = PAD_HI;
        st[s][0] = p->iv[0];
        st[s][1] = p->iv[1];
    }
    _Pragma("GCC unroll 16") for (int g = 0; g < 16; g++) {
        EACH_STREAM(s) {
            __m128i wk = second_wk(m[s], g, p);
            round_pair(st[s], wk, 0);
            if (g < 15 || tail == TAIL_64)
                round_pair(st[s], high_pair(wk), 1);
        }
    }

    /* ABEF is st[0] after 32 pairs, st[1] after 31. Each stream's filter word
     * goes to a lane of its own, and one unsigned compare (v == min(v, max))
     * tests them all. */
    __m128i v = _mm_setzero_si128();
    EACH_STREAM(s) v = _mm_or_si128(v, _mm_shuffle_epi8(tail == TAIL_62 ? st[s][1] : st[s][0], p->filter_gather[s]));
    v = _mm_shuffle_epi8(_mm_add_epi32(v, p->filter_add), p->filter_order);
    __m128i pass = _mm_cmpeq_epi32(v, _mm_min_epu32(v, p->filter_max));
    return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(pass)) & ((1u << STREAMS) - 1);
}

/* Eight state words (A..H) to the ABEF, CDGH pair. */
static void words_to_state(const uint32_t w[8], __m128i st[2])
{
    __m128i dcba = _mm_loadu_si128((const __m128i *)&w[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&w[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    st[0] = _mm_alignr_epi8(cdab, efgh, 8);
    st[1] = _mm_blend_epi16(efgh, cdab, 0xF0);
}

/* The lowest nonce of [first, last] that passes. Nonces past `last` (wrapping
 * past 0xFFFFFFFF) in the final group are hashed but never reported. */
INLINE int scan(const plan *p, uint32_t first, uint32_t last, uint32_t *candidate, enum layout layout,
                enum tail tail)
{
    __m128i msg[STREAMS][8];
    EACH_STREAM(s) {
        for (int v = 0; v < 8; v++)
            msg[s][v] = p->base[v];
    }
    __m128i run_state[2] = {_mm_setzero_si128(), _mm_setzero_si128()};
    cnd_run run = {0};
    for (uint64_t n = first; n <= last; n += STREAMS) {
        __m128i digest[STREAMS][2];
        if (layout == TWO_CHUNKS && cnd_job_same_run(p->job, (uint32_t)n, STREAMS)) {
            if (cnd_run_enter(&run, p->job, (uint32_t)n))
                words_to_state(run.state, run_state);
            first_hash(digest, msg, p, (uint32_t)n, SAME_RUN, run_state);
        } else {
            first_hash(digest, msg, p, (uint32_t)n, layout, run_state);
        }
        unsigned pass = second_hash((const __m128i(*)[2])digest, p, tail);
        if (__builtin_expect(pass != 0, 0))
            return cnd_take_lowest_lane(n, pass, last, candidate);
    }
    return 0;
}

static __m128i control(const uint8_t ctl[16]) { return _mm_loadu_si128((const __m128i *)ctl); }

/* pshufb zeroes every byte whose control byte has the top bit set. */
static void clear_control(uint8_t ctl[16]) { memset(ctl, 0x80, 16); }

/*
 * The first hash up to the nonce: rounds before word r = nonce_word read only
 * constants. Round r itself adds W[r] linearly to A and E, so when r is odd it
 * becomes "constant state + nonce bits" and the pairs start at round r + 1;
 * when r is even the pairs start at r.
 */
static void plan_first_hash(plan *p, const cnd_job *job)
{
    int r = job->nonce_word < 15 ? job->nonce_word : 15;
    uint32_t s[8];
    for (int i = 0; i < 8; i++)
        s[i] = job->midstate[i];
    for (int t = 0; t < r; t++)
        cnd_sha256_round(s, CND_SHA256_K[t] + job->chunk[0][t]);
    uint8_t ctl[16];
    clear_control(ctl);
    if (r & 1) {
        cnd_sha256_round(s, CND_SHA256_K[r] + job->chunk[0][r]);
        cnd_place_nonce_word(ctl, job, r, 3);
        cnd_place_nonce_word(ctl, job, r, 1);
    }
    p->start_pair = (r + 1) / 2;
    __m128i st[2];
    words_to_state(s, st);
    int abef = p->start_pair & 1;
    p->start[abef] = st[0];
    p->start[!abef] = st[1];
    p->start_add[abef] = control(ctl);
    clear_control(ctl);
    p->start_add[!abef] = control(ctl);

    /* Four consecutive bytes touch one message vector or two. */
    int found = 0;
    p->nonce_vec[0] = 0;
    for (int v = 0; v < 8; v++) {
        clear_control(ctl);
        int placed = 0;
        for (int lane = 0; lane < 4; lane++)
            placed += cnd_place_nonce_word(ctl, job, 4 * v + lane, lane);
        p->base[v] = _mm_loadu_si128((const __m128i *)&job->chunk[v / 4][4 * (v % 4)]);
        p->place[v] = control(ctl);
        if (placed && found < 2)
            p->nonce_vec[found++] = v;
    }
    if (found < 2)
        p->nonce_vec[1] = p->nonce_vec[0];
    words_to_state(job->midstate, p->mid);
}

static void plan_second_hash(plan *p, const cnd_job *job)
{
    words_to_state(CND_SHA256_IV, p->iv);
    p->pad_wk[0] = _mm_add_epi32(PAD_LO, p->k[2]);
    p->pad_wk[1] = _mm_add_epi32(PAD_HI, p->k[3]);
    p->pad_msg1 = _mm_sha256msg1_epu32(PAD_LO, PAD_HI);

    /* The filter word's lane in ABEF: A, B, E, F after 64 rounds are lanes 3..0,
     * and so are C, D, G, H after 62. */
    int w = job->filter_word & 7;
    p->tail = w & 2 ? TAIL_62 : TAIL_64;
    int lane = 3 - ((w & 1) | (w & 4) >> 1);
    uint8_t ctl[16];
    for (int s = 0; s < STREAMS; s++) {
        for (int i = 0; i < 16; i++)
            ctl[i] = i / 4 == s ? (uint8_t)(4 * lane + i % 4) : 0x80;
        p->filter_gather[s] = control(ctl);
    }
    for (int i = 0; i < 16; i++)
        ctl[i] = (uint8_t)(job->filter_bswap ? (i & ~3) + 3 - i % 4 : i);
    p->filter_order = control(ctl);
    p->filter_add = _mm_set1_epi32((int)CND_SHA256_IV[w]);
    p->filter_max = _mm_set1_epi32((int)job->filter_max);
}

/* The padding chunk's K + W as round-pair operands: words 2n, 2n + 1 in lanes 0, 1. */
static void plan_padding(plan *p, const cnd_job *job)
{
    if (!job->padding_constant)
        return;
    for (int n = 0; n < 32; n++)
        p->padding_wk[n] = _mm_set_epi32(0, 0, (int)job->padding_kw[2 * n + 1], (int)job->padding_kw[2 * n]);
}

/* The plan a call scans with: everything that does not depend on the nonce. */
static void prepare_plan(plan *p, const cnd_job *job)
{
    p->job = job;
    for (int g = 0; g < 16; g++)
        p->k[g] = _mm_loadu_si128((const __m128i *)&CND_SHA256_K[4 * g]);
    plan_first_hash(p, job);
    plan_second_hash(p, job);
    plan_padding(p, job);
}

CND_KERNEL_OF_SCAN_COPIES(cnd_kernel_shani, prepare_plan, TAIL_64, TAIL_62)
