using Exchange.Contracts.SocialSecurity.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Population;
using Exchange.PartnerSim.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.PartnerSim.Tests.SocialSecurity;

/// <summary>
/// A Shanghai simulator per test class, on a fixed date (2025-06-15 in UTC+8), with a card client. The first ten
/// cards (every status occurs among them) are for tests that change nothing; a test that changes a card or a pension
/// takes it with <see cref="TakeCard"/> or <see cref="TakePension"/>, which never hands the same one out twice.
/// </summary>
public sealed class CardRegionFixture : IAsyncLifetime
{
    /// <summary>The simulator's date: 2025-06-15 (noon in UTC+8).</summary>
    public static readonly DateOnly Today = new(2025, 6, 15);

    private const int ReservedCards = 10;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _takenCards = new(StringComparer.Ordinal);
    private readonly HashSet<string> _takenPensions = new(StringComparer.Ordinal);
    private SimulatedRegion? _region;

    /// <summary>The region.</summary>
    public SimulatedRegion Region => _region ?? throw new InvalidOperationException("not started");

    /// <summary>The seeded population.</summary>
    public RegionPopulation Population => Region.Host.Population;

    /// <summary>A client over the real channel.</summary>
    public SocialSecurityCardService.SocialSecurityCardServiceClient Client { get; private set; } = null!;

    /// <summary>Cards no test changes: every status occurs among them.</summary>
    public IEnumerable<SeededCard> ReservedCardsForReading => Population.Cards.Take(ReservedCards);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 15, 4, 0, 0, TimeSpan.Zero));
        _region = await SimulatedRegion.StartAsync(new PartnerRegionOptions { RegionCode = "310000", TimeProvider = time });
        Client = new SocialSecurityCardService.SocialSecurityCardServiceClient(_region.Channel);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_region is not null)
        {
            await _region.DisposeAsync();
        }
    }

    /// <summary>A card beyond the reserved ones that matches and no other test has taken; fails the test if none is left.</summary>
    public SeededCard TakeCard(Func<SeededCard, bool> predicate)
    {
        lock (_gate)
        {
            var card = Population.Cards.Skip(ReservedCards).FirstOrDefault(c => predicate(c) && !_takenCards.Contains(c.CitizenId));
            Assert.True(card is not null, "the population has no untaken card that fits");
            _takenCards.Add(card.CitizenId);
            return card;
        }
    }

    /// <summary>A normal card, unexpired on <see cref="Today"/>, no other test has taken.</summary>
    public SeededCard TakeValidCard() => TakeCard(c => c.Status == CardStatus.Normal && c.ExpiryDate >= Today);

    /// <summary>A pension that matches and no other test has taken; fails the test if none is left.</summary>
    public SeededPension TakePension(Func<SeededPension, bool> predicate)
    {
        lock (_gate)
        {
            var pension = Population.Pensions.FirstOrDefault(p => predicate(p) && !_takenPensions.Contains(p.CitizenId));
            Assert.True(pension is not null, "the population has no untaken pension that fits");
            _takenPensions.Add(pension.CitizenId);
            return pension;
        }
    }

    /// <summary>A reserved card with <paramref name="status"/> (for normal, one unexpired on <see cref="Today"/>).</summary>
    public SeededCard ReservedCard(CardStatus status)
    {
        var card = ReservedCardsForReading.FirstOrDefault(c => c.Status == status && (status != CardStatus.Normal || c.ExpiryDate >= Today));
        Assert.True(card is not null, $"no reserved card in status {status}");
        return card;
    }
}
