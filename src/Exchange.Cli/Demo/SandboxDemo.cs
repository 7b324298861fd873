using Exchange.Cli.Calls;
using Exchange.Cli.Demo.Exchanges;
using Grpc.Core;

namespace Exchange.Cli.Demo;

/// <summary>
/// Drives a realistic mix of the four exchanges through the sandbox gateway, in both directions, speaking as the
/// participant each exchange belongs to, and prints one line per exchange: what was asked, the outcome and its key
/// numbers. People are taken from the seeded populations of the simulated regions and only ever described
/// ("a Shanghai-insured patient"); no citizen ID or name is printed.
/// </summary>
public sealed class SandboxDemo
{
    private readonly Func<string, CallInvoker> _invokerFor;
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly SandboxDemoOptions _options;

    /// <summary>Prepares a demo run.</summary>
    /// <param name="invokerFor">
    /// Gives a call invoker speaking as a participant id (e.g. <see cref="Connection.ParticipantChannels.For"/>: an
    /// mTLS channel with that participant's certificate).
    /// </param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="time">The clock (msgids, business day). Default the system clock.</param>
    /// <param name="options">Seed and timeouts. Default <see cref="SandboxDemoOptions"/>' defaults.</param>
    public SandboxDemo(Func<string, CallInvoker> invokerFor, TextWriter output, TimeProvider? time = null, SandboxDemoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(invokerFor);
        ArgumentNullException.ThrowIfNull(output);
        _invokerFor = invokerFor;
        _output = output;
        _time = time ?? TimeProvider.System;
        _options = options ?? new SandboxDemoOptions();
    }

    /// <summary>The participants the demo speaks as; each needs a certificate and a place in the gateway's configuration.</summary>
    public static IReadOnlyList<string> Participants { get; } = [.. Exchanges().Select(e => e.Caller).Distinct(StringComparer.Ordinal)];

    /// <summary>Runs every exchange in turn (one failing does not stop the others) and prints the summary line.</summary>
    public async Task<DemoSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var context = new DemoContext(_invokerFor, _time, _options);
        var outcomes = new List<DemoOutcome>();
        DemoDirection? heading = null;
        foreach (var exchange in Exchanges())
        {
            if (heading != exchange.Direction)
            {
                heading = exchange.Direction;
                await _output.WriteLineAsync(heading == DemoDirection.CountyToPartner ? "county → partner" : "partner → county").ConfigureAwait(false);
            }

            var outcome = await RunOneAsync(exchange, context, cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            await _output.WriteLineAsync(
                $"  {(outcome.Succeeded ? "[ok]    " : "[FAILED]")} {outcome.Caller} → {outcome.Target}: {outcome.Description}: {outcome.Detail}").ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var summary = new DemoSummary(outcomes);
        await _output.WriteLineAsync($"{summary.Exchanges} exchanges, {summary.Succeeded} succeeded").ConfigureAwait(false);
        return summary;
    }

    private static IEnumerable<IDemoExchange> Exchanges() =>
    [
        new CountyHospitalSettlement(),
        new CreditRecordsAcrossRegions(),
        new ArchiveLookupWithCertificate(),
        new MuseumCardCheck(),
        new ShanghaiPreSettlement(),
    ];

    private static async Task<DemoOutcome> RunOneAsync(IDemoExchange exchange, DemoContext context, CancellationToken cancellationToken)
    {
        string detail;
        var succeeded = false;
        try
        {
            detail = await exchange.RunAsync(context, cancellationToken).ConfigureAwait(false);
            succeeded = true;
        }
        catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
        {
            // The gateway's error details never carry personal data (validation names fields, never values).
            detail = $"error {RpcErrorPrinter.CodeName(error.StatusCode)}: {error.Status.Detail}";
        }
        catch (DemoFailure failure)
        {
            detail = failure.Message;
        }
        catch (ArgumentException error)
        {
            detail = error.Message; // e.g. the participant has no certificate in the PKI
        }

        return new DemoOutcome(exchange.Direction, exchange.Caller, exchange.Target, exchange.Description, succeeded, detail);
    }
}
