namespace CloudNonce.Engine.Search;

/// <summary>Where a search's events go (the plan, launches, reports, warnings, relaunches, its end):
/// the one channel through which the engine keeps a record of what it did, for a runbook to read
/// instead of host output. <see cref="SearchEventLog"/> writes them as JSON lines.</summary>
public interface ISearchEventSink
{
    /// <summary>Records event <paramref name="name"/> of search <paramref name="searchId"/>; the public
    /// properties of <paramref name="fields"/> (an anonymous object will do) are its details.
    /// Never throws: a record that cannot be written must not fail the search it describes.</summary>
    void Write(string searchId, string name, object? fields = null);
}
