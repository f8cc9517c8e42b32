# The EC2 worker end to end on loopback, without the C# controller: worker/bootstrap.sh runs in
# instances that the instance runner makes real, against moto, while
# tests/InstanceRunner/worker_scenarios.py plays the controller. The scenarios run once, in one
# Python process (boto3 is slow to load), and each It checks one verdict.

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/tests/Support/CndTestSupport.psm1" -Force
    $scanner = "$root/build/native/cnd-scan"
    if (-not (Test-Path $scanner)) {
        throw "The worker tests upload the real scanner, and $scanner is missing: build it with " +
            "cmake -S src/HashCore -B build/native -DCMAKE_BUILD_TYPE=Release && cmake --build build/native -j2"
    }
    $moto = Start-CndTestMoto
    $runner = Start-CndTestRunner -Moto $moto

    $verdictFile = Join-Path ([IO.Path]::GetTempPath()) "cnd-worker-verdicts-$PID.json"
    $cases = 'golden', 'corrupt-scanner', 'terminated-mid-scan', 'self-shutdown', 'boot-fault', 'long-scan'
    $scenarioOutput = & python3 "$root/tests/InstanceRunner/worker_scenarios.py" --endpoint $moto.Endpoint `
        --runner $runner.Url --scanner $scanner --json $verdictFile @cases 2>&1
    $verdicts = if (Test-Path $verdictFile) { Get-Content $verdictFile -Raw | ConvertFrom-Json -AsHashtable } else { @{} }
    Remove-Item $verdictFile -ErrorAction SilentlyContinue

    function Assert-Scenario([string]$Case) {
        $verdict = $verdicts[$Case]
        $because = if ($verdict) { $verdict.detail } else { "the scenario did not run:`n$($scenarioOutput -join "`n")" }
        $verdict.passed | Should -BeTrue -Because $because
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

    It 'finds the known golden nonces with a 2-worker launch, verified with hashlib, reports progress and terminates' {
        Assert-Scenario 'golden'
    }

    It 'refuses a corrupted scanner with an error result and never runs it' {
        Assert-Scenario 'corrupt-scanner'
    }

    It 'kills the processes of an instance terminated mid-scan' {
        Assert-Scenario 'terminated-mid-scan'
    }

    It 'is terminated at SHUTDOWN_AT by its own scheduled power-off' {
        Assert-Scenario 'self-shutdown'
    }

    It 'follows the runner''s fault plan (an instance that fails to boot)' {
        Assert-Scenario 'boot-fault'
    }

    It 'ends every process of every instance when the runner is killed' {
        Assert-Scenario 'long-scan'
        $instanceId = $verdicts['long-scan'].detail
        $pids = @((Get-CndTestRunnerStatus -Runner $runner).instances |
            Where-Object instanceId -eq $instanceId).pids
        $pids.Count | Should -BeGreaterThan 0 -Because 'the long scan should still be running'

        $runner.Process.Kill()  # SIGKILL: the runner cannot clean up, its guardian must
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@($pids | Where-Object { Test-ProcessAlive $_ }).Count -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 200
        }
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
