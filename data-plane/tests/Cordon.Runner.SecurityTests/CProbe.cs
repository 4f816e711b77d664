namespace Cordon.Runner.SecurityTests;

/// <summary>
/// Builds C probe programs. Every probe prints <c>control: ok</c> first (it compiled and ran), then one
/// <c>name: …</c> line per check: <c>blocked ERRNO</c> when the call failed with that errno, or
/// <c>ESCAPED</c> when it succeeded — so a crash or a missing compiler can never pass for "blocked".
/// </summary>
internal static class CProbe
{
    public const string Prelude = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <netinet/in.h>
        #include <pthread.h>
        #include <sched.h>
        #include <signal.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/ipc.h>
        #include <sys/mount.h>
        #include <sys/shm.h>
        #include <sys/socket.h>
        #include <sys/sysmacros.h>
        #include <sys/stat.h>
        #include <sys/syscall.h>
        #include <sys/types.h>
        #include <unistd.h>

        static void report(const char *name, long rc) {
            if (rc < 0) printf("%s: blocked %s\n", name, strerrorname_np(errno));
            else printf("%s: ESCAPED\n", name);
            fflush(stdout);
        }
        #define PROBE(name, call) do { errno = 0; report(name, (long)(call)); } while (0)

        """;

    public static string Program(string body, string globals = "") => Prelude + globals + "\nint main(void) {\n    puts(\"control: ok\");\n    fflush(stdout);\n" + body + "\n    return 0;\n}\n";
}
