// `go build` linker flags: strip symbols, and stamp kube-apiserver with its release the way
// Kubernetes' hack/lib/version.sh does, so /version reports it instead of v0.0.0-master.

export function ldflags(binary: "kube-apiserver" | "etcd", kubernetesVersion: string): string {
  const flags = ["-s", "-w"];
  if (binary === "kube-apiserver") {
    const [major = "", minor = ""] = kubernetesVersion.split(".");
    const values = { gitVersion: `v${kubernetesVersion}`, gitMajor: major, gitMinor: minor, gitTreeState: "clean" };
    for (const pkg of ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]) {
      for (const [key, value] of Object.entries(values)) flags.push(`-X=${pkg}.${key}=${value}`);
    }
  }
  return flags.join(" ");
}
