namespace CloudNonce.Engine.Tests.Aws;

public class AwsEndpointsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void NoConfigurationMeansTheSdksOwnEndpoints() =>
        Assert.Null(new AwsEndpoints(null, null, Env()).For("EC2"));

    [Fact]
    public void ServiceVariableBeatsGlobalVariableBeatsProfile()
    {
        var endpoints = new AwsEndpoints(null, "http://profile:1", Env(("AWS_ENDPOINT_URL", "http://global:2"), ("AWS_ENDPOINT_URL_S3", "http://s3only:3")));
        Assert.Equal("http://s3only:3", endpoints.For("S3"));
        Assert.Equal("http://global:2", endpoints.For("EC2"));
        Assert.Equal("http://profile:1", new AwsEndpoints(null, "http://profile:1", Env()).For("SSM"));
    }

    [Fact]
    public void AnExplicitEndpointBeatsEverything()
    {
        var endpoints = new AwsEndpoints("http://127.0.0.1:5000/", "http://profile:1", Env(("AWS_ENDPOINT_URL_EC2", "http://ec2:3")));
        Assert.Equal("http://127.0.0.1:5000", endpoints.For("EC2"));
        Assert.Equal("http://127.0.0.1:5000", endpoints.For("STS"));
    }

    [Fact]
    public void IgnoreConfiguredEndpointsDropsVariablesAndProfileButNotTheExplicitOne()
    {
        var env = Env(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), ("AWS_ENDPOINT_URL", "http://global:2"));
        Assert.Null(new AwsEndpoints(null, "http://profile:1", env).For("EC2"));
        Assert.Equal("http://x:1", new AwsEndpoints("http://x:1", null, env).For("EC2"));
    }

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("not a url")]
    public void RejectsWhatIsNotAnHttpUrl(string url)
    {
        var e = Assert.Throws<AwsConfigurationException>(() => new AwsEndpoints(url, null, Env()));
        Assert.Contains(url, e.Message);
    }

    [Fact]
    public void NamesTheVariableThatHoldsABadUrl()
    {
        var endpoints = new AwsEndpoints(null, null, Env(("AWS_ENDPOINT_URL_EC2", "nope")));
        var e = Assert.Throws<AwsConfigurationException>(() => endpoints.For("EC2"));
        Assert.Contains("AWS_ENDPOINT_URL_EC2", e.Message);
    }
}
