using Exchange.Contracts.V1;

namespace Exchange.Gateway.Configuration;

/// <summary>What kind of participant calls.</summary>
public enum ParticipantRole
{
    /// <summary>A system of the county itself.</summary>
    CountySystem,

    /// <summary>A partner region's exchange platform.</summary>
    PartnerRegion,

    /// <summary>An auditor.</summary>
    Auditor,
}

/// <summary>
/// A participant and its access policy. The participant is named by the common name of its client certificate.
/// </summary>
public sealed record ParticipantOptions
{
    /// <summary>Identifier; must equal the subject CN of the participant's client certificate.</summary>
    public string Id { get; init; } = "";

    /// <summary>Display name.</summary>
    public string DisplayName { get; init; } = "";

    /// <summary>GB/T 2260 code of the participant's region.</summary>
    public string Region { get; init; } = "";

    /// <summary>Role.</summary>
    public ParticipantRole Role { get; init; } = ParticipantRole.CountySystem;

    /// <summary>
    /// Highest sensitivity the participant may receive; response fields above it are cleared (minimum necessary).
    /// </summary>
    public Sensitivity Clearance { get; init; } = Sensitivity.Public;

    /// <summary>
    /// Methods it may call: "package.Service/Method", "package.Service/*" or "*".
    /// </summary>
    public string[] Methods { get; init; } = [];

    /// <summary>Regions it may reach: GB/T 2260 codes whose prefix scope covers the target (310000 covers 310115), or "*".</summary>
    public string[] Targets { get; init; } = [];

    /// <summary>Purposes of use it may state.</summary>
    public PurposeOfUse[] Purposes { get; init; } = [];
}
