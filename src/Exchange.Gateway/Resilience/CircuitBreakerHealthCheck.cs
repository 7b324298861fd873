using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// Degraded while some endpoint's circuit breaker is not closed, naming the region and endpoint: the gateway still
/// serves every other region (gRPC health says SERVING for Degraded), but an operator sees which partner is failing.
/// </summary>
internal sealed class CircuitBreakerHealthCheck(OutboundResilience resilience) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var circuits = resilience.Circuits();
        var failing = circuits.Where(c => c.State != CircuitState.Closed).ToArray();
        if (failing.Length == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"all {circuits.Count} endpoint circuits closed"));
        }

        var data = failing.ToDictionary(c => $"{c.Region} {c.Endpoint}", c => (object)c.State.ToString(), StringComparer.Ordinal);
        var description = "circuit not closed: " + string.Join("; ", failing.Select(c => $"region {c.Region} endpoint {c.Endpoint} {c.State}"));
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
