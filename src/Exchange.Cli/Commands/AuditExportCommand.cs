using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using Exchange.Cli.Calls;
using Exchange.Cli.Connection;
using Exchange.Contracts.Audit.V1;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Exchange.Gateway.Audit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using AuditRecord = Exchange.Gateway.Audit.AuditRecord;

namespace Exchange.Cli.Commands;

/// <summary>
/// <c>exchange audit export</c>: the records matching a filter, through the gateway's AuditService over mutual TLS
/// as an auditor participant, written as NDJSON — one record per line, exactly as the gateway's own export writes
/// them (docs/audit.md), so every line can be re-hashed and the chain checked.
/// </summary>
internal static class AuditExportCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "Records received at or after this instant (ISO 8601; UTC unless an offset is given)" };
        var to = new Option<string?>("--to") { Description = "Records received before this instant" };
        var caller = new Option<string?>("--caller") { Description = "Only exchanges called by this participant" };
        var method = new Option<string?>("--method") { Description = "Only this method: Method, Service/Method or package.Service/Method" };
        var status = new Option<string?>("--status") { Description = "Only exchanges answered with this status (e.g. OK, PERMISSION_DENIED)" };
        var traceId = new Option<string?>("--trace-id") { Description = "Only exchanges of this W3C trace" };
        var citizenId = new Option<string?>("--citizen-id") { Description = "Only exchanges about this person (hashed by the gateway)" };
        var creditCode = new Option<string?>("--credit-code") { Description = "Only exchanges about this organisation (hashed by the gateway)" };
        var participant = new Option<string>("--as")
        {
            Description = "The auditor participant to call as (its client certificate is presented)",
            DefaultValueFactory = _ => SandboxDefaults.Auditor,
        };
        var file = new Option<string?>("--output") { Description = "Write the NDJSON to this file instead of standard output" };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Deadline of the export in seconds",
            DefaultValueFactory = _ => 300,
        };
        var connection = new ConnectionOptions();
        var command = new Command("export", "Export audit records through the gateway's AuditService as NDJSON (auditors only)")
        {
            from, to, caller, method, status, traceId, citizenId, creditCode, participant, file, timeout,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new ExportArguments(
                parse.GetValue(from),
                parse.GetValue(to),
                parse.GetValue(caller),
                parse.GetValue(method),
                parse.GetValue(status),
                parse.GetValue(traceId),
                parse.GetValue(citizenId),
                parse.GetValue(creditCode),
                parse.GetValue(connection.Gateway)!,
                parse.GetValue(participant)!,
                parse.GetValue(connection.Pki)!,
                parse.GetValue(file),
                parse.GetValue(timeout)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Exports; returns the exit code.</summary>
    public static async Task<int> RunAsync(ExportArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryFilter(arguments, out var filter, out var problem) || !ConnectionOptions.TryParseAddress(arguments.Gateway, out var address, out problem))
        {
            await error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (arguments.TimeoutSeconds is not (> 0 and <= 24 * 60 * 60))
        {
            await error.WriteLineAsync("error: --timeout must be more than 0 and at most 86400 seconds").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (PkiSetup.TryLoad(arguments.PkiDirectory, [arguments.Participant], error, out var exitCode) is not { } pki)
        {
            return exitCode;
        }

        using (pki)
        using (var channels = new ParticipantChannels(address!, pki))
        {
            var client = new AuditService.AuditServiceClient(channels.For(arguments.Participant));
            var request = new ExportAuditRecordsRequest { Filter = filter, Purpose = PurposeOfUse.Audit };
            try
            {
                using var call = client.ExportAuditRecords(request, deadline: DateTime.UtcNow.AddSeconds(arguments.TimeoutSeconds), cancellationToken: cancellationToken);
                long count;
                if (arguments.OutputFile is { } path)
                {
                    var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
                    await using (stream.ConfigureAwait(false))
                    {
                        count = await AuditExport.WriteNdjsonAsync(RecordsAsync(call.ResponseStream, cancellationToken), stream, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    count = 0;
                    await foreach (var record in RecordsAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false))
                    {
                        await output.WriteAsync(System.Text.Encoding.UTF8.GetString(AuditNdjson.Line(w => AuditNdjson.WriteRecord(w, record)))).ConfigureAwait(false);
                        count++;
                    }

                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"exported {count} audit record(s)")).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (RpcException failure)
            {
                RpcErrorPrinter.Print(failure, error, channels.Check.LastRejection);
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }
    }

    /// <summary>The AuditService filter the options describe, or why they do not describe one.</summary>
    internal static bool TryFilter(ExportArguments arguments, out AuditFilter filter, out string? problem)
    {
        filter = new AuditFilter
        {
            Caller = arguments.Caller ?? "",
            Status = arguments.Status?.ToUpperInvariant() ?? "",
            TraceId = arguments.TraceId ?? "",
        };
        problem = null;
        if (arguments.From is { } from)
        {
            if (!TryTime(from, out var time))
            {
                problem = $"--from '{from}': not an ISO 8601 date or instant";
                return false;
            }

            filter.ReceivedFrom = Timestamp.FromDateTimeOffset(time);
        }

        if (arguments.To is { } to)
        {
            if (!TryTime(to, out var time))
            {
                problem = $"--to '{to}': not an ISO 8601 date or instant";
                return false;
            }

            filter.ReceivedBefore = Timestamp.FromDateTimeOffset(time);
        }

        if (arguments.Method is { } method && !TryMethod(method, filter, out problem))
        {
            return false;
        }

        if (arguments.CitizenId is not null && arguments.CreditCode is not null)
        {
            problem = "--citizen-id and --credit-code: give one data subject at a time";
            return false;
        }

        if (arguments.CitizenId is { } citizenId)
        {
            filter.Subject = new Subject { CitizenId = citizenId };
        }
        else if (arguments.CreditCode is { } creditCode)
        {
            filter.Subject = new Subject { CreditCode = creditCode };
        }

        return true;
    }

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static bool TryMethod(string text, AuditFilter filter, out string? problem)
    {
        problem = null;
        var trimmed = text.TrimStart('/');
        var slash = trimmed.LastIndexOf('/');
        if (slash < 0)
        {
            filter.Method = trimmed;
            return true;
        }

        var service = trimmed[..slash];
        filter.Method = trimmed[(slash + 1)..];
        var matches = ContractSet.Services.Where(s => s.FullName == service || s.Name == service).ToArray();
        if (matches.Length != 1)
        {
            problem = matches.Length == 0 ? $"--method '{text}': names no service of the contract set" : $"--method '{text}': the service is ambiguous; write its full name";
            return false;
        }

        filter.Service = matches[0].FullName;
        return true;
    }

    private static async IAsyncEnumerable<AuditRecord> RecordsAsync(IAsyncStreamReader<ExportAuditRecordsResponse> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return AuditRecordMessages.ToRecord(stream.Current.Record);
        }
    }
}

/// <summary>What <c>exchange audit export</c> was asked.</summary>
/// <param name="From">Received at or after (text as given).</param>
/// <param name="To">Received before.</param>
/// <param name="Caller">Calling participant.</param>
/// <param name="Method">Method, Service/Method or package.Service/Method.</param>
/// <param name="Status">Status name.</param>
/// <param name="TraceId">Trace id.</param>
/// <param name="CitizenId">A person's citizen ID.</param>
/// <param name="CreditCode">An organisation's credit code.</param>
/// <param name="Gateway">The gateway's address.</param>
/// <param name="Participant">The auditor participant.</param>
/// <param name="PkiDirectory">The development PKI.</param>
/// <param name="OutputFile">Where to write, or null for standard output.</param>
/// <param name="TimeoutSeconds">Deadline of the export.</param>
internal sealed record ExportArguments(
    string? From, string? To, string? Caller, string? Method, string? Status, string? TraceId, string? CitizenId, string? CreditCode,
    string Gateway, string Participant, string PkiDirectory, string? OutputFile, double TimeoutSeconds);
