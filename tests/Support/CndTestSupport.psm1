# Test support for the EC2 path: the moto AWS emulator and the instance runner
# (tests/InstanceRunner), both on 127.0.0.1, and the environment a test needs to reach them.
#
# Every process started here is tracked and ended by Stop-CndTestProcess, by the module's removal
# and by an exit handler; moto runs under tethered.py and the runner watches this process, so they
# end even when the test run is killed outright.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:RunnerScript = (Resolve-Path (Join-Path $PSScriptRoot '../InstanceRunner/instance_runner.py')).Path
$script:TetherScript = Join-Path $PSScriptRoot 'tethered.py'
$script:InstallHint = "install them with: python3 -m pip install 'moto[server]' boto3"
$script:DefaultRegion = 'eu-west-2'
$script:Started = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
$script:Latest = @{ Moto = $null; Runner = $null }
$script:SavedEnvironment = $null
$script:TestRoot = Join-Path ([IO.Path]::GetTempPath()) "cnd-test-$PID"

# Logs of the last runs stay for debugging; those of runs whose process is gone are removed.
Get-ChildItem ([IO.Path]::GetTempPath()) -Directory -Filter 'cnd-test-*' -ErrorAction SilentlyContinue |
    Where-Object { $_.Name -match '^cnd-test-(\d+)$' -and -not (Test-Path "/proc/$($Matches[1])") } |
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue

function New-TestDirectory([string]$Name) {
    $path = Join-Path $script:TestRoot "$Name-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    (New-Item -ItemType Directory -Path $path -Force).FullName
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Get-LogTail([string]$Path) {
    if (Test-Path $Path) { (Get-Content $Path -Tail 15) -join "`n" } else { '(no log)' }
}

# The python3 that has moto's server and boto3, or a terminating error saying how to get them.
# Looked up without importing them (that alone costs seconds of CPU), once per interpreter.
$script:CheckedPython = @{}
function Resolve-TestPython([string]$Python) {
    if ($script:CheckedPython.ContainsKey($Python)) { return $script:CheckedPython[$Python] }
    $command = Get-Command $Python -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $command) {
        throw "The EC2 tests need python3 with moto and boto3, and '$Python' is not on PATH. Install python3, then $script:InstallHint."
    }
    $missing = & $command.Source -c @'
import importlib.util
print(" ".join(m for m in ("moto", "boto3", "flask", "flask_cors") if importlib.util.find_spec(m) is None))
'@ 2>&1
    if ($LASTEXITCODE -ne 0 -or "$missing".Trim()) {
        throw "The EC2 tests need moto's server and boto3 in $($command.Source), which lacks: $("$missing".Trim()); $script:InstallHint."
    }
    $script:CheckedPython[$Python] = $command.Source
    $command.Source
}

function Start-TrackedProcess([string]$FileName, [string[]]$Arguments, [hashtable]$Environment = @{}) {
    $info = [System.Diagnostics.ProcessStartInfo]::new($FileName)
    foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
    foreach ($name in $Environment.Keys) { $info.Environment[$name] = [string]$Environment[$name] }
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true  # never the console's: a child must not read the test run's input
    $process = [System.Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()
    $script:Started.Add($process)
    $process
}

# SIGTERM first, so the runner and tethered.py end what they started; SIGKILL to the tree if that fails.
function Stop-TrackedProcess([System.Diagnostics.Process]$Process) {
    if (-not $Process.HasExited) {
        $kill = Get-Command kill -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($kill) { & $kill.Source -TERM $Process.Id 2>$null }
        if (-not $Process.WaitForExit(10000)) { $Process.Kill($true); $Process.WaitForExit(5000) | Out-Null }
    }
    [void]$script:Started.Remove($Process)
}

function Wait-TestCondition {
    <#
    .SYNOPSIS
    Polls until the condition holds: $true, or $false after the timeout. With -Process (a program being
    started), throws instead, with the tail of its log, when it exits first or is not ready in time.
    #>
    param([Parameter(Mandatory, Position = 0)] [scriptblock]$Condition, [double]$TimeoutSeconds = 30,
          [int]$IntervalMilliseconds = 250, [System.Diagnostics.Process]$Process, [string]$What, [string]$LogPath)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ($Process -and $Process.HasExited) {
            throw "$What exited with code $($Process.ExitCode) before it was ready. Its log ($LogPath):`n$(Get-LogTail $LogPath)"
        }
        if ([DateTime]::UtcNow -ge $deadline) {
            if (-not $Process) { return [bool](& $Condition) }
            Stop-TrackedProcess $Process
            throw "$What was not ready after $TimeoutSeconds s. Its log ($LogPath):`n$(Get-LogTail $LogPath)"
        }
        Start-Sleep -Milliseconds $IntervalMilliseconds
    }
    $true
}

# moto's default VPC has no internet gateway; AWS's has one, with a 0.0.0.0/0 route to it in the main
# route table (VPC user guide, "Default VPCs"). Without them the harness's S3 reachability rule
# (tests/InstanceRunner/s3_route.py), and any product check of the route to S3, would find a default-VPC
# launch unable to reach S3. Speaks EC2's query API directly (moto ignores signatures and files the
# resources in the region of the credential scope), so that this module needs no AWS SDK.
function Initialize-TestDefaultVpc([psobject]$Moto) {
    $authorization = "AWS4-HMAC-SHA256 Credential=testing/20260101/$($Moto.Region)/ec2/aws4_request, SignedHeaders=host, Signature=0"
    # The first element of that name anywhere in the answer (EC2's XML has a namespace), or $null.
    $ec2 = {
        param([hashtable]$Parameters, [string]$Wanted)
        $answer = Invoke-RestMethod -Method Post $Moto.Endpoint -Headers @{ Authorization = $authorization } -TimeoutSec 10 `
            -Body (@{ Version = '2016-11-15' } + $Parameters)
        if ($Wanted) { $answer.SelectSingleNode("//*[local-name()='$Wanted']")?.InnerText }
    }
    $vpc = & $ec2 @{ Action = 'DescribeVpcs'; 'Filter.1.Name' = 'is-default'; 'Filter.1.Value.1' = 'true' } 'vpcId'
    if (-not $vpc) { return }
    if (& $ec2 @{ Action = 'DescribeInternetGateways'; 'Filter.1.Name' = 'attachment.vpc-id'; 'Filter.1.Value.1' = $vpc } 'internetGatewayId') { return }
    $table = & $ec2 @{ Action = 'DescribeRouteTables'; 'Filter.1.Name' = 'vpc-id'; 'Filter.1.Value.1' = $vpc
        'Filter.2.Name' = 'association.main'; 'Filter.2.Value.1' = 'true' } 'routeTableId'
    $gateway = & $ec2 @{ Action = 'CreateInternetGateway' } 'internetGatewayId'
    & $ec2 @{ Action = 'AttachInternetGateway'; InternetGatewayId = $gateway; VpcId = $vpc }
    & $ec2 @{ Action = 'CreateRoute'; RouteTableId = $table; DestinationCidrBlock = '0.0.0.0/0'; GatewayId = $gateway }
}

function Start-CndTestMoto {
    <#
    .SYNOPSIS
    Starts the moto AWS emulator on a free 127.0.0.1 port and waits until it answers.
    Throws, saying how to install them, when python3, moto or boto3 is missing: never a silent skip.
    .PARAMETER Environment
    Variables for moto's process, e.g. @{ INITIAL_NO_AUTH_ACTION_COUNT = 6 } to have it enforce IAM.
    #>
    [CmdletBinding()]
    param([string]$Python = 'python3', [int]$TimeoutSeconds = 30, [hashtable]$Environment = @{})
    $pythonPath = Resolve-TestPython $Python
    $directory = New-TestDirectory 'moto'
    $log = Join-Path $directory 'moto.log'
    # The port is free when chosen but could be taken before moto binds it: then try another.
    for ($attempt = 1; ; $attempt++) {
        $port = Get-FreeLoopbackPort
        $endpoint = "http://127.0.0.1:$port"
        $process = Start-TrackedProcess $pythonPath @($script:TetherScript, '--log', $log, '--',
            $pythonPath, '-m', 'moto.server', '-H', '127.0.0.1', '-p', "$port") $Environment
        try {
            Wait-TestCondition -Process $process -TimeoutSeconds $TimeoutSeconds -IntervalMilliseconds 100 -What "moto on port $port" -LogPath $log {
                try { Invoke-RestMethod -Method Post "$endpoint/moto-api/reset" -TimeoutSec 2 | Out-Null; $true }
                catch { $false }
            } | Out-Null
            break
        }
        catch {
            Stop-TrackedProcess $process
            if ($attempt -ge 3) { throw }
        }
    }
    $script:Latest.Moto = [pscustomobject]@{
        PSTypeName = 'CndTestMoto'; Endpoint = $endpoint; Port = $port; Region = $script:DefaultRegion
        Process = $process; LogPath = $log
    }
    Initialize-TestDefaultVpc $script:Latest.Moto
    $script:Latest.Moto
}

function Reset-CndTestMoto {
    <# .SYNOPSIS Clears every resource in the emulator (POST /moto-api/reset); the default VPC is then shaped as AWS's. #>
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] [psobject]$Moto = $script:Latest.Moto)
    process {
        Invoke-RestMethod -Method Post "$($Moto.Endpoint)/moto-api/reset" -TimeoutSec 10 | Out-Null
        Initialize-TestDefaultVpc $Moto
    }
}

function Stop-CndTestMoto {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] [psobject]$Moto = $script:Latest.Moto)
    process { Stop-Started 'Moto' $Moto }
}

function Start-CndTestRunner {
    <#
    .SYNOPSIS
    Starts the instance runner against a moto started by Start-CndTestMoto: from then on, every new
    instance's user-data runs as a sandboxed local process (see tests/InstanceRunner/README.md).
    .PARAMETER FaultPlan
    A fault plan (tests/InstanceRunner/faults.py) to start with; Set-CndTestRunnerFault replaces it later.
    .PARAMETER Credential
    AWS keys for the runner's own calls (@{ AccessKeyId; SecretAccessKey }), needed when moto enforces
    IAM; without them the runner signs with keys that only an unchecking moto accepts.
    #>
    [CmdletBinding()]
    param(
        [psobject]$Moto = $script:Latest.Moto,
        [string]$Region = $script:DefaultRegion,
        [hashtable]$FaultPlan,
        [psobject]$Credential,
        [string]$Python = 'python3',
        [int]$TimeoutSeconds = 60
    )
    if (-not $Moto) { throw 'Start-CndTestRunner needs a moto: call Start-CndTestMoto first.' }
    $pythonPath = Resolve-TestPython $Python
    $directory = New-TestDirectory 'runner'
    $ready = Join-Path $directory 'ready.json'
    $log = Join-Path $directory 'runner.log'
    $arguments = @($script:RunnerScript, '--endpoint', $Moto.Endpoint, '--region', $Region,
        '--work-dir', (Join-Path $directory 'instances'), '--ready-file', $ready, '--log', $log,
        '--watch-pid', "$PID")
    if ($FaultPlan) {
        $faults = Join-Path $directory 'faults.json'
        $FaultPlan | ConvertTo-Json -Depth 5 | Set-Content $faults
        $arguments += '--faults', $faults
    }
    $environment = if ($Credential) {
        @{ AWS_ACCESS_KEY_ID = $Credential.AccessKeyId; AWS_SECRET_ACCESS_KEY = $Credential.SecretAccessKey }
    } else { @{} }
    $process = Start-TrackedProcess $pythonPath $arguments $environment
    Wait-TestCondition -Process $process -TimeoutSeconds $TimeoutSeconds -IntervalMilliseconds 100 -What 'the instance runner' -LogPath $log {
        Test-Path $ready
    } | Out-Null
    $info = Get-Content $ready -Raw | ConvertFrom-Json
    $script:Latest.Runner = [pscustomobject]@{
        PSTypeName = 'CndTestRunner'; Url = $info.url; Sandbox = @($info.sandbox); WorkDir = $info.workDir
        Process = $process; LogPath = $log
    }
    $script:Latest.Runner
}

function Get-CndTestRunnerStatus {
    <# .SYNOPSIS The runner's view: sandbox, fault plan, and each instance's status, processes and console log. #>
    [CmdletBinding()]
    param([psobject]$Runner = $script:Latest.Runner)
    Invoke-RestMethod "$($Runner.Url)/_runner/status" -TimeoutSec 10
}

function Set-CndTestRunnerFault {
    <#
    .SYNOPSIS
    Replaces the runner's fault plan, e.g. @{ launchFaults = @(@{ launchIndex = 1; action = 'terminate' }) }.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [hashtable]$FaultPlan, [psobject]$Runner = $script:Latest.Runner)
    Invoke-RestMethod -Method Put "$($Runner.Url)/_runner/faults" -ContentType 'application/json' `
        -Body ($FaultPlan | ConvertTo-Json -Depth 5) -TimeoutSec 10
}

function Set-CndTestStrictAws {
    <#
    .SYNOPSIS
    Makes the runner's API proxy and the runner as strict as AWS in every way the fault plan's "aws" key
    offers (tests/InstanceRunner/README.md), with delays small enough for a test, for a search that must
    survive all of them at once. Other faults (launchFaults, apiFaults) and -Aws values are merged in.
    .EXAMPLE
    Set-CndTestStrictAws -FaultPlan @{ apiFaults = @(@{ on = 'progress'; slot = 0; action = 'kill' }) } -Aws @{ vcpuQuota = 8 }
    #>
    [CmdletBinding()]
    param([hashtable]$FaultPlan = @{}, [hashtable]$Aws = @{}, [psobject]$Runner = $script:Latest.Runner)
    $strict = @{
        consistencySeconds = 2; terminatedExpirySeconds = 3; securityGroupDependency = $true; shuttingDownSeconds = 1
        consoleOutput = $true; s3Reachability = $true; zoneOfferings = $true; vcpuQuota = 32; foreignBuckets = @(); expiredTokens = @{}
    }
    if ($FaultPlan.ContainsKey('aws')) { foreach ($key in $FaultPlan.aws.Keys) { $strict[$key] = $FaultPlan.aws[$key] } }
    foreach ($key in $Aws.Keys) { $strict[$key] = $Aws[$key] }
    $plan = @{} + $FaultPlan
    $plan.aws = $strict
    Set-CndTestRunnerFault -FaultPlan $plan -Runner $Runner
}

function Stop-CndTestRunner {
    <# .SYNOPSIS Stops the runner; every process of its simulated instances ends with it. #>
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] [psobject]$Runner = $script:Latest.Runner)
    process { Stop-Started 'Runner' $Runner }
}

# Stops a moto or runner this module started; the latest of its kind is forgotten with it.
function Stop-Started([ValidateSet('Moto', 'Runner')] [string]$Kind, [psobject]$Started) {
    if ($Started) { Stop-TrackedProcess $Started.Process }
    if ($Started -eq $script:Latest[$Kind]) { $script:Latest[$Kind] = $null }
}

function Stop-CndTestProcess {
    <# .SYNOPSIS Stops every process this module started, newest first (a runner before its moto). #>
    [CmdletBinding()]
    param()
    $processes = $script:Started.ToArray()
    [array]::Reverse($processes)
    foreach ($process in $processes) { Stop-TrackedProcess $process }
    $script:Latest.Moto = $null
    $script:Latest.Runner = $null
}

# Through the env: drive, because a $null passed to a .NET string parameter arrives as "", which
# the AWS SDKs read as a profile named "".
function Set-EnvironmentValue([string]$Name, $Value) {
    if ($null -eq $Value) { Remove-Item "env:$Name" -ErrorAction SilentlyContinue }
    else { Set-Item "env:$Name" $Value }
}

function Set-CndTestAwsEnvironment {
    <#
    .SYNOPSIS
    Points the AWS SDKs of this process and its children at the emulator, with fake credentials, and
    away from anything else: no profile, no shared config, no instance metadata service.
    Restore-CndTestAwsEnvironment puts the previous values back.
    #>
    [CmdletBinding()]
    param([psobject]$Moto = $script:Latest.Moto, [string]$Region = $script:DefaultRegion)
    if (-not $Moto) { throw 'Set-CndTestAwsEnvironment needs a moto: call Start-CndTestMoto first.' }
    $isolated = Join-Path $script:TestRoot 'no-aws-config'
    $values = [ordered]@{
        AWS_ENDPOINT_URL = $Moto.Endpoint; AWS_REGION = $Region; AWS_DEFAULT_REGION = $Region
        AWS_ACCESS_KEY_ID = 'testing'; AWS_SECRET_ACCESS_KEY = 'testing'; AWS_SESSION_TOKEN = $null
        AWS_PROFILE = $null; AWS_DEFAULT_PROFILE = $null
        AWS_ENDPOINT_URL_EC2 = $null; AWS_ENDPOINT_URL_S3 = $null; AWS_ENDPOINT_URL_SSM = $null
        AWS_ENDPOINT_URL_STS = $null; AWS_EC2_METADATA_DISABLED = 'true'
        AWS_CONFIG_FILE = "$isolated/config"; AWS_SHARED_CREDENTIALS_FILE = "$isolated/credentials"
    }
    if ($null -eq $script:SavedEnvironment) {
        $script:SavedEnvironment = @{}
        foreach ($name in $values.Keys) {
            $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
        }
    }
    foreach ($name in $values.Keys) { Set-EnvironmentValue $name $values[$name] }
}

function Restore-CndTestAwsEnvironment {
    [CmdletBinding()]
    param()
    if ($null -eq $script:SavedEnvironment) { return }
    foreach ($name in $script:SavedEnvironment.Keys) { Set-EnvironmentValue $name $script:SavedEnvironment[$name] }
    $script:SavedEnvironment = $null
}

# The exit handler runs outside this module's scope: it gets the process list as message data.
$script:ExitHandler = Register-EngineEvent -SourceIdentifier PowerShell.Exiting -MessageData $script:Started -Action {
    foreach ($process in @($Event.MessageData)) {
        if (-not $process.HasExited) { $process.Kill($true) }
    }
}
$ExecutionContext.SessionState.Module.OnRemove = {
    Stop-CndTestProcess
    Get-EventSubscriber | Where-Object Action -eq $script:ExitHandler | Unregister-Event
    $script:ExitHandler | Remove-Job -Force
}

Export-ModuleMember -Function Start-CndTestMoto, Reset-CndTestMoto, Stop-CndTestMoto, Start-CndTestRunner,
    Get-CndTestRunnerStatus, Set-CndTestRunnerFault, Set-CndTestStrictAws, Stop-CndTestRunner, Stop-CndTestProcess,
    Set-CndTestAwsEnvironment, Restore-CndTestAwsEnvironment, Wait-TestCondition
