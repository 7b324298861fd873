namespace Exchange.Cli.Demo;

/// <summary>The outcome of a demo run.</summary>
/// <param name="Outcomes">One per exchange, in the order run.</param>
public sealed record DemoSummary(IReadOnlyList<DemoOutcome> Outcomes)
{
    /// <summary>Number of exchanges run.</summary>
    public int Exchanges => Outcomes.Count;

    /// <summary>Number that succeeded.</summary>
    public int Succeeded => Outcomes.Count(o => o.Succeeded);

    /// <summary>True when every exchange succeeded.</summary>
    public bool AllSucceeded => Succeeded == Exchanges;
}
