using System.Security.Cryptography;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Client = Exchange.Contracts.Archive.V1.ArchiveService.ArchiveServiceClient;

namespace Exchange.PartnerSim.Tests.Archive;

/// <summary>
/// A simulated Zhejiang archive on a fake clock, reached only through the gRPC channel. <see cref="Advance"/> moves
/// the clock archive steps (an hour each) on: SUBMITTED → SEARCHING → the outcome.
/// </summary>
public sealed class ArchiveRegion : IAsyncDisposable
{
    /// <summary>How long each archive step takes here.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromHours(1);

    /// <summary>The instant the fake clock starts at.</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 3, 1, 30, 0, TimeSpan.Zero);

    private int _requests;

    private ArchiveRegion(SimulatedRegion region, FakeTimeProvider time, ECDsa signingKey)
    {
        Region = region;
        Time = time;
        SigningKey = signingKey;
        Client = new Client(region.Channel);
    }

    /// <summary>The simulator and its channel.</summary>
    public SimulatedRegion Region { get; }

    /// <summary>The region's clock.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The archive's key pair (the test made it, so it can check what the archive publishes).</summary>
    public ECDsa SigningKey { get; }

    /// <summary>An archive client over the real channel.</summary>
    public Client Client { get; }

    /// <summary>GB/T 2260 code of the region.</summary>
    public string Code => Region.Host.RegionCode;

    /// <summary>A resident the archive holds records about (school and marriage at least).</summary>
    public Resident WithHoldings => Resident(0);

    /// <summary>A resident the archive holds nothing about.</summary>
    public Resident WithoutHoldings => Resident(1);

    /// <summary>Starts a region (Zhejiang unless told otherwise) with a fake clock and a key of the test's making.</summary>
    public static async Task<ArchiveRegion> StartAsync(string regionCode = "330000")
    {
        var time = new FakeTimeProvider(Start);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var region = await SimulatedRegion.StartAsync(new PartnerRegionOptions
        {
            RegionCode = regionCode,
            TimeProvider = time,
            ArchiveSearchDelay = Step,
            SigningKey = key,
        });
        return new ArchiveRegion(region, time, key);
    }

    /// <summary>The resident at <paramref name="index"/>; even indexes have holdings, odd ones none.</summary>
    public Resident Resident(int index) => Region.Host.Population.Residents[index];

    /// <summary>The record the archive holds about <paramref name="person"/> in <paramref name="category"/>.</summary>
    public ArchiveHolding Holding(Resident person, ArchiveCategory category) =>
        Region.Host.Population.ArchiveHoldings.Single(h => h.CitizenId == person.CitizenId && h.Category == category);

    /// <summary>Moves the clock <paramref name="steps"/> archive steps on, one at a time (timers fire on this thread).</summary>
    public void Advance(int steps = 1)
    {
        for (var i = 0; i < steps; i++)
        {
            Time.Advance(Step);
        }
    }

    /// <summary>A valid submission about <paramref name="person"/> under a fresh request id.</summary>
    public SubmitArchiveLookupRequest Request(
        Resident person,
        ArchiveCategory category = ArchiveCategory.School,
        PurposeOfUse purpose = PurposeOfUse.SubjectRequest,
        string? name = null) => new()
        {
            RequestId = $"archive-test-{Interlocked.Increment(ref _requests):D4}",
            ArchiveRegion = Code,
            Category = category,
            Subject = new Subject { CitizenId = person.CitizenId },
            SubjectName = name ?? person.Name,
            Description = "1990年前后，杭州",
            Purpose = purpose,
        };

    /// <summary>Submits and returns the look-up.</summary>
    public async Task<ArchiveLookup> SubmitAsync(SubmitArchiveLookupRequest request) =>
        (await Client.SubmitArchiveLookupAsync(request)).Lookup;

    /// <summary>The look-up's current state.</summary>
    public async Task<ArchiveLookup> GetAsync(string lookupId) =>
        (await Client.GetArchiveLookupAsync(new GetArchiveLookupRequest { ArchiveRegion = Code, LookupId = lookupId })).Lookup;

    /// <summary>The look-up's certificate.</summary>
    public async Task<ArchiveCertificate> GetCertificateAsync(string lookupId) =>
        (await Client.GetArchiveCertificateAsync(new GetArchiveCertificateRequest
        {
            ArchiveRegion = Code,
            LookupId = lookupId,
            Purpose = PurposeOfUse.SubjectRequest,
        })).Certificate;

    /// <summary>Looks up <paramref name="person"/>'s school record, lets the search finish and returns the certificate.</summary>
    public async Task<ArchiveCertificate> IssueCertificateAsync(Resident person)
    {
        var lookup = await SubmitAsync(Request(person));
        Advance(2);
        return await GetCertificateAsync(lookup.LookupId);
    }

    /// <summary>Asks the archive to verify a full certificate.</summary>
    public async Task<VerifyArchiveCertificateResponse> VerifyAsync(ArchiveCertificate certificate) =>
        await Client.VerifyArchiveCertificateAsync(new VerifyArchiveCertificateRequest
        {
            ArchiveRegion = Code,
            Certificate = certificate,
            Purpose = PurposeOfUse.SubjectRequest,
        });

    /// <summary>Asks the archive to verify a verification code.</summary>
    public async Task<VerifyArchiveCertificateResponse> VerifyAsync(string verificationCode) =>
        await Client.VerifyArchiveCertificateAsync(new VerifyArchiveCertificateRequest
        {
            ArchiveRegion = Code,
            VerificationCode = verificationCode,
            Purpose = PurposeOfUse.SubjectRequest,
        });

    /// <summary>Opens a watch on a look-up.</summary>
    public AsyncServerStreamingCall<WatchArchiveLookupResponse> Watch(string lookupId, CancellationToken cancellationToken = default) =>
        Client.WatchArchiveLookup(new WatchArchiveLookupRequest { ArchiveRegion = Code, LookupId = lookupId }, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Region.DisposeAsync();
        SigningKey.Dispose();
    }
}
