using System.Net;
using Idp.Validation;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Idp.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry metrics (<c>Idp:Metrics</c>): the "Idp" meter (audit-derived counters, database round trips, the
/// audit queue), ASP.NET Core's and the runtime's, exported over OTLP when an endpoint is set and scraped by
/// Prometheus when enabled (from the configured networks only). Nothing is collected when neither is on.
/// </summary>
internal static class MetricsRegistration
{
    public static IServiceCollection AddIdpMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<IdpOptions>, MetricsOptionsValidator>();
        services.AddSingleton<Audit.IAuditSubscriber, AuditMetrics>();
        services.AddSingleton<DatabaseTimingInterceptor>();
        // Read here, before there is a container, only to choose the exporters; MetricsOptionsValidator checks the
        // same values at start-up through IOptions, and refuses to start on a bad one.
        var settings = configuration.GetSection("Idp:Metrics").Get<MetricsSettings>() ?? new MetricsSettings();
        var otlp = Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;
        if (otlp is null && !settings.Prometheus.Enabled)
        {
            return services;
        }

        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(Audit.AuditQueue.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
            if (otlp is not null)
            {
                metrics.AddOtlpExporter(o =>
                {
                    o.Endpoint = otlp;
                    o.Protocol = settings.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                });
            }

            if (settings.Prometheus.Enabled)
            {
                // Each scrape collects afresh: a cached answer would hide what happened since the last one.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            }
        });
        return services;
    }

    public static void MapIdpMetrics(this WebApplication app)
    {
        var prometheus = app.Services.GetRequiredService<IOptions<IdpOptions>>().Value.Metrics.Prometheus;
        if (!prometheus.Enabled)
        {
            return;
        }

        var allowed = ClientNetworks.Parse(prometheus.EffectiveNetworks());
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == prometheus.Path
            && context.Connection.RemoteIpAddress is { } address
            && allowed.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
    }
}
