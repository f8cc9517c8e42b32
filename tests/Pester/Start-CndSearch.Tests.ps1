BeforeAll {
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $defaultBlock = [Text.Encoding]::UTF8.GetBytes('COMSM0010cloud')
}

Describe 'Start-CndSearch' {
    Context 'results' {
        It 'finds a golden nonce that .NET''s SHA-256 confirms' {
            $result = Start-CndSearch -Difficulty 20
            $result | Should -BeOfType ([CloudNonce.Engine.Search.CndSearchResult])
            $result.Found | Should -BeTrue
            $result.StopReason | Should -Be 'Found'
            $digest = Get-ReferenceDigest $defaultBlock $result.Nonce
            $result.Hash | Should -Be ([Convert]::ToHexStringLower($digest))
            $result.LeadingZeroBits | Should -Be (Get-ReferenceZeroBits $digest)
            $result.LeadingZeroBits | Should -BeGreaterOrEqual 20
            $result.Difficulty | Should -Be 20
            $result.Provider | Should -Be 'Local'
            $result.Threads | Should -BeGreaterOrEqual 1
            $result.NoncesPerSecond | Should -BeGreaterThan 0
            $result.SearchId | Should -Match '^cnd-'
        }

        It 'returns the lowest golden nonce of the range' {
            $result = Start-CndSearch -D 10 -Block 'lowest' -NonceStart 500 -Threads 2
            $result.Nonce | Should -Be (Get-LowestGoldenNonce ([Text.Encoding]::UTF8.GetBytes('lowest')) 10 500)
        }

        It 'takes the block as bytes or hex' {
            $bytes = [byte[]](1, 2, 3, 250)
            $fromBytes = Start-CndSearch -D 10 -BlockBytes $bytes
            $fromHex = Start-CndSearch -D 10 -BlockHex '010203fa'
            $fromBytes.Nonce | Should -Be $fromHex.Nonce
            $fromBytes.BlockHex | Should -Be '010203fa'
            $fromBytes.Hash | Should -Be ([Convert]::ToHexStringLower((Get-ReferenceDigest $bytes $fromBytes.Nonce)))
        }

        It 'reports an exhausted range' {
            $result = Start-CndSearch -D 40 -NonceStart 1000 -NonceEnd 60000
            $result.StopReason | Should -Be 'Exhausted'
            $result.Found | Should -BeFalse
            $result.Nonce | Should -BeNullOrEmpty
            $result.Hashes | Should -Be 59001
        }
    }

    Context 'time limit' {
        It 'stops a search that cannot succeed at about the time limit, with StopReason TimeLimit' {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $result = Start-CndSearch -D 64 -TimeLimit 2
            $clock.Stop()
            $result.StopReason | Should -Be 'TimeLimit'
            $result.Found | Should -BeFalse
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.5
            # How far past the limit is a figure of bench/Measure-StopLatency.ps1, not a test bound.
            $result.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
        }

        It 'accepts a TimeSpan' {
            (Start-CndSearch -D 64 -T ([timespan]::FromSeconds(0.5))).StopReason | Should -Be 'TimeLimit'
        }
    }

    Context 'cancellation' {
        It 'stops promptly when the pipeline is stopped, and leaves no hashing thread running' {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddCommand('Import-Module').AddParameter('Name', $ModuleManifest).AddStatement()
                $null = $shell.AddCommand('Start-CndSearch').AddParameter('Difficulty', 64).AddParameter('TimeLimit', 60)
                $run = $shell.BeginInvoke()
                $deadline = [datetime]::UtcNow.AddSeconds(15)
                while ($shell.Streams.Progress.Count -eq 0 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $shell.Streams.Progress.Count | Should -BeGreaterThan 0 -Because 'the search should be running'
                Get-SearchThreadCount | Should -BeGreaterOrEqual 2 -Because 'the scan thread and its hashing threads run'

                $clock = [Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $clock.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 20 -Because 'the stop, not the time limit, ends it'
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
                Get-SearchThreadCount -Settle | Should -Be 0 -Because 'Stop returns only once every search thread has ended'
            }
            finally {
                $shell.Dispose()
            }
        }
    }

    Context 'pipeline input' {
        It 'searches each piped block' {
            $results = 'a', 'b' | Start-CndSearch -D 16
            $results | Should -HaveCount 2
            $results[0].BlockHex | Should -Be '61'
            $results[1].BlockHex | Should -Be '62'
            foreach ($r in $results) {
                $r.Found | Should -BeTrue
                $block = [Convert]::FromHexString($r.BlockHex)
                $r.Hash | Should -Be ([Convert]::ToHexStringLower((Get-ReferenceDigest $block $r.Nonce)))
            }
        }
    }

    Context 'bad input' {
        It 'rejects <Case> at binding, naming the value' -ForEach @(
            @{ Case = 'D = 300'; Run = { Start-CndSearch -D 300 }; Id = 'ParameterArgumentValidationError'; Text = '300' }
            @{ Case = 'D = -1'; Run = { Start-CndSearch -D -1 }; Id = 'ParameterArgumentValidationError'; Text = '-1' }
            @{ Case = 'L = 0'; Run = { Start-CndSearch -D 1 -L 0 }; Id = 'ParameterArgumentValidationError'; Text = 'confidence 0 is not valid' }
            @{ Case = 'L = 1.5'; Run = { Start-CndSearch -D 1 -L 1.5 }; Id = 'ParameterArgumentValidationError'; Text = 'confidence 1.5 is not valid' }
            @{ Case = 'T = 0'; Run = { Start-CndSearch -D 1 -T 0 }; Id = 'ParameterArgumentValidationError'; Text = '0 s is not valid' }
            @{ Case = 'T < 0'; Run = { Start-CndSearch -D 1 -T -5 }; Id = 'ParameterArgumentValidationError'; Text = '-5 s is not valid' }
            @{ Case = 'T not a time'; Run = { Start-CndSearch -D 1 -T 'later' }; Id = 'ParameterArgumentTransformationError'; Text = "'later' is not a number of seconds" }
            @{ Case = 'an empty -BlockBytes'; Run = { Start-CndSearch -D 1 -BlockBytes ([byte[]]@()) }; Id = 'ParameterArgumentValidationError'; Text = 'block is empty' }
            @{ Case = 'an empty -Block'; Run = { Start-CndSearch -D 1 -Block '' }; Id = 'ParameterArgumentValidationError'; Text = 'block is empty' }
            @{ Case = 'bad hex'; Run = { Start-CndSearch -D 1 -BlockHex 'xyz' }; Id = 'ParameterArgumentValidationError'; Text = "'xyz' is not valid hex" }
            @{ Case = 'threads < 1'; Run = { Start-CndSearch -D 1 -Threads 0 }; Id = 'ParameterArgumentValidationError'; Text = "parameter 'Threads'. The value 0 is outside the valid range 1..1024" }
            @{ Case = 'more threads than the native core runs'; Run = { Start-CndSearch -D 1 -Threads 1025 }; Id = 'ParameterArgumentValidationError'; Text = "parameter 'Threads'. The value 1025 is outside the valid range 1..1024" }
            @{ Case = 'more workers than any fleet'; Run = { Start-CndSearch -D 1 -VMCount 100001 }; Id = 'ParameterArgumentValidationError'; Text = "parameter 'VMCount'. The value 100001 is outside the valid range 0..100000" }
            @{ Case = 'a price above any list price'; Run = { Start-CndSearch -D 1 -Provider EC2 -PricePerHour 10001 }; Id = 'ParameterArgumentValidationError'; Text = "parameter 'PricePerHour'*10000" }
            @{ Case = 'an unknown provider'; Run = { Start-CndSearch -D 1 -Provider Azure }; Id = 'ParameterArgumentTransformationError'; Text = "'Azure' is not a provider. Valid providers: Local, EC2" }
            @{ Case = 'a provider by number'; Run = { Start-CndSearch -D 1 -Provider 1 }; Id = 'ParameterArgumentTransformationError'; Text = "'1' is not a provider. Valid providers: Local, EC2" }
            @{ Case = 'an unknown kernel'; Run = { Start-CndSearch -D 1 -Kernel mmx }; Id = 'ParameterArgumentValidationError'; Text = "'mmx' is not a kernel" }
        ) {
            $err = { & $Run } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $err.Exception.Message | Should -BeLike "*$Text*"
        }

        It 'refuses more local threads through -VMCount than the native core runs, before it searches' {
            Assert-CndError { Start-CndSearch -D 256 -T 30 -VMCount 1025 } VMCountAboveThreadMaximum InvalidArgument '*-VMCount 1025*valid range is 1..1024*'
        }

        It 'accepts -Threads at the native core''s maximum' {
            (Start-CndSearch -D 0 -Threads 1024 -NonceEnd 0).Found | Should -BeTrue
        }

        It 'rejects NonceStart > NonceEnd with a terminating error' {
            Assert-CndError { Start-CndSearch -D 1 -NonceStart 10 -NonceEnd 9 } NonceRangeInvalid InvalidArgument '*-NonceStart 10 is greater than -NonceEnd 9*'
        }

        It 'refuses a plan that cannot reach the confidence, and explains why' {
            Assert-CndError { Start-CndSearch -D 40 -Confidence 0.9 -T 5 } PlanUnreachable InvalidOperation '*D = 40 a golden nonce exists*'
        }

        It 'reports a kernel this CPU lacks as a native error with an id and category' {
            $missing = [CloudNonce.Engine.Native.NativeKernels]::Names | Select-Object -Skip 1 |
                Where-Object { $_ -notin [CloudNonce.Engine.Native.NativeKernels]::Available() } | Select-Object -First 1
            if (-not $missing) { Set-ItResult -Skipped -Because 'every kernel runs on this CPU'; return }
            $err = { Start-CndSearch -D 4 -Kernel $missing } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'NativeKernelUnavailable,*'
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }
    }

    Context 'plan, -WhatIf and -Verbose' {
        It '-WhatIf runs nothing (the module tests check the plan it prints)' {
            Start-CndSearch -D 256 -T 30 -WhatIf -ProgressAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It '-Verbose says which kernel, how many threads and what plan' {
            $verbose = Start-CndSearch -D 8 -Threads 1 -Kernel scalar -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -BeLike '*scalar kernel*1 thread at*P = *'
        }
    }

    Context '-AsJob' {
        It 'returns a job of its own that Get-Job lists and whose result matches a direct run' {
            $direct = Start-CndSearch -D 18 -Block 'job'
            $job = Start-CndSearch -D 18 -Block 'job' -AsJob
            try {
                $job | Should -BeOfType ([CloudNonce.Cmdlets.Infrastructure.CndSearchJob])
                $job.PSJobTypeName | Should -Be 'CndSearchJob'
                (Get-Job -Id $job.Id).InstanceId | Should -Be $job.InstanceId
                $job | Wait-Job -Timeout 60 | Should -Not -BeNullOrEmpty
                $job.State | Should -Be 'Completed'
                $result = @(Receive-Job $job -Keep)
                $result.Count | Should -Be 1
                $result[0] | Should -BeOfType ([CloudNonce.Engine.Search.CndSearchResult])
                $result[0].Nonce | Should -Be $direct.Nonce
                $result[0].Hash | Should -Be $direct.Hash
                @($job.Progress | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
            }
            finally {
                Remove-Job $job -Force
            }
        }

        It 'Stop-Job cancels the search and leaves no search thread running' {
            $job = Start-CndSearch -D 256 -T 120 -AsJob
            try {
                Start-Sleep -Milliseconds 500
                $job.State | Should -Be 'Running'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                Stop-Job $job
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'the stop, not the 120 s limit, ends it'
                $job.State | Should -Be 'Stopped'
                Get-SearchThreadCount -Settle | Should -Be 0
                (Receive-Job $job).StopReason | Should -Be 'Cancelled'
            }
            finally {
                Remove-Job $job -Force
            }
        }
    }

    Context 'EC2-only parameters' {
        It 'refuses <Parameter> with the Local provider' -ForEach @(
            @{ Parameter = 'Spot'; Arguments = @{ Spot = $true } }
            @{ Parameter = 'PricePerHour'; Arguments = @{ PricePerHour = 0.1 } }
            @{ Parameter = 'MaxCost'; Arguments = @{ MaxCost = 1 } }
            @{ Parameter = 'Bucket'; Arguments = @{ Bucket = 'my-bucket' } }
            @{ Parameter = 'Region'; Arguments = @{ Region = 'eu-west-2' } }
            @{ Parameter = 'AccessKey'; Arguments = @{ AccessKey = 'AKID'; SecretKey = 'secret' } }
        ) {
            { Start-CndSearch -D 8 @Arguments } | Should -Throw -ErrorId 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.StartCndSearchCommand'
        }

        It 'names every EC2-only parameter given, in one error' {
            $err = { Start-CndSearch -D 8 -Spot -ProfileName work -SubnetId subnet-0abc } | Should -Throw -PassThru
            $err.Exception.Message | Should -Be '-Spot, -ProfileName, -SubnetId apply to -Provider EC2 only, not -Provider Local.'
        }

        It 'refuses -SpotFallback without -Spot' {
            { Start-CndSearch -D 8 -Provider EC2 -SpotFallback } | Should -Throw -ErrorId 'SpotFallbackNeedsSpot,CloudNonce.Cmdlets.Commands.StartCndSearchCommand'
        }
    }

    Context '-VMCount and -MaxVMCount' {
        BeforeAll {
            # Loopback only: were the check missing, the run would reach for this closed port, not AWS.
            $script:ec2 = @{ Provider = 'EC2'; EndpointUrl = 'http://127.0.0.1:9'; Region = 'us-east-1' }
        }

        It 'refuses an EC2 -VMCount above -MaxVMCount before anything runs, naming both (-WhatIf: <WhatIf>)' -ForEach @(
            @{ WhatIf = $true }
            @{ WhatIf = $false }
        ) {
            $err = { Start-CndSearch @ec2 -D 30 -VMCount 51 -WhatIf:$WhatIf } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'VMCountAboveMaxVMCount,CloudNonce.Cmdlets.Commands.StartCndSearchCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -BeLike '*-VMCount 51 is above -MaxVMCount 50*'
            $err = { Start-CndSearch @ec2 -D 30 -VMCount 8 -MaxVMCount 4 -WhatIf:$WhatIf } | Should -Throw -PassThru
            $err.Exception.Message | Should -BeLike '*-VMCount 8 is above -MaxVMCount 4*'
        }

        It 'plans a fleet of exactly -MaxVMCount' {
            { Start-CndSearch @ec2 -D 30 -VMCount 51 -MaxVMCount 51 -WhatIf } | Should -Not -Throw
        }

        It 'leaves a local -VMCount alone: it is a thread count there, and -MaxVMCount is for fleets' {
            (Start-CndSearch -D 8 -VMCount 2 -MaxVMCount 1).Threads | Should -Be 2
        }
    }

    Context 'aliases of the original tool' {
        It 'takes -D -N -L -T' {
            $result = Start-CndSearch -D 8 -N 1 -L 0.5 -T 10
            $result.Threads | Should -Be 1
            $result.Found | Should -BeTrue
        }
    }
}

Describe 'Start-CndSearch tab completion' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
        Import-Module $ModuleManifest -Force
    }

    It 'completes -Provider with the engine''s providers' {
        # -Provider is an enum, which PowerShell completes in alphabetical order.
        $line = 'Start-CndSearch -Provider '
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('EC2', 'Local')
        $line = 'Measure-CndPerformance -Provider l'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('Local')
    }

    It 'completes -Kernel with auto and the kernels this CPU runs' {
        $line = 'Start-CndSearch -Kernel '
        $completions = (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'auto'
        $completions | Should -Contain 'scalar'
    }
}

Describe 'Start-CndSearch parameter shapes' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
        Import-Module $ModuleManifest -Force
    }

    It 'offers no EC2-only parameter after a Local-only one, and the EC2 ones after -Provider EC2 (<Line>)' -ForEach @(
        @{ Line = 'Start-CndSearch -Threads 2 -'; Offers = 'Kernel'; Lacks = 'InstanceType', 'Spot', 'Bucket', 'Region', 'ProfileName', 'EndpointUrl' }
        @{ Line = 'Start-CndSearch -BlockHex abcd -Provider EC2 -'; Offers = 'InstanceType', 'SpotFallback', 'Region'; Lacks = 'Threads', 'Kernel' }
        @{ Line = 'Start-CndSearch -BlockHex abcd -Threads 2 -'; Offers = 'Kernel', 'TimeLimit'; Lacks = 'InstanceType', 'MaxCost', 'Region', 'Provider' }
        @{ Line = 'Start-CndSearch -BlockHex abcd -'; Offers = 'Provider', 'Threads', 'InstanceType'; Lacks = @() }
        @{ Line = 'Start-CndSearch -Provider EC2 -'; Offers = 'InstanceType', 'Spot', 'Region'; Lacks = @() }
        @{ Line = 'Start-CndSearch -BlockBytes 1 -Provider EC2 -'; Offers = 'InstanceType', 'Bucket', 'Region'; Lacks = 'Threads', 'Kernel' }
        @{ Line = 'Start-CndSearch -InstanceType c7i.large -'; Offers = 'Spot', 'Region'; Lacks = 'Threads', 'Kernel' }
    ) {
        Assert-ParameterCompletion $Line $Offers $Lacks
    }

    # Every way to give the block, with and without -Provider, with a Local-only parameter, an EC2-only
    # one, both, or neither: each runs, or stops with the cmdlet's error naming the misplaced parameter,
    # never PowerShell's "parameter set cannot be resolved".
    It '<Block> <Provider> <Extra>: <Expected>' -ForEach @(
        foreach ($block in '', "'abc'", '-BlockBytes 1', '-BlockHex 00') {
            foreach ($provider in '', '-Provider Local', '-Provider EC2') {
                foreach ($extra in '', '-Threads 1', '-PricePerHour 0.1', '-Threads 1 -PricePerHour 0.1', '-Kernel scalar -Region us-east-1') {
                    $ec2 = $provider -eq '-Provider EC2'
                    $localOnly = $extra -match 'Threads|Kernel'
                    $ec2Only = $extra -match 'PricePerHour|Region'
                    $misplaced = ($ec2 -and $localOnly) -or (-not $ec2 -and $ec2Only)
                    @{ Block = $block; Provider = $provider; Extra = $extra; Expected = if ($misplaced) { 'ours' } else { 'runs' } }
                }
            }
        }
    ) {
        $outcome = Get-BindingOutcome "Start-CndSearch $Block -D 30 $Provider $Extra -WhatIf"
        if ($Expected -eq 'ours') { $outcome | Should -BeIn 'Ec2OptionNeedsEc2Provider', 'LocalOptionWithEc2Provider' }
        else { $outcome | Should -Be 'runs' }
    }

    It 'names every misplaced parameter when a line mixes the shapes' {
        $err = { Start-CndSearch -D 8 -Threads 2 -Kernel scalar -InstanceType c7i.large -Region us-east-1 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.StartCndSearchCommand'
        $err.Exception.Message | Should -Be '-InstanceType, -Region apply to -Provider EC2 only, not -Provider Local.'
        $err = { Start-CndSearch -D 8 -BlockHex 00 -Provider EC2 -Threads 2 -Spot } | Should -Throw -PassThru
        $err.Exception.Message | Should -Be '-Threads applies to -Provider Local only, not -Provider EC2. With -Provider EC2, set the instance count with -VMCount.'
    }

    It 'binds a piped search result''s BlockHex in the Local and the EC2 shape' {
        Get-BindingOutcome "[pscustomobject]@{ BlockHex = '00' } | Start-CndSearch -D 30 -WhatIf" | Should -Be 'runs'
        Get-BindingOutcome "[pscustomobject]@{ BlockHex = '00' } | Start-CndSearch -D 30 -Provider EC2 -VMCount 2 -WhatIf" | Should -Be 'runs'
        $result = [pscustomobject]@{ BlockHex = '6869' } | Start-CndSearch -D 4 -Threads 1
        $result.BlockHex | Should -Be '6869'
    }
}
