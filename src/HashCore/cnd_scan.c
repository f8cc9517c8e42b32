/*
 * cnd_scan: split a nonce range into chunks, hash them on worker threads, and keep
 * the answer independent of threads and timing.
 *
 * Chunks are handed out in increasing order from one atomic counter. The answer is
 * the LOWEST golden nonce, so a find stops only the chunks above it; chunks below it
 * still finish and may replace it. The calling thread never hashes: it waits, reports
 * progress from a checkpoint below which every nonce is known to be done, and joins.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cnd_impl.h"

/*
 * One kernel call per chunk, and stop requests are seen between calls, so a chunk must
 * take well under 50 ms with the slowest kernel (scalar, about 2 M nonces/s: 8 ms, which
 * leaves room for a busy machine) while staying large enough that handing it out costs
 * nothing measurable (0.5 ms of SIMD work against well under a microsecond of overhead).
 */
#define CHUNK_NONCES (UINT64_C(1) << 14)
#define NO_NONCE UINT64_MAX

typedef struct scan_state {
    const cnd_job *job;
    const cnd_rule *rule;
    cnd_kernel_fn kernel;
    uint64_t first, last;            /* the range, inclusive */
    uint64_t nchunks;
    volatile int32_t *cancel_flag;
    double deadline;                 /* monotonic seconds; 0 = none */

    atomic_uint_fast64_t next_chunk;
    atomic_uint_fast64_t best;       /* lowest golden nonce so far, or NO_NONCE */
    atomic_uint_fast64_t hashes;
    atomic_int stop;                 /* 0, or the cnd_status that ends the scan early */
    atomic_uchar *done;              /* per chunk: nothing left to scan in it */

    pthread_mutex_t lock;            /* guards best_hash, running, and the wake-ups */
    pthread_cond_t wake;
    int running;
    uint8_t best_hash[32];
} scan_state;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t chunk_start(const scan_state *s, uint64_t chunk)
{
    return s->first + chunk * CHUNK_NONCES;
}

static void record_golden(scan_state *s, uint32_t nonce, const uint8_t digest[32])
{
    pthread_mutex_lock(&s->lock);
    if (nonce < atomic_load(&s->best)) {
        memcpy(s->best_hash, digest, 32);
        atomic_store(&s->best, nonce);
    }
    pthread_mutex_unlock(&s->lock);
}

/* Scans [lo, hi] up to its first golden nonce; returns how many nonces that examined. */
static uint64_t scan_chunk(scan_state *s, uint32_t lo, uint32_t hi)
{
    uint32_t from = lo;
    for (;;) {
        uint32_t candidate;
        if (!s->kernel(s->job, from, hi, &candidate))
            return (uint64_t)hi - lo + 1;
        /* The kernel's filter is only necessary; the portable code has the last word. */
        uint32_t h[8];
        uint8_t digest[32];
        cnd_job_digest(s->job, candidate, h);
        cnd_bytes_from_words(h, digest, 8);
        if (cnd_rule_golden(s->rule, digest)) {
            record_golden(s, candidate, digest);
            return (uint64_t)candidate - lo + 1;
        }
        if (candidate == hi)
            return (uint64_t)hi - lo + 1;
        from = candidate + 1;
    }
}

static int stop_requested(scan_state *s)
{
    if (atomic_load(&s->stop))
        return 1;
    int reason = 0;
    if (s->cancel_flag && *s->cancel_flag)
        reason = CND_STATUS_CANCELLED;
    else if (s->deadline > 0 && now_seconds() >= s->deadline)
        reason = CND_STATUS_TIME_LIMIT;
    if (!reason)
        return 0;
    int expected = 0;
    atomic_compare_exchange_strong(&s->stop, &expected, reason);
    return 1;
}

static void *worker_main(void *arg)
{
    scan_state *s = arg;
    while (!stop_requested(s)) {
        uint64_t chunk = atomic_fetch_add(&s->next_chunk, 1);
        if (chunk >= s->nchunks)
            break;
        uint64_t lo = chunk_start(s, chunk);
        if (lo > atomic_load(&s->best))
            break;   /* this chunk and every later one lie above a golden nonce */
        uint64_t hi = lo + CHUNK_NONCES - 1 < s->last ? lo + CHUNK_NONCES - 1 : s->last;
        atomic_fetch_add(&s->hashes, scan_chunk(s, (uint32_t)lo, (uint32_t)hi));
        atomic_store(&s->done[chunk], 1);
    }
    pthread_mutex_lock(&s->lock);
    s->running--;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/*
 * Every nonce below the returned value is scanned: all chunks before the first unfinished
 * one are done, and nothing past a golden nonce needs scanning. *low_chunk is a cursor the
 * caller keeps, since finished chunks stay finished.
 */
static uint64_t checkpoint(scan_state *s, uint64_t *low_chunk)
{
    while (*low_chunk < s->nchunks && atomic_load(&s->done[*low_chunk]))
        (*low_chunk)++;
    uint64_t next = *low_chunk < s->nchunks ? chunk_start(s, *low_chunk) : s->last + 1;
    uint64_t best = atomic_load(&s->best);
    return best != NO_NONCE && best + 1 < next ? best + 1 : next;
}

static void report_progress(scan_state *s, const cnd_scan_params *p, double started,
                            uint64_t *low_chunk)
{
    cnd_progress progress;
    progress.next_nonce = checkpoint(s, low_chunk);
    progress.hashes = atomic_load(&s->hashes);
    progress.seconds = now_seconds() - started;
    progress.rate = progress.seconds > 0 ? (double)progress.hashes / progress.seconds : 0;
    p->progress(&progress, p->progress_user);
}

static void timespec_at(double seconds, struct timespec *ts)
{
    ts->tv_sec = (time_t)seconds;
    ts->tv_nsec = (long)((seconds - (double)ts->tv_sec) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* The calling thread's part: sleep until the workers end, waking for progress reports. */
static void wait_for_workers(scan_state *s, const cnd_scan_params *p, double started)
{
    int reporting = p->progress != NULL && p->progress_interval > 0;
    double next_report = started + p->progress_interval;
    uint64_t low_chunk = 0;

    pthread_mutex_lock(&s->lock);
    while (s->running > 0) {
        if (!reporting) {
            pthread_cond_wait(&s->wake, &s->lock);
            continue;
        }
        struct timespec until;
        timespec_at(next_report, &until);
        pthread_cond_timedwait(&s->wake, &s->lock, &until);
        double now = now_seconds();
        if (s->running > 0 && now >= next_report) {
            pthread_mutex_unlock(&s->lock);
            report_progress(s, p, started, &low_chunk);
            pthread_mutex_lock(&s->lock);
            next_report += p->progress_interval;
            if (next_report <= now)
                next_report = now + p->progress_interval;   /* a slow callback skips, never bursts */
        }
    }
    pthread_mutex_unlock(&s->lock);
}

static int32_t validate(const cnd_scan_params *p)
{
    if (p->nonce_end < p->nonce_start || p->threads < 0)
        return CND_ERR_INVALID_ARGUMENT;
    if (p->kernel < CND_KERNEL_AUTO || p->kernel >= CND_KERNEL_COUNT)
        return CND_ERR_INVALID_ARGUMENT;
    return 0;
}

static int init_sync(scan_state *s)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return -1;
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(&s->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0)
        return -1;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        pthread_cond_destroy(&s->wake);
        return -1;
    }
    return 0;
}

/* How the scan ended, judged by what was actually completed rather than by who asked to stop. */
static void finish_result(scan_state *s, cnd_scan_result *r)
{
    uint64_t low_chunk = 0;
    uint64_t next = checkpoint(s, &low_chunk);
    uint64_t best = atomic_load(&s->best);
    r->found = best != NO_NONCE;
    if (r->found) {
        r->nonce = (uint32_t)best;
        memcpy(r->hash, s->best_hash, 32);
    }
    r->hashes = atomic_load(&s->hashes);
    r->next_nonce = next;
    if (r->found && next == best + 1)
        r->status = CND_STATUS_FOUND;
    else if (next == s->last + 1)
        r->status = CND_STATUS_EXHAUSTED;
    else
        r->status = atomic_load(&s->stop);
}

static int32_t run_workers(scan_state *s, const cnd_scan_params *p, int threads,
                           cnd_scan_result *r)
{
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    if (tids == NULL)
        return CND_ERR_OUT_OF_MEMORY;
    double started = now_seconds();
    if (p->time_limit_seconds > 0)
        s->deadline = started + p->time_limit_seconds;

    int32_t rc = 0;
    int launched = 0;
    for (; launched < threads; launched++) {
        pthread_mutex_lock(&s->lock);
        s->running++;
        pthread_mutex_unlock(&s->lock);
        if (pthread_create(&tids[launched], NULL, worker_main, s) != 0) {
            pthread_mutex_lock(&s->lock);
            s->running--;
            pthread_mutex_unlock(&s->lock);
            atomic_store(&s->stop, CND_ERR_THREAD);
            rc = CND_ERR_THREAD;
            break;
        }
    }
    wait_for_workers(s, p, started);
    for (int i = 0; i < launched; i++)
        pthread_join(tids[i], NULL);
    free(tids);

    r->seconds = now_seconds() - started;
    r->threads = launched;
    if (rc == 0)
        finish_result(s, r);
    return rc;
}

int32_t cnd_scan(const cnd_scan_params *p, cnd_scan_result *r)
{
    if (r == NULL)
        return CND_ERR_INVALID_ARGUMENT;
    memset(r, 0, sizeof *r);
    r->status = p == NULL ? CND_ERR_INVALID_ARGUMENT : validate(p);
    if (r->status != 0)
        return r->status;
    r->next_nonce = p->nonce_start;

    cnd_rule rule;
    r->status = cnd_rule_init(&rule, p->block, p->block_len, p->mode, p->difficulty,
                              p->use_difficulty);
    if (r->status != 0)
        return r->status;
    r->kernel = p->kernel == CND_KERNEL_AUTO ? cnd_best_kernel() : p->kernel;
    cnd_kernel_fn kernel = cnd_kernel_function(r->kernel);
    if (kernel == NULL)
        return r->status = CND_ERR_KERNEL_UNAVAILABLE;

    cnd_job job;
    cnd_job_build(&job, p->block, p->block_len, &rule);

    scan_state s;
    memset(&s, 0, sizeof s);
    s.job = &job;
    s.rule = &rule;
    s.kernel = kernel;
    s.first = p->nonce_start;
    s.last = p->nonce_end;
    s.nchunks = (s.last - s.first) / CHUNK_NONCES + 1;
    s.cancel_flag = p->cancel_flag;
    atomic_init(&s.next_chunk, 0);
    atomic_init(&s.best, NO_NONCE);
    atomic_init(&s.hashes, 0);
    atomic_init(&s.stop, 0);

    int threads = p->threads > 0 ? p->threads : cnd_online_cores();
    if (threads > CND_MAX_THREADS)
        threads = CND_MAX_THREADS;
    if ((uint64_t)threads > s.nchunks)
        threads = (int)s.nchunks;   /* an idle thread would only add start-up cost */

    s.done = calloc(s.nchunks, sizeof *s.done);
    if (s.done == NULL)
        return r->status = CND_ERR_OUT_OF_MEMORY;
    if (init_sync(&s) != 0) {
        free(s.done);
        return r->status = CND_ERR_THREAD;
    }
    int32_t rc = run_workers(&s, p, threads, r);
    if (rc != 0)
        r->status = rc;
    pthread_cond_destroy(&s.wake);
    pthread_mutex_destroy(&s.lock);
    free(s.done);
    return r->status;
}
