using System.Reflection;
using Google.Protobuf.Reflection;

namespace Exchange.Cli.Demo;

/// <summary>Enum values as the contract names them, without the enum's prefix: NORMAL, not CARD_STATUS_NORMAL.</summary>
internal static class ProtoNames
{
    /// <summary>The short contract name of <paramref name="value"/> (its C# name if it has no contract name).</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var member = value.ToString();
        var original = typeof(TEnum).GetField(member)?.GetCustomAttribute<OriginalNameAttribute>()?.Name;
        if (original is null)
        {
            return member;
        }

        // The contract prefixes each value with the enum's name in upper snake case (CardStatus → CARD_STATUS_).
        var prefix = string.Concat(typeof(TEnum).Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant() + "_";
        return original.StartsWith(prefix, StringComparison.Ordinal) ? original[prefix.Length..] : original;
    }
}
