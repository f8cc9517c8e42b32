/*
 * The reference kernel. Every other kernel is tested against this file, so it
 * favours plain, checkable code over speed; the only concession is that the job
 * already carries the midstate, so a nonce costs three compressions at most and
 * nothing is allocated.
 */
#include <string.h>

#include "cnd_impl.h"

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
