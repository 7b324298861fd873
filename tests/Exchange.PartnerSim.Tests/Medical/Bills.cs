using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Population;

namespace Exchange.PartnerSim.Tests.Medical;

/// <summary>Builds visits and fee items for tests.</summary>
public static class Bills
{
    /// <summary>A fee item of <paramref name="fen"/> in class <paramref name="catalogueClass"/>.</summary>
    public static FeeItem Fee(CatalogueClass catalogueClass, long fen, string itemCode = "XA01AAA001") => new()
    {
        ItemCode = itemCode,
        CatalogueClass = catalogueClass,
        Amount = new Money { Fen = fen },
    };

    /// <summary>A visit of <paramref name="person"/> to a She County hospital with the given bill.</summary>
    public static Visit Visit(SeededInsurance person, HospitalLevel level, params FeeItem[] fees) =>
        Visit(person.CitizenId, level, fees);

    /// <summary>A visit of the person with <paramref name="citizenId"/> to a She County hospital with the given bill.</summary>
    public static Visit Visit(string citizenId, HospitalLevel level, params FeeItem[] fees) => new()
    {
        TreatmentRegion = MedicalRegion.TreatmentRegion,
        CitizenId = citizenId,
        Hospital = new Hospital { Code = MedicalRegion.HospitalCode, Level = level },
        VisitId = "MDT20250601000001",
        FeeItems = { fees },
    };

    /// <summary>A typical mixed bill: 300.00 class A, 200.00 class B, 50.00 outside the catalogue.</summary>
    public static Visit Typical(SeededInsurance person) => Visit(
        person,
        HospitalLevel.Secondary,
        Fee(CatalogueClass.A, 300_00),
        Fee(CatalogueClass.B, 200_00, "XB02BBB002"),
        Fee(CatalogueClass.OutOfCatalogue, 50_00, "XC03CCC003"));
}
