namespace Exchange.Cli.Demo;

/// <summary>One exchange of the demo: a participant asks something of a region through the gateway.</summary>
internal interface IDemoExchange
{
    /// <summary>Which way it crosses the gateway.</summary>
    DemoDirection Direction { get; }

    /// <summary>The participant calling.</summary>
    string Caller { get; }

    /// <summary>The region(s) asked.</summary>
    string Target { get; }

    /// <summary>What is asked, about a described (never identified) person or organisation.</summary>
    string Description { get; }

    /// <summary>Runs the exchange and returns its outcome line; throws <see cref="Grpc.Core.RpcException"/> or <see cref="DemoFailure"/>.</summary>
    Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken);
}
