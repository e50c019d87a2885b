using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Idp.Hosting.Health;

/// <summary>
/// The body of <c>/readyz</c>: the overall status, each check's status, and the user stores by name, so an operator
/// sees which part is not ready. Descriptions of failures stay in the log: the endpoint is public.
/// </summary>
internal static class ReadinessResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        };
        if (report.Entries.TryGetValue(UserStores.UserStoreRegistration.ReadyCheckName, out var stores) && stores.Data.Count > 0)
        {
            body["stores"] = stores.Data;
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
