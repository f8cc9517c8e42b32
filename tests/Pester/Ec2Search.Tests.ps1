# Start-CndSearch -Provider EC2 end to end on loopback: moto plays EC2, S3 and SSM, and the instance
# runner (tests/InstanceRunner) makes its instances real, so every search below really uploads the
# scanner, launches, downloads through presigned URLs, scans, reports and is terminated.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    . "$PSScriptRoot/CndTestHelpers.ps1"
    $script:aws = Start-CndEc2TestEnvironment
    $script:block = [Text.Encoding]::UTF8.GetBytes('COMSM0010cloud')
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'Start-CndSearch -Provider EC2' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It 'finds a golden nonce with a 4-worker fleet, verifies it, and terminates every worker' {
        $result = Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 4 -NonceEnd 7999999 -TimeLimit 60

        $result.Found | Should -BeTrue
        $result.StopReason | Should -Be 'Found'
        $result.Provider | Should -Be 'EC2'
        $result.PeakInstances | Should -Be 4
        $result.Hash | Should -Be ([Convert]::ToHexStringLower((Get-ReferenceDigest $block $result.Nonce)))
        $result.LeadingZeroBits | Should -BeGreaterOrEqual 20
        $result.Hash.Substring(0, 5) | Should -Be '00000'

        $instances = @(Get-TestInstance -SearchId $result.SearchId)
        $instances.Count | Should -Be 4
        Test-AllEnded $result.SearchId | Should -BeTrue -Because 'the search terminates its fleet before it returns'
    }

    It 'launches workers with no key pair, no role, no inbound port, IMDSv2 only, tagged, ending on power-off; deletes its group at the end' {
        # The group is looked at while the search runs: the search deletes it once its instances are gone.
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$PSScriptRoot/../../CloudNonce.psd1'; Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 2 -NonceEnd 399999999 -TimeLimit 60")
            $running = $ps.BeginInvoke()
            Wait-TestCondition -TimeoutSeconds 30 { @(Get-TestInstance | Where-Object { $_.State.Name.Value -eq 'running' }).Count -eq 2 } | Should -BeTrue
            $instances = @(Get-TestInstance)
            $groupIds = @($instances.SecurityGroups.GroupId | Sort-Object -Unique)
            $groupIds.Count | Should -Be 1 -Because 'one group per search'
            foreach ($instance in $instances) {
                $instance.KeyName | Should -BeNullOrEmpty
                $instance.IamInstanceProfile | Should -BeNullOrEmpty
                $instance.MetadataOptions.HttpTokens.Value | Should -Be 'required'
                ($instance.Tags | Where-Object Key -eq 'cnd:created-by').Value | Should -Be 'CloudNonce'
                (Get-TestInstanceAttribute $instance.InstanceId 'instanceInitiatedShutdownBehavior').InstanceInitiatedShutdownBehavior | Should -Be 'terminate'
            }
            $sg = Get-TestSecurityGroup $groupIds[0]
            @($sg.IpPermissions | Where-Object { $_ }).Count | Should -Be 0 -Because 'workers accept no inbound connection'
            $searchId = ($sg.Tags | Where-Object Key -eq 'cnd:search-id').Value
            ($instances.Tags | Where-Object Key -eq 'cnd:search-id').Value | Sort-Object -Unique | Should -Be $searchId
            [long]($sg.Tags | Where-Object Key -eq 'cnd:expires-at').Value | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())

            $result = $ps.EndInvoke($running)[0]
        }
        finally {
            $ps.Dispose()
        }
        $result.SearchId | Should -Be $searchId
        @(Get-TestModuleSecurityGroup).Count | Should -Be 0 -Because 'the search deletes its group once its instances are gone'
    }

    It 'stops at the time limit with StopReason TimeLimit, showing progress, and terminates every worker' {
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$PSScriptRoot/../../CloudNonce.psd1'; Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 2 -TimeLimit 8")
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $result = $ps.Invoke()[0]
            $clock.Stop()
            $progress = @($ps.Streams.Progress)
        }
        finally {
            $ps.Dispose()
        }

        $result.Found | Should -BeFalse
        $result.StopReason | Should -Be 'TimeLimit'
        $result.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 7.5
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 14
        Test-AllEnded $result.SearchId | Should -BeTrue

        $scanning = @($progress | Where-Object { $_.CurrentOperation -eq 'scanning' -and $_.StatusDescription -match '(\d+) running' -and $Matches[1] -gt 0 })
        $scanning.Count | Should -BeGreaterThan 0 -Because 'Write-Progress shows the workers while they scan'
        $scanning[-1].StatusDescription | Should -Match 'nonces, .* M nonces/s, workers: \d+ running, \d+ pending, \d+ done'
        ($progress | Where-Object CurrentOperation -like 'launching 2 instance*') | Should -Not -BeNullOrEmpty
    }

    It 'terminates every worker when the search is cancelled (Ctrl+C)' {
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$PSScriptRoot/../../CloudNonce.psd1'; Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 2 -TimeLimit 120")
            $async = $ps.BeginInvoke()
            Wait-TestCondition -TimeoutSeconds 45 { @(Get-TestInstanceState | Where-Object { $_ -eq 'running' }).Count -eq 2 } |
                Should -BeTrue -Because 'the fleet should be running before it is cancelled'

            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'Ctrl+C must be prompt'
            $async.IsCompleted | Should -BeTrue
            Test-AllEnded | Should -BeTrue -Because 'cancelling terminates the fleet before the command returns'
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'leaves no worker running after its controller is killed: they power themselves off by T plus the margin' {
        $log = Join-Path ([IO.Path]::GetTempPath()) "cnd-controller-$PID.log"
        $timeLimit = 12
        $controller = Invoke-FreshPwsh -LogPath $log "Import-Module '$ModuleManifest'; Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 2 -TimeLimit $timeLimit"
        try {
            Wait-TestCondition -TimeoutSeconds 45 { @(Get-TestInstanceState | Where-Object { $_ -eq 'running' }).Count -eq 2 } |
                Should -BeTrue -Because "the fleet should start (controller log: $(Get-Content $log -Raw -ErrorAction Ignore))"
        }
        finally {
            $controller.Kill($true)
            $controller.WaitForExit()
        }
        @(Get-TestInstanceState | Where-Object { $_ -eq 'running' }).Count | Should -Be 2 -Because 'nobody is left to terminate them'

        # The instances were told when to power off (T plus the margin) in their user-data.
        $userData = (Get-TestInstanceAttribute (Get-TestInstance)[0].InstanceId 'userData').UserData
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($userData)) -match "SHUTDOWN_AT='(\d+)'" | Should -BeTrue
        $shutdownAt = [DateTimeOffset]::FromUnixTimeSeconds([long]$Matches[1])
        # Allowance for the runner to notice the power-off and terminate the instance in the emulator.
        $allowance = 8
        $wait = ($shutdownAt - [DateTimeOffset]::UtcNow).TotalSeconds + $allowance
        $wait | Should -BeLessThan ($timeLimit + 5 + $allowance) -Because 'the power-off is at most T plus the margin (5 s for T = 12 s) away'
        Wait-TestCondition -TimeoutSeconds $wait { Test-AllEnded } | Should -BeTrue -Because "every instance ends by $shutdownAt"
        Remove-Item $log -ErrorAction Ignore
    }

    It 'fails with the worker''s error, not "not found", when the scanner object is corrupted' {
        $sha = (Get-FileHash -Algorithm SHA256 "$PSScriptRoot/../../bin/workers/linux-x64/cnd-scan").Hash.ToLowerInvariant()
        Write-TestObject -Bucket "cloudnonce-123456789012-$($aws.Region)" -Key "scanners/$sha/cnd-scan" -Content 'not the scanner'

        { Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 2 -NonceEnd 999999 -TimeLimit 30 } |
            Should -Throw -ExpectedMessage '*scanner checksum mismatch*'
        Test-AllEnded | Should -BeTrue
    }
}

Describe 'Start-CndSearch -Provider EC2 spot and cost options' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It 'launches spot instances with -Spot, prices them with -PricePerHour and says so with -Verbose' {
        $result = Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 2 -NonceEnd 3999999 -TimeLimit 60 -Spot -PricePerHour 0.5 -Verbose 4>&1 |
            Tee-Object -Variable output | Where-Object { $_ -is [CloudNonce.Engine.Search.CndSearchResult] }
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"

        $result.StopReason | Should -Be 'Exhausted'
        $result.SpotInstances | Should -Be 2
        $result.Coverage.Complete | Should -BeTrue
        $instances = @(Get-TestInstance -SearchId $result.SearchId)
        $instances.Count | Should -Be 2
        foreach ($instance in $instances) { $instance.InstanceLifecycle.Value | Should -Be 'spot' -Because 'the emulator received spot requests' }
        # Billed per second with a one-minute minimum: at least 2 minutes at $0.50/h.
        $result.InstanceHours | Should -BeGreaterOrEqual (2 / 60)
        ($result.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours').Usd | Should -Be ($result.InstanceHours * 0.5)
        $result.EstimatedCost | Should -Be ($result.CostBreakdown.Parts | Measure-Object -Sum Usd).Sum
        $verbose | Should -Match 'P\(success\): .* planned for the requested fleet, .* for the 2 instance\(s\) that ran'
        $verbose | Should -Match 'Billed: .* instance-hours, estimated \$[\d.]+; 2 spot instance\(s\), 0 slot\(s\) relaunched'
        ($result | Format-List | Out-String) | Should -Match 'Coverage\s+: complete'
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It '-WhatIf prints the plan with its cost and launches nothing' {
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "cnd-whatif-$PID.txt"
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try {
            $output = Start-CndSearch -Provider EC2 -Difficulty 30 -VMCount 3 -TimeLimit 120 -InstanceType c6a.large -WhatIf
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript

        $output | Should -BeNullOrEmpty
        $text | Should -Match 'What if: .*3 instances at .*Estimated cost: \$[\d.]+ in eu-west-2 \(instances, on-demand c6a\.large: [\d.]+ instance-hours = \$[\d.]+; public IPv4'
        @(Get-TestInstance).Count | Should -Be 0
        @(Get-TestBucketName).Count | Should -Be 0 -Because '-WhatIf touches no AWS resource'
    }
}

Describe 'Start-CndSearch -Provider EC2 with bad input' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It 'refuses an unknown instance type before launching anything' {
        { Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 2 -TimeLimit 30 -InstanceType 'zz9.huge' } |
            Should -Throw -ExpectedMessage "*instance type 'zz9.huge' does not exist*"
        @(Get-TestInstance).Count | Should -Be 0
    }

    It 'refuses a region without the Amazon Linux AMI parameter before launching anything' {
        { Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 2 -TimeLimit 30 -Region 'us-gov-west-1' } |
            Should -Throw -ExpectedMessage '*us-gov-west-1*no public SSM parameter*-ImageId*'
        @(Get-TestInstance).Count | Should -Be 0
    }

    It 'refuses a time limit the presigned URLs cannot outlive, by validation, before the bucket is made' {
        { Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 2 -TimeLimit ([timespan]::FromDays(7)) } |
            Should -Throw -ErrorId 'InvalidArgument,CloudNonce.Cmdlets.Commands.StartCndSearchCommand' -ExpectedMessage '*-TimeLimit can be at most 6d 23h 58m*7 days (SigV4)*'
        @(Get-TestBucketName).Count | Should -Be 0
        @(Get-TestInstance).Count | Should -Be 0
    }

    It 'refuses a custom -ImageId built for another architecture than the instance type, before launching anything' {
        $arm = Get-TestImage -Architecture arm64
        { Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 2 -TimeLimit 30 -ImageId $arm.ImageId } |
            Should -Throw -ExpectedMessage "*AMI '$($arm.ImageId)' is built for arm64, but instance type 'c7i.large' runs x86_64*cloud-init*"
        @(Get-TestInstance).Count | Should -Be 0
    }

    It 'refuses to run without credentials, saying how to provide them' {
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        try {
            $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null
            { Start-CndSearch -Provider EC2 -Difficulty 20 -VMCount 2 -TimeLimit 30 } |
                Should -Throw -ExpectedMessage '*No AWS credentials*AWS_ACCESS_KEY_ID*'
        }
        finally {
            $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved
        }
        @(Get-TestInstance).Count | Should -Be 0
    }
}
