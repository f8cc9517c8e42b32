# Drives the EC2 provider through the engine the module loads, for tests whose intervals and
# timeouts are fractions of a second that the cmdlets' parameters do not offer (Ec2Resilience,
# Ec2RealAccount). Call Initialize-TestEngine once the loopback AWS of CndEc2Test.psm1 runs.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:Root = (Resolve-Path "$PSScriptRoot/../..").Path
$script:Block = [Text.Encoding]::UTF8.GetBytes('COMSM0010cloud')
$script:Aws = $null
$script:Proxy = $null

function Initialize-TestEngine {
    <# .SYNOPSIS Loads the engine and aims the tests' searches at the API proxy of the loopback AWS's runner. #>
    param([Parameter(Mandatory)] [psobject]$Aws)
    $script:Aws = $Aws
    $script:Proxy = (Get-CndTestRunnerStatus -Runner $Aws.Runner).proxy.url
    # The module loads its engine on first use; these tests call the engine directly.
    Add-Type -Path "$script:Root/bin/CloudNonce.Engine.dll"
    # Loopback "instances" boot in about a second and share two cores: plan with figures like that,
    # so relaunch windows and odds fit searches of a few seconds.
    $script:LoopbackRate = [CloudNonce.Engine.Providers.Ec2.InstanceTypeRate]::new('c7i.large', 5e6, [TimeSpan]::FromSeconds(2), 'loopback')
    if (-not ('CndIndependentScan' -as [type])) {
        # Independent of the native core: .NET's SHA-256, over the range in two halves in parallel.
        Add-Type -TypeDefinition @'
using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
public static class CndIndependentScan
{
    public static uint[] Golden(byte[] block, uint start, uint end, int difficulty)
    {
        var found = new ConcurrentBag<uint>();
        var middle = start + (end - start) / 2;
        System.Threading.Tasks.Parallel.Invoke(() => Scan(block, start, middle, difficulty, found), () => Scan(block, middle + 1, end, difficulty, found));
        var result = found.ToArray();
        Array.Sort(result);
        return result;
    }

    private static void Scan(byte[] block, uint start, uint end, int difficulty, ConcurrentBag<uint> found)
    {
        var message = new byte[block.Length + 4];
        block.CopyTo(message, 0);
        Span<byte> first = stackalloc byte[32], digest = stackalloc byte[32];
        for (ulong n = start; n <= end; n++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(block.Length), (uint)n);
            SHA256.HashData(message, first);
            SHA256.HashData(first, digest);
            var zeros = 0;
            foreach (var b in digest) { if (b == 0) { zeros += 8; continue; } zeros += System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24; break; }
            if (zeros >= difficulty) found.Add((uint)n);
        }
    }
}
'@
    }
}

function Get-TestLoopbackRate { $script:LoopbackRate }

function Get-TestBlock { $script:Block }

function Get-TestModuleBucket { "cloudnonce-123456789012-$($script:Aws.Region)" }

function New-TestOptions([hashtable]$Set = @{}) {
    $values = @{
        Aws = [CloudNonce.Engine.Aws.AwsSettings]::new($null, $null, $script:Proxy); MeasuredRate = $script:LoopbackRate
        PollInterval = [TimeSpan]::FromSeconds(0.25); ProgressInterval = [TimeSpan]::FromSeconds(0.2)
        SilenceTimeout = [TimeSpan]::FromSeconds(2); BootTimeout = [TimeSpan]::FromSeconds(20)
        LaunchRetryInitial = [TimeSpan]::FromSeconds(1); LaunchRetryMaximum = [TimeSpan]::FromSeconds(2)
    }
    foreach ($key in $Set.Keys) { $values[$key] = $Set[$key] }
    [CloudNonce.Engine.Providers.Ec2.Ec2Options]$values
}

function Start-TestSearch {
    <# .SYNOPSIS Starts a search through the engine; the task's result is the CndSearchResult. #>
    param([CloudNonce.Engine.Providers.Ec2.Ec2Options]$Options, [int]$Difficulty, [uint32]$Start, [uint32]$End, [int]$Workers, [double]$TimeLimit)
    $request = [CloudNonce.Engine.Search.SearchRequest]@{
        Block = $script:Block; Difficulty = $Difficulty; NonceStart = $Start; NonceEnd = $End; Units = $Workers
        TimeLimit = [TimeSpan]::FromSeconds($TimeLimit)
    }
    $provider = [CloudNonce.Engine.Providers.Ec2.Ec2SearchProvider]::new($Options)
    $provider.RunAsync($request, $null, [Threading.CancellationToken]::None)
}

function Invoke-TestSearch {
    param([CloudNonce.Engine.Providers.Ec2.Ec2Options]$Options, [int]$Difficulty, [uint32]$Start, [uint32]$End, [int]$Workers, [double]$TimeLimit)
    (Start-TestSearch @PSBoundParameters).GetAwaiter().GetResult()
}

function Read-TestObject([string]$Key) {
    <# .SYNOPSIS A JSON object of the module bucket, read from the emulator directly. #>
    $s3 = [Amazon.S3.AmazonS3Client]::new([Amazon.Runtime.BasicAWSCredentials]::new('testing', 'testing'),
        [Amazon.S3.AmazonS3Config]@{ ServiceURL = $script:Aws.Moto.Endpoint; AuthenticationRegion = $script:Aws.Region; ForcePathStyle = $true })
    try {
        $response = $s3.GetObjectAsync((Get-TestModuleBucket), $Key).GetAwaiter().GetResult()
        try { [IO.StreamReader]::new($response.ResponseStream).ReadToEnd() | ConvertFrom-Json } finally { $response.Dispose() }
    }
    finally { $s3.Dispose() }
}

function Reset-TestLoopbackAws {
    <# .SYNOPSIS What each test starts from: an empty emulator and no faults planned in the runner. #>
    Reset-CndTestMoto -Moto $script:Aws.Moto
    Set-CndTestRunnerFault @{ launchFaults = @(); apiFaults = @() } -Runner $script:Aws.Runner | Out-Null
}

Export-ModuleMember -Function Initialize-TestEngine, Reset-TestLoopbackAws, Get-TestLoopbackRate, Get-TestBlock, Get-TestModuleBucket, New-TestOptions,
    Start-TestSearch, Invoke-TestSearch, Read-TestObject
