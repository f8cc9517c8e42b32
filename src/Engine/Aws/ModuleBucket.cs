using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using S3Protocol = Amazon.S3.Protocol;

namespace CloudNonce.Engine.Aws;

/// <summary>The module's S3 bucket: private, public access blocked, encrypted by default. Workers
/// reach it only through presigned URLs made here. Its default name is predictable, so another account
/// could create it first with an open policy and rewrite manifests: every call names the owner it
/// expects (<paramref name="ownerAccountId"/>), and S3 refuses the call when the bucket is someone else's.</summary>
public sealed class ModuleBucket(IAmazonS3 s3, string name, string region, bool presignHttp, string ownerAccountId)
{
    /// <summary>Days after which a search's manifest and reports expire on their own.</summary>
    public const int SearchObjectExpiryDays = 7;
    public const string SearchPrefix = "searches/";

    public string Name { get; } = name;

    /// <summary>One bucket per account and region, so reruns reuse the uploaded scanner.</summary>
    public static string DefaultName(string accountId, string region) => $"cloudnonce-{accountId}-{region}".ToLowerInvariant();

    /// <summary>Creates and locks down the bucket if it does not exist; an existing bucket is used as it is.</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        if (await ExistsAsync(ct))
            return;
        var create = new PutBucketRequest { BucketName = Name };
        if (region != "us-east-1")
            create.BucketRegionName = region;
        try
        {
            await s3.PutBucketAsync(create, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            return; // a concurrent search created it and locks it down
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyExists")
        {
            throw new AwsConfigurationException($"The S3 bucket name '{Name}' is taken by another account; pass a bucket name of your own with -Bucket.", e);
        }
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = Name, ExpectedBucketOwner = ownerAccountId,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true,
            },
        }, ct);
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = Name, ExpectedBucketOwner = ownerAccountId,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 },
                    },
                ],
            },
        }, ct);
        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = Name, ExpectedBucketOwner = ownerAccountId, TagSet = [new Tag { Key = CndTags.CreatedBy, Value = CndTags.CreatedByValue }] }, ct);
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = Name, ExpectedBucketOwner = ownerAccountId,
            Configuration = new LifecycleConfiguration
            {
                Rules =
                [
                    new LifecycleRule
                    {
                        Id = "cnd-expire-searches",
                        Filter = new LifecycleFilter { Prefix = SearchPrefix },
                        Status = LifecycleRuleStatus.Enabled,
                        Expiration = new LifecycleRuleExpiration { Days = SearchObjectExpiryDays },
                    },
                ],
            },
        }, ct);
    }

    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = Name, ExpectedBucketOwner = ownerAccountId }, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new AwsConfigurationException(
                $"The S3 bucket '{Name}' exists but S3 refuses it to account {ownerAccountId}: it belongs to another account (its name is " +
                "predictable, so anyone can create it first), or these credentials may not use it. CloudNonce never writes manifests " +
                "to a bucket it does not own: pass a bucket of your own with -Bucket.", e);
        }
    }

    /// <summary>Uploads a file once under its content address; later calls find it and skip the upload.</summary>
    public async Task UploadOnceAsync(string key, string filePath, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        if (await ObjectExistsAsync(key, ct))
            return;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Name, ExpectedBucketOwner = ownerAccountId, Key = key, FilePath = filePath, TagSet = ToTags(tags) }, ct);
    }

    public Task PutTextAsync(string key, string text, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Name, ExpectedBucketOwner = ownerAccountId, Key = key, ContentBody = text, ContentType = "application/json", TagSet = ToTags(tags),
        }, ct);

    /// <summary>The object's text, or null when it does not exist (yet).</summary>
    public async Task<string?> GetTextOrNullAsync(string key, CancellationToken ct)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Name, ExpectedBucketOwner = ownerAccountId, Key = key }, ct);
            using var reader = new StreamReader(response.ResponseStream);
            return await reader.ReadToEndAsync(ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The object's text and ETag when it exists and its ETag is not <paramref name="knownETag"/>;
    /// null when it does not exist (yet) or has not changed. S3 answers an unchanged object with 304 and
    /// no body, billed as a GET.</summary>
    public async Task<(string Text, string ETag)?> GetTextIfChangedAsync(string key, string? knownETag, CancellationToken ct)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = Name, ExpectedBucketOwner = ownerAccountId, Key = key, EtagToNotMatch = knownETag,
            }, ct);
            using var reader = new StreamReader(response.ResponseStream);
            return (await reader.ReadToEndAsync(ct), response.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotModified)
        {
            return null;
        }
    }

    /// <summary>Every object under a prefix (all pages).</summary>
    public async Task<IReadOnlyList<S3Object>> ListAsync(string prefix, CancellationToken ct)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = Name, ExpectedBucketOwner = ownerAccountId, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, ct);
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return objects;
    }

    /// <summary>Deletes the given keys in batches of the API's maximum; returns those deleted.</summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        var deleted = new List<string>();
        foreach (var batch in keys.Chunk(1000))
        {
            var response = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = Name, ExpectedBucketOwner = ownerAccountId,
                Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
            }, ct);
            if (response.DeleteErrors is { Count: > 0 } errors)
                throw new InvalidOperationException($"S3 refused to delete {errors.Count} object(s) of bucket '{Name}', first '{errors[0].Key}': {errors[0].Message}");
            deleted.AddRange((response.DeletedObjects ?? []).Select(d => d.Key));
        }
        return deleted;
    }

    public Task DeleteBucketAsync(CancellationToken ct) => s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = Name, ExpectedBucketOwner = ownerAccountId }, ct);

    public string PresignGet(string key, DateTime expiresUtc) => Presign(key, HttpVerb.GET, expiresUtc);

    /// <summary>Signed without a Content-Type, so the worker's upload must send none.</summary>
    public string PresignPut(string key, DateTime expiresUtc) => Presign(key, HttpVerb.PUT, expiresUtc);

    private string Presign(string key, HttpVerb verb, DateTime expiresUtc) =>
        s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Name,
            Key = key,
            Verb = verb,
            Expires = expiresUtc,
            Protocol = presignHttp ? S3Protocol.HTTP : S3Protocol.HTTPS,
        });

    private async Task<bool> ObjectExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Name, ExpectedBucketOwner = ownerAccountId, Key = key }, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static List<Tag> ToTags(IReadOnlyDictionary<string, string> tags) => tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
}
