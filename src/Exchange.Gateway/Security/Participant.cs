using Exchange.Contracts.V1;
using Exchange.Domain.Regions;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Contracts;

namespace Exchange.Gateway.Security;

/// <summary>A configured participant with its access policy compiled for the request path.</summary>
internal sealed class Participant
{
    private readonly MethodPattern[] _methods;
    private readonly string[] _targets;
    private readonly HashSet<PurposeOfUse> _purposes;

    /// <summary>Compiles a participant's options (already validated).</summary>
    public Participant(ParticipantOptions options)
    {
        Options = options;
        _methods = [.. options.Methods.Select(m => MethodPattern.TryParse(m, out var p, out _) ? p : throw new ArgumentException(m))];
        _targets = options.Targets;
        _purposes = [.. options.Purposes];
    }

    /// <summary>The configuration.</summary>
    public ParticipantOptions Options { get; }

    /// <summary>The participant id (its certificate's CN).</summary>
    public string Id => Options.Id;

    /// <summary>Highest sensitivity it may receive.</summary>
    public Sensitivity Clearance => Options.Clearance;

    /// <summary>Whether it may call the method.</summary>
    public bool MayCall(MethodPlan plan) => _methods.Any(m => m.Matches(plan.ServiceName, plan.MethodName));

    /// <summary>Whether it may reach the region.</summary>
    public bool MayReach(string regionCode) => _targets.Any(t => t == "*" || RegionScope.Covers(t, regionCode));

    /// <summary>Whether it may state the purpose.</summary>
    public bool MayState(PurposeOfUse purpose) => _purposes.Contains(purpose);
}
