/*
 * cndhash — the CloudNonce SHA-256d nonce scanner (public API).
 *
 * Two message layouts are supported:
 *   CND_MODE_APPEND_BE  message = block || nonce (4 bytes, big-endian);
 *                       golden when SHA256(SHA256(message)), read as a big-endian
 *                       256-bit number, has at least `difficulty` leading zero bits.
 *   CND_MODE_BITCOIN    block is an 80-byte header; the nonce replaces bytes 76..79
 *                       (little-endian); golden when the digest, read as a
 *                       little-endian 256-bit number, is <= the target (from the
 *                       header's nBits, or from `difficulty` when use_difficulty is set).
 *
 * A scan of [nonce_start, nonce_end] (inclusive) reports the LOWEST golden nonce
 * in the range, so the answer never depends on kernel, thread count or chunking.
 * The library knows nothing about clouds, files or processes: hashing only.
 */
#ifndef CNDHASH_H
#define CNDHASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* cndhash.dll (built with MinGW-w64) exports exactly these; libcndhash.so everything not hidden. */
#if defined(_WIN32)
#define CND_API __declspec(dllexport)
#else
#define CND_API __attribute__((visibility("default")))
#endif

#define CND_ABI_VERSION 1

/* The most hashing threads a scan runs: cnd_scan cuts a larger cnd_scan_params.threads to it. */
#define CND_MAX_THREADS 1024

typedef enum cnd_kernel {
    CND_KERNEL_AUTO = 0,
    CND_KERNEL_SCALAR = 1,
    CND_KERNEL_AVX2 = 2,
    CND_KERNEL_AVX512 = 3,
    CND_KERNEL_SHANI = 4,
    CND_KERNEL_ARMV8 = 5,
    CND_KERNEL_NEON = 6          /* AArch64 Advanced SIMD, 4 lanes: for cores without the SHA-2 extension */
} cnd_kernel;

typedef enum cnd_mode {
    CND_MODE_APPEND_BE = 0,
    CND_MODE_BITCOIN = 1
} cnd_mode;

/* Why a scan ended (cnd_scan_result.status). Negative values are errors. */
typedef enum cnd_status {
    CND_STATUS_FOUND = 0,        /* lowest golden nonce of the range found */
    CND_STATUS_EXHAUSTED = 1,    /* whole range scanned, nothing golden */
    CND_STATUS_CANCELLED = 2,    /* *cancel_flag became non-zero */
    CND_STATUS_TIME_LIMIT = 3,   /* time_limit_seconds elapsed */
    CND_ERR_INVALID_ARGUMENT = -1,
    CND_ERR_KERNEL_UNAVAILABLE = -2,
    CND_ERR_OUT_OF_MEMORY = -3,
    CND_ERR_THREAD = -4
} cnd_status;

typedef struct cnd_progress {
    uint64_t next_nonce;   /* every nonce below this (from nonce_start) is scanned: a safe checkpoint */
    uint64_t hashes;       /* nonces hashed so far, all threads */
    double seconds;        /* since the scan started */
    double rate;           /* hashes per second over the whole scan so far */
} cnd_progress;

/* Called from the thread that called cnd_scan (never from a hashing thread). */
typedef void (*cnd_progress_fn)(const cnd_progress *progress, void *user);

typedef struct cnd_scan_params {
    const uint8_t *block;        /* block bytes (BITCOIN: exactly 80 bytes) */
    size_t block_len;            /* 0 .. any length in APPEND_BE mode */
    uint32_t nonce_start;        /* first nonce, inclusive */
    uint32_t nonce_end;          /* last nonce, inclusive (>= nonce_start) */
    int32_t mode;                /* cnd_mode */
    int32_t difficulty;          /* leading zero bits 0..256 */
    int32_t use_difficulty;      /* BITCOIN only: 1 = target from difficulty, 0 = from nBits */
    int32_t kernel;              /* cnd_kernel; AUTO picks the fastest available */
    int32_t threads;             /* hashing threads, 1..CND_MAX_THREADS; 0 = every online core */
    double time_limit_seconds;   /* <= 0: no limit */
    double progress_interval;    /* seconds between progress callbacks; <= 0: none */
    cnd_progress_fn progress;    /* may be NULL */
    void *progress_user;
    volatile int32_t *cancel_flag; /* may be NULL; non-zero stops the scan promptly */
} cnd_scan_params;

typedef struct cnd_scan_result {
    int32_t status;              /* cnd_status */
    int32_t found;               /* 1 when a golden nonce was found */
    uint32_t nonce;              /* the golden nonce (lowest in range when status == FOUND) */
    uint8_t hash[32];            /* its digest, in SHA-256 output byte order */
    uint64_t hashes;             /* nonces hashed, all threads */
    uint64_t next_nonce;         /* checkpoint at the end: every nonce below it is scanned */
    double seconds;              /* wall time of the scan */
    int32_t kernel;              /* kernel that ran */
    int32_t threads;             /* threads that ran */
} cnd_scan_result;

/* Scan a nonce range. Returns result->status (negative on error). */
CND_API int32_t cnd_scan(const cnd_scan_params *params, cnd_scan_result *result);

/* Single-shot helpers (portable code; used by tests and for verification). */
CND_API void cnd_sha256(const uint8_t *data, size_t len, uint8_t out[32]);
CND_API void cnd_sha256d(const uint8_t *data, size_t len, uint8_t out[32]);
/* Digest of one nonce in the given mode (BITCOIN: block must be 80 bytes). 0 or an error. */
CND_API int32_t cnd_hash_nonce(const uint8_t *block, size_t block_len, int32_t mode,
                               uint32_t nonce, uint8_t out[32]);
/* Leading zero bits of a digest read as a big-endian number (0..256). */
CND_API int32_t cnd_leading_zero_bits(const uint8_t digest[32]);
/* Whether the digest is golden under the mode's rule (BITCOIN: use_difficulty as above):
 * 1 or 0, or CND_ERR_INVALID_ARGUMENT (bad mode/length/difficulty, or an nBits that is
 * negative or overflows 256 bits). */
CND_API int32_t cnd_is_golden(const uint8_t *block, size_t block_len, int32_t mode,
                              int32_t difficulty, int32_t use_difficulty, const uint8_t digest[32]);

/* Kernels: availability on this CPU (and in this build), names, the automatic choice.
 * AUTO takes the fastest available kernel, unless the environment variable CND_KERNEL
 * (scalar, avx2, avx512, shani, armv8 or neon) names an available one; it is read once per process. */
CND_API int32_t cnd_kernel_available(int32_t kernel);
CND_API const char *cnd_kernel_name(int32_t kernel);     /* "scalar", "avx2", ... ; NULL if unknown */
CND_API int32_t cnd_kernel_from_name(const char *name);  /* -1 if unknown; "auto" -> AUTO */
CND_API int32_t cnd_best_kernel(void);
CND_API int32_t cnd_online_cores(void);
CND_API int32_t cnd_abi_version(void);
/* The release this library was built for (the module manifest's ModuleVersion, e.g. "0.1.0"; the
 * build defines it as CND_VERSION). Unlike the ABI version it changes with every release. */
CND_API const char *cnd_version(void);

#ifdef __cplusplus
}
#endif

#endif /* CNDHASH_H */
