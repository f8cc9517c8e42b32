using Amazon.Runtime;
using Amazon.S3.Model;

namespace CloudNonce.Engine.Aws;

/// <summary>The IAM actions an SDK request needs: the service prefix and the operation name, except
/// where S3's IAM names differ from its operations (HeadBucket is s3:ListBucket, for one).</summary>
public static class IamActions
{
    private static readonly Dictionary<string, string> ServicePrefixes = new(StringComparer.Ordinal)
    {
        ["Amazon.EC2.Model"] = "ec2",
        ["Amazon.S3.Model"] = "s3",
        ["Amazon.SimpleSystemsManagement.Model"] = "ssm",
        ["Amazon.SecurityToken.Model"] = "sts",
    };

    private static readonly Dictionary<string, string> S3ActionsByOperation = new(StringComparer.Ordinal)
    {
        ["HeadBucket"] = "s3:ListBucket",
        ["ListObjectsV2"] = "s3:ListBucket",
        ["ListObjects"] = "s3:ListBucket",
        ["GetObjectMetadata"] = "s3:GetObject",
        ["PutBucket"] = "s3:CreateBucket",
        ["PutPublicAccessBlock"] = "s3:PutBucketPublicAccessBlock",
        ["PutBucketEncryption"] = "s3:PutEncryptionConfiguration",
        ["PutLifecycleConfiguration"] = "s3:PutLifecycleConfiguration",
        ["DeleteObjects"] = "s3:DeleteObject",
    };

    /// <summary>The actions the request needs, most likely refused first; empty for a request type of
    /// a service this module does not call.</summary>
    public static IReadOnlyList<string> For(AmazonWebServiceRequest request)
    {
        var type = request.GetType();
        if (type.Namespace is not { } ns || !ServicePrefixes.TryGetValue(ns, out var prefix))
            return [];
        var operation = type.Name.EndsWith("Request", StringComparison.Ordinal) ? type.Name[..^"Request".Length] : type.Name;
        if (prefix != "s3")
            return [$"{prefix}:{operation}"];
        var action = S3ActionsByOperation.GetValueOrDefault(operation, "s3:" + operation);
        // An object stored with tags needs the tagging permission as well (S3 PutObject reference).
        return request is PutObjectRequest { TagSet.Count: > 0 } ? [action, "s3:PutObjectTagging"] : [action];
    }
}
