namespace Cordon.TestSupport.Packages;

/// <summary>
/// A tiny package a test registry serves: python (a pure wheel whose module is the name with <c>_</c> for <c>-</c>)
/// or npm (a tarball with <c>index.js</c>). Its code's <c>hello()</c> returns <c>hello from NAME VERSION</c>;
/// <paramref name="Requires"/> are its dependencies in the ecosystem's syntax (<c>cordon-util&gt;=1</c>,
/// <c>{"cordon-util": "^1"}</c> as <c>cordon-util@^1</c>). <paramref name="SourceOnly"/>: python only, an sdist and no wheel.
/// </summary>
public sealed record TestPackage(string Name, string Version, IReadOnlyList<string> Requires, bool SourceOnly = false)
{
    public static TestPackage Of(string name, string version, params string[] requires) => new(name, version, requires);

    public string Module => Name.Replace('-', '_');

    public string Greeting => $"hello from {Name} {Version}";
}
