# Reads which .NET an assembly was built for from its metadata alone (nothing is loaded), to check
# that the module runs on PowerShell 7.4's .NET 8.

$script:Net8 = [version]'8.0'

function Get-AssemblyRuntime([string] $Path) {
    <# .SYNOPSIS The target framework and core-library reference of a managed assembly; nothing for a native file. #>
    $stream = [IO.File]::OpenRead($Path)
    try {
        $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
        if (-not $pe.HasMetadata) { return }
        $reader = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
        $framework = Get-TargetFramework $reader
        # System.Runtime for .NET (Core) builds, netstandard for .NET Standard ones.
        $coreLibrary = foreach ($handle in $reader.AssemblyReferences) {
            $reference = $reader.GetAssemblyReference($handle)
            $name = $reader.GetString($reference.Name)
            if ($name -in 'System.Runtime', 'netstandard', 'mscorlib') { [pscustomobject]@{ Name = $name; Version = $reference.Version } }
        }
        [pscustomobject]@{
            Name            = Split-Path $Path -Leaf
            TargetFramework = $framework
            CoreLibrary     = ($coreLibrary | ForEach-Object { "$($_.Name) $($_.Version)" }) -join ', '
            RunsOnNet8      = (Test-FrameworkRunsOnNet8 $framework) -and @($coreLibrary | Where-Object { -not (Test-ReferenceRunsOnNet8 $_) }).Count -eq 0
        }
    }
    finally {
        $stream.Dispose()
    }
}

function Get-TargetFramework([Reflection.Metadata.MetadataReader] $Reader) {
    # [assembly: TargetFramework(".NETCoreApp,Version=v8.0")]: the blob is a 2-byte prolog, then the
    # string's length (one byte below 128, as every framework name is) and its UTF-8 bytes.
    foreach ($handle in $Reader.GetAssemblyDefinition().GetCustomAttributes()) {
        $attribute = $Reader.GetCustomAttribute($handle)
        if ($attribute.Constructor.Kind -ne [Reflection.Metadata.HandleKind]::MemberReference) { continue }
        $constructor = $Reader.GetMemberReference([Reflection.Metadata.MemberReferenceHandle] $attribute.Constructor)
        if ($constructor.Parent.Kind -ne [Reflection.Metadata.HandleKind]::TypeReference) { continue }
        $type = $Reader.GetTypeReference([Reflection.Metadata.TypeReferenceHandle] $constructor.Parent)
        if ($Reader.GetString($type.Name) -ne 'TargetFrameworkAttribute') { continue }
        $blob = $Reader.GetBlobBytes($attribute.Value)
        return [Text.Encoding]::UTF8.GetString($blob, 3, $blob[2])
    }
    return $null
}

function Test-FrameworkRunsOnNet8([string] $Framework) {
    if (-not $Framework) { return $true } # no attribute: the core-library reference decides
    if ($Framework -notmatch '^(?<kind>[.\w]+),Version=v(?<version>[\d.]+)') { return $false }
    switch ($Matches.kind) {
        '.NETCoreApp' { return [version]$Matches.version -le $Net8 }
        '.NETStandard' { return $true } # every .NET Standard (2.0, 2.1) runs on .NET 8
        default { return $false }       # .NET Framework builds do not load in PowerShell 7
    }
}

function Test-ReferenceRunsOnNet8([psobject] $Reference) {
    switch ($Reference.Name) {
        'System.Runtime' { return $Reference.Version.Major -le $Net8.Major }
        'netstandard' { return $Reference.Version -le [version]'2.1.0.0' }
        default { return $false } # mscorlib: built for .NET Framework
    }
}
