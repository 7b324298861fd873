namespace Exchange.Cli.Calls;

/// <summary>The JSON given for a request cannot become that request; the message says which field and why.</summary>
internal sealed class JsonInputException(string message, Exception? inner = null) : Exception(message, inner);
