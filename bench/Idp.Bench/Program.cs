using BenchmarkDotNet.Running;
using Idp.Bench;

// `oidc`: HTTP load on Idp and on node's oidc-provider side by side (wrk); `signin`: see below; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "oidc")
{
    return await OidcLoadBenchmark.RunAsync(args[1..]);
}

// `signin`: full sign-ins (password, code, authorization code, token) over HTTP.
if (args.Length > 0 && args[0] == "signin")
{
    return await SignInLoadBenchmark.RunAsync(args[1..]);
}

// `validate`: /validate/check and RADIUS PAP, password‖code, distinct users.
if (args.Length > 0 && args[0] == "validate")
{
    return await ValidationLoadBenchmark.RunAsync(args[1..]);
}

// `stores`: directory people (LDAP: no pool; pooled with caches off and on) beside built-in ones: lookups and full sign-ins (password, then code).
if (args.Length > 0 && args[0] == "stores")
{
    return await StoreLoadBenchmark.RunAsync(args[1..]);
}

// `tokens`: the hardware token pool at 10,000 tokens: listings and searches over /api/admin/tokens.
if (args.Length > 0 && args[0] == "tokens")
{
    return await TokenPoolBenchmark.RunAsync(args[1..]);
}

// Not typeof(Program): Idp's own public Program is in scope too (CS0436).
BenchmarkSwitcher.FromAssembly(typeof(TokenPoolBenchmark).Assembly).Run(args);
return 0;

