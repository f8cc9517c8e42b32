using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Tests.Ec2;

public class LaunchErrorsTests
{
    [Theory]
    [InlineData("RequestLimitExceeded", LaunchErrorKind.Throttled)]
    [InlineData("InsufficientInstanceCapacity", LaunchErrorKind.Capacity)]
    [InlineData("SpotMaxPriceTooLow", LaunchErrorKind.Capacity)]
    [InlineData("VcpuLimitExceeded", LaunchErrorKind.Limit)]
    [InlineData("InstanceLimitExceeded", LaunchErrorKind.Limit)]
    [InlineData("MaxSpotInstanceCountExceeded", LaunchErrorKind.Limit)]
    [InlineData("InvalidParameterValue", LaunchErrorKind.Fatal)]
    [InlineData(null, LaunchErrorKind.Fatal)]
    public void ClassifiesTheLaunchErrorCodes(string? code, LaunchErrorKind kind) => Assert.Equal(kind, LaunchErrors.Classify(code));

    [Theory]
    [InlineData("InsufficientInstanceCapacity", true)]
    [InlineData("MaxSpotInstanceCountExceeded", true)]
    [InlineData("VcpuLimitExceeded", false)]
    [InlineData("RequestLimitExceeded", false)]
    public void KnowsWhichSpotRefusalsOnDemandCanAnswer(string code, bool spotOnly) => Assert.Equal(spotOnly, LaunchErrors.SpotOnly(code));
}
