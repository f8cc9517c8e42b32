BeforeAll {
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Measure-CndPerformance' {
    It 'returns Kernel, Threads, HashRate, Speedup and Efficiency for each kernel and thread count' {
        $samples = Measure-CndPerformance -Kernel scalar, auto -Threads 1, 2 -Duration 0.2
        $samples | Should -HaveCount 4
        $samples[0] | Should -BeOfType ([CloudNonce.Engine.Performance.PerformanceSample])
        $samples[0].Kernel | Should -Be 'scalar'
        $samples[2].Kernel | Should -Be ([CloudNonce.Engine.Native.NativeKernels]::Best())
        $samples.Threads | Should -Be @(1, 2, 1, 2)
        foreach ($s in $samples) {
            $s.HashRate | Should -BeGreaterThan 0
            $s.Efficiency | Should -BeGreaterThan ($s.Speedup / $s.Threads - 1e-9)
            $s.Efficiency | Should -BeLessThan ($s.Speedup / $s.Threads + 1e-9)
        }
        $samples[0].Speedup | Should -Be 1
    }

    It 'rejects <Case>' -ForEach @(
        @{ Case = 'an unknown kernel'; Run = { Measure-CndPerformance -Kernel mmx }; Text = "'mmx' is not a kernel" }
        @{ Case = 'zero threads'; Run = { Measure-CndPerformance -Threads 0 }; Text = 'less than the minimum allowed range of 1' }
        @{ Case = 'a zero duration'; Run = { Measure-CndPerformance -Duration 0 }; Text = '0 s is not valid' }
    ) {
        { & $Run } | Should -Throw "*$Text*"
    }
}
