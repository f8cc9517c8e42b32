#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and benchmarks CloudNonce.
.DESCRIPTION
    Tasks:
      Build  native core (CMake) + .NET module into ./bin, help into ./en-US (incremental)
      Test   Build, then CTest + xunit + Pester; prints one closing line "N passed, N failed, N skipped"
             summing every suite and exits non-zero when anything failed
      Bench  Build, then prints the native kernel table and the module overhead figures
      Clean  removes every build output
    Run it as:  dotnet tool restore; dotnet pwsh ./build.ps1 <Task>
.PARAMETER Quick
    Bench only: shorter runs (a 2^28 sweep instead of the full 2^32 one).
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Bench', 'Clean')]
    [string[]] $Task = @('Build'),
    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$Root = $PSScriptRoot
$NativeBuild = Join-Path $Root 'build/native'   # the host's build (linux-x64): tests and benches use it
$ResultsDir = Join-Path $Root 'build/test-results'
$ModuleBin = Join-Path $Root 'bin'
$PesterVersion = '5.7.1'

# Every platform the native core is built for, and where its outputs go in the module folder:
# the library a host loads in runtimes/<rid>/native/ (as NuGet lays out native assets), the static
# scanner an EC2 worker downloads in workers/<rid>/ (Linux targets only). A cross target names its
# CMake toolchain file (in cmake/toolchains/, which also sets the emulator its CTest suite runs
# under), the commands it needs and the Debian packages that provide them.
$NativeTargets = @(
    [pscustomobject]@{ Rid = 'linux-x64'; Library = 'libcndhash.so'; Scanner = 'cnd-scan'; Toolchain = $null; Commands = @(); Packages = @() }
    # MinGW-w64 cross-build; its CTest suite runs under Wine (cmake/wine-run.sh). No scanner: EC2 workers are Linux.
    [pscustomobject]@{ Rid = 'win-x64'; Library = 'cndhash.dll'; Scanner = $null; Toolchain = 'win-x64.cmake'; Commands = @('x86_64-w64-mingw32-gcc', 'wine', 'flock'); Packages = @('gcc-mingw-w64-x86-64', 'wine64', 'util-linux') }
)

function Get-NativeBuildDir($target) {
    if ($target.Toolchain) { Join-Path $Root "build/native-$($target.Rid)" } else { $NativeBuild }
}

function Invoke-Native {
    # Runs an external command, echoing it, and fails the build when it fails.
    param([Parameter(Mandatory)] [string] $File, [string[]] $Arguments = @(), [switch] $AllowFailure)
    Write-Host "> $File $($Arguments -join ' ')" -ForegroundColor DarkGray
    & $File @Arguments | Out-Host
    $code = $LASTEXITCODE
    if ($code -ne 0 -and -not $AllowFailure) { throw "'$File $($Arguments -join ' ')' failed with exit code $code." }
    return $code
}

function Assert-Prerequisites {
    # The tools the build needs beyond the .NET SDK. On a Debian machine where we are root, missing
    # ones are installed; elsewhere we say exactly what is missing.
    # (ip: the EC2 tests' instance runner gives a worker with no route to S3 a network namespace of its own.)
    $needed = [ordered]@{ cmake = 'cmake'; gcc = 'gcc'; make = 'make'; python3 = 'python3'; ip = 'iproute2'; unshare = 'util-linux' }
    $missing = @($needed.Keys | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) })
    $packages = @($missing | ForEach-Object { $needed[$_] })
    # A cross target's toolchain and emulator, when one of its commands is not on the path yet.
    foreach ($target in $NativeTargets | Where-Object Toolchain) {
        if (@($target.Commands | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) }).Count) { $packages += $target.Packages }
    }
    Install-DebianPackages @($packages | Select-Object -Unique) 'build tools'
}

function Install-DebianPackages([string[]] $Packages, [string] $Purpose) {
    if ($Packages.Count -eq 0) { return }
    $canInstall = (Get-Command apt-get -ErrorAction SilentlyContinue) -and ((& id -u) -eq '0')
    if (-not $canInstall) { throw "Missing $Purpose. Install them (Debian: apt-get install $($Packages -join ' ')) and run again." }
    $null = Invoke-Native apt-get @('update', '-qq')
    $null = Invoke-Native apt-get (@('install', '-y', '-qq') + $Packages)
}

function Build-NativeTarget($target) {
    $buildDir = Get-NativeBuildDir $target
    $configure = @('-S', "$Root/src/HashCore", '-B', $buildDir, '-DCMAKE_BUILD_TYPE=Release', '-Wno-dev')
    if ($target.Toolchain) { $configure += "-DCMAKE_TOOLCHAIN_FILE=$Root/cmake/toolchains/$($target.Toolchain)" }
    $null = Invoke-Native cmake $configure
    $null = Invoke-Native cmake @('--build', $buildDir, '-j', [string][Environment]::ProcessorCount)

    $outputs = @(@{ File = $target.Library; Folder = "runtimes/$($target.Rid)/native" })
    if ($target.Scanner) { $outputs += @{ File = $target.Scanner; Folder = "workers/$($target.Rid)" } }
    foreach ($output in $outputs) {
        # Copy then rename: a running scanner or a loaded library keeps its old inode instead of
        # failing the build with "text file busy".
        $folder = Join-Path $ModuleBin $output.Folder
        $null = New-Item -ItemType Directory -Force $folder
        $destination = Join-Path $folder $output.File
        Copy-Item (Join-Path $buildDir $output.File) "$destination.new" -Force
        Move-Item "$destination.new" $destination -Force
    }
}

function Invoke-BuildTask {
    Assert-Prerequisites
    foreach ($target in $NativeTargets) { Build-NativeTarget $target }

    $null = Invoke-Native dotnet @('build', "$Root/src/Cmdlets/CloudNonce.Cmdlets.csproj", '-c', 'Release', '-o', $ModuleBin, '-nologo', '-v', 'q', '-clp:ErrorsOnly')
    $helpGenerator = Join-Path $Root 'tools/New-CndHelp.ps1'
    if (Test-Path $helpGenerator) {
        # A separate process: the generator loads the freshly built module, which must not stay loaded here.
        $null = Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', $helpGenerator)
    }
    Write-Host "Built: $ModuleBin (Import-Module ./CloudNonce.psd1)"
}

function Read-CTestCounts([string] $junitPath, [string] $rid) {
    [xml] $junit = Get-Content $junitPath -Raw
    $suite = $junit.DocumentElement
    # Missing attributes read as '' and count as 0 (CTest omits some of them).
    $count = { param($name) [int]('0' + $suite.GetAttribute($name)) }
    $skipped = (& $count 'skipped') + (& $count 'disabled')
    $failed = (& $count 'failures') + (& $count 'errors')
    [pscustomobject]@{ Suite = "native $rid (CTest)"; Passed = (& $count 'tests') - $failed - $skipped; Failed = $failed; Skipped = $skipped }
}

function Read-TrxCounts([string] $trxPath) {
    [xml] $trx = Get-Content $trxPath -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Suite = 'engine (xunit)'; Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function Invoke-TestTask {
    Invoke-BuildTask
    Remove-Item $ResultsDir -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $ResultsDir | Out-Null
    $counts = [System.Collections.Generic.List[object]]::new()
    $problems = [System.Collections.Generic.List[string]]::new()

    # Native core, on every target (a cross target's suite runs under its emulator)
    foreach ($target in $NativeTargets) {
        $junit = Join-Path $ResultsDir "ctest-$($target.Rid).xml"
        $code = Invoke-Native ctest @('--test-dir', (Get-NativeBuildDir $target), '--output-on-failure', '--output-junit', $junit, '-j', '2') -AllowFailure
        if (Test-Path $junit) { $counts.Add((Read-CTestCounts $junit $target.Rid)) } else { $problems.Add("CTest ($($target.Rid)) wrote no results (exit $code)") }
    }

    # Engine (xunit): also hosts cmdlets in-process
    $code = Invoke-Native dotnet @('test', "$Root/tests/Engine/CloudNonce.Engine.Tests.csproj", '-c', 'Release', '--nologo',
        '--logger', 'trx;LogFileName=engine.trx', '--logger', 'console;verbosity=minimal', '--results-directory', $ResultsDir) -AllowFailure
    $trx = Join-Path $ResultsDir 'engine.trx'
    if (Test-Path $trx) { $counts.Add((Read-TrxCounts $trx)) } else { $problems.Add("xunit wrote no results (exit $code)") }

    # Pester, in a fresh process that imports the built module the way a user does
    $null = Invoke-Native dotnet @('restore', "$Root/tests/Pester/Pester.restore.csproj", '-v', 'q', '--nologo')
    $pesterSummary = Join-Path $ResultsDir 'pester.json'
    $code = Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', "$Root/tests/Invoke-PesterSuite.ps1",
        '-PesterVersion', $PesterVersion, '-SummaryPath', $pesterSummary) -AllowFailure
    if (Test-Path $pesterSummary) { $counts.Add((Get-Content $pesterSummary -Raw | ConvertFrom-Json)) } else { $problems.Add("Pester wrote no results (exit $code)") }

    $counts | Format-Table Suite, Passed, Failed, Skipped -AutoSize | Out-Host
    foreach ($p in $problems) { Write-Host "ERROR: $p" -ForegroundColor Red }
    $passed = ($counts | Measure-Object Passed -Sum).Sum
    $failed = ($counts | Measure-Object Failed -Sum).Sum + $problems.Count
    $skipped = ($counts | Measure-Object Skipped -Sum).Sum
    # The one closing line CI reads.
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-BenchTask {
    Invoke-BuildTask
    Write-Host "`n## Native kernels (cnd-bench)`n"
    $null = Invoke-Native (Join-Path $NativeBuild 'cnd-bench') @()
    $overhead = Join-Path $Root 'bench/Measure-ModuleOverhead.ps1'
    if (Test-Path $overhead) {
        Write-Host "`n## Module overhead`n"
        $benchArgs = @('pwsh', '-NoProfile', '-NonInteractive', '-File', $overhead)
        if ($Quick) { $benchArgs += '-Quick' }
        $null = Invoke-Native dotnet $benchArgs
    }
}

function Invoke-CleanTask {
    foreach ($path in @("$Root/build", $ModuleBin, "$Root/en-US") + @(Get-ChildItem $Root -Recurse -Directory -Include bin, obj -ErrorAction SilentlyContinue | ForEach-Object FullName)) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force; Write-Host "removed $path" }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Bench' { Invoke-BenchTask }
        'Clean' { Invoke-CleanTask }
    }
}
