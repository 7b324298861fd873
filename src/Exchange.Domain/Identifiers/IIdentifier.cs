using System.Diagnostics.CodeAnalysis;

namespace Exchange.Domain.Identifiers;

/// <summary>
/// The shape every validated identifier shares, so that callers (the gateway's request validation, tests) can treat
/// them alike. Error messages describe the rule that failed and never contain the rejected value.
/// </summary>
/// <typeparam name="TSelf">The identifier type.</typeparam>
public interface IIdentifier<TSelf>
    where TSelf : IIdentifier<TSelf>
{
    /// <summary>The identifier in its canonical text form.</summary>
    string Value { get; }

    /// <summary>Parses <paramref name="value"/>, or explains why it is not a valid identifier.</summary>
    /// <param name="value">Candidate text; may be <see langword="null"/>.</param>
    /// <param name="result">The identifier when parsing succeeds; <see langword="default"/> otherwise.</param>
    /// <param name="error">Why parsing failed, without the value itself; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is valid.</returns>
    [SuppressMessage(
        "Naming",
        "CA1716:Identifiers should not match keywords",
        Justification = "Every validator in the solution names this out parameter 'error'; no VB implementers exist.")]
    static abstract bool TryParse(string? value, out TSelf result, out string? error);

    /// <summary>Whether <paramref name="value"/> is valid; allocates nothing.</summary>
    /// <param name="value">Candidate text; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is valid.</returns>
    static abstract bool IsValid(string? value);
}
