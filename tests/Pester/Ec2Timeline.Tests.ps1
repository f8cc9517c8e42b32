# Where a search's time went, end to end on loopback: each worker attempt's timeline on the result
# (controller times and the worker's own, from its reports), the result's timing split, and the
# -LogPath record of the search's events, read back line by line.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment
    Import-Module "$PSScriptRoot/CndEc2Engine.psm1" -Force
    Initialize-TestEngine -Aws $aws

    function Read-EventLog([string]$Path) {
        # Every line must be one JSON object on its own: ConvertFrom-Json fails on anything else.
        @(Get-Content -LiteralPath $Path | ForEach-Object { $_ | ConvertFrom-Json -ErrorAction Stop })
    }

    function Assert-InOrder([object[]]$Times, [string]$Because) {
        for ($i = 1; $i -lt $Times.Count; $i++) {
            $Times[$i] | Should -BeGreaterOrEqual $Times[$i - 1] -Because "$Because (step $i)"
        }
    }
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'Worker timelines and the event log' {
    BeforeEach {
        Reset-TestLoopbackAws
        $script:log = Join-Path ([IO.Path]::GetTempPath()) "cnd-events-$PID-$([guid]::NewGuid().ToString('N')).jsonl"
    }

    AfterEach {
        Remove-Item -LiteralPath $log -ErrorAction SilentlyContinue
    }

    It 'returns one timeline per worker attempt, every step filled and in order, and a split that adds up to Elapsed' {
        $result = Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 2 -NonceEnd 3999999 -TimeLimit 60 -LogPath $log

        $result.StopReason | Should -BeIn 'Found', 'Exhausted'
        $reports = @($result.WorkerReports)
        $reports.Count | Should -Be 2
        $instances = @(Get-TestInstance -SearchId $result.SearchId)
        ($reports.InstanceId | Sort-Object) | Should -Be ($instances.InstanceId | Sort-Object)
        foreach ($w in $reports) {
            $w.InstanceType | Should -Be 'c7i.large'
            $w.Spot | Should -BeFalse
            $w.Attempt | Should -Be 0
            foreach ($step in 'Running', 'Booted', 'ScannerDownloaded', 'ScannerVerified', 'ScanStarted', 'FirstReport', 'ScanEnded') {
                $w.$step | Should -Not -BeNullOrEmpty -Because "$step of slot $($w.Slot) happened"
            }
            Assert-InOrder @($w.LaunchRequested, $w.Booted, $w.ScannerDownloaded, $w.ScannerVerified, $w.ScanStarted, $w.ScanEnded) `
                -Because "the worker's steps of slot $($w.Slot) come one after another"
            Assert-InOrder @($w.LaunchRequested, $w.Running, $w.FirstReport) -Because 'the controller sees the instance run before it reads its report'
            Assert-InOrder @($w.ScanStarted, $w.FirstReport) -Because 'the first report is sent as the scan starts'
            $w.Outcome | Should -BeIn 'Found', 'Exhausted', 'Stopped'
            $w.Nonces | Should -BeGreaterThan 0
            $w.NoncesPerSecond | Should -BeGreaterThan 0
            $w.TimeToFirstHash | Should -Be ($w.ScanStarted - $w.LaunchRequested)
        }
        if ($result.Found) { @($reports | Where-Object Outcome -eq 'Found').Count | Should -Be 1 }

        $result.TimeToFirstHash | Should -BeGreaterThan ([TimeSpan]::Zero)
        $result.ScanningTime | Should -BeGreaterThan ([TimeSpan]::Zero)
        $result.ControllerOverhead | Should -BeGreaterOrEqual ([TimeSpan]::Zero)
        ($result.TimeToFirstHash + $result.ScanningTime + $result.ControllerOverhead) | Should -Be $result.Elapsed

        # The table view names its columns and shows one row per attempt.
        $table = ($reports | Format-Table | Out-String -Width 160) -split "`n" | Where-Object { $_.Trim() }
        $table[0] | Should -Match 'Slot\s+Try\s+InstanceId\s+Type\s+Market\s+Launched\s+ToHash s\s+Scan s\s+MH/s\s+Outcome'
        @($table | Where-Object { $_ -match 'i-[0-9a-f]+ +c7i\.large +on-demand' }).Count | Should -Be 2

        $events = Read-EventLog $log
        $names = @($events.event)
        foreach ($name in 'start', 'plan', 'launch', 'worker-started', 'worker-result', 'stop', 'terminate', 'end') {
            $names | Should -Contain $name
        }
        $names[0] | Should -Be 'start'
        $names[-1] | Should -Be 'end'
        @($events.searchId | Sort-Object -Unique) | Should -Be $result.SearchId
        foreach ($e in $events) { [DateTimeOffset]::Parse($e.time) | Should -BeOfType [DateTimeOffset] }
        $plan = $events | Where-Object event -eq 'plan'
        $plan.instances | Should -Be 2
        $plan.progressIntervalSeconds | Should -Be 2 -Because 'a one-minute search reports every 2 s'
        (($events | Where-Object event -eq 'launch').instances.instanceId | Sort-Object) | Should -Be ($reports.InstanceId | Sort-Object)
        $started = @($events | Where-Object event -eq 'worker-started')
        $started.Count | Should -Be 2
        $started[0].timeline.scanStarted | Should -BeGreaterThan 0
        $end = $events[-1]
        $end.stopReason | Should -Be "$($result.StopReason)"
        $end.nonce | Should -Be $result.Nonce
    }

    It 'times a lost attempt and its relaunch apart, and logs the loss and the relaunch' {
        Set-CndTestRunnerFault @{ apiFaults = @(@{ on = 'progress'; slot = 1; attempt = 0; action = 'kill' }) } | Out-Null
        $events = [CloudNonce.Engine.Search.SearchEventLog]::Append($log)
        try {
            $request = [CloudNonce.Engine.Search.SearchRequest]@{
                Block = (Get-TestBlock); Difficulty = 40; NonceStart = 0; NonceEnd = 19999999; Units = 2
                TimeLimit = [TimeSpan]::FromSeconds(12); Events = $events
            }
            $provider = [CloudNonce.Engine.Providers.Ec2.Ec2SearchProvider]::new((New-TestOptions))
            $result = $provider.RunAsync($request, $null, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        }
        finally { $events.Dispose() }

        $slot1 = @($result.WorkerReports | Where-Object Slot -eq 1 | Sort-Object Attempt)
        $slot1.Count | Should -BeGreaterOrEqual 2
        $slot1[0].Outcome | Should -Be 'Lost'
        $slot1[0].Detail | Should -Match 'sent no progress'
        $slot1[0].ScanEnded | Should -Not -BeNullOrEmpty
        $checkpoint = Read-TestObject "searches/$($result.SearchId)/slot-1/attempt-0/progress.json"
        $slot1[1].NonceStart | Should -Be $checkpoint.nextNonce -Because 'the relaunch resumes at the checkpoint'
        $slot1[1].InstanceId | Should -Not -Be $slot1[0].InstanceId
        $slot1[1].LaunchRequested | Should -BeGreaterThan $slot1[0].FirstReport

        $names = @((Read-EventLog $log).event)
        $names | Should -Contain 'lost'
        $names | Should -Contain 'relaunch'
        $names | Should -Contain 'warning'
        @($names | Where-Object { $_ -eq 'launch' }).Count | Should -BeGreaterOrEqual 2
    }

    It 'reads a fleet too large to ask each worker directly through listings, and takes their reports' {
        # 14 slots pending or scanning until the deadline: a LIST of the reports is cheaper than 14 result GETs
        # each poll (ReportPollPlan).
        $events = [CloudNonce.Engine.Search.SearchEventLog]::Append($log)
        try {
            $request = [CloudNonce.Engine.Search.SearchRequest]@{
                Block = (Get-TestBlock); Difficulty = 60; Units = 14; TimeLimit = [TimeSpan]::FromSeconds(20); Events = $events
            }
            $provider = [CloudNonce.Engine.Providers.Ec2.Ec2SearchProvider]::new((New-TestOptions @{ ProgressInterval = [TimeSpan]::FromSeconds(0.5); SilenceTimeout = [TimeSpan]::FromSeconds(10) }))
            $result = $provider.RunAsync($request, $null, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        }
        finally { $events.Dispose() }

        $result.StopReason | Should -Be 'TimeLimit'
        @($result.WorkerReports.Slot | Sort-Object -Unique).Count | Should -Be 14
        $lines = Read-EventLog $log
        $modes = @($lines | Where-Object event -eq 'poll-mode')
        $modes[0].mode | Should -Be 'list' -Because 'fourteen slots are pending or scanning from the first poll'
        $modes[0].activeSlots | Should -BeGreaterThan 12
        # What the listings brought: every worker heard from has its timeline (on a loaded machine some
        # may not boot within the time limit).
        $heard = @($result.WorkerReports | Where-Object FirstReport)
        $heard.Count | Should -BeGreaterThan 0
        foreach ($w in $heard) { $w.Booted, $w.ScanStarted | Should -Not -BeNullOrEmpty }
        @($lines | Where-Object event -eq 'worker-started').Count | Should -Be $heard.Count
        ($result.WorkerReports | Measure-Object Nonces -Sum).Sum | Should -Be $result.Hashes
    }

    It 'logs a local search too: start, plan and end, and its timing is all scanning' {
        $result = Start-CndSearch -Difficulty 12 -Threads 1 -LogPath $log
        $result.WorkerReports.Count | Should -Be 0
        $result.TimeToFirstHash | Should -Be ([TimeSpan]::Zero)
        $result.ScanningTime | Should -Be $result.Elapsed

        $events = Read-EventLog $log
        @($events.event) | Should -Be @('start', 'plan', 'end')
        $events[1].threads | Should -Be 1
        $events[2].nonce | Should -Be $result.Nonce
    }

    It 'refuses a -LogPath it cannot write before searching' {
        { Start-CndSearch -Difficulty 8 -LogPath '/nonexistent-dir/cnd.jsonl' -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*-LogPath '/nonexistent-dir/cnd.jsonl' cannot be written*"
    }
}
