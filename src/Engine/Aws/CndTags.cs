namespace CloudNonce.Engine.Aws;

/// <summary>The tags that mark what this module created, so listing and clean-up find exactly that.</summary>
public static class CndTags
{
    public const string CreatedBy = "cnd:created-by";
    public const string SearchId = "cnd:search-id";
    /// <summary>On instances: which launch (manifest) of the search started them.</summary>
    public const string Launch = "cnd:launch";
    /// <summary>On instances: the bucket holding the search's manifest and reports.</summary>
    public const string Bucket = "cnd:bucket";
    /// <summary>On security groups: when the search's instances power themselves off (Unix seconds);
    /// until then the group may still be needed, even with no instance in it.</summary>
    public const string ExpiresAt = "cnd:expires-at";
    public const string CreatedByValue = "CloudNonce";
}
