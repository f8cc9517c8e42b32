@{
    Synopsis    = 'Lists the EC2 instances that CloudNonce launched in a region, with each one''s search, slot, nonce range and progress.'
    Description = @'
Get-CndFleet finds the instances tagged cnd:created-by in the region, running or recently ended (EC2 shows terminated instances for about an hour), and returns one CndFleetInstance per instance: SearchId, InstanceId, State, InstanceType, Slot, NonceRange, Progress, LaunchTime, LaunchIndex and Region.

Slot and NonceRange come from the search's launch manifest in the module's S3 bucket, found through the instance's tags and its launch index; Progress is the percentage of that range the worker has reported as scanned (its last checkpoint), or 100 once its scan covered the range. When the bucket cannot be read, those properties are empty and the rest is still listed.

Region, credentials and endpoints are resolved as AWS Tools for PowerShell does it: the parameters, then the session's $StoredAWSRegion and $StoredAWSCredentials (Set-DefaultAWSRegion, Set-AWSCredential), then the environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2 and _S3), then the shared config files; -Credential says the order. A missing region or credentials is a terminating error with the ErrorId AwsConfiguration.

The output binds by property name to Remove-CndResources -SearchId.
'@
    Parameters  = @{
        SearchId    = 'Lists only the instances of these searches (the SearchId of a CndSearchResult, for example cnd-20261125120000-ab12cd). Binds from the SearchId property of piped objects. Default: every CloudNonce instance in the region.'
    }
    Examples    = @(
        @{ Code = 'Get-CndFleet'; Remarks = 'Lists every CloudNonce instance in the default region, with its state and progress.' }
        @{ Code = 'Get-CndFleet -SearchId cnd-20261125120000-ab12cd -Region eu-west-2 | Format-Table Slot, InstanceId, State, NonceRange, Progress'; Remarks = 'Shows how far each worker of one search has got.' }
        @{ Code = 'Get-CndFleet | Where-Object State -eq running | Remove-CndResources -WhatIf'; Remarks = 'Shows what removing the searches that still have running instances would delete, without deleting anything.' }
    )
    Inputs      = 'Objects with a SearchId property (CndSearchResult, CndFleetInstance) select the searches to list.'
    Outputs     = 'CndFleetInstance: SearchId, InstanceId, State, InstanceType, Slot, NonceRange, Progress (percent, or empty before the first report), LaunchTime, LaunchIndex, Region.'
    Links       = @('Remove-CndResources', 'Start-CndSearch')
}
