/* Small shared helpers for the C tests: failure reporting, a seeded PRNG, hex. */
#ifndef CND_TEST_UTIL_H
#define CND_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Records a failure (and prints where and why) without stopping the test. */
#define CHECK(cond, ...)                                                 \
    do {                                                                 \
        if (!(cond))                                                     \
            test_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);           \
    } while (0)

/* gnu_printf: the C99 formats (%zu), which MinGW's "printf" archetype (msvcrt's) lacks. */
void test_fail(const char *file, int line, const char *expr, const char *fmt, ...)
    __attribute__((format(gnu_printf, 4, 5)));
/* Prints the summary line; the return value is the process exit code. */
int test_finish(const char *name);
/* The exit code of a test that cannot apply here (a kernel this CPU lacks): CTest counts it
 * as skipped, not passed, through the test's SKIP_RETURN_CODE property. */
#define TEST_SKIPPED 77
int test_failure_count(void);

/* splitmix64: deterministic, so a failure reproduces from the printed seed. */
uint64_t test_rand(uint64_t *state);
uint32_t test_rand_below(uint64_t *state, uint32_t bound);
void test_rand_bytes(uint64_t *state, uint8_t *out, size_t len);

/* Lower-case hex of len bytes into out (2 * len + 1 chars). */
void test_hex(const uint8_t *bytes, size_t len, char *out);
/* Parses exactly 2 * len hex digits; returns 0 on success. */
int test_unhex(const char *hex, uint8_t *out, size_t len);

double test_now(void);

#endif
