namespace CloudNonce.Engine.Planning;

/// <param name="Kind">What a unit is: a thread or an instance.</param>
/// <param name="NoncesPerSecondPerUnit">Nonces per second of one unit.</param>
/// <param name="BootOverhead">Launch-to-hashing time of a unit.</param>
/// <param name="MaxUnits">Cap on the planned unit count.</param>
/// <param name="DefaultUnits">Units used when the request leaves the count open; 0 = the
/// smallest count that reaches the confidence.</param>
/// <param name="Description">What the unit is, for -Verbose ("1 thread of kernel avx2, measured").</param>
public sealed record UnitProfile(PlanUnit Kind, double NoncesPerSecondPerUnit, TimeSpan BootOverhead, int MaxUnits, int DefaultUnits, string Description);
