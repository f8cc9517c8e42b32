# Shared by the EC2 Pester files (Ec2Search, Get-CndFleet, Remove-CndResources): the loopback AWS
# they run against (moto + the instance runner, from tests/Support), and checks that look at the
# emulator through the AWS SDK directly rather than through the module under test.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:Root = (Resolve-Path "$PSScriptRoot/../..").Path
$script:Clients = @{}

function Start-CndEc2TestEnvironment {
    <# .SYNOPSIS Starts moto and the instance runner, points AWS at them, imports the built module. #>
    Import-Module "$script:Root/tests/Support/CndTestSupport.psm1" -Global -Force
    foreach ($file in 'bin/CloudNonce.dll', 'bin/workers/linux-x64/cnd-scan') {
        if (-not (Test-Path "$script:Root/$file")) { throw "The EC2 tests need the built module: $file is missing (run build.ps1 Build)." }
    }
    # Rates measured by Measure-CndPerformance -Provider EC2 on loopback go to a folder of the tests'
    # own, never into (or from) the user's CloudNonce data folder.
    $script:SavedDataHome = $env:CLOUDNONCE_DATA_HOME
    $env:CLOUDNONCE_DATA_HOME = Join-Path ([IO.Path]::GetTempPath()) "cnd-test-data-$PID"
    $moto = Start-CndTestMoto
    $runner = Start-CndTestRunner -Moto $moto
    Set-CndTestAwsEnvironment -Moto $moto
    Import-Module "$script:Root/CloudNonce.psd1" -Global -Force
    # The module loads these on first use; the checks here use them directly.
    foreach ($assembly in 'AWSSDK.Core', 'AWSSDK.EC2', 'AWSSDK.S3') { Add-Type -Path "$script:Root/bin/$assembly.dll" }
    $script:Clients.Clear()
    [pscustomobject]@{ Moto = $moto; Runner = $runner; Region = $moto.Region }
}

function Stop-CndEc2TestEnvironment {
    foreach ($client in $script:Clients.Values) { $client.Dispose() }
    $script:Clients.Clear()
    Restore-CndTestAwsEnvironment
    Stop-CndTestProcess
    Remove-Item $env:CLOUDNONCE_DATA_HOME -Recurse -Force -ErrorAction Ignore
    $env:CLOUDNONCE_DATA_HOME = $script:SavedDataHome
}

function Get-TestClient([ValidateSet('EC2', 'S3')] [string]$Service) {
    if (-not $script:Clients.ContainsKey($Service)) {
        $credentials = [Amazon.Runtime.BasicAWSCredentials]::new('testing', 'testing')
        $config = if ($Service -eq 'EC2') { [Amazon.EC2.AmazonEC2Config]::new() } else { [Amazon.S3.AmazonS3Config]@{ ForcePathStyle = $true } }
        $config.ServiceURL = $env:AWS_ENDPOINT_URL
        $config.AuthenticationRegion = $env:AWS_REGION
        $script:Clients[$Service] = if ($Service -eq 'EC2') { [Amazon.EC2.AmazonEC2Client]::new($credentials, $config) } else { [Amazon.S3.AmazonS3Client]::new($credentials, $config) }
    }
    $script:Clients[$Service]
}

function Get-TestInstance {
    <# .SYNOPSIS The emulator's instances (all, or one search's), as the SDK returns them. #>
    param([string]$SearchId)
    $request = [Amazon.EC2.Model.DescribeInstancesRequest]::new()
    if ($SearchId) {
        $request.Filters = [Collections.Generic.List[Amazon.EC2.Model.Filter]]@([Amazon.EC2.Model.Filter]@{ Name = 'tag:cnd:search-id'; Values = [Collections.Generic.List[string]]@($SearchId) })
    }
    $response = (Get-TestClient EC2).DescribeInstancesAsync($request).GetAwaiter().GetResult()
    foreach ($reservation in @($response.Reservations | Where-Object { $_ })) { $reservation.Instances }
}

function Get-TestInstanceState([string]$SearchId) {
    @(Get-TestInstance -SearchId $SearchId | ForEach-Object { $_.State.Name.Value })
}

function Test-AllEnded([string]$SearchId) {
    $states = Get-TestInstanceState $SearchId
    $states.Count -gt 0 -and -not ($states | Where-Object { $_ -notin 'shutting-down', 'terminated' })
}

function Get-TestInstanceAttribute([string]$InstanceId, [string]$Attribute) {
    $request = [Amazon.EC2.Model.DescribeInstanceAttributeRequest]@{ InstanceId = $InstanceId; Attribute = $Attribute }
    (Get-TestClient EC2).DescribeInstanceAttributeAsync($request).GetAwaiter().GetResult().InstanceAttribute
}

function Get-TestSecurityGroup([string]$GroupId) {
    $request = [Amazon.EC2.Model.DescribeSecurityGroupsRequest]@{ GroupIds = [Collections.Generic.List[string]]@($GroupId) }
    (Get-TestClient EC2).DescribeSecurityGroupsAsync($request).GetAwaiter().GetResult().SecurityGroups[0]
}

function Get-TestImage([string]$Architecture) {
    <# .SYNOPSIS One of the emulator's public images built for an architecture. #>
    $request = [Amazon.EC2.Model.DescribeImagesRequest]@{
        Filters = [Collections.Generic.List[Amazon.EC2.Model.Filter]]@([Amazon.EC2.Model.Filter]@{ Name = 'architecture'; Values = [Collections.Generic.List[string]]@($Architecture) })
    }
    @((Get-TestClient EC2).DescribeImagesAsync($request).GetAwaiter().GetResult().Images)[0]
}

function Get-TestModuleSecurityGroup {
    $request = [Amazon.EC2.Model.DescribeSecurityGroupsRequest]::new()
    @((Get-TestClient EC2).DescribeSecurityGroupsAsync($request).GetAwaiter().GetResult().SecurityGroups |
        Where-Object { $_ -and $_.Tags -and $_.Tags.Key -contains 'cnd:created-by' })
}

function New-TestLeftoverGroup {
    <#
    .SYNOPSIS
    A security group as a search leaves it when its instances still held it as the search ended
    (tagged as the module tags its groups); -ExpiresAt is when that search's instances power off,
    later than its end when it ended before its time limit.
    #>
    param([Parameter(Mandatory)] [string]$SearchId, [DateTimeOffset]$ExpiresAt = [DateTimeOffset]::UtcNow.AddMinutes(10))
    $tag = { param($key, $value) [Amazon.EC2.Model.Tag]::new($key, $value) }
    $tags = [Amazon.EC2.Model.TagSpecification]@{ ResourceType = 'security-group'; Tags = [Collections.Generic.List[Amazon.EC2.Model.Tag]]@(
        (& $tag 'cnd:created-by' 'CloudNonce'), (& $tag 'cnd:search-id' $SearchId), (& $tag 'cnd:expires-at' "$($ExpiresAt.ToUnixTimeSeconds())")) }
    $request = [Amazon.EC2.Model.CreateSecurityGroupRequest]@{ GroupName = "cnd-$SearchId"; Description = "CloudNonce workers of $SearchId"
        TagSpecifications = [Collections.Generic.List[Amazon.EC2.Model.TagSpecification]]@($tags) }
    (Get-TestClient EC2).CreateSecurityGroupAsync($request).GetAwaiter().GetResult().GroupId
}

function New-TestKeyPair([string]$Name) {
    (Get-TestClient EC2).CreateKeyPairAsync([Amazon.EC2.Model.CreateKeyPairRequest]@{ KeyName = $Name }).GetAwaiter().GetResult() | Out-Null
}

function Get-TestKeyPairName {
    $response = (Get-TestClient EC2).DescribeKeyPairsAsync([Amazon.EC2.Model.DescribeKeyPairsRequest]::new()).GetAwaiter().GetResult()
    @($response.KeyPairs | Where-Object { $_ } | ForEach-Object KeyName)
}

function Get-TestBucketName {
    @((Get-TestClient S3).ListBucketsAsync().GetAwaiter().GetResult().Buckets | Where-Object { $_ } | ForEach-Object BucketName)
}

function Get-TestObjectKey([string]$Bucket) {
    $response = (Get-TestClient S3).ListObjectsV2Async([Amazon.S3.Model.ListObjectsV2Request]@{ BucketName = $Bucket }).GetAwaiter().GetResult()
    @($response.S3Objects | Where-Object { $_ } | ForEach-Object Key)
}

function Write-TestObject([string]$Bucket, [string]$Key, [string]$Content) {
    $s3 = Get-TestClient S3
    if ($Bucket -notin (Get-TestBucketName)) {
        $s3.PutBucketAsync([Amazon.S3.Model.PutBucketRequest]@{ BucketName = $Bucket; BucketRegionName = $env:AWS_REGION }).GetAwaiter().GetResult() | Out-Null
    }
    $s3.PutObjectAsync([Amazon.S3.Model.PutObjectRequest]@{ BucketName = $Bucket; Key = $Key; ContentBody = $Content }).GetAwaiter().GetResult() | Out-Null
}

function New-TestAwsClient {
    <#
    .SYNOPSIS
    An SDK client of its own (the caller disposes of it) for another endpoint than the emulator's, e.g.
    the runner's API proxy, and optionally with a session token (temporary credentials).
    #>
    param([Parameter(Mandatory)] [ValidateSet('EC2', 'S3')] [string]$Service, [Parameter(Mandatory)] [string]$EndpointUrl,
          [string]$SessionToken)
    $credentials = if ($SessionToken) { [Amazon.Runtime.SessionAWSCredentials]::new('testing', 'testing', $SessionToken) }
                   else { [Amazon.Runtime.BasicAWSCredentials]::new('testing', 'testing') }
    # No SDK retries: a test of an error wants its first answer.
    $config = if ($Service -eq 'EC2') { [Amazon.EC2.AmazonEC2Config]@{ MaxErrorRetry = 0 } } else { [Amazon.S3.AmazonS3Config]@{ ForcePathStyle = $true; MaxErrorRetry = 0 } }
    $config.ServiceURL = $EndpointUrl
    $config.AuthenticationRegion = $env:AWS_REGION
    if ($Service -eq 'EC2') { [Amazon.EC2.AmazonEC2Client]::new($credentials, $config) } else { [Amazon.S3.AmazonS3Client]::new($credentials, $config) }
}

# --- Account shapes (issue 9): accounts without a default VPC, subnets with and without a route to S3 ---

function Invoke-TestEc2([string]$Operation, $Request) {
    (Get-TestClient EC2)."${Operation}Async"($Request).GetAwaiter().GetResult()
}

function New-TestFilter([string]$Name, [string[]]$Values) {
    [Collections.Generic.List[Amazon.EC2.Model.Filter]]@([Amazon.EC2.Model.Filter]@{ Name = $Name; Values = [Collections.Generic.List[string]]$Values })
}

function Remove-TestDefaultVpc {
    <#
    .SYNOPSIS
    Makes the emulated account one without a default VPC, as Control Tower and many organisations make
    them: deletes the default VPC after what AWS requires to be gone first (its internet gateways,
    subnets, security groups other than the default, route tables other than the main). Returns the
    deleted VPC's id, nothing if there was none. moto itself would delete the VPC with all of these in
    place, and would still create security groups without a VpcId afterwards; the runner's API proxy
    answers that as EC2 does (VPCIdNotSpecified, "No default VPC for this user").
    #>
    $vpc = @((Invoke-TestEc2 DescribeVpcs ([Amazon.EC2.Model.DescribeVpcsRequest]@{ Filters = New-TestFilter 'is-default' 'true' })).Vpcs | Where-Object { $_ })
    if ($vpc.Count -eq 0) { return }
    $vpcId = $vpc[0].VpcId
    $inVpc = New-TestFilter 'vpc-id' $vpcId
    foreach ($gateway in @((Invoke-TestEc2 DescribeInternetGateways ([Amazon.EC2.Model.DescribeInternetGatewaysRequest]@{ Filters = New-TestFilter 'attachment.vpc-id' $vpcId })).InternetGateways | Where-Object { $_ })) {
        Invoke-TestEc2 DetachInternetGateway ([Amazon.EC2.Model.DetachInternetGatewayRequest]@{ InternetGatewayId = $gateway.InternetGatewayId; VpcId = $vpcId }) | Out-Null
        Invoke-TestEc2 DeleteInternetGateway ([Amazon.EC2.Model.DeleteInternetGatewayRequest]@{ InternetGatewayId = $gateway.InternetGatewayId }) | Out-Null
    }
    foreach ($subnet in @((Invoke-TestEc2 DescribeSubnets ([Amazon.EC2.Model.DescribeSubnetsRequest]@{ Filters = $inVpc })).Subnets | Where-Object { $_ })) {
        Invoke-TestEc2 DeleteSubnet ([Amazon.EC2.Model.DeleteSubnetRequest]@{ SubnetId = $subnet.SubnetId }) | Out-Null
    }
    foreach ($group in @((Invoke-TestEc2 DescribeSecurityGroups ([Amazon.EC2.Model.DescribeSecurityGroupsRequest]@{ Filters = $inVpc })).SecurityGroups | Where-Object { $_ -and $_.GroupName -ne 'default' })) {
        Invoke-TestEc2 DeleteSecurityGroup ([Amazon.EC2.Model.DeleteSecurityGroupRequest]@{ GroupId = $group.GroupId }) | Out-Null
    }
    foreach ($table in @((Invoke-TestEc2 DescribeRouteTables ([Amazon.EC2.Model.DescribeRouteTablesRequest]@{ Filters = $inVpc })).RouteTables | Where-Object { $_ })) {
        if (@($table.Associations | Where-Object { $_ -and $_.Main }).Count -eq 0) {
            Invoke-TestEc2 DeleteRouteTable ([Amazon.EC2.Model.DeleteRouteTableRequest]@{ RouteTableId = $table.RouteTableId }) | Out-Null
        }
    }
    Invoke-TestEc2 DeleteVpc ([Amazon.EC2.Model.DeleteVpcRequest]@{ VpcId = $vpcId }) | Out-Null
    $vpcId
}

function Get-TestDefaultSubnet {
    <# .SYNOPSIS The default VPC's default subnets (one per zone), by zone. #>
    $request = [Amazon.EC2.Model.DescribeSubnetsRequest]@{ Filters = New-TestFilter 'default-for-az' 'true' }
    @((Invoke-TestEc2 DescribeSubnets $request).Subnets | Where-Object { $_ } | Sort-Object AvailabilityZone)
}

# A /24 of the VPC's range that no subnet holds yet: the emulator refuses overlapping ones (as EC2 does).
function New-TestSubnetIn([string]$VpcId, [bool]$MapPublicIp) {
    $vpc = (Invoke-TestEc2 DescribeVpcs ([Amazon.EC2.Model.DescribeVpcsRequest]@{ VpcIds = [Collections.Generic.List[string]]@($VpcId) })).Vpcs[0]
    $prefix = ($vpc.CidrBlock -split '\.')[0..1] -join '.'
    for ($third = 200; $third -lt 256; $third++) {
        try {
            $subnet = (Invoke-TestEc2 CreateSubnet ([Amazon.EC2.Model.CreateSubnetRequest]@{ VpcId = $VpcId; CidrBlock = "$prefix.$third.0/24" })).Subnet
            break
        }
        catch { if ("$_" -notmatch 'conflict') { throw } }
    }
    if (-not $subnet) { throw "No free /24 left in $VpcId ($($vpc.CidrBlock))." }
    # moto maps public IPs in every new subnet; EC2 does so only in default subnets.
    Invoke-TestEc2 ModifySubnetAttribute ([Amazon.EC2.Model.ModifySubnetAttributeRequest]@{ SubnetId = $subnet.SubnetId; MapPublicIpOnLaunch = $MapPublicIp }) | Out-Null
    $subnet.MapPublicIpOnLaunch = $MapPublicIp
    $subnet
}

function New-TestRouteTable([string]$VpcId, [string]$SubnetId) {
    $table = (Invoke-TestEc2 CreateRouteTable ([Amazon.EC2.Model.CreateRouteTableRequest]@{ VpcId = $VpcId })).RouteTable
    Invoke-TestEc2 AssociateRouteTable ([Amazon.EC2.Model.AssociateRouteTableRequest]@{ RouteTableId = $table.RouteTableId; SubnetId = $SubnetId }) | Out-Null
    $table.RouteTableId
}

function Get-TestInternetGateway([string]$VpcId) {
    $attached = @((Invoke-TestEc2 DescribeInternetGateways ([Amazon.EC2.Model.DescribeInternetGatewaysRequest]@{ Filters = New-TestFilter 'attachment.vpc-id' $VpcId })).InternetGateways | Where-Object { $_ })
    if ($attached.Count -gt 0) { return $attached[0].InternetGatewayId }
    $id = (Invoke-TestEc2 CreateInternetGateway ([Amazon.EC2.Model.CreateInternetGatewayRequest]::new())).InternetGateway.InternetGatewayId
    Invoke-TestEc2 AttachInternetGateway ([Amazon.EC2.Model.AttachInternetGatewayRequest]@{ InternetGatewayId = $id; VpcId = $VpcId }) | Out-Null
    $id
}

function Add-TestDefaultRoute([string]$RouteTableId, [hashtable]$Target) {
    $request = [Amazon.EC2.Model.CreateRouteRequest]@{ RouteTableId = $RouteTableId; DestinationCidrBlock = '0.0.0.0/0' }
    foreach ($key in $Target.Keys) { $request.$key = $Target[$key] }
    Invoke-TestEc2 CreateRoute $request | Out-Null
}

function New-TestSubnet {
    <#
    .SYNOPSIS
    A subnet with its own route table, shaped as a real account's might be: its way out is an internet
    gateway (public IPs still need -MapPublicIpOnLaunch or AssociatePublicIpAddress at launch), a NAT
    gateway (which sits, as on AWS, in a public subnet of its own beside it), an S3 gateway endpoint,
    or nothing. In a new VPC (10.0.0.0/16) unless -VpcId names one.
    Returns SubnetId, VpcId, RouteTableId, Route, MapPublicIpOnLaunch, AvailabilityZone and the SDK's Subnet.
    #>
    param(
        [Parameter(Mandatory)] [ValidateSet('InternetGateway', 'NatGateway', 'S3Endpoint', 'None')] [string]$Route,
        [switch]$MapPublicIpOnLaunch,
        [string]$VpcId
    )
    if (-not $VpcId) {
        $VpcId = (Invoke-TestEc2 CreateVpc ([Amazon.EC2.Model.CreateVpcRequest]@{ CidrBlock = '10.0.0.0/16' })).Vpc.VpcId
    }
    $subnet = New-TestSubnetIn $VpcId $MapPublicIpOnLaunch.IsPresent
    $table = New-TestRouteTable $VpcId $subnet.SubnetId
    switch ($Route) {
        'InternetGateway' { Add-TestDefaultRoute $table @{ GatewayId = Get-TestInternetGateway $VpcId } }
        'NatGateway' {
            $public = New-TestSubnetIn $VpcId $true
            Add-TestDefaultRoute (New-TestRouteTable $VpcId $public.SubnetId) @{ GatewayId = Get-TestInternetGateway $VpcId }
            $address = Invoke-TestEc2 AllocateAddress ([Amazon.EC2.Model.AllocateAddressRequest]@{ Domain = [Amazon.EC2.DomainType]::Vpc })
            $nat = (Invoke-TestEc2 CreateNatGateway ([Amazon.EC2.Model.CreateNatGatewayRequest]@{ SubnetId = $public.SubnetId; AllocationId = $address.AllocationId })).NatGateway
            Add-TestDefaultRoute $table @{ NatGatewayId = $nat.NatGatewayId }
        }
        'S3Endpoint' {
            Invoke-TestEc2 CreateVpcEndpoint ([Amazon.EC2.Model.CreateVpcEndpointRequest]@{
                VpcId = $VpcId; ServiceName = "com.amazonaws.$($env:AWS_REGION).s3"; VpcEndpointType = [Amazon.EC2.VpcEndpointType]::Gateway
                RouteTableIds = [Collections.Generic.List[string]]@($table)
            }) | Out-Null
        }
    }
    [pscustomobject]@{
        PSTypeName = 'CndTestSubnet'; SubnetId = $subnet.SubnetId; VpcId = $VpcId; RouteTableId = $table; Route = $Route
        MapPublicIpOnLaunch = $MapPublicIpOnLaunch.IsPresent; AvailabilityZone = $subnet.AvailabilityZone; Subnet = $subnet
    }
}

Export-ModuleMember -Function Start-CndEc2TestEnvironment, Stop-CndEc2TestEnvironment, Get-TestInstance, Get-TestInstanceState,
    Test-AllEnded, Get-TestInstanceAttribute, Get-TestSecurityGroup, Get-TestImage, Get-TestModuleSecurityGroup, New-TestLeftoverGroup, New-TestKeyPair, Get-TestKeyPairName, Get-TestBucketName,
    Get-TestObjectKey, Write-TestObject,
    Remove-TestDefaultVpc, Get-TestDefaultSubnet, New-TestSubnet, New-TestAwsClient
