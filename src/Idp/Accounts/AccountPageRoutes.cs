using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Idp.Accounts;

/// <summary>
/// Gives the account pages their addresses from <see cref="AccountRoutes"/>, so a page's route and every redirect to
/// it come from one constant (the pages' own @page directives carry no template).
/// </summary>
internal sealed class AccountPageRoutes : IPageRouteModelConvention
{
    private static readonly Dictionary<string, string> Routes = new(StringComparer.Ordinal)
    {
        ["/Account/Login"] = AccountRoutes.Login,
        ["/Account/Logout"] = AccountRoutes.Logout,
        ["/Account/Denied"] = AccountRoutes.Denied,
        ["/Account/Index"] = AccountRoutes.Account,
        ["/Account/TwoFactor"] = AccountRoutes.Code,
        ["/Account/StepUp"] = AccountRoutes.StepUp,
        ["/Account/Expired"] = AccountRoutes.Expired,
    };

    public void Apply(PageRouteModel model)
    {
        if (!Routes.TryGetValue(model.ViewEnginePath, out var route))
        {
            return;
        }

        // Without a template a page answers at its file path and, for Index, at its folder too: one address replaces both.
        model.Selectors.Clear();
        model.Selectors.Add(new SelectorModel { AttributeRouteModel = new AttributeRouteModel { Template = route.TrimStart('/') } });
    }
}
