# The EC2 worker end to end on loopback, without the C# controller: worker/bootstrap.sh runs in
# instances that the instance runner makes real, against moto, while
# tests/InstanceRunner/worker_scenarios.py plays the controller. The scenarios run once, at the same
# time, in one Python process (boto3 is slow to load); it reports what each saw (results and progress
# the workers PUT, instance states, the runner's view of their processes) and every expectation is here.

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/tests/Support/CndTestSupport.psm1" -Force
    . "$PSScriptRoot/CndTestHelpers.ps1"
    $scanner = "$root/build/native/cnd-scan"
    if (-not (Test-Path $scanner)) {
        throw "The worker tests upload the real scanner, and $scanner is missing: build it with " +
            "cmake -S src/HashCore -B build/native -DCMAKE_BUILD_TYPE=Release && cmake --build build/native -j2"
    }
    $moto = Start-CndTestMoto
    $runner = Start-CndTestRunner -Moto $moto

    $observationFile = Join-Path ([IO.Path]::GetTempPath()) "cnd-worker-observations-$PID.json"
    $cases = 'golden', 'corrupt-scanner', 'terminated-mid-scan', 'self-shutdown', 'boot-fault', 'long-scan'
    $scenarioOutput = & python3 "$root/tests/InstanceRunner/worker_scenarios.py" --endpoint $moto.Endpoint `
        --runner $runner.Url --scanner $scanner --json $observationFile @cases 2>&1
    $observations = if (Test-Path $observationFile) { Get-Content $observationFile -Raw | ConvertFrom-Json -AsHashtable } else { @{} }
    Remove-Item $observationFile -ErrorAction SilentlyContinue

    # What a case saw; fails the test when the script could not drive it at all.
    function Get-Observed([string]$Case) {
        $seen = $observations[$Case]
        if (-not $seen) { throw "The scenario $Case did not run:`n$($scenarioOutput -join "`n")" }
        $seen.error | Should -BeNullOrEmpty -Because "driving the scenario failed:`n$(Get-Consoles $seen)"
        $seen
    }

    function Get-Consoles($Seen) {
        ($Seen.consoles.GetEnumerator() | ForEach-Object { "--- console of $($_.Key) ---`n$($_.Value)" }) -join "`n"
    }

    function Test-AllTerminated($Seen) {
        @($Seen.states.Values).Count -gt 0 -and @($Seen.states.Values | Where-Object { $_ -ne 'terminated' }).Count -eq 0
    }

    # A zombie is dead too: its parent is gone and nothing will reap it here.
    function Test-ProcessAlive([int]$Id) {
        $stat = Get-Content "/proc/$Id/stat" -Raw -ErrorAction SilentlyContinue
        $stat -and ($stat -replace '^.*\) ', '')[0] -ne 'Z'
    }
}

AfterAll {
    Stop-CndTestProcess
    Remove-Module CndTestSupport -ErrorAction SilentlyContinue
}

Describe 'The worker bootstrap in simulated instances' {
    It 'runs user-data sandboxed so that it cannot power off the host' {
        $runner.Sandbox | Should -Contain 'path-shims'
        if ([Environment]::UserName -eq 'root') {
            $runner.Sandbox | Should -Contain 'pid-namespace'
            $runner.Sandbox | Should -Contain 'power-commands-covered'
            $runner.Sandbox | Should -Contain 'no-cap-sys-boot'
        }
    }

    Context 'a 2-worker launch at D = 24, one slot for each of two known golden nonces' {
        BeforeAll {
            $golden = Get-Observed 'golden'
            $block = [Convert]::FromHexString($golden.blockHex)
            # The lowest golden nonce of each slot, found with cnd-scan and checked below with .NET's SHA-256.
            $known = [uint32]56157711, [uint32]100579335
            $because = "consoles:`n$(Get-Consoles $golden)"
        }

        It 'uses test data that holds: each known nonce is golden' {
            foreach ($nonce in $known) {
                Get-ReferenceZeroBits (Get-ReferenceDigest $block $nonce) | Should -BeGreaterOrEqual $golden.difficulty
            }
        }

        It 'finds each slot''s known golden nonce, and the reported hash is the nonce''s own' {
            foreach ($i in 0, 1) {
                $result = $golden.results[$i]
                $result | Should -Not -BeNullOrEmpty -Because "slot $i should PUT a result within 40 s; $because"
                $result.error | Should -BeNullOrEmpty
                $result.searchId | Should -Be $golden.searchId
                $result.instanceId | Should -Be $golden.instanceIds[$i]
                $result.launchIndex | Should -Be $i
                $result.scan.status | Should -Be 'found'
                $result.scan.nonce | Should -Be $known[$i]
                $digest = Get-ReferenceDigest $block ([uint32]$result.scan.nonce)
                $result.scan.hash | Should -Be ([Convert]::ToHexStringLower($digest))
                Get-ReferenceZeroBits $digest | Should -BeGreaterOrEqual $golden.difficulty
            }
        }

        It 'reports progress inside its slot on the way' {
            @($golden.progress | Where-Object { $_ }).Count | Should -BeGreaterThan 0 -Because 'a scan ten million nonces long should PUT progress'
            foreach ($i in 0, 1) {
                $progress = $golden.progress[$i]
                if (-not $progress) { continue }
                $progress.slot | Should -Be $i
                $progress.instanceId | Should -Be $golden.instanceIds[$i]
                $progress.nextNonce | Should -BeGreaterOrEqual $golden.slots[$i].start
                $progress.nextNonce | Should -BeLessOrEqual $golden.slots[$i].end
                $progress.hashes | Should -BeGreaterThan 0
                $progress.rate | Should -BeGreaterThan 0
            }
        }

        It 'powers off when done: both instances end terminated' {
            Test-AllTerminated $golden | Should -BeTrue -Because "states $($golden.states | ConvertTo-Json -Compress); $because"
        }
    }

    It 'refuses a corrupted scanner with an error result and never runs it' {
        $seen = Get-Observed 'corrupt-scanner'
        $seen.result | Should -Not -BeNullOrEmpty -Because "the worker should PUT an error result within 30 s; consoles:`n$(Get-Consoles $seen)"
        $seen.result.scan | Should -BeNullOrEmpty
        $seen.result.error | Should -BeLike '*checksum mismatch*'
        $seen.scannerRan | Should -BeFalse -Because 'a scanner that fails its checksum must not be executed'
        $seen.progress | Should -BeNullOrEmpty -Because 'a refused scanner reports no progress'
        Test-AllTerminated $seen | Should -BeTrue -Because "states $($seen.states | ConvertTo-Json -Compress)"
    }

    It 'kills the processes of an instance terminated mid-scan' {
        $seen = Get-Observed 'terminated-mid-scan'
        $seen.progress | Should -Not -BeNullOrEmpty -Because "the scan should report progress before it is terminated; consoles:`n$(Get-Consoles $seen)"
        @($seen.pidsWhileScanning).Count | Should -BeGreaterThan 0 -Because 'the scan should be running'
        $seen.processesGone | Should -BeTrue -Because "runner: $($seen.runner | ConvertTo-Json -Compress)"
        $seen.result | Should -BeNullOrEmpty -Because 'a killed worker cannot have PUT a result'
    }

    It 'is terminated at SHUTDOWN_AT by its own scheduled power-off' {
        $seen = Get-Observed 'self-shutdown'
        $because = "consoles:`n$(Get-Consoles $seen)"
        $seen.progressBeforeShutdown | Should -Not -BeNullOrEmpty -Because "the scan should report progress before SHUTDOWN_AT; $because"
        Test-AllTerminated $seen | Should -BeTrue -Because "the instance should end within 10 s of SHUTDOWN_AT; $because"
        $seen.terminatedAt | Should -BeGreaterOrEqual ($seen.shutdownAt - 1) -Because 'it must not power off before SHUTDOWN_AT'
        $seen.processesGone | Should -BeTrue
        $seen.runner.status | Should -Be 'powered-off' -Because 'the instance powers itself off'
        $seen.result | Should -BeNullOrEmpty -Because 'the scan was cut short'
    }

    It 'follows the runner''s fault plan (an instance that fails to boot)' {
        $seen = Get-Observed 'boot-fault'
        $because = "consoles:`n$(Get-Consoles $seen)"
        $seen.results[0] | Should -Not -BeNullOrEmpty -Because "slot 0 boots and reports; $because"
        $seen.results[1] | Should -Not -BeNullOrEmpty -Because "slot 1 boots and reports; $because"
        $seen.runner[2].status | Should -Be 'failed-to-boot' -Because 'the plan terminates launch index 2 at boot'
        $seen.results[2] | Should -BeNullOrEmpty -Because 'an instance that never booted cannot report'
        Test-AllTerminated $seen | Should -BeTrue -Because "states $($seen.states | ConvertTo-Json -Compress)"
        $seen.faultsLeft.Keys | Should -Contain 'launchFaults'
        $seen.faultsLeft.launchFaults.Count | Should -Be 0 -Because 'a one-time fault is used up'
    }

    It 'ends every process of every instance when the runner is killed' {
        $seen = Get-Observed 'long-scan'
        $seen.progress | Should -Not -BeNullOrEmpty -Because "the long scan should be reporting; consoles:`n$(Get-Consoles $seen)"
        $pids = @((Get-CndTestRunnerStatus -Runner $runner).instances |
            Where-Object instanceId -eq $seen.instanceIds[0]).pids
        $pids.Count | Should -BeGreaterThan 0 -Because 'the long scan should still be running'

        $runner.Process.Kill()  # SIGKILL: the runner cannot clean up, its guardian must
        Wait-TestCondition -TimeoutSeconds 10 -IntervalMilliseconds 200 { @($pids | Where-Object { Test-ProcessAlive $_ }).Count -eq 0 } | Out-Null
        @($pids | Where-Object { Test-ProcessAlive $_ }) | Should -BeNullOrEmpty
    }
}

Describe 'CndTestSupport' {
    It 'fails, saying how to install it, when moto is missing' {
        { Start-CndTestMoto -Python /nonexistent/python3 } | Should -Throw '*pip install*moto*'
    }

    It 'points the AWS environment at moto, isolated from any real configuration, and restores it' {
        $before = $env:AWS_PROFILE
        try {
            $env:AWS_PROFILE = 'someone-real'
            Set-CndTestAwsEnvironment -Moto $moto
            $env:AWS_ENDPOINT_URL | Should -Be $moto.Endpoint
            $env:AWS_REGION | Should -Be 'eu-west-2'
            $env:AWS_ACCESS_KEY_ID | Should -Not -BeNullOrEmpty
            $env:AWS_PROFILE | Should -BeNullOrEmpty
            $env:AWS_EC2_METADATA_DISABLED | Should -Be 'true'
            Restore-CndTestAwsEnvironment
            $env:AWS_PROFILE | Should -Be 'someone-real'
        }
        finally {
            Restore-CndTestAwsEnvironment
            $env:AWS_PROFILE = $before
        }
    }

    It 'Reset-CndTestMoto empties the emulator' {
        # moto checks no signature: the credential scope alone selects the service and region.
        $describe = {
            $response = Invoke-WebRequest -Method Post $moto.Endpoint -TimeoutSec 30 `
                -Body 'Action=DescribeInstances&Version=2016-11-15' -ContentType 'application/x-www-form-urlencoded' `
                -Headers @{ Authorization = 'AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-2/ec2/aws4_request, SignedHeaders=host, Signature=0' }
            ([regex]::Matches($response.Content, '<instanceId>')).Count
        }
        & $describe | Should -BeGreaterThan 0 -Because 'the scenarios launched instances'
        Reset-CndTestMoto -Moto $moto
        & $describe | Should -Be 0
    }

    It 'stops what it started' {
        $process = $moto.Process
        Stop-CndTestMoto -Moto $moto
        $process.HasExited | Should -BeTrue
        { Invoke-RestMethod -Method Post "$($moto.Endpoint)/moto-api/reset" -TimeoutSec 2 } | Should -Throw
    }
}
