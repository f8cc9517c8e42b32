@{
    Synopsis    = 'Searches a block''s nonce range for the lowest golden nonce, on every local core or on EC2.'
    Description = @'
Start-CndSearch looks for a golden nonce: a 32-bit nonce n such that SHA256(SHA256(block || n as 4 bytes big-endian)), read as a big-endian 256-bit number, has at least -Difficulty leading zero bits. It reports the lowest golden nonce of the range, so the answer does not depend on the number of workers.

With -Provider Local (the default) it runs the native scanner on every core of this machine, with the fastest kernel the CPU supports. With -Provider EC2 it launches a fleet of EC2 instances that each scan part of the range.

While it runs it writes progress (nonces done, rate, time left, workers). It stops when it finds a golden nonce, when the range is exhausted, when -TimeLimit passes, or when you press Ctrl+C, and returns one CndSearchResult whose StopReason says which. Ctrl+C stops every worker before the command returns.

Before it starts, it plans the search: from the rate of one worker it computes the probability P of success within the time limit, P = 1 - exp(-N*r*(T - boot)/2^D), capped by the probability that a golden nonce exists in the range at all. With -Confidence, it refuses to start a search whose plan cannot reach that probability and explains why. -WhatIf prints the plan and runs nothing; -Verbose prints the kernel, worker count and plan it chose. For EC2 the plan includes a cost estimate (instance-hours and price), and the rate of an instance type measured by Measure-CndPerformance -Provider EC2 replaces the documented estimate.

An EC2 search survives lost workers: a worker that stops reporting has its slot relaunched from its last checkpoint, and a slot that fails three times is given up and listed in the result's Coverage. When EC2 refuses launches (capacity, limits, throttling) the search runs with what it got; each problem is a warning, and the result's Probability is recomputed for the fleet that actually ran (-Verbose shows it beside the planned one, with the instance-hours and the estimated cost).

Each string piped in is searched as a block of its own.
'@
    Parameters  = @{
        Block        = 'The block as text, encoded as UTF-8. Default: COMSM0010cloud, the original tool''s block. Accepts pipeline input: each string is a separate search. Cannot be empty.'
        BlockBytes   = 'The block as raw bytes, instead of -Block. Must hold at least one byte.'
        BlockHex     = 'The block as hex digits (for example 434f4d53), instead of -Block. Binds from the BlockHex property of piped objects, such as an earlier search result.'
        Difficulty   = 'The number of leading zero bits a golden hash needs, 0 to 256 (alias -D). Each extra bit doubles the expected work; above 32 a golden nonce is unlikely to exist among the 2^32 nonces.'
        VMCount      = 'The number of workers (alias -N): EC2 instances, or threads with the Local provider when -Threads is not given. 0 (the default) lets the plan choose: every core locally, the smallest fleet that reaches -Confidence on EC2. Locally at most 1024, the most threads the native core runs.'
        Confidence   = 'The probability of success the search must be planned to reach within -TimeLimit, greater than 0 and at most 1 (alias -L). When the plan cannot reach it, the command stops with a PlanUnreachable error that explains why. Without it, a local search runs whatever its odds; an automatically sized EC2 fleet is planned for 0.95.'
        TimeLimit    = 'How long the search may run (alias -T): seconds (300, 2.5) or a TimeSpan (''00:05:00''). Must be greater than zero. Default: 300 seconds. The scan stops within a fraction of a second of it with StopReason TimeLimit.'
        NonceStart   = 'The first nonce of the range to search, 0 to 4294967295. Default: 0. Must not be greater than -NonceEnd.'
        NonceEnd     = 'The last nonce of the range to search (inclusive), 0 to 4294967295. Default: 4294967295.'
        Provider     = 'Where to search: Local (this machine''s cores, the default) or EC2 (a fleet of instances). Tab completion lists the providers.'
        Threads      = 'Hashing threads for the Local provider, 1 to 1024 (the most the native core runs). Default: every online core. Not valid with -Provider EC2, which sizes its fleet with -VMCount.'
        Kernel       = 'The native hashing kernel: auto (the default: the fastest one this CPU supports), scalar, avx2, avx512, shani or armv8 (64-bit ARM). Tab completion lists the kernels available on this CPU; naming one the CPU lacks is an error.'
        MaxVMCount   = 'The largest fleet the EC2 plan may choose, 1 to 100000 (alias -MaxWorkers). Default: 50. An EC2 -VMCount above it is refused before anything runs (with -WhatIf too). The Local provider does not use it.'
        Bucket       = 'EC2: the S3 bucket that holds the scanner and the workers'' reports. Default: a bucket the module creates for the account and region.'
        InstanceType = 'EC2: the instance type of the workers. Default: c7i.large. Graviton (arm64) types such as c7g.large run the aarch64 scanner on the arm64 Amazon Linux 2023 AMI.'
        ImageId      = 'EC2: the AMI the workers boot. Default: the latest Amazon Linux 2023 AMI of the region for the instance type''s architecture. A custom image must be built for the instance type''s architecture (checked before launch) and must run user-data with cloud-init, with bash, curl and coreutils installed (only running it can tell; Amazon Linux 2023 has them).'
        SubnetId     = 'EC2: the subnet the workers launch in (as on New-EC2Instance); the search''s security group is created in its VPC. Default: the account''s default VPC, where EC2 chooses the subnet. Accounts made by Control Tower and many organisations have no default VPC: there -SubnetId is required. Before anything is created, the subnet''s route table is checked for a way to S3, where the workers download their manifest and scanner: a route 0.0.0.0/0 to a NAT gateway, a route to an S3 gateway endpoint, or a route 0.0.0.0/0 to an internet gateway (each worker then needs a public IPv4 address, asked for at launch when the subnet maps none). A subnet with none of these is refused with the reason; -Verbose says which network was chosen and why.'
        Spot         = 'EC2: launch one-time spot instances instead of on-demand ones. A spot interruption is a lost worker: its slot is relaunched from its last checkpoint. The result''s SpotWorkers counts them.'
        SpotFallback = 'EC2, with -Spot: launch a slot on-demand when its spot request cannot be met (no spot capacity), instead of waiting and retrying for spot. A warning names each such slot.'
        PricePerHour = 'EC2: USD per instance-hour for the cost estimate of the plan (-WhatIf, -Verbose) and the EstimatedCost of the result, 0 to 10000. Default: the price table shipped with the module (dated on-demand list prices of common compute types, and a spot discount with -Spot).'
        AsJob        = 'Runs the search in the background of this session and returns a CndSearchJob at once. Get-Job lists it, Wait-Job waits for it, Receive-Job returns its progress, warnings and the CndSearchResult, and Stop-Job cancels the search and returns once every worker has ended. Each piped block is its own job.'
    }
    Examples    = @(
        @{ Code = 'Start-CndSearch -Difficulty 28'; Remarks = 'Searches the default block COMSM0010cloud for a hash with 28 leading zero bits on every local core, with progress, and returns the result.' }
        @{ Code = 'Start-CndSearch -D 24 -Block ''hello'' -Threads 1 -Kernel scalar -Verbose'; Remarks = 'Searches the block ''hello'' on one thread with the portable kernel, and says what the engine decided.' }
        @{ Code = '''a'', ''b'', ''c'' | Start-CndSearch -D 20 | Format-Table'; Remarks = 'Searches three blocks, one after the other.' }
        @{ Code = 'Start-CndSearch -D 40 -T 30'; Remarks = 'A difficulty that 30 seconds cannot reach: the search stops after about 30 s with StopReason TimeLimit.' }
        @{ Code = 'Start-CndSearch -D 30 -Provider EC2 -L 0.9 -T 120 -WhatIf'; Remarks = 'Shows how many EC2 instances the plan would launch, and the probability of success in two minutes, without launching anything.' }
        @{ Code = 'Start-CndSearch -D 32 -Provider EC2 -VMCount 8 -Spot -SpotFallback -T 600 -Verbose'; Remarks = 'Eight spot instances, on-demand where spot capacity is short; -Verbose ends with the odds of the fleet that ran and what it cost.' }
        @{ Code = '$job = Start-CndSearch -D 30 -AsJob; <# other work #> $job | Wait-Job | Receive-Job'; Remarks = 'Runs the search in the background and collects its result later.' }
        @{ Code = '$r = Start-CndSearch -D 22; $r | Test-CndNonce'; Remarks = 'Checks the nonce found with the managed SHA-256 implementation: Test-CndNonce binds the result''s Nonce, BlockHex and Difficulty.' }
    )
    Inputs      = 'A string piped in is a block to search (-Block); an object with a BlockHex property supplies -BlockHex.'
    Outputs     = 'One CndSearchResult per block: Found, Nonce, Hash (hex), LeadingZeroBits, Difficulty, Elapsed, Hashes, HashRate, Workers, Provider, SearchId, StopReason (Found, Exhausted, TimeLimit or Cancelled), Kernel, NonceStart, NonceEnd, BlockHex; for EC2 also Coverage (complete, or the missing ranges), SpotWorkers, RelaunchedSlots, PlannedProbability, Probability, InstanceHours, EstimatedCost and Warnings. With -AsJob, one CndSearchJob per block instead.'
    Notes       = 'Verify any result independently with Get-CndHash or Test-CndNonce, which use .NET''s SHA-256 rather than the native scanner.'
    Links       = @('Get-CndSearchPlan', 'Get-CndHash', 'Test-CndNonce', 'Measure-CndPerformance')
}
