namespace Exchange.Benchmarks.Load;

/// <summary>The benchmark cannot go on: a tool is missing, a process failed, a check failed. The message says why.</summary>
internal sealed class BenchmarkException : Exception
{
    public BenchmarkException()
    {
    }

    public BenchmarkException(string message)
        : base(message)
    {
    }

    public BenchmarkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
