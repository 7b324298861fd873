using System.Buffers.Binary;
using System.Globalization;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Validation;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Population;
using Google.Protobuf;

namespace Exchange.Benchmarks.Load;

/// <summary>
/// The request every row sends: She County People's Hospital pre-settles the outpatient bill of a Shanghai-insured
/// employee (an active insured person of the simulator's seeded population) — four fee items, as a hospital sends
/// them. Pre-settlement changes nothing, so every call gets the same realistic answer (the fund/personal split).
/// </summary>
internal static class BenchmarkRequest
{
    /// <summary>The simulated region the benchmark calls.</summary>
    public const string Region = "310000";

    /// <summary>The simulator's (and the sandbox's) population seed.</summary>
    public const int Seed = 2260;

    /// <summary>The gRPC path of the method.</summary>
    public const string Path = "/exchange.medical.v1.CrossRegionSettlementService/PreSettle";

    /// <summary>
    /// The request for the population the simulator seeds today (UTC+8, as its clock). Throws if the request does not
    /// pass the contract's own validation.
    /// </summary>
    public static PreSettleRequest Create(DateTimeOffset now)
    {
        var today = RegionClock.DateOf(now);
        var population = PopulationSeeder.Create(Region, Seed, today);
        var insured = population.Insurance.FirstOrDefault(i => i is { Status: InsuranceStatus.Active, Type: InsuranceType.Employee, DeductibleRemainingFen: 0, AccountBalanceFen: > 10_000 })
            ?? population.Insurance.FirstOrDefault(i => i is { Status: InsuranceStatus.Active, Type: InsuranceType.Employee })
            ?? throw new BenchmarkException($"the seeded population of {Region} has no active employee");
        var chinaNow = now.ToOffset(TimeSpan.FromHours(8));
        var request = new PreSettleRequest
        {
            InsuredRegion = Region,
            Purpose = PurposeOfUse.MedicalSettlement,
            Visit = new Visit
            {
                TreatmentRegion = "341021",
                CitizenId = insured.CitizenId,
                Hospital = new Hospital { Code = "H34102100011", Level = HospitalLevel.Secondary },
                // mdtrt_id as hospitals form it: outpatient prefix, registration time, a sequence (20 characters).
                VisitId = string.Create(CultureInfo.InvariantCulture, $"MZ{chinaNow:yyyyMMddHHmmss}0001"),
                FeeItems =
                {
                    Item("001101000010000", CatalogueClass.A, 25_00), // general outpatient consultation
                    Item("XJ01CAA040A001010101", CatalogueClass.A, 128_60), // amoxicillin capsules
                    Item("250102001", CatalogueClass.B, 86_00), // blood routine examination
                    Item("ZZ9900000001", CatalogueClass.OutOfCatalogue, 35_00), // uncovered supplement
                },
            },
        };
        var violations = MessageValidator.Validate(request);
        if (violations.Count > 0)
        {
            throw new BenchmarkException("the benchmark request is invalid: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")));
        }

        return request;
    }

    /// <summary>One gRPC length-prefixed message: flag 0 (not compressed), 4-byte big-endian length, the message.</summary>
    public static byte[] Frame(IMessage message)
    {
        var body = message.ToByteArray();
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), body.Length);
        body.CopyTo(frame, 5);
        return frame;
    }

    private static FeeItem Item(string code, CatalogueClass catalogueClass, long fen) =>
        new() { ItemCode = code, CatalogueClass = catalogueClass, Amount = new Money { Fen = fen } };
}
