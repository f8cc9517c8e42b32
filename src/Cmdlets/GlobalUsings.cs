// The namespaces nearly every cmdlet file uses, said once for the project.
global using System.Management.Automation;
global using CloudNonce.Cmdlets.Infrastructure;
global using CloudNonce.Cmdlets.Parameters;
global using CloudNonce.Engine.Providers;
