using Exchange.Contracts.Descriptors;
using Google.Protobuf.Reflection;

namespace Exchange.Cli.Calls;

/// <summary>
/// Finds a contract method from what a person types: "/pkg.Service/Method", "pkg.Service/Method" or the short
/// "Service/Method". Exact case first; a case-insensitive match is taken only when it is unambiguous.
/// </summary>
internal sealed class MethodResolver(IEnumerable<MethodDescriptor> methods)
{
    private const int MaxSuggestions = 5;

    private readonly MethodDescriptor[] _methods = [.. methods];

    /// <summary>A resolver over every method of the exchange contract set.</summary>
    public static MethodResolver Contracts { get; } = new(ContractSet.MethodsByPath.Values);

    /// <summary>The method <paramref name="name"/> names, or an error that lists close matches.</summary>
    public bool TryResolve(string name, out MethodDescriptor? method, out string? error)
    {
        method = null;
        var text = name.Trim().TrimStart('/');
        var slash = text.LastIndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
        {
            error = $"'{name}' is not a method name: write Service/Method, e.g. CrossRegionSettlementService/PreSettle{Suggest(text)}";
            return false;
        }

        var service = text[..slash];
        var methodName = text[(slash + 1)..];
        var matches = Find(service, methodName, StringComparison.Ordinal);
        if (matches.Length == 0)
        {
            matches = Find(service, methodName, StringComparison.OrdinalIgnoreCase);
        }

        switch (matches.Length)
        {
            case 1:
                method = matches[0];
                error = null;
                return true;
            case > 1:
                error = $"'{name}' is ambiguous; write the full name: {string.Join(", ", matches.Select(ContractSet.PathOf).Select(p => p.TrimStart('/')))}";
                return false;
            default:
                error = $"unknown method '{name}'{Suggest(text)}";
                return false;
        }
    }

    private MethodDescriptor[] Find(string service, string methodName, StringComparison comparison) =>
        _methods
            .Where(m => string.Equals(m.Name, methodName, comparison)
                && (string.Equals(m.Service.FullName, service, comparison) || string.Equals(m.Service.Name, service, comparison)))
            .ToArray();

    private string Suggest(string text)
    {
        var wanted = text.ToUpperInvariant();
        // Every segment may be the method a person meant: "GetInsuredPerson/x" names a method in the service's place.
        var segments = wanted.Split(['/', '.'], StringSplitOptions.RemoveEmptyEntries);
        var close = _methods
            .Select(m => (Method: m, Score: Score(m, wanted, segments)))
            .Where(c => c.Score <= 3)
            .OrderBy(c => c.Score)
            .ThenBy(c => ContractSet.PathOf(c.Method), StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .Select(c => "  " + ContractSet.PathOf(c.Method).TrimStart('/'))
            .ToArray();
        if (close.Length > 0)
        {
            return $". Did you mean:{Environment.NewLine}{string.Join(Environment.NewLine, close)}";
        }

        var services = _methods.Select(m => m.Service.FullName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return $". Services: {string.Join(", ", services)}";
    }

    /// <summary>Lower is closer: 0 when a typed segment is part of the method name, else the smallest edit distance.</summary>
    private static int Score(MethodDescriptor method, string wanted, string[] segments)
    {
        var name = method.Name.ToUpperInvariant();
        if (segments.Any(s => s.Length >= 4 && (name.Contains(s, StringComparison.Ordinal) || s.Contains(name, StringComparison.Ordinal))))
        {
            return 0;
        }

        var shortPath = $"{method.Service.Name}/{method.Name}".ToUpperInvariant();
        var fullPath = $"{method.Service.FullName}/{method.Name}".ToUpperInvariant();
        var bySegment = segments.Length == 0 ? int.MaxValue : segments.Min(s => EditDistance(name, s));
        return Math.Min(bySegment, Math.Min(EditDistance(shortPath, wanted), EditDistance(fullPath, wanted)));
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
