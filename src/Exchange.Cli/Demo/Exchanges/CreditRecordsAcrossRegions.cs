using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.V1;

namespace Exchange.Cli.Demo.Exchanges;

/// <summary>
/// The county credit office checks an organisation before a procurement: its credit records in every region at
/// once (fan-out), with what each region answered.
/// </summary>
internal sealed class CreditRecordsAcrossRegions : IDemoExchange
{
    private const string HomeRegion = "310000";

    public DemoDirection Direction => DemoDirection.CountyToPartner;

    public string Caller => "county-credit-office";

    public string Target => "all regions";

    public string Description => "lists a Shanghai-registered organisation's credit records in every region";

    public async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var organisation = SandboxPeople.OrganisationWithRecords(context.Population(HomeRegion));
        var client = new CreditService.CreditServiceClient(context.As(Caller));
        var response = await client.ListCreditRecordsAsync(
            new ListCreditRecordsRequest
            {
                Subject = new Subject { CreditCode = organisation.CreditCode },
                Purpose = PurposeOfUse.CreditSupervision,
            },
            context.Call(cancellationToken));

        var regions = string.Join(", ", response.RegionStatuses.Select(Describe));
        var home = response.RegionStatuses.FirstOrDefault(s => s.RegionCode == HomeRegion);
        if (home is null || home.Outcome != RegionOutcome.Answered)
        {
            throw new DemoFailure($"the organisation's home region did not answer; regions: {regions}");
        }

        var kinds = response.Records
            .GroupBy(r => r.Kind)
            .Select(g => $"{g.Count()} {ProtoNames.Of(g.Key)}");
        return $"{response.Records.Count} records ({string.Join(", ", kinds)}); regions: {regions}";
    }

    private static string Describe(RegionStatus status) => status.Outcome == RegionOutcome.Answered
        ? $"{status.RegionCode} answered ({status.ResultCount})"
        : $"{status.RegionCode} {ProtoNames.Of(status.Outcome)} ({status.Detail})";
}
