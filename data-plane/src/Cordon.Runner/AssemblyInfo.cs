// Sandboxes are Linux namespaces, cgroups and an OCI runtime: the runner runs nowhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
