namespace CloudNonce.Engine.Platform;

/// <summary>The operating systems the module tells apart; anything else is <see cref="Other"/>.</summary>
public enum HostOperatingSystem
{
    Linux,
    Windows,
    MacOS,
    Other,
}
