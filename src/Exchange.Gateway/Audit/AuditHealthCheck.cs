using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The trail's state as a health check: Unhealthy (with the reason) whenever records cannot be made durable, since
/// the gateway then refuses every exchange.
/// </summary>
internal sealed class AuditHealthCheck(AuditHealth health) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = health.Current;
        var data = new Dictionary<string, object> { ["since"] = current.Since.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
        return Task.FromResult(current.Status switch
        {
            AuditHealthStatus.Healthy => HealthCheckResult.Healthy("audit records are durable", data),
            AuditHealthStatus.Starting => HealthCheckResult.Unhealthy($"audit trail starting: {current.Reason}", data: data),
            AuditHealthStatus.Stopped => HealthCheckResult.Unhealthy("audit trail stopped", data: data),
            _ => HealthCheckResult.Unhealthy($"audit trail unavailable: {current.Reason}", data: data),
        });
    }
}
