using System.Collections.Frozen;
using Exchange.Contracts.Descriptors;

namespace Exchange.Gateway.Contracts;

/// <summary>The compiled plan of every method of the contract set, looked up by gRPC path.</summary>
internal sealed class MethodPlanCatalog
{
    private readonly FrozenDictionary<string, MethodPlan> _byPath;

    /// <summary>Compiles every method of the contract set.</summary>
    public MethodPlanCatalog()
    {
        _byPath = ContractSet.MethodsByPath.Values.Select(MethodPlan.Compile).ToFrozenDictionary(p => p.Path, StringComparer.Ordinal);
        Plans = [.. _byPath.Values.OrderBy(p => p.Path, StringComparer.Ordinal)];
    }

    /// <summary>All plans, ordered by path.</summary>
    public IReadOnlyList<MethodPlan> Plans { get; }

    /// <summary>The plan of a path, or null.</summary>
    public MethodPlan? Find(string path) => _byPath.GetValueOrDefault(path);
}
