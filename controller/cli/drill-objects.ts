// The FailoverDrill objects the `drill` commands read and write in the home cluster: create one,
// read one (parsed, with its report), and ask the controller to abort one (an annotation; the
// controller owns the status). Failures become one-line RegistrationErrors with an exit code.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { API_VERSION, GROUP, RESOURCES, VERSION, describeErrors, parseFailoverDrill } from "../../crds/index.js";
import type { FailoverDrill, FailoverDrillSpec } from "../../crds/index.js";
import { makeClient, serverOf } from "../../federation/kube/clients.js";
import { RegistrationError, classifyError } from "../../federation/registration/errors.js";
import { DRILL_ABORT_ANNOTATION } from "../core/drill-report.js";

const DRILLS = { group: GROUP, version: VERSION, plural: RESOURCES.FailoverDrill.plural };

export interface DrillRef {
  namespace: string;
  name: string;
}

export class DrillObjects {
  private readonly api: CustomObjectsApi;

  constructor(private readonly home: KubeConfig) {
    this.api = makeClient(home, CustomObjectsApi);
  }

  /** The manifest `drill start` creates, validated by the CRD's own schema first. */
  static manifest(ref: DrillRef, spec: Partial<FailoverDrillSpec>): FailoverDrill {
    const parsed = parseFailoverDrill({ apiVersion: API_VERSION, kind: "FailoverDrill", metadata: { name: ref.name, namespace: ref.namespace }, spec });
    if (!parsed.ok) throw new RegistrationError("usage", `FailoverDrill ${ref.namespace}/${ref.name} would be invalid: ${describeErrors(parsed.errors)}`);
    return parsed.value;
  }

  async create(drill: FailoverDrill): Promise<void> {
    const { name, namespace = "" } = drill.metadata;
    const { status: _status, ...body } = drill;
    try {
      await this.api.createNamespacedCustomObject({ ...DRILLS, namespace, body });
    } catch (err) {
      const failure = classifyError(err, { server: serverOf(this.home), action: `create FailoverDrill ${namespace}/${name}` });
      if (failure.kind === "conflict") throw new RegistrationError("conflict", `FailoverDrill ${namespace}/${name} already exists: see meridian drill status ${name} --namespace ${namespace}, or pick another --name`, { cause: err });
      if (failure.kind === "not-found") throw new RegistrationError("not-found", `cannot create FailoverDrill ${namespace}/${name}: namespace ${namespace} or the FailoverDrill CRD does not exist (kubectl apply -f crds/)`, { cause: err });
      throw failure;
    }
  }

  /** The drill, or a not-found error that says where it looked. */
  async read(ref: DrillRef): Promise<FailoverDrill> {
    let raw: unknown;
    try {
      raw = await this.api.getNamespacedCustomObject({ ...DRILLS, ...ref });
    } catch (err) {
      const failure = classifyError(err, { server: serverOf(this.home), action: `read FailoverDrill ${ref.namespace}/${ref.name}` });
      if (failure.kind === "not-found") throw new RegistrationError("not-found", `no FailoverDrill ${ref.name} in namespace ${ref.namespace} of ${serverOf(this.home)} (kubectl get failoverdrills -A lists them)`, { cause: err });
      throw failure;
    }
    const parsed = parseFailoverDrill(raw);
    if (!parsed.ok) throw new RegistrationError("runtime", `FailoverDrill ${ref.namespace}/${ref.name} is invalid: ${describeErrors(parsed.errors)}`);
    return parsed.value;
  }

  /** Sets the abort annotation; the controller ends the drill and restores the routes. */
  async abort(ref: DrillRef, now: Date): Promise<void> {
    const body = { metadata: { annotations: { [DRILL_ABORT_ANNOTATION]: now.toISOString() } } };
    try {
      await this.api.patchNamespacedCustomObject({ ...DRILLS, ...ref, body }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    } catch (err) {
      throw classifyError(err, { server: serverOf(this.home), action: `annotate FailoverDrill ${ref.namespace}/${ref.name}` });
    }
  }
}
