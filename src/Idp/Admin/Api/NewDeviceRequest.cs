namespace Idp.Admin.Api;

/// <summary>The body of POST /api/admin/users/{username}/devices.</summary>
internal sealed record NewDeviceRequest(string? Type, string? Name, string? Secret, string? Reason);
