/*
 * Which kernels exist in this build and run on this CPU, and which one "auto" means.
 *
 * A SIMD kernel is compiled in when CMake defines CND_HAVE_<ISA> (its source exists
 * and its CND_ENABLE_<ISA> option is ON). The CPU is asked once (CPUID on x86-64, the
 * hardware capabilities Linux reports in AT_HWCAP on AArch64); the answer is cached.
 *
 * The environment variable CND_KERNEL (scalar, avx2, avx512, shani, armv8 or neon) overrides the
 * automatic choice when that kernel is available; an unknown or unavailable name is
 * ignored, so a stale setting can never stop the library from working.
 */
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define CND_X86 1
#endif

#if defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1UL << 1)  /* linux/arch/arm64/include/uapi/asm/hwcap.h */
#endif
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1UL << 6)
#endif
#endif

#include "cnd_impl.h"

static const char *const kernel_names[CND_KERNEL_COUNT] = {
    [CND_KERNEL_AUTO] = "auto",
    [CND_KERNEL_SCALAR] = "scalar",
    [CND_KERNEL_AVX2] = "avx2",
    [CND_KERNEL_AVX512] = "avx512",
    [CND_KERNEL_SHANI] = "shani",
    [CND_KERNEL_ARMV8] = "armv8",
    [CND_KERNEL_NEON] = "neon",
};

/* "auto" takes the first available entry: fastest first, as measured by cnd-bench (the ARM
 * ones by instructions per nonce under qemu: armv8 210, neon 1,345, scalar 6,148).
 * A CPU has either the x86 kernels or the ARM ones, so their relative order does not matter. */
static const int32_t kernel_preference[] = {
    CND_KERNEL_AVX512,
    CND_KERNEL_SHANI,
    CND_KERNEL_AVX2,
    CND_KERNEL_ARMV8,
    CND_KERNEL_NEON,
    CND_KERNEL_SCALAR,
};

static cnd_kernel_fn compiled_kernel(int32_t kernel)
{
    switch (kernel) {
    case CND_KERNEL_SCALAR: return cnd_kernel_scalar;
#ifdef CND_HAVE_AVX2
    case CND_KERNEL_AVX2: return cnd_kernel_avx2;
#endif
#ifdef CND_HAVE_AVX512
    case CND_KERNEL_AVX512: return cnd_kernel_avx512;
#endif
#ifdef CND_HAVE_SHANI
    case CND_KERNEL_SHANI: return cnd_kernel_shani;
#endif
#ifdef CND_HAVE_ARMV8
    case CND_KERNEL_ARMV8: return cnd_kernel_armv8;
#endif
#ifdef CND_HAVE_NEON
    case CND_KERNEL_NEON: return cnd_kernel_neon;
#endif
    default: return NULL;
    }
}

static struct {
    int cpu_has[CND_KERNEL_COUNT];
    int32_t best;
} cached;
static cnd_once cached_once = CND_ONCE_INIT;

#ifdef CND_X86
/* XCR0 bits the OS must have enabled: SSE+AVX state, and for AVX-512 also opmask and ZMM. */
enum { XCR0_AVX = 0x06, XCR0_AVX512 = 0xe6 };

static uint64_t read_xcr0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static void detect_cpu(int has[CND_KERNEL_COUNT])
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    unsigned ebx7 = 0;
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        ebx7 = b;
    }
    uint64_t xcr0 = osxsave ? read_xcr0() : 0;
    int avx2 = avx && (xcr0 & XCR0_AVX) == XCR0_AVX && ((ebx7 >> 5) & 1);
    int avx512 = (xcr0 & XCR0_AVX512) == XCR0_AVX512 && ((ebx7 >> 16) & 1) /* F */ &&
                 ((ebx7 >> 30) & 1) /* BW */ && ((ebx7 >> 31) & 1) /* VL */;
    has[CND_KERNEL_AVX2] = avx2;
    has[CND_KERNEL_AVX512] = avx512;
    has[CND_KERNEL_SHANI] = ((ebx7 >> 29) & 1) && sse41 && ssse3;
}
#elif defined(__aarch64__)
void cnd_kernels_from_hwcap(unsigned long hwcap, int has[])
{
    has[CND_KERNEL_ARMV8] = (hwcap & HWCAP_SHA2) != 0;
    has[CND_KERNEL_NEON] = (hwcap & HWCAP_ASIMD) != 0;
}

static void detect_cpu(int has[CND_KERNEL_COUNT])
{
    cnd_kernels_from_hwcap(getauxval(AT_HWCAP), has);
}
#else
static void detect_cpu(int has[CND_KERNEL_COUNT]) { (void)has; }
#endif

static cnd_kernel_fn supported_kernel(int32_t kernel)
{
    return cached.cpu_has[kernel] ? compiled_kernel(kernel) : NULL;
}

int32_t cnd_choose_kernel(const int cpu_has[], const char *forced_name)
{
    int32_t forced = cnd_kernel_from_name(forced_name);
    if (forced > CND_KERNEL_AUTO && cpu_has[forced] && compiled_kernel(forced))
        return forced;
    for (size_t i = 0; i < sizeof kernel_preference / sizeof kernel_preference[0]; i++) {
        if (cpu_has[kernel_preference[i]] && compiled_kernel(kernel_preference[i]))
            return kernel_preference[i];
    }
    return CND_KERNEL_SCALAR;
}

static void detect_once(void)
{
    detect_cpu(cached.cpu_has);
    cached.cpu_has[CND_KERNEL_SCALAR] = 1;
    cached.best = cnd_choose_kernel(cached.cpu_has, getenv("CND_KERNEL"));
}

cnd_kernel_fn cnd_kernel_function(int32_t kernel)
{
    if (kernel <= CND_KERNEL_AUTO || kernel >= CND_KERNEL_COUNT)
        return NULL;
    cnd_call_once(&cached_once, detect_once);
    return supported_kernel(kernel);
}

int32_t cnd_kernel_available(int32_t kernel)
{
    return cnd_kernel_function(kernel) != NULL;
}

const char *cnd_kernel_name(int32_t kernel)
{
    return kernel >= 0 && kernel < CND_KERNEL_COUNT ? kernel_names[kernel] : NULL;
}

int32_t cnd_kernel_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int32_t k = 0; k < CND_KERNEL_COUNT; k++) {
        if (strcmp(name, kernel_names[k]) == 0)
            return k;
    }
    return -1;
}

int32_t cnd_best_kernel(void)
{
    cnd_call_once(&cached_once, detect_once);
    return cached.best;
}

int32_t cnd_abi_version(void)
{
    return CND_ABI_VERSION;
}

#ifndef CND_VERSION
#define CND_VERSION "0.0.0-unversioned" /* a build that did not go through CMake */
#endif

const char *cnd_version(void)
{
    return CND_VERSION;
}
