namespace Cordon.ControlPlane.Tests.Policy;

/// <summary>The policy API on the embedded default store, SQLite.</summary>
public sealed class SqlitePolicyApiTests : PolicyApiTests;
