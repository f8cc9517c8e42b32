@{
    Synopsis    = 'Computes the double SHA-256 of a block and nonce, and its leading zero bits.'
    Description = @'
Get-CndHash computes SHA256(SHA256(block || nonce as 4 bytes big-endian)) with .NET's SHA-256, independently of the native scanner, and counts the leading zero bits of the digest read as a big-endian 256-bit number. Use it to check a search result, or to see what a nonce hashes to.

Nonces can be piped in, and search results can be piped in whole: their Nonce and BlockHex properties bind to -Nonce and -BlockHex.
'@
    Parameters  = @{
        Block      = 'The block as text, encoded as UTF-8. Default: COMSM0010cloud. Cannot be empty.'
        BlockBytes = 'The block as raw bytes, instead of -Block. Must hold at least one byte.'
        BlockHex   = 'The block as hex digits, instead of -Block. Binds from the BlockHex property of piped objects.'
        Nonce      = 'The nonce, 0 to 4294967295. Accepts pipeline input, by value or from a Nonce property.'
    }
    Examples    = @(
        @{ Code = 'Get-CndHash -Nonce 0'; Remarks = 'The digest of the default block with nonce 0.' }
        @{ Code = '0..3 | Get-CndHash -Block ''hello'''; Remarks = 'The digests of four nonces of the block ''hello''.' }
        @{ Code = 'Start-CndSearch -D 20 | Get-CndHash'; Remarks = 'Recomputes the hash of the nonce a search found, from the result''s Nonce and BlockHex.' }
    )
    Inputs      = 'Nonces (UInt32), or objects with Nonce and BlockHex properties such as CndSearchResult.'
    Outputs     = 'CndHash: BlockHex, Nonce, Hash (lower-case hex) and LeadingZeroBits.'
    Links       = @('Test-CndNonce', 'Start-CndSearch')
}
