/*
 * cnd-bench: nonces per second for each kernel this CPU can run, through the same
 * cnd_scan path a real search takes (threads, chunking, filter). Each cell scans the
 * whole nonce space under a time limit with a rule no digest meets, so it never stops
 * early and its hash count is exact.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnd_impl.h"

typedef struct workload {
    const char *name;
    const uint8_t *block;
    size_t len;
    int32_t mode;
} workload;

/* The original tool's block. */
static const uint8_t cloud_block[] = "COMSM0010cloud";

/* Bitcoin's genesis header (the nonce field is overwritten by the scan). */
static const uint8_t genesis_header[80] = {
    0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x3b, 0xa3, 0xed, 0xfd, 0x7a, 0x7b, 0x12, 0xb2, 0x7a, 0xc7, 0x2c, 0x3e, 0x67, 0x76, 0x8f, 0x61,
    0x7f, 0xc8, 0x1b, 0xc3, 0x88, 0x8a, 0x51, 0x32, 0x3a, 0x9f, 0xb8, 0xaa, 0x4b, 0x1e, 0x5e, 0x4a,
    0x29, 0xab, 0x5f, 0x49, 0xff, 0xff, 0x00, 0x1d, 0x1d, 0xac, 0x2b, 0x7c,
};

static const workload workloads[] = {
    {"append14", cloud_block, sizeof cloud_block - 1, CND_MODE_APPEND_BE},
    {"header80", genesis_header, sizeof genesis_header, CND_MODE_BITCOIN},
};

typedef struct cell {
    const char *kernel;
    const char *workload;
    int threads;
    double seconds;
    double cpu_seconds; /* process CPU time: on a shared machine this, not the wall clock, shows the kernel's speed */
    uint64_t hashes;
} cell;

static void usage(FILE *out)
{
    fputs("usage: cnd-bench [--seconds S] [--kernel NAME] [--json] [--sweep-lengths [FROM-TO]] [--threads N]\n"
          "  --seconds S    time per measurement, or per sweep point (default 1.5)\n"
          "  --kernel NAME  only this kernel (scalar, avx2, avx512, shani, armv8)\n"
          "  --json         one JSON object per measurement instead of a Markdown table\n"
          "  --sweep-lengths [FROM-TO]\n"
          "                 appended-nonce blocks of every length FROM..TO (default 0-130): each\n"
          "                 kernel's rate per length (best of 4 passes over the range) and its\n"
          "                 ratio to its best length\n"
          "  --threads N    threads for the sweep (default 1)\n",
          out);
}

static void print_cpu_flags(void)
{
    /* The /proc/cpuinfo field that lists the CPU's features, and the ones the kernels use. */
#if defined(__aarch64__)
    static const char field[] = "Features";
    static const char *const wanted[] = {"asimd", "sha2"};
#else
    static const char field[] = "flags";
    static const char *const wanted[] = {"avx2", "avx512f", "avx512bw", "avx512vl", "sha_ni"};
#endif
    char line[8192], model[256] = "unknown";
    int seen[sizeof wanted / sizeof wanted[0]] = {0};
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
            model[strcspn(model, "\n")] = '\0';
        }
        if (strncmp(line, field, sizeof field - 1) != 0)
            continue;
        for (char *tok = strtok(line, " \t\n"); tok != NULL; tok = strtok(NULL, " \t\n")) {
            for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
                seen[i] |= strcmp(tok, wanted[i]) == 0;
        }
        break;   /* every core lists the same flags */
    }
    if (f != NULL)
        fclose(f);
    printf("CPU: %s, %d cores; flags:", model, cnd_online_cores());
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        printf(" %s%s", seen[i] ? "" : "!", wanted[i]);
    printf("\nkernels available:");
    for (int32_t k = CND_KERNEL_SCALAR; k < CND_KERNEL_COUNT; k++) {
        if (cnd_kernel_available(k))
            printf(" %s", cnd_kernel_name(k));
    }
    printf(" (auto = %s)\n\n", cnd_kernel_name(cnd_best_kernel()));
}

static int measure(int32_t kernel, const workload *w, int threads, double seconds, cell *out)
{
    cnd_scan_params p;
    memset(&p, 0, sizeof p);
    p.block = w->block;
    p.block_len = w->len;
    p.mode = w->mode;
    p.nonce_start = 0;
    p.nonce_end = UINT32_MAX;
    /* 256 zero bits (append) or a zero target (header): never met in practice. */
    p.difficulty = 256;
    p.use_difficulty = 1;
    p.kernel = kernel;
    p.threads = threads;
    p.time_limit_seconds = seconds;

    cnd_scan_result r;
    double cpu_before = cnd_process_cpu_seconds();
    if (cnd_scan(&p, &r) < 0)
        return -1;
    out->cpu_seconds = cnd_process_cpu_seconds() - cpu_before;
    out->kernel = cnd_kernel_name(kernel);
    out->workload = w->name;
    out->threads = r.threads;
    out->seconds = r.seconds;
    out->hashes = r.hashes;
    return 0;
}

static void print_cell(const cell *c, int json)
{
    double mps = c->seconds > 0 ? (double)c->hashes / c->seconds / 1e6 : 0;
    double per_cpu = c->cpu_seconds > 0 ? (double)c->hashes / c->cpu_seconds / 1e6 : 0;
    if (json) {
        printf("{\"kernel\":\"%s\",\"workload\":\"%s\",\"threads\":%d,\"seconds\":%.3f,\"hashes\":%llu,"
               "\"mnonces_per_s\":%.2f,\"per_thread\":%.2f,\"per_cpu_second\":%.2f}\n",
               c->kernel, c->workload, c->threads, c->seconds, (unsigned long long)c->hashes, mps,
               mps / c->threads, per_cpu);
    } else {
        printf("| %-6s | %-8s | %7d | %10.2f | %10.2f | %14.2f |\n", c->kernel, c->workload, c->threads, mps,
               mps / c->threads, per_cpu);
    }
    fflush(stdout);
}

/*
 * The block-length sweep. A kernel's cost per nonce depends on where the nonce and
 * the padding fall in the last chunks (the length mod 64), so a slow layout hides
 * from the two fixed workloads above; this measures every length in a range.
 */
enum { SWEEP_MAX_LEN = 1024 };

/*
 * Each point is the best of this many slices of its time, one per pass over the whole
 * range. Neighbours on a shared host only ever slow a slice down (even per CPU-second:
 * caches, SMT siblings, clocks), so the best slice is the kernel's own speed, and a
 * cliff stays a cliff. The passes spread a point's slices over the whole run, so a
 * busy minute costs one slice of each point it covers, not all of a few points' slices.
 * (Measured on 2 cores at load 10 to 28: with each point's slices taken together, some
 * one-chunk lengths came out 20 % below their neighbours; alternating them with slices
 * of a reference length and dividing scattered the ratios more than the rates.)
 */
enum { SWEEP_PASSES = 4 };

typedef struct sweep_range {
    int from, to;
} sweep_range;

/* "FROM-TO" with 0 <= FROM <= TO < SWEEP_MAX_LEN. */
static int parse_sweep_range(const char *text, sweep_range *range)
{
    int consumed = 0;
    if (sscanf(text, "%d-%d%n", &range->from, &range->to, &consumed) != 2 || text[consumed] != '\0')
        return -1;
    return range->from >= 0 && range->from <= range->to && range->to < SWEEP_MAX_LEN ? 0 : -1;
}

/* The rate that does not depend on the neighbours: nonces per second of CPU time. */
static double per_cpu_mps(const cell *c)
{
    return c->cpu_seconds > 0 ? (double)c->hashes / c->cpu_seconds / 1e6 / c->threads : 0;
}

static int sweep_lengths(const int32_t *kernels, int nkernels, sweep_range range, int threads,
                         double seconds, int json)
{
    static uint8_t block[SWEEP_MAX_LEN];
    for (int i = 0; i < SWEEP_MAX_LEN; i++)
        block[i] = (uint8_t)(i * 131 + 7);   /* any bytes: the rate does not depend on them */
    int nlengths = range.to - range.from + 1;
    double *rate = calloc((size_t)nlengths * (size_t)nkernels, sizeof *rate);
    if (rate == NULL)
        return -1;

    for (int pass = 1; pass <= SWEEP_PASSES; pass++) {
        for (int len = range.from; len <= range.to; len++) {
            workload w = {"sweep", block, (size_t)len, CND_MODE_APPEND_BE};
            for (int k = 0; k < nkernels; k++) {
                double *best_slice = &rate[(len - range.from) * nkernels + k];
                cell c;
                if (measure(kernels[k], &w, threads, seconds / SWEEP_PASSES, &c) != 0) {
                    fprintf(stderr, "cnd-bench: the %s scan failed\n", cnd_kernel_name(kernels[k]));
                    free(rate);
                    return -1;
                }
                if (per_cpu_mps(&c) > *best_slice)
                    *best_slice = per_cpu_mps(&c);
            }
            if (!json)
                fprintf(stderr, "\rpass %d of %d, length %d of %d..%d", pass, SWEEP_PASSES, len, range.from, range.to);
        }
    }
    if (!json)
        fputs("\r\n", stderr);

    double best[CND_KERNEL_COUNT] = {0}, worst[CND_KERNEL_COUNT];
    int best_len[CND_KERNEL_COUNT] = {0}, worst_len[CND_KERNEL_COUNT] = {0};
    for (int k = 0; k < nkernels; k++) {
        worst[k] = 1e300;
        for (int i = 0; i < nlengths; i++) {
            double r = rate[i * nkernels + k];
            if (r > best[k])
                best[k] = r, best_len[k] = range.from + i;
            if (r < worst[k])
                worst[k] = r, worst_len[k] = range.from + i;
        }
    }

    if (json) {
        for (int i = 0; i < nlengths; i++) {
            for (int k = 0; k < nkernels; k++) {
                double r = rate[i * nkernels + k];
                printf("{\"kernel\":\"%s\",\"block_len\":%d,\"threads\":%d,\"mnonces_per_cpu_second\":%.2f,"
                       "\"ratio_to_best\":%.3f}\n",
                       cnd_kernel_name(kernels[k]), range.from + i, threads, r, best[k] > 0 ? r / best[k] : 0);
            }
        }
    } else {
        printf("Appended nonce, %d thread(s), %.1f s per point (best of %d slices, one per pass over the range); "
               "M nonces per CPU-second of each thread, and the ratio to the kernel's best length.\n\n",
               threads, seconds, SWEEP_PASSES);
        printf("| length | mod 64 | chunks |");
        for (int k = 0; k < nkernels; k++)
            printf(" %s | ratio |", cnd_kernel_name(kernels[k]));
        printf("\n|---|---|---|");
        for (int k = 0; k < nkernels; k++)
            printf("---|---|");
        printf("\n");
        for (int i = 0; i < nlengths; i++) {
            int len = range.from + i;
            printf("| %6d | %6d | %6d |", len, len % 64, len % 64 + 4 + 9 > 64 ? 2 : 1);
            for (int k = 0; k < nkernels; k++) {
                double r = rate[i * nkernels + k];
                printf(" %7.2f | %4.0f %% |", r, best[k] > 0 ? 100 * r / best[k] : 0);
            }
            printf("\n");
        }
        printf("\n| kernel | worst length | worst M/s | best length | best M/s | worst/best |\n"
               "|---|---|---|---|---|---|\n");
        for (int k = 0; k < nkernels; k++)
            printf("| %s | %d | %.2f | %d | %.2f | %.1f %% |\n", cnd_kernel_name(kernels[k]), worst_len[k],
                   worst[k], best_len[k], best[k], best[k] > 0 ? 100 * worst[k] / best[k] : 0);
    }
    free(rate);
    return 0;
}

int main(int argc, char **argv)
{
    double seconds = 1.5;
    int json = 0;
    int32_t only = CND_KERNEL_AUTO;
    int sweep = 0, sweep_threads = 1;
    sweep_range range = {0, 130};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--sweep-lengths") == 0) {
            sweep = 1;
            if (i + 1 < argc && argv[i + 1][0] != '-' && parse_sweep_range(argv[++i], &range) != 0) {
                fprintf(stderr, "cnd-bench: --sweep-lengths '%s' is not valid: expected FROM-TO, "
                                "0 <= FROM <= TO < %d\n", argv[i], SWEEP_MAX_LEN);
                return 2;
            }
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end != '\0' || n < 1 || n > 1024) {
                fprintf(stderr, "cnd-bench: --threads '%s' is not valid: expected 1..1024\n", argv[i]);
                return 2;
            }
            sweep_threads = (int)n;
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end != '\0' || !(seconds > 0 && seconds <= 3600)) {
                fprintf(stderr, "cnd-bench: --seconds '%s' is not valid: expected 0 < S <= 3600\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--kernel") == 0 && i + 1 < argc) {
            only = cnd_kernel_from_name(argv[++i]);
            if (only <= CND_KERNEL_AUTO || !cnd_kernel_available(only)) {
                fprintf(stderr, "cnd-bench: --kernel '%s' is not an available kernel here\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "cnd-bench: unknown or incomplete option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }

    if (!json)
        print_cpu_flags();
    if (sweep) {
        int32_t kernels[CND_KERNEL_COUNT];
        int nkernels = 0;
        for (int32_t k = CND_KERNEL_COUNT - 1; k >= CND_KERNEL_SCALAR; k--) {
            if ((only == CND_KERNEL_AUTO || k == only) && cnd_kernel_available(k))
                kernels[nkernels++] = k;
        }
        return sweep_lengths(kernels, nkernels, range, sweep_threads, seconds, json) == 0 ? 0 : 1;
    }
    if (!json) {
        printf("| kernel | workload | threads | M nonces/s | per thread | per CPU-second |\n");
        printf("|--------|----------|---------|------------|------------|----------------|\n");
    }
    int cores = cnd_online_cores();
    int thread_counts[2] = {1, cores};
    int nthread_counts = cores > 1 ? 2 : 1;
    for (int32_t k = CND_KERNEL_SCALAR; k < CND_KERNEL_COUNT; k++) {
        if ((only != CND_KERNEL_AUTO && k != only) || !cnd_kernel_available(k))
            continue;
        for (size_t w = 0; w < sizeof workloads / sizeof workloads[0]; w++) {
            for (int t = 0; t < nthread_counts; t++) {
                cell c;
                if (measure(k, &workloads[w], thread_counts[t], seconds, &c) != 0) {
                    fprintf(stderr, "cnd-bench: the %s scan failed\n", cnd_kernel_name(k));
                    return 1;
                }
                print_cell(&c, json);
            }
        }
    }
    return 0;
}
