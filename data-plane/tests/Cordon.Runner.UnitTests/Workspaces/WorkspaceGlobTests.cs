using Cordon.Runner.Workspaces;

namespace Cordon.Runner.UnitTests.Workspaces;

public sealed class WorkspaceGlobTests
{
    [Theory]
    [InlineData("*.png", "out.png", true)]
    [InlineData("*.png", "plots/out.png", false)]
    [InlineData("**/*.png", "out.png", true)]
    [InlineData("**/*.png", "a/b/out.png", true)]
    [InlineData("plots/**", "plots/a/b.csv", true)]
    [InlineData("/out/*.txt", "out/a.txt", true)]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("(x).txt", "(x).txt", true)]
    public void IsMatch_Path_FollowsGlobRules(string glob, string path, bool matches)
    {
        Assert.Equal(matches, new WorkspaceGlob(glob).IsMatch(path));
    }
}
