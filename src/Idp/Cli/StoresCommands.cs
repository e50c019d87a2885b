using System.CommandLine;
using Idp.UserStores;
using Microsoft.Extensions.Options;

namespace Idp.Cli;

/// <summary>
/// <c>stores list</c> and <c>stores test corp [--login alice]</c>: the user stores this node loaded, and whether one
/// answers (what a lookup found, never a password or the service account's secret).
/// </summary>
internal static class StoresCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var stores = new Command("stores", "User stores and realms (configured in Idp:Stores, Idp:Realms).");
        stores.Add(List(context));
        stores.Add(Test(context));
        stores.Add(Flush(context));
        stores.Add(Search(context));
        return stores;
    }

    private const int SearchPageSize = 20;

    private static Command Search(Func<CliContext> context)
    {
        var name = new Argument<string>("store") { Description = "A directory store's name from Idp:Stores" };
        var text = new Argument<string?>("text") { Description = "Part of a login or name; none lists everyone", Arity = ArgumentArity.ZeroOrOne };
        var page = new Option<int>("--page") { Description = $"Which page of {SearchPageSize}", DefaultValueFactory = _ => 1 };
        var search = new Command("search", $"Search a directory store for people whose login or name contains the text ({SearchPageSize} a page, the first {UserStores.IDirectoryStore.MaxSearchResults} matches).") { name, text, page };
        search.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            var storeName = parsed.GetValue(name)!;
            if (cli.Services.GetRequiredService<UserStoreCatalog>().DirectoryStores.FirstOrDefault(s => string.Equals(s.Name, storeName, StringComparison.OrdinalIgnoreCase)) is not { } store)
            {
                return cli.Fail($"no directory store '{storeName}' (see: stores list).");
            }

            var wanted = parsed.GetValue(page);
            var query = (parsed.GetValue(text) ?? string.Empty).Trim();
            if (wanted < 1 || wanted * SearchPageSize > UserStores.IDirectoryStore.MaxSearchResults || query.Length > 256)
            {
                return cli.Fail($"--page must be from 1 to {UserStores.IDirectoryStore.MaxSearchResults / SearchPageSize}, and the text at most 256 characters: narrow the search instead.");
            }

            try
            {
                var found = await store.SearchAsync(query, (wanted - 1) * SearchPageSize, SearchPageSize, cancellationToken);
                cli.Output.WriteLine($"{"LOGIN",-32} {"NAME",-32} EMAIL");
                foreach (var person in found.People)
                {
                    cli.Output.WriteLine($"{DirectoryText.Printable(person.Login),-32} {DirectoryText.Printable(person.DisplayName),-32} {DirectoryText.Printable(person.Email)}");
                }

                cli.Output.WriteLine(found.More ? $"# more: --page {wanted + 1}" : $"# {found.People.Count} on this page, the last");
                return CliExitCodes.Succeeded;
            }
            catch (DirectoryUnavailableException e)
            {
                return cli.Fail(e.Message);
            }
        });
        return search;
    }

    private static Command Flush(Func<CliContext> context)
    {
        var name = new Argument<string?>("username") { Description = "A directory person's login", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every cached entry" };
        var reason = new Option<string?>("--reason") { Description = "Kept in the audit trail" };
        var flush = new Command("flush", "Forget what Idp:StoreCache remembers of a person (or --all): the next sign-in asks the directory afresh.") { name, all, reason };
        flush.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(all))
            {
                var cli = context();
                var count = await cli.Services.GetRequiredService<DirectoryAccounts>().ForgetAllAsync(cancellationToken);
                await cli.Services.GetRequiredService<Audit.AuditLog>().WriteAsync(Audit.AuditEventTypes.StoreCacheFlushed, Admin.AdminActor.Cli.AuditName, details: $"all cached directory lookups flushed ({count}){(parsed.GetValue(reason) is { Length: > 0 } why ? $"; reason: {why}" : string.Empty)}", cancellationToken: cancellationToken);
                cli.Output.WriteLine($"Flushed {count} cached lookup(s).");
                return CliExitCodes.Succeeded;
            }

            if (parsed.GetValue(name) is not { Length: > 0 } login)
            {
                return context().Fail("stores flush needs a username or --all");
            }

            return await UsersCommands.WithUserAsync(context, login, cancellationToken, async (cli, _, user) =>
                DevicesCommands.Report(cli, await cli.Services.GetRequiredService<Admin.UserAdministration>().FlushDirectoryCacheAsync(user, parsed.GetValue(reason), Admin.AdminActor.Cli, cancellationToken)));
        });
        return flush;
    }

    private static Command List(Func<CliContext> context)
    {
        var list = new Command("list", "List the stores (name, type, servers or table) and the realms that ask them, in order.");
        list.SetAction((_, _) =>
        {
            var cli = context();
            var settings = cli.Services.GetRequiredService<IOptions<UserStoreOptions>>().Value;
            cli.Output.WriteLine($"{"NAME",-20} {"TYPE",-8} SERVERS");
            foreach (var store in settings.EffectiveStores())
            {
                cli.Output.WriteLine($"{store.Name,-20} {store.Type,-8} {Where(store)}");
            }

            var defaultRealm = settings.EffectiveDefaultRealm();
            foreach (var realm in settings.EffectiveRealms())
            {
                cli.Output.WriteLine($"# realm {realm.Name}{(string.Equals(realm.Name, defaultRealm, StringComparison.OrdinalIgnoreCase) ? " (default)" : string.Empty)}: {string.Join(", ", realm.Stores)}");
            }

            return Task.FromResult(CliExitCodes.Succeeded);
        });
        return list;
    }

    /// <summary>Where a store's people are: servers, or a database's provider and table (never its connection string, which may hold a password).</summary>
    private static string Where(UserStoreSettings store) => store.Type switch
    {
        UserStoreType.Ldap => string.Join(" ", store.Ldap.Servers),
        UserStoreType.Sql => $"{store.Sql.Provider} table {store.Sql.Table}",
        _ => "-",
    };

    private static Command Test(Func<CliContext> context)
    {
        var name = new Argument<string>("store") { Description = "A store's name from Idp:Stores" };
        var login = new Option<string?>("--login") { Description = "Also look this login up and print what the store returns" };
        var test = new Command("test", "Check that a directory store answers (LDAP: the service account binds and the search base exists; SQL: the table and its columns can be read), and optionally look a login up.") { name, login };
        test.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            var storeName = parsed.GetValue(name)!;
            var catalog = cli.Services.GetRequiredService<UserStoreCatalog>();
            if (catalog.DirectoryStores.FirstOrDefault(s => string.Equals(s.Name, storeName, StringComparison.OrdinalIgnoreCase)) is not { } store)
            {
                return cli.Fail($"no directory store '{storeName}' (see: stores list; the built-in store needs no test).");
            }

            try
            {
                await store.ProbeAsync(cancellationToken);
                cli.Output.WriteLine($"{store.Name}: reachable; {(store is UserStores.Sql.SqlDirectoryStore ? "the table and its columns can be read" : "the service account binds and the search base exists")}.");
                if (parsed.GetValue(login) is { Length: > 0 } wanted)
                {
                    var person = await store.FindAsync(wanted, cancellationToken);
                    if (person is null)
                    {
                        return cli.Fail($"{store.Name}: no single entry for the login '{wanted}'.");
                    }

                    if (person.DistinguishedName != person.ExternalId)
                    {
                        cli.Output.WriteLine($"dn:     {DirectoryText.Printable(person.DistinguishedName)}");
                    }

                    // What a directory holds is printed with its control characters shown, never run by the terminal.
                    cli.Output.WriteLine($"id:     {DirectoryText.Printable(person.ExternalId)}");
                    cli.Output.WriteLine($"login:  {DirectoryText.Printable(person.Login)}");
                    cli.Output.WriteLine($"name:   {DirectoryText.Printable(person.DisplayName)}");
                    cli.Output.WriteLine($"email:  {DirectoryText.Printable(person.Email)}");
                    cli.Output.WriteLine($"groups: {DirectoryText.Printable(string.Join(", ", person.Groups))}");
                }

                return CliExitCodes.Succeeded;
            }
            catch (DirectoryUnavailableException e)
            {
                return cli.Fail(e.Message);
            }
            catch (AmbiguousLoginException e)
            {
                return cli.Fail($"{e.Message}: '{parsed.GetValue(login)}' names nobody until the directory is fixed.");
            }
        });
        return test;
    }
}
