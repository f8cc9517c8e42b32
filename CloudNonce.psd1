@{
    # The binary module lives in bin/ (dotnet build -o bin); the manifest stays at the repo root so
    # 'Import-Module ./CloudNonce.psd1' works straight after a build.
    RootModule           = 'bin/CloudNonce.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c2e-8d7a-4e61-9a43-2f1c6d8e7b90'
    Author               = 'CloudNonce developers'
    CompanyName          = 'CloudNonce'
    Copyright            = '(c) CloudNonce developers'
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
            Tags = @('SHA256', 'ProofOfWork', 'AWS', 'EC2')
        }
    }
}
