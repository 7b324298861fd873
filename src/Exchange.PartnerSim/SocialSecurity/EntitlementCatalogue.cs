using Exchange.Contracts.SocialSecurity.V1;

namespace Exchange.PartnerSim.SocialSecurity;

/// <summary>
/// The delta's resident "one card" (一卡通) programmes: the same-city treatments a card in normal status opens in
/// Shanghai, Jiangsu, Zhejiang and Anhui. The same for every simulated region, as the programmes are delta-wide.
/// </summary>
internal static class EntitlementCatalogue
{
    /// <summary>Every programme, by region then category.</summary>
    public static IReadOnlyList<EntitlementProgramme> Programmes { get; } =
    [
        .. Province("310000", "上海", "Shanghai"),
        .. Province("320000", "江苏", "Jiangsu"),
        .. Province("330000", "浙江", "Zhejiang"),
        .. Province("340000", "安徽", "Anhui"),
    ];

    /// <summary>The programmes of <paramref name="category"/>; all of them for UNSPECIFIED.</summary>
    public static IEnumerable<EntitlementProgramme> In(EntitlementCategory category) =>
        category == EntitlementCategory.Unspecified ? Programmes : Programmes.Where(p => p.Category == category);

    private static EntitlementProgramme[] Province(string code, string chinese, string english) =>
    [
        new($"ENT-{code}-TRANSIT", EntitlementCategory.Transit, code,
            $"{chinese}地铁、公交刷卡乘车，享受本地居民同等票价 / {english} metro and bus rides with the card at resident fares"),
        new($"ENT-{code}-TOURISM", EntitlementCategory.Tourism, code,
            $"{chinese}公园、景区凭卡享受本地居民优惠或免费入园 / {english} parks and tourist sites at resident prices or free admission"),
        new($"ENT-{code}-CULTURE", EntitlementCategory.Culture, code,
            $"{chinese}图书馆、博物馆、文化馆凭卡借阅参观 / {english} libraries, museums and culture centres: borrow and visit with the card"),
        new($"ENT-{code}-MEDICAL", EntitlementCategory.Medical, code,
            $"{chinese}定点医疗机构凭卡就医、直接结算 / {english} designated hospitals: treatment settled directly with the card"),
    ];
}

/// <summary>One "one card" programme of the catalogue.</summary>
/// <param name="Id">Stable identifier ("ENT-310000-TRANSIT").</param>
/// <param name="Category">What it is for.</param>
/// <param name="RegionCode">Province where it applies.</param>
/// <param name="Description">Chinese and English description for a service counter.</param>
internal sealed record EntitlementProgramme(string Id, EntitlementCategory Category, string RegionCode, string Description)
{
    /// <summary>The contract message (a new instance each time: messages are mutable).</summary>
    public Entitlement ToProto() => new()
    {
        EntitlementId = Id,
        Category = Category,
        RegionCode = RegionCode,
        Description = Description,
        SameCityTreatment = true,
    };
}
