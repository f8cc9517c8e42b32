namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>S3 requests by the price class S3 bills them in: PUT, COPY, POST and LIST requests at one
/// price; GET (and HEAD) at another, about a twelfth of it.</summary>
public sealed record S3RequestCounts(double Puts, double Lists, double Gets)
{
    public static readonly S3RequestCounts None = new(0, 0, 0);

    /// <summary>What S3 bills at its "PUT, COPY, POST, LIST" price.</summary>
    public double PutClass => Puts + Lists;
    /// <summary>What S3 bills at its "GET, SELECT and all other" price.</summary>
    public double GetClass => Gets;

    public double Cost(double putClassPer1000, double getClassPer1000) => PutClass / 1000 * putClassPer1000 + GetClass / 1000 * getClassPer1000;
}
