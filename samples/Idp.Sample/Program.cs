// A relying party for Idp. Configure it in appsettings.json or the environment (Idp__Authority, Idp__ClientId,
// Idp__ClientSecret) and register it in Idp as a client (see the README next to this file).
Idp.Sample.SampleApp.Build(args).Run();
