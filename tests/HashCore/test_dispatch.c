/*
 * The CND_KERNEL override, run by CTest under different environments:
 *   test_dispatch NAME     CND_KERNEL names an available kernel: "auto" must pick NAME
 *   test_dispatch default  CND_KERNEL is unusable: "auto" must still pick a SIMD kernel
 *                          when the CPU has one (the override is ignored, not obeyed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnd_impl.h"
#include "test_util.h"

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    const char *env = getenv("CND_KERNEL");
    int32_t best = cnd_best_kernel();
    printf("CND_KERNEL=%s -> auto picks %s\n", env ? env : "(unset)", cnd_kernel_name(best));
    CHECK(cnd_kernel_available(best), "the chosen kernel is unavailable");
    if (strcmp(argv[1], "default") == 0) {
        int simd = 0;
        for (int32_t k = CND_KERNEL_SCALAR + 1; k < CND_KERNEL_COUNT; k++)
            simd |= cnd_kernel_available(k);
        CHECK(!simd || best != CND_KERNEL_SCALAR, "a SIMD kernel exists but auto picked scalar");
    } else {
        int32_t want = cnd_kernel_from_name(argv[1]);
        if (want > 0 && !cnd_kernel_available(want)) {
            printf("SKIP %s: not available here\n", argv[1]);
            return 0;
        }
        CHECK(best == want, "auto picked %s, want %s", cnd_kernel_name(best), argv[1]);
    }
    return test_finish("test_dispatch");
}
