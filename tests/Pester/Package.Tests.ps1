# The package build.ps1 makes (out/CloudNonce.<version>.nupkg), installed the way a user installs a
# module: a PSResource repository holding it, Install-PSResource into an empty module path, then a
# fresh pwsh in another directory that finds the module by name only. Nothing under the repository
# folder (bin/, build/) may be loaded by that pwsh.
BeforeDiscovery {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    # Every platform whose native library the build made must be in the package (linux-x64 always;
    # win-x64 and linux-arm64 when their rows of build.ps1's $NativeTargets were built).
    $script:NativeLibraries = @(@{ Path = 'bin/runtimes/linux-x64/native/libcndhash.so' }) + @(
        Get-ChildItem "$root/bin/runtimes/*/native/*" -Include 'libcndhash.so', 'cndhash.dll' -ErrorAction Ignore |
            ForEach-Object { @{ Path = [IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') } }) |
        Sort-Object { $_.Path } -Unique
    $script:Scanners = @(@{ Path = 'bin/workers/linux-x64/cnd-scan' }) + @(
        Get-ChildItem "$root/bin/workers/*/cnd-scan" -ErrorAction Ignore |
            ForEach-Object { @{ Path = [IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') } }) |
        Sort-Object { $_.Path } -Unique
}

BeforeAll {
    . "$PSScriptRoot/CndTestHelpers.ps1"
    . "$PSScriptRoot/AssemblyRuntime.ps1"
    $script:Root = (Resolve-Path "$PSScriptRoot/../..").Path
    $script:Version = (Import-PowerShellDataFile "$Root/CloudNonce.psd1").ModuleVersion
    $script:Package = Join-Path $Root "out/CloudNonce.$Version.nupkg"
    if (-not (Test-Path $Package)) { throw "No package at ${Package}: run './build.ps1 Package' (the Test task makes it before Pester)." }
    $built = Get-Item "$Root/bin/CloudNonce.dll"
    if ($built.LastWriteTimeUtc -gt (Get-Item $Package).LastWriteTimeUtc) {
        throw "$Package is older than $($built.FullName): run './build.ps1 Package' so the test installs what was built."
    }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($Package)
    try { $script:Entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }

    # A home of its own: PSResourceGet installs CurrentUser modules under ~/.local/share/powershell and
    # keeps its repository list under $XDG_DATA_HOME, so with both in the temporary folder the user's
    # own modules and repositories are neither used nor touched, and the module path starts empty.
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "cnd-package-$PID"
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
    $repository = New-Item -ItemType Directory -Force (Join-Path $Work 'repository')
    Copy-Item $Package $repository
    $script:SavedEnvironment = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; PSModulePath = $env:PSModulePath }
    $env:HOME = Join-Path $Work 'home'
    # (made now: .NET reads a data folder that does not exist as none, and PSResourceGet would then
    # keep its repository list beside the current directory)
    $env:XDG_DATA_HOME = (New-Item -ItemType Directory -Force (Join-Path $env:HOME '.local/share')).FullName
    $script:ModulePath = Join-Path $env:XDG_DATA_HOME 'powershell/Modules'
    $script:ModulePathWasEmpty = -not (Test-Path $ModulePath)
    $elsewhere = New-Item -ItemType Directory -Force (Join-Path $Work 'elsewhere')
    $script:InstallOutput = Invoke-FreshPwsh -WorkingDirectory $elsewhere @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name CndPackageTest -Uri '$repository' -Trusted
Install-PSResource -Name CloudNonce -Repository CndPackageTest -TrustRepository -Scope CurrentUser
(Get-InstalledPSResource -Name CloudNonce).InstalledLocation
"@
    $script:Installed = Join-Path $ModulePath "CloudNonce/$Version"

    $script:Probe = Join-Path $Work 'session.json'
    $env:PSModulePath = $ModulePath
    $script:SessionOutput = Invoke-FreshPwsh -WorkingDirectory $elsewhere @"
`$ErrorActionPreference = 'Stop'
Import-Module CloudNonce
`$module = Get-Module CloudNonce
`$result = Start-CndSearch -BlockHex 0badcafe -Difficulty 8 -TimeLimit 60
`$help = Get-Help Start-CndSearch
`$library = [CloudNonce.Engine.Native.CndLibrary]::ExpectedPath
Add-Type -Namespace CndPackageTest -Name Native -MemberDefinition ('[DllImport("' + `$library + '")] public static extern IntPtr cnd_version();')
[pscustomobject]@{
    ModuleBase      = `$module.ModuleBase
    ModuleVersion   = `$module.Version.ToString()
    NativeLibrary   = `$library
    AssemblyVersion = [CloudNonce.Cmdlets.Commands.StartCndSearchCommand].Assembly.GetName().Version.ToString()
    NativeVersion   = [Runtime.InteropServices.Marshal]::PtrToStringUTF8([CndPackageTest.Native]::cnd_version())
    Found           = `$result.Found
    Nonce           = `$result.Nonce
    Hash            = `$result.Hash
    Synopsis        = `$help.Synopsis
    Examples        = @(`$help.Examples.Example).Count
    Assemblies      = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not `$_.IsDynamic -and `$_.Location } | ForEach-Object Location)
    MappedFiles     = @(Get-Content "/proc/`$PID/maps" | ForEach-Object { (`$_ -split '\s+', 6)[5] } | Where-Object { `$_ -like '/*' } | Sort-Object -Unique)
} | ConvertTo-Json -Depth 3 | Set-Content '$Probe'
"@
    $script:Session = if (Test-Path $Probe) { Get-Content $Probe -Raw | ConvertFrom-Json } else { $null }
}

AfterAll {
    foreach ($name in $SavedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $SavedEnvironment[$name]) }
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'The package' {
    It 'is laid out as a Gallery module: manifest, formats, license and help at the top, assemblies in bin/' {
        foreach ($entry in 'CloudNonce.psd1', 'CloudNonce.format.ps1xml', 'LICENSE', 'en-US/CloudNonce.dll-Help.xml',
            'bin/CloudNonce.dll', 'bin/CloudNonce.Engine.dll') {
            $Entries | Should -Contain $entry
        }
        $Entries | Where-Object { $_ -like '*.pdb' -or $_ -like '*.deps.json' } | Should -BeNullOrEmpty
    }

    It 'carries <Path>' -ForEach $NativeLibraries {
        $Entries | Should -Contain $Path
    }

    It 'carries the worker scanner <Path>' -ForEach $Scanners {
        $Entries | Should -Contain $Path
    }

    It 'names its project, license, tags and release notes in the manifest' {
        $psData = (Import-PowerShellDataFile "$Root/CloudNonce.psd1").PrivateData.PSData
        $psData.ProjectUri | Should -Match '^https://'
        $psData.Tags | Should -Contain 'PSEdition_Core'
        $psData.ReleaseNotes | Should -Match ([regex]::Escape($Version))
        Get-Content "$Root/LICENSE" -TotalCount 1 | Should -Be 'MIT License'
    }
}

Describe 'Installed with Install-PSResource' {
    It 'lands in the empty module path, by name, from the repository' {
        $ModulePathWasEmpty | Should -BeTrue
        # The repository was registered in the temporary home, not in the user's list.
        Get-Content (Join-Path $Work 'home/.local/share/PSResourceGet/PSResourceRepository.xml') -Raw | Should -Match 'CndPackageTest'
        ($InstallOutput | Select-Object -Last 1) | Should -Be $ModulePath -Because ($InstallOutput -join "`n")
        Test-Path (Join-Path $Installed 'CloudNonce.psd1') | Should -BeTrue
    }

    It 'imports by name in a fresh pwsh elsewhere and searches locally' {
        $Session | Should -Not -BeNullOrEmpty -Because ($SessionOutput -join "`n")
        $Session.ModuleBase | Should -Be $Installed
        $Session.Found | Should -BeTrue
        $Session.Hash | Should -Match '^00'
    }

    It 'answers Get-Help Start-CndSearch from the installed help' {
        $Session.Synopsis | Should -Match 'golden nonce'
        $Session.Examples | Should -BeGreaterThan 0
    }

    It 'loads its assemblies and native library from the install folder and nothing from the build folders' {
        $ownAssemblies = @($Session.Assemblies | Where-Object { (Split-Path $_ -Leaf) -like 'CloudNonce*' })
        $ownAssemblies.Count | Should -Be 2
        $ownAssemblies | ForEach-Object { $_ | Should -BeLike "$Installed/bin/*" }
        $Session.NativeLibrary | Should -Be "$Installed/bin/runtimes/linux-x64/native/libcndhash.so"
        $Session.MappedFiles | Where-Object { $_ -like '*libcndhash*' } | Should -Be $Session.NativeLibrary
        @($Session.Assemblies) + @($Session.MappedFiles) | Where-Object { $_.StartsWith("$Root/") } | Should -BeNullOrEmpty
    }

    It 'is stamped with the manifest version in its assemblies and its native library' {
        $Session.ModuleVersion | Should -Be $Version
        $Session.AssemblyVersion | Should -Be "$Version.0"
        $Session.NativeVersion | Should -Be $Version
    }
}

Describe 'Every assembly the package ships runs on .NET 8 (PowerShell 7.4)' {
    It 'tells a .NET 10 assembly from a .NET 8 one' {
        # pwsh 7.6's own engine is built for .NET 10: the check must refuse it, or it proves nothing.
        (Get-AssemblyRuntime "$PSHOME/System.Management.Automation.dll").RunsOnNet8 | Should -BeFalse
    }

    It 'holds only assemblies that target .NET 8 or .NET Standard and reference no newer System.Runtime' {
        # Native DLLs (win-x64's) have no metadata and read as nothing.
        $assemblies = @(Get-ChildItem "$Installed/bin" -Recurse -Filter '*.dll' | ForEach-Object { Get-AssemblyRuntime $_.FullName } | Where-Object { $_ })
        $assemblies.Count | Should -BeGreaterOrEqual 10 -Because 'the module, the AWS SDK and the chart libraries are all shipped'
        $assemblies | Where-Object { -not $_.RunsOnNet8 } |
            ForEach-Object { "$($_.Name) targets '$($_.TargetFramework)' and references $($_.CoreLibrary)" } | Should -BeNullOrEmpty
    }
}
