namespace Exchange.Gateway.Audit;

/// <summary>
/// The audit trail cannot make a record durable, so the exchange must not be answered as if it were audited: the
/// gateway answers UNAVAILABLE (fail closed). <see cref="Exception.Message"/> says why, without personal data.
/// </summary>
public sealed class AuditUnavailableException : Exception
{
    /// <summary>Creates an exception.</summary>
    public AuditUnavailableException()
        : base("audit trail unavailable")
    {
    }

    /// <summary>Creates an exception with the reason.</summary>
    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the reason and the store's failure.</summary>
    public AuditUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
