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
        $plan.Units | Should -Be 5
        $plan.Probability | Should -BeGreaterThan 0.5026652
        $plan.Probability | Should -BeLessThan 0.5026653
        $plan.Reachable | Should -BeTrue
    }

    It 'subtracts the boot overhead from the hashing time' {
        # 80 s of hashing at 3e7: 2.4e9 nonces; 1 - exp(-2.4e9 / 2^28) = 0.999869.
        $plan = Get-CndSearchPlan -D 28 -L 0.9 -T 120 -HashRate 3e7 -BootOverhead 40 -MaxVMCount 20
        $plan.Units | Should -Be 1
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
        $plan.Units | Should -Be 3
        $plan.UnitsNeeded | Should -Be 5
        $plan.Explanation | Should -BeLike '*needs 5 threads (maximum 3)*'
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
        (Get-CndSearchPlan -D 20).NoncesPerSecondPerUnit | Should -BeGreaterThan 1e5
    }

    It 'refuses -VMCount above -MaxVMCount, naming both (<Provider>)' -ForEach @(
        @{ Provider = 'Local' }
        @{ Provider = 'EC2' }
    ) {
        $err = { Get-CndSearchPlan -Provider $Provider -D 30 -HashRate 1e7 -VMCount 51 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'VMCountAboveMaxVMCount,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*-VMCount 51 is above -MaxVMCount 50*'
        (Get-CndSearchPlan -Provider $Provider -D 30 -HashRate 1e7 -VMCount 51 -MaxVMCount 51).Units | Should -Be 51
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

    It 'plans instances from the documented table and prices the fleet in its region' {
        # c7i.large: 2 vCPU x 15 M/s, 40 s boot. 4 workers sweep 2^32 in 40 + 2^32 / 1.2e8 = 75.79 s,
        # under the 300 s limit, so each bills 76 s: 4 x 76 / 3600 h at the region's price.
        $plan = Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2 -Region us-east-1
        $plan.NoncesPerSecondPerUnit | Should -Be 3e7
        $plan.BootOverhead.TotalSeconds | Should -Be 40
        $plan.Unit | Should -BeLike 'one c7i.large instance*'
        $plan.CostBreakdown.InstanceHours | Should -Be (4 * 76 / 3600)
        $instances = $plan.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours'
        $instances.UnitPrice | Should -Be 0.08925
        $instances.Usd | Should -Be (4 * 76 / 3600 * 0.08925)
        $instances.Source | Should -BeLike '*us-east-1*'
        @($plan.CostBreakdown.Parts | ForEach-Object Item) | Should -Be @('instances, on-demand c7i.large', 'public IPv4 addresses', 'S3 PUT and LIST requests', 'S3 GET requests')
        $plan.EstimatedCost | Should -Be ($plan.CostBreakdown.Parts | Measure-Object -Sum Usd).Sum
        ($plan | Format-Table | Out-String) | Should -Match ('{0:N4}' -f $plan.EstimatedCost)
    }

    It 'prices a plan in eu-west-2 at eu-west-2''s prices, named by -Region or AWS_REGION' {
        $london = Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2 -Region eu-west-2
        $virginia = Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2 -Region us-east-1
        $london.CostBreakdown.Region | Should -Be 'eu-west-2'
        $price = ($london.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours').UnitPrice
        $price | Should -Be 0.10605
        $london.EstimatedCost | Should -BeGreaterThan $virginia.EstimatedCost
        $saved = $env:AWS_REGION
        try {
            $env:AWS_REGION = 'eu-west-2'
            (Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2).EstimatedCost | Should -Be $london.EstimatedCost
        }
        finally { $env:AWS_REGION = $saved }
    }

    It 'asks for -PricePerHour for <Case>, never using another region''s price' -ForEach @(
        @{ Case = 'a region the table lacks'; Region = 'ap-south-2'; Type = 'c7i.large'; Text = '*does not cover region ap-south-2*-PricePerHour*' }
        @{ Case = 'a type the region lacks'; Region = 'eu-west-2'; Type = 'm7a.large'; Text = '*no on-demand price for m7a.large in eu-west-2*-PricePerHour*' }
    ) {
        $plan = Get-CndSearchPlan -D 32 -VMCount 2 -Provider EC2 -Region $Region -InstanceType $Type
        $plan.EstimatedCost | Should -BeNullOrEmpty
        $plan.CostBreakdown.Missing[0] | Should -BeLike $Text
        "$($plan.CostBreakdown)" | Should -BeLike 'unknown:*-PricePerHour*'
        (Get-CndSearchPlan -D 32 -VMCount 2 -Provider EC2 -Region $Region -InstanceType $Type -PricePerHour 1).EstimatedCost | Should -BeGreaterThan 0
    }

    It 'prices spot at -PricePerHour without asking AWS' {
        $plan = Get-CndSearchPlan -D 32 -VMCount 4 -Provider EC2 -Region us-east-1 -Spot -PricePerHour 1
        $instances = $plan.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours'
        $instances.Item | Should -Be 'instances, spot c7i.large'
        $instances.Usd | Should -Be (4 * 76 / 3600)
    }

    It 'reports a -MaxCost below the billing minimum, with both figures' {
        $plan = Get-CndSearchPlan -D 30 -VMCount 4 -Provider EC2 -Region eu-west-2 -MaxCost 0.001 -WarningVariable warned -WarningAction SilentlyContinue
        $plan.Refusal | Should -BeLike '4 instance(s) cost at least $0.0* (EC2 bills each for at least 60 s), more than -MaxCost $0.001*'
        "$warned" | Should -BeLike '*would refuse*'
    }

    It 'chooses the fleet and time within -MaxCost and reports the chance it buys' {
        $plan = Get-CndSearchPlan -D 34 -Provider EC2 -Region us-east-1 -PricePerHour 36 -MaxCost 2 -MaxVMCount 10
        $plan.EstimatedCost | Should -BeLessOrEqual 2
        $plan.MaxCost | Should -Be 2
        $plan.Probability | Should -BeGreaterThan 0
        $plan.Explanation | Should -BeLike '*-MaxCost $2 buys at best P = *'
    }

    It 'warns when the time limit ends before a worker boots, with both times' {
        $plan = Get-CndSearchPlan -D 30 -VMCount 2 -TimeLimit 6 -Provider EC2 -Region eu-west-2 -WarningVariable warned -WarningAction SilentlyContinue
        $plan.Probability | Should -Be 0
        "$warned" | Should -BeLike '*time limit (6 s) ends before a worker has booted (40 s*2 instances need * s for P = 95*'
    }

    It 'says when this machine alone is faster than one worker''s boot' {
        $plan = Get-CndSearchPlan -D 16 -Provider EC2 -Region eu-west-2 -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -BeLike '*This machine alone (* M nonces/s) reaches P = 95 % at D = 16 in * s, sooner than one EC2 worker boots (40 s)*'
        (Get-CndSearchPlan -D 36 -Provider EC2 -Region eu-west-2 -L 0.05 -BootOverhead 5 -WarningAction SilentlyContinue).Warnings | Should -BeNullOrEmpty
    }

    It '-InstanceType Auto picks the cheapest type per nonce from the rates cached in the data folder' {
        # Measured three times the documented rate, c6a.large beats every other type per nonce.
        $cache = [CloudNonce.Engine.Performance.Ec2RateCache]::Default
        $cache.Save('c6a.large', 6.6e7, [TimeSpan]::FromSeconds(30), 'test', [DateTimeOffset]::UtcNow)
        $plan = Get-CndSearchPlan -D 30 -Provider EC2 -Region us-east-1 -InstanceType Auto
        $plan.InstanceType | Should -Be 'c6a.large'
        $plan.NoncesPerSecondPerUnit | Should -Be 6.6e7
        $plan.InstanceChoice | Should -BeLike 'c6a.large: the lowest cost per nonce of the * type(s)*measured by Measure-CndPerformance*'
        (Get-CndSearchPlan -D 30 -Provider EC2 -Region us-east-1 -InstanceType c7i.large, c5.large).InstanceType | Should -Be 'c7i.large'
    }

    It 'uses the rate Measure-CndPerformance -Provider EC2 cached for the instance type' {
        $cache = [CloudNonce.Engine.Performance.Ec2RateCache]::Default
        $cache.Save('c7a.large', 8e7, [TimeSpan]::FromSeconds(25), 'test', [DateTimeOffset]::UtcNow)
        $plan = Get-CndSearchPlan -D 32 -L 0.5 -T 120 -Provider EC2 -InstanceType c7a.large
        $plan.NoncesPerSecondPerUnit | Should -Be 8e7
        $plan.BootOverhead.TotalSeconds | Should -Be 25
        $plan.Unit | Should -BeLike '*measured * on test*'
    }

    It 'refuses a time limit the workers'' presigned URLs cannot outlive (7 days with SigV4), naming the bound' {
        { Get-CndSearchPlan -Provider EC2 -D 30 -TimeLimit ([timespan]::FromDays(8)) } |
            Should -Throw -ErrorId 'InvalidArgument,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand' -ExpectedMessage '*-TimeLimit can be at most 6d 23h 58m (604680 s)*7 days (SigV4)*'
        (Get-CndSearchPlan -Provider EC2 -D 30 -TimeLimit 604680).TimeLimit.TotalSeconds | Should -Be 604680
    }

    It 'refuses EC2 options with the Local provider' {
        { Get-CndSearchPlan -D 20 -HashRate 1e6 -Spot } | Should -Throw -ErrorId 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand'
        { Get-CndSearchPlan -D 20 -HashRate 1e6 -MaxCost 1 } | Should -Throw -ErrorId 'Ec2OptionNeedsEc2Provider,CloudNonce.Cmdlets.Commands.GetCndSearchPlanCommand'
    }
}

Describe 'Get-CndSearchPlan parameter shapes' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
        Import-Module $ModuleManifest -Force
    }

    It 'offers the EC2 parameters after -Provider EC2 and an EC2-only one, and in the Local shape none (<Line>)' -ForEach @(
        @{ Line = 'Get-CndSearchPlan 30 -Provider EC2 -'; Offers = 'InstanceType', 'MaxCost', 'Region', 'HashRate'; Lacks = @() }
        @{ Line = 'Get-CndSearchPlan 30 -Spot -'; Offers = 'InstanceType', 'Region', 'BootOverhead'; Lacks = @() }
    ) {
        Assert-ParameterCompletion $Line $Offers $Lacks
    }

    It 'writes the Local shape without any EC2-only parameter' {
        $local = (Get-Command Get-CndSearchPlan).ParameterSets | Where-Object IsDefault
        $local.Name | Should -Be 'Local'
        foreach ($name in 'InstanceType', 'Spot', 'MaxCost', 'Region', 'EndpointUrl', 'Credential') { $local.Parameters.Name | Should -Not -Contain $name }
        $local.Parameters.Name | Should -Contain 'HashRate'
    }

    # Every -Provider with a parameter of every shape (-HashRate), EC2-only ones, an AWS one or none, the
    # difficulty given by position, by name and through the pipeline. Get-CndSearchPlan has no Local-only
    # parameter, so every combination binds and the cmdlet alone refuses what does not fit.
    It '<Difficulty> <Provider> <Extra>: <Expected>' -ForEach @(
        foreach ($difficulty in 'Get-CndSearchPlan 30', 'Get-CndSearchPlan -Difficulty 30', '30 | Get-CndSearchPlan') {
            foreach ($provider in '', '-Provider Local', '-Provider EC2') {
                foreach ($extra in '', '-HashRate 1e6', '-InstanceType c7i.large -PricePerHour 0.1', '-Region us-east-1') {
                    $refused = $extra -and $extra -ne '-HashRate 1e6' -and $provider -ne '-Provider EC2'
                    @{ Difficulty = $difficulty; Provider = $provider; Extra = $extra; Expected = if ($refused) { 'Ec2OptionNeedsEc2Provider' } else { 'runs' } }
                }
            }
        }
    ) {
        Get-BindingOutcome "$Difficulty $Provider $Extra" | Should -Be $Expected
    }
}
