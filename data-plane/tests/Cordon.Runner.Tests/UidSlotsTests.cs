using Cordon.Runner.Sandboxes;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

/// <summary>Issue 15.6: a slot stays out of reach while anything of its sandbox may live, also after a crash.</summary>
public sealed class UidSlotsTests : IDisposable
{
    private readonly DirectoryInfo _locks = Directory.CreateTempSubdirectory("cordon-slots-");
    private readonly DirectoryInfo _owner = Directory.CreateTempSubdirectory("cordon-slot-owner-");

    [Fact]
    public void Acquire_SlotStillNamingALiveSandboxOfACrashedRunner_IsSkipped()
    {
        // A crashed runner's lock died with it; its file still names the sandbox, whose state still exists.
        File.WriteAllText(Path.Combine(_locks.FullName, "1.lock"), _owner.FullName + "\n");
        var slots = new UidSlots(_locks.FullName, 3);

        Assert.Equal(2, slots.Acquire([Path.Combine(_locks.FullName, "new-sandbox")]));
    }

    [Fact]
    public void Acquire_SlotNamingASandboxThatIsGone_IsReused()
    {
        File.WriteAllText(Path.Combine(_locks.FullName, "1.lock"), Path.Combine(_owner.FullName, "gone") + "\n");
        var slots = new UidSlots(_locks.FullName, 3);

        Assert.Equal(1, slots.Acquire(["/nonexistent/sandbox"]));
    }

    [Fact]
    public void Acquire_SlotLockedByAnotherProcess_IsSkipped()
    {
        using var other = new FileStream(Path.Combine(_locks.FullName, "1.lock"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        var slots = new UidSlots(_locks.FullName, 2);

        Assert.Equal(2, slots.Acquire(["/nonexistent/a"]));
        Assert.Throws<SandboxCapacityException>(() => slots.Acquire(["/nonexistent/b"]));
    }

    [Fact]
    public void Reclaim_ALeftoverItsSlotNames_LocksThatSlotUntilReleased()
    {
        File.WriteAllText(Path.Combine(_locks.FullName, "2.lock"), $"/nonexistent/runc/sbx\n{_owner.FullName}\n");
        var slots = new UidSlots(_locks.FullName, 3);

        Assert.Equal(2, slots.Reclaim(["/nonexistent/runc/sbx", _owner.FullName]));
        Assert.Throws<IOException>(() => new FileStream(Path.Combine(_locks.FullName, "2.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None));

        slots.Release(2);

        Assert.Equal("", File.ReadAllText(Path.Combine(_locks.FullName, "2.lock")));
        Assert.Null(new UidSlots(_locks.FullName, 3).Reclaim([_owner.FullName]));
    }

    [Fact]
    public void Acquire_ThenRelease_NamesTheOwnerWhileHeldOnly()
    {
        var slots = new UidSlots(_locks.FullName, 3);
        var slot = slots.Acquire([_owner.FullName]);
        var file = Path.Combine(_locks.FullName, $"{slot}.lock");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        slots.Release(slot);
        Assert.Equal("", File.ReadAllText(file));
    }

    public void Dispose()
    {
        _locks.Delete(recursive: true);
        _owner.Delete(recursive: true);
    }
}
