namespace CloudNonce.Cmdlets.Parameters;

internal static class Arguments
{
    /// <summary>Attributes can receive a value wrapped in a PSObject (from the pipeline or a variable);
    /// they validate the value inside.</summary>
    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
