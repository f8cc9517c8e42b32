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
    foreach ($file in 'bin/CloudNonce.dll', 'bin/cnd-scan') {
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
        Where-Object { $_.Tags -and $_.Tags.Key -contains 'cnd:created-by' })
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

function Wait-TestCondition {
    <# .SYNOPSIS Polls until the condition holds; $false after the timeout. #>
    param([Parameter(Mandatory)] [scriptblock]$Condition, [double]$TimeoutSeconds = 30, [int]$IntervalMilliseconds = 250)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds $IntervalMilliseconds
    }
    [bool](& $Condition)
}

function Start-TestPwsh {
    <# .SYNOPSIS A fresh pwsh process (it inherits the AWS environment) running a command with the module imported. #>
    param([Parameter(Mandatory)] [string]$Command, [Parameter(Mandatory)] [string]$LogPath)
    $host_ = [Environment]::ProcessPath
    $info = [Diagnostics.ProcessStartInfo]::new($host_)
    # Run as a dotnet tool, this process is 'dotnet pwsh.dll'; installed, it is pwsh itself.
    if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$script:Root/CloudNonce.psd1'; $Command *> '$LogPath'") {
        $info.ArgumentList.Add($argument)
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()
    $process
}

Export-ModuleMember -Function Start-CndEc2TestEnvironment, Stop-CndEc2TestEnvironment, Get-TestInstance, Get-TestInstanceState,
    Test-AllEnded, Get-TestInstanceAttribute, Get-TestSecurityGroup, Get-TestImage, Get-TestModuleSecurityGroup, New-TestKeyPair, Get-TestKeyPairName, Get-TestBucketName,
    Get-TestObjectKey, Write-TestObject, Wait-TestCondition, Start-TestPwsh
