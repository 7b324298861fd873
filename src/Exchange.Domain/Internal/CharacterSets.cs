using System.Buffers;

namespace Exchange.Domain.Internal;

/// <summary>
/// Character sets the identifier validators share. <see cref="SearchValues{T}"/> keeps the checks vectorised and
/// allocation-free, because the gateway validates identifiers on every request.
/// </summary>
internal static class CharacterSets
{
    public static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public static readonly SearchValues<char> UpperAlphanumeric =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    public static readonly SearchValues<char> Hex = SearchValues.Create("0123456789ABCDEFabcdef");

    public static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>True when every character is in <paramref name="set"/>; callers check the length first.</summary>
    public static bool ConsistsOf(ReadOnlySpan<char> value, SearchValues<char> set) => !value.ContainsAnyExcept(set);
}
