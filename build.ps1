#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and benchmarks CloudNonce.
.DESCRIPTION
    Tasks:
      Build  native core (CMake) + .NET module into ./bin, help into ./en-US (incremental)
      Test   Build, then CTest + xunit + Pester; prints one closing line "N passed, N failed, N skipped"
             summing every suite and exits non-zero when anything failed
      Package  Build, then writes out/CloudNonce.<version>.nupkg (a PowerShell Gallery package,
             made with PSResourceGet) from the module folder; the Test task makes it too
      Bench  Build, then prints the native kernel table, the module overhead and the stop latency figures
      Clean  removes every build output
    Run it as:  dotnet tool restore; dotnet pwsh ./build.ps1 <Task>
.PARAMETER Quick
    Bench only: shorter runs (a 2^28 sweep instead of the full 2^32 one).
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Bench', 'Clean')]
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
$ManifestPath = Join-Path $Root 'CloudNonce.psd1'
# The one place the release is written: the manifest. The build stamps it into the assemblies
# (-p:Version) and the native library (CND_VERSION, read back by cnd_version()).
$ModuleVersion = (Import-PowerShellDataFile $ManifestPath).ModuleVersion
$PackageOut = Join-Path $Root 'out'

# Every platform the native core is built for, and where its outputs go in the module folder:
# the library a host loads in runtimes/<rid>/native/ (as NuGet lays out native assets), the static
# scanner an EC2 worker downloads in workers/<rid>/ (Linux targets only). A cross target names its
# CMake toolchain file (in cmake/toolchains/, which also sets the emulator its CTest suite runs
# under), the commands it needs and the Debian packages that provide them.
$NativeTargets = @(
    [pscustomobject]@{ Rid = 'linux-x64'; Library = 'libcndhash.so'; Scanner = 'cnd-scan'; Toolchain = $null; Commands = @(); Packages = @() }
    [pscustomobject]@{ Rid = 'linux-arm64'; Library = 'libcndhash.so'; Scanner = 'cnd-scan'; Toolchain = 'linux-arm64.cmake'
        Commands = @('aarch64-linux-gnu-gcc', 'qemu-aarch64-static'); Packages = @('gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross', 'qemu-user-static') }
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
    $configure = @('-S', "$Root/src/HashCore", '-B', $buildDir, '-DCMAKE_BUILD_TYPE=Release', "-DCND_VERSION=$ModuleVersion", '-Wno-dev')
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

    $null = Invoke-Native dotnet @('build', "$Root/src/Cmdlets/CloudNonce.Cmdlets.csproj", '-c', 'Release', '-o', $ModuleBin, "-p:Version=$ModuleVersion", '-nologo', '-v', 'q', '-clp:ErrorsOnly')
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
    # The same -p:Version as Build, or the test build would recompile the module's projects.
    $code = Invoke-Native dotnet @('test', "$Root/tests/Engine/CloudNonce.Engine.Tests.csproj", '-c', 'Release', '--nologo', "-p:Version=$ModuleVersion",
        '--logger', 'trx;LogFileName=engine.trx', '--logger', 'console;verbosity=minimal', '--results-directory', $ResultsDir) -AllowFailure
    $trx = Join-Path $ResultsDir 'engine.trx'
    if (Test-Path $trx) { $counts.Add((Read-TrxCounts $trx)) } else { $problems.Add("xunit wrote no results (exit $code)") }

    # The package that tests/Pester/Package.Tests.ps1 installs the way a user does
    try { Invoke-PackageTask } catch { $problems.Add("Package task failed: $_") }

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

function Invoke-PackageTask {
    # The module as a user installs it (PowerShell Gallery layout): the manifest, formats, license
    # and help at the top, the assemblies in bin/ with the native libraries in bin/runtimes/<rid>/native/
    # and the workers' scanners in bin/workers/<rid>/. Build output a module does not load stays out.
    $staging = Join-Path $Root 'build/package/CloudNonce'
    Remove-Item (Split-Path $staging) -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force $staging
    Copy-Item $ManifestPath, (Join-Path $Root 'CloudNonce.format.ps1xml'), (Join-Path $Root 'LICENSE') $staging
    Copy-Item (Join-Path $Root 'en-US') $staging -Recurse
    Copy-Item $ModuleBin (Join-Path $staging 'bin') -Recurse -Exclude '*.pdb', '*.xml', '*.deps.json'
    foreach ($target in $NativeTargets) {
        $library = Join-Path $staging "bin/runtimes/$($target.Rid)/native/$($target.Library)"
        if (-not (Test-Path $library)) { throw "The package would lack $($target.Rid)'s native library ($library): run the Build task." }
    }

    # PSResourceGet writes the nupkg into a repository: a folder of our own, registered in a pwsh whose
    # XDG_DATA_HOME (where PSResourceGet keeps its repository list on Linux) is a build folder, so the
    # user's list is not touched and parallel builds do not share it.
    $repository = Join-Path $Root 'build/package/repository'
    $null = New-Item -ItemType Directory -Force $repository
    $publish = "`$ErrorActionPreference = 'Stop'; Register-PSResourceRepository -Name CloudNonceBuild -Uri '$repository' -Trusted; " +
        "Publish-PSResource -Path '$staging' -Repository CloudNonceBuild -SkipDependenciesCheck; Unregister-PSResourceRepository -Name CloudNonceBuild"
    $savedDataHome = $env:XDG_DATA_HOME
    # .NET reads a data folder that does not exist as none at all (PSResourceGet would then write
    # beside the current directory): make it first.
    $env:XDG_DATA_HOME = (New-Item -ItemType Directory -Force (Join-Path $Root 'build/package/data')).FullName
    try {
        $null = Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $publish)
    }
    finally {
        $env:XDG_DATA_HOME = $savedDataHome
    }
    $package = "CloudNonce.$ModuleVersion.nupkg"
    $null = New-Item -ItemType Directory -Force $PackageOut
    Move-Item (Join-Path $repository $package) (Join-Path $PackageOut $package) -Force
    Write-Host "Packaged: $(Join-Path $PackageOut $package)"
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
    Write-Host "`n## Stop latency`n"
    $null = Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'bench/Measure-StopLatency.ps1'))
}

function Invoke-CleanTask {
    foreach ($path in @("$Root/build", $ModuleBin, "$Root/en-US", $PackageOut) + @(Get-ChildItem $Root -Recurse -Directory -Include bin, obj -ErrorAction SilentlyContinue | ForEach-Object FullName)) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force; Write-Host "removed $path" }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Package' { Invoke-BuildTask; Invoke-PackageTask }
        'Bench' { Invoke-BenchTask }
        'Clean' { Invoke-CleanTask }
    }
}
