<#
.SYNOPSIS
    Writes the MAML help file of the CloudNonce binary module from the built cmdlets and docs/help.

.DESCRIPTION
    The parameter facts (type, mandatory, position, pipeline input, aliases, parameter sets) come
    from the built cmdlets themselves, so they cannot drift from the code. The prose comes from one
    data file per cmdlet, docs/help/<Verb-Noun>.psd1:

        @{
            Synopsis    = 'One sentence.'
            Description = 'Paragraphs, separated by blank lines.'
            Parameters  = @{ Name = 'What it does, its default and what is valid.' }
            Examples    = @( @{ Code = 'Verb-Noun -Name x'; Remarks = 'What it shows.' } )
            Inputs      = 'Optional: what pipeline input means.'
            Outputs     = 'Optional: what the output objects hold.'
            Notes       = 'Optional.'
            Links       = @('Optional', 'related', 'commands')
        }

    A cmdlet without a data file, or a gap in one, is reported as a warning and still gets what can
    be written; the Pester help test fails on any gap. Run it in a process of its own (it imports the
    module, and a loaded assembly stays loaded): pwsh -NoProfile -File tools/New-CndHelp.ps1

.PARAMETER ModuleManifest
    The module to document. Default: CloudNonce.psd1 at the repository root.

.PARAMETER HelpSource
    Folder of the <Verb-Noun>.psd1 data files. Default: docs/help.

.PARAMETER OutputPath
    The MAML file to write. Default: en-US/<assembly>.dll-Help.xml under the module's base folder
    (the folder of CloudNonce.psd1). For a cmdlet of a module PowerShell searches only there, not
    beside the assembly in bin/.
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../CloudNonce.psd1'),
    [string] $HelpSource = (Join-Path $PSScriptRoot '../docs/help'),
    [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$HelpSource = [IO.Path]::GetFullPath($HelpSource)
$module = Import-Module $ModuleManifest -Force -PassThru
if (-not $OutputPath) {
    $assemblyFile = Split-Path $module.ImplementingAssembly.Location -Leaf
    $OutputPath = Join-Path $module.ModuleBase "en-US/$assemblyFile-Help.xml"
}

$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Read-HelpData([string] $name) {
    $file = Join-Path $HelpSource "$name.psd1"
    if (-not (Test-Path $file)) {
        Write-Warning "$name has no help data file ($file): its help will have no prose."
        return @{}
    }
    $data = Import-PowerShellDataFile $file
    foreach ($key in 'Synopsis', 'Description', 'Examples') {
        if (-not $data[$key]) { Write-Warning "$file has no $key." }
    }
    return $data
}

# Descriptions of parameters several cmdlets share (the AWS ones), used where a cmdlet's own data file
# does not describe the parameter itself.
$sharedParameterText = @{}
foreach ($file in Get-ChildItem (Join-Path $HelpSource 'shared') -Filter *.psd1 -ErrorAction Ignore) {
    $sharedParameterText += (Import-PowerShellDataFile $file.FullName).Parameters
}

# A shared description, saying which provider the parameter needs in a cmdlet that has several
# (the [ProviderOnly] marker the cmdlet checks).
function Get-SharedText([System.Management.Automation.CmdletInfo] $cmdlet, [string] $name) {
    $text = $sharedParameterText[$name]
    if (-not $text) { return $null }
    # From the parameter's metadata: the AWS and shared EC2 parameters are dynamic (ParameterGroup), with
    # no property on the cmdlet's type.
    $only = $cmdlet.Parameters[$name].Attributes | Where-Object { $_.GetType().Name -eq 'ProviderOnlyAttribute' }
    if ($only -and $cmdlet.Parameters.ContainsKey('Provider')) { "With -Provider $($only.Provider) only. $text" } else { $text }
}

function Get-Documented([System.Management.Automation.CmdletInfo] $cmdlet) {
    $cmdlet.Parameters.Values | Where-Object { $_.Name -notin $common }
}

function Write-Paragraphs([System.Xml.XmlWriter] $w, [string] $text) {
    $w.WriteStartElement('maml', 'description', $ns.maml)
    foreach ($para in ($text -split '\r?\n\s*\r?\n')) {
        $w.WriteElementString('maml', 'para', $ns.maml, ($para.Trim() -replace '\s*\r?\n\s*', ' '))
    }
    $w.WriteEndElement()
}

# An optional value parameter is Nullable<T> only so the cmdlet can tell "not given" from a value:
# what the user passes is a T.
function Get-ValueType([type] $type) {
    [Nullable]::GetUnderlyingType($type) ?? $type
}

$accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get
# The type as PowerShell's own syntax lines write it (int, double, string[], timespan): the shortest
# type accelerator of the type, else its name.
function Get-TypeText([type] $type) {
    $type = Get-ValueType $type
    if ($type.IsArray) { return "$(Get-TypeText $type.GetElementType())[]" }
    $short = $accelerators.GetEnumerator() | Where-Object { $_.Value -eq $type } | ForEach-Object Key |
        Sort-Object Length, { $_ } | Select-Object -First 1
    $short ?? $type.Name
}

# The order of a syntax line: mandatory named parameters, then the positional ones by position (the
# order their values bind in), then the rest. Sort-Object -Stable keeps PowerShell's order of the
# parameters (the order the cmdlet declares them) within each group.
function Get-SyntaxOrder($setParameters) {
    $setParameters | Sort-Object -Stable @{ Expression = { if ($_.Position -ge 0) { 1 } elseif ($_.IsMandatory) { 0 } else { 2 } } },
        @{ Expression = { [Math]::Max($_.Position, 0) } }
}

function Write-Type([System.Xml.XmlWriter] $w, [type] $type) {
    $w.WriteStartElement('dev', 'type', $ns.dev)
    $w.WriteElementString('maml', 'name', $ns.maml, (Get-ValueType $type).FullName)
    $w.WriteEndElement()
}

function Get-PipelineText($attributes) {
    $ways = @(
        if ($attributes | Where-Object ValueFromPipeline) { 'ByValue' }
        if ($attributes | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' }
    )
    if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
}

function Write-Parameter([System.Xml.XmlWriter] $w, $parameter, $attributes, [string] $description) {
    $position = $attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Select-Object -First 1
    $w.WriteStartElement('command', 'parameter', $ns.command)
    $w.WriteAttributeString('required', ([bool]($attributes | Where-Object Mandatory)).ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('pipelineInput', (Get-PipelineText $attributes))
    $w.WriteAttributeString('position', ($null -ne $position ? "$position" : 'named'))
    $w.WriteAttributeString('aliases', ($parameter.Aliases.Count ? ($parameter.Aliases -join ', ') : 'none'))
    $w.WriteElementString('maml', 'name', $ns.maml, $parameter.Name)
    Write-Paragraphs $w $description
    if ($parameter.ParameterType -ne [switch]) {
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteString((Get-TypeText $parameter.ParameterType))
        $w.WriteEndElement()
    }
    Write-Type $w $parameter.ParameterType
    $w.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $w, [System.Management.Automation.CmdletInfo] $cmdlet, [hashtable] $data) {
    $ownText = $data['Parameters'] ?? @{}
    $documented = @(Get-Documented $cmdlet)
    $parameterText = @{}
    foreach ($p in $documented) { $parameterText[$p.Name] = $ownText[$p.Name] ?? (Get-SharedText $cmdlet $p.Name) }
    # Without a data file the one warning from Read-HelpData says it all.
    foreach ($p in $documented | Where-Object { $data.Count -and -not $parameterText[$_.Name] }) {
        Write-Warning "$($cmdlet.Name): parameter -$($p.Name) has no description."
    }
    foreach ($name in $ownText.Keys) {
        if ($name -notin $documented.Name) { Write-Warning "$($cmdlet.Name): help describes -$name, which the cmdlet does not have." }
    }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $cmdlet.Name)
    Write-Paragraphs $w ($data['Synopsis'] ?? '')
    $w.WriteElementString('command', 'verb', $ns.command, $cmdlet.Verb)
    $w.WriteElementString('command', 'noun', $ns.command, $cmdlet.Noun)
    $w.WriteEndElement()
    Write-Paragraphs $w ($data['Description'] ?? '')

    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $cmdlet.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $cmdlet.Name)
        $inSet = Get-SyntaxOrder ($set.Parameters | Where-Object { $_.Name -notin $common })
        foreach ($p in $inSet) {
            $meta = $cmdlet.Parameters[$p.Name]
            Write-Parameter $w $meta @($meta.Attributes | Where-Object { $_ -is [Parameter] -and $_.ParameterSetName -in $set.Name, '__AllParameterSets' }) ($parameterText[$p.Name] ?? '')
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $documented | Sort-Object Name) {
        Write-Parameter $w $p @($p.Attributes | Where-Object { $_ -is [Parameter] }) ($parameterText[$p.Name] ?? '')
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'inputTypes', $ns.command)
    $pipelineTypes = @($documented | Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } } |
        ForEach-Object { (Get-ValueType $_.ParameterType).FullName } | Sort-Object -Unique)
    if ($pipelineTypes) {
        $w.WriteStartElement('command', 'inputType', $ns.command)
        $w.WriteStartElement('dev', 'type', $ns.dev)
        $w.WriteElementString('maml', 'name', $ns.maml, ($pipelineTypes -join ', '))
        $w.WriteEndElement()
        Write-Paragraphs $w ($data['Inputs'] ?? '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'returnValues', $ns.command)
    foreach ($output in $cmdlet.OutputType) {
        $w.WriteStartElement('command', 'returnValue', $ns.command)
        Write-Type $w $output.Type
        Write-Paragraphs $w ($data['Outputs'] ?? '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    if ($data['Notes']) {
        $w.WriteStartElement('maml', 'alertSet', $ns.maml)
        $w.WriteStartElement('maml', 'alert', $ns.maml)
        $w.WriteElementString('maml', 'para', $ns.maml, $data['Notes'])
        $w.WriteEndElement()
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $ns.command)
    $number = 0
    foreach ($example in @($data['Examples'] ?? @())) {
        $number++
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- Example $number --------------------------")
        $w.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $w.WriteStartElement('dev', 'remarks', $ns.dev)
        $w.WriteElementString('maml', 'para', $ns.maml, $example.Remarks)
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @($data['Links'] ?? @())) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $w.WriteElementString('maml', 'linkText', $ns.maml, $link)
        $w.WriteElementString('maml', 'uri', $ns.maml, '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

$null = New-Item -ItemType Directory -Force (Split-Path $OutputPath)
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    # From Get-Command, not $module.ExportedCmdlets: only Get-Command's CmdletInfo puts the dynamic
    # parameters (ParameterGroup) in the parameter sets.
    foreach ($cmdlet in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
        Write-Command $writer $cmdlet (Read-HelpData $cmdlet.Name)
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
Write-Verbose "Wrote $OutputPath"
