using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;

namespace Exchange.Cli.Demo.Exchanges;

/// <summary>
/// A Hangzhou museum admits a She County resident at the local price: it checks the resident's social-security card
/// with the issuing county and lists what the card entitles its holder to ("one card" same-city treatment).
/// </summary>
internal sealed class MuseumCardCheck : IDemoExchange
{
    public DemoDirection Direction => DemoDirection.PartnerToCounty;

    public string Caller => "hangzhou-museum";

    public string Target => SandboxDefaults.CountyRegion;

    public string Description => "checks a She County card holder's card and entitlements";

    public async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var card = SandboxPeople.CardHolder(context.Population(SandboxDefaults.CountyRegion), context.Today);
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(context.As(Caller));

        var verified = await client.VerifyCardAsync(
            new VerifyCardRequest { IssuingRegion = SandboxDefaults.CountyRegion, CitizenId = card.CitizenId, Purpose = PurposeOfUse.PublicServiceAccess },
            context.Call(cancellationToken));
        if (!verified.Valid)
        {
            throw new DemoFailure($"the county reports the card not valid ({ProtoNames.Of(verified.Card?.Status ?? CardStatus.Unspecified)})");
        }

        var listed = await client.ListCardEntitlementsAsync(
            new ListCardEntitlementsRequest { IssuingRegion = SandboxDefaults.CountyRegion, CitizenId = card.CitizenId, Purpose = PurposeOfUse.PublicServiceAccess },
            context.Call(cancellationToken));
        var categories = listed.Entitlements
            .Select(e => ProtoNames.Of(e.Category))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var status = ProtoNames.Of(verified.Card?.Status ?? listed.CardStatus);
        return $"card valid ({status}); {listed.Entitlements.Count} entitlements ({string.Join(", ", categories)}), "
            + $"{listed.Entitlements.Count(e => e.SameCityTreatment)} with same-city treatment";
    }
}
