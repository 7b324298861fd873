using Exchange.Cli.Calls;

namespace Exchange.Cli.Tests.Calls;

public sealed class MethodResolverTests
{
    [Theory]
    [InlineData("exchange.medical.v1.CrossRegionSettlementService/PreSettle")]
    [InlineData("/exchange.medical.v1.CrossRegionSettlementService/PreSettle")]
    [InlineData("CrossRegionSettlementService/PreSettle")]
    [InlineData("crossregionsettlementservice/presettle")]
    [InlineData("  CrossRegionSettlementService/PreSettle ")]
    public void TryResolve_FullShortOrCaseInsensitiveName_FindsTheMethod(string name)
    {
        Assert.True(MethodResolver.Contracts.TryResolve(name, out var method, out var error), error);

        Assert.Equal("exchange.medical.v1.CrossRegionSettlementService", method!.Service.FullName);
        Assert.Equal("PreSettle", method.Name);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("SocialSecurityCardService/CompareResidents", true, false)]
    [InlineData("ArchiveService/WatchArchiveLookup", false, true)]
    [InlineData("CreditService/ListCreditRecords", false, false)]
    public void TryResolve_KnowsTheStreamingShape(string name, bool clientStreaming, bool serverStreaming)
    {
        Assert.True(MethodResolver.Contracts.TryResolve(name, out var method, out _));

        Assert.Equal((clientStreaming, serverStreaming), (method!.IsClientStreaming, method.IsServerStreaming));
    }

    [Fact]
    public void TryResolve_Misspelt_SuggestsTheCloseMatch()
    {
        Assert.False(MethodResolver.Contracts.TryResolve("CrossRegionSettlementService/PreSetle", out var method, out var error));

        Assert.Null(method);
        Assert.StartsWith("unknown method 'CrossRegionSettlementService/PreSetle'. Did you mean:", error, StringComparison.Ordinal);
        Assert.Contains("exchange.medical.v1.CrossRegionSettlementService/PreSettle", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_MethodOfAnotherService_SuggestsWhereItIs()
    {
        Assert.False(MethodResolver.Contracts.TryResolve("CreditService/VerifyCard", out _, out var error));

        Assert.Contains("exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_PartOfAName_SuggestsEveryMethodContainingIt()
    {
        Assert.False(MethodResolver.Contracts.TryResolve("ArchiveService/Certificate", out _, out var error));

        Assert.Contains("ArchiveService/GetArchiveCertificate", error, StringComparison.Ordinal);
        Assert.Contains("ArchiveService/VerifyArchiveCertificate", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PreSettle")]
    [InlineData("CrossRegionSettlementService/")]
    [InlineData("/")]
    public void TryResolve_NotServiceSlashMethod_ExplainsTheForm(string name)
    {
        Assert.False(MethodResolver.Contracts.TryResolve(name, out _, out var error));

        Assert.Contains("write Service/Method", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_NothingClose_ListsTheServices()
    {
        Assert.False(MethodResolver.Contracts.TryResolve("Zzz/Qq", out _, out var error));

        Assert.Contains("Services: exchange.archive.v1.ArchiveService, exchange.audit.v1.AuditService, exchange.credit.v1.CreditService", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_SimulatorControlService_IsNotAnExchangeMethod()
    {
        Assert.False(MethodResolver.Contracts.TryResolve("exchange.sim.v1.SimulatorControlService/GetStats", out _, out _));
    }
}
