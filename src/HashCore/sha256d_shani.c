/*
 * SHA-NI kernel. sha256rnds2 does two rounds with ~4 cycles of latency but can
 * start every 2 cycles, so one hash alone leaves the unit idle half the time:
 * STREAMS independent nonces advance in lockstep to keep it busy. Everything that
 * does not depend on the nonce is prepared once per call in a `plan`.
 *
 * Register layout (Intel's): a state is two vectors, ABEF and CDGH, and a round
 * pair turns (CDGH, ABEF) into the new ABEF while the old ABEF becomes CDGH. So
 * the two vectors swap roles after each pair: before an even pair st[0] holds
 * ABEF, before an odd pair st[1] does. Message vectors hold four schedule words,
 * word t in lane 0.
 */
#include <immintrin.h>
#include "cnd_impl.h"

/* Three, not two: with two the unit only stays busy if every other operand
 * arrives exactly on time; four spill registers (SSE has sixteen). */
#define STREAMS 3

#define EACH_STREAM(s) _Pragma("GCC unroll 8") for (int s = 0; s < STREAMS; s++)

#define INLINE static inline __attribute__((always_inline))

typedef struct plan {
    __m128i k[16];           /* round constants, four per vector */
    __m128i start[2];        /* first-hash state after the rounds before the nonce */
    int start_pair;          /* first round pair that reads a nonce word */
    __m128i mid[2];          /* midstate as ABEF, CDGH: the chunk-0 feed-forward */
    __m128i base[2][4];      /* the job's chunks, nonce bytes zero */
    __m128i place[2][4];     /* pshufb controls that move the nonce bytes into each vector */
    __m128i iv[2];           /* second-hash start state */
    __m128i pad_wk[2];       /* second-hash words 8..15 (fixed padding) plus K */
    __m128i pad_msg1;        /* msg1 of those padding words: a schedule term with no digest in it */
    __m128i filter_add;      /* IV words to add to the vector that holds the filter word */
    __m128i filter_pick;     /* pshufb: filter word to lane 0, byte-swapped when asked */
    uint32_t filter_max;
} plan;

/* Second-hash message words 8..11 and 12..15: the padding of a 32-byte message. */
#define PAD_LO _mm_set_epi32(0, 0, 0, (int)0x80000000u)
#define PAD_HI _mm_set_epi32(256, 0, 0, 0)

INLINE __m128i high_pair(__m128i wk) { return _mm_shuffle_epi32(wk, 0x0E); }

/* Two rounds; `pair` (a constant after unrolling) says which vector is CDGH. */
INLINE void round_pair(__m128i st[2], __m128i wk, int pair)
{
    if (pair & 1)
        st[0] = _mm_sha256rnds2_epu32(st[0], st[1], wk);
    else
        st[1] = _mm_sha256rnds2_epu32(st[1], st[0], wk);
}

/* Four rounds of every stream from message vectors msg[s] (K not yet added). */
INLINE void round_quad(__m128i st[STREAMS][2], const __m128i msg[STREAMS], __m128i k)
{
    __m128i wk[STREAMS];
    EACH_STREAM(s) {
        wk[s] = _mm_add_epi32(msg[s], k);
        round_pair(st[s], wk[s], 0);
    }
    EACH_STREAM(s) round_pair(st[s], high_pair(wk[s]), 1);
}

/* Schedule words 4g..4g+3 from the previous sixteen, kept in a ring of four vectors. */
INLINE __m128i schedule(const __m128i m[4], int g)
{
    __m128i t = _mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]);
    t = _mm_add_epi32(t, _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4));
    return _mm_sha256msg2_epu32(t, m[(g + 3) & 3]);
}

/* Rounds 16..63 (groups 4..15), scheduling as they go. */
INLINE void rounds_from_16(__m128i st[STREAMS][2], __m128i m[STREAMS][4], const plan *p)
{
    _Pragma("GCC unroll 12") for (int g = 4; g < 16; g++) {
        __m128i next[STREAMS];
        EACH_STREAM(s) {
            next[s] = schedule(m[s], g);
            m[s][g & 3] = next[s];
        }
        round_quad(st, next, p->k[g]);
    }
}

/*
 * A whole compression of a nonce-bearing chunk, entered at round pair `start`
 * (0..7) because the state already holds the rounds before it. The switch falls
 * through: entering at case n runs pairs n..7, then the rest.
 */
INLINE void compress_from(__m128i st[STREAMS][2], __m128i m[STREAMS][4], const plan *p, int start)
{
    __m128i wk[STREAMS][4];
    EACH_STREAM(s) {
        _Pragma("GCC unroll 4") for (int g = 0; g < 4; g++)
            wk[s][g] = _mm_add_epi32(m[s][g], p->k[g]);
    }
#define PAIR(n) EACH_STREAM(s) round_pair(st[s], (n) & 1 ? high_pair(wk[s][(n) / 2]) : wk[s][(n) / 2], n)
    switch (start) {
    case 0: PAIR(0); /* fall through */
    case 1: PAIR(1); /* fall through */
    case 2: PAIR(2); /* fall through */
    case 3: PAIR(3); /* fall through */
    case 4: PAIR(4); /* fall through */
    case 5: PAIR(5); /* fall through */
    case 6: PAIR(6); /* fall through */
    default: PAIR(7);
    }
#undef PAIR
    rounds_from_16(st, m, p);
}

/* The chunk's message vectors for each stream's nonce: base | nonce bytes moved into place. */
INLINE void load_message(__m128i m[STREAMS][4], const __m128i nonce[STREAMS], const plan *p, int chunk)
{
    EACH_STREAM(s) {
        _Pragma("GCC unroll 4") for (int g = 0; g < 4; g++)
            m[s][g] = _mm_or_si128(p->base[chunk][g], _mm_shuffle_epi8(nonce[s], p->place[chunk][g]));
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

/* ABEF/CDGH (after an even number of pairs) to message order A..D, E..H. */
INLINE void state_to_words(const __m128i st[2], __m128i *abcd, __m128i *efgh)
{
    __m128i feba = _mm_shuffle_epi32(st[0], 0x1B);
    __m128i dchg = _mm_shuffle_epi32(st[1], 0xB1);
    *abcd = _mm_blend_epi16(feba, dchg, 0xF0);
    *efgh = _mm_alignr_epi8(dchg, feba, 8);
}

/*
 * The second hash of each stream's first digest (in st), up to the pair that fixes
 * the filter word, then the filter. Returns a bit per passing stream.
 * Its message is the digest (words 0..7) and fixed padding (8..15), which lets
 * rounds 8..15 use precomputed W+K and drops schedule terms that are zero.
 */
INLINE unsigned second_hash(const __m128i first[STREAMS][2], const plan *p, int early)
{
    __m128i m[STREAMS][4], st[STREAMS][2], wk[STREAMS][2];
    EACH_STREAM(s) {
        state_to_words(first[s], &m[s][0], &m[s][1]);
        m[s][2] = PAD_LO;
        m[s][3] = PAD_HI;
        st[s][0] = p->iv[0];
        st[s][1] = p->iv[1];
        wk[s][0] = _mm_add_epi32(m[s][0], p->k[0]);
        wk[s][1] = _mm_add_epi32(m[s][1], p->k[1]);
    }
    EACH_STREAM(s) round_pair(st[s], wk[s][0], 0);
    EACH_STREAM(s) round_pair(st[s], high_pair(wk[s][0]), 1);
    EACH_STREAM(s) round_pair(st[s], wk[s][1], 2);
    EACH_STREAM(s) round_pair(st[s], high_pair(wk[s][1]), 3);
    EACH_STREAM(s) round_pair(st[s], p->pad_wk[0], 4);
    EACH_STREAM(s) round_pair(st[s], high_pair(p->pad_wk[0]), 5);
    EACH_STREAM(s) round_pair(st[s], p->pad_wk[1], 6);
    EACH_STREAM(s) round_pair(st[s], high_pair(p->pad_wk[1]), 7);

    /* Words 16..31 with the zero padding terms left out (words 9..14 are zero). */
    __m128i next[STREAMS];
    EACH_STREAM(s) next[s] = m[s][0] = _mm_sha256msg2_epu32(_mm_sha256msg1_epu32(m[s][0], m[s][1]), PAD_HI);
    round_quad(st, next, p->k[4]);
    EACH_STREAM(s) {
        __m128i t = _mm_add_epi32(_mm_sha256msg1_epu32(m[s][1], PAD_LO), _mm_alignr_epi8(m[s][0], PAD_HI, 4));
        next[s] = m[s][1] = _mm_sha256msg2_epu32(t, m[s][0]);
    }
    round_quad(st, next, p->k[5]);
    EACH_STREAM(s) {
        __m128i t = _mm_add_epi32(p->pad_msg1, _mm_alignr_epi8(m[s][1], m[s][0], 4));
        next[s] = m[s][2] = _mm_sha256msg2_epu32(t, m[s][1]);
    }
    round_quad(st, next, p->k[6]);
    EACH_STREAM(s) next[s] = m[s][3] = schedule(m[s], 7);
    round_quad(st, next, p->k[7]);

    /* Groups 8..14 in full; group 15 runs one pair or two (see cnd_kernel_shani). */
    _Pragma("GCC unroll 8") for (int g = 8; g < 16; g++) {
        EACH_STREAM(s) next[s] = m[s][g & 3] = schedule(m[s], g);
        if (g < 15) {
            round_quad(st, next, p->k[g]);
        } else {
            EACH_STREAM(s) {
                wk[s][0] = _mm_add_epi32(next[s], p->k[15]);
                round_pair(st[s], wk[s][0], 0);
            }
            if (!early)
                EACH_STREAM(s) round_pair(st[s], high_pair(wk[s][0]), 1);
        }
    }

    unsigned pass = 0;
    EACH_STREAM(s) {
        __m128i abef = early ? st[s][1] : st[s][0];
        __m128i v = _mm_shuffle_epi8(_mm_add_epi32(abef, p->filter_add), p->filter_pick);
        pass |= (unsigned)((uint32_t)_mm_cvtsi128_si32(v) <= p->filter_max) << s;
    }
    return pass;
}

/*
 * STREAMS nonces from n (wrapping past 0xFFFFFFFF is harmless: the caller ignores
 * nonces beyond the range). `nchunks` and `early` are constants in each copy.
 */
INLINE unsigned hash_streams(const plan *p, uint32_t n, int nchunks, int early)
{
    __m128i nonce[STREAMS], m[STREAMS][4], st[STREAMS][2], in[STREAMS][2];
    EACH_STREAM(s) {
        nonce[s] = _mm_cvtsi32_si128((int)(n + (uint32_t)s));
        st[s][0] = p->start[0];
        st[s][1] = p->start[1];
        in[s][0] = p->mid[0];
        in[s][1] = p->mid[1];
    }
    load_message(m, nonce, p, 0);
    compress_from(st, m, p, p->start_pair);
    add_state(st, (const __m128i(*)[2])in);
    if (nchunks == 2) {
        EACH_STREAM(s) {
            in[s][0] = st[s][0];
            in[s][1] = st[s][1];
        }
        load_message(m, nonce, p, 1);
        compress_from(st, m, p, 0);
        add_state(st, (const __m128i(*)[2])in);
    }
    return second_hash((const __m128i(*)[2])st, p, early);
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

/*
 * The pshufb control that drops the nonce (in lane 0 of a vector, as a number)
 * into the bytes of message vector `vec` (0..7 over both chunks) it occupies.
 * Message word w sits in lane w % 4 as a number, so its big-endian byte i is the
 * vector's byte 4 * (w % 4) + 3 - i.
 */
static __m128i nonce_placement(const cnd_job *job, int vec)
{
    uint8_t ctl[16];
    for (int i = 0; i < 16; i++)
        ctl[i] = 0x80;
    int first_byte = 4 * job->nonce_word + job->nonce_shift / 8;
    for (int i = 0; i < 4; i++) {
        int at = first_byte + i;                              /* message byte of the nonce's i-th byte */
        if (at / 16 != vec)
            continue;
        int nonce_byte = job->nonce_le ? i : 3 - i;           /* that byte within the number n */
        ctl[4 * ((at / 4) % 4) + 3 - at % 4] = (uint8_t)nonce_byte;
    }
    return _mm_loadu_si128((const __m128i *)ctl);
}

static void plan_build(plan *p, const cnd_job *job)
{
    for (int g = 0; g < 16; g++)
        p->k[g] = _mm_loadu_si128((const __m128i *)&CND_SHA256_K[4 * g]);
    for (int c = 0; c < 2; c++) {
        for (int g = 0; g < 4; g++) {
            p->base[c][g] = _mm_loadu_si128((const __m128i *)&job->chunk[c][4 * g]);
            p->place[c][g] = nonce_placement(job, 4 * c + g);
        }
    }

    /* Rounds before the nonce's first word read only constants: run them here. */
    words_to_state(job->midstate, p->mid);
    p->start[0] = p->mid[0];
    p->start[1] = p->mid[1];
    p->start_pair = job->nonce_word / 2 < 7 ? job->nonce_word / 2 : 7;
    for (int n = 0; n < p->start_pair; n++) {
        __m128i wk = _mm_add_epi32(p->base[0][n / 2], p->k[n / 2]);
        round_pair(p->start, n & 1 ? high_pair(wk) : wk, n);
    }

    words_to_state(CND_SHA256_IV, p->iv);
    p->pad_wk[0] = _mm_add_epi32(PAD_LO, p->k[2]);
    p->pad_wk[1] = _mm_add_epi32(PAD_HI, p->k[3]);
    p->pad_msg1 = _mm_sha256msg1_epu32(PAD_LO, PAD_HI);

    /*
     * Which ABEF lane ends up holding the filter word: after all 32 pairs ABEF is
     * (A, B, E, F) in lanes 3..0; after 31 it is (A, B, E, F) of round 62, which
     * the last two rounds shift into the final (C, D, G, H).
     */
    int w = job->filter_word;
    int early = (w & 2) != 0;
    int lane = 3 - ((w & 1) | ((w & 4) >> 1));
    p->filter_add = early ? p->iv[1] : p->iv[0];
    uint8_t pick[16];
    for (int i = 0; i < 16; i++)
        pick[i] = 0x80;
    for (int i = 0; i < 4; i++)
        pick[i] = (uint8_t)(4 * lane + (job->filter_bswap ? 3 - i : i));
    p->filter_pick = _mm_loadu_si128((const __m128i *)pick);
    p->filter_max = job->filter_max;
}

/* The lowest nonce of [first, last] that passes. */
INLINE int scan(const plan *p, uint32_t first, uint32_t last, uint32_t *candidate, int nchunks, int early)
{
    for (uint64_t n = first; n <= last; n += STREAMS) {
        unsigned pass = hash_streams(p, (uint32_t)n, nchunks, early);
        if (__builtin_expect(pass != 0, 0)) {
            uint64_t hit = n + (uint64_t)__builtin_ctz(pass);
            if (hit > last)
                return 0;
            *candidate = (uint32_t)hit;
            return 1;
        }
    }
    return 0;
}

/* One compiled copy per (chunks, early) pair, so neither is tested inside the loop. */
#define SCAN_COPY(name, nchunks, early)                                                        \
    static __attribute__((noinline)) int name(const plan *p, uint32_t first, uint32_t last,    \
                                              uint32_t *candidate)                             \
    {                                                                                          \
        return scan(p, first, last, candidate, nchunks, early);                                \
    }
SCAN_COPY(scan_1_full, 1, 0)
SCAN_COPY(scan_1_early, 1, 1)
SCAN_COPY(scan_2_full, 2, 0)
SCAN_COPY(scan_2_early, 2, 1)

int cnd_kernel_shani(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    plan p;
    plan_build(&p, job);
    /* Filter words 2, 3, 6 and 7 are settled one round pair before the end. */
    int early = (job->filter_word & 2) != 0;
    if (job->nchunks == 1)
        return early ? scan_1_early(&p, first, last, candidate) : scan_1_full(&p, first, last, candidate);
    return early ? scan_2_early(&p, first, last, candidate) : scan_2_full(&p, first, last, candidate);
}
