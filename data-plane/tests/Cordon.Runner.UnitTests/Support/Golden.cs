using System.Runtime.CompilerServices;

namespace Cordon.Runner.UnitTests.Support;

/// <summary>
/// Golden files kept next to the test that owns them. A mismatch fails with a line diff (what the golden file has
/// with <c>-</c>, what the code makes with <c>+</c>); <c>CORDON_UPDATE_GOLDEN=1</c> rewrites the file instead, for
/// a change that is meant — review the diff of the golden file in the commit.
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "CORDON_UPDATE_GOLDEN";

    public static void Verify(string fileName, string actual, [CallerFilePath] string callerFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerFile)!, fileName);
        actual = actual.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
        {
            Assert.Fail($"golden file {path} is missing: run the test with {UpdateVariable}=1 to create it");
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Assert.Fail($"{fileName} differs from the golden file ({path}).\n"
                + $"If the change is meant, regenerate it: {UpdateVariable}=1 make test-fast (or dotnet test on this project) and commit the file.\n"
                + "(- the golden file, + what the code makes now)\n" + LineDiff.Format(expected.Split('\n'), actual.Split('\n')));
        }
    }
}
