"""Growth cases for the alias budget: linting must take time linear in the input, whether the
aliases of a document stay within the budget (each pod is checked) or pass it (the object is one
invalid-input finding and its pods are only counted).

CASES lists (name, make_input): make_input(dir, n) writes the input for size n into the folder
`dir` and returns the arguments to give immutalint. A ratio test runs each case at n and 2n and
expects the time to about double, not to quadruple.
"""
import os

# A job whose pod installs into /usr through a hostPath: every copy of it that is checked makes
# findings, so a copy that is checked costs far more than one that is only counted.
JOB = ("{template: {spec: {template: {spec: {hostPID: true, containers: [{name: c, image: i, "
       "command: [sh, -c, 'cp a /host/usr/bin/b'], volumeMounts: [{name: h, mountPath: /host/usr}]}], "
       "volumes: [{name: h, hostPath: {path: /usr}}]}}}}}")

# Repeats a document may hold (AliasBudget::kMaxRepeats in include/immutalint/pod_spec.hpp); a
# repeated pod of JOB is two repeats, the pod and its container.
MAX_REPEATS = 1000


def jobset(name, aliases):
    return ("apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: %s, namespace: ns}\n"
            "t: &t %s\nspec:\n  replicatedJobs: [%s]\n" % (name, JOB, ", ".join(["*t"] * aliases)))


def within_budget(directory, n):
    """n documents, each a JobSet of 100 aliases of one job (198 repeats, within the budget):
    100n pods are checked."""
    path = os.path.join(directory, "within-budget.yaml")
    with open(path, "w") as out:
        out.write("---\n".join(jobset("js-%d" % i, 100) for i in range(n)))
    return ["--no-config", "--fail-on", "never", "--format", "json", "--output", os.devnull, path]


def over_budget(directory, n):
    """One JobSet of 1000n aliases of one job, past the budget: one finding, its pods counted.
    Past about n = 130 the parser's own limit on alias expansion (4,000,000 nodes) rejects the
    document before its pods are read."""
    path = os.path.join(directory, "over-budget.yaml")
    with open(path, "w") as out:
        out.write(jobset("js", 1000 * n))
    return ["--no-config", "--fail-on", "never", "--format", "json", "--output", os.devnull, path]


CASES = [
    ("alias fan-out within the budget, n documents of 100 aliases", within_budget),
    ("alias fan-out past the budget, one JobSet of 1000n aliases", over_budget),
]
