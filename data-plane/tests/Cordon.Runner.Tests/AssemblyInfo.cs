// The runner and its sandboxes are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
