using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Cli.Calls;

/// <summary>
/// Prints a failed call as "error: STATUS: detail", then the google.rpc details carried in the
/// grpc-status-details-bin trailer: field violations, error info and retry delay, anything else as JSON.
/// </summary>
internal static class RpcErrorPrinter
{
    /// <summary>Writes <paramref name="error"/> and its details to <paramref name="output"/>.</summary>
    public static void Print(RpcException error, TextWriter output, string? transportHint = null)
    {
        output.WriteLine($"error: {CodeName(error.StatusCode)}: {error.Status.Detail}");
        if (transportHint is not null)
        {
            output.WriteLine($"  {transportHint}");
        }
        else if (error.Status.DebugException is { } cause)
        {
            // "Error connecting to subchannel" says nothing; the socket or TLS error beneath it does.
            output.WriteLine($"  cause: {Innermost(cause).Message}");
        }

        Google.Rpc.Status? status;
        try
        {
            status = error.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            output.WriteLine("  (status details present but unreadable)");
            return;
        }

        foreach (var detail in status?.Details ?? [])
        {
            PrintDetail(detail, output);
        }
    }

    /// <summary>The canonical upper-case name of a status code (INVALID_ARGUMENT).</summary>
    public static string CodeName(StatusCode code) =>
        CodeReflection.Descriptor.EnumTypes[0].FindValueByNumber((int)code)?.Name ?? ((int)code).ToString(CultureInfo.InvariantCulture);

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is { } inner)
        {
            error = inner;
        }

        return error;
    }

    private static void PrintDetail(Any detail, TextWriter output)
    {
        if (detail.TryUnpack<BadRequest>(out var badRequest))
        {
            foreach (var violation in badRequest.FieldViolations)
            {
                output.WriteLine($"  field violation: {violation.Field}: {violation.Description}");
            }
        }
        else if (detail.TryUnpack<ErrorInfo>(out var info))
        {
            var metadata = info.Metadata.Count == 0
                ? string.Empty
                : " " + string.Join(" ", info.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));
            output.WriteLine($"  error info: {info.Reason} (domain {info.Domain}){metadata}");
        }
        else if (detail.TryUnpack<RetryInfo>(out var retry))
        {
            var delay = retry.RetryDelay?.ToTimeSpan() ?? TimeSpan.Zero;
            output.WriteLine($"  retry after: {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
        else
        {
            string text;
            try
            {
                text = MessageJson.ToCompactJson(detail);
            }
            catch (InvalidOperationException)
            {
                text = $"{detail.TypeUrl} ({detail.Value.Length} bytes)";
            }

            output.WriteLine($"  detail: {text}");
        }
    }
}
