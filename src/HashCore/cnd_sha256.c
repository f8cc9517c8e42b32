/*
 * Portable SHA-256: the compression, the message schedule and a streaming hash.
 * The midstate, the reference kernel and the re-check of every candidate use it;
 * it favours plain, checkable code over speed.
 */
#include <string.h>

#include "cnd_impl.h"

void cnd_sha256_schedule(const uint32_t w[16], uint32_t s[64])
{
    for (int i = 0; i < 16; i++)
        s[i] = w[i];
    for (int i = 16; i < 64; i++)
        s[i] = cnd_small_sigma1(s[i - 2]) + s[i - 7] + cnd_small_sigma0(s[i - 15]) + s[i - 16];
}

void cnd_sha256_compress(uint32_t state[8], const uint32_t w[16])
{
    uint32_t s[64];
    cnd_sha256_schedule(w, s);

    uint32_t v[8];
    memcpy(v, state, sizeof v);
    for (int i = 0; i < 64; i++)
        cnd_sha256_round(v, CND_SHA256_K[i] + s[i]);
    for (int i = 0; i < 8; i++)
        state[i] += v[i];
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
