BeforeAll {
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Test-CndNonce' {
    It 'agrees with the reference digest at and above its zero count' {
        $block = [Text.Encoding]::UTF8.GetBytes('verify')
        $zeros = Get-ReferenceZeroBits (Get-ReferenceDigest $block 77)
        Test-CndNonce -Block 'verify' -Nonce 77 -Difficulty $zeros | Should -BeTrue
        Test-CndNonce -Block 'verify' -Nonce 77 -Difficulty ($zeros + 1) | Should -BeFalse
    }

    It 'treats D = 0 as always golden and D = 256 as (practically) never' {
        Test-CndNonce -Nonce 5 -D 0 | Should -BeTrue
        Test-CndNonce -Nonce 5 -D 256 | Should -BeFalse
    }

    It 'verifies a piped search result at its own difficulty and block' {
        $result = Start-CndSearch -D 16 -Block 'check me'
        $result | Test-CndNonce | Should -BeTrue
        ($result.Nonce + 1) | Test-CndNonce -Block 'check me' -D 16 | Should -Not -Contain $null
    }

    It 'returns one Boolean per piped nonce' {
        $answers = 0..9 | Test-CndNonce -Block 'x' -D 0
        $answers | Should -HaveCount 10
        $answers | Should -Not -Contain $false
    }

    It 'rejects D = <D>' -ForEach @(@{ D = 257 }, @{ D = -1 }) {
        { Test-CndNonce -Nonce 1 -Difficulty $D } | Should -Throw "*'Difficulty'*$D*"
    }
}
