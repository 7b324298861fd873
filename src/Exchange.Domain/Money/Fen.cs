using System.Globalization;

namespace Exchange.Domain.Money;

/// <summary>
/// Money as a whole number of fen (0.01 yuan) in an <see cref="long"/>. Settlement amounts must add up exactly
/// (total = fund + personal, personal = account + cash), which binary floating point cannot promise, so money is
/// never a <see cref="double"/> and <see cref="decimal"/> only at the edges.
/// </summary>
public static class Fen
{
    /// <summary>
    /// Largest amount accepted: 99,999,999,999,999.99 yuan, the largest value of the national platform's
    /// decimal(16,2) amount fields. An amount above it could not be sent, so it is refused before any side effect.
    /// </summary>
    public const long MaxAmount = 9_999_999_999_999_999;

    /// <summary>Basis points in a whole (100%).</summary>
    public const int BasisPointsPerWhole = 10_000;

    /// <summary>Converts yuan to fen exactly.</summary>
    /// <param name="yuan">An amount with at most two decimal places.</param>
    /// <returns>The amount in fen.</returns>
    /// <exception cref="ArgumentException"><paramref name="yuan"/> has fractions of a fen; rounding money silently is a bug.</exception>
    /// <exception cref="OverflowException">The amount does not fit in an <see cref="long"/> of fen.</exception>
    public static long FromYuan(decimal yuan)
    {
        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen))
        {
            throw new ArgumentException("has fractions of a fen", nameof(yuan));
        }

        return decimal.ToInt64(fen);
    }

    /// <summary>Formats fen as yuan with exactly two decimals and no grouping, e.g. "1234.05" or "-0.50".</summary>
    /// <param name="fen">The amount in fen; any value, including <see cref="long.MinValue"/>.</param>
    /// <returns>The invariant-culture text.</returns>
    public static string ToYuanString(long fen)
    {
        // Negating long.MinValue overflows in long but is exact once reinterpreted as ulong.
        var magnitude = fen < 0 ? unchecked((ulong)-fen) : (ulong)fen;
        var sign = fen < 0 ? "-" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude / 100}.{magnitude % 100:D2}");
    }

    /// <summary>
    /// The part of an amount a ratio covers, rounded down to the fen: floor(fen × basisPoints / 10000). Rounding
    /// down means a fund never pays more than its ratio; the remainder falls to the personal part.
    /// </summary>
    /// <param name="fen">A non-negative amount in fen.</param>
    /// <param name="basisPoints">The ratio in basis points, 0–10000 (e.g. 8500 for 85%).</param>
    /// <returns>The covered amount, never more than <paramref name="fen"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the ranges above.</exception>
    public static long ApplyRatio(long fen, int basisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fen);
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(basisPoints, BasisPointsPerWhole);

        // The product is formed in 128 bits, so it cannot overflow even for long.MaxValue; the checked cast guards
        // the (impossible) case of a result larger than fen.
        return checked((long)((Int128)fen * basisPoints / BasisPointsPerWhole));
    }

    /// <summary>Whether an amount can be carried: not negative and at most <see cref="MaxAmount"/>.</summary>
    /// <param name="fen">The amount in fen.</param>
    /// <returns><see langword="true"/> when the amount is in range.</returns>
    public static bool IsValidAmount(long fen) => fen is >= 0 and <= MaxAmount;
}
