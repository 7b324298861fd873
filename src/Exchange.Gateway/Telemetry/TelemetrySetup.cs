using Exchange.Gateway.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Exchange.Gateway.Telemetry;

/// <summary>
/// OpenTelemetry in one place: the gateway's spans and metrics, exported over OTLP when the standard OTEL_*
/// environment variables name an endpoint (nothing is exported otherwise). Spans are sampled parent-based: a caller's
/// sampled trace context is followed, and <see cref="TelemetryOptions.TraceSampleRatio"/> of the exchanges that start
/// their own trace are recorded (by trace id, so every gateway of a trace decides alike).
/// </summary>
internal static class TelemetrySetup
{
    public static void AddGatewayTelemetry(this WebApplicationBuilder builder, GatewayOptions options)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("exchange-gateway", serviceInstanceId: options.NodeId))
            .WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Name)
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.Telemetry.TraceSampleRatio))))
            .WithMetrics(metrics => metrics.AddMeter(GatewayTelemetry.Name));
        if (OtlpEndpointConfigured(builder.Configuration))
        {
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>True when one of the standard OTEL_EXPORTER_OTLP_*ENDPOINT variables is set.</summary>
    public static bool OtlpEndpointConfigured(IConfiguration configuration)
    {
        string[] names = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];
        return names.Any(name => !string.IsNullOrWhiteSpace(configuration[name] ?? Environment.GetEnvironmentVariable(name)));
    }
}
