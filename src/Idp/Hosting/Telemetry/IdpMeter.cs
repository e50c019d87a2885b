using System.Diagnostics.Metrics;

namespace Idp.Hosting.Telemetry;

/// <summary>
/// The one "Idp" meter of the process, and its instruments' one home. One meter, not one per host: a second
/// instrument of the same name would be a duplicate to the exporter, which keeps only the first.
/// </summary>
internal static class IdpMeter
{
    public const string Name = "Idp";

    public static readonly Meter Meter = new(Name);
}
