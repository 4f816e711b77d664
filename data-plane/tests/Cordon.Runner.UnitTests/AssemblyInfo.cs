// The runner's code is Linux-only; so are its unit tests (fds, FIFOs, cgroup layouts).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
