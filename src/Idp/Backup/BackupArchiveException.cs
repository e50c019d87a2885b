namespace Idp.Backup;

/// <summary>An archive that cannot be used as it is: not ours, the wrong key, damaged, cut short, or from another schema.</summary>
internal sealed class BackupArchiveException(string message) : Exception(message);
