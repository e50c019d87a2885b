using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Idp.Persistence;

/// <summary>The one DbContext. Its schema is created by the versioned scripts under Migrations/, never by EnsureCreated.</summary>
public sealed class IdpDbContext(DbContextOptions<IdpDbContext> options) : IdentityDbContext<IdpUser, IdentityRole, string>(options)
{
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    public DbSet<SetupToken> SetupTokens => Set<SetupToken>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<SecondFactorDocumentRecord> SecondFactorDocuments => Set<SecondFactorDocumentRecord>();

    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    public DbSet<AuthorizationCodeRecord> AuthorizationCodes => Set<AuthorizationCodeRecord>();

    public DbSet<GrantRecord> Grants => Set<GrantRecord>();

    public DbSet<RefreshTokenRecord> RefreshTokens => Set<RefreshTokenRecord>();

    public DbSet<RevokedAccessToken> RevokedAccessTokens => Set<RevokedAccessToken>();

    public DbSet<PendingAuthorization> PendingAuthorizations => Set<PendingAuthorization>();

    public DbSet<UserConsent> UserConsents => Set<UserConsent>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<PendingSignIn> PendingSignIns => Set<PendingSignIn>();

    public DbSet<OtpFailureState> OtpFailureStates => Set<OtpFailureState>();

    public DbSet<ValidationTransaction> ValidationTransactions => Set<ValidationTransaction>();

    public DbSet<HardwareTokenRecord> HardwareTokens => Set<HardwareTokenRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<IdpUser>(user =>
        {
            user.Property(u => u.SubjectId).HasMaxLength(64).IsRequired();
            user.HasIndex(u => u.SubjectId).IsUnique();
            user.Property(u => u.StoreName).HasMaxLength(64);
            user.Property(u => u.ExternalId).HasMaxLength(256);
            user.Property(u => u.DisplayName).HasMaxLength(256);
            user.Property(u => u.DirectoryDn).HasMaxLength(1024);
            user.HasIndex(u => new { u.StoreName, u.ExternalId }).IsUnique();
        });

        builder.Entity<DataProtectionKeyRecord>(key =>
        {
            key.ToTable("DataProtectionKeys");
            key.Property(k => k.FriendlyName).HasMaxLength(256);
        });

        builder.Entity<SetupToken>(token =>
        {
            token.ToTable("SetupTokens");
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.HasIndex(t => t.TokenHash).IsUnique();
        });

        builder.Entity<UserSession>(session =>
        {
            session.ToTable("UserSessions");
            session.Property(s => s.Id).HasMaxLength(64);
            session.HasIndex(s => s.UserId);
            session.HasIndex(s => s.ExpiresAt);
            session.HasOne<IdpUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SecondFactorDocumentRecord>(devices =>
        {
            // The table keeps the name of its first release (0001): renaming it would break a rolling upgrade.
            devices.ToTable(TableNames.SecondFactorDocuments);
            devices.HasKey(d => d.UserId);
            devices.HasOne<IdpUser>().WithOne().HasForeignKey<SecondFactorDocumentRecord>(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        OnOidcModelCreating(builder);

        builder.Entity<PendingSignIn>(pending =>
        {
            pending.ToTable("PendingSignIns");
            pending.Property(p => p.Id).HasMaxLength(64);
            pending.HasIndex(p => p.ExpiresAt);
            // Stored by name, so a row reads the same whatever order the enum is declared in; rows written by an
            // older node (no purpose) are plain sign-ins.
            pending.Property(p => p.Purpose).HasConversion<string>().HasDefaultValue(PendingSignInPurpose.SignIn).HasSentinel((PendingSignInPurpose)(-1));
            pending.HasOne<IdpUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ValidationTransaction>(transaction =>
        {
            transaction.ToTable("ValidationTransactions");
            transaction.Property(t => t.Id).HasMaxLength(64);
            transaction.Property(t => t.Client).HasMaxLength(200);
            transaction.HasIndex(t => t.ExpiresAt);
            transaction.HasOne<IdpUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<HardwareTokenRecord>(token =>
        {
            token.ToTable("HardwareTokens");
            token.HasKey(t => t.Serial);
            token.Property(t => t.Serial).HasMaxLength(64);
            token.Property(t => t.Type).HasMaxLength(8);
            token.Property(t => t.Algorithm).HasMaxLength(8);
            token.Property(t => t.Manufacturer).HasMaxLength(128);
            token.Property(t => t.Issuer).HasMaxLength(128);
            token.Property(t => t.DeviceId).HasMaxLength(64);
            // A deleted account gives its tokens back to the pool; Idp's own deletion does so first, with their state.
            token.HasOne<IdpUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<OtpFailureState>(state =>
        {
            state.ToTable("OtpFailureStates");
            state.HasKey(s => s.UserId);
            state.HasOne<IdpUser>().WithOne().HasForeignKey<OtpFailureState>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private static void OnOidcModelCreating(ModelBuilder builder)
    {
        builder.Entity<SigningKeyRecord>(key =>
        {
            key.ToTable("SigningKeys");
            key.Property(k => k.Id).HasMaxLength(64);
            key.Property(k => k.Algorithm).HasMaxLength(16);
            key.HasIndex(k => k.ActivatesAt);
        });

        builder.Entity<AuthorizationCodeRecord>(code =>
        {
            code.ToTable("AuthorizationCodes");
            code.HasKey(c => c.CodeHash);
            code.Property(c => c.CodeHash).HasMaxLength(64);
            code.Property(c => c.ClientId).HasMaxLength(100);
            code.Property(c => c.SessionId).HasMaxLength(64);
            code.Property(c => c.GrantId).HasMaxLength(64);
            code.HasIndex(c => c.ExpiresAt);
            code.HasIndex(c => c.GrantId);
        });

        builder.Entity<GrantRecord>(grant =>
        {
            grant.ToTable("Grants");
            grant.Property(g => g.Id).HasMaxLength(64);
            grant.Property(g => g.ClientId).HasMaxLength(100);
            grant.Property(g => g.SessionId).HasMaxLength(64);
            grant.HasIndex(g => g.UserId);
            grant.HasIndex(g => g.SessionId);
            grant.HasIndex(g => g.CreatedAt);
        });

        builder.Entity<RefreshTokenRecord>(token =>
        {
            token.ToTable("RefreshTokens");
            token.HasKey(t => t.TokenHash);
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.GrantId).HasMaxLength(64);
            token.Property(t => t.ClientId).HasMaxLength(100);
            token.Property(t => t.SessionId).HasMaxLength(64);
            token.HasIndex(t => t.GrantId);
            token.HasIndex(t => t.UserId);
        });

        builder.Entity<RevokedAccessToken>(revoked =>
        {
            revoked.ToTable("RevokedAccessTokens");
            revoked.HasKey(r => r.Jti);
            revoked.Property(r => r.Jti).HasMaxLength(64);
        });

        builder.Entity<PendingAuthorization>(pending =>
        {
            pending.ToTable("PendingAuthorizations");
            pending.Property(p => p.Id).HasMaxLength(64);
            pending.HasIndex(p => p.ExpiresAt);
        });

        builder.Entity<UserConsent>(consent =>
        {
            consent.ToTable("UserConsents");
            consent.HasKey(c => new { c.UserId, c.ClientId });
            consent.Property(c => c.ClientId).HasMaxLength(100);
            consent.HasOne<IdpUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("AuditEvents");
            audit.Property(a => a.Type).HasMaxLength(64);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.Property(a => a.ClientId).HasMaxLength(100);
            audit.Property(a => a.IpAddress).HasMaxLength(64);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => a.SubjectUserId);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC; SQLite hands them back without a kind, Npgsql insists on one.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
