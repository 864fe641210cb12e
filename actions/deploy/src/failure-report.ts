// Why a deploy failed, gathered from every place AWS keeps a reason: CodeDeploy's error
// information and lifecycle events, stopped tasks' reasons and exit codes, and the service's
// recent events. The official deploy action prints none of these.
import {
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';

export interface StoppedTask {
  taskArn: string;
  taskDefinitionArn: string;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason: string;
  containers: Array<{ name: string; exitCode?: number; reason?: string }>;
}

export interface FailedLifecycleEvent {
  name: string;
  status: string;
  errorCode?: string;
  message?: string;
}

export interface FailureReport {
  /** CodeDeploy's errorInformation (code and message). */
  error?: { code?: string; message?: string };
  /** CodeDeploy's rollback information, when it rolled back. */
  rollback?: { deploymentId?: string; message?: string };
  failedLifecycleEvents: FailedLifecycleEvent[];
  stoppedTasks: StoppedTask[];
  serviceEvents: Array<{ at?: Date; message: string }>;
}

export function emptyFailureReport(): FailureReport {
  return { failedLifecycleEvents: [], stoppedTasks: [], serviceEvents: [] };
}

/**
 * Stopped tasks of the service (newest first), preferring those of `taskDefinitionArn` — the
 * revision that failed. ECS keeps stopped tasks visible for about an hour.
 */
export async function collectStoppedTasks(
  ecs: ECSClient,
  cluster: string,
  service: string,
  options: { taskDefinitionArn?: string; limit?: number; log?: (line: string) => void } = {},
): Promise<StoppedTask[]> {
  const limit = options.limit ?? 5;
  try {
    const listed = await ecs.send(
      new ListTasksCommand({
        cluster,
        serviceName: service,
        desiredStatus: 'STOPPED',
        maxResults: 100,
      }),
    );
    const arns = listed.taskArns ?? [];
    if (arns.length === 0) return [];
    const described = await ecs.send(
      new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }),
    );
    const tasks = (described.tasks ?? [])
      .filter(
        (t) => !options.taskDefinitionArn || t.taskDefinitionArn === options.taskDefinitionArn,
      )
      .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
      .slice(0, limit);
    return tasks.map((task) => ({
      taskArn: task.taskArn ?? '',
      taskDefinitionArn: task.taskDefinitionArn ?? '',
      stoppedAt: task.stoppedAt,
      stopCode: task.stopCode,
      stoppedReason: task.stoppedReason ?? '(no reason given)',
      containers: (task.containers ?? [])
        .filter((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== 0))
        .map((c) => ({ name: c.name ?? '', exitCode: c.exitCode, reason: c.reason })),
    }));
  } catch (error) {
    // The report is best effort: a failure to explain must not hide the failure itself.
    options.log?.(
      `Could not read stopped tasks: ${error instanceof Error ? error.message : error}`,
    );
    return [];
  }
}

/** Service events newer than `since`, newest first (ECS keeps the last 100). */
export function recentServiceEvents(
  service: Service | undefined,
  since: number,
  limit = 10,
): FailureReport['serviceEvents'] {
  return (service?.events ?? [])
    .filter((event) => (event.createdAt?.getTime() ?? 0) >= since)
    .slice(0, limit)
    .map((event) => ({ at: event.createdAt, message: event.message ?? '' }));
}
