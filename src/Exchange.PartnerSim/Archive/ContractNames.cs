using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Exchange.PartnerSim.Archive;

/// <summary>The names enum values have in the contract (LOOKUP_STATE_SEARCHING), for messages and documents.</summary>
internal static class ContractNames
{
    private static readonly EnumDescriptor s_states = ArchiveReflection.Descriptor.FindTypeByName<EnumDescriptor>("LookupState");
    private static readonly EnumDescriptor s_categories = ArchiveReflection.Descriptor.FindTypeByName<EnumDescriptor>("ArchiveCategory");
    private static readonly EnumDescriptor s_purposes = CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("PurposeOfUse");

    public static string Of(LookupState state) => Find(s_states, (int)state);

    public static string Of(ArchiveCategory category) => Find(s_categories, (int)category);

    public static string Of(PurposeOfUse purpose) => Find(s_purposes, (int)purpose);

    private static string Find(EnumDescriptor type, int number) =>
        type.FindValueByNumber(number)?.Name ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
