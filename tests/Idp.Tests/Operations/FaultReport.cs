using System.Globalization;

namespace Idp.Tests.Operations;

/// <summary>
/// One row of the fault drill's table. <c>./bench/run.sh faults</c> sets IDP_FAULT_REPORT (and a longer outage in
/// IDP_FAULT_OUTAGE_SECONDS) and prints the rows the tests append there.
/// </summary>
internal static class FaultReport
{
    public static TimeSpan Outage => TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("IDP_FAULT_OUTAGE_SECONDS"), CultureInfo.InvariantCulture, out var seconds) ? seconds : 3);

    public static void Add(string scenario, int requests, int refused, int errors, TimeSpan? recovery, int lost)
    {
        if (Environment.GetEnvironmentVariable("IDP_FAULT_REPORT") is { Length: > 0 } file)
        {
            File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture, $"| {scenario} | {requests} | {refused} | {errors} | {(recovery is { } r ? r.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {lost} |\n"));
        }
    }
}
