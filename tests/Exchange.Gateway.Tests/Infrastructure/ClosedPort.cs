using System.Net;
using System.Net.Sockets;

namespace Exchange.Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback port nothing listens on, held for the test: the socket is bound but never listens, so a connection to
/// it is refused at once, and no other server (another test's simulator or gateway) can take the port meanwhile — as
/// it could a port found free and let go.
/// </summary>
internal sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
