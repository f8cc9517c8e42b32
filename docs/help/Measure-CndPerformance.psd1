@{
    Synopsis    = 'Measures the nonces per second of each native kernel on one to all threads of this machine.'
    Description = @'
Measure-CndPerformance runs the native scanner at a difficulty nothing reaches, for -Duration on each thread count, once per kernel, and reports the rate. Speedup is the rate over the same kernel's one-thread rate, and Efficiency is the speedup per thread (1 is perfect scaling).

Each measurement takes -Duration; the whole run takes about (kernels x thread counts) x -Duration. Measurements on a busy machine read low: close other work first, and repeat when a figure matters.
'@
    Parameters  = @{
        Kernel   = 'The kernels to measure, by name (auto, scalar, avx2, avx512, shani). Default: every kernel available on this CPU. auto is measured as the kernel it resolves to.'
        Threads  = 'The thread counts to measure, each 1 to 4096. Default: 1 up to the number of online cores.'
        Duration = 'How long each measurement runs, in seconds or as a TimeSpan; must be greater than zero. Default: 1 second.'
    }
    Examples    = @(
        @{ Code = 'Measure-CndPerformance'; Remarks = 'Every available kernel on 1..all cores, one second each.' }
        @{ Code = 'Measure-CndPerformance -Kernel auto -Threads 1 -Duration 3'; Remarks = 'The single-thread rate of the kernel searches use by default, over three seconds.' }
    )
    Outputs     = 'PerformanceSample: Kernel, Threads, HashRate (nonces/s), Speedup and Efficiency.'
    Links       = @('Get-CndSearchPlan', 'Start-CndSearch')
}
