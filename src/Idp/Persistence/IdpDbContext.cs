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

    public DbSet<UserOtpDevices> UserOtpDevices => Set<UserOtpDevices>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<IdpUser>(user =>
        {
            user.Property(u => u.SubjectId).HasMaxLength(64).IsRequired();
            user.HasIndex(u => u.SubjectId).IsUnique();
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

        builder.Entity<UserOtpDevices>(devices =>
        {
            devices.ToTable("UserOtpDevices");
            devices.HasKey(d => d.UserId);
            devices.HasOne<IdpUser>().WithOne().HasForeignKey<UserOtpDevices>(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
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
