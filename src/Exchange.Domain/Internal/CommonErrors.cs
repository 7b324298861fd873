namespace Exchange.Domain.Internal;

/// <summary>
/// Messages every validator uses. Messages are constants so that a failed check allocates nothing and can never
/// echo the rejected value, which may be personal data.
/// </summary>
internal static class CommonErrors
{
    public const string Required = "is required";
}
