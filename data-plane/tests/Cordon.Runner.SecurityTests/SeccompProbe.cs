namespace Cordon.Runner.SecurityTests;

/// <summary>
/// One sandbox run that calls every syscall the profile must deny, with arguments that would fail differently
/// (EFAULT, EINVAL, EBADF…) if the call reached the kernel, so "blocked EPERM" means the filter stopped it.
/// </summary>
public sealed class SeccompProbe : IAsyncLifetime
{
    /// <summary>(probe name, x86_64 syscall number, errno the profile must return).</summary>
    public static readonly TheoryData<string, int, string> DeniedSyscalls = new()
    {
        { "io_uring_setup", 425, "EPERM" }, { "io_uring_enter", 426, "EPERM" }, { "io_uring_register", 427, "EPERM" },
        { "ptrace", 101, "EPERM" }, { "process_vm_readv", 310, "EPERM" }, { "process_vm_writev", 311, "EPERM" },
        { "kcmp", 312, "EPERM" }, { "pidfd_getfd", 438, "EPERM" }, { "userfaultfd", 323, "EPERM" },
        { "perf_event_open", 298, "EPERM" }, { "bpf", 321, "EPERM" }, { "add_key", 248, "EPERM" },
        { "keyctl", 250, "EPERM" }, { "request_key", 249, "EPERM" }, { "unshare", 272, "EPERM" },
        { "setns", 308, "EPERM" }, { "mount", 165, "EPERM" }, { "umount2", 166, "EPERM" },
        { "pivot_root", 155, "EPERM" }, { "fsopen", 430, "EPERM" }, { "fsconfig", 431, "EPERM" },
        { "fsmount", 432, "EPERM" }, { "fspick", 433, "EPERM" }, { "open_tree", 428, "EPERM" },
        { "move_mount", 429, "EPERM" }, { "mount_setattr", 442, "EPERM" }, { "open_by_handle_at", 304, "EPERM" },
        { "kexec_load", 246, "EPERM" }, { "kexec_file_load", 320, "EPERM" }, { "init_module", 175, "EPERM" },
        { "finit_module", 313, "EPERM" }, { "delete_module", 176, "EPERM" }, { "iopl", 172, "EPERM" },
        { "ioperm", 173, "EPERM" }, { "reboot", 169, "EPERM" }, { "swapon", 167, "EPERM" },
        { "swapoff", 168, "EPERM" }, { "acct", 163, "EPERM" }, { "quotactl", 179, "EPERM" },
        { "syslog", 103, "EPERM" }, { "settimeofday", 164, "EPERM" }, { "clock_settime", 227, "EPERM" },
        { "clock_adjtime", 305, "EPERM" }, { "clone3", 435, "ENOSYS" },
    };

    public SandboxOutcome Outcome { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var calls = string.Join("\n", DeniedSyscalls.Select(row =>
            $"    PROBE(\"{row.Data.Item1}\", syscall({row.Data.Item2}, -1L, -1L, -1L, -1L, -1L, -1L));"));
        Outcome = await Sandbox.RunAsync("c", CProbe.Program(calls + """

                // A namespace-creating clone must be refused by the argument filter; a plain fork must work.
                PROBE("clone-newuser", syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
                pid_t child = fork();
                if (child == 0) _exit(0);
                printf("fork: %s\n", child > 0 ? "ok" : strerrorname_np(errno));
            """), TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
