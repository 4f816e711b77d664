using Cordon.Runner.Execution;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Tests;

public sealed class WorkspacePathTests
{
    [Theory]
    [InlineData("main.py", "main.py")]
    [InlineData("dir/sub/a.txt", "dir/sub/a.txt")]
    [InlineData("dir/", "dir")]
    public void Validate_RelativePath_IsAccepted(string path, string expected) => Assert.Equal(expected, WorkspacePath.Validate(path));

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a//b")]
    [InlineData("a\0b")]
    public void Validate_EscapingPath_IsInvalidArgument(string path)
    {
        var error = Assert.Throws<SandboxException>(() => WorkspacePath.Validate(path));

        Assert.Equal(SandboxError.InvalidArgument, error.Error);
    }
}
