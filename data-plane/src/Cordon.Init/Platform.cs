using System.Runtime.Versioning;

// The agent is Linux-only by design: posix_spawn, openat2, /proc and PID 1 semantics.
[assembly: SupportedOSPlatform("linux")]
