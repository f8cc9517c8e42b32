# The EC2 search on a real account (issue 9): for each way AWS behaves that moto forgives, the
# harness (the instance runner's API proxy, tests/InstanceRunner) is made to behave as AWS documents,
# and the search must still return the right answer and leave nothing running. Searches are driven
# through the engine, for sub-second intervals (CndEc2Engine.psm1).

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment
    Import-Module "$PSScriptRoot/CndEc2Engine.psm1" -Force
    Initialize-TestEngine -Aws $aws
    $script:bucket = Get-TestModuleBucket
    $script:block = Get-TestBlock

    # A range of two slots with exactly one golden nonce at D = 22, near the end of slot 1
    # (Ec2Resilience.Tests.ps1 checks it with an independent scan).
    $script:oneGolden = @{ Difficulty = 22; Start = [uint32]6339479; End = [uint32]11654917 }
    $script:goldenNonce = ([CndIndependentScan]::Golden($block, $oneGolden.Start, $oneGolden.End, $oneGolden.Difficulty))[0]

    function Set-AwsBehaviour([hashtable]$Aws, [array]$ApiFaults = @(), [array]$LaunchFaults = @()) {
        Set-CndTestRunnerFault @{ aws = $Aws; apiFaults = $ApiFaults; launchFaults = $LaunchFaults } | Out-Null
    }

    # Writes a report object for a slot's attempt as if its worker (or anyone with the URL) had.
    function Write-ForgedResult([string]$SearchId, [int]$Slot, [hashtable]$Fields) {
        $result = @{ searchId = $SearchId; slot = $Slot; instanceId = 'i-forged'; launchIndex = $Slot } + $Fields
        Write-TestObject $bucket "searches/$SearchId/slot-$Slot/attempt-0/result.json" ($result | ConvertTo-Json -Compress -Depth 4)
    }

    function Wait-SearchRunning([int]$Instances) {
        Wait-TestCondition -TimeoutSeconds 30 { @(Get-TestInstance | Where-Object { $_.State.Name.Value -eq 'running' }).Count -ge $Instances } |
            Should -BeTrue -Because 'the search launches its instances'
        (@(Get-TestInstance)[0].Tags | Where-Object Key -eq 'cnd:search-id').Value
    }

    function Assert-NothingLeftRunning([string]$SearchId) {
        Test-AllEnded $SearchId | Should -BeTrue -Because 'every instance of the search is terminated'
    }
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'EC2 search where AWS is stricter than moto' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
        Set-AwsBehaviour @{}
    }

    It 'keeps a found nonce and ends every live worker when an earlier instance id has expired (defect 1)' {
        # Slot 1's first worker is killed at its first checkpoint; the controller ends it and relaunches
        # the slot. By the end that first instance has been terminated long enough for EC2 to forget it,
        # so a TerminateInstances call naming it fails as a whole.
        Set-AwsBehaviour @{ terminatedExpirySeconds = 2 } -ApiFaults @(@{ on = 'progress'; slot = 1; attempt = 0; action = 'kill' })
        $options = New-TestOptions @{ ProgressInterval = [TimeSpan]::FromSeconds(0.01) }
        $result = Invoke-TestSearch $options @oneGolden -Workers 2 -TimeLimit 60

        $result.Found | Should -BeTrue
        $result.Nonce | Should -Be $goldenNonce
        $result.RelaunchedSlots | Should -Be 1
        ($result.Warnings -join "`n") | Should -Not -Match 'Could not confirm'
        Assert-NothingLeftRunning $result.SearchId
        # Each launch signs its URLs afresh (defect 5): a relaunch never hands out a signature of
        # credentials that may have been replaced since the search began.
        $manifests = Get-TestObjectKey $bucket | Where-Object { $_ -like "searches/$($result.SearchId)/launch-*.json" } | ForEach-Object { Read-TestObject $_ }
        $first = $manifests | Where-Object { $_.slots.attempt -notcontains 1 } | Select-Object -First 1
        $relaunch = $manifests | Where-Object { $_.slots.attempt -contains 1 }
        $signedAt = $first, $relaunch | ForEach-Object { ([uri]$_.scannerUrl).Query -replace '.*X-Amz-Date=(\w+).*', '$1' }
        $signedAt | ForEach-Object { $_ | Should -Match '^\d{8}T\d{6}Z$' }
        $signedAt[1] | Should -BeGreaterThan $signedAt[0]
    }

    It 'launches into a security group EC2 does not show yet, retrying the refusal (defect 2)' {
        Set-AwsBehaviour @{ consistencySeconds = 2 }
        $result = Invoke-TestSearch (New-TestOptions) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 60

        $result.Found | Should -BeTrue
        $result.PeakInstances | Should -Be 2
        Assert-NothingLeftRunning $result.SearchId
    }

    It 'treats a forged golden claim as a lost worker: warns with the instance, the nonce and its real hash, relaunches, finds the real nonce (defect 7)' {
        # Slot 0's worker boots late, so the forged result lands while the slot waits for its report.
        Set-AwsBehaviour @{} -LaunchFaults @(@{ launchIndex = 0; action = 'delay'; seconds = 8 })
        $options = New-TestOptions @{ ProgressInterval = [TimeSpan]::FromSeconds(0.05) }
        $search = Start-TestSearch $options @oneGolden -Workers 2 -TimeLimit 60
        $searchId = Wait-SearchRunning 2
        $forgedNonce = 12345
        $forgedHash = ([CloudNonce.Engine.Hashing.NonceHasher]::Hash($block, $forgedNonce)).Hash
        Write-ForgedResult $searchId 0 @{ scan = @{ status = 'found'; found = $true; nonce = $forgedNonce; hash = '0000000000' + $forgedHash.Substring(10)
            hashes = 1; seconds = 0.1; rate = 10; kernel = 'scalar'; next_nonce = $oneGolden.End + 1 }; error = $null }
        $result = $search.GetAwaiter().GetResult()

        $result.Found | Should -BeTrue
        $result.Nonce | Should -Be $goldenNonce -Because 'the search ends only on a verified nonce'
        $warnings = $result.Warnings -join "`n"
        $warnings | Should -Match "Slot 0 .*instance i-forged claimed nonce $forgedNonce is golden, but its hash is $forgedHash"
        $warnings | Should -Match 'Relaunching it from nonce'
        $result.RelaunchedSlots | Should -BeGreaterOrEqual 1
        Assert-NothingLeftRunning $result.SearchId
    }

    It 'treats a worker that reports it started after its deadline as a lost slot, not a failed search (defect 9)' {
        Set-AwsBehaviour @{} -LaunchFaults @(@{ launchIndex = 1; action = 'delay'; seconds = 8 })
        $search = Start-TestSearch (New-TestOptions) -Difficulty 40 -Start 0 -End 39999999 -Workers 2 -TimeLimit 60
        $searchId = Wait-SearchRunning 2
        Write-ForgedResult $searchId 1 @{ scan = $null; error = 'the deadline passed before the scan started' }
        $result = $search.GetAwaiter().GetResult()

        $result.StopReason | Should -Be 'Exhausted'
        $result.Coverage.Complete | Should -BeTrue
        ($result.Warnings -join "`n") | Should -Match 'Slot 1 .*the deadline passed before the scan started'
        Assert-NothingLeftRunning $result.SearchId
    }

    It 'refuses before anything is created when the credentials expire before the workers stop reporting, with both times (defect 5)' {
        $token = 'cnd-test-session-token'
        $expires = [DateTimeOffset]::UtcNow.AddSeconds(200)
        # Past that time the harness refuses whatever those credentials signed, presigned URLs included.
        Set-AwsBehaviour @{ expiredTokens = @{ $token = $expires.ToUnixTimeSeconds() } }
        $saved = $env:AWS_SESSION_TOKEN, $env:AWS_CREDENTIAL_EXPIRATION
        try {
            $env:AWS_SESSION_TOKEN = $token
            $env:AWS_CREDENTIAL_EXPIRATION = $expires.ToString('o')
            { Invoke-TestSearch (New-TestOptions) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 180 } |
                Should -Throw -ExpectedMessage "*credentials (AWS_CREDENTIAL_EXPIRATION) expire at $($expires.ToString('u'))*before the search's workers stop reporting at *-TimeLimit of at most 1?? s*"
            @(Get-TestBucketName).Count | Should -Be 0
            @(Get-TestInstance).Count | Should -Be 0

            $result = Invoke-TestSearch (New-TestOptions) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 60
            $result.Found | Should -BeTrue -Because 'credentials that outlive the search are fine'
        }
        finally {
            $env:AWS_SESSION_TOKEN, $env:AWS_CREDENTIAL_EXPIRATION = $saved
        }
    }

    It 'refuses a bucket that belongs to another account, naming -Bucket, and writes nothing to it (defect 8)' {
        Write-TestObject $bucket 'planted.txt' 'created first by someone else'
        Set-AwsBehaviour @{ foreignBuckets = @($bucket) }
        { Invoke-TestSearch (New-TestOptions) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 30 } |
            Should -Throw -ExpectedMessage "*bucket '$bucket'*belongs to another account*-Bucket*"
        Get-TestObjectKey $bucket | Should -Be 'planted.txt'
        @(Get-TestInstance).Count | Should -Be 0
    }

    It 'names the expected bucket owner on every S3 call it makes itself (defect 8)' {
        Set-AwsBehaviour @{ foreignBuckets = @('someone-elses-bucket') }
        $result = Invoke-TestSearch (New-TestOptions) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 30
        $result.Found | Should -BeTrue
        # CreateBucket cannot carry the header; every other call of the controller must.
        @((Get-CndTestRunnerStatus).proxy.s3WithoutExpectedOwner | Where-Object { $_ -notmatch '^PUT /[^/?]+$' }) | Should -BeNullOrEmpty
    }

    It 'takes the deadline from AWS''s clock when the controller''s clock is a minute behind (defect 9)' {
        Add-Type -TypeDefinition @'
using System;
// Inside a TimeProvider, "System" names its System property: hence the using above.
public sealed class CndSkewedClock : TimeProvider
{
    private readonly TimeSpan _skew;
    public CndSkewedClock(TimeSpan skew) { _skew = skew; }
    public override DateTimeOffset GetUtcNow() { return DateTimeOffset.UtcNow + _skew; }
}
'@ -ErrorAction SilentlyContinue
        $behind = [CndSkewedClock]::new([TimeSpan]::FromSeconds(-60))
        $result = Invoke-TestSearch (New-TestOptions @{ Clock = $behind }) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 20

        $result.Found | Should -BeTrue -Because 'without the correction every worker would find its deadline a minute past'
        $manifest = Read-TestObject "searches/$($result.SearchId)/launch-0.json"
        [long]$manifest.deadline | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())
        Assert-NothingLeftRunning $result.SearchId
    }

    It 'halves a launch the vCPU quota refuses as a whole, runs what fits and names the quota (defect 10)' {
        Set-AwsBehaviour @{ vcpuQuota = 4 }
        $result = Invoke-TestSearch (New-TestOptions) -Difficulty 40 -Start 0 -End ([uint32]::MaxValue) -Workers 4 -TimeLimit 8

        $result.StopReason | Should -Be 'TimeLimit'
        $result.PeakInstances | Should -Be 2 -Because 'two c7i.large (2 vCPUs each) fit a quota of 4 vCPUs'
        ($result.Warnings -join "`n") | Should -Match 'VcpuLimitExceeded.*quota: 4 vCPUs'
        @($result.Coverage.Missing | Where-Object Reason -match 'VcpuLimitExceeded').Count | Should -Be 2
        Assert-NothingLeftRunning $result.SearchId
    }

    It 'quotes the last console lines of a lost worker in the warning (defect 12)' {
        Set-AwsBehaviour @{ consoleOutput = $true } -ApiFaults @(@{ on = 'progress'; slot = 0; attempt = 0; action = 'kill' })
        $result = Invoke-TestSearch (New-TestOptions) -Difficulty 40 -Start 0 -End 39999999 -Workers 2 -TimeLimit 60

        $result.StopReason | Should -Be 'Exhausted'
        ($result.Warnings -join "`n") | Should -Match 'Slot 0 .*sent no progress.*console: .*cnd-worker: scanning'
    }

    It 'explains the spot service-linked role refusal, and falls back to on-demand with -SpotFallback (defect 13)' {
        $refusal = @{ on = 'RunInstances'; market = 'spot'; error = 'AuthFailure.ServiceLinkedRoleCreationNotPermitted'; times = 0 }
        Set-AwsBehaviour @{} -ApiFaults @($refusal)
        { Invoke-TestSearch (New-TestOptions @{ Spot = $true }) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 30 } |
            Should -Throw -ExpectedMessage '*AWSServiceRoleForEC2Spot*create-service-linked-role*-SpotFallback*'
        @(Get-TestInstance).Count | Should -Be 0

        Set-AwsBehaviour @{} -ApiFaults @($refusal)
        $result = Invoke-TestSearch (New-TestOptions @{ Spot = $true; SpotFallback = $true }) -Difficulty 16 -Start 0 -End 999999 -Workers 2 -TimeLimit 30
        $result.Found | Should -BeTrue
        $result.SpotInstances | Should -Be 0
        ($result.Warnings -join "`n") | Should -Match 'ServiceLinkedRoleCreationNotPermitted.*AWSServiceRoleForEC2Spot.*on-demand instead'
    }

    It 'removes groups of earlier searches that have no instance left, and spares those whose search may still run (defect 11)' {
        $over = New-TestLeftoverGroup 'cnd-20260101000000-000001' -ExpiresAt ([DateTimeOffset]::UtcNow.AddHours(-1))
        $stillRunning = New-TestLeftoverGroup 'cnd-20260101000000-000002' -ExpiresAt ([DateTimeOffset]::UtcNow.AddHours(1))

        $result = Invoke-TestSearch (New-TestOptions) -Difficulty 16 -Start 0 -End 999999 -Workers 1 -TimeLimit 30

        $result.Found | Should -BeTrue
        $groups = @(Get-TestModuleSecurityGroup).GroupId
        $groups | Should -Not -Contain $over
        $groups | Should -Contain $stillRunning
        $groups.Count | Should -Be 1 -Because 'the search deleted its own group at the end'
    }
}

Describe 'EC2 search against every strictness at once' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It 'returns the verified nonce and leaves nothing running: no default VPC, a subnet that maps no public IP, new things not found for a while, expiring ids, a worker killed mid-scan, a forged claim' {
        $null = Remove-TestDefaultVpc
        $subnet = New-TestSubnet -Route InternetGateway
        $subnet.MapPublicIpOnLaunch | Should -BeFalse
        # Slot 0's worker boots late (the forged claim lands while it is pending); slot 1's is killed at
        # its first checkpoint; everything of Set-CndTestStrictAws applies.
        Set-CndTestStrictAws -FaultPlan @{
            apiFaults = @(@{ on = 'progress'; slot = 1; attempt = 0; action = 'kill' })
            launchFaults = @(@{ launchIndex = 0; action = 'delay'; seconds = 6 })
        } | Out-Null
        # Checkpoints every 0.01 s, so slot 1's first one comes long before its worker reaches the golden nonce.
        $options = New-TestOptions @{ SubnetId = $subnet.SubnetId; ProgressInterval = [TimeSpan]::FromSeconds(0.01) }
        $search = Start-TestSearch $options @oneGolden -Workers 2 -TimeLimit 90
        $searchId = Wait-SearchRunning 2
        $forgedHash = ([CloudNonce.Engine.Hashing.NonceHasher]::Hash($block, 77)).Hash
        Write-ForgedResult $searchId 0 @{ scan = @{ status = 'found'; found = $true; nonce = 77; hash = $forgedHash
            hashes = 1; seconds = 0.1; rate = 10; kernel = 'scalar'; next_nonce = $oneGolden.End + 1 }; error = $null }
        $result = $search.GetAwaiter().GetResult()

        $result.Found | Should -BeTrue
        $result.Nonce | Should -Be $goldenNonce
        $result.RelaunchedSlots | Should -Be 2 -Because ($result.Warnings -join " // ")
        $warnings = $result.Warnings -join "`n"
        $warnings | Should -Match "claimed nonce 77 is golden, but its hash is $forgedHash"
        $warnings | Should -Match 'Slot 1 .*sent no progress'
        $warnings | Should -Not -Match 'Could not confirm'
        $instances = @(Get-TestInstance -SearchId $result.SearchId)
        $instances.Count | Should -Be 4
        foreach ($instance in $instances) { $instance.SubnetId | Should -Be $subnet.SubnetId }
        # Public IPs go with termination: the runner's verdict, taken as each instance booted, says what it had.
        $booted = @((Get-CndTestRunnerStatus).instances | Where-Object { $_.instanceId -in $instances.InstanceId -and $_.s3Route })
        $booted.Count | Should -BeGreaterOrEqual 3
        $booted.s3Route | Sort-Object -Unique | Should -Be 'public-ip+igw' -Because 'the subnet routes to an internet gateway but maps no public IP: the launch asks for one'
        Wait-TestCondition -TimeoutSeconds 20 { Test-AllEnded $result.SearchId } | Should -BeTrue -Because 'nothing is left running'
    }
}
