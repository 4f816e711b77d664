using System.Runtime.Versioning;

// The agent and these tests are Linux-only: real sockets, /proc, posix_spawn.
[assembly: SupportedOSPlatform("linux")]
