namespace Idp.Oidc.Protocol;

/// <summary>Runs a validator's list of <see cref="RequestCheck{TRequest}"/> in order.</summary>
internal static class RequestChecks
{
    /// <summary>The error of the first check the request breaks, or null when it passes them all.</summary>
    public static OidcError? FirstFailure<T>(T request, IEnumerable<RequestCheck<T>> checks)
    {
        foreach (var check in checks)
        {
            if (check(request) is { } error)
            {
                return error;
            }
        }

        return null;
    }
}
