BeforeAll {
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

# Expected numbers are worked by hand from P = 1 - exp(-N*r*(T - boot)/2^D), capped once the range
# is covered by 1 - (1 - 2^-D)^(range size).
Describe 'Get-CndSearchPlan' {
    It 'chooses the smallest N that reaches L' {
        # One worker: 1e7 * 60 = 6e8 nonces = 0.1397 * 2^32. ln 2 / 0.1397 = 4.96, so N = 5,
        # P = 1 - exp(-3e9 / 2^32) = 0.502665.
        $plan = Get-CndSearchPlan -Difficulty 32 -Confidence 0.5 -TimeLimit 60 -HashRate 1e7
        $plan | Should -BeOfType ([CloudNonce.Engine.Planning.SearchPlan])
        $plan.Workers | Should -Be 5
        $plan.Probability | Should -BeGreaterThan 0.5026652
        $plan.Probability | Should -BeLessThan 0.5026653
        $plan.Reachable | Should -BeTrue
    }

    It 'subtracts the boot overhead from the hashing time' {
        # 80 s of hashing at 3e7: 2.4e9 nonces; 1 - exp(-2.4e9 / 2^28) = 0.999869.
        $plan = Get-CndSearchPlan -D 28 -L 0.9 -T 120 -HashRate 3e7 -BootOverhead 40 -MaxVMCount 20
        $plan.Workers | Should -Be 1
        [math]::Round($plan.Probability, 6) | Should -Be 0.999869
    }

    It 'caps P by the chance a golden nonce exists once the range is covered' {
        # D = 32 over the full range: 1 - (1 - 2^-32)^(2^32) = 1 - 1/e = 0.632121.
        $plan = Get-CndSearchPlan -D 32 -T 60 -HashRate 1e8 -VMCount 2
        $plan.CoversRange | Should -BeTrue
        [math]::Round($plan.Probability, 6) | Should -Be 0.632121
    }

    It 'explains when D is too high for a 32-bit nonce' {
        $plan = Get-CndSearchPlan -D 36 -L 0.95 -HashRate 2e7
        $plan.Reachable | Should -BeFalse
        $plan.Explanation | Should -BeLike '*D = 36 a golden nonce exists*probability 6.06%*'
    }

    It 'explains when the maximum is too small' {
        $plan = Get-CndSearchPlan -D 32 -L 0.5 -T 60 -HashRate 1e7 -MaxVMCount 3
        $plan.Reachable | Should -BeFalse
        $plan.Workers | Should -Be 3
        $plan.WorkersNeeded | Should -Be 5
        $plan.Explanation | Should -BeLike '*needs 5 workers (maximum 3)*'
    }

    It 'uses a small range''s size' {
        # 1000 nonces at D = 8: 1 - (255/256)^1000 = 0.980037.
        $plan = Get-CndSearchPlan -D 8 -HashRate 1e6 -T 1 -VMCount 1 -NonceStart 0 -NonceEnd 999
        [math]::Round($plan.Probability, 6) | Should -Be 0.980037
    }

    It 'plans each piped difficulty' {
        $plans = 20..22 | Get-CndSearchPlan -HashRate 1e7 -VMCount 1 -T 10
        $plans.Difficulty | Should -Be @(20, 21, 22)
    }

    It 'measures a local rate when none is given' {
        (Get-CndSearchPlan -D 20).RatePerWorker | Should -BeGreaterThan 1e5
    }

    It 'refuses -VMCount above -MaxVMCount, naming both (<Provider>)' -ForEach @(
        @{ Provider = 'Local' }
        @{ Provider = 'EC2' }
    ) {
        $err = { Get-CndSearchPlan -Provider $Provider -D 30 -HashRate 1e7 -VMCount 51 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'VMCountAboveMaxVMCount,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*-VMCount 51 is above -MaxVMCount 50*'
        (Get-CndSearchPlan -Provider $Provider -D 30 -HashRate 1e7 -VMCount 51 -MaxVMCount 51).Workers | Should -Be 51
    }

    It 'rejects <Case>' -ForEach @(
        @{ Case = 'L = 0'; Run = { Get-CndSearchPlan -D 20 -L 0 -HashRate 1 }; Text = 'confidence 0 is not valid' }
        @{ Case = 'T = 0'; Run = { Get-CndSearchPlan -D 20 -T 0 -HashRate 1 }; Text = '0 s is not valid' }
        @{ Case = 'a zero rate'; Run = { Get-CndSearchPlan -D 20 -HashRate 0 }; Text = 'value 0 is not valid' }
        @{ Case = 'a negative boot'; Run = { Get-CndSearchPlan -D 20 -HashRate 1 -BootOverhead -1 }; Text = '-1 s is not valid' }
        @{ Case = 'D = 300'; Run = { Get-CndSearchPlan -D 300 -HashRate 1 }; Text = '*300*' }
        @{ Case = 'a maximum above any fleet'; Run = { Get-CndSearchPlan -D 20 -HashRate 1 -MaxVMCount 100001 }; Text = "parameter 'MaxVMCount'. The value 100001 is outside the valid range 1..100000" }
        @{ Case = 'a zero maximum'; Run = { Get-CndSearchPlan -D 20 -HashRate 1 -MaxVMCount 0 }; Text = "parameter 'MaxVMCount'. The value 0 is outside the valid range 1..100000" }
        @{ Case = 'NonceStart > NonceEnd'; Run = { Get-CndSearchPlan -D 20 -HashRate 1 -NonceStart 2 -NonceEnd 1 }; Text = '-NonceStart 2 is greater than -NonceEnd 1' }
    ) {
        { & $Run } | Should -Throw "*$Text*"
    }
}

Describe 'Get-CndSearchPlan -Provider EC2' {
    BeforeAll {
        $saved = $env:CLOUDNONCE_DATA_HOME
        $env:CLOUDNONCE_DATA_HOME = Join-Path ([IO.Path]::GetTempPath()) "cnd-plan-data-$PID"
    }
    AfterAll {
        Remove-Item $env:CLOUDNONCE_DATA_HOME -Recurse -Force -ErrorAction Ignore
        $env:CLOUDNONCE_DATA_HOME = $saved
    }

    It 'plans instances from the documented table and prices the fleet' {
        # c7i.large: 2 vCPU x 15 M/s, 40 s boot. 4 workers sweep 2^32 in 40 + 2^32 / 1.2e8 = 75.79 s,
        # under the 300 s limit, so each bills 76 s: 4 x 76 / 3600 h at $0.08925/h.
        $plan = Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2
        $plan.RatePerWorker | Should -Be 3e7
        $plan.BootOverhead.TotalSeconds | Should -Be 40
        $plan.Worker | Should -BeLike 'one c7i.large instance*'
        $plan.Cost.InstanceHours | Should -Be (4 * 76 / 3600)
        $plan.Cost.Price.PerHour | Should -Be 0.08925
        $plan.Cost.Total | Should -Be (4 * 76 / 3600 * 0.08925)
        ($plan | Format-Table | Out-String) | Should -Match '0\.0075'
    }

    It 'prices spot at the table''s discount, or at -PricePerHour' {
        (Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2 -Spot).Cost.Price.PerHour | Should -Be (0.08925 * 0.4)
        (Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2 -Spot -PricePerHour 1).Cost.Total | Should -Be (4 * 76 / 3600)
    }

    It 'uses the rate Measure-CndPerformance -Provider EC2 cached for the instance type' {
        $cache = [CloudNonce.Engine.Performance.Ec2RateCache]::Default
        $cache.Save('c7a.large', 8e7, [TimeSpan]::FromSeconds(25), 'test', [DateTimeOffset]::UtcNow)
        $plan = Get-CndSearchPlan -D 32 -L 0.5 -T 120 -Provider EC2 -InstanceType c7a.large
        $plan.RatePerWorker | Should -Be 8e7
        $plan.BootOverhead.TotalSeconds | Should -Be 25
        $plan.Worker | Should -BeLike '*measured * on test*'
    }

    It 'refuses a time limit the workers'' presigned URLs cannot outlive (7 days with SigV4), naming the bound' {
        { Get-CndSearchPlan -Provider EC2 -D 30 -TimeLimit ([timespan]::FromDays(8)) } |
            Should -Throw -ErrorId 'InvalidArgument,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand' -ExpectedMessage '*-TimeLimit can be at most 6d 23h 58m (604680 s)*7 days (SigV4)*'
        (Get-CndSearchPlan -Provider EC2 -D 30 -TimeLimit 604680).TimeLimit.TotalSeconds | Should -Be 604680
    }

    It 'refuses EC2 options with the Local provider' {
        { Get-CndSearchPlan -D 20 -HashRate 1e6 -Spot } | Should -Throw -ErrorId 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand'
    }
}
