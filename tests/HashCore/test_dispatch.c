/*
 * The automatic kernel choice and the CND_KERNEL override, run by CTest under different
 * environments (and, for a cross build, CPUs):
 *   test_dispatch NAME         CND_KERNEL names a kernel: "auto" must pick NAME (exits
 *                              TEST_SKIPPED when this CPU lacks it)
 *   test_dispatch default      CND_KERNEL is unusable: "auto" must still pick a SIMD kernel
 *                              (the override is ignored, not obeyed); TEST_SKIPPED when
 *                              the CPU has none
 *   test_dispatch auto-is NAME "auto" must be NAME on this CPU (run where the CPU is known,
 *                              e.g. under an emulator's CPU model); unavailable is a failure
 *   test_dispatch hwcap        AArch64: the choice for Linux hardware-capability bits with
 *                              and without SHA-2 and Advanced SIMD, whatever CPU this runs on
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnd_impl.h"
#include "test_util.h"

#if defined(__aarch64__)
#include <sys/auxv.h>

/* "auto" for a CPU reporting `hwcap`, with CND_KERNEL set to `forced` (may be NULL). */
static int32_t choice_for_hwcap(unsigned long hwcap, const char *forced)
{
    int has[CND_KERNEL_COUNT] = {[CND_KERNEL_SCALAR] = 1};
    cnd_kernels_from_hwcap(hwcap, has);
    return cnd_choose_kernel(has, forced);
}

static void hwcap_choices(void)
{
    unsigned long neon = HWCAP_ASIMD, sha2 = HWCAP_ASIMD | HWCAP_SHA2;
    struct {
        unsigned long hwcap;
        const char *forced;
        int32_t want;
    } cases[] = {
        {sha2, NULL, CND_KERNEL_ARMV8},
        {sha2, "scalar", CND_KERNEL_SCALAR},
        {sha2, "neon", CND_KERNEL_NEON},       /* a SHA-2 CPU runs the NEON kernel too, when asked */
        {sha2, "avx512", CND_KERNEL_ARMV8},    /* another architecture's kernel: ignored */
        {neon, NULL, CND_KERNEL_NEON},         /* e.g. a Raspberry Pi 4: no crypto extension */
        {neon, "armv8", CND_KERNEL_NEON},      /* forcing a kernel the CPU lacks is ignored */
        {neon, "scalar", CND_KERNEL_SCALAR},
        {0, NULL, CND_KERNEL_SCALAR},          /* no Advanced SIMD reported (not a Linux AArch64 CPU) */
        {0, "neon", CND_KERNEL_SCALAR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t got = choice_for_hwcap(cases[i].hwcap, cases[i].forced);
        printf("hwcap %#lx, CND_KERNEL=%s -> %s\n", cases[i].hwcap, cases[i].forced ? cases[i].forced : "(unset)",
               cnd_kernel_name(got));
        CHECK(got == cases[i].want, "hwcap %#lx with CND_KERNEL=%s chose %s, want %s", cases[i].hwcap,
              cases[i].forced ? cases[i].forced : "(unset)", cnd_kernel_name(got), cnd_kernel_name(cases[i].want));
    }
    /* The CPU this runs on goes through the same mapping. */
    CHECK(choice_for_hwcap(getauxval(AT_HWCAP), getenv("CND_KERNEL")) == cnd_best_kernel(),
          "auto differs from the choice for this CPU's own AT_HWCAP");
}
#endif

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *env = getenv("CND_KERNEL");
    int32_t best = cnd_best_kernel();
    printf("CND_KERNEL=%s -> auto picks %s\n", env ? env : "(unset)", cnd_kernel_name(best));
    CHECK(cnd_kernel_available(best), "the chosen kernel is unavailable");
    if (strcmp(argv[1], "default") == 0) {
        int simd = 0;
        for (int32_t k = CND_KERNEL_SCALAR + 1; k < CND_KERNEL_COUNT; k++)
            simd |= cnd_kernel_available(k);
        if (!simd) {
            printf("SKIP: no SIMD kernel here, so scalar is the only choice either way\n");
            return TEST_SKIPPED;
        }
        CHECK(best != CND_KERNEL_SCALAR, "a SIMD kernel exists but auto picked scalar");
    } else if (strcmp(argv[1], "hwcap") == 0) {
#if defined(__aarch64__)
        hwcap_choices();
#else
        CHECK(0, "the hwcap mode is for AArch64 builds");
#endif
    } else if (strcmp(argv[1], "auto-is") == 0 && argc == 3) {
        CHECK(best == cnd_kernel_from_name(argv[2]), "auto picked %s, want %s", cnd_kernel_name(best), argv[2]);
    } else {
        int32_t want = cnd_kernel_from_name(argv[1]);
        if (want > 0 && !cnd_kernel_available(want)) {
            printf("SKIP %s: not available here\n", argv[1]);
            return TEST_SKIPPED;
        }
        CHECK(best == want, "auto picked %s, want %s", cnd_kernel_name(best), argv[1]);
    }
    return test_finish("test_dispatch");
}
