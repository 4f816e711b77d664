using System.Text;
using Cordon.Runner.Configuration;
using Cordon.Runner.Sandboxes;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

/// <summary>Issue 15.6: sandbox host ids never overlap the subordinate ids the host gives its users.</summary>
public sealed class UidRangesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cordon-subid-");

    [Fact]
    public void DefaultBase_AgainstAThousandUseraddUsers_DoesNotOverlap()
    {
        // useradd gives each new user 65536 subordinate ids from 100000 up (login.defs SUB_UID_MIN/COUNT).
        var subuid = Write("subuid", string.Concat(Enumerable.Range(0, 1000).Select(i => $"user{i}:{100_000 + (i * 65_536)}:65536\n")));

        var slots = UidRanges.Slots(new RunnerOptions { SubIdFiles = [subuid] }, Path.Combine(_dir.FullName, "locks"));

        Assert.Equal(4093, slots.SlotCount);
        Assert.Null(UidRanges.FindOverlap(subuid, 0x7000_0000L + 65_536, 0x7000_0000L + (4094L * 65_536)));
    }

    [Fact]
    public void OldDefaultBase_AgainstUseraddsSecondUser_IsRefusedWithTheLine()
    {
        // The old default: slot 1 = 165536..231071, exactly the range useradd gives the second user.
        var subgid = Write("subgid", "alice:100000:65536\nbob:165536:65536\n");

        var refusal = Assert.Throws<RunnerStartupException>(() => UidRanges.Slots(new RunnerOptions { UidBase = 100_000, SubIdFiles = ["/nonexistent/subuid", subgid] }, Path.Combine(_dir.FullName, "locks")));

        Assert.Contains($"{subgid} line 2 ('bob:165536:65536')", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Cordon:Runner:UidBase", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Slots_PastTheLastValidId_AreRefused()
    {
        var refusal = Assert.Throws<RunnerStartupException>(() => UidRanges.Slots(new RunnerOptions { UidBase = int.MaxValue, UidSlots = 65_534, SubIdFiles = [] }, Path.Combine(_dir.FullName, "locks")));

        Assert.Contains("past the last valid id", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithRangesOverlappingSubuid_ExitsWithTheReasonAndNoStackTrace()
    {
        var subuid = Write("subuid", "alice:165536:65536\n");
        var (exit, stderr) = await RunnerCommand.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["Cordon__Runner__UidBase"] = "100000", ["Cordon__Runner__SubIdFiles__0"] = subuid },
            TestContext.Current.CancellationToken);

        Assert.Equal(RunnerStartupException.ExitCode, exit);
        Assert.Contains("refusing to start", stderr, StringComparison.Ordinal);
        Assert.Contains($"{subuid} line 1", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text, Encoding.ASCII);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
