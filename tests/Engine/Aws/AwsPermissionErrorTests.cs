using System.Net.Sockets;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace CloudNonce.Engine.Tests.Aws;

public class AwsPermissionErrorTests
{
    private const string Ec2Refusal =
        "You are not authorized to perform this operation. User: arn:aws:iam::111122223333:user/nonce is not authorized to perform: " +
        "ec2:RunInstances on resource: arn:aws:ec2:eu-west-2:111122223333:instance/* because no identity-based policy allows the " +
        "ec2:RunInstances action. Encoded authorization failure message: AbC123";

    [Fact]
    public void NamesTheActionTheResourceAndTheIdentityFromEc2sMessage()
    {
        var refusal = new AmazonEC2Exception(Ec2Refusal, ErrorType.Sender, "UnauthorizedOperation", "r-1", HttpStatusCode.Forbidden);

        var explained = AwsPermissionError.Explain(refusal);

        Assert.NotNull(explained);
        Assert.StartsWith("AWS refused ec2:RunInstances on arn:aws:ec2:eu-west-2:111122223333:instance/* to arn:aws:iam::111122223333:user/nonce:", explained.Message);
        Assert.Contains(AwsPermissionError.PolicyPath, explained.Message);
        Assert.Same(refusal, explained.InnerException);
    }

    [Theory]
    [InlineData("AccessDenied", "User: arn:aws:iam::123456789012:user/cnd-user is not authorized to perform: ec2:TerminateInstances", "ec2:TerminateInstances")]
    [InlineData("AccessDeniedException", "User: arn:aws:sts::1:assumed-role/R/s is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-2::parameter/aws/service/x because no identity-based policy allows the ssm:GetParameter action", "ssm:GetParameter")]
    [InlineData("AccessDenied", "User: arn:aws:iam::1:user/u is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::cloudnonce-1-eu-west-2/k\" because no identity-based policy allows the s3:PutObject action", "s3:PutObject")]
    public void ReadsTheRefusedActionFromEachServicesWording(string code, string message, string action)
    {
        var refusal = new AmazonSimpleSystemsManagementException(message, ErrorType.Sender, code, "r-1", HttpStatusCode.BadRequest);

        Assert.StartsWith($"AWS refused {action} ", AwsPermissionError.Explain(refusal)!.Message);
    }

    [Theory]
    [InlineData("InvalidGroup.NotFound", HttpStatusCode.BadRequest)]
    [InlineData("RequestLimitExceeded", HttpStatusCode.ServiceUnavailable)]
    [InlineData("AuthFailure", HttpStatusCode.Unauthorized)]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound)]
    public void LeavesOtherFailuresAlone(string code, HttpStatusCode status)
    {
        var failure = new AmazonEC2Exception("no", ErrorType.Sender, code, "r-1", status);

        Assert.Null(AwsPermissionError.Explain(failure));
        Assert.Null(AwsPermissionError.Explain(new InvalidOperationException("wrapped", failure)));
        Assert.Null(AwsPermissionError.Describe(failure));
    }

    [Fact]
    public void FindsARefusalInsideAnotherFailureAndKeepsThatFailuresMessage()
    {
        var refusal = new AmazonEC2Exception("User: arn:aws:iam::1:user/u is not authorized to perform: ec2:TerminateInstances",
            ErrorType.Sender, "UnauthorizedOperation", "r-1", HttpStatusCode.Forbidden);
        var wrapped = new InvalidOperationException("The search ended but its instances could not be terminated.", refusal);

        var explained = AwsPermissionError.Explain(wrapped)!;

        Assert.StartsWith("AWS refused ec2:TerminateInstances to arn:aws:iam::1:user/u:", explained.Message);
        Assert.Contains("(The search ended but its instances could not be terminated.)", explained.Message);
        Assert.Same(wrapped, explained.InnerException);
    }

    [Fact]
    public void ABestEffortCallsRefusalIsOneShortLine()
    {
        var refusal = new AmazonEC2Exception("User: arn:aws:iam::1:user/u is not authorized to perform: ec2:GetConsoleOutput",
            ErrorType.Sender, "UnauthorizedOperation", "r-1", HttpStatusCode.Forbidden);

        Assert.Equal($"AWS refused ec2:GetConsoleOutput to arn:aws:iam::1:user/u (the policy the module needs: {AwsPermissionError.PolicyPath})",
            AwsPermissionError.Describe(refusal));
    }

    [Fact]
    public void AnS3RefusalThatNamesNoActionIsNamedByTheS3DeleteObjectsResponse()
    {
        var response = new DeleteObjectsResponse { DeleteErrors = [new DeleteError { Code = "AccessDenied", Key = "searches/a", Message = "Access Denied" }] };

        var explained = AwsPermissionError.Explain(new DeleteObjectsException(response))!;

        Assert.StartsWith("AWS refused s3:DeleteObject:", explained.Message);
        Assert.Contains("AccessDenied for 1 object(s), the first 'searches/a'", explained.Message);
    }

    [Fact]
    public void ADeleteObjectsFailureForAnotherReasonIsNoRefusal()
    {
        var response = new DeleteObjectsResponse { DeleteErrors = [new DeleteError { Code = "InternalError", Key = "k", Message = "try again" }] };

        Assert.Null(AwsPermissionError.Explain(new DeleteObjectsException(response)));
    }

    [Theory]
    [InlineData(typeof(HeadBucketRequest), "s3:ListBucket")]
    [InlineData(typeof(ListObjectsV2Request), "s3:ListBucket")]
    [InlineData(typeof(GetObjectMetadataRequest), "s3:GetObject")]
    [InlineData(typeof(PutBucketRequest), "s3:CreateBucket")]
    [InlineData(typeof(PutPublicAccessBlockRequest), "s3:PutBucketPublicAccessBlock")]
    [InlineData(typeof(PutBucketEncryptionRequest), "s3:PutEncryptionConfiguration")]
    [InlineData(typeof(PutBucketTaggingRequest), "s3:PutBucketTagging")]
    [InlineData(typeof(DeleteObjectsRequest), "s3:DeleteObject")]
    [InlineData(typeof(DeleteBucketRequest), "s3:DeleteBucket")]
    [InlineData(typeof(RunInstancesRequest), "ec2:RunInstances")]
    [InlineData(typeof(DescribeSecurityGroupsRequest), "ec2:DescribeSecurityGroups")]
    [InlineData(typeof(GetParameterRequest), "ssm:GetParameter")]
    [InlineData(typeof(Amazon.SecurityToken.Model.GetCallerIdentityRequest), "sts:GetCallerIdentity")]
    public void KnowsTheIamActionOfEachRequestTheModuleMakes(Type requestType, string action) =>
        Assert.Equal([action], IamActions.For((AmazonWebServiceRequest)Activator.CreateInstance(requestType)!));

    [Fact]
    public void ATaggedPutObjectAlsoNeedsTheTaggingPermission()
    {
        Assert.Equal(["s3:PutObject"], IamActions.For(new PutObjectRequest()));
        Assert.Equal(["s3:PutObject", "s3:PutObjectTagging"], IamActions.For(new PutObjectRequest { TagSet = [new Amazon.S3.Model.Tag { Key = "k", Value = "v" }] }));
    }

    [Fact]
    public async Task AWatchedClientsRefusedHeadNamesTheActionThoughS3SaysNothing()
    {
        // A refused HeadBucket is a bare 403 with no body: only the recorded request can name it.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var answer = Task.Run(async () =>
        {
            using var connection = await server.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            var buffer = new byte[8192];
            _ = await stream.ReadAsync(buffer);
            await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        });
        var session = AwsSession.Resolve(new AwsSettings(), name => name switch
        {
            "AWS_REGION" => "eu-west-2",
            "AWS_ENDPOINT_URL" => $"http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}",
            "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" => "testing",
            _ => null,
        });
        using var s3 = session.S3();

        var refusal = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = "cloudnonce-1-eu-west-2" }));
        await answer;

        Assert.StartsWith("AWS refused s3:ListBucket:", AwsPermissionError.Explain(refusal)!.Message);
    }
}
