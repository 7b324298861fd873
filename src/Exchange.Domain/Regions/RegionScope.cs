namespace Exchange.Domain.Regions;

/// <summary>
/// The codes a GB/T 2260 code stands for: a province code (310000) covers every code starting with its two digits, a
/// prefecture (330100) every code starting with its four, a county only itself.
/// </summary>
public static class RegionScope
{
    /// <summary>The significant prefix: "31" for 310000, "3301" for 330100, the whole code for a county.</summary>
    public static string PrefixOf(string code) =>
        code.Length != 6 ? code
        : code.EndsWith("0000", StringComparison.Ordinal) ? code[..2]
        : code.EndsWith("00", StringComparison.Ordinal) ? code[..4]
        : code;

    /// <summary>True if <paramref name="scope"/> covers <paramref name="code"/>.</summary>
    public static bool Covers(string scope, string code) => code.StartsWith(PrefixOf(scope), StringComparison.Ordinal);
}
