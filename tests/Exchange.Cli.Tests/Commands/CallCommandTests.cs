using System.Globalization;
using System.Text.Json;
using Exchange.Cli.Tests.Infrastructure;
using Exchange.Contracts.Medical.V1;
using Exchange.Domain.Identifiers;
using Exchange.Domain.Privacy;
using Exchange.PartnerSim.Hosting;

namespace Exchange.Cli.Tests.Commands;

/// <summary>
/// <c>exchange call</c> against a real simulated region served over TLS with a development certificate: the client
/// side of mTLS (custom CA trust, host name check), JSON both ways, streaming, and errors with their details.
/// </summary>
public sealed class CallCommandTests(TlsRegionFixture region) : IClassFixture<TlsRegionFixture>
{
    private const string TodayFormat = "yyyy-MM-dd";

    [Fact]
    public async Task Call_Unary_PrintsTheResponseAsIndentedJsonWithEnumNames()
    {
        var insured = region.Host.Population.Insurance[0];

        var result = await CallAsync("CrossRegionSettlementService/GetInsuredPerson",
            $$"""{ "insuredRegion": "310000", "citizenId": "{{insured.CitizenId}}", "purpose": "PURPOSE_OF_USE_MEDICAL_SETTLEMENT" }""");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Error);
        var person = JsonDocuments.Parse(result.Output).Single().GetProperty("person");
        Assert.Equal("310000", person.GetProperty("insuredRegion").GetString());
        Assert.Equal(insured.PersonNumber, person.GetProperty("personNumber").GetString());
        Assert.StartsWith("INSURANCE_TYPE_", person.GetProperty("insuranceType").GetString(), StringComparison.Ordinal);
        Assert.Contains(Environment.NewLine + "  \"person\": {", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_FullMethodNameAndLocalhost_AlsoWork()
    {
        var result = await CallAsync(
            "/exchange.directory.v1.DirectoryService/ListServices", "{}",
            gateway: $"https://localhost:{region.Host.Address.Port}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("exchange.medical.v1.CrossRegionSettlementService", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_MalformedCitizenId_PrintsInvalidArgumentWithTheFieldPath()
    {
        var result = await CallAsync("SocialSecurityCardService/VerifyCard",
            """{ "issuingRegion": "310000", "citizenId": "31011519800101001", "purpose": "PURPOSE_OF_USE_PUBLIC_SERVICE_ACCESS" }""");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Output);
        var lines = result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: INVALID_ARGUMENT: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  field violation: citizen_id: ", StringComparison.Ordinal));
        Assert.DoesNotContain("31011519800101001", result.Error, StringComparison.Ordinal); // the violation never repeats the value
    }

    [Fact]
    public async Task Call_NoPurpose_PrintsPermissionDeniedWithErrorInfo()
    {
        var card = region.Host.Population.Cards[0];

        var result = await CallAsync("SocialSecurityCardService/VerifyCard", $$"""{ "issuingRegion": "310000", "citizenId": "{{card.CitizenId}}" }""");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: PERMISSION_DENIED: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("  error info: PURPOSE_REQUIRED (domain exchange.gov.cn)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_UnknownPerson_PrintsNotFound()
    {
        var result = await CallAsync("CrossRegionSettlementService/GetInsuredPerson",
            """{ "insuredRegion": "310000", "citizenId": "11010519491231002X", "purpose": "PURPOSE_OF_USE_MEDICAL_SETTLEMENT" }""");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: NOT_FOUND: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_ServerStreaming_PrintsEveryResponse()
    {
        // A treatment region no other test uses, so the day's list holds exactly these settlements.
        const string treatmentRegion = "320500";
        var patient = region.Host.Population.Insurance.First(i => i.Status == InsuranceStatus.Active);
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime).ToString(TodayFormat, CultureInfo.InvariantCulture);
        var first = Random.Shared.Next(0, 9000);
        for (var sequence = first; sequence <= first + 1; sequence++)
        {
            var settled = await CallAsync("CrossRegionSettlementService/Settle", SettleJson(patient.CitizenId, treatmentRegion, sequence));
            Assert.True(settled.ExitCode == 0, settled.ToString());
        }

        var result = await CallAsync("CrossRegionSettlementService/StreamReconciliationDetails",
            $$"""{ "insuredRegion": "310000", "treatmentRegion": "{{treatmentRegion}}", "settlementDate": "{{today}}" }""");

        Assert.True(result.ExitCode == 0, result.ToString());
        var documents = JsonDocuments.Parse(result.Output);
        Assert.Equal(2, documents.Count);
        Assert.All(documents, d => Assert.Equal("SETTLEMENT_STATE_SETTLED", d.GetProperty("settlement").GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Call_WatchArchiveLookup_StreamsStatesUntilTheCertificate()
    {
        var holding = region.Host.Population.ArchiveHoldings[0];
        var resident = region.Host.Population.ResidentsById[holding.CitizenId];
        var submitted = await CallAsync("ArchiveService/SubmitArchiveLookup", JsonSerializer.Serialize(new
        {
            requestId = "cli-test:" + Guid.NewGuid().ToString("N"),
            archiveRegion = "310000",
            category = (int)holding.Category,
            subject = new { citizenId = resident.CitizenId },
            subjectName = resident.Name,
            purpose = "PURPOSE_OF_USE_SUBJECT_REQUEST",
        }));
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var lookupId = JsonDocuments.Parse(submitted.Output).Single().GetProperty("lookup").GetProperty("lookupId").GetString();

        var result = await CallAsync("ArchiveService/WatchArchiveLookup", $$"""{ "archiveRegion": "310000", "lookupId": "{{lookupId}}" }""");

        Assert.True(result.ExitCode == 0, result.ToString());
        var states = JsonDocuments.Parse(result.Output).Select(d => d.GetProperty("lookup").GetProperty("state").GetString()).ToArray();
        Assert.True(states.Length >= 2, string.Join(", ", states)); // the archive takes 2 × 0.7 s: the watch sees it change
        Assert.Equal("LOOKUP_STATE_CERTIFICATE_ISSUED", states[^1]);
    }

    [Fact]
    public async Task Call_ClientStreaming_SendsTheArrayAndPrintsTheResponse()
    {
        var pensioner = region.Host.Population.Pensions[0];
        var key = PartnerRegionOptions.DevelopmentComparisonKey.Span;
        var match = KeyedHash.ComputeHex(key, pensioner.CitizenId);
        var stranger = KeyedHash.ComputeHex(key, "11010519491231002X");

        var result = await CallAsync("SocialSecurityCardService/CompareResidents", $$"""
            [ { "pensionRegion": "310000", "subjectHashes": ["{{match}}"], "purpose": "PURPOSE_OF_USE_BENEFIT_ELIGIBILITY" },
              { "subjectHashes": ["{{stranger}}"] } ]
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        var response = JsonDocuments.Parse(result.Output).Single();
        Assert.Equal(2, response.GetProperty("comparedCount").GetInt32());
        Assert.Equal(match, response.GetProperty("matches").EnumerateArray().Single().GetProperty("subjectHash").GetString());
    }

    [Fact]
    public async Task Call_ServerCertificateOfAnotherCa_IsRefusedAndSaysWhy()
    {
        using var otherPki = new TemporaryDirectory();

        var result = await ExchangeCommand.RunAsync(
            "call", "DirectoryService/ListServices", "--gateway", region.Address, "--pki", otherPki.Path, "--timeout", "10");

        Assert.True(result.ExitCode == 1, result.ToString());
        // Grpc.Net.Client reports a refused handshake as INTERNAL or UNAVAILABLE, with a message that does not say why.
        Assert.Matches("(?m)^error: (INTERNAL|UNAVAILABLE): ", result.Error);
        Assert.Contains("the server certificate is not trusted: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("not issued by the trusted CA", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    private Task<CliResult> CallAsync(string method, string json, string? gateway = null) =>
        ExchangeCommand.RunAsync("call", method, "--json", json, "--gateway", gateway ?? region.Address, "--pki", region.PkiDirectory, "--as", "county-hospital", "--timeout", "20");

    private static string SettleJson(string citizenId, string treatmentRegion, int sequence)
    {
        var chinaNow = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime;
        var requestId = SettlementMessageId.Create("H32050000001", chinaNow, sequence).Value;
        return $$"""
            { "requestId": "{{requestId}}", "insuredRegion": "310000", "purpose": "PURPOSE_OF_USE_MEDICAL_SETTLEMENT",
              "visit": { "treatmentRegion": "{{treatmentRegion}}", "citizenId": "{{citizenId}}",
                         "hospital": { "code": "H32050000001", "level": "HOSPITAL_LEVEL_TERTIARY" }, "visitId": "MZ-{{sequence}}",
                         "feeItems": [ { "itemCode": "001101000010000", "catalogueClass": "CATALOGUE_CLASS_A", "amount": { "fen": "12000" } } ] } }
            """;
    }
}
