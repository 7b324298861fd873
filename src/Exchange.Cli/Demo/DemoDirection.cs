namespace Exchange.Cli.Demo;

/// <summary>Which way an exchange crosses the gateway.</summary>
public enum DemoDirection
{
    /// <summary>A She County system asks a partner region.</summary>
    CountyToPartner,

    /// <summary>A partner region's system asks She County.</summary>
    PartnerToCounty,
}
