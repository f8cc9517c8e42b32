# Dot-sourced by the CloudNonce Pester suites: an independent golden-nonce check with .NET's SHA-256,
# and a way to run a script in a fresh pwsh process, where module loading really happens. (Polling,
# Wait-TestCondition, is in tests/Support/CndTestSupport.psm1, with the other processes tests start.)

$script:ModuleManifest = Join-Path $PSScriptRoot '../../CloudNonce.psd1'

function Get-ReferenceDigest([byte[]] $Block, [uint32] $Nonce) {
    $nonceBytes = [BitConverter]::GetBytes($Nonce)
    if ([BitConverter]::IsLittleEndian) { [array]::Reverse($nonceBytes) }
    $sha = [System.Security.Cryptography.SHA256]
    return $sha::HashData($sha::HashData([byte[]]($Block + $nonceBytes)))
}

function Get-ReferenceZeroBits([byte[]] $Digest) {
    $bits = 0
    foreach ($b in $Digest) {
        if ($b -eq 0) { $bits += 8; continue }
        for ($mask = 0x80; ($b -band $mask) -eq 0; $mask = $mask -shr 1) { $bits++ }
        break
    }
    return $bits
}

function Get-LowestGoldenNonce([byte[]] $Block, [int] $Difficulty, [uint32] $Start) {
    for ([uint64] $n = $Start; $n -le [uint32]::MaxValue; $n++) {
        if ((Get-ReferenceZeroBits (Get-ReferenceDigest $Block ([uint32] $n))) -ge $Difficulty) { return [uint32] $n }
    }
}

# Threads of this process that belong to local searches. The Local provider names its scan thread
# "cnd-local <search id>"; Linux shows the first 15 characters as the thread's comm, and the native
# hashing threads it starts inherit that name, so every thread of a search is counted.
# With -Settle, waits up to a second for the count to reach zero: a search's result is published
# just before its scan thread returns.
function Get-SearchThreadCount([switch] $Settle) {
    $deadline = [datetime]::UtcNow.AddSeconds($Settle ? 1 : 0)
    do {
        $count = @(Get-ChildItem /proc/self/task | Where-Object { (Get-Content "$($_.FullName)/comm" -ErrorAction Ignore) -like 'cnd-local*' }).Count
        if ($count -eq 0 -or [datetime]::UtcNow -ge $deadline) { return $count }
        Start-Sleep -Milliseconds 10
    } while ($true)
}

# Runs a script in a new pwsh (the same PowerShell as this one; it inherits this environment, the AWS
# settings among them) and returns its merged output lines. With -LogPath it does not wait: the
# script's output goes to that file and the running process is returned (e.g. a controller to kill).
function Invoke-FreshPwsh([string] $Script, [string] $WorkingDirectory = $PWD, [string] $LogPath) {
    $exe = [Environment]::ProcessPath
    # Run as a dotnet tool, this process is 'dotnet pwsh.dll'; installed, it is pwsh itself.
    $pwshArgs = @(if ((Split-Path $exe -LeafBase) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' }) +
        @('-NoProfile', '-NonInteractive', '-Command', ($LogPath ? "& { $Script } *> '$LogPath'" : $Script))
    $env:NO_COLOR = '1'
    if ($LogPath) {
        $info = [Diagnostics.ProcessStartInfo]::new($exe)
        foreach ($argument in $pwshArgs) { $info.ArgumentList.Add($argument) }
        $info.WorkingDirectory = $WorkingDirectory
        $info.UseShellExecute = $false
        $info.RedirectStandardInput = $true  # never the console's: the child must not read the test run's input
        $process = [Diagnostics.Process]::Start($info)
        $process.StandardInput.Close()
        return $process
    }
    Push-Location $WorkingDirectory
    try {
        return & $exe @pwshArgs 2>&1 | ForEach-Object ToString
    }
    finally {
        Pop-Location
    }
}

# How PowerShell and the cmdlet take a command line: 'runs', or the error id (without the command
# name) that stopped it. Runs in a runspace without a host UI, so a missing mandatory parameter is an
# error rather than a prompt; AWS calls can only reach the closed port 127.0.0.1:9.
function Get-BindingOutcome([string] $CommandLine) {
    if (-not $script:bindingRunspace) {
        $script:bindingRunspace = [runspacefactory]::CreateRunspace()
        $script:bindingRunspace.Open()
        $setup = [powershell]::Create()
        $setup.Runspace = $script:bindingRunspace
        $null = $setup.AddScript("`$env:AWS_ENDPOINT_URL = 'http://127.0.0.1:9'; `$env:AWS_REGION = 'us-east-1'; Import-Module '$ModuleManifest'").Invoke()
        $setup.Dispose()
    }
    $ps = [powershell]::Create()
    $ps.Runspace = $script:bindingRunspace
    try {
        $null = $ps.AddScript("`$ErrorActionPreference = 'Stop'; $CommandLine").Invoke()
        return 'runs'
    }
    catch {
        $record = $_.Exception.InnerException.ErrorRecord
        return ($record.FullyQualifiedErrorId -split ',')[0]
    }
    finally {
        $ps.Dispose()
    }
}

# The parameters of a command marked [ProviderOnly], by name: the provider each needs.
function Get-ProviderOnlyParameters([string] $Command) {
    $only = @{}
    foreach ($parameter in (Get-Command $Command).Parameters.Values) {
        $marker = $parameter.Attributes | Where-Object { $_.GetType().Name -eq 'ProviderOnlyAttribute' }
        if ($marker) { $only[$parameter.Name] = "$($marker.Provider)" }
    }
    return $only
}

# Asserts that tab completion at the end of $Line offers each parameter of $Offers and none of $Lacks.
function Assert-ParameterCompletion([string] $Line, [string[]] $Offers, [string[]] $Lacks) {
    $offered = (TabExpansion2 $Line $Line.Length).CompletionMatches.CompletionText
    foreach ($name in $Offers) { $offered | Should -Contain "-$name" -Because "'$Line' should offer -$name" }
    foreach ($name in $Lacks) { $offered | Should -Not -Contain "-$name" -Because "'$Line' should not offer -$name" }
}

# Runs $Command, which must stop with a terminating error of this id, category and message (a -like pattern).
function Assert-CndError([scriptblock] $Command, [string] $Id, [string] $Category, [string] $Message) {
    $err = $Command | Should -Throw -PassThru
    $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
    $err.CategoryInfo.Category | Should -Be $Category
    $err.Exception.Message | Should -BeLike $Message
}
