# The habits of AWS Tools for PowerShell users, against loopback AWS (moto): the session's
# $StoredAWSCredentials and $StoredAWSRegion (what Set-AWSCredential and Set-DefaultAWSRegion leave),
# -AccessKey/-SecretKey/-SessionToken, -Credential, -ProfileName/-ProfileLocation and -Region, in AWS
# Tools' order. Each credential source is an account of its own in moto (keys from STS AssumeRole into
# that account) and each region source a region of its own; a key pair named after the source marks
# where it leads, and Remove-CndResources -KeyPairName, which removes the named key pairs it finds in
# its account and region, says which source it used.

BeforeAll {
    Import-Module "$PSScriptRoot/../Support/CndTestSupport.psm1" -Force
    $script:moto = Start-CndTestMoto
    Set-CndTestAwsEnvironment -Moto $moto
    . (Join-Path $PSScriptRoot 'CndTestHelpers.ps1')
    Import-Module "$PSScriptRoot/../../CloudNonce.psd1" -Force
    foreach ($assembly in 'AWSSDK.Core', 'AWSSDK.EC2', 'AWSSDK.SecurityToken') { Add-Type -Path "$PSScriptRoot/../../bin/$assembly.dll" }
    $script:homeRegion = $env:AWS_REGION

    # Keys that moto files under another account, as AssumeRole into a role of that account gives them.
    function New-AccountKeys([string]$Account) {
        $config = [Amazon.SecurityToken.AmazonSecurityTokenServiceConfig]@{ ServiceURL = $moto.Endpoint; AuthenticationRegion = $homeRegion }
        $sts = [Amazon.SecurityToken.AmazonSecurityTokenServiceClient]::new([Amazon.Runtime.BasicAWSCredentials]::new('testing', 'testing'), $config)
        try {
            $request = [Amazon.SecurityToken.Model.AssumeRoleRequest]@{ RoleArn = "arn:aws:iam::${Account}:role/cnd-test"; RoleSessionName = 'cnd-test' }
            $sts.AssumeRoleAsync($request).GetAwaiter().GetResult().Credentials
        }
        finally { $sts.Dispose() }
    }

    function New-Marker([Amazon.Runtime.AWSCredentials]$Credentials, [string]$Region, [string]$Name) {
        $ec2 = [Amazon.EC2.AmazonEC2Client]::new($Credentials, [Amazon.EC2.AmazonEC2Config]@{ ServiceURL = $moto.Endpoint; AuthenticationRegion = $Region })
        try { $null = $ec2.CreateKeyPairAsync([Amazon.EC2.Model.CreateKeyPairRequest]@{ KeyName = $Name }).GetAwaiter().GetResult() }
        finally { $ec2.Dispose() }
    }

    # The marker the cmdlet reached with these arguments, and the region it says it worked in.
    function Get-Reached([hashtable]$Arguments = @{}) {
        $removed = @(Remove-CndResources -KeyPairName $markers -Force @Arguments)
        $removed.Count | Should -Be 1 -Because "one source wins ($($removed.Id -join ', '))"
        "$($removed[0].Id) in $($removed[0].Region)"
    }

    # The SDK fixes the shared credentials file at its first use in a process (and whether it exists),
    # so the profile AWS_PROFILE names is read by a fresh pwsh.
    function Get-ReachedThroughAwsProfile([string]$CredentialsFile, [string]$ProfileName) {
        $saved = $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_PROFILE
        $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_PROFILE = $CredentialsFile, $ProfileName
        try {
            Invoke-FreshPwsh ("Import-Module '$ModuleManifest'; Remove-CndResources -KeyPairName $($markers -join ',') -Force | " +
                'ForEach-Object { "reached $($_.Id) in $($_.Region)" }') | Where-Object { $_ -like 'reached *' }
        }
        finally { $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_PROFILE = $saved }
    }

    $script:markers = 'cnd-literal', 'cnd-object', 'cnd-profile', 'cnd-profile-location', 'cnd-stored', 'cnd-wrapped', 'cnd-environment', 'cnd-aws-profile',
        'cnd-region-parameter', 'cnd-region-stored', 'cnd-region-environment', 'cnd-region-default'
    $script:sharedFile = Join-Path ([IO.Path]::GetTempPath()) "cnd-pester-aws-profile-$PID"
    $script:profileFile = Join-Path ([IO.Path]::GetTempPath()) "cnd-pester-credentials-$PID"
}

AfterAll {
    $profileFile, $sharedFile | Where-Object { $_ } | Remove-Item -ErrorAction Ignore
    Restore-CndTestAwsEnvironment
    Stop-CndTestProcess
}

Describe 'AWS Tools habits: where the credentials come from' {
    BeforeEach {
        Reset-CndTestMoto -Moto $moto
        $script:keys = @{}
        foreach ($source in 'literal', 'object', 'profile', 'profile-location', 'stored', 'wrapped', 'aws-profile') {
            $account = '{0:D12}' -f (111111111111 * ($keys.Count + 1))
            $keys[$source] = New-AccountKeys $account
            New-Marker ([Amazon.Runtime.BasicAWSCredentials]::new($keys[$source].AccessKeyId, $keys[$source].SecretAccessKey)) $homeRegion "cnd-$source"
        }
        New-Marker ([Amazon.Runtime.BasicAWSCredentials]::new('testing', 'testing')) $homeRegion 'cnd-environment'
        Set-Content $profileFile "[default]`naws_access_key_id = $($keys['profile-location'].AccessKeyId)`naws_secret_access_key = $($keys['profile-location'].SecretAccessKey)`n[cnd-pester]`naws_access_key_id = $($keys.profile.AccessKeyId)`naws_secret_access_key = $($keys.profile.SecretAccessKey)`n"
        Set-Content $sharedFile "[cnd-aws-profile]`naws_access_key_id = $($keys['aws-profile'].AccessKeyId)`naws_secret_access_key = $($keys['aws-profile'].SecretAccessKey)`n"
        $script:savedKey = $env:AWS_ACCESS_KEY_ID
    }

    AfterEach {
        Remove-Variable -Name StoredAWSCredentials -Scope Global -ErrorAction Ignore
        $env:AWS_ACCESS_KEY_ID = $savedKey
        $env:AWS_PROFILE = $null
    }

    It 'takes -AccessKey, then -Credential, -ProfileName, -ProfileLocation, $StoredAWSCredentials, the environment''s keys, AWS_PROFILE' {
        # AWS_PROFILE names a profile that is not in this process's shared files: it matters only at its turn.
        $env:AWS_PROFILE = 'cnd-aws-profile'

        $literal = $keys.literal
        $arguments = @{
            AccessKey = $literal.AccessKeyId; SecretKey = $literal.SecretAccessKey; SessionToken = $literal.SessionToken
            Credential = [Amazon.Runtime.BasicAWSCredentials]::new($keys.object.AccessKeyId, $keys.object.SecretAccessKey)
            ProfileName = 'cnd-pester'; ProfileLocation = $profileFile
        }
        $global:StoredAWSCredentials = [Amazon.Runtime.BasicAWSCredentials]::new($keys.stored.AccessKeyId, $keys.stored.SecretAccessKey)

        Get-Reached $arguments | Should -Be "cnd-literal in $homeRegion"
        'AccessKey', 'SecretKey', 'SessionToken' | ForEach-Object { $arguments.Remove($_) }
        Get-Reached $arguments | Should -Be "cnd-object in $homeRegion"
        $arguments.Remove('Credential')
        Get-Reached $arguments | Should -Be "cnd-profile in $homeRegion"
        $arguments.Remove('ProfileName')
        Get-Reached $arguments | Should -Be "cnd-profile-location in $homeRegion" -Because '-ProfileLocation alone means that file''s default profile'
        $arguments.Remove('ProfileLocation')
        Get-Reached $arguments | Should -Be "cnd-stored in $homeRegion"
        Remove-Variable -Name StoredAWSCredentials -Scope Global
        Get-Reached | Should -Be "cnd-environment in $homeRegion"
        $env:AWS_ACCESS_KEY_ID = $null
        $env:AWS_PROFILE = $null
        Get-ReachedThroughAwsProfile $sharedFile 'cnd-aws-profile' | Should -Be "reached cnd-aws-profile in $homeRegion"
    }

    It 'reads credentials that Set-AWSCredential wrapped in its own type, and says in -Verbose where they came from' {
        # The shipped AWSSDK.Core is the .NET 8 build: compiling against it on a newer runtime warns
        # that its System.Runtime reference is older (CS1701), which is harmless.
        Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies "$PSScriptRoot/../../bin/AWSSDK.Core.dll" -TypeDefinition @'
public sealed class CndTestStoredCredentials
{
    // Like AWS Tools' AWSPSCredentials: the credentials sit in a non-public property.
    internal Amazon.Runtime.AWSCredentials Credentials { get; }
    public CndTestStoredCredentials(Amazon.Runtime.AWSCredentials credentials) { Credentials = credentials; }
}
'@ -ErrorAction Ignore
        $global:StoredAWSCredentials = [CndTestStoredCredentials]::new([Amazon.Runtime.BasicAWSCredentials]::new($keys.wrapped.AccessKeyId, $keys.wrapped.SecretAccessKey))

        Get-Reached | Should -Be "cnd-wrapped in $homeRegion"
        $verbose = Get-CndFleet -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike "*credentials from `$StoredAWSCredentials*"
    }

    It 'refuses a $StoredAWSCredentials that holds no credentials, and half a key pair, saying what to do' {
        $global:StoredAWSCredentials = 'my-profile'
        { Get-CndFleet } | Should -Throw -ExpectedMessage '*$StoredAWSCredentials holds a System.String, not AWS credentials*'
        Remove-Variable -Name StoredAWSCredentials -Scope Global
        $err = { Get-CndFleet -AccessKey AKIDONLY } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AwsConfiguration,*'
        $err.Exception.Message | Should -BeLike '*-SecretKey is missing*'
    }
}

Describe 'AWS Tools habits: where the region comes from' {
    BeforeEach {
        Reset-CndTestMoto -Moto $moto
        $testing = [Amazon.Runtime.BasicAWSCredentials]::new('testing', 'testing')
        New-Marker $testing 'us-west-2' 'cnd-region-parameter'
        New-Marker $testing 'ap-south-1' 'cnd-region-stored'
        New-Marker $testing $homeRegion 'cnd-region-environment'
        New-Marker $testing 'eu-north-1' 'cnd-region-default'
        $script:savedDefault = $env:AWS_DEFAULT_REGION
    }

    AfterEach {
        Remove-Variable -Name StoredAWSRegion -Scope Global -ErrorAction Ignore
        $env:AWS_REGION = $homeRegion
        $env:AWS_DEFAULT_REGION = $savedDefault
    }

    It 'takes -Region, then $StoredAWSRegion, AWS_REGION, AWS_DEFAULT_REGION' {
        $global:StoredAWSRegion = 'ap-south-1'
        $env:AWS_DEFAULT_REGION = 'eu-north-1'

        Get-Reached @{ Region = 'us-west-2' } | Should -Be 'cnd-region-parameter in us-west-2'
        Get-Reached | Should -Be 'cnd-region-stored in ap-south-1'
        Remove-Variable -Name StoredAWSRegion -Scope Global
        Get-Reached | Should -Be "cnd-region-environment in $homeRegion"
        $env:AWS_REGION = $null
        Get-Reached | Should -Be 'cnd-region-default in eu-north-1'
    }

    It 'is the same for every cmdlet that reaches AWS: Start-CndSearch -Provider EC2 works in $StoredAWSRegion' {
        $global:StoredAWSRegion = 'ap-south-1'
        # A subnet that is nowhere stops the search before it launches, naming the region it looked in.
        $verbose = [Collections.Generic.List[string]]::new()
        $err = { Start-CndSearch -Provider EC2 -Difficulty 8 -VMCount 1 -SubnetId subnet-0123456789abcdef0 -Verbose 4>&1 |
                ForEach-Object { $verbose.Add("$_") } } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*ap-south-1*'
        $verbose -join ' ' | Should -BeLike '*AWS region ap-south-1 (from $StoredAWSRegion), credentials from AWS_ACCESS_KEY_ID.*'
    }
}
