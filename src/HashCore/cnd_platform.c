/*
 * Everything the core asks of the operating system, in one place: the monotonic clock,
 * process CPU time, the number of usable cores, threads, a lock with one condition
 * variable (the "monitor" cnd_scan.c waits on), and a once-only call.
 *
 * Two branches: Windows (MinGW-w64; native Win32 calls, so cndhash.dll needs no
 * pthreads emulation) and POSIX (Linux; pthreads). The rest of the core is free of
 * operating-system calls and #ifdefs.
 */
#if defined(_WIN32)
#include <windows.h>
#include <process.h>
#else
#define _GNU_SOURCE   /* sched_getaffinity */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#endif

#include <stdlib.h>

#include "cnd_impl.h"

#if defined(_WIN32)

double cnd_monotonic_seconds(void)
{
    LARGE_INTEGER count, frequency;
    QueryPerformanceCounter(&count);
    QueryPerformanceFrequency(&frequency);
    return (double)count.QuadPart / (double)frequency.QuadPart;
}

/* In timer ticks (15.6 ms; 10 ms under Wine): a measurement must last many of them. */
double cnd_process_cpu_seconds(void)
{
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        return 0;
    ULARGE_INTEGER k = {.LowPart = kernel.dwLowDateTime, .HighPart = kernel.dwHighDateTime};
    ULARGE_INTEGER u = {.LowPart = user.dwLowDateTime, .HighPart = user.dwHighDateTime};
    return (double)(k.QuadPart + u.QuadPart) * 1e-7;   /* FILETIME counts 100 ns */
}

int32_t cnd_online_cores(void)
{
    /* The cores this process may run on, as sched_getaffinity answers on Linux. */
    DWORD_PTR process_mask, system_mask;
    if (GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask) && process_mask != 0)
        return (int32_t)__builtin_popcountll((unsigned long long)process_mask);
    DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    return n > 0 ? (int32_t)n : 1;
}

struct cnd_thread {
    HANDLE handle;
    void (*main)(void *);
    void *arg;
};

/* _beginthreadex rather than CreateThread: the C runtime sets up its per-thread state. */
static unsigned __stdcall thread_entry(void *arg)
{
    cnd_thread *t = arg;
    t->main(t->arg);
    return 0;
}

cnd_thread *cnd_thread_start(void (*main)(void *), void *arg)
{
    cnd_thread *t = malloc(sizeof *t);
    if (t == NULL)
        return NULL;
    t->main = main;
    t->arg = arg;
    t->handle = (HANDLE)_beginthreadex(NULL, 0, thread_entry, t, 0, NULL);
    if (t->handle == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

void cnd_thread_join(cnd_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    free(t);
}

static void thread_yield(void)
{
    SwitchToThread();
}

struct cnd_monitor {
    SRWLOCK lock;
    CONDITION_VARIABLE wake;
};

cnd_monitor *cnd_monitor_create(void)
{
    cnd_monitor *m = malloc(sizeof *m);
    if (m == NULL)
        return NULL;
    InitializeSRWLock(&m->lock);
    InitializeConditionVariable(&m->wake);
    return m;
}

void cnd_monitor_destroy(cnd_monitor *m)
{
    free(m);   /* SRW locks and condition variables hold no resources */
}

void cnd_monitor_lock(cnd_monitor *m) { AcquireSRWLockExclusive(&m->lock); }
void cnd_monitor_unlock(cnd_monitor *m) { ReleaseSRWLockExclusive(&m->lock); }
void cnd_monitor_broadcast(cnd_monitor *m) { WakeAllConditionVariable(&m->wake); }

void cnd_monitor_wait(cnd_monitor *m, double deadline)
{
    DWORD ms = INFINITE;
    if (deadline > 0) {
        double left = deadline - cnd_monotonic_seconds();
        /* Rounded up, so a wake-up never comes before the deadline and spins. */
        ms = left <= 0 ? 0 : left >= 86400.0 ? 86400000u : (DWORD)(left * 1e3) + 1;
    }
    SleepConditionVariableSRW(&m->wake, &m->lock, ms, 0);
}

#else /* POSIX */

static double seconds_of(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double cnd_monotonic_seconds(void)
{
    return seconds_of(CLOCK_MONOTONIC);
}

double cnd_process_cpu_seconds(void)
{
    return seconds_of(CLOCK_PROCESS_CPUTIME_ID);
}

int32_t cnd_online_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int32_t)n : 1;
}

struct cnd_thread {
    pthread_t id;
    void (*main)(void *);
    void *arg;
};

static void *thread_entry(void *arg)
{
    cnd_thread *t = arg;
    t->main(t->arg);
    return NULL;
}

cnd_thread *cnd_thread_start(void (*main)(void *), void *arg)
{
    cnd_thread *t = malloc(sizeof *t);
    if (t == NULL)
        return NULL;
    t->main = main;
    t->arg = arg;
    if (pthread_create(&t->id, NULL, thread_entry, t) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

void cnd_thread_join(cnd_thread *t)
{
    pthread_join(t->id, NULL);
    free(t);
}

static void thread_yield(void)
{
    sched_yield();
}

struct cnd_monitor {
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

cnd_monitor *cnd_monitor_create(void)
{
    cnd_monitor *m = malloc(sizeof *m);
    if (m == NULL)
        return NULL;
    /* Timed waits measure the monotonic clock, so a wall-clock step cannot stretch them. */
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        if (rc == 0)
            rc = pthread_cond_init(&m->wake, &attr);
        pthread_condattr_destroy(&attr);
    }
    if (rc == 0 && pthread_mutex_init(&m->lock, NULL) != 0) {
        pthread_cond_destroy(&m->wake);
        rc = -1;
    }
    if (rc != 0) {
        free(m);
        return NULL;
    }
    return m;
}

void cnd_monitor_destroy(cnd_monitor *m)
{
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void cnd_monitor_lock(cnd_monitor *m) { pthread_mutex_lock(&m->lock); }
void cnd_monitor_unlock(cnd_monitor *m) { pthread_mutex_unlock(&m->lock); }
void cnd_monitor_broadcast(cnd_monitor *m) { pthread_cond_broadcast(&m->wake); }

void cnd_monitor_wait(cnd_monitor *m, double deadline)
{
    if (deadline <= 0) {
        pthread_cond_wait(&m->wake, &m->lock);
        return;
    }
    struct timespec until;
    until.tv_sec = (time_t)deadline;
    until.tv_nsec = (long)((deadline - (double)until.tv_sec) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&m->wake, &m->lock, &until);
}

#endif

/* 0: not started, 1: running in some thread, 2: done. Losers wait for the winner; the one
 * caller (kernel detection) takes microseconds, so yielding beats a sleeping wait. */
void cnd_call_once(cnd_once *once, void (*init)(void))
{
    if (atomic_load_explicit(&once->state, memory_order_acquire) == 2)
        return;
    int expected = 0;
    if (atomic_compare_exchange_strong(&once->state, &expected, 1)) {
        init();
        atomic_store_explicit(&once->state, 2, memory_order_release);
        return;
    }
    while (atomic_load_explicit(&once->state, memory_order_acquire) != 2)
        thread_yield();
}
