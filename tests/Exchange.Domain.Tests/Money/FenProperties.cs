using System.Globalization;
using System.Numerics;
using Exchange.Domain.Money;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Exchange.Domain.Tests.Money;

public sealed class FenProperties
{
    [Property]
    public bool ToYuanString_ThenFromYuan_RoundTrips(long fen) =>
        Fen.FromYuan(decimal.Parse(Fen.ToYuanString(fen), CultureInfo.InvariantCulture)) == fen;

    [Property]
    public Property ApplyRatio_AnyAmountAndRatio_IsTheFloorOfTheExactProduct(NonNegativeInt seed, long raw)
    {
        var fen = raw == long.MinValue ? long.MaxValue : Math.Abs(raw);
        var basisPoints = seed.Get % (Fen.BasisPointsPerWhole + 1);

        var result = Fen.ApplyRatio(fen, basisPoints);

        // result = floor(fen × bp / 10000) exactly when result × 10000 ≤ fen × bp < (result + 1) × 10000.
        var product = new BigInteger(fen) * basisPoints;
        return (result * new BigInteger(10_000) <= product
                && product < (result + new BigInteger(1)) * 10_000
                && result <= fen)
            .Label($"fen={fen} bp={basisPoints} result={result}");
    }
}
