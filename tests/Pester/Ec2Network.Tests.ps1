# The workers' network on loopback (issue 9, defects 3 and 4): accounts without a default VPC, and
# subnets whose route table does or does not lead to S3. The cmdlets talk to the runner's API proxy,
# which answers CreateSecurityGroup without a VPC as EC2 does in such an account, and the runner keeps
# an instance's user-data away from S3 unless its subnet gives it a way there (aws.s3Reachability),
# as a real VPC would.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment
    $script:proxy = (Get-CndTestRunnerStatus).proxy.url

    function Get-VerboseText($Output) {
        ($Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
    }

    # The runner's verdict when the instance booted (tests/InstanceRunner/s3_route.py): 'public-ip+igw'
    # says it had a public IPv4 then. A terminated instance has none left to look at, as on EC2.
    function Get-S3Route([string]$InstanceId) {
        ((Get-CndTestRunnerStatus).instances | Where-Object instanceId -eq $InstanceId).s3Route
    }

    # Runs Start-CndSearch (with -Verbose) in a runspace of its own and looks at the search's security
    # group while the search runs: the search deletes it once its instances are gone.
    function Invoke-SearchWatchingGroup([string]$Arguments) {
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$PSScriptRoot/../../CloudNonce.psd1'; Start-CndSearch -Provider EC2 -EndpointUrl '$proxy' -Verbose $Arguments 4>&1")
            $running = $ps.BeginInvoke()
            # The condition runs in a scope of its own: it fills this table, not a variable of ours.
            $seen = @{ Groups = @() }
            Wait-TestCondition -TimeoutSeconds 30 -IntervalMilliseconds 100 { ($seen.Groups = @(Get-TestModuleSecurityGroup)).Count -gt 0 } | Out-Null
            $output = $ps.EndInvoke($running)
            if ($ps.Streams.Error.Count -gt 0) { throw $ps.Streams.Error[0] }
        }
        finally {
            $ps.Dispose()
        }
        [pscustomobject]@{
            Result = $output | Where-Object { $_ -is [CloudNonce.Engine.Search.CndSearchResult] }
            Verbose = Get-VerboseText $output
            Groups = $seen.Groups
        }
    }

    function Assert-NothingCreated {
        @(Get-TestBucketName).Count | Should -Be 0 -Because 'the network is checked before the bucket is made'
        @(Get-TestModuleSecurityGroup).Count | Should -Be 0
        @(Get-TestInstance).Count | Should -Be 0
    }
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'Start-CndSearch -Provider EC2: the workers'' network' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
        Set-CndTestRunnerFault -FaultPlan @{ aws = @{ s3Reachability = $true } } | Out-Null
    }

    It 'fails before creating anything in an account with no default VPC, naming -SubnetId' {
        Remove-TestDefaultVpc | Should -Not -BeNullOrEmpty

        { Start-CndSearch -Provider EC2 -Difficulty 16 -VMCount 2 -NonceEnd 999999 -TimeLimit 30 -EndpointUrl $proxy } |
            Should -Throw -ExpectedMessage "Region $($aws.Region) has no default VPC*pass -SubnetId*"
        Assert-NothingCreated
    }

    It 'asks for public IPs in a subnet that routes to an internet gateway but maps none, and finds a nonce there' {
        $subnet = New-TestSubnet -Route InternetGateway

        $search = Invoke-SearchWatchingGroup "-Difficulty 16 -VMCount 2 -NonceEnd 999999 -TimeLimit 60 -SubnetId $($subnet.SubnetId)"
        $result = $search.Result

        $result.StopReason | Should -Be 'Found'
        $search.Groups.Count | Should -Be 1
        $search.Groups[0].VpcId | Should -Be $subnet.VpcId -Because 'the group is made in the subnet''s VPC'
        $search.Verbose | Should -Match "Workers' network: subnet $($subnet.SubnetId): route table $($subnet.RouteTableId): route 0\.0\.0\.0/0 → igw-\w+, no public IP mapping: asking for one"
        $instances = @(Get-TestInstance -SearchId $result.SearchId)
        $instances.Count | Should -Be 2
        foreach ($instance in $instances) {
            $instance.SubnetId | Should -Be $subnet.SubnetId
            Get-S3Route $instance.InstanceId | Should -Be 'public-ip+igw' -Because 'the launch asked for a public IP on the network interface'
            $instance.NetworkInterfaces[0].Groups.GroupId | Should -Be $search.Groups[0].GroupId
        }
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It 'launches into a subnet with an S3 gateway endpoint as it is, without public IPs' {
        $subnet = New-TestSubnet -Route S3Endpoint

        $search = Invoke-SearchWatchingGroup "-Difficulty 16 -VMCount 1 -NonceEnd 999999 -TimeLimit 60 -SubnetId $($subnet.SubnetId)"

        $search.Result.StopReason | Should -Be 'Found'
        $search.Verbose | Should -Match 'route pl-\w+ → vpce-\w+ \(S3 gateway endpoint\)'
        $instance = Get-TestInstance -SearchId $search.Result.SearchId
        $instance.SubnetId | Should -Be $subnet.SubnetId
        Get-S3Route $instance.InstanceId | Should -Be 's3-endpoint' -Because 'no public IP was asked for'
        $instance.SecurityGroups.GroupId | Should -Be $search.Groups[0].GroupId
        $search.Groups[0].VpcId | Should -Be $subnet.VpcId
    }

    It 'searches in the default VPC, shaped as AWS''s, letting EC2 choose the subnet' {
        $output = Start-CndSearch -Provider EC2 -Difficulty 16 -VMCount 1 -NonceEnd 999999 -TimeLimit 60 -EndpointUrl $proxy -Verbose 4>&1
        $result = $output | Where-Object { $_ -is [CloudNonce.Engine.Search.CndSearchResult] }

        $result.StopReason | Should -Be 'Found'
        Get-VerboseText $output | Should -Match "Workers' network: default VPC vpc-\w+, EC2 chooses among its default subnets: subnet-\w+: .*public IPs mapped on launch"
        Get-S3Route (Get-TestInstance -SearchId $result.SearchId).InstanceId | Should -Be 'public-ip+igw'
    }

    It 'refuses, before creating anything, a subnet with no way to S3 and says why' {
        $subnet = New-TestSubnet -Route None

        { Start-CndSearch -Provider EC2 -Difficulty 16 -VMCount 2 -NonceEnd 999999 -TimeLimit 30 -SubnetId $subnet.SubnetId -EndpointUrl $proxy } |
            Should -Throw -ExpectedMessage "*$($subnet.SubnetId) ($($subnet.VpcId)) would have no way to S3*route table $($subnet.RouteTableId)*no route 0.0.0.0/0 to an internet or NAT gateway and no route to an S3 gateway endpoint*a NAT gateway*S3 gateway endpoint*"
        Assert-NothingCreated
    }

    It 'refuses, before creating anything, a -SubnetId whose zone does not offer the type, naming the zones and subnets that do' {
        # As EC2 (aws.zoneOfferings): c7a.large is offered in eu-west-2a and eu-west-2b only, and a launch
        # into eu-west-2c is refused "Unsupported".
        Set-CndTestRunnerFault -FaultPlan @{ aws = @{ s3Reachability = $true; zoneOfferings = $true } } | Out-Null
        $subnets = @(Get-TestDefaultSubnet)
        $zoneC = $subnets | Where-Object AvailabilityZone -eq 'eu-west-2c'
        $zoneA = $subnets | Where-Object AvailabilityZone -eq 'eu-west-2a'
        $zoneB = $subnets | Where-Object AvailabilityZone -eq 'eu-west-2b'

        { Start-CndSearch -Provider EC2 -InstanceType c7a.large -Difficulty 16 -VMCount 1 -NonceEnd 999999 -TimeLimit 30 -SubnetId $zoneC.SubnetId -EndpointUrl $proxy -WarningAction SilentlyContinue } |
            Should -Throw -ExpectedMessage ("Instance type c7a.large is not offered in eu-west-2c, the availability zone of -SubnetId '$($zoneC.SubnetId)'*" +
                "Zones that offer it: eu-west-2a, eu-west-2b. Pass a subnet there (VPC $($zoneC.VpcId) has $($zoneA.SubnetId) in eu-west-2a, $($zoneB.SubnetId) in eu-west-2b)*leave out -SubnetId*")
        Assert-NothingCreated

        $result = Start-CndSearch -Provider EC2 -InstanceType c7a.large -Difficulty 16 -VMCount 1 -NonceEnd 999999 -TimeLimit 60 -SubnetId $zoneA.SubnetId -EndpointUrl $proxy -WarningAction SilentlyContinue
        $result.StopReason | Should -Be 'Found'
        (Get-TestInstance -SearchId $result.SearchId).SubnetId | Should -Be $zoneA.SubnetId
    }

    It 'refuses an unknown -SubnetId, naming it and the region' {
        { Start-CndSearch -Provider EC2 -Difficulty 16 -VMCount 1 -TimeLimit 30 -SubnetId subnet-0123456789abcdef0 -EndpointUrl $proxy } |
            Should -Throw -ExpectedMessage "-SubnetId 'subnet-0123456789abcdef0' names no subnet of this account in region $($aws.Region)*"
        Assert-NothingCreated
    }

    It 'refuses -SubnetId with the Local provider, and what is not a subnet id' {
        { Start-CndSearch -Difficulty 8 -SubnetId subnet-0abc } | Should -Throw -ErrorId 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.StartCndSearchCommand'
        { Start-CndSearch -Provider EC2 -Difficulty 8 -SubnetId vpc-0abc -WhatIf } | Should -Throw -ExpectedMessage "*'vpc-0abc' is not a subnet id*"
    }
}

Describe 'Get-CndSearchPlan and Measure-CndPerformance -Provider EC2 -SubnetId' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
        Set-CndTestRunnerFault -FaultPlan @{ aws = @{ s3Reachability = $true } } | Out-Null
    }

    It 'Get-CndSearchPlan accepts -SubnetId with EC2 (the plan does not depend on it) and refuses it with Local' {
        $plan = Get-CndSearchPlan -Provider EC2 -Difficulty 24 -VMCount 2 -SubnetId subnet-0abc
        $plan.Units | Should -Be 2
        $plan.CostBreakdown | Should -Not -BeNullOrEmpty
        { Get-CndSearchPlan -Difficulty 24 -HashRate 1e6 -SubnetId subnet-0abc } |
            Should -Throw -ErrorId 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand'
    }

    It 'Measure-CndPerformance launches its fleets in the subnet, with the public IPs it needs' {
        $subnet = New-TestSubnet -Route InternetGateway

        $output = Measure-CndPerformance -Provider EC2 -VMCount 1 -NonceCount 2000000 -TimeLimit 60 -SubnetId $subnet.SubnetId -EndpointUrl $proxy -Verbose 4>&1
        $sample = $output | Where-Object { $_ -is [CloudNonce.Engine.Performance.Ec2PerformanceSample] }

        $sample.StopReason | Should -Be 'Exhausted'
        Get-VerboseText $output | Should -Match "c7i\.large, 1 instance\(s\): Workers' network: subnet $($subnet.SubnetId): .*asking for one"
        $instance = Get-TestInstance
        $instance.SubnetId | Should -Be $subnet.SubnetId
        Get-S3Route $instance.InstanceId | Should -Be 'public-ip+igw'
    }

    It 'Measure-CndPerformance refuses a subnet with no way to S3 before launching' {
        $subnet = New-TestSubnet -Route None
        { Measure-CndPerformance -Provider EC2 -VMCount 1 -NonceCount 2000000 -TimeLimit 60 -SubnetId $subnet.SubnetId -EndpointUrl $proxy } |
            Should -Throw -ExpectedMessage "*$($subnet.SubnetId)*would have no way to S3*"
        Assert-NothingCreated
    }
}
