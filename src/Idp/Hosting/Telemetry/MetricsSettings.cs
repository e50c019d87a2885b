namespace Idp.Hosting.Telemetry;

/// <summary><c>Idp:Metrics</c>: OpenTelemetry metrics (the "Idp" meter, ASP.NET Core and the .NET runtime). Off unless an exporter is set.</summary>
public sealed class MetricsSettings
{
    /// <summary>An OTLP collector (<c>http://collector:4317</c>, gRPC; or <c>…:4318</c> with <see cref="OtlpProtocol"/> http/protobuf). Null: no OTLP export.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>A Prometheus scraping endpoint (the exporter is a beta release: opt-in).</summary>
    public PrometheusSettings Prometheus { get; set; } = new();
}

public sealed class PrometheusSettings
{
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>Who may scrape (addresses or CIDR networks); everyone else gets 404. Empty: loopback only.</summary>
    /// <remarks>Empty rather than a default list: configuration binding adds to a list, it would not replace it.</remarks>
    public List<string> Networks { get; set; } = [];

    public IReadOnlyList<string> EffectiveNetworks() => Networks.Count > 0 ? Networks : ["127.0.0.1/32", "::1/128"];
}
