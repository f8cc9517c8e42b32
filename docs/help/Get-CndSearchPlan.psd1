@{
    Synopsis    = 'Plans a search: the number of units (threads or instances) and the probability of finding a golden nonce in time.'
    Description = @'
Get-CndSearchPlan computes how many units (threads locally, instances on EC2) a search needs to find a golden nonce at difficulty D with probability at least L within a time limit T, given the hash rate r of one unit and the time b a unit takes to start hashing.

N units hash H = N*r*(T - b) nonces, and find a golden nonce with probability P = 1 - exp(-H/2^D). The nonce range caps this: once H covers the range (2^32 nonces by default), P is the probability that a golden nonce exists in the range at all, 1 - (1 - 2^-D)^(range size), and more units cannot raise it.

The plan is the smallest N (up to -MaxVMCount) with P >= L, or with -VMCount the P of that many units. When no N reaches L the plan says why (for example, a difficulty too high for a 32-bit nonce, or too short a time limit) and Reachable is $false. Start-CndSearch -WhatIf shows the same plan for a real provider.
'@
    Parameters  = @{
        Difficulty   = 'The leading zero bits a golden hash needs, 0 to 256 (alias -D). Accepts pipeline input, so 20..32 | Get-CndSearchPlan plans a range of difficulties.'
        Confidence   = 'The probability of success to reach, greater than 0 and at most 1 (alias -L). Default: 0.95.'
        TimeLimit    = 'The time the search may take (alias -T), in seconds or as a TimeSpan. Must be greater than zero. Default: 300 seconds.'
        HashRate     = 'Nonces per second of one unit; must be greater than zero. Default: the rate of one thread of this machine''s fastest kernel, measured for a quarter of a second.'
        BootOverhead = 'The time from launching a unit until it hashes, in seconds or as a TimeSpan, zero or more. Default: 0 (a local thread). About 40 seconds for an EC2 instance.'
        VMCount      = 'A fixed number of units to evaluate (alias -N), at most -MaxVMCount. Default: 0, which chooses the smallest number that reaches -Confidence.'
        MaxVMCount   = 'The largest number of units the plan may choose, 1 to 100000 (alias -MaxWorkers). Default: 50.'
        NonceStart   = 'The first nonce of the range, 0 to 4294967295. Default: 0. Must not be greater than -NonceEnd.'
        NonceEnd     = 'The last nonce of the range (inclusive), 0 to 4294967295. Default: 4294967295.'
        Provider     = 'Whose units to plan for: Local (the default: threads of this machine) or EC2 (instances). With EC2 the rate and boot overhead of one instance come from the instance type, as measured by Measure-CndPerformance -Provider EC2 (cached in the CloudNonce data folder) or else from the documented table; -HashRate and -BootOverhead still override them. The plan then carries its cost (CostBreakdown, EstimatedCost) at the region''s prices.'
        InstanceType = 'EC2 only: the instance type to plan for. Default: c7i.large. Auto, or a list of types (c7i.large, c7a.large, c6a.large): the plan picks the type whose fleet costs least per nonce hashed (boot, billing minimum, public IPv4 and S3 requests included) among those that reach -Confidence within -TimeLimit and -MaxCost, using the rates Measure-CndPerformance -Provider EC2 cached, else the documented table; Auto considers every type the price table lists in the region and the rate tables know. The plan''s InstanceChoice (and -Verbose) says which it chose and why.'
        MaxCost      = 'EC2 only: USD the search may cost at most. With -VMCount 0 the plan chooses the fleet and its time within it and reports the probability it buys; with -VMCount, a fleet whose billing minimum (60 s per instance) alone costs more gets a Refusal (with both figures; Start-CndSearch would refuse it), and one the cap cannot keep for the whole -TimeLimit gets BudgetTime, the time it can.'
        Region       = 'EC2 only: the region whose prices the plan uses. Default: AWS_REGION, AWS_DEFAULT_REGION or the profile''s region. A region the price table lacks gives no price: pass -PricePerHour.'
        ProfileName  = 'EC2 only: the AWS profile for the region and, with -Spot, the credentials that read the live spot price.'
        EndpointUrl  = 'EC2 only: the endpoint the live spot price is read from (with -Spot), for example an emulator on http://127.0.0.1:5000.'
        Spot         = 'EC2 only: price the fleet as spot instances at the current spot price EC2 reports for the region (DescribeSpotPriceHistory, the highest of its zones; this needs credentials), or at -PricePerHour.'
        SubnetId     = 'EC2 only: accepted so that one set of EC2 parameters serves Get-CndSearchPlan and Start-CndSearch alike; the plan and its cost do not depend on the subnet. Start-CndSearch checks the subnet''s way to S3 before it launches.'
        PricePerHour = 'EC2 only: USD per instance-hour for the cost estimate, 0 to 10000, for both markets, instead of the region''s price in the shipped table (dated, per region, with its source) or the live spot price.'
        ProfileLocation = 'EC2 only: the shared credentials file of -ProfileName (or its default profile), for the live spot price and the region.'
        AccessKey       = 'EC2 only: with -SecretKey (and -SessionToken), the credentials that read the live spot price (-Spot).'
        SecretKey       = 'EC2 only: see -AccessKey.'
        SessionToken    = 'EC2 only: see -AccessKey.'
        Credential      = 'EC2 only: an AWSCredentials object (as AWS Tools takes) that reads the live spot price (-Spot).'
    }
    Examples    = @(
        @{ Code = 'Get-CndSearchPlan -Difficulty 30 -Confidence 0.99 -TimeLimit 60 -HashRate 2e7'; Remarks = 'How many units of 20 M nonces/s find a D = 30 nonce within a minute with 99% probability.' }
        @{ Code = 'Get-CndSearchPlan -D 28 -L 0.9 -T 120 -HashRate 3e7 -BootOverhead 40 -MaxVMCount 20'; Remarks = 'An EC2-style plan: each instance spends 40 s booting before it hashes.' }
        @{ Code = 'Get-CndSearchPlan -D 36 -HashRate 2e7'; Remarks = 'An unreachable plan: at D = 36 a golden nonce exists among 2^32 nonces with probability of only about 6%, and the explanation says so.' }
        @{ Code = 'Get-CndSearchPlan -D 32 -L 0.5 -T 300 -Provider EC2 -InstanceType c7a.large -Spot'; Remarks = 'An EC2 plan for c7a.large spot instances, with the cost part by part in its CostBreakdown property and the total in EstimatedCost.' }
        @{ Code = 'Get-CndSearchPlan -D 34 -Provider EC2 -Region eu-west-2 -MaxCost 0.50 -InstanceType Auto'; Remarks = 'The fleet, time and instance type that give the best chance for at most 50 cents in London, and the probability that buys.' }
        @{ Code = '24..34 | Get-CndSearchPlan -HashRate 2e7 -VMCount 4 | Format-Table'; Remarks = 'The probability of success of four units across difficulties.' }
    )
    Inputs      = 'Difficulties (Int32), or objects with a Difficulty property.'
    Outputs     = 'SearchPlan: Units, Unit (what one unit is), Probability, ExistenceProbability, Reachable, UnitsNeeded, CoversRange, SweepTime, Explanation and the inputs (Difficulty, Confidence, TimeLimit, NoncesPerSecondPerUnit, BootOverhead, MaxUnits, RangeSize); with -Provider EC2 also InstanceType, CostBreakdown (Region, Parts, Total, Missing), EstimatedCost, MaxCost, BudgetTime, InstanceChoice, Refusal and Warnings (a time limit shorter than the boot overhead; a difficulty this machine alone finds before one instance boots), which are also written as warnings.'
    Links       = @('Start-CndSearch', 'Measure-CndPerformance')
}
