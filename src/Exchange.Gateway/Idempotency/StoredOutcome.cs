using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Gateway.Idempotency;

/// <summary>
/// An answer as the caller gets it, kept so that it can be given again exactly: the response bytes, or a status
/// with its message and google.rpc details (the <c>grpc-status-details-bin</c> trailer).
/// </summary>
internal sealed class StoredOutcome
{
    /// <summary>Name of the trailer that carries the google.rpc.Status of an error.</summary>
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    private StoredOutcome(StatusCode status, byte[]? response, string detail, byte[]? statusDetails)
    {
        Status = status;
        Response = response;
        Detail = detail;
        StatusDetails = statusDetails;
    }

    /// <summary>OK, or the error's status code.</summary>
    public StatusCode Status { get; }

    /// <summary>The response bytes when <see cref="Status"/> is OK.</summary>
    public byte[]? Response { get; }

    /// <summary>The error's message ("" for OK).</summary>
    public string Detail { get; }

    /// <summary>The serialized google.rpc.Status of an error, if it had one.</summary>
    public byte[]? StatusDetails { get; }

    /// <summary>A response.</summary>
    public static StoredOutcome Ok(byte[] response) => new(StatusCode.OK, response, "", null);

    /// <summary>An error as the caller saw it: status, message and google.rpc details (no other trailers).</summary>
    public static StoredOutcome Error(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.StatusCode, null, error.Status.Detail, error.Trailers.GetValueBytes(StatusDetailsTrailer));
    }

    /// <summary>An error made by the gateway, with its google.rpc.Status.</summary>
    public static StoredOutcome Error(Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new((StatusCode)status.Code, null, status.Message, status.ToByteArray());
    }

    /// <summary>Rebuilds an outcome read from a store.</summary>
    public static StoredOutcome FromStore(StatusCode status, byte[]? response, string? detail, byte[]? statusDetails) =>
        new(status, status == StatusCode.OK ? response ?? [] : null, detail ?? "", statusDetails);

    /// <summary>The response, or the error thrown afresh (each caller gets its own exception).</summary>
    public byte[] Replay() => Status == StatusCode.OK ? Response! : throw ToException();

    /// <summary>The error as an exception carrying the google.rpc details.</summary>
    public RpcException ToException()
    {
        var trailers = new Metadata();
        if (StatusDetails is not null)
        {
            trailers.Add(StatusDetailsTrailer, StatusDetails);
        }

        return new RpcException(new Status(Status, Detail), trailers);
    }
}
