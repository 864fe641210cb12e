// Each workflow runs on exactly the events it is meant for: CI on pull requests and pushes, the
// deploy on pushes to main (and by hand), the rollback only by hand with its inputs.
import type { Finding } from '../findings.ts';
import { isMapping, lineOf } from '../model.ts';
import type { WorkflowRule } from '../rule.ts';
import type { AutomationFile } from '../workflow-files.ts';

export interface DispatchInputExpectation {
  required: boolean;
  type?: 'choice' | 'string' | 'boolean' | 'number' | 'environment';
  /** For choices: the options, in any order. */
  options?: string[];
}

export interface EventExpectation {
  /** Branches the event must be limited to (push/pull_request), exactly. */
  branches?: string[];
  /** workflow_dispatch inputs that must exist; others may exist when not required. */
  inputs?: Record<string, DispatchInputExpectation>;
}

export interface TriggerExpectation {
  /** File name under .github/workflows. */
  file: string;
  /** The workflow's events, exactly (no more, no fewer). */
  events: Record<string, EventExpectation>;
}

/** `on:` as a map of event -> configuration, whatever form it was written in. */
export function eventsOf(file: AutomationFile): Record<string, unknown> {
  const on = file.data.on;
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event) => [String(event), null]));
  return isMapping(on) ? on : {};
}

function checkInputs(
  actual: unknown,
  expected: Record<string, DispatchInputExpectation>,
): string[] {
  const inputs = isMapping(actual) ? actual : {};
  const problems: string[] = [];
  for (const [name, expectation] of Object.entries(expected)) {
    const input = inputs[name];
    if (!isMapping(input)) {
      problems.push(`workflow_dispatch input '${name}' is missing`);
      continue;
    }
    if ((input.required === true) !== expectation.required) {
      problems.push(
        `workflow_dispatch input '${name}' must have required: ${expectation.required}`,
      );
    }
    if (expectation.type !== undefined && input.type !== expectation.type) {
      problems.push(`workflow_dispatch input '${name}' must be of type ${expectation.type}`);
    }
    if (expectation.options !== undefined) {
      const options = Array.isArray(input.options) ? input.options.map(String).sort() : [];
      if (JSON.stringify(options) !== JSON.stringify([...expectation.options].sort())) {
        problems.push(
          `workflow_dispatch input '${name}' must offer exactly ${expectation.options.join(', ')} (got ${options.join(', ') || 'none'})`,
        );
      }
    }
  }
  for (const [name, input] of Object.entries(inputs)) {
    if (!(name in expected) && isMapping(input) && input.required === true) {
      problems.push(`workflow_dispatch input '${name}' is not expected and must not be required`);
    }
  }
  return problems;
}

export function createTriggersRule(expectations: TriggerExpectation[]): WorkflowRule {
  return {
    id: 'triggers',
    description: 'ci, deploy and rollback run on exactly their events, with the dispatch inputs.',
    check(file) {
      const expectation = expectations.find((e) => file.path === `.github/workflows/${e.file}`);
      if (file.kind !== 'workflow' || expectation === undefined) return [];
      const events = eventsOf(file);
      const line = lineOf(file, ['on']) ?? 1;
      const problems: string[] = [];
      const expectedEvents = Object.keys(expectation.events).sort();
      const actualEvents = Object.keys(events).sort();
      if (JSON.stringify(expectedEvents) !== JSON.stringify(actualEvents)) {
        problems.push(
          `must run on exactly ${expectedEvents.join(' + ')} (runs on ${actualEvents.join(' + ') || 'nothing'})`,
        );
      }
      for (const [event, wanted] of Object.entries(expectation.events)) {
        if (!(event in events)) continue;
        const config = isMapping(events[event]) ? events[event] : {};
        if (wanted.branches !== undefined) {
          const branches = Array.isArray(config.branches) ? config.branches.map(String).sort() : [];
          if (JSON.stringify(branches) !== JSON.stringify([...wanted.branches].sort())) {
            problems.push(
              `${event} must be limited to branches ${wanted.branches.join(', ')} (got ${branches.join(', ') || 'all branches'})`,
            );
          }
        }
        if (wanted.inputs !== undefined)
          problems.push(...checkInputs(config.inputs, wanted.inputs));
      }
      return problems.map<Finding>((message) => ({
        rule: 'triggers',
        file: file.path,
        line,
        message,
      }));
    },
  };
}
