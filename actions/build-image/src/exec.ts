// How the action runs docker: @actions/exec in main.ts, a fake in tests (no engine needed).

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (
  command: string,
  args: string[],
  options?: { input?: Buffer },
) => Promise<ExecResult>;
