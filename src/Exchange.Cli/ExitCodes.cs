namespace Exchange.Cli;

/// <summary>Process exit codes of the <c>exchange</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Success = 0;

    /// <summary>A call failed (an RPC error, or a demo exchange that did not succeed).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown method, malformed JSON, bad option.</summary>
    public const int Usage = 2;
}
