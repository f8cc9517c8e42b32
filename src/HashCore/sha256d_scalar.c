/*
 * Portable SHA-256 and the reference kernel. Every other kernel is tested against
 * this file, so it favours plain, checkable code over speed; the only concession
 * is that the job already carries the midstate, so a nonce costs three compressions
 * at most and nothing is allocated.
 */
#include <string.h>

#include "cnd_impl.h"

#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (cnd_rotr32((x), 2) ^ cnd_rotr32((x), 13) ^ cnd_rotr32((x), 22))
#define BSIG1(x) (cnd_rotr32((x), 6) ^ cnd_rotr32((x), 11) ^ cnd_rotr32((x), 25))
#define SSIG0(x) (cnd_rotr32((x), 7) ^ cnd_rotr32((x), 18) ^ ((x) >> 3))
#define SSIG1(x) (cnd_rotr32((x), 17) ^ cnd_rotr32((x), 19) ^ ((x) >> 10))

void cnd_sha256_schedule(const uint32_t w[16], uint32_t s[64])
{
    for (int i = 0; i < 16; i++)
        s[i] = w[i];
    for (int i = 16; i < 64; i++)
        s[i] = SSIG1(s[i - 2]) + s[i - 7] + SSIG0(s[i - 15]) + s[i - 16];
}

void cnd_sha256_compress(uint32_t state[8], const uint32_t w[16])
{
    uint32_t s[64];
    cnd_sha256_schedule(w, s);

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + CND_SHA256_K[i] + s[i];
        uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void cnd_words_from_bytes(const uint8_t *bytes, uint32_t *words, size_t nwords)
{
    for (size_t i = 0; i < nwords; i++)
        words[i] = (uint32_t)bytes[4 * i] << 24 | (uint32_t)bytes[4 * i + 1] << 16 |
                   (uint32_t)bytes[4 * i + 2] << 8 | (uint32_t)bytes[4 * i + 3];
}

void cnd_bytes_from_words(const uint32_t *words, uint8_t *bytes, size_t nwords)
{
    for (size_t i = 0; i < nwords; i++) {
        bytes[4 * i] = (uint8_t)(words[i] >> 24);
        bytes[4 * i + 1] = (uint8_t)(words[i] >> 16);
        bytes[4 * i + 2] = (uint8_t)(words[i] >> 8);
        bytes[4 * i + 3] = (uint8_t)words[i];
    }
}

void cnd_sha256_init(cnd_sha256_ctx *ctx)
{
    memcpy(ctx->state, CND_SHA256_IV, sizeof ctx->state);
    ctx->total = 0;
    ctx->used = 0;
}

static void compress_bytes(uint32_t state[8], const uint8_t chunk[64])
{
    uint32_t w[16];
    cnd_words_from_bytes(chunk, w, 16);
    cnd_sha256_compress(state, w);
}

void cnd_sha256_update(cnd_sha256_ctx *ctx, const uint8_t *data, size_t len)
{
    if (len == 0)
        return;   /* data may be NULL then, and memcpy must not see it */
    ctx->total += len;
    if (ctx->used > 0) {
        size_t take = 64 - ctx->used < len ? 64 - ctx->used : len;
        memcpy(ctx->buf + ctx->used, data, take);
        ctx->used += take;
        data += take;
        len -= take;
        if (ctx->used < 64)
            return;
        compress_bytes(ctx->state, ctx->buf);
        ctx->used = 0;
    }
    for (; len >= 64; data += 64, len -= 64)
        compress_bytes(ctx->state, data);
    memcpy(ctx->buf, data, len);
    ctx->used = len;
}

void cnd_sha256_final(cnd_sha256_ctx *ctx, uint8_t out[32])
{
    uint64_t bits = ctx->total * 8;
    uint8_t pad[72] = {0x80};
    /* One 0x80 byte, zeros up to 56 mod 64, then the 64-bit big-endian bit count. */
    size_t padlen = (ctx->used < 56 ? 56 : 120) - ctx->used;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
    cnd_sha256_update(ctx, pad, padlen + 8);
    cnd_bytes_from_words(ctx->state, out, 8);
}

void cnd_sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
    cnd_sha256_ctx ctx;
    cnd_sha256_init(&ctx);
    cnd_sha256_update(&ctx, data, len);
    cnd_sha256_final(&ctx, out);
}

void cnd_sha256d(const uint8_t *data, size_t len, uint8_t out[32])
{
    uint8_t first[32];
    cnd_sha256(data, len, first);
    cnd_sha256(first, sizeof first, out);
}

void cnd_job_message(const cnd_job *job, uint32_t nonce, uint32_t w[32])
{
    uint32_t n = job->nonce_le ? cnd_bswap32(nonce) : nonce;
    memcpy(w, job->chunk, sizeof job->chunk);
    w[job->nonce_word] |= n >> job->nonce_shift;
    if (job->nonce_shift != 0)
        w[job->nonce_word + 1] |= n << (32 - job->nonce_shift);
}

void cnd_job_nonce_chunk_state(const cnd_job *job, uint32_t nonce, uint32_t state[8])
{
    uint32_t w[32];
    cnd_job_message(job, nonce, w);
    memcpy(state, job->midstate, sizeof job->midstate);
    cnd_sha256_compress(state, w);
}

void cnd_job_digest(const cnd_job *job, uint32_t nonce, uint32_t h[8])
{
    uint32_t w[32];
    uint32_t state[8];
    cnd_job_message(job, nonce, w);
    memcpy(state, job->midstate, sizeof state);
    for (int c = 0; c < job->nchunks; c++)
        cnd_sha256_compress(state, w + 16 * c);

    /* The second hash's message is the 32-byte first digest, padded to one chunk. */
    uint32_t second[16] = {0};
    memcpy(second, state, sizeof state);
    second[8] = 0x80000000u;
    second[15] = 256;
    memcpy(h, CND_SHA256_IV, sizeof CND_SHA256_IV);
    cnd_sha256_compress(h, second);
}

static int filter_passes(const cnd_job *job, const uint32_t h[8])
{
    uint32_t v = h[job->filter_word];
    if (job->filter_bswap)
        v = cnd_bswap32(v);
    return v <= job->filter_max;
}

int cnd_kernel_scalar(const cnd_job *job, uint32_t first, uint32_t last, uint32_t *candidate)
{
    /* The loop tests before it increments so that last == 0xFFFFFFFF ends without wrapping. */
    for (uint32_t nonce = first;; nonce++) {
        uint32_t h[8];
        cnd_job_digest(job, nonce, h);
        if (filter_passes(job, h)) {
            *candidate = nonce;
            return 1;
        }
        if (nonce == last)
            return 0;
    }
}
