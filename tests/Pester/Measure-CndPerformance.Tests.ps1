BeforeAll {
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Measure-CndPerformance' {
    It 'returns Kernel, Threads, NoncesPerSecond, Speedup and Efficiency for each kernel and thread count' {
        $samples = Measure-CndPerformance -Kernel scalar, auto -Threads 1, 2 -Duration 0.2
        $samples | Should -HaveCount 4
        $samples[0] | Should -BeOfType ([CloudNonce.Engine.Performance.PerformanceSample])
        $samples[0].Kernel | Should -Be 'scalar'
        $samples[2].Kernel | Should -Be ([CloudNonce.Engine.Native.NativeKernels]::Best())
        $samples.Threads | Should -Be @(1, 2, 1, 2)
        foreach ($s in $samples) {
            $s.NoncesPerSecond | Should -BeGreaterThan 0
            $s.Efficiency | Should -BeGreaterThan ($s.Speedup / $s.Threads - 1e-9)
            $s.Efficiency | Should -BeLessThan ($s.Speedup / $s.Threads + 1e-9)
        }
        $samples[0].Speedup | Should -Be 1
    }

    It 'rejects <Case>' -ForEach @(
        @{ Case = 'an unknown kernel'; Run = { Measure-CndPerformance -Kernel mmx }; Text = "'mmx' is not a kernel" }
        @{ Case = 'zero threads'; Run = { Measure-CndPerformance -Threads 0 }; Text = "parameter 'Threads'. The value 0 is outside the valid range 1..1024" }
        @{ Case = 'more threads than the native core runs'; Run = { Measure-CndPerformance -Threads 1, 1025 }; Text = "parameter 'Threads'. The value 1025 is outside the valid range 1..1024" }
        @{ Case = 'a fleet larger than any'; Run = { Measure-CndPerformance -Provider EC2 -VMCount 1, 100001 }; Text = "parameter 'VMCount'. The value 100001 is outside the valid range 1..100000" }
        @{ Case = 'a zero duration'; Run = { Measure-CndPerformance -Duration 0 }; Text = '0 s is not valid' }
    ) {
        { & $Run } | Should -Throw "*$Text*"
    }
}

# The EC2 performance test on loopback (moto + the instance runner): small fleets over a small range,
# so the whole run stays short on two shared cores.
Describe 'Measure-CndPerformance -Provider EC2' {
    BeforeAll {
        Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
        $script:aws = Start-CndEc2TestEnvironment
        $script:chart = Join-Path ([IO.Path]::GetTempPath()) "cnd-scaling-$PID.png"
        $script:samples = @(Measure-CndPerformance -Provider EC2 -InstanceType c7i.large -VMCount 2, 1 -NonceCount 40000000 -TimeLimit 60 -ChartPath $chart)
    }

    AfterAll {
        Remove-Item $chart -ErrorAction Ignore
        Stop-CndEc2TestEnvironment
    }

    It 'returns one object per fleet size, smallest first, each covering the fixed range' {
        $samples.Count | Should -Be 2
        $samples[0] | Should -BeOfType ([CloudNonce.Engine.Performance.Ec2PerformanceSample])
        $samples.VMs | Should -Be @(1, 2)
        foreach ($sample in $samples) {
            $sample.InstanceType | Should -Be 'c7i.large'
            $sample.StopReason | Should -Be 'Exhausted'
            $sample.Hashes | Should -BeGreaterOrEqual 40000000
            $sample.NoncesPerSecond | Should -BeGreaterThan 0
            $sample.BootSeconds | Should -BeGreaterThan 0
            $sample.TimeToCover.TotalSeconds | Should -BeGreaterThan $sample.BootSeconds
            $sample.CostPerSearch | Should -BeGreaterThan 0
            $sample.Efficiency | Should -Be ($sample.Speedup / $sample.VMs)
        }
        $samples[0].Speedup | Should -Be 1
        @(Get-TestInstance).Count | Should -Be 3 -Because 'one fleet of 1 and one of 2'
        Test-AllEnded | Should -BeTrue
    }

    It 'writes a PNG chart of the scaling curve' {
        $bytes = [IO.File]::ReadAllBytes($chart)
        $bytes.Length | Should -BeGreaterThan 10000 -Because 'a chart with axes, lines and a legend'
        $bytes.Length | Should -BeLessThan 2000000
        [Convert]::ToHexString($bytes, 0, 8) | Should -Be '89504E470D0A1A0A' -Because 'the PNG signature'
        [Text.Encoding]::ASCII.GetString($bytes, 12, 4) | Should -Be 'IHDR'
        $bigEndian = { param($at) ([int]$bytes[$at] -shl 24) -bor ([int]$bytes[$at + 1] -shl 16) -bor ([int]$bytes[$at + 2] -shl 8) -bor $bytes[$at + 3] }
        $width = & $bigEndian 16
        $height = & $bigEndian 20
        $width | Should -Be 900
        $height | Should -Be 560
    }

    It 'caches the measured rate, and the EC2 plan uses it' {
        $rates = Get-Content (Join-Path $env:CLOUDNONCE_DATA_HOME 'rates.json') -Raw | ConvertFrom-Json
        $rates.rates.'c7i.large'.noncesPerSecond | Should -Be $samples[0].NoncesPerSecond
        $rates.rates.'c7i.large'.where | Should -BeLike 'endpoint http://127.0.0.1:*'
        $plan = Get-CndSearchPlan -Provider EC2 -D 30 -VMCount 1 -T 60
        $plan.NoncesPerSecondPerUnit | Should -Be $samples[0].NoncesPerSecond
        $plan.Unit | Should -BeLike '*measured*'
    }

    It 'refuses local-only parameters with -Provider EC2' {
        { Measure-CndPerformance -Provider EC2 -Threads 1 } | Should -Throw -ErrorId 'LocalOptionWithEc2Provider,CloudNonce.Cmdlets.Commands.MeasureCndPerformanceCommand'
    }

    It 'refuses the AWS parameters without -Provider EC2, like the other EC2-only ones' {
        $err = { Measure-CndPerformance -Threads 1 -ProfileLocation ./credentials -AccessKey AKID } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.MeasureCndPerformanceCommand'
        $err.Exception.Message | Should -BeLike '*-ProfileLocation, -AccessKey apply to -Provider EC2 only*'
    }
}

Describe 'Measure-CndPerformance parameter shapes' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
        Import-Module $ModuleManifest -Force
    }

    It 'offers no EC2-only parameter after a Local-only one, and the EC2 ones after -Provider EC2 (<Line>)' -ForEach @(
        @{ Line = 'Measure-CndPerformance -Threads 1 -'; Offers = 'Duration', 'Provider'; Lacks = 'InstanceType', 'VMCount', 'NonceCount', 'ChartPath', 'Region', 'ProfileName' }
        @{ Line = 'Measure-CndPerformance scalar -'; Offers = 'Threads'; Lacks = 'InstanceType', 'Region' }
        @{ Line = 'Measure-CndPerformance -Provider EC2 -'; Offers = 'InstanceType', 'VMCount', 'ChartPath', 'Region'; Lacks = @() }
        @{ Line = 'Measure-CndPerformance -ChartPath x.png -'; Offers = 'InstanceType', 'Region'; Lacks = 'Threads', 'Kernel', 'Duration' }
    ) {
        Assert-ParameterCompletion $Line $Offers $Lacks
    }

    It '<CommandLine>: <Expected>' -ForEach @(
        @{ CommandLine = 'Measure-CndPerformance scalar -Threads 1 -Duration 0.05'; Expected = 'runs' }
        @{ CommandLine = 'Measure-CndPerformance -Kernel scalar -Threads 1 -Duration 0.05 -Provider Local'; Expected = 'runs' }
        @{ CommandLine = 'Measure-CndPerformance -Provider EC2 -Kernel scalar'; Expected = 'LocalOptionWithEc2Provider' }
        @{ CommandLine = 'Measure-CndPerformance -Provider Local -InstanceType c7i.large -Region us-east-1'; Expected = 'Ec2OptionNeedsEc2Provider' }
        @{ CommandLine = 'Measure-CndPerformance -NonceCount 1000'; Expected = 'Ec2OptionNeedsEc2Provider' }
        # Both kinds at once fit neither shape; the cmdlet, not PowerShell, says which do not fit.
        @{ CommandLine = 'Measure-CndPerformance -Threads 1 -Region us-east-1'; Expected = 'Ec2OptionNeedsEc2Provider' }
        @{ CommandLine = 'Measure-CndPerformance scalar -InstanceType c7i.large'; Expected = 'Ec2OptionNeedsEc2Provider' }
        @{ CommandLine = 'Measure-CndPerformance -Provider EC2 -Duration 1 -ChartPath x.png'; Expected = 'LocalOptionWithEc2Provider' }
    ) {
        Get-BindingOutcome $CommandLine | Should -Be $Expected
    }
}
