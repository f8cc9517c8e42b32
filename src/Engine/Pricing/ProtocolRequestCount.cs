namespace CloudNonce.Engine.Pricing;

/// <summary>S3 requests of the controller⇄worker protocol (worker/PROTOCOL.md), by billing class.</summary>
/// <param name="Puts">PUT requests: progress and result reports, manifests, the scanner upload.</param>
/// <param name="Lists">LIST requests: the controller's polls (billed with PUT).</param>
/// <param name="Gets">GET and HEAD requests: the workers' downloads and the controller's reads of reports.</param>
public sealed record ProtocolRequestCount(double Puts, double Lists, double Gets)
{
    /// <summary>Requests billed at S3's PUT, COPY, POST, LIST price.</summary>
    public double PutClass => Puts + Lists;
}
