# The AWS parameters every cmdlet that reaches AWS shares (CndAwsCmdlet), described once. A cmdlet's
# own docs/help/<Verb-Noun>.psd1 may still describe one of them its own way; its text wins.
@{
    Parameters = @{
        Region          = 'The AWS region, for example eu-west-2. Default, in this order: $StoredAWSRegion (set by Set-DefaultAWSRegion of AWS Tools for PowerShell), AWS_REGION, AWS_DEFAULT_REGION, the region of the AWS profile in use.'
        ProfileName     = 'The AWS profile (shared config and credentials files) whose credentials to use (aliases -StoredCredentials, -AWSProfileName). Beats $StoredAWSCredentials and the environment; a profile that is not found is an error, never a fall-back to other credentials. Default: see -Credential.'
        ProfileLocation = 'The path of a shared credentials file other than ~/.aws/credentials (aliases -ProfilesLocation, -AWSProfilesLocation). Without -ProfileName, that file''s default profile.'
        EndpointUrl     = 'One endpoint URL for every AWS service called (EC2, S3, STS, SSM), for example an emulator on http://127.0.0.1:5000 or a private endpoint. Default: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile''s endpoint_url, else AWS''s own endpoints.'
        AccessKey       = 'An AWS access key id, with -SecretKey (and -SessionToken for temporary keys) (alias -AK). Literal keys beat every other source of credentials; prefer a profile, which keeps them out of the command history.'
        SecretKey       = 'The secret access key that goes with -AccessKey (aliases -SK, -SecretAccessKey).'
        SessionToken    = 'The session token of temporary keys given with -AccessKey and -SecretKey (alias -ST).'
        Credential      = 'An Amazon.Runtime.AWSCredentials object, as AWS Tools for PowerShell cmdlets take it. Credentials are searched in this order, as in AWS Tools: -AccessKey/-SecretKey, -Credential, -ProfileName/-ProfileLocation, $StoredAWSCredentials (set by Set-AWSCredential), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), the profile named by AWS_PROFILE, then the default profile and the SDK''s chain (container and instance credentials). -Verbose says which source was used.'
    }
}
