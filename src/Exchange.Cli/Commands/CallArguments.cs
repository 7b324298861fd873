namespace Exchange.Cli.Commands;

/// <summary>The arguments of <c>exchange call</c>.</summary>
internal sealed record CallArguments(string Method, string Json, string Gateway, string Participant, string PkiDirectory, double TimeoutSeconds);
