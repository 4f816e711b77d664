/*
 * cordon-spawn: how cordon-init starts every program of a job.
 *
 *   cordon-spawn STATUS_FD UID GID CWD PATH ARGV0 [ARG...]
 *
 * The agent (PID 1) runs as another uid than the job and keeps a few capabilities in its own user namespace
 * (SETUID, SETGID, SETPCAP, KILL). posix_spawn runs no code between fork and exec, so this helper does the
 * drop: no supplementary groups, the job gid, an empty bounding and ambient set, the job uid (which clears the
 * permitted and effective sets), an empty inheritable set, checked; then chdir and exec. Any failure is
 * reported as an errno on STATUS_FD (close-on-exec, so a successful exec reads as end of file) and exit 127.
 * Only async-signal-safe calls, no allocation, statically linked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static void fail(int status_fd, const char *step, int error)
{
    int value = error ? error : EPERM;
    if (write(status_fd, &value, sizeof value) < 0) {
        /* the agent went away: nothing else to tell */
    }
    const char *prefix = "cordon-spawn: ";
    if (write(2, prefix, strlen(prefix)) < 0 || write(2, step, strlen(step)) < 0 || write(2, ": ", 2) < 0) {
        _exit(127);
    }
    const char *text = strerror(value);
    if (write(2, text, strlen(text)) < 0 || write(2, "\n", 1) < 0) {
        _exit(127);
    }
    _exit(127);
}

static int parse(const char *text, long *value)
{
    char *end;
    errno = 0;
    *value = strtol(text, &end, 10);
    return errno == 0 && end != text && *end == '\0' && *value >= 0;
}

int main(int argc, char **argv)
{
    long status_fd, uid, gid;
    if (argc < 7 || !parse(argv[1], &status_fd) || !parse(argv[2], &uid) || !parse(argv[3], &gid) || uid == 0) {
        static const char usage[] = "usage: cordon-spawn STATUS_FD UID GID CWD PATH ARGV0 [ARG...] (UID > 0)\n";
        if (write(2, usage, sizeof usage - 1) < 0) {
            _exit(127);
        }
        _exit(127);
    }
    int fd = (int)status_fd;
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        _exit(127);
    }

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        fail(fd, "no_new_privs", errno);
    }
    if (setgroups(0, NULL) != 0) {
        fail(fd, "setgroups", errno);
    }
    if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) != 0) {
        fail(fd, "setresgid", errno);
    }
    for (int cap = 0; cap <= 63; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
            fail(fd, "drop bounding set", errno);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        fail(fd, "clear ambient set", errno);
    }
    if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) {
        fail(fd, "setresuid", errno);
    }
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct none[2];
    memset(none, 0, sizeof none);
    if (syscall(SYS_capset, &header, none) != 0) {
        fail(fd, "capset", errno);
    }

    /* Verify rather than trust: every id is the job's and no capability is left in any set. */
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    struct __user_cap_data_struct now[2];
    if (getresuid(&ruid, &euid, &suid) != 0 || ruid != uid || euid != uid || suid != uid
        || getresgid(&rgid, &egid, &sgid) != 0 || rgid != gid || egid != gid || sgid != gid
        || getgroups(0, NULL) != 0
        || syscall(SYS_capget, &header, now) != 0
        || now[0].effective || now[1].effective || now[0].permitted || now[1].permitted
        || now[0].inheritable || now[1].inheritable) {
        fail(fd, "verify the dropped identity", EPERM);
    }
    for (int cap = 0; cap <= 40; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) {
            fail(fd, "verify the bounding set", EPERM);
        }
    }

    if (chdir(argv[4]) != 0) {
        fail(fd, "chdir", errno);
    }
    execve(argv[5], &argv[6], environ);
    fail(fd, argv[5], errno);
    return 127;
}
