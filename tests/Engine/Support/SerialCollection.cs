namespace CloudNonce.Engine.Tests.Support;

/// <summary>Tests that hash on every core and check times or progress counts run one at a time, so
/// they do not slow each other down on a small machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Native scans, one at a time";
}
