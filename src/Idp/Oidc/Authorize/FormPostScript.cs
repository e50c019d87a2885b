namespace Idp.Oidc.Authorize;

/// <summary>Submits the form_post page's form; served as a file so the CSP needs no inline script.</summary>
internal static class FormPostScript
{
    public const string Path = "/js/form-post.js";

    public const string Source = "document.getElementById('form-post').submit();\n";
}
