@{
    Synopsis    = 'Tells whether a nonce is golden for a block at a difficulty.'
    Description = @'
Test-CndNonce returns $true when SHA256(SHA256(block || nonce as 4 bytes big-endian)), read as a big-endian 256-bit number, has at least -Difficulty leading zero bits, and $false otherwise. It uses .NET's SHA-256, not the native scanner, so it is an independent check of search results.

A search result can be piped in whole: its Nonce, BlockHex and Difficulty properties bind to the parameters of the same names.
'@
    Parameters  = @{
        Block      = 'The block as text, encoded as UTF-8. Default: COMSM0010cloud. Cannot be empty.'
        BlockBytes = 'The block as raw bytes, instead of -Block. Must hold at least one byte.'
        BlockHex   = 'The block as hex digits, instead of -Block. Binds from the BlockHex property of piped objects.'
        Nonce      = 'The nonce to test, 0 to 4294967295. Accepts pipeline input, by value or from a Nonce property.'
        Difficulty = 'The leading zero bits a golden hash needs, 0 to 256 (alias -D). Binds from a Difficulty property of piped objects.'
    }
    Examples    = @(
        @{ Code = 'Test-CndNonce -Block ''hello'' -Nonce 12345 -Difficulty 8'; Remarks = 'Whether nonce 12345 gives the block ''hello'' a hash with 8 leading zero bits.' }
        @{ Code = 'Start-CndSearch -D 22 | Test-CndNonce'; Remarks = 'Verifies the nonce a search found, at the difficulty it was searched for.' }
    )
    Inputs      = 'Nonces (UInt32), or objects with Nonce, BlockHex and Difficulty properties such as CndSearchResult.'
    Outputs     = 'A Boolean per nonce: $true when it is golden.'
    Links       = @('Get-CndHash', 'Start-CndSearch')
}
