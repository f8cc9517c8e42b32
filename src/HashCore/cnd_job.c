/*
 * From (block, mode, difficulty) to what a scan needs: the exact golden rule and
 * the kernel job (midstate, nonce position, one-word filter). Also the single-shot
 * public helpers, which share the rule so the library has one definition of golden.
 */
#include <string.h>

#include "cnd_impl.h"

enum { BITCOIN_HEADER_LEN = 80, BITCOIN_NONCE_OFFSET = 76, BITCOIN_BITS_OFFSET = 72 };

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Bitcoin's compact target: value = mantissa * 256^(exponent - 3), a 23-bit mantissa
 * and a sign bit. Placing the three mantissa bytes at their byte positions covers the
 * exponent < 3 case too (low bytes fall off the end, as Bitcoin's right shift does).
 * Negative and overflowing encodings are rejected rather than guessed at.
 */
static int target_from_bits(uint32_t bits, uint8_t target[32])
{
    int exponent = (int)(bits >> 24);
    uint32_t mantissa = bits & 0x007fffffu;
    memset(target, 0, 32);
    if ((bits & 0x00800000u) && mantissa != 0)
        return -1;
    for (int k = 0; k < 3; k++) {
        int pos = 32 - exponent + k;
        uint8_t byte = (uint8_t)(mantissa >> (16 - 8 * k));
        if (pos < 0 && byte != 0)
            return -1;
        if (pos >= 0 && pos < 32)
            target[pos] = byte;
    }
    return 0;
}

/* 2^(256 - d) - 1: d zero bits, then ones. */
static void target_from_difficulty(int32_t d, uint8_t target[32])
{
    for (int i = 0; i < 32; i++) {
        int zero_bits = d - 8 * i;
        target[i] = zero_bits >= 8 ? 0 : zero_bits <= 0 ? 0xff : (uint8_t)(0xff >> zero_bits);
    }
}

int32_t cnd_rule_init(cnd_rule *rule, const uint8_t *block, size_t block_len,
                      int32_t mode, int32_t difficulty, int32_t use_difficulty)
{
    memset(rule, 0, sizeof *rule);
    rule->mode = mode;
    rule->difficulty = difficulty;
    if (block == NULL && block_len > 0)
        return CND_ERR_INVALID_ARGUMENT;
    if (mode == CND_MODE_APPEND_BE) {
        return difficulty >= 0 && difficulty <= 256 ? 0 : CND_ERR_INVALID_ARGUMENT;
    }
    if (mode != CND_MODE_BITCOIN || block_len != BITCOIN_HEADER_LEN)
        return CND_ERR_INVALID_ARGUMENT;
    if (use_difficulty) {
        if (difficulty < 0 || difficulty > 256)
            return CND_ERR_INVALID_ARGUMENT;
        target_from_difficulty(difficulty, rule->target);
        return 0;
    }
    return target_from_bits(load_le32(block + BITCOIN_BITS_OFFSET), rule->target) == 0
               ? 0 : CND_ERR_INVALID_ARGUMENT;
}

int cnd_rule_golden(const cnd_rule *rule, const uint8_t digest[32])
{
    if (rule->mode == CND_MODE_APPEND_BE)
        return cnd_leading_zero_bits(digest) >= rule->difficulty;
    /* The digest is a little-endian number: compare from its last byte down. */
    for (int i = 0; i < 32; i++) {
        uint8_t d = digest[31 - i];
        if (d != rule->target[i])
            return d < rule->target[i];
    }
    return 1;
}

void cnd_job_build(cnd_job *job, const uint8_t *block, size_t block_len, const cnd_rule *rule)
{
    int bitcoin = rule->mode == CND_MODE_BITCOIN;
    size_t nonce_at = bitcoin ? BITCOIN_NONCE_OFFSET : block_len;
    size_t message_len = nonce_at + 4;
    size_t head = nonce_at - nonce_at % 64;   /* bytes before the first nonce-bearing chunk */

    memset(job, 0, sizeof *job);
    cnd_sha256_ctx ctx;
    cnd_sha256_init(&ctx);
    cnd_sha256_update(&ctx, block, head);
    memcpy(job->midstate, ctx.state, sizeof job->midstate);

    /* The rest of the message with the nonce bytes left zero, then SHA-256 padding. */
    uint8_t tail[128] = {0};
    size_t rest = message_len - head;
    if (nonce_at > head)
        memcpy(tail, block + head, nonce_at - head);
    tail[rest] = 0x80;
    job->nchunks = rest + 1 + 8 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)message_len * 8;
    for (int i = 0; i < 8; i++)
        tail[64 * job->nchunks - 1 - i] = (uint8_t)(bits >> (8 * i));
    cnd_words_from_bytes(tail, &job->chunk[0][0], 32);

    job->nonce_word = (int32_t)((nonce_at - head) / 4);
    job->nonce_shift = (int32_t)(nonce_at % 4) * 8;
    job->nonce_le = bitcoin;

    int last_nonce_word = job->nonce_word + (job->nonce_shift != 0);
    job->padding_constant = job->nchunks == 2 && last_nonce_word < 16;
    job->run_shift = job->nchunks == 2 && !job->padding_constant && !job->nonce_le ? job->nonce_shift : 0;
    if (job->padding_constant) {
        cnd_sha256_schedule(job->chunk[1], job->padding_kw);
        for (int i = 0; i < 64; i++)
            job->padding_kw[i] += CND_SHA256_K[i];
    }

    if (bitcoin) {
        /* The digest's most significant little-endian word is its last big-endian word. */
        job->filter_word = 7;
        job->filter_bswap = 1;
        job->filter_max = (uint32_t)rule->target[0] << 24 | (uint32_t)rule->target[1] << 16 |
                          (uint32_t)rule->target[2] << 8 | rule->target[3];
    } else {
        job->filter_word = 0;
        job->filter_bswap = 0;
        job->filter_max = rule->difficulty >= 32 ? 0 : 0xffffffffu >> rule->difficulty;
    }
}

int32_t cnd_leading_zero_bits(const uint8_t digest[32])
{
    for (int i = 0; i < 32; i++) {
        if (digest[i] != 0)
            return 8 * i + __builtin_clz(digest[i]) - 24;
    }
    return 256;
}

int32_t cnd_hash_nonce(const uint8_t *block, size_t block_len, int32_t mode, uint32_t nonce,
                       uint8_t out[32])
{
    if (block == NULL && block_len > 0)
        return CND_ERR_INVALID_ARGUMENT;
    if (mode == CND_MODE_BITCOIN) {
        if (block_len != BITCOIN_HEADER_LEN)
            return CND_ERR_INVALID_ARGUMENT;
        uint8_t header[BITCOIN_HEADER_LEN];
        memcpy(header, block, BITCOIN_NONCE_OFFSET);
        for (int i = 0; i < 4; i++)
            header[BITCOIN_NONCE_OFFSET + i] = (uint8_t)(nonce >> (8 * i));
        cnd_sha256d(header, sizeof header, out);
        return 0;
    }
    if (mode != CND_MODE_APPEND_BE)
        return CND_ERR_INVALID_ARGUMENT;
    /* Streamed, so a 1 MiB block needs no copy. */
    uint8_t nonce_be[4] = {(uint8_t)(nonce >> 24), (uint8_t)(nonce >> 16), (uint8_t)(nonce >> 8),
                           (uint8_t)nonce};
    uint8_t first[32];
    cnd_sha256_ctx ctx;
    cnd_sha256_init(&ctx);
    cnd_sha256_update(&ctx, block, block_len);
    cnd_sha256_update(&ctx, nonce_be, sizeof nonce_be);
    cnd_sha256_final(&ctx, first);
    cnd_sha256(first, sizeof first, out);
    return 0;
}

int32_t cnd_is_golden(const uint8_t *block, size_t block_len, int32_t mode, int32_t difficulty,
                      int32_t use_difficulty, const uint8_t digest[32])
{
    cnd_rule rule;
    int32_t rc = cnd_rule_init(&rule, block, block_len, mode, difficulty, use_difficulty);
    if (rc != 0)
        return rc;
    return cnd_rule_golden(&rule, digest);
}
