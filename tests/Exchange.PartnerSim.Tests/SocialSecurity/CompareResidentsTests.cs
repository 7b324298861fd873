using System.Globalization;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Domain.Privacy;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.SocialSecurity;

public sealed class CompareResidentsTests(CardRegionFixture fixture) : IClassFixture<CardRegionFixture>
{
    private SocialSecurityCardService.SocialSecurityCardServiceClient Client => fixture.Client;

    [Fact]
    public async Task CompareResidents_KnownAndUnknownHashesOverSeveralMessages_ReturnsExactlyThePensioners()
    {
        var pensioners = new[] { BenefitStatus.Active, BenefitStatus.CertificationDue, BenefitStatus.Suspended, BenefitStatus.Ended, BenefitStatus.Active }
            .Select(s => fixture.TakePension(p => p.Status == s))
            .ToArray();
        var notPensioners = fixture.Population.Residents
            .Where(r => fixture.Population.Pensions.All(p => p.CitizenId != r.CitizenId))
            .Take(3)
            .Select(r => r.CitizenId);
        var strangers = new[] { "11010519491231002X", "440524188001010014", "11010219840406970X" };
        var known = pensioners.Select(p => EligibilityCertificationTests.HashOf(p.CitizenId)).ToArray();
        var unknown = notPensioners.Concat(strangers).Select(EligibilityCertificationTests.HashOf).ToArray();
        var first = First([known[0], unknown[0], unknown[1]]);
        var second = Later(known[1], known[2], unknown[2], known[0]);
        var third = Later(unknown[3], known[3], known[4], unknown[4], unknown[5]);
        third.PensionRegion = "310000";

        var response = await CompareAsync(Client, [first, second, third]);

        Assert.Equal(known.Length + unknown.Length, response.ComparedCount);
        var expected = pensioners
            .Select(p => new ResidentMatch
            {
                SubjectHash = EligibilityCertificationTests.HashOf(p.CitizenId),
                BenefitStatus = p.Status,
                LastCertificationDate = p.LastCertificationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            })
            .OrderBy(m => m.SubjectHash, StringComparer.Ordinal);
        Assert.Equal(expected, response.Matches.OrderBy(m => m.SubjectHash, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CompareResidents_HashesUnderAnotherKey_MatchNobody()
    {
        var otherKey = new byte[32];
        otherKey.AsSpan().Fill(7);
        var hashes = fixture.Population.Pensions.Take(20).Select(p => KeyedHash.ComputeHex(otherKey, p.CitizenId)).ToArray();

        var response = await CompareAsync(Client, [First(hashes)]);

        Assert.Equal(20, response.ComparedCount);
        Assert.Empty(response.Matches);
    }

    [Fact]
    public async Task CompareResidents_CountyInsideTheRegion_IsServed()
    {
        var pensioner = fixture.TakePension(p => p.Status == BenefitStatus.Active);
        var first = First([EligibilityCertificationTests.HashOf(pensioner.CitizenId)]);
        first.PensionRegion = "310115";

        var response = await CompareAsync(Client, [first]);

        Assert.Single(response.Matches);
    }

    [Fact]
    public async Task CompareResidents_ExactlyTheMaximumOf100000Hashes_IsAccepted()
    {
        var block = DistinctFakeHashes(1_000, seed: 1);
        var messages = Enumerable.Range(0, 100).Select(i => i == 0 ? First(block) : Later(block)).ToArray();

        var response = await CompareAsync(Client, messages);

        Assert.Equal(1_000, response.ComparedCount);
        Assert.Empty(response.Matches);
    }

    [Fact]
    public async Task CompareResidents_MoreThan100000Hashes_IsInvalidArgument()
    {
        var block = DistinctFakeHashes(1_000, seed: 2);
        var messages = Enumerable.Range(0, 100).Select(i => i == 0 ? First(block) : Later(block)).Append(Later(block[0])).ToArray();

        var badRequest = await RpcAssert.FailsWithFieldViolations(() => CompareAsync(Client, messages), "subject_hashes");

        Assert.Equal("must not exceed 100,000 hashes in one call", badRequest.FieldViolations[0].Description);
    }

    [Fact]
    public async Task CompareResidents_MoreThan1000HashesInOneMessage_IsInvalidArgument()
    {
        await RpcAssert.FailsWithFieldViolations(() => CompareAsync(Client, [First(DistinctFakeHashes(1_001, seed: 3))]), "subject_hashes");
    }

    [Fact]
    public async Task CompareResidents_LaterMessageWithoutHashes_IsInvalidArgument()
    {
        await RpcAssert.FailsWithFieldViolations(() => CompareAsync(Client, [First(DistinctFakeHashes(3, seed: 4)), Later()]), "subject_hashes");
    }

    [Fact]
    public async Task CompareResidents_FirstMessageWithoutRegion_IsInvalidArgument()
    {
        var first = First(DistinctFakeHashes(3, seed: 5));
        first.PensionRegion = "";

        await RpcAssert.FailsWithFieldViolations(() => CompareAsync(Client, [first]), "pension_region");
    }

    [Fact]
    public async Task CompareResidents_FirstMessageWithoutPurpose_IsPermissionDenied()
    {
        var first = First(DistinctFakeHashes(3, seed: 6));
        first.Purpose = PurposeOfUse.Unspecified;

        await RpcAssert.FailsWithPurposeRequired(() => CompareAsync(Client, [first, Later(DistinctFakeHashes(2, seed: 7))]));
    }

    [Fact]
    public async Task CompareResidents_NoMessage_IsInvalidArgument()
    {
        await RpcAssert.FailsWithFieldViolations(() => CompareAsync(Client, []), "pension_region");
    }

    [Fact]
    public async Task CompareResidents_LaterMessageNamingAnotherRegion_IsInvalidArgument()
    {
        var later = Later(DistinctFakeHashes(2, seed: 9));
        later.PensionRegion = "320000";

        await RpcAssert.FailsWithFieldViolations(() => CompareAsync(Client, [First(DistinctFakeHashes(2, seed: 10)), later]), "pension_region");
    }

    [Fact]
    public async Task CompareResidents_RegionNotServed_IsNotFound()
    {
        var first = First(DistinctFakeHashes(2, seed: 11));
        first.PensionRegion = "341021";

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => CompareAsync(Client, [first]));

        Assert.Contains("pension_region 341021", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task CompareResidents_MalformedHash_IsInvalidArgumentNamingItsIndex(int messageIndex)
    {
        var hashes = DistinctFakeHashes(3, seed: 12 + messageIndex);
        hashes[1] = hashes[1].ToUpperInvariant();
        var messages = messageIndex == 0 ? new[] { First(hashes) } : [First(DistinctFakeHashes(2, seed: 20)), Later(hashes)];

        await RpcAssert.FailsWithFieldViolations(() => CompareAsync(Client, messages), "subject_hashes[1]");
    }

    [Fact]
    public async Task CompareResidents_ClearCitizenIdInsteadOfHash_IsRefusedWithoutEchoingIt()
    {
        var id = fixture.Population.Pensions[0].CitizenId;

        var error = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => CompareAsync(Client, [First([id])]));

        Assert.DoesNotContain(id, error.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>Streams <paramref name="messages"/> and returns the answer; a call the server ended early throws its status.</summary>
    internal static async Task<CompareResidentsResponse> CompareAsync(
        SocialSecurityCardService.SocialSecurityCardServiceClient client, IReadOnlyList<CompareResidentsRequest> messages)
    {
        using var call = client.CompareResidents();
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server answered before reading everything; the answer (an error) is in ResponseAsync.
        }

        return await call.ResponseAsync;
    }

    internal static CompareResidentsRequest First(IEnumerable<string> hashes) => new()
    {
        PensionRegion = "310000",
        Purpose = PurposeOfUse.BenefitEligibility,
        SubjectHashes = { hashes },
    };

    private static CompareResidentsRequest Later(params string[] hashes) => new() { SubjectHashes = { hashes } };

    /// <summary>Well-formed hashes of citizen IDs that are not in the population (born in Beijing).</summary>
    private static string[] DistinctFakeHashes(int count, int seed) =>
        Enumerable.Range(1, count)
            .Select(i => CitizenId.Create("110105", new DateOnly(1950, 1, 1).AddDays(seed * 300 + i / 999), i % 999 + 1).Value)
            .Select(EligibilityCertificationTests.HashOf)
            .ToArray();
}
