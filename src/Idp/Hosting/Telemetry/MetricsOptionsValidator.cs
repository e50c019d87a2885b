using Microsoft.Extensions.Options;

namespace Idp.Hosting.Telemetry;

/// <summary>Start-up checks of <c>Idp:Metrics</c>, each message naming its key.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        var metrics = options.Metrics;
        if (metrics.OtlpEndpoint is { Length: > 0 } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"Idp:Metrics:OtlpEndpoint must be an http or https URL (got \"{endpoint}\").");
        }

        if (metrics.OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            errors.Add($"Idp:Metrics:OtlpProtocol must be grpc or http/protobuf (got \"{metrics.OtlpProtocol}\").");
        }

        if (metrics.Prometheus.Enabled)
        {
            if (!metrics.Prometheus.Path.StartsWith('/') || metrics.Prometheus.Path.Length < 2)
            {
                errors.Add($"Idp:Metrics:Prometheus:Path must be a path such as /metrics (got \"{metrics.Prometheus.Path}\").");
            }

            errors.AddRange(Validation.ValidationOptionsValidator.NetworkErrors("Idp:Metrics:Prometheus:Networks", metrics.Prometheus.EffectiveNetworks()));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
