# Get-CndFleet against loopback AWS (moto + the instance runner): a search runs in another runspace
# while the fleet is listed.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment

    # A search that cannot finish soon, running in its own runspace until stopped.
    function Start-BackgroundSearch([int]$Workers, [int]$TimeLimit = 90) {
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript("Import-Module '$PSScriptRoot/../../CloudNonce.psd1'; Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount $Workers -TimeLimit $TimeLimit -NonceEnd 3999999999")
        $null = $ps.BeginInvoke()
        $ps
    }
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'Get-CndFleet' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It 'shows a running search: one instance per slot, with its range and progress' {
        $search = Start-BackgroundSearch -Workers 3
        try {
            Wait-TestCondition -TimeoutSeconds 45 { @(Get-CndFleet | Where-Object { $_.State -eq 'running' -and $null -ne $_.Progress }).Count -eq 3 } |
                Should -BeTrue -Because 'three workers should be running and reporting'
            $fleet = @(Get-CndFleet)

            $fleet.Count | Should -Be 3
            @($fleet.SearchId | Sort-Object -Unique).Count | Should -Be 1
            $fleet[0].SearchId | Should -BeLike 'cnd-*'
            $fleet.InstanceType | Should -Be @('c7i.large', 'c7i.large', 'c7i.large')
            $fleet.Region | Should -Be @($aws.Region, $aws.Region, $aws.Region)
            ($fleet.Slot | Sort-Object) -join ',' | Should -Be '0,1,2'
            ($fleet | Sort-Object Slot).NonceRange -join ' ' | Should -Be '0-1333333333 1333333334-2666666666 2666666667-3999999999'
            foreach ($instance in $fleet) {
                $instance.InstanceId | Should -BeLike 'i-*'
                $instance.Progress | Should -BeGreaterOrEqual 0
                $instance.Progress | Should -BeLessOrEqual 100
                $instance.LaunchTime | Should -BeOfType [datetime]
            }
        }
        finally {
            $search.Stop(); $search.Dispose()
        }
        @(Get-CndFleet | Where-Object State -eq 'running').Count | Should -Be 0 -Because 'the stopped search terminated its fleet'
    }

    It 'filters by search id, also from the pipeline' {
        $search = Start-BackgroundSearch -Workers 2
        try {
            Wait-TestCondition -TimeoutSeconds 45 { @(Get-CndFleet).Count -eq 2 } | Should -BeTrue
            $id = (Get-CndFleet)[0].SearchId

            @(Get-CndFleet -SearchId $id).Count | Should -Be 2
            @(Get-CndFleet -SearchId 'cnd-no-such-search').Count | Should -Be 0
            @([pscustomobject]@{ SearchId = $id } | Get-CndFleet).Count | Should -Be 2
        }
        finally {
            $search.Stop(); $search.Dispose()
        }
    }

    It 'pipes into Remove-CndResources by search id, which ends that search''s fleet' {
        $search = Start-BackgroundSearch -Workers 2
        try {
            Wait-TestCondition -TimeoutSeconds 45 { @(Get-CndFleet | Where-Object State -eq 'running').Count -eq 2 } | Should -BeTrue
            $id = (Get-CndFleet)[0].SearchId

            $removed = @(Get-CndFleet -SearchId $id | Remove-CndResources -Force)

            @($removed | Where-Object Kind -eq 'Instance').Count | Should -Be 2
            ($removed | Where-Object Kind -eq 'Instance').Action | Should -Be @('Terminated', 'Terminated')
            Test-AllEnded $id | Should -BeTrue
        }
        finally {
            $search.Stop(); $search.Dispose()
        }
    }

    It 'lists nothing when the module has launched nothing' {
        @(Get-CndFleet).Count | Should -Be 0
    }

    It 'fails with a clear error when no region is configured' {
        $saved = $env:AWS_REGION, $env:AWS_DEFAULT_REGION
        try {
            $env:AWS_REGION = $null; $env:AWS_DEFAULT_REGION = $null
            { Get-CndFleet } | Should -Throw -ExpectedMessage '*No AWS region*-Region*' -ErrorId 'AwsConfiguration,*'
        }
        finally {
            $env:AWS_REGION, $env:AWS_DEFAULT_REGION = $saved
        }
    }
}
