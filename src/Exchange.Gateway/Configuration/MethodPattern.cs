using Exchange.Contracts.Descriptors;

namespace Exchange.Gateway.Configuration;

/// <summary>
/// A method pattern of an access policy: "*", "package.Service/*" or "package.Service/Method", checked against the
/// contract set so a typo is a start-up error, not a silent denial.
/// </summary>
public sealed record MethodPattern(string? Service, string? Method)
{
    /// <summary>Parses a pattern; the error says why it names nothing.</summary>
    public static bool TryParse(string text, out MethodPattern pattern, out string? error)
    {
        pattern = new MethodPattern(null, null);
        error = null;
        if (text == "*")
        {
            return true;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            error = "is not '*', 'package.Service/*' or 'package.Service/Method'";
            return false;
        }

        var service = text[..slash];
        var method = text[(slash + 1)..];
        var descriptor = ContractSet.Services.FirstOrDefault(s => s.FullName == service);
        if (descriptor is null)
        {
            error = $"names no service of the contract set ('{service}')";
            return false;
        }

        if (method != "*" && descriptor.FindMethodByName(method) is null)
        {
            error = $"names no method of {service}";
            return false;
        }

        pattern = new MethodPattern(service, method == "*" ? null : method);
        return true;
    }

    /// <summary>Whether the pattern admits the method of <paramref name="service"/>.</summary>
    public bool Matches(string service, string method) =>
        (Service is null || Service == service) && (Method is null || Method == method);
}
