using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cordon.ControlPlane.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context for SQLite without starting the service.</summary>
internal sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<CordonDbContext>
{
    public CordonDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CordonDbContext>();
        StorageExtensions.Configure(options, new StorageOptions { Provider = "sqlite", ConnectionString = "Data Source=design.db" }, new DataDirectory("."));
        return new CordonDbContext(options.Options, new RequestContext());
    }
}
