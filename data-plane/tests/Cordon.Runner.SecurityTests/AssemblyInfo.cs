// The probes run Linux sandboxes; the suite runs nowhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
