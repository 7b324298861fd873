using System.Globalization;

namespace Exchange.Benchmarks.Load;

/// <summary>The generated configurations of the HAProxy and nginx peers (written into the run's temporary directory).</summary>
internal static class PeerConfigs
{
    /// <summary>What both HAProxy configurations start with: HTTP mode and generous timeouts.</summary>
    private const string HaProxyDefaults = """
        global
            maxconn 4096

        defaults
            mode http
            timeout connect 5s
            timeout client 60s
            timeout server 60s

        """;

    /// <summary>HAProxy as a plain HTTP/2 passthrough: h2c in, h2c out.</summary>
    public static string HaProxyPassthrough(int listenPort, int backendPort) => Invariant($$"""
        {{HaProxyDefaults}}
        frontend grpc_in
            bind 127.0.0.1:{{listenPort}} proto h2
            default_backend simulator

        backend simulator
            server s 127.0.0.1:{{backendPort}} proto h2

        """);

    /// <summary>
    /// HAProxy as the TLS client of the gateway's mTLS endpoint (h2load cannot present a client certificate): h2c in,
    /// HTTP/2 over TLS out with the participant's certificate, the gateway's certificate verified against the dev CA.
    /// The :scheme is rewritten to https, as a TLS client would send it.
    /// </summary>
    public static string HaProxyTlsOrigination(int listenPort, int gatewayPort, string clientPem, string caFile) => Invariant($$"""
        {{HaProxyDefaults}}
        frontend grpc_in
            bind 127.0.0.1:{{listenPort}} proto h2
            default_backend gateway_mtls

        backend gateway_mtls
            # The request came in as http; Kestrel refuses a :scheme that does not match its TLS transport.
            http-request set-uri https://%[req.hdr(host)]%[pathq]
            server gw 127.0.0.1:{{gatewayPort}} ssl crt {{clientPem}} ca-file {{caFile}} verify required verifyhost localhost alpn h2 proto h2

        """);

    /// <summary>
    /// nginx as a gRPC proxy: h2c in, grpc_pass to the simulator over kept-alive upstream connections;
    /// keepalive_requests high on both sides, or nginx closes h2load's connections after 1,000 requests.
    /// </summary>
    public static string Nginx(string directory, int listenPort, int backendPort, bool runAsRoot) => Invariant($$"""
        {{(runAsRoot ? "user root;" : "")}}
        worker_processes auto;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;

        events {
            worker_connections 4096;
        }

        http {
            access_log off;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;

            upstream simulator {
                server 127.0.0.1:{{backendPort}};
                keepalive 256;
                keepalive_requests 100000000;
                keepalive_timeout 300s;
            }

            server {
                listen 127.0.0.1:{{listenPort}} http2;
                keepalive_requests 100000000;
                keepalive_timeout 300s;
                http2_max_concurrent_streams 256;

                location / {
                    grpc_pass grpc://simulator;
                }
            }
        }

        """);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
