@{
    # The binary module lives in bin/ (dotnet build -o bin); the manifest stays at the repo root so
    # 'Import-Module ./CloudNonce.psd1' works straight after a build, and the package keeps that layout.
    # ModuleVersion is the one place the release is written: build.ps1 stamps it into the assemblies
    # and the native library. The assemblies target .NET 8, the runtime of PowerShell 7.4.
    RootModule           = 'bin/CloudNonce.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c2e-8d7a-4e61-9a43-2f1c6d8e7b90'
    Author               = 'CloudNonce developers'
    CompanyName          = 'CloudNonce'
    Copyright            = '(c) 2026 CloudNonce authors. MIT License.'
    Description          = 'Finds golden nonces (SHA256(SHA256(block || nonce)) with D leading zero bits) on every local core through a native scanner, or on a fleet of AWS EC2 instances.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('CloudNonce.format.ps1xml')
    CmdletsToExport      = @(
        'Start-CndSearch'
        'Get-CndHash'
        'Test-CndNonce'
        'Get-CndSearchPlan'
        'Measure-CndPerformance'
        'Get-CndFleet'
        'Remove-CndResources'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('SHA256', 'ProofOfWork', 'GoldenNonce', 'AWS', 'EC2', 'Linux', 'Windows', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/cloudnonce/CloudNonce'
            ReleaseNotes = @'
0.1.0
- Start-CndSearch finds golden nonces on every local core (native SHA-256d core: scalar, AVX2,
  AVX-512 and SHA-NI kernels) or on an AWS EC2 fleet; Get-CndSearchPlan, Measure-CndPerformance,
  Get-CndHash, Test-CndNonce, Get-CndFleet and Remove-CndResources.
- Runs on PowerShell 7.4 and later (.NET 8 assemblies); the native core ships per platform in bin/runtimes/<rid>/native/
'@
        }
    }
}
