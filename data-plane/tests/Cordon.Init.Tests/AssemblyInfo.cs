// The agent is a Linux PID 1; its tests run nowhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
