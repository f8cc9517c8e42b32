# The loopback harness as strict as AWS documents (issue 9): each behaviour of the fault plan's "aws"
# key (tests/InstanceRunner/README.md), shown with direct SDK calls through the runner's API proxy —
# never through the module — and, where it matters, next to moto's own, more forgiving answer.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment
    $script:proxy = (Get-CndTestRunnerStatus).proxy.url
    $script:ec2 = New-TestAwsClient EC2 $proxy
    $script:s3 = New-TestAwsClient S3 $proxy
    $script:motoEc2 = New-TestAwsClient EC2 $aws.Moto.Endpoint
    $script:ami = ($motoEc2.DescribeImagesAsync([Amazon.EC2.Model.DescribeImagesRequest]@{ Owners = [Collections.Generic.List[string]]@('amazon') }).GetAwaiter().GetResult().Images)[0].ImageId

    function Wait-Sdk($Task) { $Task.GetAwaiter().GetResult() }

    # The AWS error a call ends with ($null when it succeeds).
    function Get-AwsError([scriptblock]$Call) {
        try { & $Call | Out-Null; $null }
        catch {
            $e = $_.Exception
            while ($e -and $e -isnot [Amazon.Runtime.AmazonServiceException]) { $e = $e.InnerException }
            if (-not $e) { throw }
            $e
        }
    }

    function New-Group([Amazon.EC2.IAmazonEC2]$Client = $ec2, [string]$VpcId) {
        $request = [Amazon.EC2.Model.CreateSecurityGroupRequest]@{ GroupName = "g-$([guid]::NewGuid().ToString('n').Substring(0, 8))"; Description = 'harness test' }
        if ($VpcId) { $request.VpcId = $VpcId }
        (Wait-Sdk $Client.CreateSecurityGroupAsync($request)).GroupId
    }

    function Start-Instance([int]$Count = 1, [string]$GroupId, [string]$SubnetId, [string]$UserData, [string]$Type = 'c7i.large',
                            [Amazon.EC2.IAmazonEC2]$Client = $ec2) {
        $request = [Amazon.EC2.Model.RunInstancesRequest]@{ ImageId = $ami; MinCount = $Count; MaxCount = $Count; InstanceType = $Type }
        if ($GroupId) { $request.SecurityGroupIds = [Collections.Generic.List[string]]@($GroupId) }
        if ($SubnetId) { $request.SubnetId = $SubnetId }
        if ($UserData) { $request.UserData = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($UserData)) }
        @((Wait-Sdk $Client.RunInstancesAsync($request)).Reservation.Instances | ForEach-Object InstanceId)
    }

    function Get-State([string]$InstanceId) {
        $request = [Amazon.EC2.Model.DescribeInstancesRequest]@{ InstanceIds = [Collections.Generic.List[string]]@($InstanceId) }
        (Wait-Sdk $ec2.DescribeInstancesAsync($request)).Reservations[0].Instances[0].State.Name.Value
    }

    function Get-ListedId {
        $reservations = (Wait-Sdk $ec2.DescribeInstancesAsync([Amazon.EC2.Model.DescribeInstancesRequest]::new())).Reservations
        @($reservations | Where-Object { $_ } | ForEach-Object { $_.Instances.InstanceId })
    }

    function Stop-Instance([string[]]$InstanceIds) {
        Wait-Sdk $ec2.TerminateInstancesAsync([Amazon.EC2.Model.TerminateInstancesRequest]@{ InstanceIds = [Collections.Generic.List[string]]$InstanceIds })
    }

    function Remove-Group([string]$GroupId, [Amazon.EC2.IAmazonEC2]$Client = $ec2) {
        Wait-Sdk $Client.DeleteSecurityGroupAsync([Amazon.EC2.Model.DeleteSecurityGroupRequest]@{ GroupId = $GroupId })
    }

    function Get-RunnerInstance([string]$InstanceId) {
        (Get-CndTestRunnerStatus).instances | Where-Object instanceId -eq $InstanceId
    }
}

AfterAll {
    foreach ($client in $ec2, $s3, $motoEc2) { if ($client) { $client.Dispose() } }
    Stop-CndEc2TestEnvironment
}

Describe 'The strict-AWS harness' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
        Set-CndTestRunnerFault @{} | Out-Null
    }

    It 'validates the "aws" key, shows it in the status, and Set-CndTestStrictAws sets every behaviour merged with other faults' {
        $refusals = @{ 'keys consistencySeconds' = @{ consistencySecond = 2 }; 'aws.vcpuQuota' = @{ vcpuQuota = -1 }
                       'aws.expiredTokens' = @{ expiredTokens = @{ t = 'soon' } } }
        foreach ($why in $refusals.Keys) {
            $answer = Invoke-WebRequest -Method Put "$($aws.Runner.Url)/_runner/faults" -ContentType 'application/json' `
                -Body (@{ aws = $refusals[$why] } | ConvertTo-Json -Depth 5) -SkipHttpErrorCheck
            $answer.StatusCode | Should -Be 400
            $answer.Content | Should -Match ([regex]::Escape($why))
        }
        Set-CndTestStrictAws -FaultPlan @{ launchFaults = @(@{ launchIndex = 0; action = 'hang' }) } -Aws @{ vcpuQuota = 8 } | Out-Null
        $plan = (Get-CndTestRunnerStatus).faults
        $plan.launchFaults[0].action | Should -Be 'hang'
        $plan.aws.consistencySeconds | Should -Be 2
        $plan.aws.terminatedExpirySeconds | Should -Be 3
        $plan.aws.vcpuQuota | Should -Be 8
        foreach ($switch in 'securityGroupDependency', 'consoleOutput', 's3Reachability', 'zoneOfferings') { $plan.aws.$switch | Should -BeTrue }
    }

    It 'does not find a new security group, or new instances, for consistencySeconds; moto finds them at once' {
        Set-CndTestRunnerFault @{ aws = @{ consistencySeconds = 2 } } | Out-Null
        $group = New-Group
        $describe = [Amazon.EC2.Model.DescribeSecurityGroupsRequest]@{ GroupIds = [Collections.Generic.List[string]]@($group) }
        (Get-AwsError { Wait-Sdk $ec2.DescribeSecurityGroupsAsync($describe) }).ErrorCode | Should -Be 'InvalidGroup.NotFound'
        $refused = Get-AwsError { Start-Instance -GroupId $group }
        $refused.ErrorCode | Should -Be 'InvalidGroup.NotFound'
        $refused.StatusCode | Should -Be ([Net.HttpStatusCode]::BadRequest)
        (Get-AwsError { Wait-Sdk $motoEc2.DescribeSecurityGroupsAsync($describe) }) | Should -BeNullOrEmpty -Because 'moto knows the group at once'

        Start-Sleep -Seconds 2
        $instances = Start-Instance -Count 2 -GroupId $group
        (Get-AwsError { Stop-Instance $instances }).ErrorCode | Should -Be 'InvalidInstanceID.NotFound'
        (Get-AwsError { Get-State $instances[0] }).ErrorCode | Should -Be 'InvalidInstanceID.NotFound'
        Get-ListedId | Should -Not -Contain $instances[0] -Because 'a listing by filter leaves out what is not yet consistent'
        # The runner's own view goes straight to moto: the instances boot regardless.
        Wait-TestCondition { (Get-RunnerInstance $instances[0]) } -TimeoutSeconds 5 | Should -BeTrue

        Start-Sleep -Seconds 2
        Get-ListedId | Should -Contain $instances[0]
        (Get-AwsError { Stop-Instance $instances }) | Should -BeNullOrEmpty
    }

    It 'forgets instances terminatedExpirySeconds after they ended: one such id fails the whole TerminateInstances call' {
        Set-CndTestRunnerFault @{ aws = @{ terminatedExpirySeconds = 1 } } | Out-Null
        $expired, $live = Start-Instance -Count 2
        Stop-Instance $expired | Out-Null
        Start-Sleep -Seconds 1.6

        $refused = Get-AwsError { Stop-Instance $expired, $live }
        $refused.ErrorCode | Should -Be 'InvalidInstanceID.NotFound'
        $refused.Message | Should -Match $expired
        Get-State $live | Should -Be 'running' -Because 'EC2 terminates none of the batch'
        Get-ListedId | Should -Not -Contain $expired
        Get-ListedId | Should -Contain $live
        (Get-AwsError { Wait-Sdk $motoEc2.TerminateInstancesAsync([Amazon.EC2.Model.TerminateInstancesRequest]@{ InstanceIds = [Collections.Generic.List[string]]@($expired) }) }) |
            Should -BeNullOrEmpty -Because 'moto keeps terminated instances forever'
    }

    It 'refuses to delete a group while an instance uses it, shutting-down included; moto deletes it at once' {
        $group = New-Group -Client $motoEc2
        Start-Instance -GroupId $group -Client $motoEc2 | Out-Null
        (Get-AwsError { Remove-Group $group -Client $motoEc2 }) | Should -BeNullOrEmpty -Because 'moto ignores the dependency'

        Set-CndTestRunnerFault @{ aws = @{ securityGroupDependency = $true; shuttingDownSeconds = 2 } } | Out-Null
        $group = New-Group
        $instance = Start-Instance -GroupId $group
        $refused = Get-AwsError { Remove-Group $group }
        $refused.ErrorCode | Should -Be 'DependencyViolation'
        $refused.Message | Should -Be "resource $group has a dependent object"

        Stop-Instance $instance | Out-Null
        Wait-TestCondition { (Get-State $instance) -eq 'shutting-down' } -TimeoutSeconds 2 | Should -BeTrue
        (Get-AwsError { Remove-Group $group }).ErrorCode | Should -Be 'DependencyViolation'
        Wait-TestCondition { (Get-State $instance) -eq 'terminated' } -TimeoutSeconds 4 | Should -BeTrue
        (Get-AwsError { Remove-Group $group }) | Should -BeNullOrEmpty
    }

    It 'refuses a launch above vcpuQuota as a whole, with EC2''s VcpuLimitExceeded' {
        Set-CndTestRunnerFault @{ aws = @{ vcpuQuota = 4 } } | Out-Null
        $refused = Get-AwsError { Start-Instance -Count 3 }
        $refused.ErrorCode | Should -Be 'VcpuLimitExceeded'
        $refused.StatusCode | Should -Be ([Net.HttpStatusCode]::BadRequest)
        $refused.Message | Should -Match 'current vCPU limit of 4'
        Get-ListedId | Should -BeNullOrEmpty -Because 'EC2 refuses the whole call rather than cutting it'
        @(Start-Instance -Count 2).Count | Should -Be 2
        (Get-AwsError { Start-Instance -Count 1 }).ErrorCode | Should -Be 'VcpuLimitExceeded'
    }

    It 'refuses a launch into a zone that does not offer the type with EC2''s Unsupported; moto launches it' {
        # moto's offerings (as EC2's): c7a.large is in eu-west-2a and eu-west-2b only.
        $subnets = (Wait-Sdk $motoEc2.DescribeSubnetsAsync([Amazon.EC2.Model.DescribeSubnetsRequest]::new())).Subnets
        $zoneC = ($subnets | Where-Object { $_.DefaultForAz -and $_.AvailabilityZone -eq 'eu-west-2c' }).SubnetId
        $zoneA = ($subnets | Where-Object { $_.DefaultForAz -and $_.AvailabilityZone -eq 'eu-west-2a' }).SubnetId
        Set-CndTestRunnerFault @{ aws = @{ zoneOfferings = $true } } | Out-Null

        $refused = Get-AwsError { Start-Instance -SubnetId $zoneC -Type c7a.large }
        $refused.ErrorCode | Should -Be 'Unsupported'
        $refused.StatusCode | Should -Be ([Net.HttpStatusCode]::BadRequest)
        $refused.Message | Should -Be ('Your requested instance type (c7a.large) is not supported in your requested Availability Zone (eu-west-2c). ' +
            'Please retry your request by not specifying an Availability Zone or choosing eu-west-2a, eu-west-2b.')
        Get-ListedId | Should -BeNullOrEmpty
        @(Start-Instance -SubnetId $zoneA -Type c7a.large).Count | Should -Be 1 -Because 'a zone that offers the type launches'
        @(Start-Instance -Type c7a.large).Count | Should -Be 1 -Because 'without a subnet EC2 chooses a zone that offers it'
        @(Start-Instance -SubnetId $zoneC -Type c7a.large -Client $motoEc2).Count | Should -Be 1 -Because 'moto launches any type in any zone'
    }

    It 'answers a spot launch with AuthFailure.ServiceLinkedRoleCreationNotPermitted (403) when injected' {
        Set-CndTestRunnerFault @{ apiFaults = @(@{ on = 'RunInstances'; market = 'spot'; error = 'AuthFailure.ServiceLinkedRoleCreationNotPermitted' }) } | Out-Null
        $request = [Amazon.EC2.Model.RunInstancesRequest]@{ ImageId = $ami; MinCount = 1; MaxCount = 1; InstanceType = 'c7i.large'
            InstanceMarketOptions = [Amazon.EC2.Model.InstanceMarketOptionsRequest]@{ MarketType = [Amazon.EC2.MarketType]::Spot } }
        $refused = Get-AwsError { Wait-Sdk $ec2.RunInstancesAsync($request) }
        $refused.ErrorCode | Should -Be 'AuthFailure.ServiceLinkedRoleCreationNotPermitted'
        $refused.StatusCode | Should -Be ([Net.HttpStatusCode]::Forbidden)
        $refused.Message | Should -Be 'The provided credentials do not have permission to create the service-linked role for EC2 Spot Instances.'
    }

    It 'fails CreateSecurityGroup without a VpcId once the default VPC is gone; moto creates it anyway' {
        Remove-TestDefaultVpc | Should -Match '^vpc-'
        $refused = Get-AwsError { New-Group }
        $refused.ErrorCode | Should -Be 'VPCIdNotSpecified'
        $refused.Message | Should -Be 'No default VPC for this user'
        New-Group -Client $motoEc2 | Should -Match '^sg-' -Because 'moto forgives this'
        $subnet = New-TestSubnet -Route None
        New-Group -VpcId $subnet.VpcId | Should -Match '^sg-'
    }

    It 'makes buckets of aws.foreignBuckets another account''s, and lists S3 calls made without ExpectedBucketOwner' {
        $bucket = 'cloudnonce-111122223333-eu-west-2'
        Set-CndTestRunnerFault @{ aws = @{ foreignBuckets = @($bucket) } } | Out-Null
        Wait-Sdk $s3.PutBucketAsync([Amazon.S3.Model.PutBucketRequest]@{ BucketName = $bucket; BucketRegionName = $aws.Region }) | Out-Null
        Wait-Sdk $s3.PutObjectAsync([Amazon.S3.Model.PutObjectRequest]@{ BucketName = $bucket; Key = 'm.json'; ContentBody = '{}'; ExpectedBucketOwner = '111122223333' }) | Out-Null

        $mine = Get-AwsError { Wait-Sdk $s3.GetObjectAsync([Amazon.S3.Model.GetObjectRequest]@{ BucketName = $bucket; Key = 'm.json'; ExpectedBucketOwner = '123456789012' }) }
        $mine.ErrorCode | Should -Be 'AccessDenied'
        $mine.StatusCode | Should -Be ([Net.HttpStatusCode]::Forbidden)
        (Get-AwsError { Wait-Sdk $s3.GetObjectAsync([Amazon.S3.Model.GetObjectRequest]@{ BucketName = $bucket; Key = 'm.json' }) }) |
            Should -BeNullOrEmpty -Because 'without the header the foreign bucket answers: the danger'
        Wait-Sdk $s3.ListBucketsAsync() | Out-Null

        $audit = @((Get-CndTestRunnerStatus).proxy.s3WithoutExpectedOwner)
        $audit | Should -Contain "GET /$bucket/m.json"
        $audit | Should -Not -Contain "PUT /$bucket/m.json" -Because 'that call carried the header'
        @($audit | Where-Object { $_ -eq "PUT /$bucket" -or $_ -eq 'GET /' }).Count | Should -Be 0 -Because 'CreateBucket and ListBuckets cannot carry it'
    }

    It 'answers every request bearing an expired session token as AWS does, presigned URLs included' {
        $expired = 'token-expired'
        Set-CndTestRunnerFault @{ aws = @{ expiredTokens = @{ $expired = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - 1; 'token-later' = 4102444800 } } } | Out-Null
        $bucket = 'cnd-tokens'
        Wait-Sdk $s3.PutBucketAsync([Amazon.S3.Model.PutBucketRequest]@{ BucketName = $bucket; BucketRegionName = $aws.Region }) | Out-Null
        Wait-Sdk $s3.PutObjectAsync([Amazon.S3.Model.PutObjectRequest]@{ BucketName = $bucket; Key = 'k'; ContentBody = 'x' }) | Out-Null
        $oldEc2 = New-TestAwsClient EC2 $proxy -SessionToken $expired
        $oldS3 = New-TestAwsClient S3 $proxy -SessionToken $expired
        $laterS3 = New-TestAwsClient S3 $proxy -SessionToken 'token-later'
        try {
            $refused = Get-AwsError { Wait-Sdk $oldEc2.DescribeInstancesAsync([Amazon.EC2.Model.DescribeInstancesRequest]::new()) }
            $refused.ErrorCode | Should -Be 'RequestExpired'
            $refused = Get-AwsError { Wait-Sdk $oldS3.GetObjectAsync($bucket, 'k') }
            $refused.ErrorCode | Should -Be 'ExpiredToken'
            $refused.StatusCode | Should -Be ([Net.HttpStatusCode]::BadRequest)

            $presign = [Amazon.S3.Model.GetPreSignedUrlRequest]@{ BucketName = $bucket; Key = 'k'; Expires = [DateTime]::UtcNow.AddHours(1)
                Protocol = [Amazon.S3.Protocol]::HTTP; Verb = [Amazon.S3.HttpVerb]::GET }
            $url = $oldS3.GetPreSignedURL($presign)
            $url | Should -Match 'X-Amz-Security-Token=token-expired'
            $answer = Invoke-WebRequest $url -SkipHttpErrorCheck
            $answer.StatusCode | Should -Be 400
            $answer.Content | Should -Match '<Code>ExpiredToken</Code><Message>The provided token has expired.</Message>'
            (Invoke-WebRequest $laterS3.GetPreSignedURL($presign) -SkipHttpErrorCheck).Content | Should -Be 'x' -Because 'that token has not expired yet'
        }
        finally { foreach ($client in $oldEc2, $oldS3, $laterS3) { $client.Dispose() } }
    }

    It 'keeps S3 from a worker with no route to it (IMDS still answers), decides each route from the subnet, and shows the console' {
        Set-CndTestRunnerFault @{ aws = @{ s3Reachability = $true; consoleOutput = $true } } | Out-Null
        # The real bootstrap, pointed at a manifest that has no slot: a worker that can fetch it stops there.
        $bucket = 'cnd-route'
        Wait-Sdk $s3.PutBucketAsync([Amazon.S3.Model.PutBucketRequest]@{ BucketName = $bucket; BucketRegionName = $aws.Region }) | Out-Null
        Wait-Sdk $s3.PutObjectAsync([Amazon.S3.Model.PutObjectRequest]@{ BucketName = $bucket; Key = 'manifest.json'; ContentBody = '{"searchId":"s","slots":[]}' }) | Out-Null
        $url = $s3.GetPreSignedURL([Amazon.S3.Model.GetPreSignedUrlRequest]@{ BucketName = $bucket; Key = 'manifest.json'
            Expires = [DateTime]::UtcNow.AddHours(1); Protocol = [Amazon.S3.Protocol]::HTTP; Verb = [Amazon.S3.HttpVerb]::GET })
        $bootstrap = (Get-Content -Raw "$PSScriptRoot/../../worker/bootstrap.sh").Replace('@MANIFEST_URL@', $url).
            Replace('@SHUTDOWN_AT@', "$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + 120)")

        $cut = New-TestSubnet -Route None -MapPublicIpOnLaunch
        $public = New-TestSubnet -Route InternetGateway -MapPublicIpOnLaunch
        $unreachable = Start-Instance -SubnetId $cut.SubnetId -UserData $bootstrap
        $reachable = Start-Instance -SubnetId $public.SubnetId -UserData $bootstrap
        $inDefaultVpc = Start-Instance -UserData $bootstrap

        Wait-TestCondition { @($unreachable, $reachable, $inDefaultVpc | Where-Object { (Get-RunnerInstance $_).status -ne 'powered-off' }).Count -eq 0 } -TimeoutSeconds 25 |
            Should -BeTrue
        (Get-RunnerInstance $unreachable).s3Route | Should -Match '^none: route table rtb-\w+ has no route'
        (Get-RunnerInstance $reachable).s3Route | Should -Be 'public-ip+igw'
        (Get-RunnerInstance $inDefaultVpc).s3Route | Should -Be 'public-ip+igw' -Because 'the default VPC is shaped as AWS makes it'

        $console = { param($id) [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(
            (Wait-Sdk $ec2.GetConsoleOutputAsync([Amazon.EC2.Model.GetConsoleOutputRequest]@{ InstanceId = $id })).Output)) }
        $cutOff = & $console $unreachable
        $cutOff | Should -Match "instance $unreachable, launch index 0" -Because 'IMDS still answers'
        $cutOff | Should -Match 'manifest download failed'
        foreach ($id in $reachable, $inDefaultVpc) {
            $text = & $console $id
            $text | Should -Not -Match 'manifest download failed'
            $text | Should -Match 'the manifest has no slot for launch index 0'
        }
    }

    It 'decides the route of a NAT gateway, an S3 gateway endpoint and an internet gateway without a public IP' {
        Set-CndTestRunnerFault @{ aws = @{ s3Reachability = $true } } | Out-Null
        $cases = @{ nat = 'NatGateway'; 's3-endpoint' = 'S3Endpoint'; 'none: no public IPv4' = 'InternetGateway' }
        $launched = @{}
        foreach ($verdict in $cases.Keys) { $launched[$verdict] = Start-Instance -SubnetId (New-TestSubnet -Route $cases[$verdict]).SubnetId -UserData "#!/bin/bash`ntrue" }
        Wait-TestCondition { @($launched.Values | Where-Object { -not (Get-RunnerInstance $_).s3Route }).Count -eq 0 } -TimeoutSeconds 10 | Should -BeTrue
        foreach ($verdict in $launched.Keys) { (Get-RunnerInstance $launched[$verdict]).s3Route | Should -BeLike "$verdict*" }
    }
}
