# Graviton (arm64) workers end to end on loopback: the search takes the arm64 Amazon Linux AMI, uploads
# the aarch64 scanner, and the instance runner runs it under qemu-aarch64-static -cpu max (an arm64
# instance runs aarch64 programs through the emulator, tests/InstanceRunner/emulation.py). What this
# cannot show is a real Graviton core or its speed.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    . "$PSScriptRoot/CndTestHelpers.ps1"
    Import-Module "$PSScriptRoot/CndEc2Engine.psm1" -Force
    $script:Root = (Resolve-Path "$PSScriptRoot/../..").Path
    $script:ArmScanner = "$Root/bin/workers/linux-arm64/cnd-scan"
    $script:X64Scanner = "$Root/bin/workers/linux-x64/cnd-scan"
    if (-not (Test-Path $ArmScanner)) {
        throw "The Graviton tests need the aarch64 worker scanner: $ArmScanner is missing (run build.ps1 Build, which cross-builds it with aarch64-linux-gnu-gcc)."
    }
    $script:aws = Start-CndEc2TestEnvironment
    $emulation = (Get-CndTestRunnerStatus -Runner $aws.Runner).emulation
    if (-not $emulation.arm64) {
        throw "The instance runner cannot run arm64 instances on this host: $($emulation.problem)"
    }
    Add-Type -Path "$Root/bin/AWSSDK.SimpleSystemsManagement.dll"
    Initialize-TestEngine -Aws $aws
    $script:Bucket = Get-TestModuleBucket
    $script:ArmSha = (Get-FileHash -Algorithm SHA256 $ArmScanner).Hash.ToLowerInvariant()
    $script:X64Sha = (Get-FileHash -Algorithm SHA256 $X64Scanner).Hash.ToLowerInvariant()

    function Get-TestAmi([string]$Architecture) {
        $ssm = [Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient]::new(
            [Amazon.Runtime.BasicAWSCredentials]::new('testing', 'testing'),
            [Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig]@{ ServiceURL = $aws.Moto.Endpoint; AuthenticationRegion = $aws.Region })
        try {
            $ssm.GetParameterAsync([Amazon.SimpleSystemsManagement.Model.GetParameterRequest]@{
                    Name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-$Architecture" }).GetAwaiter().GetResult().Parameter.Value
        }
        finally { $ssm.Dispose() }
    }
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'EC2 searches on Graviton (arm64) instance types' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It 'runs the aarch64 scanner under qemu on c7g.large, finds a golden nonce and verifies it, with the harness as strict as AWS' {
        # Emulated hashing is 20-50 times slower than native: difficulty 14 takes ~16 k nonces per find.
        # Everything Set-CndTestStrictAws offers applies (new things not found for a while, terminated ids
        # forgotten, groups held by shutting-down instances, S3 reachability judged from the subnet).
        Set-CndTestStrictAws | Out-Null
        try {
            $result = Start-CndSearch -Provider EC2 -InstanceType c7g.large -Difficulty 14 -VMCount 2 -NonceEnd 1999999 -TimeLimit 120
        }
        finally {
            Set-CndTestRunnerFault @{} | Out-Null
        }

        $result.Found | Should -BeTrue
        $result.StopReason | Should -Be 'Found'
        $result.Hash | Should -Be ([Convert]::ToHexStringLower((Get-ReferenceDigest (Get-TestBlock) $result.Nonce)))
        $result.LeadingZeroBits | Should -BeGreaterOrEqual 14

        $instances = @(Get-TestInstance -SearchId $result.SearchId)
        $instances.Count | Should -Be 2
        foreach ($instance in $instances) {
            $instance.InstanceType.Value | Should -Be 'c7g.large'
            $instance.ImageId | Should -Be (Get-TestAmi arm64) -Because 'the arm64 Amazon Linux 2023 AMI comes from its public SSM parameter'
            $instance.Architecture.Value | Should -Be 'arm64'
        }
        $status = Get-CndTestRunnerStatus -Runner $aws.Runner
        foreach ($instance in @($status.instances | Where-Object instanceId -in $instances.InstanceId)) {
            $instance.architecture | Should -Be 'arm64' -Because 'the runner started its user-data with the aarch64 emulator'
        }

        $keys = Get-TestObjectKey $Bucket
        $keys | Should -Contain "scanners/$ArmSha/cnd-scan"
        $keys | Should -Not -Contain "scanners/$X64Sha/cnd-scan" -Because 'only the architectures the search needs are uploaded'
        $manifest = Read-TestObject "searches/$($result.SearchId)/launch-0.json"
        $manifest.scannerSha256 | Should -Be $ArmSha
        $manifest.scannerUrl | Should -BeLike "*/scanners/$ArmSha/cnd-scan*"

        # The worker that found it reports which kernel its scanner ran: one of the aarch64 build's,
        # never an x86 one (the x86-64 scanner would run natively on this host and pick those).
        $winner = @(foreach ($slot in 0, 1) { Read-TestObject "searches/$($result.SearchId)/slot-$slot/attempt-0/result.json" }) |
            Where-Object { $_.scan.found } | Select-Object -First 1
        $winner.scan.kernel | Should -Not -BeIn 'avx2', 'avx512', 'shani'
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It 'plans c7g with a rate marked as an unmeasured estimate' {
        $plan = Get-CndSearchPlan -Provider EC2 -InstanceType c7g.large -Difficulty 30 -Confidence 0.9 -TimeLimit 300
        $plan.Unit | Should -BeLike 'one c7g.large instance (unmeasured estimate for Graviton*'
    }

    It 'refuses an x86_64 -ImageId for c7g.large before creating anything, naming both architectures' {
        $image = Get-TestAmi x86_64
        { Start-CndSearch -Provider EC2 -InstanceType c7g.large -Difficulty 14 -VMCount 1 -TimeLimit 30 -ImageId $image } |
            Should -Throw -ExpectedMessage "*AMI '$image' is built for x86_64, but instance type 'c7g.large' runs arm64*pass an arm64 image as -ImageId*"
        @(Get-TestInstance).Count | Should -Be 0
        @(Get-TestBucketName).Count | Should -Be 0 -Because 'the check comes before the bucket is made'
    }

    It 'checks a set of types as one: an AMI per architecture when they mix, and one -ImageId for both refused' {
        # The check over a set of types that a search over several types (or -InstanceType Auto) uses.
        $check = {
            param([hashtable]$Set)
            $options = New-TestOptions $Set
            $session = [CloudNonce.Engine.Aws.AwsSession]::Resolve($options.Aws, $null)
            $ec2 = $session.Ec2()
            try {
                $types = [Collections.Generic.List[string]]@('c7g.large', 'c7i.large', 't4g.small')
                [CloudNonce.Engine.Providers.Ec2.Ec2Preflight]::CheckAsync($session, $options, $types, $ec2, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
            }
            finally { $ec2.Dispose() }
        }
        $targets = & $check @{}
        $targets.InstanceType | Should -Be 'c7g.large', 'c7i.large', 't4g.small'
        $targets.Architecture.Ec2Name | Should -Be 'arm64', 'x86_64', 'arm64'
        $targets.ImageId | Should -Be (Get-TestAmi arm64), (Get-TestAmi x86_64), (Get-TestAmi arm64)
        $targets.VCpus | Should -Be 2, 2, 2

        $image = Get-TestAmi arm64
        { & $check @{ ImageId = $image } } |
            Should -Throw -ExpectedMessage "*AMI '$image' is built for arm64, but instance type 'c7i.large' runs x86_64*cannot serve instance types of two architectures*"
    }

    It 'refuses an arm64 type when its scanner is missing, naming the path, before creating anything' {
        $workers = Join-Path ([IO.Path]::GetTempPath()) "cnd-workers-$PID"
        New-Item -ItemType Directory "$workers/linux-x64" -Force | Out-Null
        Copy-Item $X64Scanner "$workers/linux-x64/cnd-scan"
        try {
            $options = New-TestOptions @{ InstanceType = 'c7g.large'; WorkersFolder = $workers }
            { Invoke-TestSearch -Options $options -Difficulty 14 -Start 0 -End 99999 -Workers 1 -TimeLimit 30 } |
                Should -Throw -ExpectedMessage "*arm64 worker scanner '$workers/linux-arm64/cnd-scan' (for instance type c7g.large) does not exist*build.ps1 Build*"
        }
        finally { Remove-Item $workers -Recurse -Force }
        @(Get-TestInstance).Count | Should -Be 0
        @(Get-TestBucketName).Count | Should -Be 0
    }
}
