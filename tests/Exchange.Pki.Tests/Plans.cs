namespace Exchange.Pki.Tests;

/// <summary>Plans used across the tests.</summary>
internal static class Plans
{
    public static DevelopmentPkiPlan Sandbox { get; } = new(
        "341021",
        ["341021", "310000", "330000"],
        ["county-hospital", "hangzhou-museum", "auditor"]);

    public static DevelopmentPkiPlan With(this DevelopmentPkiPlan plan, string participant) =>
        plan with { ParticipantIds = [.. plan.ParticipantIds, participant] };
}
