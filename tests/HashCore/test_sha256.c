/*
 * SHA-256 against the published FIPS 180-2 examples, and the library's three ways to
 * hash a nonce (streaming one-shot, cnd_hash_nonce, the job's midstate path) against
 * each other for every block length up to 200 and both modes.
 */
#include <stdlib.h>
#include <string.h>

#include "cnd_impl.h"
#include "test_util.h"

static void expect_digest(const char *what, const uint8_t *data, size_t len, const char *expected)
{
    uint8_t out[32];
    char hex[65];
    cnd_sha256(data, len, out);
    test_hex(out, 32, hex);
    CHECK(strcmp(hex, expected) == 0, "%s: got %s, want %s", what, hex, expected);
}

static void published_vectors(void)
{
    static const struct { const char *msg; const char *digest; } vectors[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
         "lmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        expect_digest(vectors[i].msg, (const uint8_t *)vectors[i].msg, strlen(vectors[i].msg),
                      vectors[i].digest);

    size_t million = 1000000;
    uint8_t *a = malloc(million);
    memset(a, 'a', million);
    expect_digest("one million 'a'", a, million,
                  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    /* The same message fed in uneven pieces must give the same digest. */
    cnd_sha256_ctx ctx;
    uint8_t streamed[32], whole[32];
    uint64_t seed = 11;
    cnd_sha256_init(&ctx);
    for (size_t at = 0; at < million;) {
        size_t piece = 1 + test_rand_below(&seed, 200);
        if (piece > million - at)
            piece = million - at;
        cnd_sha256_update(&ctx, a + at, piece);
        at += piece;
    }
    cnd_sha256_final(&ctx, streamed);
    cnd_sha256(a, million, whole);
    CHECK(memcmp(streamed, whole, 32) == 0, "streamed digest differs from one-shot");
    free(a);
}

static void double_hash_is_hash_of_hash(void)
{
    uint64_t seed = 3;
    uint8_t data[300], once[32], twice[32], dbl[32];
    for (size_t len = 0; len <= sizeof data; len++) {
        test_rand_bytes(&seed, data, len);
        cnd_sha256(data, len, once);
        cnd_sha256(once, 32, twice);
        cnd_sha256d(data, len, dbl);
        CHECK(memcmp(twice, dbl, 32) == 0, "sha256d != sha256(sha256) at length %zu", len);
    }
}

/* The job's digest for a nonce, as bytes. */
static void job_digest_bytes(const uint8_t *block, size_t len, int32_t mode, uint32_t nonce,
                             uint8_t out[32])
{
    cnd_rule rule;
    cnd_job job;
    uint32_t h[8];
    CHECK(cnd_rule_init(&rule, block, len, mode, 0, 1) == 0, "rule for length %zu", len);
    cnd_job_build(&job, block, len, &rule);
    cnd_job_digest(&job, nonce, h);
    cnd_bytes_from_words(h, out, 8);
}

static void nonce_paths_agree(void)
{
    uint64_t seed = 5;
    uint8_t block[200 + 4];
    for (size_t len = 0; len <= 200; len++) {
        for (int rep = 0; rep < 8; rep++) {
            test_rand_bytes(&seed, block, len);
            uint32_t nonce = rep == 0 ? 0 : rep == 1 ? 0xffffffffu : (uint32_t)test_rand(&seed);
            uint8_t direct[32], via_api[32], via_job[32];
            memcpy(block + len, (uint8_t[4]){(uint8_t)(nonce >> 24), (uint8_t)(nonce >> 16),
                                             (uint8_t)(nonce >> 8), (uint8_t)nonce}, 4);
            cnd_sha256d(block, len + 4, direct);
            CHECK(cnd_hash_nonce(block, len, CND_MODE_APPEND_BE, nonce, via_api) == 0, "hash_nonce rc");
            job_digest_bytes(block, len, CND_MODE_APPEND_BE, nonce, via_job);
            CHECK(memcmp(direct, via_api, 32) == 0, "cnd_hash_nonce differs: len %zu nonce %u", len, nonce);
            CHECK(memcmp(direct, via_job, 32) == 0, "job digest differs: len %zu nonce %u", len, nonce);
        }
    }

    uint8_t header[80];
    for (int rep = 0; rep < 200; rep++) {
        test_rand_bytes(&seed, header, sizeof header);
        uint32_t nonce = (uint32_t)test_rand(&seed);
        uint8_t with_nonce[80], direct[32], via_api[32], via_job[32];
        memcpy(with_nonce, header, 76);
        for (int i = 0; i < 4; i++)
            with_nonce[76 + i] = (uint8_t)(nonce >> (8 * i));
        cnd_sha256d(with_nonce, 80, direct);
        CHECK(cnd_hash_nonce(header, 80, CND_MODE_BITCOIN, nonce, via_api) == 0, "hash_nonce rc");
        job_digest_bytes(header, 80, CND_MODE_BITCOIN, nonce, via_job);
        CHECK(memcmp(direct, via_api, 32) == 0, "bitcoin cnd_hash_nonce differs at nonce %u", nonce);
        CHECK(memcmp(direct, via_job, 32) == 0, "bitcoin job digest differs at nonce %u", nonce);
    }
    uint8_t out[32];
    CHECK(cnd_hash_nonce(header, 79, CND_MODE_BITCOIN, 0, out) == CND_ERR_INVALID_ARGUMENT, "79-byte header");
    CHECK(cnd_hash_nonce(header, 80, 9, 0, out) == CND_ERR_INVALID_ARGUMENT, "unknown mode");
}

/* Where the job puts the nonce: the contract in cnd_impl.h, checked for every offset. */
static void job_layout(void)
{
    uint8_t block[200] = {0};
    for (size_t len = 0; len <= 200; len++) {
        cnd_rule rule;
        cnd_job job;
        cnd_rule_init(&rule, block, len, CND_MODE_APPEND_BE, 0, 0);
        cnd_job_build(&job, block, len, &rule);
        size_t in_tail = len % 64;
        CHECK(job.nonce_word == (int32_t)(in_tail / 4), "len %zu: nonce_word %d", len, job.nonce_word);
        CHECK(job.nonce_shift == (int32_t)(len % 4) * 8, "len %zu: nonce_shift %d", len, job.nonce_shift);
        CHECK(job.nchunks == (in_tail + 4 + 9 <= 64 ? 1 : 2), "len %zu: nchunks %d", len, job.nchunks);
        if (in_tail > 60)
            CHECK(job.nonce_word + 1 == 16, "len %zu: the nonce should straddle the chunks", len);
    }
}

int main(void)
{
    published_vectors();
    double_hash_is_hash_of_hash();
    nonce_paths_agree();
    job_layout();
    return test_finish("test_sha256");
}
