<#
.SYNOPSIS
    Runs every Pester suite in tests/Pester with the pinned Pester, and writes the counts as JSON
    for build.ps1 to sum with the other suites.
#>
param(
    [Parameter(Mandatory)] [string] $PesterVersion,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
$nugetRoot = $env:NUGET_PACKAGES ?? (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages')
$pesterManifest = Join-Path $nugetRoot "pester/$PesterVersion/tools/Pester.psd1"
if (-not (Test-Path $pesterManifest)) { throw "Pester $PesterVersion is not in the NuGet cache ($pesterManifest): run 'dotnet restore tests/Pester/Pester.restore.csproj'." }
Import-Module $pesterManifest -RequiredVersion $PesterVersion

$config = New-PesterConfiguration
$config.Run.Path = Join-Path $PSScriptRoot 'Pester'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'
$result = Invoke-Pester -Configuration $config

# A failing BeforeAll or a file that does not even parse fails no single test: count them as failures.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Suite = 'cmdlets (Pester)'; Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content $SummaryPath
if ($failed -gt 0) { exit 1 }
