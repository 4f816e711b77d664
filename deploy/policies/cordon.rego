# Cordon's decision in Rego: the equivalent of the control plane's built-in engine
# (control-plane/src/Cordon.ControlPlane/Policy/PolicyEvaluator.cs), for Cordon:Policy:Engine=opa.
#
# The control plane POSTs {"input": …} to /v1/data/cordon/decision and reads result.allow, result.reasons
# ([{rule, message}]), result.limits and result.policyVersion. Tenant policy documents (the same JSON as
# PUT /v1/admin/tenants/{tenant}/policy) are data: data.tenants[<tenant>]; a tenant without one gets {} — the
# registered runtimes, their default limits under the service's ceilings, no egress, no dependencies, no secrets.
#
# Version constraints: this policy understands comparator lists (>=, <=, >, <, ==, != over dotted numeric
# releases; "," between clauses for python, " " for javascript). PEP 440 pre-release rules, ~=, ==X.*, and npm's
# ^, ~, x-ranges and || are the built-in engine's alone; the shared cases that need them are marked
# "engines": ["builtin"] in deploy/policies/cases.
package cordon

import rego.v1

limit_names := ["timeoutMs", "memoryMb", "cpus", "pids", "outputBytes", "diskMb"]

document := object.get(object.get(data, "tenants", {}), input.principal.tenant, {})

policy_version := concat("", ["sha256:", crypto.sha256(json.marshal(document))])

runtime_policy := object.get(object.get(document, "runtimes", {}), input.runtime, {})

egress := object.get(object.get(input, "network", {}), "egress", [])

dependencies := object.get(input, "dependencies", [])

secrets := object.get(input, "secrets", [])

# --- runtime -------------------------------------------------------------------------------------------------

runtime_registered if input.service.runtimes[input.runtime]

runtime_listed if not document.runtimes

runtime_listed if document.runtimes[input.runtime]

deny contains {"rule": "runtime.denied", "message": msg} if {
	not runtime_registered
	msg := sprintf("Runtime '%s' is not registered on this service (see GET /v1/runtimes).", [input.runtime])
}

deny contains {"rule": "runtime.denied", "message": msg} if {
	runtime_registered
	not runtime_listed
	msg := sprintf("Tenant '%s' may not use runtime '%s'; ask an administrator to add it to the tenant's policy (runtimes).", [input.principal.tenant, input.runtime])
}

# --- egress --------------------------------------------------------------------------------------------------

denied_hosts := [d | some d in egress; not egress_allowed(d)]

egress_allowed(destination) if {
	some pattern in object.get(document, "egress", [])
	egress_match(lower(pattern), lower(destination))
}

egress_match(pattern, destination) if {
	not startswith(pattern, "*.")
	pattern == destination
}

egress_match(pattern, destination) if {
	startswith(pattern, "*.")
	port := port_of(pattern)
	port == port_of(destination)
	suffix := substring(pattern, 1, (count(pattern) - count(port)) - 2)
	host := substring(destination, 0, (count(destination) - count(port)) - 1)
	endswith(host, suffix)
}

port_of(hostport) := parts[count(parts) - 1] if parts := split(hostport, ":")

deny contains {"rule": "egress.denied", "message": msg} if {
	count(denied_hosts) > 0
	msg := sprintf("Network access to %s is not in tenant '%s''s egress allowlist; remove it from network.egress, or ask an administrator to add it to the tenant's policy (egress).", [concat(", ", denied_hosts), input.principal.tenant])
}

# --- dependencies --------------------------------------------------------------------------------------------

denied_dependencies := [d.spec | some d in dependencies; not dependency_allowed(d)]

dependency_allowed(dependency) if {
	some rule in object.get(runtime_policy, "dependencies", [])
	normalize(rule.name) == dependency.name
	version_allowed(rule, dependency.version)
}

normalize(name) := lower(regex.replace(name, `[-_.]+`, "-")) if input.runtime == "python"

normalize(name) := lower(name) if input.runtime != "python"

version_allowed(rule, _) if not rule.version

version_allowed(rule, version) if {
	rule.version
	every clause in clauses(rule.version) {
		clause_allows(clause, version)
	}
}

clauses(constraint) := [c | some raw in split(constraint, separator); c := trim_space(raw); c != ""]

separator := "," if input.runtime == "python"

separator := " " if input.runtime != "python"

clause_allows(c, v) if {
	startswith(c, ">=")
	version_cmp(v, trim_space(substring(c, 2, -1))) >= 0
}

clause_allows(c, v) if {
	startswith(c, "<=")
	version_cmp(v, trim_space(substring(c, 2, -1))) <= 0
}

clause_allows(c, v) if {
	startswith(c, "==")
	version_cmp(v, trim_space(substring(c, 2, -1))) == 0
}

clause_allows(c, v) if {
	startswith(c, "!=")
	version_cmp(v, trim_space(substring(c, 2, -1))) != 0
}

clause_allows(c, v) if {
	startswith(c, ">")
	not startswith(c, ">=")
	version_cmp(v, trim_space(substring(c, 1, -1))) > 0
}

clause_allows(c, v) if {
	startswith(c, "<")
	not startswith(c, "<=")
	version_cmp(v, trim_space(substring(c, 1, -1))) < 0
}

# The first differing release segment (missing segments count as 0); undefined for anything but digits, so a
# version this policy cannot read is never allowed.
version_cmp(a, b) := diffs[0] if {
	diffs := version_diffs(a, b)
	count(diffs) > 0
}

version_cmp(a, b) := 0 if count(version_diffs(a, b)) == 0

version_diffs(a, b) := [d |
	as := split(a, ".")
	bs := split(b, ".")
	some i in numbers.range(0, max([count(as), count(bs)]) - 1)
	x := segment(as, i)
	y := segment(bs, i)
	x != y
	d := x - y
]

segment(parts, i) := to_number(parts[i]) if i < count(parts)

segment(parts, i) := 0 if i >= count(parts)

deny contains {"rule": "dependency.denied", "message": msg} if {
	count(denied_dependencies) > 0
	msg := sprintf("Tenant '%s''s policy does not allow these %s packages: %s; pick allowed versions, or ask an administrator to add them (runtimes.%s.dependencies).", [input.principal.tenant, input.runtime, concat(", ", denied_dependencies), input.runtime])
}

# --- secrets -------------------------------------------------------------------------------------------------

denied_secrets := [s | some s in secrets; not s in object.get(document, "secrets", [])]

deny contains {"rule": "secret.denied", "message": msg} if {
	count(denied_secrets) > 0
	msg := sprintf("Tenant '%s''s policy does not let jobs request the secret(s) %s; ask an administrator to add them (secrets).", [input.principal.tenant, concat(", ", denied_secrets)])
}

# --- limits: the request clamped to the tenant's maxima (runtime's, else the document's) and the service's
# ceilings, unset members from the runtime's defaults -------------------------------------------------------

runtime_defaults := object.get(object.get(input.service.runtimes, input.runtime, {}), "defaultLimits", {})

tenant_max(name) := runtime_policy.maxLimits[name]

tenant_max(name) := document.maxLimits[name] if not runtime_policy.maxLimits[name]

effective_max(name) := min([tenant_max(name), input.service.maxLimits[name]])

effective_max(name) := input.service.maxLimits[name] if not tenant_max(name)

asked(name) := input.limits[name]

asked(name) := runtime_defaults[name] if not input.limits[name]

effective(name) := min([asked(name), effective_max(name)])

limits := {name: effective(name) | some name in limit_names}

clamped if {
	some name in limit_names
	asked(name) > effective_max(name)
}

# --- the decision --------------------------------------------------------------------------------------------

allowed_reasons contains {"rule": "runtime.allowed", "message": sprintf("Runtime '%s' is allowed.", [input.runtime])}

allowed_reasons contains {"rule": "limits.clamped", "message": "Limits lowered to the tenant's maxima."} if clamped

allowed_reasons contains {"rule": "egress.allowed", "message": "Egress is allowed."} if count(egress) > 0

allowed_reasons contains {"rule": "dependency.allowed", "message": "Packages are allowed."} if count(dependencies) > 0

allowed_reasons contains {"rule": "secret.allowed", "message": "Secrets may be requested."} if count(secrets) > 0

decision := {
	"allow": true,
	"reasons": [r | some r in allowed_reasons],
	"limits": limits,
	"policyVersion": policy_version,
} if count(deny) == 0

decision := {
	"allow": false,
	"reasons": [r | some r in deny],
	"policyVersion": policy_version,
} if count(deny) > 0
