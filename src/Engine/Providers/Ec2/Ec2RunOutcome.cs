using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Why a search stopped, and the verified golden nonce when that is why.</summary>
public sealed record Ec2RunOutcome(StopReason Reason, NonceVerdict? Golden = null);
