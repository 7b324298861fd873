using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Archive;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.PartnerSim.Tests.Archive;

/// <summary>WatchArchiveLookup, read while the fake clock moves on.</summary>
public sealed class ArchiveWatchTests : IDisposable
{
    // Reads fail after this instead of hanging the run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Watch_FoundHolding_StreamsEveryStateUntilCertificateIssued()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings));
        using var call = archive.Watch(lookup.LookupId);
        var stream = call.ResponseStream;

        Assert.Equal(LookupState.Submitted, (await NextAsync(stream))!.State);
        archive.Advance();
        Assert.Equal(LookupState.Searching, (await NextAsync(stream))!.State);
        archive.Advance();
        var found = await NextAsync(stream);
        var issued = await NextAsync(stream);

        Assert.Equal(LookupState.Found, found!.State);
        Assert.Equal(LookupState.CertificateIssued, issued!.State);
        Assert.Equal(lookup.LookupId, issued.LookupId);
        Assert.Equal(found.UpdateTime, issued.UpdateTime);
        Assert.Null(await NextAsync(stream));
    }

    [Fact]
    public async Task Watch_NoHolding_StreamsUntilNotFoundAndEnds()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithoutHoldings));
        using var call = archive.Watch(lookup.LookupId);

        var states = await ReadWhileAdvancingAsync(archive, call.ResponseStream);

        Assert.Equal([LookupState.Submitted, LookupState.Searching, LookupState.NotFound], states.Select(l => l.State));
        Personal.AssertAbsent(states[^1].StateReason, archive.WithoutHoldings);
    }

    [Fact]
    public async Task Watch_RestrictedCategory_StreamsUntilRejectedAndEnds()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings, ArchiveCategory.Marriage, PurposeOfUse.Audit));
        using var call = archive.Watch(lookup.LookupId);

        var states = await ReadWhileAdvancingAsync(archive, call.ResponseStream);

        Assert.Equal([LookupState.Submitted, LookupState.Searching, LookupState.Rejected], states.Select(l => l.State));
        Assert.NotEmpty(states[^1].StateReason);
    }

    [Fact]
    public async Task Watch_OpenedWhileSearching_StartsWithTheCurrentState()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings));
        archive.Advance();
        using var call = archive.Watch(lookup.LookupId);

        var states = await ReadWhileAdvancingAsync(archive, call.ResponseStream);

        Assert.Equal([LookupState.Searching, LookupState.Found, LookupState.CertificateIssued], states.Select(l => l.State));
    }

    [Fact]
    public async Task Watch_AfterAFinalState_SendsItOnceAndEnds()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings));
        archive.Advance(2);
        using var call = archive.Watch(lookup.LookupId);

        Assert.Equal(LookupState.CertificateIssued, (await NextAsync(call.ResponseStream))!.State);
        Assert.Null(await NextAsync(call.ResponseStream));
    }

    [Fact]
    public async Task Watch_TwoWatchers_BothSeeEveryChange()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithoutHoldings));
        using var first = archive.Watch(lookup.LookupId);
        using var second = archive.Watch(lookup.LookupId);
        Assert.Equal(LookupState.Submitted, (await NextAsync(first.ResponseStream))!.State);
        Assert.Equal(LookupState.Submitted, (await NextAsync(second.ResponseStream))!.State);

        archive.Advance(2);

        foreach (var stream in new[] { first.ResponseStream, second.ResponseStream })
        {
            Assert.Equal(LookupState.Searching, (await NextAsync(stream))!.State);
            Assert.Equal(LookupState.NotFound, (await NextAsync(stream))!.State);
            Assert.Null(await NextAsync(stream));
        }
    }

    [Fact]
    public async Task Watch_UnknownLookup_FailsNotFound()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        using var call = archive.Watch("330000L00000099");

        await RpcAssert.FailsWith(StatusCode.NotFound, () => call.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Watch_CallerCancels_EndsTheHandlerAndDropsTheSubscription()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings));
        var services = archive.Region.Host.Services;
        var store = services.GetRequiredService<ArchiveLookupStore>();
        var service = ActivatorUtilities.CreateInstance<RegionArchiveService>(services);
        using var cancellation = new CancellationTokenSource();
        var writer = new RecordingStreamWriter<WatchArchiveLookupResponse>();

        var handler = service.WatchArchiveLookup(
            new WatchArchiveLookupRequest { ArchiveRegion = archive.Code, LookupId = lookup.LookupId },
            writer,
            new TestServerCallContext(cancellation.Token));
        Assert.Equal(LookupState.Submitted, (await writer.Written.ReadAsync(_timeout.Token)).Lookup.State);
        Assert.Equal(1, store.WatcherCount(lookup.LookupId));

        await cancellation.CancelAsync();
        await handler.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, store.WatcherCount(lookup.LookupId));
        archive.Advance(2);
        Assert.False(writer.Written.TryRead(out _)); // nothing after the caller left
    }

    /// <summary>Reads the watch to its end, moving the clock a step after each state that is not final.</summary>
    private async Task<List<ArchiveLookup>> ReadWhileAdvancingAsync(ArchiveRegion archive, IAsyncStreamReader<WatchArchiveLookupResponse> stream)
    {
        var seen = new List<ArchiveLookup>();
        while (await NextAsync(stream) is { } lookup)
        {
            seen.Add(lookup);
            if (lookup.State is LookupState.Submitted or LookupState.Searching)
            {
                archive.Advance();
            }
        }

        return seen;
    }

    /// <summary>The next look-up on the stream, or null at its end; fails instead of hanging.</summary>
    private async Task<ArchiveLookup?> NextAsync(IAsyncStreamReader<WatchArchiveLookupResponse> stream) =>
        await stream.MoveNext(_timeout.Token) ? stream.Current.Lookup : null;

    /// <inheritdoc />
    public void Dispose() => _timeout.Dispose();
}
