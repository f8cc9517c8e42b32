BeforeDiscovery {
    $cmdletNames = (Import-Module (Join-Path $PSScriptRoot '../../CloudNonce.psd1') -PassThru).ExportedCmdlets.Keys
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    $module = Import-Module $ModuleManifest -Force -PassThru
}

Describe 'The CloudNonce module' {
    It 'has a valid manifest for PowerShell 7.4+ Core' {
        $manifest = Test-ModuleManifest $ModuleManifest
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'exports the local cmdlets' {
        foreach ($name in 'Start-CndSearch', 'Get-CndHash', 'Test-CndNonce', 'Get-CndSearchPlan', 'Measure-CndPerformance') {
            $module.ExportedCmdlets.Keys | Should -Contain $name
        }
    }

    It 'declares an output type on every cmdlet' {
        foreach ($cmdlet in $module.ExportedCmdlets.Values) {
            $cmdlet.OutputType | Should -Not -BeNullOrEmpty -Because "$($cmdlet.Name) should declare OutputType"
        }
    }

    It 'has full help for <_>' -ForEach $cmdletNames {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$_ *" -Because 'an auto-generated synopsis is just the syntax'
        ($help.description.Text -join '') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($name in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $parameter = $help.parameters.parameter | Where-Object Name -EQ $name
            ($parameter.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$name of $_ needs a description"
        }
    }

    It 'writes Start-CndSearch''s syntax with PowerShell''s type names, starting with the mandatory parameter' {
        $syntax = Get-Help Start-CndSearch | ForEach-Object syntax | Out-String -Width 4000
        $syntax | Should -Not -Match 'Nullable|`1'
        $lines = @($syntax -split '\r?\n' | Where-Object { $_ -like 'Start-CndSearch *' })
        # The block as text, bytes or hex, each in a Local and an EC2 shape.
        $lines | Should -HaveCount 6
        $lines[0].StartsWith('Start-CndSearch -Difficulty <int> [[-Block] <string>] ') | Should -BeTrue -Because $lines[0]
        $lines[2].StartsWith('Start-CndSearch -BlockBytes <byte[]> -Difficulty <int> ') | Should -BeTrue -Because $lines[2]
        $lines[3].StartsWith('Start-CndSearch -BlockBytes <byte[]> -Difficulty <int> -Provider <SearchProviderKind> ') | Should -BeTrue -Because $lines[3]
        foreach ($text in '[-VMCount <int>] [-Confidence <double>]', '[-Threads <int>]', '[-TimeLimit <timespan>]', '[-NonceEnd <uint>]') {
            $lines[0] | Should -Match ([regex]::Escape($text))
        }
        $lines[1] | Should -Match ([regex]::Escape('[-PricePerHour <double>]'))
    }

    It 'declares the search parameters of Start-CndSearch and Get-CndSearchPlan once, so they cannot drift apart' {
        $start = Get-Command Start-CndSearch
        $plan = Get-Command Get-CndSearchPlan
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $shared = @($plan.Parameters.Keys | Where-Object { $start.Parameters.ContainsKey($_) -and $_ -notin 'Difficulty', 'Provider' -and $_ -notin $common })
        $shared | Should -Contain 'Confidence'
        $shared | Should -Contain 'MaxVMCount'
        $shared | Should -Contain 'SubnetId'
        $shared | Should -Contain 'Region'
        # A shared parameter is a property of SearchCommandBase, or of a parameter group both offer
        # (Ec2SearchParameters, AwsParameters): never one declaration per cmdlet.
        $groups = 'Ec2SearchParameters', 'AwsParameters' | ForEach-Object { $start.ImplementingType.Assembly.GetType("CloudNonce.Cmdlets.Parameters.$_", $true) }
        foreach ($name in $shared) {
            $declaring = @($start.ImplementingType.GetProperty($name) | Where-Object { $_ } | ForEach-Object { $_.DeclaringType.Name }) + @($groups | Where-Object { $_.GetProperty($name) } | ForEach-Object Name)
            $declaring | Should -HaveCount 1 -Because "-$name should be one declaration"
            $declaring[0] | Should -BeIn 'SearchCommandBase', 'Ec2SearchParameters', 'AwsParameters' -Because "-$name should be declared where both cmdlets take it from"
        }
        $start.Parameters.Confidence.ParameterType | Should -Be ([Nullable[double]])
        $plan.Parameters.MaxVMCount.Aliases | Should -Contain 'MaxWorkers'
        $start.Parameters.MaxVMCount.Aliases | Should -Contain 'MaxWorkers'
        $start.Parameters.ProfileName.Aliases | Should -Contain 'AWSProfileName'
    }

    It 'gives <_> a Local shape without any EC2-only parameter and an EC2 shape with all of them' -ForEach 'Start-CndSearch', 'Get-CndSearchPlan', 'Measure-CndPerformance' {
        $command = $_
        $only = Get-ProviderOnlyParameters $command
        $ec2Only = @($only.Keys | Where-Object { $only[$_] -eq 'EC2' })
        $localOnly = @($only.Keys | Where-Object { $only[$_] -eq 'Local' })
        $ec2Only | Should -Contain 'Region'
        $sets = (Get-Command $command).ParameterSets
        $sets.Where({ $_.IsDefault }).Name | Should -BeLike '*Local'
        foreach ($set in $sets) {
            $names = $set.Parameters.Name
            $shape = if ($set.Name -like '*EC2') { $ec2Only } else { $localOnly }
            $other = if ($set.Name -like '*EC2') { $localOnly } else { $ec2Only }
            foreach ($name in $shape) { $names | Should -Contain $name -Because "the $($set.Name) shape of $command takes -$name" }
            foreach ($name in $other) { $names | Should -Not -Contain $name -Because "the $($set.Name) shape of $command has no -$name" }
        }
        # The reverse: a parameter only the EC2 (or only the Local) shapes take is marked so, or the
        # cmdlet could not refuse it with the other -Provider.
        $ec2Sets = @($sets | Where-Object Name -Like '*EC2')
        $localSets = @($sets | Where-Object Name -NotLike '*EC2')
        foreach ($name in (Get-Command $command).Parameters.Keys) {
            $inEc2 = @($ec2Sets | Where-Object { $_.Parameters.Name -contains $name }).Count
            $inLocal = @($localSets | Where-Object { $_.Parameters.Name -contains $name }).Count
            if ($inEc2 -and -not $inLocal) { $only[$name] | Should -Be 'EC2' -Because "only the EC2 shapes of $command take -$name" }
            if ($inLocal -and -not $inEc2) { $only[$name] | Should -Be 'Local' -Because "only the Local shapes of $command take -$name" }
        }
        # And Get-Command -Syntax, which users read, says the same.
        $syntax = @((Get-Command $command -Syntax) -split '\r?\n' | Where-Object { $_ -like "$command *" })
        $syntax.Count | Should -Be $sets.Count
        @($syntax | Where-Object { $_ -match '-Region ' }).Count | Should -Be @($sets | Where-Object Name -Like '*EC2').Count
    }

    It 'says in the help of <_> which provider each provider-only parameter needs' -ForEach 'Start-CndSearch', 'Get-CndSearchPlan', 'Measure-CndPerformance' {
        $command = Get-Command $_
        $marked = @(foreach ($name in $command.Parameters.Keys) {
            $only = $command.Parameters[$name].Attributes | Where-Object { $_.GetType().Name -eq 'ProviderOnlyAttribute' }
            if ($only) { [pscustomobject]@{ Name = $name; Provider = "$($only.Provider)" } }
        })
        $marked.Count | Should -BeGreaterThan 4
        foreach ($parameter in $marked) {
            $text = (Get-Help $_ -Parameter $parameter.Name).description.Text -join ' '
            $text | Should -Match "\b$($parameter.Provider)\b" -Because "-$($parameter.Name) works with -Provider $($parameter.Provider) only"
        }
    }

    It 'orders the syntax of <_>: mandatory named, then positional by position, then the rest as declared' -ForEach $cmdletNames {
        $declared = @((Get-Command $_).Parameters.Keys)
        foreach ($item in (Get-Help $_).syntax.syntaxItem) {
            $parameters = @($item.parameter)
            $group = { param($p) if ($p.position -ne 'named') { 1 } elseif ($p.required -eq 'true') { 0 } else { 2 } }
            $groups = @($parameters | ForEach-Object { & $group $_ })
            $groups | Should -Be @($groups | Sort-Object) -Because "$($parameters.name -join ', ')"
            $positions = @($parameters | Where-Object position -NE 'named' | ForEach-Object { [int] $_.position })
            $positions | Should -Be @($positions | Sort-Object)
            $optionalNamed = @($parameters | Where-Object { (& $group $_) -eq 2 } | ForEach-Object name)
            $optionalNamed | Should -Be @($optionalNamed | Sort-Object { $declared.IndexOf($_) })
        }
    }

    It 'formats results as a table' {
        $text = Start-CndSearch -D 8 | Format-Table | Out-String
        $text | Should -BeLike '*Found*Nonce*Zeros*StopReason*'
    }

    It 'loads from another working directory in a fresh process, shows the plan for -WhatIf, and searches' {
        $script = "Import-Module '$((Resolve-Path $ModuleManifest).Path)'; Start-CndSearch -D 256 -T 30 -WhatIf; (Start-CndSearch -Difficulty 12).StopReason"
        $lines = Invoke-FreshPwsh $script -WorkingDirectory ([IO.Path]::GetTempPath())
        ($lines -join "`n") | Should -BeLike '*What if:*golden nonce at D = 256 on Local*P = *within 30 s*'
        $lines[-1] | Should -Be 'Found'
    }

    It 'reports a missing native library as a terminating error with an id and category' {
        $copy = Join-Path ([IO.Path]::GetTempPath()) "cnd-nolib-$PID"
        try {
            $null = New-Item -ItemType Directory -Force "$copy/bin"
            $binDir = Split-Path $module.ImplementingAssembly.Location
            Copy-Item "$binDir/*.dll" "$copy/bin/"
            Copy-Item $ModuleManifest, (Join-Path (Split-Path $ModuleManifest) 'CloudNonce.format.ps1xml') $copy
            $lines = Invoke-FreshPwsh "Import-Module '$copy/CloudNonce.psd1'; try { Start-CndSearch -D 8 } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.Exception.Message }"
            $lines[0] | Should -BeLike 'NativeLibraryNotFound,*'
            $lines[1] | Should -Be 'ObjectNotFound'
            $lines[2] | Should -BeLike "*$copy/bin/runtimes/linux-x64/native/libcndhash.so*"
        }
        finally {
            Remove-Item -Recurse -Force $copy -ErrorAction Ignore
        }
    }
}
