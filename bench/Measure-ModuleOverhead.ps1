<#
.SYNOPSIS
    Measures what the PowerShell module costs on top of the native scanner: the module's import
    time, and Start-CndSearch against cnd-scan in nonces/s at D = 24 and over a whole sweep.

.DESCRIPTION
    Both ways run the same scan: the same block, kernel auto, the same thread count, and (thanks to
    the lowest-nonce rule) the same answer. "Wall" rates divide the nonces hashed by the time the
    caller waited, so they include everything: process start for cnd-scan; planning, progress and
    result objects for Start-CndSearch. "Scan" rates are what each reports for its hashing alone.

    The sweep searches at D = 256, where nothing is golden, over the full 2^32 range (about 2 to 3
    minutes per way on 2 cores) or, with -Quick, over 2^28 nonces. The machine must be otherwise
    idle for the figures to mean anything; repeat a run when a figure matters.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-ModuleOverhead.ps1 -Quick
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../CloudNonce.psd1'),
    [string] $Scanner,
    [int] $Threads = [Environment]::ProcessorCount,
    [ValidateRange(1, 20)] [int] $Repeat = 3,
    # Also return the measurements as objects (the table and summary go to the host either way).
    [switch] $PassThru
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = Split-Path (Resolve-Path $ModuleManifest)
if (-not $Scanner) {
    $Scanner = @("$root/bin/workers/linux-x64/cnd-scan", "$root/build/native/cnd-scan") | Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $Scanner) { throw "cnd-scan was found neither in $root/bin/workers/linux-x64 nor in $root/build/native: build the native core first." }
}
$blockText = 'COMSM0010cloud'
$blockHex = [Convert]::ToHexStringLower([Text.Encoding]::UTF8.GetBytes($blockText))
$sweepEnd = if ($Quick) { (1L -shl 28) - 1 } else { [uint32]::MaxValue }
$sweepName = if ($Quick) { 'sweep of 2^28' } else { 'sweep of 2^32' }

function Get-Median([double[]] $values) {
    $sorted = @($values | Sort-Object)
    return $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}

function Measure-Import {
    $probe = "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModuleManifest'; `$i = `$c.Elapsed.TotalMilliseconds; " +
             "`$c.Restart(); `$null = Get-CndHash -Nonce 0; `$f = `$c.Elapsed.TotalMilliseconds; '{0} {1}' -f `$i, `$f"
    $exe = [Environment]::ProcessPath
    $pwshArgs = @('-NoProfile', '-NonInteractive', '-Command', $probe)
    if ((Split-Path $exe -LeafBase) -eq 'dotnet') { $pwshArgs = @(Join-Path $PSHOME 'pwsh.dll') + $pwshArgs }
    $runs = foreach ($i in 1..$Repeat) {
        $import, $first = (& $exe @pwshArgs | Select-Object -Last 1) -split ' '
        [pscustomobject]@{ Import = [double]$import; First = [double]$first }
    }
    [pscustomobject]@{
        Measure = 'Import-Module (fresh pwsh)'; Way = 'module'; Seconds = (Get-Median $runs.Import) / 1000
        Hashes = $null; WallRate = $null; ScanRate = $null
        Note = 'median of {0}; first cmdlet call after import: {1:N0} ms' -f $Repeat, (Get-Median $runs.First)
    }
}

function Invoke-Native([string] $measure, [string[]] $scanArgs) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $line = & $Scanner --block-hex $blockHex --threads $Threads @scanArgs | Select-Object -Last 1
    $clock.Stop()
    if ($LASTEXITCODE -ne 0) { throw "cnd-scan exited $LASTEXITCODE" }
    $result = $line | ConvertFrom-Json
    [pscustomobject]@{
        Measure = $measure; Way = 'cnd-scan'; Seconds = $clock.Elapsed.TotalSeconds; Hashes = [uint64]$result.hashes
        WallRate = $result.hashes / $clock.Elapsed.TotalSeconds; ScanRate = [double]$result.rate
        Note = "$($result.status), nonce $($result.nonce), kernel $($result.kernel)"
    }
}

function Invoke-Module([string] $measure, [hashtable] $searchArgs) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $result = Start-CndSearch -Block $blockText -Threads $Threads -ProgressAction SilentlyContinue @searchArgs
    $clock.Stop()
    [pscustomobject]@{
        Measure = $measure; Way = 'Start-CndSearch'; Seconds = $clock.Elapsed.TotalSeconds; Hashes = $result.Hashes
        WallRate = $result.Hashes / $clock.Elapsed.TotalSeconds; ScanRate = $result.NoncesPerSecond
        Note = "$($result.StopReason), nonce $($result.Nonce), kernel $($result.Kernel)"
    }
}

# The median run of each way, so one disturbed run does not decide the comparison.
function Select-MedianRun($runs) {
    $median = Get-Median $runs.Seconds
    return $runs | Where-Object Seconds -EQ $median | Select-Object -First 1
}

$rows = [System.Collections.Generic.List[object]]::new()
# Each figure is printed as soon as it is measured: the full sweep takes minutes.
function Add-Row($row) {
    $rows.Add($row)
    $rates = if ($row.WallRate) { ', {0:N2} M nonces/s wall, {1:N2} M nonces/s scan, {2:N0} nonces' -f ($row.WallRate / 1e6), ($row.ScanRate / 1e6), $row.Hashes }
    Write-Host ('{0,-28} {1,-16} {2,9:N3} s{3} ({4})' -f $row.Measure, $row.Way, $row.Seconds, $rates, $row.Note)
}

Add-Row (Measure-Import)

Import-Module $ModuleManifest -Force
# The first search of a session measures one thread's rate for its plan (a fraction of a second):
# paid once per session, so it is kept out of the per-search comparison.
$null = Start-CndSearch -D 1 -Threads $Threads -ProgressAction SilentlyContinue

Add-Row (Select-MedianRun @(foreach ($i in 1..$Repeat) { Invoke-Native 'D = 24' @('--difficulty', '24') }))
Add-Row (Select-MedianRun @(foreach ($i in 1..$Repeat) { Invoke-Module 'D = 24' @{ Difficulty = 24 } }))
Add-Row (Invoke-Native $sweepName @('--difficulty', '256', '--end', "$sweepEnd"))
Add-Row (Invoke-Module $sweepName @{ Difficulty = 256; NonceEnd = [uint32]$sweepEnd; TimeLimit = 3600 })

foreach ($measure in 'D = 24', $sweepName) {
    $native = $rows | Where-Object { $_.Measure -eq $measure -and $_.Way -eq 'cnd-scan' }
    $module = $rows | Where-Object { $_.Measure -eq $measure -and $_.Way -eq 'Start-CndSearch' }
    Write-Host ('{0}: Start-CndSearch wall rate is {1:N1}% of cnd-scan''s ({2:N2} vs {3:N2} M nonces/s, {4} thread(s))' -f
        $measure, (100 * $module.WallRate / $native.WallRate), ($module.WallRate / 1e6), ($native.WallRate / 1e6), $Threads)
}
if ($PassThru) { $rows }
