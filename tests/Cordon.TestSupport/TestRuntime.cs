namespace Cordon.TestSupport;

/// <summary>
/// The OCI runtime the suite's sandboxes run under: <c>CORDON_TEST_OCI_RUNTIME</c> (<c>runc</c> or <c>runsc</c>),
/// default runc. scripts/test.sh runs the sandbox suites once per runtime; a test whose outcome differs under gVisor
/// asserts that outcome explicitly (<see cref="IsRunsc"/>) and says why.
/// </summary>
public static class TestRuntime
{
    public static string Name { get; } = Environment.GetEnvironmentVariable("CORDON_TEST_OCI_RUNTIME") is { Length: > 0 } name ? name : "runc";

    public static bool IsRunsc => Path.GetFileName(Name) == "runsc";
}
