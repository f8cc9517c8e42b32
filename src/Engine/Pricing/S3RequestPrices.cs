namespace CloudNonce.Engine.Pricing;

/// <summary>What S3 Standard charges for requests in one region. LIST is billed with PUT, COPY and
/// POST; GET and HEAD in the cheaper class.</summary>
/// <param name="PutPer1000">USD per 1,000 PUT, COPY, POST or LIST requests.</param>
/// <param name="GetPer1000">USD per 1,000 GET, HEAD and other requests.</param>
/// <param name="Source">Where the figures come from.</param>
public sealed record S3RequestPrices(double PutPer1000, double GetPer1000, string Source);
