// Emits a Warning Event for each planner problem on a ServiceDependency or TrafficPolicy, once per
// appearance: the problems already reported on each object are remembered (in memory), so a report
// while a problem persists makes no call. After a restart a problem is created again under the same
// deterministic name: the API server answers AlreadyExists while the first Event lives (1 h by
// default), and that is left as it is.
import type { CoreV1Api } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { httpStatusOf } from "../../federation/kube/api-errors.js";
import type { Problem } from "../core/index.js";
import { refKey } from "./live-objects.js";
import { problemEvent } from "./problem-event.js";
import type { EventTarget } from "./problem-event.js";

export interface ProblemEventsDeps {
  readonly api: CoreV1Api;
  readonly log: Logger;
  readonly now: () => Date;
}

export interface EventsResult {
  /** Events created. */
  readonly created: number;
  /** Events that could not be created (logged; tried again on the next report). */
  readonly failed: number;
}

interface Reported {
  readonly uid: string;
  /** `code NUL message` of each problem reported on the object. */
  readonly problems: ReadonlySet<string>;
}

const problemKey = (p: Pick<Problem, "code" | "message">): string => `${p.code}\u0000${p.message}`;

export class ProblemEvents {
  private readonly deps: ProblemEventsDeps;
  private readonly reported = new Map<string, Reported>();

  constructor(deps: ProblemEventsDeps) {
    this.deps = deps;
  }

  /** Creates an Event for each of `problems` not yet reported on the object; a problem that went away may be reported again when it comes back. */
  async report(target: EventTarget, problems: readonly Pick<Problem, "code" | "message">[]): Promise<EventsResult> {
    const key = refKey(target.kind, target);
    const before = this.reported.get(key);
    const known = before?.uid === target.uid ? before.problems : new Set<string>();
    const now = new Set<string>();
    let created = 0;
    let failed = 0;
    for (const problem of problems) {
      const pk = problemKey(problem);
      if (known.has(pk)) {
        now.add(pk);
        continue;
      }
      const outcome = await this.create(target, problem);
      if (outcome !== "failed") now.add(pk);
      if (outcome === "created") created += 1;
      if (outcome === "failed") failed += 1;
    }
    this.reported.set(key, { uid: target.uid, problems: now });
    return { created, failed };
  }

  /** Forgets every object whose refKey is not in `keys`. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.reported.keys()]) if (!keys.has(key)) this.reported.delete(key);
  }

  private async create(target: EventTarget, problem: Pick<Problem, "code" | "message">): Promise<"created" | "exists" | "failed"> {
    const body = problemEvent(target, problem, this.deps.now());
    const context = { kind: target.kind, namespace: target.namespace, name: target.name, code: problem.code };
    try {
      await this.deps.api.createNamespacedEvent({ namespace: target.namespace, body });
      this.deps.log.info({ ...context, event: body.metadata.name }, `Reported ${problem.code} on ${target.kind}`);
      return "created";
    } catch (err) {
      if (httpStatusOf(err) === 409) return "exists";
      this.deps.log.warn({ ...context, err }, "Failed to create Event");
      return "failed";
    }
  }
}
