namespace Idp.Backup;

/// <summary>
/// The archive's clear header: enough to refuse an archive before decrypting it (format, schema level) and the salt
/// its chunk key is derived with. It is authenticated: every chunk's associated data includes its hash.
/// </summary>
/// <param name="Version">The archive format's version (<see cref="ArchiveFormat.Version"/>).</param>
/// <param name="Schema">The last migration applied to the database it was taken from.</param>
/// <param name="Provider">The database it was taken from (Sqlite or Postgres); restore works into either.</param>
/// <param name="CreatedAt">When the snapshot was taken (UTC).</param>
/// <param name="Salt">32 random bytes, Base64: the HKDF salt of this archive's chunk key.</param>
internal sealed record BackupHeader(int Version, string Schema, string Provider, DateTimeOffset CreatedAt, string Salt);
