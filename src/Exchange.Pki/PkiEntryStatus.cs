namespace Exchange.Pki;

/// <summary>What <see cref="DevelopmentPki.LoadOrCreate"/> did with one certificate.</summary>
public enum PkiEntryStatus
{
    /// <summary>The certificate and key on disk were usable and were loaded unchanged.</summary>
    Loaded,

    /// <summary>Neither file existed; a new key and certificate were written.</summary>
    Created,

    /// <summary>Files existed but were unusable (see <see cref="PkiEntry.Reason"/>); a new key and certificate replaced them.</summary>
    Replaced,
}
