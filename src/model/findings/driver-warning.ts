import type { FindingBase } from '../finding.js';

/** `driver-warning`: A kernel WARNING/BUG/Oops/panic and the drivers in its stack. */
export interface DriverWarningFinding extends FindingBase {
  rule: 'driver-warning';
  data?: DriverWarningData;
}

export type DriverWarningData = {
  kind: 'bug' | 'oops' | 'panic' | 'warning';
  function: string | null;
  location: string | null;
  drivers: string[];
  driverFrames: { fn: string; module: string | null; irq: boolean }[];
  irqContext: boolean;
  comm: string | null;
  pid: number | null;
};
