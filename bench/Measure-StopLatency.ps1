<#
.SYNOPSIS
    Measures how promptly a local search stops: past its time limit, after Ctrl+C (PowerShell.Stop)
    and after Stop-Job. The tests only check that the right event ends a search; these are the figures.

.DESCRIPTION
    Each case runs -Repeat times at D = 256 (nothing is golden, so only the stop can end it) and
    prints the median and the worst latency in milliseconds. The machine must be otherwise idle for
    the figures to mean anything.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-StopLatency.ps1 -Repeat 5
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../CloudNonce.psd1'),
    [ValidateRange(1, 50)] [int] $Repeat = 5
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Resolve-Path $ModuleManifest).Path

function Measure-Stop([scriptblock] $Once) {
    $samples = @(1..$Repeat | ForEach-Object { & $Once })
    $sorted = @($samples | Sort-Object)
    [pscustomobject]@{ MedianMs = [math]::Round($sorted[[int][math]::Floor(($sorted.Count - 1) / 2)], 1); WorstMs = [math]::Round($sorted[-1], 1) }
}

function Wait-Running([System.Management.Automation.PowerShell] $Shell) {
    # The search is hashing once it has reported progress.
    $deadline = [datetime]::UtcNow.AddSeconds(20)
    while ($Shell.Streams.Progress.Count -eq 0 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
}

$timeLimit = Measure-Stop {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $null = Start-CndSearch -D 256 -TimeLimit 1 -ProgressAction SilentlyContinue
    $clock.Elapsed.TotalMilliseconds - 1000
}

$ctrlC = Measure-Stop {
    $shell = [PowerShell]::Create()
    try {
        $null = $shell.AddScript("Import-Module '$((Resolve-Path $ModuleManifest).Path)'; Start-CndSearch -D 256 -TimeLimit 60")
        $null = $shell.BeginInvoke()
        Wait-Running $shell
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $shell.Stop()
        $clock.Elapsed.TotalMilliseconds
    }
    finally { $shell.Dispose() }
}

$stopJob = Measure-Stop {
    $job = Start-CndSearch -D 256 -TimeLimit 60 -AsJob
    try {
        Start-Sleep -Milliseconds 500
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Stop-Job $job
        $clock.Elapsed.TotalMilliseconds
    }
    finally { Remove-Job $job -Force }
}

@(
    [pscustomobject]@{ Case = 'past the time limit (-TimeLimit 1)'; MedianMs = $timeLimit.MedianMs; WorstMs = $timeLimit.WorstMs }
    [pscustomobject]@{ Case = 'Ctrl+C (PowerShell.Stop)'; MedianMs = $ctrlC.MedianMs; WorstMs = $ctrlC.WorstMs }
    [pscustomobject]@{ Case = 'Stop-Job on -AsJob'; MedianMs = $stopJob.MedianMs; WorstMs = $stopJob.WorstMs }
) | Format-Table -AutoSize | Out-Host
