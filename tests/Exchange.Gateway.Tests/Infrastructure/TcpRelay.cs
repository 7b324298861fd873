using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Exchange.Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to the test database that can be cut (listener closed, every connection reset) and restored
/// on the same port: a database outage as the gateway would see it. It also counts round trips: the times the
/// database answered after the client had spoken.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _running;
    private Task _accepting = Task.CompletedTask;
    private int _roundTrips;

    private TcpRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    public int Port { get; private set; }

    /// <summary>Round trips over every connection so far: each time the database sent something after the client had.</summary>
    public int RoundTrips => Volatile.Read(ref _roundTrips);

    public static TcpRelay Start(NpgsqlConnectionStringBuilder target)
    {
        var relay = new TcpRelay(target.Host ?? "127.0.0.1", target.Port);
        relay.Listen(0);
        return relay;
    }

    /// <summary>A loopback port nothing listens on.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Restart() => Listen(Port);

    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync();
        _listener!.Stop();
        foreach (var connection in _connections.Keys)
        {
            // Reset, not a polite close: the database vanished.
            try
            {
                connection.Client?.LingerState = new LingerOption(true, 0);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
            {
                // Already closed by its other side.
            }

            connection.Dispose();
        }

        _connections.Clear();
        await _accepting;
        _running.Dispose();
        _running = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _running = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _running.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_targetHost, _targetPort, cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            _connections[client] = 0;
            _connections[upstream] = 0;
            var conversation = new Conversation(this);
            _ = PumpAsync(client, upstream, conversation.ClientSpoke, cancellationToken);
            _ = PumpAsync(upstream, client, conversation.DatabaseSpoke, cancellationToken);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to, Action spoke, CancellationToken cancellationToken)
    {
        try
        {
            var source = from.GetStream();
            var destination = to.GetStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                // Counted before it is passed on, so the other side's reply can never be seen first.
                spoke();
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // The relay was cut, or one side hung up.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    /// <summary>Who spoke last on one relayed connection.</summary>
    private sealed class Conversation(TcpRelay relay)
    {
        private readonly Lock _gate = new();
        private bool _awaitingAnswer;

        public void ClientSpoke()
        {
            lock (_gate)
            {
                _awaitingAnswer = true;
            }
        }

        public void DatabaseSpoke()
        {
            lock (_gate)
            {
                if (_awaitingAnswer)
                {
                    _awaitingAnswer = false;
                    Interlocked.Increment(ref relay._roundTrips);
                }
            }
        }
    }
}
