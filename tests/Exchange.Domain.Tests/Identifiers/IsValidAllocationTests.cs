using Exchange.Domain.Identifiers;
using Exchange.Domain.Regions;

namespace Exchange.Domain.Tests.Identifiers;

/// <summary>The gateway validates identifiers on every request, so IsValid must not allocate.</summary>
public sealed class IsValidAllocationTests
{
    [Fact]
    public void IsValid_ValidAndInvalidInputs_AllocatesNothing()
    {
        var today = new DateOnly(2025, 6, 1);
        _ = RegionTable.Default; // the one-off table load is not the per-request cost
        RunAll(today); // warm up the JIT and static initialisers

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            RunAll(today);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void RunAll(DateOnly today)
    {
        Assert.True(CitizenId.IsValid("11010519491231002X", today));
        Assert.False(CitizenId.IsValid("110105194912310021", today));
        Assert.False(CitizenId.IsValid("110105194902300020", today));
        Assert.True(UnifiedSocialCreditCode.IsValid("91310110666007217T"));
        Assert.False(UnifiedSocialCreditCode.IsValid("91350211M00013FA1N"));
        Assert.True(RegionCode.IsValid("341021"));
        Assert.False(RegionCode.IsValid("999999"));
        Assert.True(SocialSecurityCardNumber.IsValid("A12345678"));
        Assert.True(CardIdentificationCode.IsValid("0123456789abcdef0123456789abcdef"));
        Assert.True(SettlementMessageId.IsValid("H33010200012202402292359590042"));
        Assert.True(RequestId.IsValid("req-2024.01:ab_C"));
    }
}
