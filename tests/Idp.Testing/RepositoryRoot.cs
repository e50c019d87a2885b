namespace Idp.Testing;

/// <summary>Finds the checkout's root (the folder holding Idp.sln) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Idp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Idp.sln not found above {AppContext.BaseDirectory}");
    }
}
