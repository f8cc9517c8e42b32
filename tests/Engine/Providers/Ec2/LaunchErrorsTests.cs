namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class LaunchErrorsTests
{
    [Theory]
    [InlineData("RequestLimitExceeded", LaunchErrorKind.Throttled)]
    [InlineData("InsufficientInstanceCapacity", LaunchErrorKind.Capacity)]
    [InlineData("SpotMaxPriceTooLow", LaunchErrorKind.Capacity)]
    [InlineData("VcpuLimitExceeded", LaunchErrorKind.Limit)]
    [InlineData("InstanceLimitExceeded", LaunchErrorKind.Limit)]
    [InlineData("MaxSpotInstanceCountExceeded", LaunchErrorKind.Limit)]
    [InlineData("AuthFailure.ServiceLinkedRoleCreationNotPermitted", LaunchErrorKind.SpotRoleMissing)]
    [InlineData("InvalidParameterValue", LaunchErrorKind.Fatal)]
    [InlineData(null, LaunchErrorKind.Fatal)]
    public void ClassifiesTheLaunchErrorCodes(string? code, LaunchErrorKind kind) => Assert.Equal(kind, LaunchErrors.Classify(code));

    [Theory]
    [InlineData("InsufficientInstanceCapacity", true)]
    [InlineData("MaxSpotInstanceCountExceeded", true)]
    [InlineData("AuthFailure.ServiceLinkedRoleCreationNotPermitted", true)]
    [InlineData("VcpuLimitExceeded", false)]
    [InlineData("RequestLimitExceeded", false)]
    public void KnowsWhichSpotRefusalsOnDemandCanAnswer(string code, bool spotOnly) => Assert.Equal(spotOnly, LaunchErrors.SpotOnly(code));

    [Theory]
    [InlineData("You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to.", 32)]
    [InlineData("You have requested more instances (25) than your current instance limit of 20 allows for the specified instance type.", 20)]
    [InlineData("You have requested more vCPU capacity than your current vCPU limit allows.", null)]
    [InlineData(null, null)]
    public void ReadsTheQuotaARefusalNames(string? message, int? quota) => Assert.Equal(quota, LaunchErrors.QuotaIn(message));
}
