using System.Globalization;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;

namespace Exchange.Cli.Demo;

/// <summary>The outpatient bills of the demo: a consultation, a covered drug, a class-B test and an uncovered item.</summary>
internal static class DemoBills
{
    /// <summary>A visit of <paramref name="citizenId"/> at <paramref name="hospitalCode"/> in <paramref name="treatmentRegion"/>.</summary>
    public static Visit Outpatient(DemoContext context, string citizenId, string treatmentRegion, string hospitalCode, HospitalLevel level) => new()
    {
        TreatmentRegion = treatmentRegion,
        CitizenId = citizenId,
        Hospital = new Hospital { Code = hospitalCode, Level = level },
        // mdtrt_id as hospitals form it: outpatient prefix, registration time, a sequence (20 characters).
        VisitId = string.Create(CultureInfo.InvariantCulture, $"MZ{context.ChinaNow:yyyyMMddHHmmss}{context.NextSequence():D4}"),
        FeeItems =
        {
            Item("001101000010000", CatalogueClass.A, 25_00),    // general outpatient consultation
            Item("XJ01CAA040A001010101", CatalogueClass.A, 128_60), // amoxicillin capsules
            Item("250102001", CatalogueClass.B, 86_00),          // blood routine examination
            Item("ZZ9900000001", CatalogueClass.OutOfCatalogue, 35_00), // uncovered supplement
        },
    };

    /// <summary>Fen as yuan with the currency sign, e.g. ¥128.60.</summary>
    public static string Yuan(Money? money)
    {
        var fen = money?.Fen ?? 0;
        return string.Create(CultureInfo.InvariantCulture, $"¥{fen / 100}.{Math.Abs(fen % 100):D2}");
    }

    private static FeeItem Item(string code, CatalogueClass catalogueClass, long fen) =>
        new() { ItemCode = code, CatalogueClass = catalogueClass, Amount = new Money { Fen = fen } };
}
