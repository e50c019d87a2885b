using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>
/// Refuses a POST from anyone but an administrator who passed the second factor, before its body is read. The gate
/// of every admin page (<see cref="AdminPageModel"/>) runs after antiforgery and model binding, which read the form;
/// on a page that accepts a large upload (<see cref="TokensModel"/>) nobody else may make the node read one.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AdministratorsOnlyAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>Before the form limits (-2000) and antiforgery (1000).</summary>
    public int Order => -3000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return;
        }

        var users = http.RequestServices.GetRequiredService<UserManager<IdpUser>>();
        var options = http.RequestServices.GetRequiredService<IOptions<IdpOptions>>().Value;
        if ((await AdminGate.CheckAsync(http.User, users, options)).Verdict != AdminGate.Verdict.Admitted)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            // The error page is re-executed for this request (a POST like it): it must not read the refused body either.
            http.Request.Body = Stream.Null;
            http.Request.ContentLength = 0;
            http.Request.ContentType = null;
        }
    }
}
