using Exchange.Contracts.V1;
using Exchange.Gateway.Configuration;

namespace Exchange.Gateway.Tests.Infrastructure;

/// <summary>The participants of the test gateway: each exists to exercise one part of the access policy.</summary>
public static class TestParticipants
{
    /// <summary>County hospital: medical settlement and card checks, everywhere, sensitive clearance.</summary>
    public const string Hospital = "county-hospital";

    /// <summary>County social-security bureau: every card method (incl. the client-streaming comparison).</summary>
    public const string SocialSecurity = "county-social-security";

    /// <summary>County credit office: credit methods, personal (not sensitive) clearance.</summary>
    public const string CreditOffice = "county-credit-office";

    /// <summary>County archive: archive methods.</summary>
    public const string Archive = "county-archive";

    /// <summary>A county clinic that may only reach Shanghai.</summary>
    public const string ShanghaiOnlyClinic = "county-clinic";

    /// <summary>Shanghai's platform: everything, but only towards the county.</summary>
    public const string ShanghaiPlatform = "shanghai-platform";

    /// <summary>A Hangzhou museum: card checks only, public clearance (sees no personal fields).</summary>
    public const string Museum = "hangzhou-museum";

    /// <summary>Has a certificate from the exchange CA but is not configured.</summary>
    public const string Stranger = "stranger";

    /// <summary>An auditor: has a certificate, and is configured only where a test adds <see cref="AuditorOptions"/>.</summary>
    public const string Auditor = "auditor";

    /// <summary>The auditor as the sandbox configures it: the AuditService (and directory), purpose Audit.</summary>
    public static ParticipantOptions AuditorOptions() => new()
    {
        Id = Auditor, DisplayName = "Auditor", Region = "341021", Role = ParticipantRole.Auditor, Clearance = Sensitivity.Internal,
        Methods = ["exchange.directory.v1.DirectoryService/*", "exchange.audit.v1.AuditService/*"], Targets = ["341021"], Purposes = [PurposeOfUse.Audit],
    };

    /// <summary>The participants configured in the gateway.</summary>
    public static ParticipantOptions[] Configured() =>
    [
        new()
        {
            Id = Hospital, DisplayName = "County hospital", Region = "341021", Clearance = Sensitivity.SensitivePersonal,
            Methods = ["exchange.medical.v1.CrossRegionSettlementService/*", "exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard"],
            Targets = ["*"], Purposes = [PurposeOfUse.MedicalSettlement, PurposeOfUse.SocialInsurance],
        },
        new()
        {
            Id = SocialSecurity, DisplayName = "County social security", Region = "341021", Clearance = Sensitivity.SensitivePersonal,
            Methods = ["exchange.socialsecurity.v1.SocialSecurityCardService/*"], Targets = ["*"],
            Purposes = [PurposeOfUse.SocialInsurance, PurposeOfUse.BenefitEligibility, PurposeOfUse.PublicServiceAccess],
        },
        new()
        {
            Id = CreditOffice, DisplayName = "County credit office", Region = "341021", Clearance = Sensitivity.Personal,
            Methods = ["exchange.credit.v1.CreditService/*"], Targets = ["*"],
            Purposes = [PurposeOfUse.CreditSupervision, PurposeOfUse.SubjectRequest],
        },
        new()
        {
            Id = Archive, DisplayName = "County archive", Region = "341021", Clearance = Sensitivity.SensitivePersonal,
            Methods = ["exchange.archive.v1.ArchiveService/*"], Targets = ["*"], Purposes = [PurposeOfUse.SubjectRequest],
        },
        new()
        {
            Id = ShanghaiOnlyClinic, DisplayName = "County clinic", Region = "341021", Clearance = Sensitivity.SensitivePersonal,
            Methods = ["exchange.medical.v1.CrossRegionSettlementService/*", "exchange.credit.v1.CreditService/ListCreditRecords"],
            Targets = ["310000"], Purposes = [PurposeOfUse.MedicalSettlement, PurposeOfUse.CreditSupervision],
        },
        new()
        {
            Id = ShanghaiPlatform, DisplayName = "Shanghai platform", Region = "310000", Role = ParticipantRole.PartnerRegion,
            Clearance = Sensitivity.SensitivePersonal, Methods = ["*"], Targets = ["341021"],
            Purposes = [PurposeOfUse.MedicalSettlement, PurposeOfUse.SocialInsurance, PurposeOfUse.PublicServiceAccess, PurposeOfUse.SubjectRequest, PurposeOfUse.CreditSupervision],
        },
        new()
        {
            Id = Museum, DisplayName = "Hangzhou museum", Region = "330100", Role = ParticipantRole.PartnerRegion, Clearance = Sensitivity.Public,
            Methods = ["exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard", "exchange.socialsecurity.v1.SocialSecurityCardService/ListCardEntitlements"],
            Targets = ["341021"], Purposes = [PurposeOfUse.PublicServiceAccess],
        },
    ];
}
