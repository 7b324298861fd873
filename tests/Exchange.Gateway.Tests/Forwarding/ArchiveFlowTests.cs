using System.Security.Cryptography;
using System.Text.Json;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;
using Client = Exchange.Contracts.Archive.V1.ArchiveService.ArchiveServiceClient;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// Archive look-ups with online certificates through the gateway in both directions: submitted, watched on a server
/// stream until the certificate is issued, fetched and verified, by the county archive at Shanghai's archive and by
/// Shanghai's platform at the county's.
/// </summary>
public sealed class ArchiveFlowTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    /// <summary>The order a found record's look-up moves through.</summary>
    private static readonly LookupState[] FoundPath = [LookupState.Submitted, LookupState.Searching, LookupState.Found, LookupState.CertificateIssued];

    [Fact]
    public async Task CountyArchive_LooksUpShanghaiSchoolRecord_GetsAVerifiedCertificateFromShanghai()
    {
        await AssertArchiveFlowAsync(TestParticipants.Archive, "310000", "county-archive-lookup-1");
    }

    [Fact]
    public async Task ShanghaiPlatform_LooksUpCountySchoolRecord_GetsAVerifiedCertificateFromTheCounty()
    {
        await AssertArchiveFlowAsync(TestParticipants.ShanghaiPlatform, "341021", "shanghai-archive-lookup-1");
    }

    /// <summary>Asserts that the states a watch saw follow the found path in order and end with the certificate issued.</summary>
    internal static void AssertFollowsFoundPath(IReadOnlyList<LookupState> states)
    {
        Assert.NotEmpty(states);
        Assert.Equal(LookupState.CertificateIssued, states[^1]);
        var positions = states.Select(s => Array.IndexOf(FoundPath, s)).ToArray();
        Assert.DoesNotContain(-1, positions);
        Assert.True(positions.Zip(positions.Skip(1)).All(p => p.First < p.Second), $"states out of order: {string.Join(", ", states)}");
    }

    private async Task AssertArchiveFlowAsync(string participant, string archiveRegion, string requestId)
    {
        var environment = fixture.Environment;
        var (resident, holding) = Seeded.SchoolRecord(environment.Regions[archiveRegion].Population);
        var client = new Client(environment.ChannelFor(participant));
        var traffic = RegionTraffic.Start(environment);

        var submitted = (await client.SubmitArchiveLookupAsync(new SubmitArchiveLookupRequest
        {
            RequestId = requestId,
            ArchiveRegion = archiveRegion,
            Category = ArchiveCategory.School,
            Subject = new Subject { CitizenId = resident.CitizenId },
            SubjectName = resident.Name,
            Description = "入学年份约为" + holding.Year,
            Purpose = PurposeOfUse.SubjectRequest,
        })).Lookup;
        Assert.Equal(requestId, submitted.RequestId);
        Assert.Equal(archiveRegion, submitted.ArchiveRegion);
        Assert.Equal(ArchiveCategory.School, submitted.Category);
        Assert.StartsWith(archiveRegion + "L", submitted.LookupId, StringComparison.Ordinal);

        using var watch = client.WatchArchiveLookup(
            new WatchArchiveLookupRequest { ArchiveRegion = archiveRegion, LookupId = submitted.LookupId },
            deadline: DateTime.UtcNow.AddSeconds(30));
        var seen = new List<ArchiveLookup>();
        await foreach (var change in watch.ResponseStream.ReadAllAsync())
        {
            seen.Add(change.Lookup);
        }

        Assert.All(seen, lookup => Assert.Equal(submitted.LookupId, lookup.LookupId));
        AssertFollowsFoundPath([.. seen.Select(l => l.State)]);
        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);

        var certificate = (await client.GetArchiveCertificateAsync(new GetArchiveCertificateRequest
        {
            ArchiveRegion = archiveRegion,
            LookupId = submitted.LookupId,
            Purpose = PurposeOfUse.SubjectRequest,
        })).Certificate;
        Assert.Equal(submitted.LookupId, certificate.LookupId);
        Assert.Equal(archiveRegion, certificate.IssuerRegion);
        Assert.Equal("application/json", certificate.DocumentMediaType);
        using (var document = JsonDocument.Parse(certificate.Document.Memory))
        {
            var root = document.RootElement;
            Assert.Equal(resident.CitizenId, root.GetProperty("subject_citizen_id").GetString());
            Assert.Equal(resident.Name, root.GetProperty("subject_name").GetString());
            Assert.Equal(holding.Summary, root.GetProperty("record_summary").GetString());
            Assert.Equal(holding.Year, root.GetProperty("record_year").GetInt32());
            Assert.Equal(certificate.CertificateId, root.GetProperty("certificate_id").GetString());
        }

        var byCode = await client.VerifyArchiveCertificateAsync(new VerifyArchiveCertificateRequest
        {
            ArchiveRegion = archiveRegion,
            VerificationCode = certificate.VerificationCode,
            Purpose = PurposeOfUse.SubjectRequest,
        });
        Assert.True(byCode.Valid);
        Assert.Equal(VerificationFailure.Unspecified, byCode.Failure);
        Assert.Equal(certificate.CertificateId, byCode.CertificateId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.Document.Span)), byCode.DocumentSha256);

        var byCertificate = await client.VerifyArchiveCertificateAsync(new VerifyArchiveCertificateRequest
        {
            ArchiveRegion = archiveRegion,
            Certificate = certificate,
            Purpose = PurposeOfUse.SubjectRequest,
        });
        Assert.True(byCertificate.Valid);
        Assert.Equal(certificate.CertificateId, byCertificate.CertificateId);

        traffic.AssertExactly(
            (archiveRegion, ExchangePaths.Archive("SubmitArchiveLookup"), 1),
            (archiveRegion, ExchangePaths.Archive("WatchArchiveLookup"), 1),
            (archiveRegion, ExchangePaths.Archive("GetArchiveCertificate"), 1),
            (archiveRegion, ExchangePaths.Archive("VerifyArchiveCertificate"), 2));
    }
}
