using System.CommandLine;
using Exchange.Cli.Calls;
using Exchange.Cli.Connection;
using Grpc.Core;

namespace Exchange.Cli.Commands;

/// <summary>
/// <c>exchange call Service/Method --json '{...}'</c>: one call of any contract method through the gateway, as a
/// participant, over mTLS, printing the response as JSON and errors with their google.rpc details.
/// </summary>
internal static class CallCommand
{
    private const double MaxTimeoutSeconds = 24 * 60 * 60;

    public static Command Create()
    {
        var method = new Argument<string>("method")
        {
            Description = "The method: Service/Method (e.g. CrossRegionSettlementService/PreSettle) or package.Service/Method",
        };
        var json = new Option<string>("--json")
        {
            Description = "The request as proto3 JSON; a JSON array for a client-streaming method; @FILE reads a file, @- standard input",
            DefaultValueFactory = _ => "{}",
        };
        var participant = new Option<string>("--as")
        {
            Description = "The participant to call as (its client certificate is presented)",
            DefaultValueFactory = _ => SandboxDefaults.Participant,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Deadline of the call in seconds",
            DefaultValueFactory = _ => SandboxDefaults.CallTimeoutSeconds,
        };
        var connection = new ConnectionOptions();
        var command = new Command("call", "Call a contract method through the gateway and print the response as JSON") { method, json, participant, timeout };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new CallArguments(
                parse.GetValue(method)!,
                parse.GetValue(json)!,
                parse.GetValue(connection.Gateway)!,
                parse.GetValue(participant)!,
                parse.GetValue(connection.Pki)!,
                parse.GetValue(timeout)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Runs a call; returns the exit code.</summary>
    public static async Task<int> RunAsync(CallArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Prepare(arguments, error, out var call, out var address))
        {
            return ExitCodes.Usage;
        }

        if (PkiSetup.TryLoad(arguments.PkiDirectory, [arguments.Participant], error, out var exitCode) is not { } pki)
        {
            return exitCode;
        }

        using (pki)
        using (var channels = new ParticipantChannels(address!, pki))
        {
            try
            {
                var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(arguments.TimeoutSeconds), cancellationToken: cancellationToken);
                await call!.RunAsync(channels.For(arguments.Participant), options, output).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (RpcException failure)
            {
                RpcErrorPrinter.Print(failure, error, channels.Check.LastRejection);
                return ExitCodes.Failure;
            }
        }
    }

    /// <summary>Checks everything that needs no network: method, JSON, address, timeout.</summary>
    internal static bool Prepare(CallArguments arguments, TextWriter error, out GenericCall? call, out Uri? address)
    {
        call = null;
        address = null;
        if (!MethodResolver.Contracts.TryResolve(arguments.Method, out var method, out var problem))
        {
            error.WriteLine($"error: {problem}");
            return false;
        }

        if (!ConnectionOptions.TryParseAddress(arguments.Gateway, out address, out problem))
        {
            error.WriteLine($"error: {problem}");
            return false;
        }

        if (arguments.TimeoutSeconds is not (> 0 and <= MaxTimeoutSeconds))
        {
            error.WriteLine($"error: --timeout must be more than 0 and at most {MaxTimeoutSeconds} seconds");
            return false;
        }

        try
        {
            call = GenericCall.FromJson(method!, ReadJson(arguments.Json));
            return true;
        }
        catch (JsonInputException invalid)
        {
            error.WriteLine($"error: {invalid.Message}");
            return false;
        }
        catch (IOException unreadable)
        {
            error.WriteLine($"error: --json {arguments.Json}: {unreadable.Message}");
            return false;
        }
    }

    private static string ReadJson(string value) => value switch
    {
        "@-" => Console.In.ReadToEnd(),
        ['@', .. var path] => File.ReadAllText(path),
        _ => value,
    };
}
