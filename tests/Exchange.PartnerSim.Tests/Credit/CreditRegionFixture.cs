using Exchange.Contracts.Credit.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.PartnerSim.Tests.Credit;

/// <summary>
/// A Shanghai simulator per test class, on a fixed date (2025-06-15 in UTC+8), with a credit client. A test takes
/// the organisations, people and records it reads or changes with the Take methods, which never hand the same one
/// out twice, so tests in a class stay independent.
/// </summary>
public sealed class CreditRegionFixture : IAsyncLifetime
{
    /// <summary>The simulator's date: 2025-06-15 (noon in UTC+8).</summary>
    public static readonly DateOnly Today = new(2025, 6, 15);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _takenSubjects = new(StringComparer.Ordinal);
    private SimulatedRegion? _region;

    /// <summary>The region.</summary>
    public SimulatedRegion Region => _region ?? throw new InvalidOperationException("not started");

    /// <summary>The seeded population.</summary>
    public RegionPopulation Population => Region.Host.Population;

    /// <summary>A client over the real channel.</summary>
    public CreditService.CreditServiceClient Client { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 15, 4, 0, 0, TimeSpan.Zero));
        _region = await SimulatedRegion.StartAsync(new PartnerRegionOptions { RegionCode = "310000", TimeProvider = time });
        Client = new CreditService.CreditServiceClient(_region.Channel);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_region is not null)
        {
            await _region.DisposeAsync();
        }
    }

    /// <summary>
    /// The seeded records of a subject (organisation credit code or person's citizen ID) whose records match
    /// <paramref name="predicate"/> and which no other test has taken, in seeding order (record ids follow it).
    /// </summary>
    public (string Subject, IReadOnlyList<(string RecordId, SeededCreditRecord Record)> Records) TakeSubject(
        Func<IReadOnlyList<SeededCreditRecord>, bool> predicate)
    {
        lock (_gate)
        {
            var numbered = Population.CreditRecords
                .Select((r, i) => (RecordId: $"310000-{i + 1:D7}", Record: r))
                .GroupBy(x => x.Record.SubjectCreditCode ?? x.Record.SubjectCitizenId!, StringComparer.Ordinal)
                .FirstOrDefault(g => !_takenSubjects.Contains(g.Key) && predicate([.. g.Select(x => x.Record)]));
            Assert.True(numbered is not null, "the population has no untaken subject that fits");
            _takenSubjects.Add(numbered.Key);
            return (numbered.Key, [.. numbered]);
        }
    }

    /// <summary>True if the record is in its publication period on <see cref="Today"/>.</summary>
    public static bool IsPublished(SeededCreditRecord record) => record.PublicationStart <= Today && Today <= record.PublicationEnd;
}
