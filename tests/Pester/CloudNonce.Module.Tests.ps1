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
        $syntax = Get-Help Start-CndSearch | ForEach-Object syntax | Out-String -Width 2000
        $syntax | Should -Not -Match 'Nullable|`1'
        $lines = @($syntax -split '\r?\n' | Where-Object { $_ -like 'Start-CndSearch *' })
        $lines | Should -HaveCount 3
        $lines[0].StartsWith('Start-CndSearch -Difficulty <int> [[-Block] <string>] ') | Should -BeTrue -Because $lines[0]
        $lines[1].StartsWith('Start-CndSearch -BlockBytes <byte[]> -Difficulty <int> ') | Should -BeTrue -Because $lines[1]
        foreach ($text in '[-VMCount <int>] [-Confidence <double>]', '[-Threads <int>]', '[-PricePerHour <double>]', '[-TimeLimit <timespan>]', '[-NonceEnd <uint>]') {
            $lines[0] | Should -Match ([regex]::Escape($text))
        }
    }

    It 'declares the search parameters of Start-CndSearch and Get-CndSearchPlan once, so they cannot drift apart' {
        $start = Get-Command Start-CndSearch
        $plan = Get-Command Get-CndSearchPlan
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $shared = @($plan.Parameters.Keys | Where-Object { $start.Parameters.ContainsKey($_) -and $_ -notin 'Difficulty' -and $_ -notin $common })
        $shared | Should -Contain 'Confidence'
        $shared | Should -Contain 'MaxVMCount'
        $shared | Should -Contain 'SubnetId'
        foreach ($name in $shared) {
            $fromStart = $start.ImplementingType.GetProperty($name)
            $fromPlan = $plan.ImplementingType.GetProperty($name)
            $fromStart.DeclaringType | Should -Be $fromPlan.DeclaringType -Because "-$name should be one declaration"
        }
        $start.Parameters.Confidence.ParameterType | Should -Be ([Nullable[double]])
        $plan.Parameters.MaxVMCount.Aliases | Should -Contain 'MaxWorkers'
        $start.Parameters.MaxVMCount.Aliases | Should -Contain 'MaxWorkers'
    }

    It 'says in the help of <_> which provider each provider-only parameter needs' -ForEach 'Start-CndSearch', 'Get-CndSearchPlan', 'Measure-CndPerformance' {
        $command = Get-Command $_
        $marked = @(foreach ($name in $command.Parameters.Keys) {
            $property = $command.ImplementingType.GetProperty($name)
            $only = if ($property) { $property.GetCustomAttributes($true) | Where-Object { $_.GetType().Name -eq 'ProviderOnlyAttribute' } }
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
