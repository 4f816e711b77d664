namespace Cordon.ControlPlane.Tests.DataProtection;

/// <summary><see cref="WorkspaceDataProtectionTests"/> on the embedded SQLite store.</summary>
public sealed class SqliteWorkspaceDataProtectionTests : WorkspaceDataProtectionTests;
