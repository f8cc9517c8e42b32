# The EC2 provider when the fleet misbehaves, end to end on loopback: moto plays AWS, the instance
# runner makes its instances real, and the runner's API proxy (tests/InstanceRunner/api_proxy.py) sits
# in front of moto to refuse launches and to hit workers at the moment their progress reaches S3.
# The searches are driven through the engine the module loads, because these cases need intervals and
# timeouts in fractions of a second that the cmdlet's parameters do not offer.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment
    $script:bucket = "cloudnonce-123456789012-$($aws.Region)"
    $script:block = [Text.Encoding]::UTF8.GetBytes('COMSM0010cloud')
    Import-Module "$PSScriptRoot/CndEc2Engine.psm1" -Force
    Initialize-TestEngine -Aws $aws
    $script:loopbackRate = Get-TestLoopbackRate
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'EC2 fleet resilience' {
    BeforeEach {
        Reset-TestLoopbackAws
    }

    It 'relaunches a worker killed mid-scan from its checkpoint and finds the one golden nonce of the range' {
        # Two slots of 2.66 M nonces; at D = 22 the range holds exactly one golden nonce, near the end
        # of slot 1, far beyond what its worker scans before its first checkpoint (0.01 s).
        $difficulty = 22
        [uint32]$start = 6339479; [uint32]$end = 11654917
        $golden = [CndIndependentScan]::Golden($block, $start, $end, $difficulty)
        $golden.Count | Should -Be 1 -Because 'the test needs a range with exactly one golden nonce'
        $slot1Start = [uint32]($start + [math]::Ceiling(($end - $start + 1) / 2))
        $golden[0] | Should -BeGreaterThan ($slot1Start + 2000000)

        Set-CndTestRunnerFault @{ apiFaults = @(@{ on = 'progress'; slot = 1; attempt = 0; action = 'kill' }) } | Out-Null
        $options = New-TestOptions @{ ProgressInterval = [TimeSpan]::FromSeconds(0.01) }
        $result = Invoke-TestSearch $options -Difficulty $difficulty -Start $start -End $end -Workers 2 -TimeLimit 60

        $result.Found | Should -BeTrue
        $result.Nonce | Should -Be $golden[0]
        $result.RelaunchedSlots | Should -Be 1
        $result.Coverage.Complete | Should -BeTrue
        ($result.Warnings -join "`n") | Should -Match 'Slot 1 .* sent no progress .* Relaunching it from nonce'

        # The relaunch starts exactly at the killed worker's last checkpoint: nothing skipped, nothing
        # reported done scanned again.
        $checkpoint = Read-TestObject "searches/$($result.SearchId)/slot-1/attempt-0/progress.json"
        $checkpoint.nextNonce | Should -BeLessThan $golden[0] -Because 'the worker was killed before it reached the golden nonce'
        $relaunch = Get-TestObjectKey $bucket | Where-Object { $_ -like "searches/$($result.SearchId)/launch-*.json" } |
            ForEach-Object { (Read-TestObject $_).slots } | Where-Object { $_.slot -eq 1 -and $_.attempt -eq 1 }
        $relaunch.start | Should -Be $checkpoint.nextNonce

        # What the killed worker had hashed beyond its checkpoint is all that may be hashed twice.
        $rangeSize = [uint64]$end - $start + 1
        $inFlight = [uint64]$checkpoint.hashes - ([uint64]$checkpoint.nextNonce - $slot1Start)
        $result.Hashes | Should -BeLessOrEqual ($rangeSize + $inFlight)
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It 'gives up a slot that always fails, finishes the others and reports its missing range' {
        # Slot 2's worker is crashed at its first progress, every time; frequent progress keeps each
        # attempt's share small, so three attempts never finish the slot.
        Set-CndTestRunnerFault @{ apiFaults = @(@{ on = 'progress'; slot = 2; action = 'kill'; times = 0 }) } | Out-Null
        [uint32]$end = 3 * 30000000 - 1
        $options = New-TestOptions @{ ProgressInterval = [TimeSpan]::FromSeconds(0.05) }
        $result = Invoke-TestSearch $options -Difficulty 40 -Start 0 -End $end -Workers 3 -TimeLimit 90

        $result.Found | Should -BeFalse
        $result.StopReason | Should -Be 'Exhausted'
        $result.Coverage.Complete | Should -BeFalse
        $missing = @($result.Coverage.Missing)
        $missing.Count | Should -Be 1
        $missing[0].End | Should -Be $end
        $missing[0].Start | Should -BeGreaterOrEqual 60000000
        $missing[0].Reason | Should -Match 'slot 2 given up: failed 3 times'
        ($result.Warnings -join "`n") | Should -Match 'Slot 2 .* failed 3 times'
        @(Get-TestInstance -SearchId $result.SearchId).Count | Should -Be 5 -Because 'two slots ran once and slot 2 three times'
        $result.Hashes | Should -BeGreaterOrEqual 60000000
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It 'runs fewer workers when EC2 runs out of capacity, warns why and recomputes the odds' {
        Set-CndTestRunnerFault @{ apiFaults = @(@{ on = 'RunInstances'; error = 'InsufficientInstanceCapacity'; allow = 2; times = 0 }) } | Out-Null
        $result = Invoke-TestSearch (New-TestOptions) -Difficulty 40 -Start 0 -End ([uint32]::MaxValue) -Workers 4 -TimeLimit 10

        $result.StopReason | Should -Be 'TimeLimit'
        $result.PeakInstances | Should -Be 2
        @(Get-TestInstance -SearchId $result.SearchId).Count | Should -Be 2
        ($result.Warnings -join "`n") | Should -Match 'InsufficientInstanceCapacity'
        ($result.Warnings -join "`n") | Should -Match '2 of 4 instance\(s\) running'
        @((Get-CndTestRunnerStatus).proxy.refusals).Count | Should -BeGreaterThan 0

        $planFor = {
            param($workers)
            [CloudNonce.Engine.Planning.SearchPlanner]::Plan([CloudNonce.Engine.Planning.PlanInputs]@{
                Difficulty = 40; TimeLimit = [TimeSpan]::FromSeconds(10); NoncesPerSecondPerUnit = $loopbackRate.NoncesPerSecond
                BootOverhead = $loopbackRate.BootOverhead; MaxUnits = $workers; Units = $workers; RangeSize = [uint64]1 -shl 32
            }).Probability
        }
        $result.PlannedProbability | Should -Be (& $planFor 4)
        $result.Probability | Should -Be (& $planFor 2)
        $result.Probability | Should -BeLessThan $result.PlannedProbability
        # The two missing slots are listed with the reason they never ran.
        @($result.Coverage.Missing | Where-Object Reason -match 'InsufficientInstanceCapacity').Count | Should -Be 2
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It 'launches spot instances with -Spot and recovers a spot interruption' {
        Set-CndTestRunnerFault @{ apiFaults = @(@{ on = 'progress'; slot = 0; attempt = 0; action = 'interrupt' }) } | Out-Null
        [uint32]$end = 2 * 20000000 - 1
        $result = Invoke-TestSearch (New-TestOptions @{ Spot = $true }) -Difficulty 40 -Start 0 -End $end -Workers 2 -TimeLimit 60

        $result.StopReason | Should -Be 'Exhausted'
        $result.Coverage.Complete | Should -BeTrue
        $result.RelaunchedSlots | Should -Be 1
        $result.SpotInstances | Should -Be 3
        $result.Hashes | Should -BeGreaterOrEqual ([uint64]$end + 1)
        $instances = @(Get-TestInstance -SearchId $result.SearchId)
        $instances.Count | Should -Be 3
        foreach ($instance in $instances) { $instance.InstanceLifecycle.Value | Should -Be 'spot' -Because 'the emulator received spot requests' }
        ($result.Warnings -join "`n") | Should -Match 'Slot 0 .* lost its worker: instance i-\w+ is (shutting-down|terminated)'
        $result.EstimatedCost | Should -BeGreaterThan 0
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It 'falls back to on-demand for slots whose spot request cannot be met with -SpotFallback' {
        Set-CndTestRunnerFault @{ apiFaults = @(@{ on = 'RunInstances'; market = 'spot'; error = 'InsufficientInstanceCapacity'; times = 0 }) } | Out-Null
        $result = Invoke-TestSearch (New-TestOptions @{ Spot = $true; SpotFallback = $true }) -Difficulty 40 -Start 0 -End 3999999 -Workers 2 -TimeLimit 60

        $result.StopReason | Should -Be 'Exhausted'
        $result.SpotInstances | Should -Be 0
        $result.PeakInstances | Should -Be 2
        ($result.Warnings -join "`n") | Should -Match 'InsufficientInstanceCapacity.*on-demand instead'
        foreach ($instance in Get-TestInstance -SearchId $result.SearchId) { $instance.InstanceLifecycle | Should -BeNullOrEmpty }
    }
}
