/**
 * Warnings about what a deployment's processes link: a business rule task or a user task bound to
 * its own deployment (`bindingType="deployment"`) whose decision or form the deployment does not
 * hold raises an incident whenever it runs — the deployment is still accepted, as Camunda 8 does.
 */
import type { CompiledResource, DeploymentProblem } from './deploy-compile.js';

/** One warning per element whose deployment-bound decision or form is not in `resources`. */
export function linkWarnings(resources: readonly CompiledResource[]): DeploymentProblem[] {
  const decisions = new Set<string>();
  const forms = new Set<string>();
  for (const r of resources) {
    for (const id of Object.keys(r.graph?.decisions ?? {})) decisions.add(id);
    if (r.form) forms.add(r.form.id);
  }
  const out: DeploymentProblem[] = [];
  for (const r of resources) {
    for (const process of r.processes ?? []) {
      for (const el of Object.values(process.elements)) {
        const called = el.calledDecision;
        if (called?.bindingType === 'deployment' && !called.decisionId.feel && !decisions.has(called.decisionId.src))
          out.push({
            resource: r.name,
            elementId: el.id,
            line: el.line,
            message: `Expected the deployment to hold decision "${called.decisionId.src}", which ${el.id} binds to its deployment, but it does not; ${el.id} raises an incident when it runs`,
          });
        const form = el.userTask?.form;
        if (form?.bindingType === 'deployment' && !forms.has(form.id))
          out.push({
            resource: r.name,
            elementId: el.id,
            line: el.line,
            message: `Expected the deployment to hold form "${form.id}", which ${el.id} binds to its deployment, but it does not; ${el.id} raises an incident when it runs`,
          });
      }
    }
  }
  return out;
}
