using Idp.Otp.Secrets;
using Idp.Secrets;

namespace Idp.Hosting;

/// <summary>
/// Loads the application secret key, which encrypts OTP seeds and signing keys. It never comes from the database:
/// a key file (<c>Idp:Secrets:KeyFile</c>) or a value (<c>Idp:Secrets:Key</c>); generated once in Development.
/// </summary>
internal static class SecretKeyRingLoader
{
    public const string DevelopmentKeyFile = "data/secret.key";

    public static SecretKeyRing Load(SecretsOptions options, IHostEnvironment environment, ILogger logger)
    {
        var current = LoadCurrent(options, environment, logger);
        var previous = options.PreviousKeyFiles.Select((file, i) => ReadKeyFile(file, $"Idp:Secrets:PreviousKeyFiles:{i}"));
        return new SecretKeyRing(current, previous);
    }

    private static SecretKey LoadCurrent(SecretsOptions options, IHostEnvironment environment, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyFile))
        {
            return ReadKeyFile(options.KeyFile, "Idp:Secrets:KeyFile");
        }

        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            return SecretKey.TryParse(options.Key, out var key, out var error)
                ? key!
                : throw new IdpConfigurationException($"Idp:Secrets:Key: {error}. Create one with: head -c 32 /dev/urandom | base64");
        }

        if (!environment.IsDevelopment())
        {
            throw new IdpConfigurationException(
                "Idp:Secrets:KeyFile (or Idp:Secrets:Key, e.g. the environment variable Idp__Secrets__Key) is required outside Development. " +
                "Create a key with: head -c 32 /dev/urandom | base64 > /etc/idp/secret.key, and keep it out of the database and its backups.");
        }

        var path = Path.GetFullPath(DevelopmentKeyFile);
        if (File.Exists(path))
        {
            return ReadKeyFile(path, "the development key file");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var generated = SecretKey.Generate();
        File.WriteAllText(path, generated.ToBase64() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning(
            "Generated a development secret key at {Path}. Outside Development set Idp:Secrets:KeyFile; losing this key makes stored OTP seeds unreadable.",
            path);
        return generated;
    }

    private static SecretKey ReadKeyFile(string path, string key)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdpConfigurationException($"{key}: cannot read \"{path}\" ({ex.Message}).");
        }

        return SecretKey.TryParse(text, out var secretKey, out var error)
            ? secretKey!
            : throw new IdpConfigurationException($"{key} (\"{path}\"): {error}. Create one with: head -c 32 /dev/urandom | base64");
    }
}
