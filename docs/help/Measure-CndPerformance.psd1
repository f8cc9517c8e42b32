@{
    Synopsis    = 'Measures the nonces per second of each native kernel on this machine, or of EC2 fleets of each size (the original tool''s -P).'
    Description = @'
Measure-CndPerformance runs the native scanner at a difficulty nothing reaches, for -Duration on each thread count, once per kernel, and reports the rate. Speedup is the rate over the same kernel's one-thread rate, and Efficiency is the speedup per thread (1 is perfect scaling).

Each measurement takes -Duration; the whole run takes about (kernels x thread counts) x -Duration. Measurements on a busy machine read low: close other work first, and repeat when a figure matters.

With -Provider EC2 it runs the EC2 performance test instead: for each -InstanceType and each -VMCount, a real fleet (launched, scanning, terminated) sweeps the same -NonceCount nonces at a difficulty nothing reaches. Each fleet gives NoncesPerSecond (nonces hashed over the time from the first hash to the end of the sweep), TimeToCover (launch to the whole range scanned), Speedup and Efficiency against the type's smallest fleet, BootSeconds (search start to the first progress report of the fleet: launch, boot, scanner download) and CostPerSearch (the fleet's billed instance-hours at the price table or -PricePerHour). Every fleet costs money: start with small counts.

The measured rate of one instance and its boot time are saved per instance type in rates.json in the CloudNonce data folder ($CLOUDNONCE_DATA_HOME if set, else $env:LOCALAPPDATA\CloudNonce on Windows, else $XDG_DATA_HOME/cloudnonce or ~/.local/share/cloudnonce), and Get-CndSearchPlan -Provider EC2 and Start-CndSearch -Provider EC2 plan with them instead of the documented estimates. -ChartPath draws the scaling curve as a PNG.
'@
    Parameters  = @{
        Kernel       = 'Local: the kernels to measure, by name (auto, scalar, avx2, avx512, shani, armv8, neon). Default: every kernel available on this CPU. auto is measured as the kernel it resolves to.'
        Threads      = 'Local: the thread counts to measure, each 1 to 1024 (the most the native core runs). Default: 1 up to the number of online cores.'
        Duration     = 'Local: how long each measurement runs, in seconds or as a TimeSpan; must be greater than zero. Default: 1 second.'
        Provider     = 'What to measure: Local (the default: this machine''s kernels and threads) or EC2 (fleets of instances).'
        InstanceType = 'EC2: the instance types to measure. Default: c7i.large.'
        VMCount      = 'EC2: the fleet sizes to measure, each 1 to 100000. Default: 1, 2, 4, 8. The smallest is the reference of Speedup; include 1 for the textbook definition.'
        NonceCount   = 'EC2: the size of the fixed range every fleet sweeps, 1 to 4294967296 nonces. Default: 4294967296 (the whole nonce space).'
        TimeLimit    = 'EC2: the time limit of each fleet, in seconds or as a TimeSpan. Default: 900 seconds. A fleet that runs out of time reports StopReason TimeLimit and a TimeToCover extrapolated from its rate.'
        ChartPath    = 'EC2: writes the scaling chart to this PNG file (900 x 560 pixels): nonces per second against the number of instances for each type, the ideal linear line, and the efficiency on a second axis.'
        Bucket       = 'EC2: the S3 bucket for the scanner and reports. Default: the module''s bucket for the account and region.'
        ImageId      = 'EC2: the AMI the instances boot. Default: the latest Amazon Linux 2023 AMI of the region. A custom image must match the instance type''s architecture and run user-data with cloud-init, bash and curl.'
        SubnetId     = 'EC2: the subnet the instances launch in, as for Start-CndSearch -SubnetId. Default: the account''s default VPC. Its way to S3 is checked before each fleet is launched.'
        Spot         = 'EC2: measure with spot instances (and price them as spot).'
        PricePerHour = 'EC2: USD per instance-hour for CostPerSearch, 0 to 10000, instead of the shipped price table.'
    }
    Examples    = @(
        @{ Code = 'Measure-CndPerformance'; Remarks = 'Every available kernel on 1..all cores, one second each.' }
        @{ Code = 'Measure-CndPerformance -Kernel auto -Threads 1 -Duration 3'; Remarks = 'The single-thread rate of the kernel searches use by default, over three seconds.' }
        @{ Code = 'Measure-CndPerformance -Provider EC2 -InstanceType c7i.large, c7a.large -VMCount 1, 2, 4, 8 -ChartPath ./scaling.png'; Remarks = 'The EC2 performance test: eight fleets per type sweep the whole nonce space; the rates are cached for later plans and the scaling curve is drawn.' }
    )
    Outputs     = 'Local: PerformanceSample (Kernel, Threads, NoncesPerSecond, Speedup, Efficiency). EC2: Ec2PerformanceSample (InstanceType, VMs, NoncesPerSecond, TimeToCover, Speedup, Efficiency, BootSeconds, CostPerSearch, RangeSize, Hashes, StopReason).'
    Links       = @('Get-CndSearchPlan', 'Start-CndSearch')
}
