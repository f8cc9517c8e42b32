BeforeAll {
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Get-CndHash' {
    It 'matches .NET''s SHA-256 for <Nonce>' -ForEach @(
        @{ Nonce = 0 }, @{ Nonce = 1 }, @{ Nonce = 305419896 }, @{ Nonce = 4294967295 }
    ) {
        $hash = Get-CndHash -Nonce $Nonce
        $digest = Get-ReferenceDigest ([Text.Encoding]::UTF8.GetBytes('COMSM0010cloud')) $Nonce
        $hash.Hash | Should -Be ([Convert]::ToHexStringLower($digest))
        $hash.LeadingZeroBits | Should -Be (Get-ReferenceZeroBits $digest)
        $hash.BlockHex | Should -Be '434f4d534d30303130636c6f7564'
    }

    It 'takes nonces from the pipeline' {
        $hashes = 0..3 | Get-CndHash -Block 'hello'
        $hashes.Nonce | Should -Be @(0, 1, 2, 3)
        $hashes[3].Hash | Should -Be ([Convert]::ToHexStringLower((Get-ReferenceDigest ([Text.Encoding]::UTF8.GetBytes('hello')) 3)))
    }

    It 'gives the same hash for text, bytes and hex blocks' {
        $a = Get-CndHash -Block 'AB' -Nonce 9
        $b = Get-CndHash -BlockBytes ([byte[]](65, 66)) -Nonce 9
        $c = Get-CndHash -BlockHex '4142' -Nonce 9
        $b.Hash | Should -Be $a.Hash
        $c.Hash | Should -Be $a.Hash
    }

    It 'recomputes a piped search result' {
        $result = Start-CndSearch -D 14 -Block 'piped'
        ($result | Get-CndHash).Hash | Should -Be $result.Hash
    }

    It 'rejects nonce <Value>' -ForEach @(@{ Value = -1 }, @{ Value = 4294967296 }) {
        $err = { Get-CndHash -Nonce $Value } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike "*'Nonce'*$Value*"
    }

    It 'rejects an empty block' {
        { Get-CndHash -BlockBytes ([byte[]]@()) -Nonce 1 } | Should -Throw '*block is empty*'
    }
}
