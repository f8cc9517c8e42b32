# What an EC2 search costs, on loopback: prices of the search's region, the spot price EC2 reports
# (moto answers DescribeSpotPriceHistory with $0.00001 in every zone), -MaxCost before launch and
# while the search runs, and the plan's warnings before anything is launched.

BeforeAll {
    Import-Module "$PSScriptRoot/CndEc2Test.psm1" -Force
    $script:aws = Start-CndEc2TestEnvironment
    $script:MotoSpotPrice = 0.00001
}

AfterAll {
    Stop-CndEc2TestEnvironment
}

Describe 'EC2 cost' {
    BeforeEach {
        Reset-CndTestMoto -Moto $aws.Moto
    }

    It 'prices a search in eu-west-2 at eu-west-2''s prices, part by part' {
        $aws.Region | Should -Be 'eu-west-2'
        $result = Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 2 -NonceEnd 1999999 -TimeLimit 60

        $result.StopReason | Should -Be 'Exhausted'
        $result.CostBreakdown.Region | Should -Be 'eu-west-2'
        $instances = $result.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours'
        $instances.UnitPrice | Should -Be 0.10605 -Because 'c7i.large in London, from the dated table'
        $instances.Source | Should -BeLike '*eu-west-2*'
        $instances.Quantity | Should -BeGreaterOrEqual (2 / 60) -Because 'each instance bills at least 60 s'
        $requests = $result.CostBreakdown.Parts | Where-Object Item -eq 'S3 PUT and LIST requests'
        $requests.UnitPrice | Should -Be (0.0053 / 1000)
        $requests.Quantity | Should -BeGreaterThan 0
        $result.EstimatedCost | Should -Be ($result.CostBreakdown.Parts | Measure-Object -Sum Usd).Sum
        $result.EstimatedCost | Should -BeGreaterThan $instances.Usd
    }

    It 'prices spot plans and results at the spot price EC2 reports for the region' {
        $plan = Get-CndSearchPlan -Provider EC2 -D 40 -VMCount 2 -Spot
        ($plan.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours').UnitPrice | Should -Be $MotoSpotPrice

        $result = Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 2 -NonceEnd 1999999 -TimeLimit 60 -Spot
        $result.SpotInstances | Should -Be 2
        $instances = $result.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours'
        $instances.Item | Should -Be 'instances, spot c7i.large'
        $instances.UnitPrice | Should -Be $MotoSpotPrice
        $instances.Source | Should -BeLike 'DescribeSpotPriceHistory at *, the highest of * zone(s) in eu-west-2*'
    }

    It 'asks for -PricePerHour for a type the region''s table lacks, in the plan and in the result' {
        $result = Start-CndSearch -Provider EC2 -Difficulty 40 -VMCount 1 -NonceEnd 999999 -TimeLimit 60 -InstanceType m7a.large -Verbose 4>&1 |
            Tee-Object -Variable output | Where-Object { $_ -is [CloudNonce.Engine.Search.CndSearchResult] }
        $result.EstimatedCost | Should -BeNullOrEmpty
        $result.CostBreakdown.Missing[0] | Should -BeLike '*no on-demand price for m7a.large in eu-west-2*-PricePerHour*'
        $result.Warnings | Should -BeLike 'The cost of this search cannot be estimated: *m7a.large*-PricePerHour*'
        (($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'no price: .*-PricePerHour'
    }

    It 'refuses a -MaxCost below the billing minimum before launching anything, with both figures' {
        $err = { Start-CndSearch -Provider EC2 -Difficulty 30 -VMCount 4 -TimeLimit 120 -MaxCost 0.001 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PlanRefused,CloudNonce.Cmdlets.Commands.StartCndSearchCommand'
        $err.Exception.Message | Should -BeLike '4 instance(s) cost at least $0.0* (EC2 bills each for at least 60 s), more than -MaxCost $0.001: raise -MaxCost to $0.0*'
        @(Get-TestInstance).Count | Should -Be 0
        @(Get-TestBucketName).Count | Should -Be 0 -Because 'nothing is made before the refusal'
    }

    It 'ends a search whose cap runs out with StopReason Budget, every instance ended, within the cap' {
        # A cent per instance-second: two instances bill $1.20 for their first minute, then 2 cents a second.
        # Graviton workers run their scanner under qemu here, far too slowly to sweep the range before
        # the cap runs out (x86 workers on a fast machine sweep 2^32 nonces in under a minute).
        # The harness acts as AWS documents (new things not found for a while, ids of terminated
        # instances forgotten, groups held by shutting-down instances): the budget stop must still end every instance.
        Set-CndTestStrictAws | Out-Null
        try {
            $result = Start-CndSearch -Provider EC2 -InstanceType c7g.large -Difficulty 40 -VMCount 2 -TimeLimit 300 -PricePerHour 36 -MaxCost 1.25 -WarningVariable warned -WarningAction SilentlyContinue
        }
        finally {
            Set-CndTestRunnerFault @{} | Out-Null
        }

        $result.StopReason | Should -Be 'Budget'
        $result.Elapsed.TotalSeconds | Should -BeLessThan 120
        $result.EstimatedCost | Should -BeLessOrEqual 1.25
        $result.EstimatedCost | Should -BeGreaterOrEqual 1.2
        "$warned" | Should -BeLike '*before the next poll would pass -MaxCost $1.25*'
        $result.Coverage.Missing[0].Reason | Should -BeLike '*-MaxCost reached*'
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It 'warns before launch when the time limit ends before a worker boots, and refuses it with -Confidence' {
        $null = Start-CndSearch -Provider EC2 -Difficulty 30 -VMCount 2 -TimeLimit 6 -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -BeLike '*time limit (6 s) ends before a worker has booted (40 s from launch to hashing)*2 instances need * s for P = 95*'

        $err = { Start-CndSearch -Provider EC2 -Difficulty 30 -VMCount 2 -TimeLimit 6 -Confidence 0.5 -WarningAction SilentlyContinue } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PlanUnreachable,CloudNonce.Cmdlets.Commands.StartCndSearchCommand'
        $err.Exception.Message | Should -BeLike '*time limit (6 s) leaves no time after the boot overhead (40 s). 2 instances need * s for it.*'
        @(Get-TestInstance).Count | Should -Be 0
    }

    It '-InstanceType Auto launches the type the rate cache makes cheapest per nonce, and says why' {
        # The tests' own data folder (CLOUDNONCE_DATA_HOME): c6a.large measured at three times its documented rate.
        New-Item -ItemType Directory -Force $env:CLOUDNONCE_DATA_HOME | Out-Null
        @{ rates = @{ 'c6a.large' = @{ noncesPerSecond = 6.6e7; bootSeconds = 30; where = 'test'; measuredAt = '2026-11-29T12:00:00Z' } } } |
            ConvertTo-Json -Depth 4 | Set-Content (Join-Path $env:CLOUDNONCE_DATA_HOME 'rates.json')
        $result = Start-CndSearch -Provider EC2 -InstanceType Auto -Difficulty 40 -VMCount 2 -NonceEnd 1999999 -TimeLimit 60 -Verbose 4>&1 |
            Tee-Object -Variable output | Where-Object { $_ -is [CloudNonce.Engine.Search.CndSearchResult] }
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"

        $verbose | Should -Match 'Instance type: c6a\.large: the lowest cost per nonce of the \d+ type\(s\).*measured by Measure-CndPerformance'
        @(Get-TestInstance -SearchId $result.SearchId).InstanceType.Value | Should -Be @('c6a.large', 'c6a.large')
        ($result.CostBreakdown.Parts | Where-Object Unit -eq 'instance-hours').Item | Should -Be 'instances, on-demand c6a.large'
        Test-AllEnded $result.SearchId | Should -BeTrue
    }

    It '-WhatIf says when this machine alone finds a golden nonce before one worker boots' {
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "cnd-cost-whatif-$PID.txt"
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try { Start-CndSearch -Provider EC2 -Difficulty 16 -WhatIf -WarningAction SilentlyContinue }
        finally { Stop-Transcript | Out-Null }
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript
        $text | Should -Match 'What if: .*WARNING: This machine alone \([\d.]+ M nonces/s\) reaches P = 95 % at D = 16 in [\d.]+ s, sooner than one EC2 worker boots \(40 s\)'
        @(Get-TestInstance).Count | Should -Be 0
    }
}
