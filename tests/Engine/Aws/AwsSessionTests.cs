namespace CloudNonce.Engine.Tests.Aws;

public class AwsSessionTests
{
    [Fact]
    public void AMissingRegionIsAClearErrorBeforeAnyCall()
    {
        var e = Assert.Throws<AwsConfigurationException>(() => AwsSession.Resolve(new AwsSettings(), _ => null));
        Assert.Contains("region", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("AWS_REGION", e.Message);
    }

    [Fact]
    public void TheRegionAloneIsFoundWithoutCredentials()
    {
        // No keys anywhere: a plan still learns its region (for its prices) without looking for credentials.
        Assert.Equal("eu-west-2", AwsSession.RegionOf(new AwsSettings(), name => name == "AWS_DEFAULT_REGION" ? "eu-west-2" : null));
        Assert.Equal("us-east-1", AwsSession.RegionOf(new AwsSettings("us-east-1"), name => name == "AWS_REGION" ? "eu-west-2" : null));
        Assert.Throws<AwsConfigurationException>(() => AwsSession.RegionOf(new AwsSettings(null, "cnd-no-such-profile-7f3a"), _ => null));
    }

    [Fact]
    public void AnUnknownProfileIsAClearError()
    {
        var e = Assert.Throws<AwsConfigurationException>(() =>
            AwsSession.Resolve(new AwsSettings("eu-west-2", "cnd-no-such-profile-7f3a"), _ => null));
        Assert.Contains("cnd-no-such-profile-7f3a", e.Message);
    }

    [Fact]
    public void ALoopbackEndpointSignsForTheSessionRegionWithPathStyleS3()
    {
        var env = new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "eu-west-2",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000",
        };
        var session = AwsSessionWithKeys(env);
        Assert.Equal("eu-west-2", session.Region);
        using var ec2 = session.Ec2();
        Assert.Equal("http://127.0.0.1:5000", ec2.Config.ServiceURL.TrimEnd('/'));
        Assert.Equal("eu-west-2", ec2.Config.AuthenticationRegion);
        using var s3 = session.S3();
        Assert.True(((Amazon.S3.AmazonS3Config)s3.Config).ForcePathStyle);
        Assert.True(session.S3UsesHttp);
    }

    [Fact]
    public void WithoutAnEndpointClientsUseTheRegion()
    {
        var session = AwsSessionWithKeys(new Dictionary<string, string?> { ["AWS_REGION"] = "eu-north-1" });
        using var ssm = session.Ssm();
        Assert.Null(ssm.Config.ServiceURL);
        Assert.Equal(Amazon.RegionEndpoint.EUNorth1, ssm.Config.RegionEndpoint);
        Assert.False(session.S3UsesHttp);
    }

    [Fact]
    public void KeysInTheEnvironmentAreTheCredentials()
    {
        var session = AwsSessionWithKeys(new Dictionary<string, string?> { ["AWS_REGION"] = "eu-west-2", ["AWS_SESSION_TOKEN"] = "tok" });
        var credentials = session.Credentials.GetCredentials();
        Assert.Equal(("AKIDTEST", "secret", "tok"), (credentials.AccessKey, credentials.SecretKey, credentials.Token));
    }

    private static AwsSession AwsSessionWithKeys(Dictionary<string, string?> env)
    {
        env["AWS_ACCESS_KEY_ID"] = "AKIDTEST";
        env["AWS_SECRET_ACCESS_KEY"] = "secret";
        return AwsSession.Resolve(new AwsSettings(), name => env.GetValueOrDefault(name));
    }
}
