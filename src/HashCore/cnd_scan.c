/*
 * cnd_scan: split a nonce range into chunks, hash them on worker threads, and keep
 * the answer independent of threads and timing.
 *
 * Chunks are handed out in increasing order from one atomic counter. The answer is
 * the LOWEST golden nonce, so a find stops only the chunks above it; chunks below it
 * still finish and may replace it. The calling thread never hashes: it waits, reports
 * progress from a checkpoint below which every nonce is known to be done, and joins.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

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

    cnd_monitor *monitor;            /* guards best_hash, running, and the wake-ups */
    int running;
    uint8_t best_hash[32];
} scan_state;

static uint64_t chunk_start(const scan_state *s, uint64_t chunk)
{
    return s->first + chunk * CHUNK_NONCES;
}

static void record_golden(scan_state *s, uint32_t nonce, const uint8_t digest[32])
{
    cnd_monitor_lock(s->monitor);
    if (nonce < atomic_load(&s->best)) {
        memcpy(s->best_hash, digest, 32);
        atomic_store(&s->best, nonce);
    }
    cnd_monitor_unlock(s->monitor);
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
    else if (s->deadline > 0 && cnd_monotonic_seconds() >= s->deadline)
        reason = CND_STATUS_TIME_LIMIT;
    if (!reason)
        return 0;
    int expected = 0;
    atomic_compare_exchange_strong(&s->stop, &expected, reason);
    return 1;
}

static void worker_main(void *arg)
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
    cnd_monitor_lock(s->monitor);
    s->running--;
    cnd_monitor_broadcast(s->monitor);
    cnd_monitor_unlock(s->monitor);
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
    progress.seconds = cnd_monotonic_seconds() - started;
    progress.rate = progress.seconds > 0 ? (double)progress.hashes / progress.seconds : 0;
    p->progress(&progress, p->progress_user);
}

/* The calling thread's part: sleep until the workers end, waking for progress reports. */
static void wait_for_workers(scan_state *s, const cnd_scan_params *p, double started)
{
    int reporting = p->progress != NULL && p->progress_interval > 0;
    double next_report = started + p->progress_interval;
    uint64_t low_chunk = 0;

    cnd_monitor_lock(s->monitor);
    while (s->running > 0) {
        if (!reporting) {
            cnd_monitor_wait(s->monitor, 0);
            continue;
        }
        cnd_monitor_wait(s->monitor, next_report);
        double now = cnd_monotonic_seconds();
        if (s->running > 0 && now >= next_report) {
            cnd_monitor_unlock(s->monitor);
            report_progress(s, p, started, &low_chunk);
            cnd_monitor_lock(s->monitor);
            next_report += p->progress_interval;
            if (next_report <= now)
                next_report = now + p->progress_interval;   /* a slow callback skips, never bursts */
        }
    }
    cnd_monitor_unlock(s->monitor);
}

static int32_t validate(const cnd_scan_params *p)
{
    if (p->nonce_end < p->nonce_start || p->threads < 0)
        return CND_ERR_INVALID_ARGUMENT;
    if (p->kernel < CND_KERNEL_AUTO || p->kernel >= CND_KERNEL_COUNT)
        return CND_ERR_INVALID_ARGUMENT;
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
    cnd_thread **workers = calloc((size_t)threads, sizeof *workers);
    if (workers == NULL)
        return CND_ERR_OUT_OF_MEMORY;
    double started = cnd_monotonic_seconds();
    if (p->time_limit_seconds > 0)
        s->deadline = started + p->time_limit_seconds;

    int32_t rc = 0;
    int launched = 0;
    for (; launched < threads; launched++) {
        cnd_monitor_lock(s->monitor);
        s->running++;
        cnd_monitor_unlock(s->monitor);
        workers[launched] = cnd_thread_start(worker_main, s);
        if (workers[launched] == NULL) {
            cnd_monitor_lock(s->monitor);
            s->running--;
            cnd_monitor_unlock(s->monitor);
            atomic_store(&s->stop, CND_ERR_THREAD);
            rc = CND_ERR_THREAD;
            break;
        }
    }
    wait_for_workers(s, p, started);
    for (int i = 0; i < launched; i++)
        cnd_thread_join(workers[i]);
    free(workers);

    r->seconds = cnd_monotonic_seconds() - started;
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
    s.monitor = cnd_monitor_create();
    if (s.monitor == NULL) {
        free(s.done);
        return r->status = CND_ERR_THREAD;
    }
    int32_t rc = run_workers(&s, p, threads, r);
    if (rc != 0)
        r->status = rc;
    cnd_monitor_destroy(s.monitor);
    free(s.done);
    return r->status;
}
