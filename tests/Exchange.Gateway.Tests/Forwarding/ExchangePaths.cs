using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>gRPC paths of the exchange methods, as the simulators' statistics key them.</summary>
internal static class ExchangePaths
{
    public static string Medical(string method) => Of(CrossRegionSettlementService.Descriptor.FullName, method);

    public static string Card(string method) => Of(SocialSecurityCardService.Descriptor.FullName, method);

    public static string Credit(string method) => Of(CreditService.Descriptor.FullName, method);

    public static string Archive(string method) => Of(ArchiveService.Descriptor.FullName, method);

    private static string Of(string service, string method) => $"/{service}/{method}";
}
