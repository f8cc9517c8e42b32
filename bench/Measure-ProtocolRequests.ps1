<#
.SYNOPSIS
    Counts the S3 requests of one EC2 search on loopback (moto and the instance runner) and sets them
    beside what Ec2Options.ReportingFor(TimeLimit).RequestsFor(workers, scan time) derives.

.DESCRIPTION
    Runs Start-CndSearch -Provider EC2 at a difficulty nothing reaches, so every worker scans until
    the time limit, then reads moto's request log: every request naming the search (the controller's
    manifests, LISTs and GETs, and the workers' presigned GETs and PUTs) is counted as PUT, LIST or
    GET. Figures are per worker-hour of scanning (the result's WorkerReports) and priced at S3
    Standard in us-east-1 (PUT/LIST $0.005, GET $0.0004 per 1000). The count also holds what the
    derivation leaves out: the reads while workers boot, and the time the controller takes to stop.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-ProtocolRequests.ps1 -Instances 2 -TimeLimit 60
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 50)] [int] $Instances = 1,
    [ValidateRange(10, 3600)] [double] $TimeLimit = 60
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

Import-Module (Join-Path $PSScriptRoot '../tests/Pester/CndEc2Test.psm1') -Force
$aws = Start-CndEc2TestEnvironment
try {
    Import-Module (Join-Path $PSScriptRoot '../CloudNonce.psd1') -Force
    $result = Start-CndSearch -Provider EC2 -Difficulty 60 -VMCount $Instances -TimeLimit $TimeLimit -WarningAction SilentlyContinue
    $lines = @(Get-Content -LiteralPath $aws.Moto.LogPath | Where-Object { $_ -match [regex]::Escape($result.SearchId) })
    $counted = [ordered]@{
        Puts  = @($lines | Where-Object { $_ -match '"PUT ' }).Count
        Lists = @($lines | Where-Object { $_ -match '"GET [^"]*list-type=2' }).Count
        Gets  = @($lines | Where-Object { $_ -match '"(GET|HEAD) ' -and $_ -notmatch 'list-type=2' }).Count
    }
    $scanned = @($result.WorkerReports | Where-Object ScanTime)
    $scanHours = ($scanned | ForEach-Object { $_.ScanTime.TotalHours } | Measure-Object -Sum).Sum
    $meanScan = [TimeSpan]::FromHours($scanHours / [math]::Max(1, $scanned.Count))
    $schedule = [CloudNonce.Engine.Providers.Ec2.Ec2Options]::new().ReportingFor([TimeSpan]::FromSeconds($TimeLimit))
    $derived = $schedule.RequestsFor($scanned.Count, $meanScan)
    $price = { param($puts, $lists, $gets) (($puts + $lists) * 0.005 + $gets * 0.0004) / 1000 }
    foreach ($row in @(
            [pscustomobject]@{ Source = 'counted (moto log)'; Puts = $counted.Puts; Lists = $counted.Lists; Gets = $counted.Gets }
            [pscustomobject]@{ Source = 'derived (RequestsFor)'; Puts = $derived.Puts; Lists = $derived.Lists; Gets = $derived.Gets })) {
        [pscustomobject]@{
            Source              = $row.Source
            Workers             = $scanned.Count
            'Progress s'        = $schedule.ProgressInterval.TotalSeconds
            'Scan h'            = [math]::Round($scanHours, 5)
            'PUT/worker-h'      = [math]::Round($row.Puts / $scanHours)
            'LIST/worker-h'     = [math]::Round($row.Lists / $scanHours)
            'GET/worker-h'      = [math]::Round($row.Gets / $scanHours)
            'USD/worker-h'      = [math]::Round((& $price $row.Puts $row.Lists $row.Gets) / $scanHours, 5)
        }
    }
}
finally {
    Stop-CndEc2TestEnvironment
}
