using Exchange.Benchmarks.AuditCost;
using Exchange.Benchmarks.Load;
using Exchange.Benchmarks.Micro;
using Exchange.Benchmarks.Yarp;

// The gateway's benchmarks; see docs/performance.md.
//   load   the load benchmark: h2load through the gateway and its peers, table into docs/performance.md
//   micro  BenchmarkDotNet micro-benchmarks of the hot paths
//   yarp   the YARP passthrough that the load benchmark starts as a peer
//   request  the load benchmark's request frame, for h2load runs of one's own (side-by-side.sh)
//   audit-cost  what a durable audit record costs, per record and per commit
const string Usage = """
    Usage: dotnet run -c Release --project tests/Exchange.Benchmarks -- COMMAND [options]

      load [--rounds N] [--requests N] [--rate R] [--output docs/performance.md] [--smoke] ...
                                    the load benchmark (load --help for every option)
      micro [--filter PATTERN] [BenchmarkDotNet options, e.g. --job Dry]
                                    micro-benchmarks of the gateway's hot paths
      yarp --port N --destination http://127.0.0.1:P
                                    a YARP passthrough (HTTP/2 exact to the destination, h2c listener)
      request --output FILE         writes the load benchmark's request (one gRPC frame) for h2load -d FILE
      audit-cost [--in-flight 8,64,512] [--people N] [--postgres CONN] ...
                                    CPU per durable audit record at several levels of concurrency (audit-cost --help)
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

var rest = args[1..];
switch (args[0])
{
    case "load":
        return await LoadBenchmark.RunAsync(rest).ConfigureAwait(false);
    case "micro":
        return MicroBenchmarks.Run(rest);
    case "audit-cost":
        return await AuditCostBenchmark.RunAsync(rest).ConfigureAwait(false);
    case "yarp":
        return await YarpPassthrough.RunAsync(rest).ConfigureAwait(false);
    case "request" when rest is ["--output", var file]:
        await File.WriteAllBytesAsync(file, BenchmarkRequest.Frame(BenchmarkRequest.Create(DateTimeOffset.UtcNow))).ConfigureAwait(false);
        return 0;
    case "request":
        await Console.Error.WriteLineAsync("error: request takes exactly --output FILE").ConfigureAwait(false);
        return 2;
    default:
        await Console.Error.WriteLineAsync($"error: unknown command '{args[0]}'\n\n{Usage}").ConfigureAwait(false);
        return 2;
}
