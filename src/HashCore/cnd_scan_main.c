/*
 * cnd-scan: the command-line face of cnd_scan, run by EC2 workers and scripts.
 * Everything it prints on stdout is one JSON object per line; everything a person
 * must read (bad arguments, failures) goes to stderr. Exit codes: 0 for any scan that
 * ran (found or not, cancelled, timed out), 2 for bad arguments, 1 for internal errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cndhash.h"

enum { EXIT_BAD_ARGS = 2 };
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define THREAD_RANGE "1.." STRINGIFY(CND_MAX_THREADS)
#define MAX_BLOCK_BYTES (64u << 20)

static const char usage_text[] =
    "usage: cnd-scan (--block-hex HEX | --block-file PATH) [options]\n"
    "\n"
    "Finds the lowest nonce n in [start, end] whose SHA256(SHA256(message)) is golden.\n"
    "\n"
    "  --block-hex HEX            block bytes as hex (may be empty in append mode)\n"
    "  --block-file PATH          block bytes from a file\n"
    "  --mode append|bitcoin      append (default): message = block || n (4 bytes big-endian),\n"
    "                             golden when the digest has >= D leading zero bits;\n"
    "                             bitcoin: block is an 80-byte header, n little-endian at\n"
    "                             offset 76, golden when the digest as a little-endian number\n"
    "                             is <= the target of the header's nBits\n"
    "  --difficulty D             leading zero bits, 0..256 (required in append mode; in\n"
    "                             bitcoin mode it replaces the nBits target by 2^(256-D)-1)\n"
    "  --bits HEX                 bitcoin mode: write this nBits into header bytes 72..75 first\n"
    "  --start N                  first nonce (default 0)\n"
    "  --end N                    last nonce, inclusive (default 0xFFFFFFFF)\n"
    "  --threads N                hashing threads, " THREAD_RANGE " (default: every core)\n"
    "  --kernel NAME              auto (default), scalar, avx2, avx512, shani, armv8 or neon\n"
    "  --time-limit SECONDS       stop after this long (default: no limit)\n"
    "  --progress-interval SECS   print a progress line this often (default: never)\n"
    "  --help                     this text\n"
    "\n"
    "Numbers are decimal or 0x-prefixed hex. Output, one JSON object per line on stdout:\n"
    "  {\"type\":\"progress\",\"next_nonce\":N,\"hashes\":N,\"seconds\":X,\"rate\":X}\n"
    "  {\"type\":\"result\",\"status\":\"found|exhausted|cancelled|time_limit\",\"found\":B,\n"
    "   \"nonce\":N|null,\"hash\":\"hex\"|null,\"hashes\":N,\"seconds\":X,\"rate\":X,\"kernel\":S,\n"
    "   \"threads\":N,\"start\":N,\"end\":N,\"difficulty\":N|null,\"next_nonce\":N}\n"
    "SIGINT/SIGTERM end the scan early with status \"cancelled\" (exit 0).\n"
    "Exit: 0 scan ran, 1 internal error, 2 bad arguments.\n";

typedef struct options {
    const char *block_hex;
    const char *block_file;
    int mode;
    int difficulty;          /* -1: not given */
    int have_bits;
    uint32_t bits;
    uint32_t start, end;
    int threads;
    int kernel;
    double time_limit;
    double progress_interval;
} options;

static volatile int32_t cancel_requested;

static void on_signal(int signo)
{
    (void)signo;
    cancel_requested = 1;
}

static void bad_args(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cnd-scan: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see cnd-scan --help)\n", stderr);
    va_end(ap);
    exit(EXIT_BAD_ARGS);
}

/* Decimal, or hex after 0x; nothing else (no sign, no spaces, no octal). */
static int parse_u64(const char *text, uint64_t *out)
{
    int hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    const char *digits = hex ? text + 2 : text;
    const char *allowed = hex ? "0123456789abcdefABCDEF" : "0123456789";
    if (*digits == '\0' || strspn(digits, allowed) != strlen(digits))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(digits, NULL, hex ? 16 : 10);
    if (errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

static uint64_t number_arg(const char *opt, const char *text, uint64_t max, const char *valid)
{
    uint64_t v;
    if (parse_u64(text, &v) != 0 || v > max)
        bad_args("%s '%s' is not valid: expected %s", opt, text, valid);
    return v;
}

static double seconds_arg(const char *opt, const char *text)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (*text == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < 0)
        bad_args("%s '%s' is not valid: expected a number of seconds >= 0", opt, text);
    return v;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static uint8_t *block_from_hex(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    if (n % 2 != 0)
        bad_args("--block-hex has an odd number of hex digits (%zu)", n);
    uint8_t *block = malloc(n / 2 + 1);
    if (block == NULL)
        return NULL;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            bad_args("--block-hex has a non-hex character at position %zu", hi < 0 ? 2 * i : 2 * i + 1);
        block[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return block;
}

static uint8_t *block_from_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        bad_args("--block-file '%s' cannot be opened: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    uint8_t *block = malloc(cap);
    while (block != NULL) {
        n += fread(block + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= MAX_BLOCK_BYTES)
            bad_args("--block-file '%s' is too large: the limit is %u bytes", path, MAX_BLOCK_BYTES - 1);
        uint8_t *bigger = realloc(block, cap * 2);
        if (bigger == NULL)
            free(block);
        block = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed)
        bad_args("--block-file '%s' cannot be read", path);
    *len = n;
    return block;
}

static void parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->difficulty = -1;
    o->end = UINT32_MAX;
    o->kernel = CND_KERNEL_AUTO;
    int have_end = 0;

    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(usage_text, stdout);
            exit(0);
        }
        if (strncmp(opt, "--", 2) != 0)
            bad_args("unexpected argument '%s'", opt);
        /* Both "--opt value" and "--opt=value". */
        char name[64];
        const char *value;
        const char *eq = strchr(opt, '=');
        if (eq != NULL && (size_t)(eq - opt) < sizeof name) {
            memcpy(name, opt, (size_t)(eq - opt));
            name[eq - opt] = '\0';
            value = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", opt);
            if (i + 1 >= argc)
                bad_args("%s needs a value", opt);
            value = argv[++i];
        }

        if (strcmp(name, "--block-hex") == 0) {
            o->block_hex = value;
        } else if (strcmp(name, "--block-file") == 0) {
            o->block_file = value;
        } else if (strcmp(name, "--start") == 0) {
            o->start = (uint32_t)number_arg(name, value, UINT32_MAX, "a nonce 0..4294967295");
        } else if (strcmp(name, "--end") == 0) {
            o->end = (uint32_t)number_arg(name, value, UINT32_MAX, "a nonce 0..4294967295");
            have_end = 1;
        } else if (strcmp(name, "--difficulty") == 0) {
            o->difficulty = (int)number_arg(name, value, 256, "leading zero bits 0..256");
        } else if (strcmp(name, "--bits") == 0) {
            /* nBits is conventionally written in hex, so the 0x is optional here. */
            char prefixed[16];
            uint64_t v;
            snprintf(prefixed, sizeof prefixed, "0x%s", strncmp(value, "0x", 2) == 0 ? value + 2 : value);
            if (strlen(value) > 10 || parse_u64(prefixed, &v) != 0 || v > UINT32_MAX)
                bad_args("--bits '%s' is not valid: expected a 32-bit hex nBits such as 1d00ffff", value);
            o->bits = (uint32_t)v;
            o->have_bits = 1;
        } else if (strcmp(name, "--mode") == 0) {
            if (strcmp(value, "append") == 0)
                o->mode = CND_MODE_APPEND_BE;
            else if (strcmp(value, "bitcoin") == 0)
                o->mode = CND_MODE_BITCOIN;
            else
                bad_args("--mode '%s' is not valid: expected append or bitcoin", value);
        } else if (strcmp(name, "--threads") == 0) {
            o->threads = (int)number_arg(name, value, CND_MAX_THREADS, "a thread count " THREAD_RANGE);
            if (o->threads == 0)
                bad_args("--threads '%s' is not valid: expected a thread count " THREAD_RANGE, value);
        } else if (strcmp(name, "--kernel") == 0) {
            o->kernel = cnd_kernel_from_name(value);
            if (o->kernel < 0)
                bad_args("--kernel '%s' is not valid: expected auto, scalar, avx2, avx512, shani, armv8 or neon", value);
        } else if (strcmp(name, "--time-limit") == 0) {
            o->time_limit = seconds_arg(name, value);
        } else if (strcmp(name, "--progress-interval") == 0) {
            o->progress_interval = seconds_arg(name, value);
        } else {
            bad_args("unknown option '%s'", name);
        }
    }

    if ((o->block_hex == NULL) == (o->block_file == NULL))
        bad_args("give exactly one of --block-hex and --block-file");
    if (o->start > o->end)
        bad_args("--start %u is above --end %u%s", o->start, o->end,
                 have_end ? "" : " (the default end)");
    if (o->mode == CND_MODE_APPEND_BE && o->difficulty < 0)
        bad_args("--difficulty is required in append mode (leading zero bits 0..256)");
    if (o->mode == CND_MODE_APPEND_BE && o->have_bits)
        bad_args("--bits applies only to --mode bitcoin");
    if (o->have_bits && o->difficulty >= 0)
        bad_args("give --bits or --difficulty, not both");
    if (o->kernel != CND_KERNEL_AUTO && !cnd_kernel_available(o->kernel))
        bad_args("--kernel '%s' is not available in this build on this CPU", cnd_kernel_name(o->kernel));
}

static void print_hex(const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", bytes[i]);
}

static void print_progress(const cnd_progress *p, void *user)
{
    (void)user;
    printf("{\"type\":\"progress\",\"next_nonce\":%llu,\"hashes\":%llu,\"seconds\":%.3f,\"rate\":%.1f}\n",
           (unsigned long long)p->next_nonce, (unsigned long long)p->hashes, p->seconds, p->rate);
    fflush(stdout);
}

static const char *status_name(int32_t status)
{
    switch (status) {
    case CND_STATUS_FOUND: return "found";
    case CND_STATUS_EXHAUSTED: return "exhausted";
    case CND_STATUS_CANCELLED: return "cancelled";
    case CND_STATUS_TIME_LIMIT: return "time_limit";
    default: return "error";
    }
}

static void print_result(const options *o, const cnd_scan_result *r)
{
    printf("{\"type\":\"result\",\"status\":\"%s\",\"found\":%s,\"nonce\":", status_name(r->status),
           r->found ? "true" : "false");
    if (r->found) {
        printf("%u,\"hash\":\"", r->nonce);
        print_hex(r->hash, sizeof r->hash);
        printf("\"");
    } else {
        printf("null,\"hash\":null");
    }
    double rate = r->seconds > 0 ? (double)r->hashes / r->seconds : 0;
    printf(",\"hashes\":%llu,\"seconds\":%.3f,\"rate\":%.1f,\"kernel\":\"%s\",\"threads\":%d,"
           "\"start\":%u,\"end\":%u,\"difficulty\":",
           (unsigned long long)r->hashes, r->seconds, rate, cnd_kernel_name(r->kernel), r->threads,
           o->start, o->end);
    if (o->difficulty >= 0)
        printf("%d", o->difficulty);
    else
        printf("null");
    printf(",\"next_nonce\":%llu}\n", (unsigned long long)r->next_nonce);
    fflush(stdout);
}

/* ISO C signal(), so one call serves both systems: on Linux (glibc and musl keep the handler
 * installed) an EC2 worker's SIGTERM or a Ctrl-C cancels; on Windows Ctrl-C arrives as SIGINT. */
static void install_signal_handlers(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
}

int main(int argc, char **argv)
{
    options o;
    parse_args(argc, argv, &o);

    size_t len = 0;
    uint8_t *block = o.block_hex ? block_from_hex(o.block_hex, &len) : block_from_file(o.block_file, &len);
    if (block == NULL) {
        fputs("cnd-scan: out of memory reading the block\n", stderr);
        return 1;
    }
    if (o.mode == CND_MODE_BITCOIN) {
        if (len != 80)
            bad_args("--mode bitcoin needs an 80-byte header, got %zu bytes", len);
        if (o.have_bits) {
            for (int i = 0; i < 4; i++)
                block[72 + i] = (uint8_t)(o.bits >> (8 * i));
        }
        uint8_t zero[32] = {0};
        if (o.difficulty < 0 && cnd_is_golden(block, len, o.mode, 0, 0, zero) < 0)
            bad_args("the header's nBits %02x%02x%02x%02x is not a valid target (negative or too large)",
                     block[75], block[74], block[73], block[72]);
    }

    cnd_scan_params p;
    memset(&p, 0, sizeof p);
    p.block = block;
    p.block_len = len;
    p.nonce_start = o.start;
    p.nonce_end = o.end;
    p.mode = o.mode;
    p.difficulty = o.difficulty < 0 ? 0 : o.difficulty;
    p.use_difficulty = o.difficulty >= 0;
    p.kernel = o.kernel;
    p.threads = o.threads;
    p.time_limit_seconds = o.time_limit;
    p.progress_interval = o.progress_interval;
    p.progress = print_progress;
    p.cancel_flag = &cancel_requested;

    install_signal_handlers();
    cnd_scan_result r;
    int32_t status = cnd_scan(&p, &r);
    free(block);
    if (status < 0) {
        fprintf(stderr, "cnd-scan: the scan failed with error %d\n", status);
        return 1;
    }
    print_result(&o, &r);
    return 0;
}
