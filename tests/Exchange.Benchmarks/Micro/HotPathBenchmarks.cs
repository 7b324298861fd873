using BenchmarkDotNet.Attributes;
using Exchange.Benchmarks.Load;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.Validation;
using Exchange.Contracts.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Routing;
using Exchange.Gateway.Security;
using Exchange.PartnerSim.Population;
using Google.Protobuf;

namespace Exchange.Benchmarks.Micro;

/// <summary>The fixed inputs of the micro-benchmarks: the load benchmark's request, on a fixed date.</summary>
internal static class MicroInputs
{
    public static readonly DateTimeOffset Now = new(2025, 6, 2, 9, 30, 0, TimeSpan.FromHours(8));

    public static PreSettleRequest PreSettle() => BenchmarkRequest.Create(Now);
}

/// <summary>Finding the compiled plan of the called method by its gRPC path (once per call).</summary>
[MemoryDiagnoser]
public class MethodPlanLookup
{
    private MethodPlanCatalog _catalog = null!;

    [GlobalSetup]
    public void Setup() => _catalog = new MethodPlanCatalog();

    [Benchmark]
    public object? Find() => _catalog.Find(BenchmarkRequest.Path);
}

/// <summary>Annotation-driven validation of a parsed PreSettleRequest (formats, required fields, citizen ID check digit).</summary>
[MemoryDiagnoser]
public class FieldValidation
{
    private PreSettleRequest _request = null!;

    [GlobalSetup]
    public void Setup() => _request = MicroInputs.PreSettle();

    [Benchmark]
    public int ValidatePreSettle() => MessageValidator.Validate(_request).Count;
}

/// <summary>Longest-prefix routing on the sandbox's six routes.</summary>
[MemoryDiagnoser]
public class Routing
{
    private RouteTable _routes = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] codes = ["341021", "310000", "320000", "330000", "330100", "340000"];
        _routes = RouteTableFactory.Create(new GatewayOptions
        {
            Regions = [.. codes.Select(code => new RegionOptions { Code = code, Name = code, Endpoints = ["http://127.0.0.1:9"] })],
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _routes.Dispose();

    /// <summary>A province route (310000: Shanghai), the benchmark request's.</summary>
    [Benchmark(Baseline = true)]
    public object? Province() => _routes.Resolve("310000");

    /// <summary>A district of Hangzhou (330102), served by the more specific 330100 route over Zhejiang's.</summary>
    [Benchmark]
    public object? MostSpecific() => _routes.Resolve("330102");
}

/// <summary>Parsing the request bytes once and reading the routing field (insured_region) through the method plan.</summary>
[MemoryDiagnoser]
public class RoutingKeyParsing
{
    private MethodPlan _plan = null!;
    private FieldPath _field = null!;
    private byte[] _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plan = new MethodPlanCatalog().Find(BenchmarkRequest.Path)!;
        _field = ((RoutingPlan.ByRegionField)_plan.Routing).Field;
        _request = MicroInputs.PreSettle().ToByteArray();
    }

    [Benchmark]
    public string ParseAndReadRegion() => _field.GetString(_plan.RequestParser.ParseFrom(_request));
}

/// <summary>
/// Minimum necessary: a VerifyCardResponse answered to a Public-clearance caller (a museum checking a card) is parsed,
/// cleared of every Personal and SensitivePersonal field and re-serialised; a SensitivePersonal caller's passes as bytes.
/// </summary>
[MemoryDiagnoser]
public class ResponseMinimisation
{
    private MethodPlan _plan = null!;
    private byte[] _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plan = new MethodPlanCatalog().Find("/exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard")!;
        var today = DateOnly.FromDateTime(MicroInputs.Now.DateTime);
        var population = PopulationSeeder.Create("341021", BenchmarkRequest.Seed, today);
        var card = population.Cards.First(c => c.Status == CardStatus.Normal && !c.Temporary);
        _response = new VerifyCardResponse
        {
            Valid = true,
            Card = new Card
            {
                CardNumber = card.CardNumber,
                CardIdentificationCode = card.CardIdentificationCode,
                Status = card.Status,
                Generation = card.Generation,
                IssuingRegion = "341021",
                IssueDate = card.IssueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ExpiryDate = card.ExpiryDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                SpecVersion = "3.00",
                HolderName = population.ResidentsById[card.CitizenId].Name,
            },
        }.ToByteArray();
        if (!_plan.NeedsRedaction(Sensitivity.Public))
        {
            throw new InvalidOperationException("VerifyCardResponse has nothing to clear for a Public caller");
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] PublicCaller() => ResponseMinimiser.Minimise(_plan, _response, Sensitivity.Public);

    [Benchmark]
    public byte[] SensitivePersonalCaller() => ResponseMinimiser.Minimise(_plan, _response, Sensitivity.SensitivePersonal);
}
