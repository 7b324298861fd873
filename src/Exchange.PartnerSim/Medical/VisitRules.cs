using Exchange.Domain.Regions;
using System.Globalization;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Validation;
using Exchange.Domain.Money;
using Exchange.PartnerSim.Population;
using Google.Rpc;

namespace Exchange.PartnerSim.Medical;

/// <summary>
/// The business rules a visit must meet before it is priced, beyond the contract's annotations (which the validating
/// interceptor has already enforced). Every broken rule is reported at once; descriptions never repeat a value.
/// </summary>
internal static class VisitRules
{
    /// <summary>Most lines a bill may have.</summary>
    public const int MaxFeeItems = 500;

    /// <summary>Longest visit id (mdtrt_id).</summary>
    public const int MaxVisitIdLength = 30;

    /// <summary>Length of a national medical institution code.</summary>
    public const int HospitalCodeLength = 12;

    /// <summary>Throws INVALID_ARGUMENT listing every rule <paramref name="visit"/> (at field path "visit") breaks.</summary>
    /// <param name="visit">The visit to be priced.</param>
    /// <param name="insuredRegion">The region whose fund pays: the simulated region, not a district named in the request.</param>
    public static void Enforce(Visit visit, string insuredRegion)
    {
        var violations = Check(visit, insuredRegion);
        if (violations.Count > 0)
        {
            throw InvalidArgument.For(violations);
        }
    }

    /// <summary>Every rule <paramref name="visit"/> breaks; empty when it may be priced (parameters as <see cref="Enforce"/>).</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Check(Visit visit, string insuredRegion)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var violations = new List<BadRequest.Types.FieldViolation>();
        void Add(string field, string description) => violations.Add(new() { Field = field, Description = description });

        // Treatment anywhere inside the insured region (its own code or one of its districts) is settled locally.
        if (visit.TreatmentRegion.StartsWith(RegionScope.PrefixOf(insuredRegion), StringComparison.Ordinal))
        {
            Add("visit.treatment_region", "must be outside the insured region: treatment inside it is not a cross-region settlement");
        }

        if (visit.Hospital is { } hospital)
        {
            if (!IsInstitutionCode(hospital.Code))
            {
                Add("visit.hospital.code", "must be 12 upper-case letters or digits");
            }

            if (hospital.Level is not (HospitalLevel.Primary or HospitalLevel.Secondary or HospitalLevel.Tertiary))
            {
                Add("visit.hospital.level", "must be PRIMARY, SECONDARY or TERTIARY");
            }
        }

        if (visit.VisitId.Length > MaxVisitIdLength)
        {
            Add("visit.visit_id", "must be at most 30 characters");
        }

        if (visit.FeeItems.Count > MaxFeeItems)
        {
            Add("visit.fee_items", "must have at most 500 elements");
        }

        Int128 total = 0;
        for (var i = 0; i < visit.FeeItems.Count; i++)
        {
            var item = visit.FeeItems[i];
            var path = string.Create(CultureInfo.InvariantCulture, $"visit.fee_items[{i}]");
            if (item.CatalogueClass is not (CatalogueClass.A or CatalogueClass.B or CatalogueClass.OutOfCatalogue))
            {
                Add(path + ".catalogue_class", "must be A, B or OUT_OF_CATALOGUE");
            }

            var amount = item.Amount?.Fen ?? 0;
            if (amount <= 0)
            {
                Add(path + ".amount.fen", "must be greater than zero");
            }
            else
            {
                total += amount;
            }
        }

        if (total > Fen.MaxAmount)
        {
            Add("visit.fee_items", "must not total more than 9,999,999,999,999,999 fen");
        }

        return violations;
    }

    private static bool IsInstitutionCode(string code) =>
        code.Length == HospitalCodeLength && code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9'));
}
