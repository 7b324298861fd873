using System.Diagnostics;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Sim.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Exchange.Benchmarks.Load;

/// <summary>Calls with a real gRPC client (Grpc.Net.Client over h2c): the pre-flight call of each row, and the simulator's statistics.</summary>
internal sealed class GrpcProbe : IDisposable
{
    private readonly GrpcChannel _simulator;
    private readonly SimulatorControlService.SimulatorControlServiceClient _control;

    public GrpcProbe(Uri simulator)
    {
        _simulator = GrpcChannel.ForAddress(simulator);
        _control = new SimulatorControlService.SimulatorControlServiceClient(_simulator);
    }

    /// <summary>The simulator's counters of the benchmark's method (zeros before its first call).</summary>
    public async Task<MethodStats> PreSettleStatsAsync(CancellationToken cancellationToken)
    {
        var stats = await _control.GetStatsAsync(new GetStatsRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return stats.Methods.FirstOrDefault(m => m.Path == BenchmarkRequest.Path) ?? new MethodStats { Path = BenchmarkRequest.Path };
    }

    /// <summary>Waits until the simulator answers its control service.</summary>
    public async Task WaitForSimulatorAsync(ChildProcess process, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            process.EnsureRunning();
            try
            {
                await PreSettleStatsAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && clock.Elapsed < limit)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw new BenchmarkException($"{process.Name} did not answer GetStats within {limit.TotalSeconds:0} s: {e.Status}; its log {process.LogPath} ends:\n{process.Tail()}");
            }
        }
    }

    /// <summary>
    /// One PreSettle through <paramref name="address"/> with a real gRPC client, retried while the row is not ready
    /// (UNAVAILABLE) within <paramref name="limit"/>; returns the response bytes. Any other status fails the row.
    /// </summary>
    public static async Task<byte[]> PreSettleAsync(string row, Uri address, PreSettleRequest request, TimeSpan limit, ChildProcess? process, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            process?.EnsureRunning();
            try
            {
                var response = await client.PreSettleAsync(request, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                if (response.Amounts is not { Total.Fen: > 0 } amounts || amounts.Total.Fen != amounts.FundPayment.Fen + amounts.PersonalPayment.Fen)
                {
                    throw new BenchmarkException($"{row}: the pre-settlement answer does not add up (total ≠ fund + personal)");
                }

                return response.ToByteArray();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.DeadlineExceeded && clock.Elapsed < limit)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                var log = process is null ? "" : $"; log of {process.Name} ({process.LogPath}) ends:\n{process.Tail()}";
                throw new BenchmarkException($"{row}: PreSettle through {address} failed: {e.StatusCode} {e.Status.Detail}{log}");
            }
        }
    }

    public void Dispose() => _simulator.Dispose();
}
